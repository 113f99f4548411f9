#include "segmentation_rules.hpp"

#include <catch2/catch.hpp>

#include "item_checks.hpp"

using assay::cyber::SegmentationRules;
using assay::sdk::json;
using Catch::Matchers::Equals;

namespace {

json networks() {
  return json::array({{{"name", "modalities"}, {"cidr", "10.20.6.0/24"}},
                      {{"name", "pacs"}, {"cidr", "10.20.30.0/24"}},
                      {{"name", "ehr"}, {"cidr", "10.20.40.0/24"}},
                      {{"name", "guest-wifi"}, {"cidr", "172.16.0.0/16"}}});
}

}  // namespace

TEST_CASE("segmentation-rules examples score as declared and survive a key flip", "[cybersecurity][segmentation-rules]") {
  cyber_test::check_examples<SegmentationRules>();
}

TEST_CASE("segmentation-rules refuses bad params at their key path", "[cybersecurity][segmentation-rules]") {
  auto [params, pointer, message] = GENERATE(table<std::string, std::string, std::string>({
      {R"({"mode": "judge", "networks": [{"name": "pacs", "cidr": "10.20.30.0/24"}, {"name": "ehr", "cidr": "10.20.400.0/24"}], "rules": []})",
       "/networks/1/cidr", "invalid CIDR '10.20.400.0/24': octet 400 is out of 0-255"},
      {R"({"mode": "judge", "networks": [{"name": "pacs", "cidr": "10.20.30.0/24"}], "rules": ["allow tcp from any to pacs port 104", "allow tcp from 10.20.6.0/40 to pacs"]})",
       "/rules/1", "invalid CIDR '10.20.6.0/40': prefix length 40 is out of 0-32"},
      {R"({"mode": "judge", "networks": [{"name": "pacs", "cidr": "10.20.30.0/24"}, {"name": "pacs", "cidr": "10.20.31.0/24"}], "rules": []})",
       "/networks/1/name", "network 'pacs' is defined twice"},
      {R"({"mode": "judge", "networks": [{"name": "pacs", "cidr": "10.20.30.0/24"}], "rules": [], "flows": [{"from": "pacs", "to": "lab", "port": 80}]})",
       "/flows/0/to", "expected a network name or an IPv4 address, found \"lab\""},
      {R"({"mode": "write", "networks": [{"name": "pacs", "cidr": "10.20.30.0/24"}], "requirement": "r", "required": [{"from": "pacs", "to": "pacs", "port": 104}], "forbidden": [{"from": "pacs", "to": "pacs", "port": 104}]})",
       "/forbidden/0", "this flow is also required"},
      {R"({"mode": "write", "networks": [{"name": "pacs", "cidr": "10.20.30.0/24"}], "requirement": "r", "required": [], "forbidden": [], "rules": []})",
       "/rules", "'rules' belongs to mode \"judge\""},
      {R"({"mode": "judge", "model": "last-match", "networks": [{"name": "pacs", "cidr": "10.20.30.0/24"}], "rules": []})",
       "/model", "expected one of 'first-match', found \"last-match\""},
      {R"({"mode": "judge", "credit": "half", "networks": [{"name": "pacs", "cidr": "10.20.30.0/24"}], "rules": []})", "/credit",
       "expected one of 'per-flow', 'all-or-nothing', found \"half\""},
  }));
  CAPTURE(params);
  std::string at = "unset";
  REQUIRE_THAT(cyber_test::prepare_error<SegmentationRules>(json::parse(params), &at), Equals(message));
  REQUIRE(at == pointer);
}

TEST_CASE("segmentation-rules generated flows are keyed by replay across seeds", "[cybersecurity][segmentation-rules]") {
  auto item = SegmentationRules::prepare(
      {{"mode", "judge"},
       {"networks", networks()},
       {"rules",
        {"allow tcp from modalities to pacs port 104", "deny any from guest-wifi to any", "allow tcp from any to ehr port 443"}},
       {"flow_count", {{"min", 6}, {"max", 10}}}});
  std::size_t allowed = 0, total = 0;
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    CAPTURE(seed);
    auto shown = item.present(seed);
    auto cs = item.cases(seed);
    REQUIRE(cs.size() >= 6);
    REQUIRE(cs.size() <= 10);
    const auto& rows = shown["interactions"][0]["rows"];
    REQUIRE(rows.size() == cs.size());
    for (std::size_t i = 0; i < cs.size(); ++i) {
      REQUIRE(rows[i]["label"] == cs[i].first.describe());
      allowed += cs[i].second ? 1 : 0;
      ++total;
    }
    auto text = shown.dump();
    REQUIRE(text.find("\"allow\"") != std::string::npos);  // the option id, present in every item
    REQUIRE(text.find("verdict\":\"allow") == std::string::npos);
    REQUIRE(cyber_test::all_full(item.score(seed, item.solve(seed))));
    REQUIRE(item.present(seed) == shown);
  }
  // Generated flows aim at openings half of the time: both verdicts are common.
  REQUIRE(allowed * 5 > total);
  REQUIRE((total - allowed) * 5 > total);
}

TEST_CASE("segmentation-rules write mode replays the candidate's rules", "[cybersecurity][segmentation-rules]") {
  const json item_params = {
      {"mode", "write"},
      {"networks", networks()},
      {"requirement", "Modalities reach the PACS on DICOM 104 only."},
      {"required", {{{"from", "modalities"}, {"to", "pacs"}, {"port", 104}}}},
      {"forbidden",
       {{{"from", "modalities"}, {"to", "ehr"}, {"port", 104}}, {{"from", "guest-wifi"}, {"to", "pacs"}, {"port", 104}}}}};
  auto item = SegmentationRules::prepare(item_params);
  SECTION("allow-all passes the required flow and fails both forbidden ones") {
    REQUIRE(item.score(3, {{"rules", "allow any from any to any"}})[0] == assay::sdk::Credit{1, 3});
  }
  SECTION("all-or-nothing marking gives a rule set with one wrong flow nothing") {
    json params = item_params;
    params["credit"] = "all-or-nothing";
    auto strict = SegmentationRules::prepare(params);
    REQUIRE(strict.score(3, {{"rules", ""}})[0] == assay::sdk::Credit::none());
    REQUIRE(strict.score(3, {{"rules", "allow tcp from modalities to pacs port 104"}})[0] == assay::sdk::Credit::full());
    REQUIRE(strict.present(3) == item.present(3));
  }
  SECTION("an empty rule set denies everything") { REQUIRE(item.score(3, {{"rules", ""}})[0] == assay::sdk::Credit{2, 3}); }
  SECTION("a rule set that does not parse is malformed, and the message says where") {
    // It earned nothing before; now the candidate is told while they can fix it.
    json bad = {{"rules", "allow tcp from modalities to pacs port 104\nallow tcp from 10.20.6.0/24 to 10.20.30.300 port 104"}};
    REQUIRE_THROWS_AS(item.score(3, bad), assay::sdk::ResponseError);
    REQUIRE_THROWS_WITH(item.feedback(3, bad), Catch::Contains("line 2: invalid CIDR '10.20.30.300': octet 300 is out of 0-255"));
  }
  SECTION("the requirement is shown, the test flows are not") {
    auto text = item.present(3).dump();
    REQUIRE(text.find("DICOM 104 only") != std::string::npos);
    for (const auto& [flow, allowed] : item.cases(3)) {
      (void)allowed;
      REQUIRE(text.find(assay::cyber::firewall::ip_to_string(flow.from)) == std::string::npos);
    }
  }
}

TEST_CASE("segmentation-rules refuses a rule that does not parse, naming its line",
          "[cybersecurity][segmentation-rules][malformed]") {
  auto item = SegmentationRules::prepare({{"mode", "write"},
                                          {"networks", networks()},
                                          {"requirement", "Modalities reach the PACS on DICOM 104 only."},
                                          {"required", {{{"from", "modalities"}, {"to", "pacs"}, {"port", 104}}}},
                                          {"forbidden", {{{"from", "guest-wifi"}, {"to", "pacs"}, {"port", 104}}}}});
  json permit = {{"rules", "allow tcp from modalities to pacs port 104\n# vendor syntax below\npermit any from any to any"}};
  REQUIRE(cyber_test::malformed_message(item, 3, permit) ==
          "the rule set does not parse: line 3: expected 'allow' or 'deny', found 'permit'; write one rule per line as "
          "allow|deny tcp|udp|any from <network|address|CIDR|any> to <network|address|CIDR|any> [port <n>|<n-m>]");
  // Keywords and network names in capitals are the same rules.
  REQUIRE(item.score(3, {{"rules", "ALLOW TCP FROM MODALITIES TO PACS PORT 104"}}) ==
          item.score(3, {{"rules", "allow tcp from modalities to pacs port 104"}}));
}

TEST_CASE("segmentation-rules refuses a flow table with an empty verdict cell",
          "[cybersecurity][segmentation-rules][malformed]") {
  auto item = SegmentationRules::prepare({{"mode", "judge"},
                                          {"networks", networks()},
                                          {"rules", {"allow tcp from modalities to pacs port 104"}},
                                          {"flows",
                                           {{{"from", "modalities"}, {"to", "pacs"}, {"port", 104}},
                                            {{"from", "10.20.6.7"}, {"to", "10.20.40.9"}, {"port", 443}}}}});
  SECTION("a row left out or a cell left blank is malformed, naming the flow") {
    std::string expected = "cell Verdict of flow f2 (tcp 10.20.6.7 -> 10.20.40.9 port 443) is empty: choose Allowed or Denied";
    REQUIRE(cyber_test::malformed_message(item, 1, {{"flows", {{"f1", {{"verdict", "allow"}}}}}}) == expected);
    REQUIRE(cyber_test::malformed_message(item, 1, {{"flows", {{"f1", {{"verdict", "allow"}}}, {"f2", {{"verdict", ""}}}}}}) ==
            expected);
    REQUIRE(cyber_test::malformed_message(item, 1, {{"flows", {{"f1", {{"verdict", "allow"}}}, {"f2", json::object()}}}}) ==
            expected);
  }
  SECTION("a verdict that is not an option, or a flow that is not shown, is malformed") {
    REQUIRE(
        cyber_test::malformed_message(item, 1, {{"flows", {{"f1", {{"verdict", "allow"}}}, {"f2", {{"verdict", "drop"}}}}}}) ==
        "cell Verdict of flow f2 (tcp 10.20.6.7 -> 10.20.40.9 port 443): expected \"allow\" or \"deny\", found \"drop\"; "
        "choose Allowed or Denied");
    REQUIRE(cyber_test::malformed_message(item, 1, {{"flows", {{"f3", {{"verdict", "allow"}}}}}}) ==
            "'flows': there is no flow f3; the flows are f1 to f2");
  }
  SECTION("an unanswered table is no answer, and a full one is scored") {
    REQUIRE(item.score(1, json::object())[0] == assay::sdk::Credit::none());
    REQUIRE(item.score(1, {{"flows", json::object()}})[0] == assay::sdk::Credit::none());
    REQUIRE(item.score(1, {{"flows", {{"f1", {{"verdict", "Allow"}}}, {"f2", {{"verdict", "allow"}}}}}})[0] ==
            assay::sdk::Credit{1, 2});
  }
}

TEST_CASE("segmentation-rules: a missed exposure loses no-exposure, blocking too much does not",
          "[cybersecurity][segmentation-rules][safety]") {
  const json item_params = {
      {"mode", "write"},
      {"networks", networks()},
      {"requirement", "Modalities reach the PACS on DICOM 104 only."},
      {"required", {{{"from", "modalities"}, {"to", "pacs"}, {"port", 104}}}},
      {"forbidden",
       {{{"from", "modalities"}, {"to", "ehr"}, {"port", 104}}, {{"from", "guest-wifi"}, {"to", "pacs"}, {"port", 104}}}}};
  auto item = SegmentationRules::prepare(item_params);
  REQUIRE(SegmentationRules::criteria().size() == 2);
  CHECK(SegmentationRules::criteria()[1].safety);
  using assay::sdk::Credit;
  CHECK(item.score(3, {{"rules", "allow any from any to any"}})[1] == Credit::none());  // forbidden flows get through
  CHECK(item.score(3, {{"rules", ""}})[1] == Credit::full());  // the required flow blocked: over-cautious
  CHECK(item.score(3, {{"rules", ""}})[0] == Credit{2, 3});
  CHECK_THAT(item.feedback(3, {{"rules", ""}}), Catch::Matchers::Contains("over-cautious, not unsafe"));
  CHECK_THAT(item.feedback(3, {{"rules", "allow any from any to any"}}),
             Catch::Matchers::Contains("unsafe: a flow that must be denied gets through"));
}

TEST_CASE("segmentation-rules judges only flows between two networks", "[cybersecurity][segmentation-rules][property]") {
  // Two hosts of one network do not cross the firewall between segments: such a flow has no
  // verdict to judge (issue 16: traffic inside one /24 was keyed as denied).
  auto item = SegmentationRules::prepare({{"mode", "judge"},
                                          {"networks", networks()},
                                          {"rules", {"deny any from guest-wifi to any", "allow tcp from any to pacs port 104"}},
                                          {"flow_count", {{"min", 6}, {"max", 8}}}});
  std::vector<assay::cyber::firewall::Cidr> cidrs;
  for (auto& n : networks()) cidrs.push_back(*assay::cyber::firewall::try_parse_cidr(n["cidr"].get<std::string>(), nullptr));
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    CAPTURE(seed);
    for (auto& [flow, allowed] : item.cases(seed)) {
      for (auto& c : cidrs) CHECK_FALSE((c.contains(flow.from) && c.contains(flow.to)));
    }
  }
}

TEST_CASE("segmentation-rules feedback explains each wrong verdict by the rule order or the default deny",
          "[cybersecurity][segmentation-rules][feedback]") {
  auto ex = SegmentationRules::examples()[0];  // rule 3 denies guest Wi-Fi before rule 5 opens 443 to the EHR
  auto item = SegmentationRules::prepare(ex.params);
  auto verdicts = [](std::vector<const char*> v) {
    json rows = json::object();
    for (std::size_t i = 0; i < v.size(); ++i) rows["f" + std::to_string(i + 1)] = {{"verdict", v[i]}};
    return json{{"flows", rows}};
  };
  using Catch::Matchers::Contains;
  auto order = item.feedback(ex.seed, verdicts({"allow", "deny", "allow", "allow", "deny"}));
  CHECK_THAT(order, Contains("(guest-wifi to ehr): denied, rule 3 (deny any from guest-wifi to any) matches first; you judged "
                             "it allowed, but rule 5 (allow tcp from any to ehr port 443) comes after rule 3 (deny any from "
                             "guest-wifi to any), and the first match decides (over-cautious, not unsafe)"));
  auto missed = item.feedback(ex.seed, verdicts({"deny", "deny", "deny", "allow", "deny"}));
  CHECK_THAT(missed, Contains("(modalities to pacs): allowed, rule 1 (allow tcp from modalities to pacs port 104) matches first; "
                              "you judged it denied, but the firewall lets it through. An exposure missed, the unsafe error"));
  auto default_deny = item.feedback(ex.seed, verdicts({"allow", "allow", "deny", "allow", "deny"}));
  CHECK_THAT(default_deny, Contains("(modalities to ehr): denied, no rule matches, so the default deny applies; you judged it "
                                    "allowed, but no rule allows it, and a flow no rule matches is denied"));
}

TEST_CASE("segmentation-rules feedback says how to fix a written rule set", "[cybersecurity][segmentation-rules][feedback]") {
  auto ex = SegmentationRules::examples()[1];
  auto item = SegmentationRules::prepare(ex.params);
  using Catch::Matchers::Contains;
  auto blocked = item.feedback(ex.seed, {{"rules", "allow tcp from modalities to pacs port 104"}});
  CHECK_THAT(blocked, Contains("port 11112 (modalities to pacs): must be allowed; no rule matches, so the default deny applies: "
                               "wrong, a required flow is blocked (over-cautious, not unsafe); the requirement needs it, so "
                               "add a rule allowing it, such as \"allow tcp from modalities to pacs port 11112\""));
  auto open = item.feedback(ex.seed, {{"rules", "allow any from modalities to pacs"}});
  CHECK_THAT(open, Contains("port 445 (modalities to pacs): must be denied; rule 1 (allow any from modalities to pacs) matches "
                            "first: wrong, and unsafe: a flow that must be denied gets through, since the requirement forbids "
                            "it; narrow rule 1 (allow any from modalities to pacs) to what the requirement allows"));
}
