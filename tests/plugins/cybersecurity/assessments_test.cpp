// The shipped cybersecurity-analyst assessments: every plugin item prepares and solves with this
// plugin over many seeds, items resting on a standard cite it, and the practice set shares
// nothing with the screening.
#include <toml++/toml.h>

#include <catch2/catch.hpp>
#include <charconv>
#include <map>
#include <set>

#include "cvss_score.hpp"
#include "item_checks.hpp"
#include "log_triage.hpp"
#include "patch_priority.hpp"
#include "phishing_triage.hpp"
#include "segmentation_rules.hpp"

using assay::sdk::json;

namespace {

const std::string kCyberDir = std::string(ASSAY_TEST_FIXTURES) + "/../../assessments/cybersecurity-analyst/";

// TOML -> JSON as the engine converts params (floats as their shortest decimal text).
json cyber_json(const toml::node& n) {
  if (auto s = n.as_string()) return s->get();
  if (auto i = n.as_integer()) return i->get();
  if (auto b = n.as_boolean()) return b->get();
  if (auto f = n.as_floating_point()) {
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, f->get());
    return std::string(buf, r.ptr);
  }
  if (auto a = n.as_array()) {
    json out = json::array();
    for (const auto& e : *a) out.push_back(cyber_json(e));
    return out;
  }
  if (auto t = n.as_table()) {
    json out = json::object();
    for (const auto& [k, v] : *t) out[std::string(k.str())] = cyber_json(v);
    return out;
  }
  return nullptr;
}

struct CyberItem {
  std::string id, type, source, explanation, competency;
  json params;
};

std::vector<CyberItem> cyber_items_of(const std::string& file, toml::table& root) {
  root = toml::parse_file(kCyberDir + file);
  std::vector<CyberItem> out;
  for (const auto& node : *root["item"].as_array()) {
    const auto& t = *node.as_table();
    CyberItem it;
    it.id = t["id"].value_or(std::string());
    it.type = t["type"].value_or(std::string());
    it.source = t["source"].value_or(std::string());
    it.explanation = t["explanation"].value_or(std::string());
    it.competency = t["competency"].value_or(std::string());
    it.params = t.contains("params") ? cyber_json(*t.get("params")) : json::object();
    out.push_back(std::move(it));
  }
  return out;
}

template <class T>
void solves(const json& params) {
  auto item = T::prepare(params);
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    CAPTURE(seed);
    auto shown = item.present(seed);
    REQUIRE(shown == item.present(seed));
    REQUIRE(cyber_test::all_full(item.score(seed, item.solve(seed))));
  }
}

void check_plugin_item(const CyberItem& it) {
  CAPTURE(it.id);
  REQUIRE_FALSE(it.source.empty());
  if (it.type == "cybersecurity/cvss-score") {
    solves<assay::cyber::CvssScore>(it.params);
  } else if (it.type == "cybersecurity/log-triage") {
    solves<assay::cyber::LogTriage>(it.params);
  } else if (it.type == "cybersecurity/segmentation-rules") {
    solves<assay::cyber::SegmentationRules>(it.params);
  } else if (it.type == "cybersecurity/phishing-triage") {
    solves<assay::cyber::PhishingTriage>(it.params);
  } else if (it.type == "cybersecurity/patch-priority") {
    solves<assay::cyber::PatchPriority>(it.params);
  } else {
    FAIL("unknown cybersecurity type " << it.type);
  }
}

}  // namespace

TEST_CASE("the cybersecurity screening meets its blueprint", "[cybersecurity][assessments]") {
  toml::table root;
  auto items = cyber_items_of("screening.toml", root);
  REQUIRE(root["assessment"]["kind"].value_or(std::string()) == "screening");
  std::size_t performance = 0;
  std::set<std::string> competencies;
  for (const auto& it : items) {
    competencies.insert(it.competency);
    if (it.type.rfind("cybersecurity/", 0) == 0) {
      ++performance;
      check_plugin_item(it);
    }
  }
  REQUIRE(items.size() >= 40);
  REQUIRE(performance * 2 >= items.size());
  REQUIRE(competencies.size() >= 5);
}

TEST_CASE("the cybersecurity practice set explains every item and shares nothing with the screening",
          "[cybersecurity][assessments]") {
  toml::table screening_root, practice_root;
  auto screening = cyber_items_of("screening.toml", screening_root);
  auto practice = cyber_items_of("practice.toml", practice_root);
  REQUIRE(practice_root["assessment"]["kind"].value_or(std::string()) == "practice");
  std::set<std::string> screening_ids;
  std::set<std::string> screening_params;
  for (const auto& it : screening) {
    screening_ids.insert(it.id);
    screening_params.insert(it.params.dump());
  }
  for (const auto& it : practice) {
    CAPTURE(it.id);
    REQUIRE_FALSE(it.explanation.empty());
    REQUIRE(screening_ids.count(it.id) == 0);
    REQUIRE(screening_params.count(it.params.dump()) == 0);
    if (it.type.rfind("cybersecurity/", 0) == 0) check_plugin_item(it);
  }
}

TEST_CASE("the authored remediation inventories are keyed as worked by hand", "[cybersecurity][assessments]") {
  using Controls = std::map<std::string, std::set<std::string>>;
  auto [file, id, order, controls] = GENERATE(table<std::string, std::string, std::vector<std::string>, Controls>({
      // P2, P4 known exploited (P2 internet-facing); P1 9.8 and P3 8.8 internal; P5 segmented.
      {"screening.toml",
       "pp-author-imaging",
       {"P2", "P4", "P1", "P3", "P5"},
       {{"P3", {"segment", "disable-service", "monitor"}}, {"P5", {"monitor"}}}},
      // I1 known exploited; I4 7.8 and I2 6.1 internal; I3 segmented.
      {"practice.toml",
       "p-pp-author-icu",
       {"I1", "I4", "I2", "I3"},
       {{"I1", {"segment", "monitor"}}, {"I3", {"disable-service", "monitor"}}}},
  }));
  CAPTURE(file, id);
  toml::table root;
  bool found = false;
  for (const auto& it : cyber_items_of(file, root)) {
    if (it.id != id) continue;
    found = true;
    auto item = assay::cyber::PatchPriority::prepare(it.params);
    REQUIRE(item.key_order(1) == order);
    REQUIRE(item.key_controls(1) == controls);
  }
  REQUIRE(found);
}
