#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <sstream>

#include "access_audit.hpp"
#include "properties.hpp"

using assay::ehr::AccessAudit;
using assay::sdk::Credit;
using assay::sdk::json;
namespace acc = assay::ehr::access;

namespace {

acc::Audit small_audit() {
  acc::Audit a;
  a.staff = {{"u1", "Hale", "Nora", "Registered nurse", "4 West", {7 * 60, 19 * 60}},
             {"u2", "Okafor", "Peter", "Physician", "Emergency", {19 * 60, 7 * 60}},
             {"u3", "Varga", "Irene", "HIM coder", "Health information", {8 * 60, 16 * 60 + 30}}};
  a.patients = {{"p1", "Tanaka", "Laura", false, false},
                {"p2", "Brennan", "Oscar", true, false},
                {"p3", "Hale", "George", false, false},
                {"p4", "Ingram", "Julia", false, true},
                {"p5", "Hale", "Edward", true, true}};
  a.care_team = {{"u1", "p1"}, {"u2", "p2"}, {"u1", "p5"}};
  return a;
}

acc::Access at(const std::string& hhmm, const std::string& user, const std::string& mrn, bool btg = false,
               const std::string& reason = "") {
  return {*acc::parse_hhmm(hhmm), user, mrn, "VIEW chart", btg, reason};
}

std::string joined(const std::set<std::string>& s) {
  std::string out;
  for (auto& x : s) out += (out.empty() ? "" : " ") + x;
  return out;
}

}  // namespace

TEST_CASE("each access-audit rule fires on the access it describes and no other", "[ehr][access-audit]") {
  auto audit = small_audit();
  acc::Policy policy;
  policy.exempt_roles = {"HIM coder"};
  // Each row hand-checked against the definitions in access_rules.hpp.
  auto [access_, rules] = GENERATE_COPY(table<acc::Access, std::string>(
      {{at("09:00", "u1", "p1"), ""},                                    // care team, in shift
       {at("09:00", "u1", "p4"), "coworker-record"},                     // workforce member, no relationship
       {at("09:00", "u1", "p2"), "vip-record"},                          // VIP, no relationship
       {at("09:00", "u1", "p3"), "same-surname"},                        // Hale opens Hale
       {at("09:00", "u2", "p1"), "no-care-relationship outside-shift"},  // night worker at 09:00, no relationship
       {at("23:30", "u2", "p2"), ""},                                    // night shift wraps past midnight
       {at("06:59", "u2", "p2"), ""},
       {at("07:00", "u2", "p2"), "outside-shift"},  // the shift ends at 07:00
       {at("19:00", "u1", "p1"), "outside-shift"},
       {at("18:59", "u1", "p1"), ""},
       {at("09:00", "u1", "p5"), ""},                               // VIP, workforce, same surname, but on the team
       {at("09:00", "u3", "p2"), ""},                               // the coder's role is exempt
       {at("17:00", "u3", "p2"), "outside-shift"},                  // exempt from relationship, not from shifts
       {at("09:00", "u1", "p2", true, "Rapid response call"), ""},  // break-the-glass with a reason
       {at("09:00", "u1", "p2", true, ""), "btg-without-reason"},
       {at("03:00", "u1", "p2", true, "  "), "btg-without-reason"},  // blank is no reason; shift not judged
       {at("03:00", "u1", "p3", true, "Code blue"), ""}}));
  CAPTURE(access_.user, access_.mrn, acc::hhmm(access_.minute), access_.btg);
  REQUIRE(joined(acc::broken_rules(audit, policy, access_)) == rules);
}

TEST_CASE("access-audit rules follow the item's policy params", "[ehr][access-audit]") {
  auto audit = small_audit();
  SECTION("without the exemption the coder's access has no basis") {
    acc::Policy policy;
    REQUIRE(joined(acc::broken_rules(audit, policy, at("09:00", "u3", "p2"))) == "vip-record");
  }
  SECTION("a grace period widens each shift by that many minutes") {
    acc::Policy policy;
    policy.grace_minutes = 15;
    REQUIRE(acc::broken_rules(audit, policy, at("19:14", "u1", "p1")).empty());
    REQUIRE(joined(acc::broken_rules(audit, policy, at("19:15", "u1", "p1"))) == "outside-shift");
    REQUIRE(acc::broken_rules(audit, policy, at("06:45", "u1", "p1")).empty());
    REQUIRE(joined(acc::broken_rules(audit, policy, at("06:44", "u1", "p1"))) == "outside-shift");
  }
  SECTION("unchecked specific rules fall back to no-care-relationship") {
    acc::Policy policy;
    policy.rules = {"no-care-relationship", "btg-without-reason"};
    REQUIRE(joined(acc::broken_rules(audit, policy, at("09:00", "u1", "p2"))) == "no-care-relationship");
    REQUIRE(acc::broken_rules(audit, policy, at("20:00", "u1", "p1")).empty());
  }
  SECTION("several specific rules can apply at once") {
    acc::Policy policy;
    acc::Audit a = audit;
    a.care_team = {};
    REQUIRE(joined(acc::broken_rules(a, policy, at("09:00", "u1", "p5"))) == "coworker-record same-surname vip-record");
  }
}

TEST_CASE("access-audit scores detection and rule naming separately", "[ehr][access-audit]") {
  auto ex = AccessAudit::examples()[0];
  auto item = AccessAudit::prepare(ex.params);
  auto key = item.key(ex.seed);
  REQUIRE(key.size() == 4);
  REQUIRE(joined(key.at("a2")) == "same-surname");
  REQUIRE(joined(key.at("a4")) == "vip-record");
  REQUIRE(joined(key.at("a5")) == "btg-without-reason");
  REQUIRE(joined(key.at("a6")) == "outside-shift");
  auto score = [&](json r) { return item.score(ex.seed, r); };
  // 3 hits, 1 miss, 1 false alarm: 3/5; rules right on 2 of the 4 violations.
  REQUIRE(score({{"flagged", {"a1", "a2", "a4", "a5"}},
                 {"rules", {{"a2", {{"rule", "same-surname"}}}, {"a4", {{"rule", "vip-record"}}}}}}) ==
          std::vector<Credit>{{3, 5}, {2, 4}, {3, 4}});
  // Naming a rule flags the line even when the selection omits it.
  REQUIRE(score({{"rules", {{"a2", {{"rule", "same-surname"}}}}}}) == std::vector<Credit>{{1, 4}, {1, 4}, {1, 4}});
  // A rule named on an appropriate line earns nothing and is a false alarm.
  REQUIRE(score({{"rules", {{"a3", {{"rule", "vip-record"}}}}}}) == std::vector<Credit>{{0, 5}, {0, 4}, {0, 4}});
  REQUIRE_THROWS_AS(score({{"flagged", "a2"}}), assay::sdk::ResponseError);
  REQUIRE_THROWS_AS(score({{"flagged", {1, 2}}}), assay::sdk::ResponseError);
  auto fb = item.feedback(ex.seed, {{"flagged", {"a3"}}});
  REQUIRE_THAT(
      fb, Catch::Matchers::Contains("a3 (10:40 u1003, MRN 5550002): flagged, but the access is appropriate under the policy"));
  REQUIRE_THAT(fb, Catch::Matchers::Contains(
                       "a4 (11:05 u1001, MRN 5550002): missed, the unsafe error: a violation that must be reported; it breaks "
                       "vip-record: Nora Hale (Registered nurse, 4 West) is not on Oscar Brennan's care team, and the record is "
                       "flagged VIP\n  note: VIP records are restricted"));
}

TEST_CASE("access-audit refuses bad params with the key path", "[ehr][access-audit]") {
  auto fixed = AccessAudit::examples()[0].params;
  auto with = [](json p, const std::string& ptr, json v) {
    p[json::json_pointer(ptr)] = std::move(v);
    return p;
  };
  auto [params, pointer, message] = GENERATE_COPY(table<json, std::string, std::string>(
      {{with(fixed, "/audit/log/2/user", "u9999"), "/audit/log/2/user", "no staff member with id \"u9999\""},
       {with(fixed, "/audit/care_team/0/mrn", "123"), "/audit/care_team/0/mrn", "no patient with MRN \"123\""},
       {with(fixed, "/audit/staff/1/shift", "7-19"), "/audit/staff/1/shift",
        "expected a shift as \"HH:MM-HH:MM\" with different ends, found \"7-19\""},
       {with(fixed, "/audit/log/3/time", "10:00"), "/audit/log/3/time", "the log must be in time order"},
       {with(fixed, "/audit/log/0/time", "25:00"), "/audit/log/0/time", "expected a time as \"HH:MM\", found \"25:00\""},
       {with(fixed, "/audit/log/0/reason", "why"), "/audit/log/0/reason",
        "a reason is only recorded for a break-the-glass access (btg = true)"},
       {with(fixed, "/audit/staff/1/id", "u1001"), "/audit/staff/1/id", "expected a unique, non-empty user id, found \"u1001\""},
       {with(fixed, "/lines", json{{"min", 10}, {"max", 12}}), "/lines",
        "'lines' shapes generated logs; remove it or remove 'audit'"},
       {with(fixed, "/rules", {"vip-record", "snooping"}), "/rules/1",
        "expected one of 'no-care-relationship', 'vip-record', 'coworker-record', 'same-surname', 'btg-without-reason', "
        "'outside-shift', found \"snooping\""},
       {json{{"lines", {{"min", 8}, {"max", 5}}}}, "/lines/max", "expected 'min' to 40, found 5"},
       {json{{"lines", {{"min", 6}, {"max", 10}}}}, "/lines",
        "at most 4 violations fit in 6 lines with two appropriate accesses"},
       {json{{"grace_minutes", 500}}, "/grace_minutes", "expected 0 to 120 minutes, found 500"},
       {json{{"exempt_roles", {"Registered nurse", "Physician"}}}, "/exempt_roles",
        "exempts 5 of the 8 generated staff; at most 4 may be exempt"},
       {json{{"colour", 1}}, "/colour", "unknown parameter 'colour'"}}));
  CAPTURE(params.dump());
  auto [ptr, msg] = ehr_test::refusal<AccessAudit>(params);
  REQUIRE(ptr == pointer);
  REQUIRE(msg == message);
}

namespace {

// An independent reading of the presented material: the rules re-derived from the tables and
// lines a candidate sees, written without access_rules.cpp.
std::map<std::string, std::set<std::string>> rederive(const json& shown, const std::set<std::string>& exempt) {
  auto& m = shown["material"];
  std::map<std::string, std::vector<std::string>> staff;  // id -> family, role, shift
  for (auto& r : m[1]["rows"]) staff[r[0]] = {r[1].get<std::string>().substr(0, r[1].get<std::string>().find(',')), r[2], r[4]};
  std::map<std::string, std::pair<std::string, std::string>> patients;  // mrn -> family, flags
  for (auto& r : m[2]["rows"]) patients[r[0]] = {r[1].get<std::string>().substr(0, r[1].get<std::string>().find(',')), r[2]};
  std::set<std::pair<std::string, std::string>> team;
  for (auto& r : m[3]["rows"]) {
    std::stringstream ss(r[1].get<std::string>());
    std::string u;
    while (std::getline(ss, u, ',')) team.insert({u.substr(u.find_first_not_of(' ')), r[0]});
  }
  auto minutes = [](const std::string& t) { return std::stoi(t.substr(0, 2)) * 60 + std::stoi(t.substr(3, 2)); };
  std::map<std::string, std::set<std::string>> out;
  for (auto& l : m[4]["lines"]) {
    std::string text = l["text"];
    std::string time = text.substr(0, 5), user = text.substr(7, text.find(' ', 7) - 7);
    auto mrn_at = text.find("MRN ") + 4;
    std::string mrn = text.substr(mrn_at, text.find(' ', mrn_at) - mrn_at);
    std::set<std::string> rules;
    if (text.find("BREAK-THE-GLASS") != std::string::npos) {
      if (text.find("reason: (none)") != std::string::npos) rules.insert("btg-without-reason");
    } else {
      int t = minutes(time), s = minutes(staff[user][2].substr(0, 5)), e = minutes(staff[user][2].substr(6, 5));
      bool in = s < e ? (t >= s && t < e) : (t >= s || t < e);
      if (!in) rules.insert("outside-shift");
      if (!team.count({user, mrn}) && !exempt.count(staff[user][1])) {
        auto& [family, flags] = patients[mrn];
        bool specific = false;
        if (family == staff[user][0]) rules.insert("same-surname"), specific = true;
        if (flags.find("workforce") != std::string::npos) rules.insert("coworker-record"), specific = true;
        if (flags.find("VIP") != std::string::npos) rules.insert("vip-record"), specific = true;
        if (!specific) rules.insert("no-care-relationship");
      }
    }
    if (!rules.empty()) out[l["id"]] = rules;
  }
  return out;
}

}  // namespace

TEST_CASE("generated access logs: the key matches an independent reading of what is shown", "[ehr][access-audit][property]") {
  json params = {
      {"lines", {{"min", 12}, {"max", 18}}}, {"violations", {{"min", 3}, {"max", 6}}}, {"exempt_roles", {"HIM coder"}}};
  auto item = AccessAudit::prepare(params);
  std::map<std::string, int> seen;
  for (auto seed : ehr_test::seeds(300)) {
    CAPTURE(seed);
    auto shown = item.present(seed);
    auto key = item.key(seed);
    REQUIRE(rederive(shown, {"HIM coder"}) == key);
    auto n = shown["material"][4]["lines"].size();
    REQUIRE(n >= 12);
    REQUIRE(n <= 18);
    REQUIRE(key.size() >= 3);
    REQUIRE(key.size() <= 6);
    for (auto& [id, rules] : key) {
      REQUIRE(rules.size() == 1);  // generated violations break exactly one rule
      ++seen[*rules.begin()];
    }
  }
  for (auto& r : acc::rule_ids()) {
    CAPTURE(r);
    REQUIRE(seen[r] > 30);
  }
}

TEST_CASE("access-audit keeps its properties over many seeds", "[ehr][access-audit][property]") {
  ehr_test::check_properties<AccessAudit>(json{{"notes", json::object()}, {"grace_minutes", 10}},
                                          json{{"notes", {{"a1", "x"}, {"a2", "y"}}}});
  ehr_test::check_properties<AccessAudit>(
      json{{"rules", {"vip-record", "btg-without-reason"}}, {"violations", {{"min", 1}, {"max", 2}}}}, json::object());
}

TEST_CASE("access-audit examples earn the credits they declare", "[ehr][access-audit]") {
  ehr_test::check_examples<AccessAudit>();
}

TEST_CASE("access-audit: a missed violation loses reported, a false alarm does not", "[ehr][access-audit][safety]") {
  auto ex = AccessAudit::examples()[0];
  auto item = AccessAudit::prepare(ex.params);
  auto crit = AccessAudit::criteria();
  REQUIRE(crit.size() == 3);
  CHECK(crit[2].id == "reported");
  CHECK(crit[2].safety);
  CHECK_FALSE(crit[0].safety);  // detection counts false alarms: an accuracy criterion
  // Every line flagged: over-cautious, every violation reported.
  json all = json::array();
  for (int i = 1; i <= 6; ++i) all.push_back("a" + std::to_string(i));
  auto c = item.score(ex.seed, {{"flagged", all}});
  CHECK(c[2] == Credit::full());
  CHECK(c[0] == Credit{4, 6});  // the two false alarms still cost accuracy
  // One violation missed: the unsafe error.
  CHECK(item.score(ex.seed, {{"flagged", {"a2", "a4", "a5"}}})[2] == Credit{3, 4});
  CHECK_THAT(item.feedback(ex.seed, {{"flagged", all}}), Catch::Matchers::Contains("(over-cautious, not unsafe)"));
}

TEST_CASE("access-audit feedback gives the facts behind each missed, wrongly named or false alarm",
          "[ehr][access-audit][feedback]") {
  auto ex = AccessAudit::examples()[0];
  auto item = AccessAudit::prepare(ex.params);
  using Catch::Matchers::Contains;
  auto text = item.feedback(ex.seed, ex.responses[1].response);  // the coder flagged too, two rules wrong
  CHECK_THAT(text, Contains("a3 (10:40 u1003, MRN 5550002): flagged, but the access is appropriate under the policy: Irene "
                            "Varga (HIM coder, Health information) has a role with a standing basis under the policy, and the "
                            "access falls within the shift 08:00-16:30 (over-cautious, not unsafe)"));
  CHECK_THAT(text, Contains("a2 (09:15 u1001, MRN 5550003): flagged, but it breaks same-surname, not no-care-relationship (a "
                            "more specific rule describes it): Nora Hale (Registered nurse, 4 West) is not on George Hale's "
                            "care team and shares the family name Hale"));
  CHECK_THAT(text, Contains("a6 (21:45 u1001, MRN 5550001): flagged, but it breaks outside-shift, not no-care-relationship "
                            "(Nora Hale (Registered nurse, 4 West) is on the patient's care team): the access at 21:45 falls "
                            "outside Nora Hale (Registered nurse, 4 West)'s shift 07:00-19:00"));
  auto missed = item.feedback(ex.seed, ex.responses[2].response);  // one violation missed
  CHECK_THAT(missed, Contains("a6 (21:45 u1001, MRN 5550001): missed, the unsafe error: a violation that must be reported; it "
                              "breaks outside-shift: the access at 21:45 falls outside"));
}
