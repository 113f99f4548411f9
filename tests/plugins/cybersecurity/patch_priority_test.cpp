// patch-priority: the policy applied to a hand-checked inventory, the pairwise order credit, the
// controls credit, refused params, and generated inventories checked against what they show.
#include "patch_priority.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <regex>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "cvss.hpp"
#include "item_checks.hpp"

#include "../sdk/seed_count.hpp"

using assay::cyber::PatchPriority;
using assay::sdk::Credit;
using assay::sdk::Decimal;
using assay::sdk::json;
using Catch::Matchers::Equals;

namespace {

json finding(const char* id, const char* kind, const char* vector, bool kev, const char* exposure, const char* criticality,
             bool patchable, bool service_needed = true) {
  json f = {{"id", id},
            {"asset", std::string("asset ") + id},
            {"kind", kind},
            {"vulnerability", "a finding"},
            {"vector", vector},
            {"known_exploited", kev},
            {"exposure", exposure},
            {"criticality", criticality},
            {"patchable", patchable}};
  if (!patchable) f["service_needed"] = service_needed;
  return f;
}

// Seven findings whose vectors all have published or hand-checked base scores (DOMAIN.md §1.1):
//   A 9.8 (NVD CVE-2014-0011)  B 4.3  C 8.8  D 7.8  E 5.9  F 8.1 (NVD CVE-2020-0601)  G 9.8
// C (an infusion pump) and E (an MRI workstation) cannot be patched.
json inventory() {
  return json::array({
      finding("A", "server", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", false, "internal", "high", true),
      finding("B", "server", "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N", true, "internet", "medium", true),
      finding("C", "medical-device", "CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", true, "internal", "high", false, false),
      finding("D", "workstation", "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", false, "internal", "low", true),
      finding("E", "medical-device", "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N", false, "segmented", "high", false, true),
      finding("F", "server", "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:N", false, "internal", "medium", true),
      finding("G", "workstation", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", false, "internal", "low", true),
  });
}

PatchPriority with_policy(std::vector<std::string> policy) {
  return PatchPriority::prepare({{"policy", policy}, {"inventory", inventory()}});
}

const std::vector<std::string> kFullPolicy = {"known-exploited", "exposure", "cvss", "clinical-criticality"};

json full_controls() { return {{"controls-C", {"segment", "disable-service", "monitor"}}, {"controls-E", {"monitor"}}}; }

}  // namespace

TEST_CASE("patch-priority examples score as declared and survive a key flip", "[cybersecurity][patch-priority]") {
  cyber_test::check_examples<PatchPriority>();
}

TEST_CASE("patch-priority scores the inventory's vectors as published", "[cybersecurity][patch-priority]") {
  auto [id, score] = GENERATE(table<std::string, std::string>(
      {{"A", "9.8"}, {"B", "4.3"}, {"C", "8.8"}, {"D", "7.8"}, {"E", "5.9"}, {"F", "8.1"}, {"G", "9.8"}}));
  CAPTURE(id);
  for (const auto& f : inventory()) {
    if (f["id"] != id) continue;
    auto v = assay::cyber::cvss::try_parse(f["vector"].get<std::string>());
    REQUIRE(v);
    REQUIRE(assay::cyber::cvss::base_score(*v.vector) == *Decimal::parse(score));
  }
}

TEST_CASE("patch-priority applies the stated policy rule by rule", "[cybersecurity][patch-priority]") {
  auto [policy, order] = GENERATE(table<std::vector<std::string>, std::vector<std::string>>({
      // Known exploited: B (internet) before C (internal). The rest are internal but E (segmented);
      // A and G tie at 9.8 and criticality puts A (high) before G (low); then F 8.1, D 7.8.
      {kFullPolicy, {"B", "C", "A", "G", "F", "D", "E"}},
      // By score: A and G at 9.8 (criticality breaks the tie), C 8.8, F 8.1, D 7.8, E 5.9, B 4.3.
      {{"cvss", "clinical-criticality"}, {"A", "G", "C", "F", "D", "E", "B"}},
      // High: A, C (internal, tied: inventory order), E (segmented); medium: B (internet), F; low: D, G.
      {{"clinical-criticality", "exposure"}, {"A", "C", "E", "B", "F", "D", "G"}},
      // Ties keep the inventory's order.
      {{"exposure"}, {"B", "A", "C", "D", "F", "G", "E"}},
  }));
  CAPTURE(policy);
  REQUIRE(with_policy(policy).key_order(1) == order);
}

TEST_CASE("patch-priority credits the pairs put the policy's way round", "[cybersecurity][patch-priority]") {
  SECTION("the full policy orders all 21 pairs strictly") {
    auto item = with_policy(kFullPolicy);
    auto [order, credit] = GENERATE(table<std::vector<std::string>, Credit>({
        {{"B", "C", "A", "G", "F", "D", "E"}, {21, 21}},
        {{"B", "C", "G", "A", "F", "D", "E"}, {20, 21}},  // one adjacent pair swapped
        {{"A", "G", "C", "F", "D", "E", "B"}, {13, 21}},  // B last: 6 pairs wrong; C after A and G: 2
        {{"E", "D", "F", "G", "A", "C", "B"}, {0, 21}},   // reversed
    }));
    CAPTURE(order);
    json response = full_controls();
    response["order"] = order;
    auto credits = item.score(1, response);
    REQUIRE(credits[0] == credit);
    REQUIRE(credits[1] == Credit::full());
  }
  SECTION("pairs the policy ties are not counted") {
    // Exposure alone: B (internet) against the five internal findings and E (6 pairs), the five
    // internal ones against E (5 pairs); the 10 pairs among the internal ones are ties.
    auto item = with_policy({"exposure"});
    auto [order, credit] = GENERATE(table<std::vector<std::string>, Credit>({
        {{"B", "G", "F", "D", "C", "A", "E"}, {11, 11}},
        {{"G", "F", "D", "C", "A", "B", "E"}, {6, 11}},  // B after the five internal ones
    }));
    CAPTURE(order);
    REQUIRE(item.score(1, {{"order", order}})[0] == credit);
  }
  SECTION("an unanswered order earns nothing and a partial one is refused") {
    auto item = with_policy(kFullPolicy);
    REQUIRE(item.score(1, full_controls())[0] == Credit::none());
    try {
      (void)item.score(1, {{"order", {"B", "C", "A", "G", "F", "D"}}});
      FAIL("a response missing a finding was scored");
    } catch (const assay::sdk::ResponseError& e) {
      REQUIRE_THAT(e.what(), Equals("'order': finding 'E' is missing; order every finding"));
    }
  }
}

TEST_CASE("patch-priority credits the controls the rules require and never patching", "[cybersecurity][patch-priority]") {
  // Default rules: segment when exposed (C is on the hospital network, E already segmented),
  // disable the service when it is not needed clinically (C's is not, E's is), always monitor;
  // asking the manufacturer is optional; patching is forbidden. Required: C/segment,
  // C/disable-service, C/monitor, E/monitor.
  auto item = with_policy(kFullPolicy);
  REQUIRE(item.key_controls(1) ==
          std::map<std::string, std::set<std::string>>{{"C", {"segment", "disable-service", "monitor"}}, {"E", {"monitor"}}});
  auto [c, e, credit] = GENERATE(table<std::vector<std::string>, std::vector<std::string>, Credit>({
      {{"segment", "disable-service", "monitor"}, {"monitor"}, {1, 1}},
      {{"segment", "monitor"}, {"monitor"}, {3, 4}},
      {{"segment", "disable-service", "monitor", "vendor"}, {"monitor", "vendor"}, {1, 1}},  // optional
      {{"segment", "disable-service", "monitor"}, {"monitor", "segment"}, {3, 4}},           // E is segmented already
      {{"segment", "disable-service", "monitor"}, {"monitor", "disable-service"}, {3, 4}},   // E needs its service
      {{"segment", "disable-service", "monitor", "patch"}, {"monitor"}, {0, 1}},
      {{}, {}, {0, 1}},
  }));
  CAPTURE(c, e);
  auto scored = item.score(1, {{"controls-C", c}, {"controls-E", e}});
  REQUIRE(scored[1] == credit);
  // Only choosing patching, the forbidden control, loses the safety criterion.
  bool patched = std::find(c.begin(), c.end(), "patch") != c.end();
  REQUIRE(scored[2] == (patched ? Credit::none() : Credit::full()));
  REQUIRE(PatchPriority::criteria()[2].safety);
  SECTION("and say what was missed or not allowed") {
    auto fb = item.feedback(1, {{"controls-C", {"patch", "monitor"}}, {"controls-E", {"monitor"}}});
    REQUIRE_THAT(fb, Catch::Contains("C: missed \"Move it to an isolated clinical VLAN that allows only the flows it needs\""));
    REQUIRE_THAT(fb, Catch::Contains("C: \"Install the operating system's security update yourself\" is not allowed: the "
                                     "manufacturer does not let the hospital patch this asset (the unsafe error)"));
  }
}

TEST_CASE("patch-priority refuses bad params at their key path", "[cybersecurity][patch-priority]") {
  auto with = [](json f) {
    json inv = inventory();
    inv[1] = std::move(f);
    return json{{"policy", kFullPolicy}, {"inventory", inv}}.dump();
  };
  auto [params, pointer, message] = GENERATE_REF(table<std::string, std::string, std::string>({
      {with(finding("X", "server", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:Z", false, "internal", "low", true)),
       "/inventory/1/vector", "invalid vector: metric 'A' has no value 'Z' (expected one of H, L, N)"},
      {with(finding("X", "server", "CVSS:3.1/AV:N/AC:L/PR:N/S:U/C:H/I:H/A:H", false, "internal", "low", true)),
       "/inventory/1/vector", "invalid vector: missing base metric 'UI'"},
      {with(finding("X", "server", "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", false, "internal", "low", true)),
       "/inventory/1/vector", "invalid vector: expected the prefix 'CVSS:3.1/', found 'CVSS:3.0'"},
      {with(finding("A", "server", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", false, "internal", "low", true)),
       "/inventory/1/id", "finding id 'A' is used twice"},
      {with(finding("X", "server", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", false, "dmz", "low", true)),
       "/inventory/1/exposure", "expected one of 'internet', 'internal', 'segmented', found \"dmz\""},
      {R"({"policy": ["cvss", "age"]})", "/policy/1",
       "expected one of 'known-exploited', 'exposure', 'cvss', 'clinical-criticality', found \"age\""},
      {R"({"policy": ["cvss", "exposure", "cvss"]})", "/policy/2", "policy rule 'cvss' is listed twice"},
      {R"({"policy": []})", "/policy", "expected at least one policy rule"},
      {R"({"generate": {}})", "", "missing required key 'policy'"},
      {R"({"policy": ["cvss"], "colour": 1})", "/colour", "unknown parameter 'colour'"},
      {R"({"policy": ["cvss"], "control_rules": {"scan": "always"}})", "/control_rules/scan", "no control has the id 'scan'"},
      {R"({"policy": ["cvss"], "control_rules": {"patch": "never"}})", "/control_rules/patch",
       "expected one of 'always', 'if-exposed', 'if-service-unneeded', 'optional', 'forbidden', found \"never\""},
      {R"({"policy": ["cvss"], "controls": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}]})", "/controls",
       "give 'control_rules' with 'controls': the rule for each control is the key"},
      {R"({"policy": ["cvss"], "controls": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}], "control_rules": {"a": "always"}})",
       "/control_rules", "missing a rule for control 'b'"},
      {R"({"policy": ["cvss"], "generate": {"findings": {"min": 3, "max": 20}}})", "/generate/findings/max",
       "expected an integer from 2 to 15, found 20"},
      {R"({"policy": ["cvss"], "generate": {"findings": {"min": 3, "max": 5}, "unpatchable": {"min": 4, "max": 4}}})",
       "/generate/unpatchable/min", "expected at most findings.min (3), found 4"},
      {R"({"policy": ["cvss"], "generate": {"findings": {"min": 8, "max": 12}, "unpatchable": {"min": 1, "max": 2}}})",
       "/generate/findings/max", "expected at most unpatchable.max + 9 (the generator has 9 patchable assets), found 12"},
      {R"({"policy": ["cvss"], "generate": {"findings": {"min": 6, "max": 5}}})", "/generate/findings/min",
       "expected min <= max, found min 6 and max 5"},
      {R"({"policy": ["cvss"], "generate": {"known_exploited_percent": 120}})", "/generate/known_exploited_percent",
       "expected an integer from 0 to 100, found 120"},
  }));
  CAPTURE(params);
  std::string at = "unset";
  REQUIRE_THAT(cyber_test::prepare_error<PatchPriority>(json::parse(params), &at), Equals(message));
  REQUIRE(at == pointer);
}

TEST_CASE("patch-priority needs to know whether an unpatchable asset's service is needed", "[cybersecurity][patch-priority]") {
  json inv = inventory();
  inv[2].erase("service_needed");
  std::string at = "unset";
  REQUIRE_THAT(cyber_test::prepare_error<PatchPriority>({{"policy", kFullPolicy}, {"inventory", inv}}, &at),
               Equals("an unpatchable finding needs 'service_needed', whether its service is needed clinically"));
  REQUIRE(at == "/inventory/2");
  inv = json::array({inventory()[0]});
  REQUIRE_THAT(cyber_test::prepare_error<PatchPriority>({{"policy", kFullPolicy}, {"inventory", inv}}, &at),
               Equals("expected at least two findings to order"));
  REQUIRE(at == "/inventory");
  json both = {{"policy", kFullPolicy}, {"inventory", inventory()}, {"generate", json::object()}};
  REQUIRE_THAT(cyber_test::prepare_error<PatchPriority>(both, &at), Equals("give either 'inventory' or 'generate', not both"));
  REQUIRE(at == "/generate");
}

TEST_CASE("patch-priority keys follow the generated inventory across seeds", "[cybersecurity][patch-priority]") {
  auto [generate, findings_min, findings_max, unpatchable_min, unpatchable_max] =
      GENERATE(table<std::string, int, int, int, int>({
          {R"({})", 6, 8, 1, 3},
          {R"({"findings": {"min": 2, "max": 4}, "unpatchable": {"min": 0, "max": 2}})", 2, 4, 0, 2},
          {R"({"findings": {"min": 12, "max": 15}, "unpatchable": {"min": 6, "max": 6}, "known_exploited_percent": 60})", 12, 15,
           6, 6},
      }));
  CAPTURE(generate);
  auto item = PatchPriority::prepare({{"policy", kFullPolicy}, {"generate", json::parse(generate)}});
  const std::map<std::string, int> exposure_rank = {{"internet-facing", 0}, {"hospital network", 1}, {"segmented VLAN", 2}};
  const std::map<std::string, int> criticality_rank = {{"high", 0}, {"medium", 1}, {"low", 2}};
  const std::regex decimal("[0-9]\\.[0-9]");
  for (std::uint64_t seed = 1; seed <= assay::test::seed_count(200); ++seed) {
    CAPTURE(seed);
    auto shown = item.present(seed);
    const auto& rows = shown["material"][1]["rows"];
    REQUIRE(static_cast<int>(rows.size()) >= findings_min);
    REQUIRE(static_cast<int>(rows.size()) <= findings_max);

    // The policy's order, recomputed from what the table shows.
    using Rank = std::tuple<int, int, Decimal, int>;
    std::map<std::string, Rank> rank;
    std::set<std::string> locked;
    std::map<std::string, std::set<std::string>> required;
    for (const auto& r : rows) {
      auto id = r[0].get<std::string>();
      auto v = assay::cyber::cvss::try_parse(r[4].get<std::string>());
      REQUIRE(v);
      rank[id] = {r[5] == "yes" ? 0 : 1, exposure_rank.at(r[6].get<std::string>()), -assay::cyber::cvss::base_score(*v.vector),
                  criticality_rank.at(r[7].get<std::string>())};
      if (r[8] == "manufacturer does not allow patching") {
        locked.insert(id);
        auto& req = required[id];
        req.insert("monitor");
        if (r[6] != "segmented VLAN") req.insert("segment");
        if (r[9] == "no") req.insert("disable-service");
      }
    }
    REQUIRE(static_cast<int>(locked.size()) >= unpatchable_min);
    REQUIRE(static_cast<int>(locked.size()) <= unpatchable_max);
    auto order = item.key_order(seed);
    REQUIRE(order.size() == rows.size());
    REQUIRE(std::set<std::string>(order.begin(), order.end()).size() == rows.size());
    for (std::size_t i = 1; i < order.size(); ++i) REQUIRE_FALSE(rank.at(order[i]) < rank.at(order[i - 1]));
    REQUIRE(item.key_controls(seed) == required);

    // One controls question per locked asset, and no base score anywhere in the presentation.
    std::set<std::string> asked;
    for (const auto& in : shown["interactions"]) {
      auto id = in["id"].get<std::string>();
      if (id.rfind("controls-", 0) == 0) asked.insert(id.substr(9));
    }
    REQUIRE(asked == locked);
    auto text = shown.dump();
    for (auto pos = text.find("3.1"); pos != std::string::npos; pos = text.find("3.1")) text.replace(pos, 3, "v");
    REQUIRE_FALSE(std::regex_search(text, decimal));

    REQUIRE(cyber_test::all_full(item.score(seed, item.solve(seed))));
    REQUIRE(item.present(seed) == shown);
    REQUIRE(item.solve(seed) == item.solve(seed));
  }
}

TEST_CASE("patch-priority pins each generated finding to an asset that runs the service", "[cybersecurity][patch-priority]") {
  // No DICOM listener on the VPN gateway, no Remote Desktop on an infusion pump (issue 16).
  auto item = PatchPriority::prepare(
      {{"policy", kFullPolicy},
       {"generate", {{"findings", {{"min", 12}, {"max", 15}}}, {"unpatchable", {{"min", 6}, {"max", 6}}}}}});
  auto never = [](const std::string& asset, const std::string& vulnerability) {
    auto on = [&](const char* a) { return asset.find(a) != std::string::npos; };
    auto is = [&](const char* v) { return vulnerability.find(v) != std::string::npos; };
    if (is("DICOM")) return !(on("PACS") || on("CT-") || on("US-") || on("MRI") || on("RAD"));
    if (is("Remote Desktop")) return on("PUMP") || on("VPN") || on("PORTAL") || on("MON-");
    if (is("SMBv1")) return on("PUMP") || on("VPN") || on("PORTAL") || on("MON-");
    if (is("Telnet")) return !(on("PUMP") || on("LAB-AN"));
    if (is("operating system")) return on("PUMP") || on("VPN");
    return false;
  };
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    CAPTURE(seed);
    for (const auto& f : item.inventory(seed)) {
      CAPTURE(f.asset, f.vulnerability);
      CHECK_FALSE(never(f.asset, f.vulnerability));
    }
  }
}
