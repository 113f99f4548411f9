// Feedback a learner learns from, for every device-maintenance type: each wrong choice is
// explained (why it is wrong, what is right and why), in the plugin's own words.
#include <catch2/catch.hpp>

#include "performance_verification.hpp"
#include "pm_planning.hpp"
#include "troubleshooting.hpp"
#include "work_order.hpp"

using assay::sdk::json;
using Catch::Matchers::Contains;
using namespace device;

TEST_CASE("performance-verification feedback shows how the error is worked out and why a verdict is wrong",
          "[device-maintenance][performance-verification][feedback]") {
  // 200 J setting: the band is 30 J; 235 J delivered is 35 J out, 220 J is 20 J within.
  auto make = [](const char* delivered) {
    return PerformanceVerification::prepare(
        {{"device", "defibrillator"}, {"points", {{{"setting_J", "200"}, {"delivered_J", delivered}}}}});
  };
  auto answer = [](const char* error, const char* verdict) {
    return json{{"points", {{"p1", {{"error", error}, {"verdict", verdict}}}}}, {"overall", {verdict}}};
  };
  auto reversed = make("220").feedback(1, answer("-20", "pass"));
  CHECK_THAT(reversed, Contains("your error (-20) is not: energy error = delivered − setting, in J gives 20"));
  CHECK_THAT(reversed, Contains("your sign is reversed"));
  CHECK_THAT(make("235").feedback(1, answer("35", "pass")),
             Contains("your verdict is wrong, and unsafe: an error outside the band fails"));
  CHECK_THAT(make("220").feedback(1, answer("20", "fail")),
             Contains("your verdict is wrong: an error within the band passes, at its edge too (over-cautious, not unsafe)"));
}

TEST_CASE("work-order feedback shows what the record holds for each check and why a missed problem matters",
          "[device-maintenance][work-order][feedback]") {
  auto ex = WorkOrder::examples()[0];  // asset tag empty, returned 2026-03-03 before the test of 2026-03-04
  auto item = WorkOrder::prepare(ex.params);
  auto text = item.feedback(ex.seed, {{"findings", {"return-before-test", "missing-labor"}}});
  CHECK_THAT(text, Contains("The asset tag is missing: yes (asset tag not recorded); you missed it: without it the work "
                            "cannot be traced to the device in the inventory."));
  CHECK_THAT(text, Contains("No labour time is recorded: no (labour \""));
  CHECK_THAT(text, Contains("you flagged it, but the record shows otherwise (over-cautious, not unsafe)"));
  CHECK_THAT(text, Contains("(opened \"2026-03-02\", tested \"2026-03-04\", returned \"2026-03-03\")"));
}

TEST_CASE("troubleshooting feedback gives the reason for each unsafe, wasteful or misplaced action",
          "[device-maintenance][troubleshooting][feedback]") {
  auto ex = Troubleshooting::examples()[0];
  auto item = Troubleshooting::prepare(ex.params);
  json all = {"isolate", "verify", "setup", "manual", "sensor", "pv", "est", "return", "cmms", "bypass", "board"};
  auto text = item.feedback(ex.seed, {{"order", all}, {"skip", json::array()}});
  CHECK_THAT(text, Contains("must never be done: a pump that no longer alarms on an occlusion can stop delivering the drug "
                            "without warning."));
  CHECK_THAT(text, Contains("is not needed for this fault: nothing points to the control board"));
  json late = {"setup", "verify", "isolate", "manual", "sensor", "pv", "est", "return", "cmms", "bypass", "board"};
  CHECK_THAT(item.feedback(ex.seed, {{"order", late}, {"skip", {"bypass", "board"}}}),
             Contains("\"Reproduce the alarm on the bench with a test set and analyser\" must be done, and before \"Check the "
                      "giving set type, clamps, filters and the occlusion pressure setting\": a fault reproduced on the bench "
                      "shows what to repair"));
  // Without the author's reasons the plugin still says why.
  json params = ex.params;
  params.erase("reasons");
  CHECK_THAT(Troubleshooting::prepare(params).feedback(ex.seed, {{"order", all}, {"skip", json::array()}}),
             Contains("must never be done: it defeats a safety function or exposes the patient or you to a hazard."));
}

TEST_CASE("pm-planning feedback says when an EM score or an interval given is wrong",
          "[device-maintenance][pm-planning][feedback]") {
  auto item = PmPlanning::prepare({{"policy", "EM = function + physical risk + maintenance; include at 12."},
                                   {"threshold", 12},
                                   {"devices", {{{"name", "Ventilator"}, {"function", 10}, {"risk", 5}, {"maintenance", 4}}}}});
  auto text = item.feedback(1, {{"devices", {{"d1", {{"em", "18"}, {"decision", "include"}}}}}});
  CHECK_THAT(text, Contains("Ventilator: 10 + 5 + 4 = 19, at or above the threshold of 12, so it is included; your decision is "
                            "right; your EM (18) is not the sum of the three scores in the table"));
}
