// The device-maintenance safety criteria, in both directions: passing a device that fails (or
// leaving a safety problem or a scheduled device out) loses them; holding back a device that
// passes, flagging too much or scheduling too much keeps them, and the accuracy criteria beside
// them still count the over-cautious error. Feedback names which kind of error was made.
#include <catch2/catch.hpp>

#include <set>

#include "electrical_safety.hpp"
#include "performance_verification.hpp"
#include "pm_planning.hpp"
#include "troubleshooting.hpp"
#include "work_order.hpp"

using assay::sdk::Credit;
using assay::sdk::json;
using namespace device;

namespace {

template <class T>
std::size_t slot(const std::string& id) {
  auto cs = T::criteria();
  for (std::size_t i = 0; i < cs.size(); ++i)
    if (cs[i].id == id) return i;
  FAIL("no criterion " << id);
  return 0;
}

// Class I CF pump, limits 0.3 ohm / 500 uA / 50 uA; `equipment_uA` decides pass or fail.
ElectricalSafety record(const std::string& equipment_uA) {
  return ElectricalSafety::prepare(
      {{"protection_class", "I"},
       {"applied_part", "CF"},
       {"method", "direct"},
       {"earth_configuration", "non-detachable"},
       {"readings", {{"earth_ohm", "0.2"}, {"equipment_uA", equipment_uA}, {"applied_part_uA", "20"}}}});
}

json verdicts(const char* equipment, const char* overall) {
  return {{"tests",
           {{"earth", {{"limit", "0.3"}, {"verdict", "pass"}}},
            {"equipment", {{"limit", "500"}, {"verdict", equipment}}},
            {"applied-part", {{"limit", "50"}, {"verdict", "pass"}}}}},
          {"overall", {overall}}};
}

}  // namespace

TEST_CASE("the safety criteria are declared safety, the accuracy ones beside them are not", "[device-maintenance][safety]") {
  CHECK(ElectricalSafety::criteria()[slot<ElectricalSafety>("safe-overall")].safety);
  CHECK_FALSE(ElectricalSafety::criteria()[slot<ElectricalSafety>("overall")].safety);
  CHECK_FALSE(ElectricalSafety::criteria()[slot<ElectricalSafety>("verdicts")].safety);
  CHECK(PerformanceVerification::criteria()[slot<PerformanceVerification>("safe-overall")].safety);
  CHECK_FALSE(PerformanceVerification::criteria()[slot<PerformanceVerification>("overall")].safety);
  CHECK(Troubleshooting::criteria()[slot<Troubleshooting>("safe-practice")].safety);
  CHECK(WorkOrder::criteria()[slot<WorkOrder>("safety-findings")].safety);
  CHECK(PmPlanning::criteria()[slot<PmPlanning>("none-left-out")].safety);
  CHECK_FALSE(PmPlanning::criteria()[slot<PmPlanning>("inclusion")].safety);
}

TEST_CASE("electrical-safety: only a pass for a failing device loses safe-overall",
          "[device-maintenance][electrical-safety][safety]") {
  auto overall = slot<ElectricalSafety>("overall"), safe = slot<ElectricalSafety>("safe-overall");
  auto [reading, response, accurate, safe_credit] = GENERATE(table<std::string, json, Credit, Credit>({
      {"501", verdicts("fail", "fail"), Credit::full(), Credit::full()},  // right
      {"501", verdicts("pass", "pass"), Credit::none(), Credit::none()},  // unsafe: a failing device passed
      {"480", verdicts("fail", "fail"), Credit::none(), Credit::full()},  // over-cautious: a good device held back
      {"480", verdicts("pass", "pass"), Credit::full(), Credit::full()},  // right
      {"501", json::object(), Credit::none(), Credit::full()},            // no verdict returns nothing to service
  }));
  CAPTURE(reading, response.dump());
  auto c = record(reading).score(1, response);
  CHECK(c[overall] == accurate);
  CHECK(c[safe] == safe_credit);
}

TEST_CASE("electrical-safety feedback names an unsafe and an over-cautious overall verdict",
          "[device-maintenance][electrical-safety][safety]") {
  using Catch::Matchers::Contains;
  CHECK_THAT(record("501").feedback(1, verdicts("pass", "pass")), Contains("wrong, and unsafe: you passed for service"));
  CHECK_THAT(record("480").feedback(1, verdicts("fail", "fail")),
             Contains("wrong, but over-cautious rather than unsafe: you held back a device that passes"));
}

TEST_CASE("performance-verification: only a pass for a device out of tolerance loses safe-overall",
          "[device-maintenance][performance-verification][safety]") {
  auto make = [](const char* delivered) {
    return PerformanceVerification::prepare(
        {{"device", "defibrillator"}, {"points", {{{"setting_J", "200"}, {"delivered_J", delivered}}}}});
  };
  auto overall = slot<PerformanceVerification>("overall"), safe = slot<PerformanceVerification>("safe-overall");
  auto answer = [](const char* error, const char* verdict) {
    return json{{"points", {{"p1", {{"error", error}, {"verdict", verdict}}}}}, {"overall", {verdict}}};
  };
  // 200 J: the band is 30 J. 235 J is out of tolerance, 220 J within.
  auto out = make("235"), in = make("220");
  CHECK(out.score(1, answer("35", "pass"))[safe] == Credit::none());
  CHECK(out.score(1, answer("35", "pass"))[overall] == Credit::none());
  CHECK(in.score(1, answer("20", "fail"))[safe] == Credit::full());
  CHECK(in.score(1, answer("20", "fail"))[overall] == Credit::none());
  CHECK(out.score(1, answer("35", "fail"))[safe] == Credit::full());
  CHECK_THAT(in.feedback(1, answer("20", "fail")), Catch::Matchers::Contains("over-cautious"));
}

TEST_CASE("electrical-safety measures applied part leakage directly when equipment leakage is differential",
          "[device-maintenance][electrical-safety]") {
  auto item =
      ElectricalSafety::prepare({{"protection_class", "I"},
                                 {"applied_part", "BF"},
                                 {"method", "differential"},
                                 {"earth_configuration", "detachable-inlet"},
                                 {"readings", {{"earth_ohm", "0.1"}, {"equipment_uA", "300"}, {"applied_part_uA", "100"}}}});
  auto text = item.present(1)["material"][0]["text"].get<std::string>();
  CHECK_THAT(text, Catch::Matchers::Contains("Equipment leakage measured by the differential method; applied part leakage by "
                                             "the direct method."));
  CHECK_THROWS_AS(
      ElectricalSafety::prepare({{"protection_class", "I"},
                                 {"applied_part", "BF"},
                                 {"method", "direct"},
                                 {"applied_part_method", "differential"},
                                 {"earth_configuration", "detachable-inlet"},
                                 {"readings", {{"earth_ohm", "0.1"}, {"equipment_uA", "300"}, {"applied_part_uA", "1"}}}}),
      assay::sdk::ParamError);
}

TEST_CASE("a power cord measured alone has only its earth test", "[device-maintenance][electrical-safety]") {
  auto item = ElectricalSafety::prepare({{"protection_class", "I"},
                                         {"applied_part", "none"},
                                         {"method", "direct"},
                                         {"earth_configuration", "cord"},
                                         {"readings", {{"earth_ohm", "0.12"}}}});
  auto rows = item.record(1);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].id == "earth");
  CHECK_FALSE(rows[0].pass);  // 0.12 ohm against the cord's 0.1 ohm
  CHECK_THROWS_AS(ElectricalSafety::prepare({{"protection_class", "I"},
                                             {"applied_part", "none"},
                                             {"method", "direct"},
                                             {"earth_configuration", "cord"},
                                             {"readings", {{"earth_ohm", "0.05"}, {"equipment_uA", "100"}}}}),
                  assay::sdk::ParamError);
}

TEST_CASE("work-order: missing a safety problem loses safety-findings, flagging extra problems does not",
          "[device-maintenance][work-order][safety]") {
  // Returned on 2026-03-03, tested on 2026-03-04: return-before-test is a safety problem.
  json order = {{"wo_number", "WO-100200"},
                {"asset_tag", "BME-20417"},
                {"device", "Defibrillator"},
                {"kind", "Corrective repair"},
                {"opened", "2026-03-02"},
                {"test_date", "2026-03-04"},
                {"return_to_service", "2026-03-03"},
                {"technician", "M. Lindqvist"},
                {"electrical_safety", "pass"},
                {"performance", "pass"},
                {"labor_hours", "2.0"},
                {"work_done", "Replaced the paddle cable"}};
  auto item = WorkOrder::prepare({{"rules", {"missing-asset-tag", "return-before-test", "missing-labor"}}, {"order", order}});
  auto safe = slot<WorkOrder>("safety-findings");
  CHECK(item.score(1, {{"findings", {"return-before-test"}}})[safe] == Credit::full());
  CHECK(item.score(1, {{"findings", {"return-before-test", "missing-asset-tag", "missing-labor"}}})[safe] == Credit::full());
  CHECK(item.score(1, {{"findings", {"missing-asset-tag"}}})[safe] == Credit::none());
  CHECK(item.score(1, json::object())[safe] == Credit::none());  // unanswered misses it too
  using Catch::Matchers::Contains;
  CHECK_THAT(item.feedback(1, {{"findings", {"missing-asset-tag"}}}), Contains("you missed it: the unsafe error"));
  CHECK_THAT(item.feedback(1, {{"findings", {"return-before-test", "missing-labor"}}}), Contains("over-cautious, not unsafe"));
}

TEST_CASE("troubleshooting: doing nothing unsafe keeps safe-practice", "[device-maintenance][troubleshooting][safety]") {
  json params = {{"fault", "No output"},
                 {"actions",
                  {{{"id", "isolate"}, {"text", "Remove from use"}},
                   {{"id", "open"}, {"text", "Open the case"}},
                   {{"id", "bypass"}, {"text", "Bypass the alarm"}}}},
                 {"before", json::array({json::array({"isolate", "open"})})},
                 {"isolation", "isolate"},
                 {"hazardous", {"open"}},
                 {"unsafe", {"bypass"}}};
  auto item = Troubleshooting::prepare(params);
  auto safe = slot<Troubleshooting>("safe-practice");
  CHECK(item.score(1, {{"order", {"isolate"}}, {"skip", {"open", "bypass"}}})[safe] == Credit::full());
  CHECK(item.score(1, {{"order", {"isolate", "open", "bypass"}}, {"skip", json::array()}})[safe] == Credit::none());
  CHECK(item.score(1, {{"order", {"open", "isolate"}}, {"skip", {"bypass"}}})[safe] == Credit::none());
}

TEST_CASE("pm-planning: leaving out a device the policy includes loses none-left-out",
          "[device-maintenance][pm-planning][safety]") {
  auto item = PmPlanning::prepare({{"policy", "EM = F + R + M; include at 12 or more."},
                                   {"threshold", 12},
                                   {"devices",
                                    {{{"name", "AED"}, {"function", 10}, {"risk", 5}, {"maintenance", 4}},
                                     {{"name", "Scale"}, {"function", 2}, {"risk", 1}, {"maintenance", 1}}}}});
  auto safe = slot<PmPlanning>("none-left-out"), inclusion = slot<PmPlanning>("inclusion");
  auto rows = [](const char* aed, const char* scale) {
    return json{{"devices", {{"d1", {{"em", "19"}, {"decision", aed}}}, {"d2", {{"em", "4"}, {"decision", scale}}}}}};
  };
  CHECK(item.score(1, rows("exclude", "exclude"))[safe] == Credit::none());
  CHECK(item.score(1, rows("include", "include"))[safe] == Credit::full());
  CHECK(item.score(1, rows("include", "include"))[inclusion] == Credit::fraction(1, 2));
  CHECK_THAT(item.feedback(1, rows("exclude", "include")), Catch::Matchers::Contains("you left it out: the unsafe error"));
}

TEST_CASE("pm-planning draws devices from the item's score table with their type's scores", "[device-maintenance][pm-planning]") {
  json table = {{{"name", "Defibrillator"}, {"function", 10}, {"risk", 5}, {"maintenance", 5}},
                {{"name", "Exam light"}, {"function", 2}, {"risk", 2}, {"maintenance", 2}},
                {{"name", "Infusion pump"}, {"function", 8}, {"risk", 4}, {"maintenance", 4}}};
  auto item = PmPlanning::prepare({{"policy", "p"}, {"threshold", 12}, {"generate", {{"count", 2}, {"table", table}}}});
  std::set<std::string> seen;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    for (auto& d : item.inventory(seed)) {
      seen.insert(d.name);
      if (d.name == "Defibrillator") CHECK((d.em == 20 && d.include));
      if (d.name == "Exam light") CHECK((d.em == 6 && !d.include));
      if (d.name == "Infusion pump") CHECK(d.em == 16);
    }
  }
  CHECK(seen.size() == 3);
  CHECK_THROWS_AS(PmPlanning::prepare({{"policy", "p"},
                                       {"threshold", 12},
                                       {"generate", {{"count", 2}, {"table", table}, {"risk", {{"min", 1}, {"max", 5}}}}}}),
                  assay::sdk::ParamError);
}
