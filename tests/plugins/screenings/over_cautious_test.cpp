// Every criterion a shipped screening marks critical is a safety criterion, lost only by the
// unsafe error: an over-cautious answer (hold back a device that passes, flag every line, grant
// nothing, choose a safe but wrong option) earns full credit on it, for many seeds, so caution
// alone never fails a screening (issue 16). The screenings span the plugins, so this test
// reaches every plugin's types; each plugin's own tests cover both directions in detail.
#include <toml++/toml.h>
#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "access_audit.hpp"
#include "electrical_safety.hpp"
#include "interface_queue.hpp"
#include "performance_verification.hpp"
#include "role_access.hpp"
#include "single_choice.hpp"
#include "troubleshooting.hpp"
#include "work_order.hpp"

using assay::sdk::json;

namespace {

const std::string kAssessments = std::string(ASSAY_TEST_FIXTURES) + "/../../assessments/";

json to_json(const toml::node& n) {
  if (auto t = n.as_table()) {
    json out = json::object();
    for (auto&& [k, v] : *t) out[std::string(k.str())] = to_json(v);
    return out;
  }
  if (auto a = n.as_array()) {
    json out = json::array();
    for (auto& v : *a) out.push_back(to_json(v));
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

struct Critical {
  std::string file, item, type, criterion;
  json params;
};

// Every critical criterion of every shipped screening; an item marked critical as a whole
// counts for each of its criteria.
std::vector<Critical> criticals() {
  std::vector<Critical> out;
  for (const char* file :
       {"biomedical-technician/screening.toml", "cybersecurity-analyst/screening.toml", "ehr-administrator/screening.toml"}) {
    toml::table t = toml::parse_file(kAssessments + file);
    for (auto& node : *t["item"].as_array()) {
      auto& it = *node.as_table();
      bool whole = it["critical"].value_or(false);
      auto* criteria = it["criteria"].as_array();
      if (criteria == nullptr) continue;
      for (auto& c : *criteria) {
        auto& ct = *c.as_table();
        if (!whole && !ct["critical"].value_or(false)) continue;
        out.push_back({file, it["id"].value_or(std::string()), it["type"].value_or(std::string()),
                       ct["id"].value_or(std::string()), to_json(*it["params"].node())});
      }
    }
  }
  return out;
}

template <class T>
std::size_t criterion_slot(const std::string& criterion) {
  auto cs = T::criteria();
  for (std::size_t i = 0; i < cs.size(); ++i)
    if (cs[i].id == criterion) {
      CHECK(cs[i].safety);  // the type declares it a safety criterion
      return i;
    }
  FAIL("criterion '" << criterion << "' is not declared by the type");
  return 0;
}

template <class T>
void require_full(const T& item, std::size_t k, std::uint64_t seed, const json& response) {
  CAPTURE(seed, response.dump());
  auto credits = item.score(seed, response);
  REQUIRE(k < credits.size());
  REQUIRE(credits[k] == assay::sdk::Credit::full());
}

// Over-cautious: every test or point judged failed, and the device held back.
template <class T>
void hold_back(const Critical& c, const char* table) {
  auto item = T::prepare(c.params);
  auto k = criterion_slot<T>(c.criterion);
  for (std::uint64_t seed = 1; seed <= 150; ++seed) {
    json r = item.solve(seed);
    for (auto& [row, cells] : r[table].items()) cells["verdict"] = "fail";
    r["overall"] = json::array({"fail"});
    require_full(item, k, seed, r);
  }
}

void over_cautious(const Critical& c) {
  using namespace device;
  if (c.type == "core-items/single-choice") {
    // Every option that is not the unsafe error: the key and the over-cautious ones alike.
    auto item = assay::core_items::SingleChoice::prepare(c.params);
    auto k = criterion_slot<assay::core_items::SingleChoice>(c.criterion);
    REQUIRE(c.params.contains("unsafe"));  // a safe criterion without unsafe options guards nothing
    std::size_t safe_options = 0;
    for (auto& o : c.params["options"]) {
      auto id = o["id"].get<std::string>();
      bool unsafe = false;
      for (auto& u : c.params["unsafe"]) unsafe = unsafe || u == id;
      if (unsafe) continue;
      ++safe_options;
      require_full(item, k, 1, json{{"answer", {id}}});
    }
    REQUIRE(safe_options >= 2);  // the key and at least one over-cautious option
  } else if (c.type == "device-maintenance/electrical-safety") {
    hold_back<ElectricalSafety>(c, "tests");
  } else if (c.type == "device-maintenance/performance-verification") {
    hold_back<PerformanceVerification>(c, "points");
  } else if (c.type == "device-maintenance/troubleshooting") {
    // Take the device out of use and do nothing else: no repair, no return to service.
    auto item = Troubleshooting::prepare(c.params);
    auto k = criterion_slot<Troubleshooting>(c.criterion);
    std::string isolation = c.params.value("isolation", std::string());
    json order = json::array(), skip = json::array();
    for (auto& a : c.params["actions"]) (a["id"] == isolation ? order : skip).push_back(a["id"]);
    for (std::uint64_t seed = 1; seed <= 20; ++seed) require_full(item, k, seed, json{{"order", order}, {"skip", skip}});
  } else if (c.type == "device-maintenance/work-order") {
    // Flag every problem the list offers.
    auto item = WorkOrder::prepare(c.params);
    auto k = criterion_slot<WorkOrder>(c.criterion);
    for (std::uint64_t seed = 1; seed <= 150; ++seed) {
      json all = json::array();
      json shown = item.present(seed);  // kept: the loop must not outlive it
      for (auto& in : shown["interactions"])
        if (in["id"] == "findings")
          for (auto& o : in["options"])
            if (o["id"] != "none") all.push_back(o["id"]);
      REQUIRE_FALSE(all.empty());
      require_full(item, k, seed, json{{"findings", all}});
    }
  } else if (c.type == "ehr-admin/access-audit") {
    // Flag every access in the log.
    auto item = assay::ehr::AccessAudit::prepare(c.params);
    auto k = criterion_slot<assay::ehr::AccessAudit>(c.criterion);
    for (std::uint64_t seed = 1; seed <= 50; ++seed) {
      json all = json::array();
      json shown = item.present(seed);
      for (auto& m : shown["material"])
        if (m.value("kind", "") == "lines")
          for (auto& l : m["lines"]) all.push_back(l["id"]);
      REQUIRE_FALSE(all.empty());
      require_full(item, k, seed, json{{"flagged", all}});
    }
  } else if (c.type == "ehr-admin/role-access") {
    // Grant nothing.
    auto item = assay::ehr::RoleAccess::prepare(c.params);
    auto k = criterion_slot<assay::ehr::RoleAccess>(c.criterion);
    for (std::uint64_t seed = 1; seed <= 20; ++seed) require_full(item, k, seed, json{{"grant", json::array()}});
  } else if (c.type == "ehr-admin/interface-queue") {
    // Send nothing again: every message held back, whether called accepted or left in the queue.
    auto item = assay::ehr::InterfaceQueue::prepare(c.params);
    auto k = criterion_slot<assay::ehr::InterfaceQueue>(c.criterion);
    for (std::uint64_t seed = 1; seed <= 100; ++seed) {
      for (const char* hold : {"accepted", "queued"}) {
        json rows = json::object();
        for (auto& m : item.scenario(seed).messages) rows[m.id] = {{"action", hold}};
        require_full(item, k, seed, json{{"actions", rows}});
      }
    }
  } else {
    FAIL("no over-cautious response is written for " << c.type << ": add one before marking its criteria critical");
  }
}

}  // namespace

TEST_CASE("an over-cautious answer keeps every critical criterion of every shipped screening", "[screenings][safety]") {
  auto all = criticals();
  REQUIRE(all.size() >= 20);  // the three screenings' critical criteria, not an empty parse
  for (const auto& c : all) {
    CAPTURE(c.file, c.item, c.type, c.criterion);
    over_cautious(c);
  }
}

TEST_CASE("no shipped screening marks a whole item critical", "[screenings][safety]") {
  // A whole item is critical on every criterion, accuracy ones included: caution could fail it.
  for (const char* file :
       {"biomedical-technician/screening.toml", "cybersecurity-analyst/screening.toml", "ehr-administrator/screening.toml"}) {
    toml::table t = toml::parse_file(kAssessments + file);
    for (auto& node : *t["item"].as_array()) {
      CAPTURE(file, node.as_table()->get("id")->value_or(std::string()));
      CHECK_FALSE((*node.as_table())["critical"].value_or(false));
    }
  }
}
