#include "performance_verification.hpp"

#include <catch2/catch.hpp>

#include "../sdk/decimal_text.hpp"
#include "tolerance.hpp"
#include "type_checks.hpp"

using assay::sdk::Credit;
using assay::sdk::Decimal;
using assay::sdk::json;
using device::PerformanceVerification;
using device::testing::refusal;

using assay::test::dec;

TEST_CASE("defibrillator energy: ±3 J or ±15 %, whichever is greater, crossing at 20 J",
          "[device-maintenance][performance-verification][tolerance]") {
  auto tol = device::defibrillator_energy_tolerance();
  SECTION("the band at each setting") {
    auto [setting, band] = GENERATE(table<std::string, std::string>({{"2", "3"},
                                                                     {"10", "3"},
                                                                     {"19", "3"},  // 15 % would be 2.85
                                                                     {"20", "3"},  // both 3 J
                                                                     {"21", "3.15"},
                                                                     {"100", "15"},
                                                                     {"200", "30"},
                                                                     {"360", "54"}}));
    CAPTURE(setting);
    REQUIRE(device::allowed_deviation(tol, dec(setting)) == dec(band));
  }
  SECTION("at, just inside and just outside the band, both directions") {
    auto [setting, delivered, pass] = GENERATE(table<std::string, std::string, bool>({
        {"10", "13", true},
        {"10", "13.01", false},
        {"10", "7", true},
        {"10", "6.99", false},  // 3 J governs
        {"20", "23", true},
        {"20", "23.1", false},
        {"20", "17", true},
        {"20", "16.9", false},  // crossover
        {"21", "24.15", true},
        {"21", "24.16", false},
        {"21", "17.85", true},
        {"21", "17.84", false},  // 15 % governs
        {"200", "230", true},
        {"200", "230.1", false},
        {"200", "170", true},
        {"200", "169.9", false},
    }));
    CAPTURE(setting, delivered);
    REQUIRE(device::within(tol, dec(delivered), dec(setting)) == pass);
  }
}

TEST_CASE("percentage tolerances compare exactly, even when the expected volume does not terminate",
          "[device-maintenance][performance-verification][tolerance]") {
  // Infusion: measured and reference as 60 × volume and rate × minutes.
  auto [rate, minutes, volume, pass] = GENERATE(table<std::string, std::string, std::string, bool>({
      {"100", "30", "52.5", true},    // +5.0 %
      {"100", "30", "52.51", false},  // +5.02 %
      {"100", "30", "47.5", true},    // −5.0 %
      {"100", "30", "47.49", false},
      {"25", "10", "4.375", true},  // expected 4.1666… mL; 4.375 is exactly +5 %
      {"25", "10", "4.376", false},
      {"25", "10", "3.9584", true},  // 60 × 3.9584 = 237.504 vs 250: −4.9984 %
      {"25", "10", "3.958", false},  // 237.48 vs 250: −5.008 %
  }));
  CAPTURE(rate, minutes, volume);
  auto measured = dec(volume) * Decimal(60), reference = dec(rate) * dec(minutes);
  REQUIRE(device::percent_within(measured, reference, Decimal(5)) == pass);
}

TEST_CASE("percentage errors round half away from zero and accept one unit in the last place",
          "[device-maintenance][performance-verification][tolerance]") {
  // 60 mL/h for 7 min = 7 mL expected; 7.5 mL collected: 30 / 420 × 100 = 7.142857… %
  auto m = dec("7.5") * Decimal(60), r = Decimal(60) * Decimal(7);
  REQUIRE(device::percent_error(m, r, 1) == dec("7.1"));
  REQUIRE(device::percent_error(m, r, 2) == dec("7.14"));
  REQUIRE(device::percent_answer_ok(dec("7.1"), m, r, 1));
  REQUIRE(device::percent_answer_ok(dec("7.2"), m, r, 1));        // 0.057 away
  REQUIRE_FALSE(device::percent_answer_ok(dec("7.0"), m, r, 1));  // 0.143 away
  REQUIRE_FALSE(device::percent_answer_ok(dec("-7.1"), m, r, 1));
  // 100 mL/h, 30 min, 52.6 mL: +5.2 % exactly; 47.35 mL: −5.3 % exactly (half away from zero at 2 places is −5.3)
  REQUIRE(device::percent_error(dec("52.6") * Decimal(60), Decimal(3000), 1) == dec("5.2"));
  REQUIRE(device::percent_error(dec("47.35") * Decimal(60), Decimal(3000), 1) == dec("-5.3"));
}

static json fixed(const std::string& dev, json points, json tolerance = nullptr) {
  json p = {{"device", dev}, {"points", points}};
  if (!tolerance.is_null()) p["tolerance"] = tolerance;
  return p;
}

TEST_CASE("NIBP and SpO2 points are judged against the item's absolute tolerance",
          "[device-maintenance][performance-verification][tolerance]") {
  SECTION("NIBP ±3 mmHg given by the item") {
    auto item = PerformanceVerification::prepare(fixed("nibp",
                                                       {{{"setpoint_mmHg", "120"}, {"reading_mmHg", "123"}},
                                                        {{"setpoint_mmHg", "120"}, {"reading_mmHg", "124"}},
                                                        {{"setpoint_mmHg", "80"}, {"reading_mmHg", "77"}},
                                                        {{"setpoint_mmHg", "80"}, {"reading_mmHg", "76"}}},
                                                       {{"absolute", "3"}}));
    auto pts = item.points(1);
    REQUIRE(pts[0].pass);
    REQUIRE_FALSE(pts[1].pass);
    REQUIRE(pts[2].pass);
    REQUIRE_FALSE(pts[3].pass);
    REQUIRE(pts[3].error == Decimal(-4));
  }
  SECTION("SpO2 ±2 percentage points") {
    auto item = PerformanceVerification::prepare(
        fixed("spo2",
              {{{"setpoint_percent", "90"}, {"reading_percent", "92"}}, {{"setpoint_percent", "90"}, {"reading_percent", "93"}}},
              {{"absolute", "2"}}));
    auto pts = item.points(1);
    REQUIRE(pts[0].pass);
    REQUIRE_FALSE(pts[1].pass);
  }
}

TEST_CASE("performance-verification scores errors, verdicts and overall", "[device-maintenance][performance-verification]") {
  auto item = PerformanceVerification::prepare(fixed("infusion-pump",
                                                     {{{"rate_mL_h", "100"}, {"minutes", "30"}, {"volume_mL", "52.6"}},
                                                      {{"rate_mL_h", "25"}, {"minutes", "60"}, {"volume_mL", "24.5"}}},
                                                     {{"percent", "5"}}));
  // +5.2 % fails, −2.0 % passes
  auto [response, errors, verdicts, overall] = GENERATE(table<json, Credit, Credit, Credit>({
      {{{"points", {{"p1", {{"error", "5.2"}, {"verdict", "fail"}}}, {"p2", {{"error", "-2 %"}, {"verdict", "pass"}}}}},
        {"overall", {"fail"}}},
       {1, 1},
       {1, 1},
       {1, 1}},
      // sign dropped and the failing point passed
      {{{"points", {{"p1", {{"error", "5.2"}, {"verdict", "pass"}}}, {"p2", {{"error", "2"}, {"verdict", "pass"}}}}},
        {"overall", {"pass"}}},
       {1, 2},
       {1, 2},
       {0, 1}},
      {json::object(), {0, 1}, {0, 1}, {0, 1}},
  }));
  CAPTURE(response.dump());
  auto c = item.score(1, response);
  REQUIRE(c[0] == errors);
  REQUIRE(c[1] == verdicts);
  REQUIRE(c[2] == overall);
}

TEST_CASE("a number too large to compare exactly is a malformed response, not undefined behaviour",
          "[device-maintenance][performance-verification]") {
  auto params = fixed("infusion-pump", {{{"rate_mL_h", "100"}, {"minutes", "30"}, {"volume_mL", "52.6"}}}, {{"percent", "5"}});
  const auto& type = assay::sdk::detail::TypeTables<PerformanceVerification>::instance().descriptor;
  auto text = params.dump();
  assay_handle* handle = nullptr;
  REQUIRE(type.prepare(text.data(), text.size(), &handle, nullptr) == ASSAY_STATUS_OK);
  for (const char* error : {"1e900", "-1e900", "1e-900"}) {
    CAPTURE(error);
    auto response = json{{"points", {{"p1", {{"error", error}, {"verdict", "fail"}}}}}, {"overall", {"fail"}}}.dump();
    std::vector<assay_credit> credits(3);
    std::string message;
    assay_sink sink{sizeof(assay_sink), 0, &message,
                    [](void* ctx, const char* data, std::size_t len) { static_cast<std::string*>(ctx)->append(data, len); }};
    assay_sink pointer{sizeof(assay_sink), 0, nullptr, [](void*, const char*, std::size_t) {}};
    assay_error err{sizeof(assay_error), 0, sink, pointer};
    CHECK(type.score(handle, 1, response.data(), response.size(), credits.data(), &err) == ASSAY_STATUS_INVALID_RESPONSE);
    CHECK(message == "the number is too large or too precise to compare exactly");
  }
  type.release(handle);
}

TEST_CASE("performance-verification refuses bad params with the key path",
          "[device-maintenance][performance-verification][params]") {
  auto [params, pointer, message] = GENERATE(table<json, std::string, std::string>({
      {{{"device", "ventilator"}, {"settings", {"1"}}, {"deviation", {{"min", "0"}, {"max", "1"}}}},
       "/device",
       "expected one of 'defibrillator', 'infusion-pump', 'nibp', 'spo2', found \"ventilator\""},
      {{{"device", "nibp"},
        {"settings", {"120"}},
        {"deviation", {{"min", "-5"}, {"max", "5"}}},
        {"tolerance", {{"absolute", "-3"}}}},
       "/tolerance/absolute",
       "expected a non-negative number, found -3"},
      {{{"device", "infusion-pump"},
        {"settings", {{{"rate_mL_h", "100"}, {"minutes", "30"}}}},
        {"deviation", {{"min", "-5"}, {"max", "5"}}},
        {"tolerance", {{"percent", "-5"}}}},
       "/tolerance/percent",
       "expected a non-negative number, found -5"},
      {{{"device", "nibp"}, {"settings", {"120"}}, {"deviation", {{"min", "-5"}, {"max", "5"}}}},
       "/tolerance",
       "missing required key 'tolerance': give the NIBP monitor tolerance from the manufacturer's specification and cite it in "
       "the "
       "item's source"},
      {{{"device", "infusion-pump"},
        {"settings", {{{"rate_mL_h", "100"}, {"minutes", "30"}}}},
        {"deviation", {{"min", "-5"}, {"max", "5"}}},
        {"tolerance", {{"absolute", "1"}}}},
       "/tolerance/absolute",
       "infusion pump flow is judged in percent; use 'percent'"},
      {{{"device", "defibrillator"}, {"settings", {"0"}}, {"deviation", {{"min", "-5"}, {"max", "5"}}}},
       "/settings/0",
       "expected a positive number, found 0"},
      {{{"device", "defibrillator"}, {"settings", {"50"}}, {"deviation", {{"min", "5"}, {"max", "-5"}}}},
       "/deviation/max",
       "expected max >= min (5), found -5"},
      {{{"device", "defibrillator"}, {"points", {{{"setting_J", "50"}, {"delivered", "49"}}}}},
       "/points/0/delivered",
       "unknown key 'delivered'"},
      {{{"device", "infusion-pump"},
        {"settings",
         {{{"rate_mL_h", "100"}, {"minutes", "30"}}, {{"rate_mL_h", "5022222222222222222222222220"}, {"minutes", "6"}}}},
        {"deviation", {{"min", "-9"}, {"max", "9"}, {"step", "0.5"}}},
        {"tolerance", {{"percent", "5"}}}},
       "/settings/1",
       "the readings of this setting are too large or too precise to compute exactly; use fewer digits"},
      {{{"device", "infusion-pump"},
        {"settings", {{{"rate_mL_h", "100.123456"}, {"minutes", "30.123456"}}}},
        {"deviation", {{"min", "-9"}, {"max", "9"}, {"step", "0.000001"}}},
        {"tolerance", {{"percent", "5"}}}},
       "/settings/0",
       "the readings of this setting are too large or too precise to compute exactly; use fewer digits"},
  }));
  CAPTURE(params.dump());
  auto [got_pointer, got_message] = refusal<PerformanceVerification>(params);
  REQUIRE(got_pointer == pointer);
  REQUIRE(got_message == message);
}

TEST_CASE("performance-verification keys match the generated measurements over many seeds",
          "[device-maintenance][performance-verification][property]") {
  device::testing::check_examples_and_seeds<PerformanceVerification>();

  auto item = PerformanceVerification::prepare({{"device", "defibrillator"},
                                                {"settings", {"5", "10", "20", "50", "100", "200", "360"}},
                                                {"deviation", {{"min", "-25"}, {"max", "25"}, {"step", "0.5"}}}});
  int fails = 0, passes = 0;
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    CAPTURE(seed);
    auto shown = item.present(seed);
    auto rows = shown["material"][1]["rows"];
    auto pts = item.points(seed);
    REQUIRE(rows.size() == 7);
    for (std::size_t i = 0; i < pts.size(); ++i) {
      auto set = dec(rows[i][1].get<std::string>()), got = dec(rows[i][2].get<std::string>());
      // Independently: |delivered − set| × 100 <= max(300, 15 × set)
      auto lhs = (got - set).abs() * Decimal(100);
      auto rhs = std::max(Decimal(300), Decimal(15) * set);
      REQUIRE(pts[i].pass == (lhs <= rhs));
      REQUIRE(pts[i].error == got - set);
      REQUIRE((got - set).abs() * Decimal(100) <= Decimal(26) * set);  // within the deviation range, plus rounding
      (pts[i].pass ? passes : fails)++;
    }
  }
  REQUIRE(passes > 0);
  REQUIRE(fails > 0);
}
