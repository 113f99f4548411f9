// The shipped biomedical-technician assessments: every device-maintenance item prepares, every
// item resting on a plugin type cites its source, the practice set shares nothing with the
// screening, and the screening blueprint holds what the role's issue asks.
#include <toml++/toml.h>
#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <sstream>

#include "electrical_safety.hpp"
#include "performance_verification.hpp"
#include "pm_planning.hpp"
#include "troubleshooting.hpp"
#include "work_order.hpp"

using assay::sdk::json;

namespace {

const std::string kBiomedDir = std::string(ASSAY_TEST_FIXTURES) + "/../../assessments/biomedical-technician/";

json biomed_json(const toml::node& n) {
  if (auto t = n.as_table()) {
    json out = json::object();
    for (auto&& [k, v] : *t) out[std::string(k.str())] = biomed_json(v);
    return out;
  }
  if (auto a = n.as_array()) {
    json out = json::array();
    for (auto& v : *a) out.push_back(biomed_json(v));
    return out;
  }
  if (auto s = n.value<std::string>(); s && n.is_string()) return *s;
  if (n.is_integer()) return *n.value<std::int64_t>();
  if (n.is_boolean()) return *n.value<bool>();
  if (n.is_floating_point()) {
    std::ostringstream os;
    os << *n.value<double>();
    return os.str();
  }
  return nullptr;
}

struct BiomedItem {
  std::string id, type, source, explanation, section, competency;
  json params;
};

std::vector<BiomedItem> biomed_items_of(const std::string& file) {
  toml::table t = toml::parse_file(kBiomedDir + file);
  std::vector<BiomedItem> out;
  for (auto& node : *t["item"].as_array()) {
    auto& it = *node.as_table();
    out.push_back({it["id"].value_or(std::string()), it["type"].value_or(std::string()), it["source"].value_or(std::string()),
                   it["explanation"].value_or(std::string()), it["section"].value_or(std::string()),
                   it["competency"].value_or(std::string()), biomed_json(*it["params"].node())});
  }
  return out;
}

void prepare(const BiomedItem& item) {
  CAPTURE(item.id, item.params.dump());
  if (item.type == "device-maintenance/electrical-safety") {
    REQUIRE_NOTHROW(device::ElectricalSafety::prepare(item.params));
  } else if (item.type == "device-maintenance/performance-verification") {
    REQUIRE_NOTHROW(device::PerformanceVerification::prepare(item.params));
  } else if (item.type == "device-maintenance/troubleshooting") {
    REQUIRE_NOTHROW(device::Troubleshooting::prepare(item.params));
  } else if (item.type == "device-maintenance/pm-planning") {
    REQUIRE_NOTHROW(device::PmPlanning::prepare(item.params));
  } else if (item.type == "device-maintenance/work-order") {
    REQUIRE_NOTHROW(device::WorkOrder::prepare(item.params));
  } else {
    REQUIRE(item.type.rfind("core-items/", 0) == 0);  // no other plugin is required by these files
  }
}

}  // namespace

TEST_CASE("the biomedical-technician assessments prepare and cite their sources", "[device-maintenance][assessments]") {
  auto file = GENERATE(as<std::string>{}, "screening.toml", "practice.toml");
  CAPTURE(file);
  auto items = biomed_items_of(file);
  REQUIRE_FALSE(items.empty());
  for (auto& item : items) {
    CAPTURE(item.id);
    prepare(item);
    if (item.type.rfind("device-maintenance/", 0) == 0) REQUIRE_FALSE(item.source.empty());
    if (file == "practice.toml") REQUIRE_FALSE(item.explanation.empty());
  }
}

TEST_CASE("the practice set repeats no screening item", "[device-maintenance][assessments]") {
  auto screening = biomed_items_of("screening.toml");
  auto practice = biomed_items_of("practice.toml");
  std::set<std::string> ids, params;
  for (auto& s : screening) {
    ids.insert(s.id);
    params.insert(s.params.dump());
  }
  for (auto& p : practice) {
    CAPTURE(p.id);
    REQUIRE_FALSE(ids.count(p.id));
    REQUIRE_FALSE(params.count(p.params.dump()));
  }
}

TEST_CASE("the screening pools hold 40 items or more, at least half performance tasks, over five competencies",
          "[device-maintenance][assessments]") {
  auto items = biomed_items_of("screening.toml");
  std::size_t tasks = 0;
  std::set<std::string> competencies;
  for (auto& i : items) {
    tasks += i.type.rfind("device-maintenance/", 0) == 0;
    competencies.insert(i.competency);
  }
  CHECK(items.size() >= 40);
  CHECK(2 * tasks >= items.size());
  CHECK(competencies.size() >= 5);
}

TEST_CASE("no shipped PM plan leaves life-support equipment out of scheduled maintenance, on any seed",
          "[device-maintenance][assessments][pm-planning]") {
  auto file = GENERATE(as<std::string>{}, "screening.toml", "practice.toml");
  CAPTURE(file);
  std::size_t plans = 0, life_support = 0;
  for (auto& item : biomed_items_of(file)) {
    if (item.type != "device-maintenance/pm-planning") continue;
    CAPTURE(item.id);
    ++plans;
    auto pm = device::PmPlanning::prepare(item.params);
    for (std::uint64_t seed = 1; seed <= 300; ++seed) {
      for (auto& d : pm.inventory(seed)) {
        if (!device::PmPlanning::is_life_support(d.name)) continue;
        CAPTURE(seed, d.name, d.em);
        ++life_support;
        REQUIRE(d.include);
      }
    }
  }
  REQUIRE(plans > 0);
  REQUIRE(life_support > 0);
}
