#include "electrical_safety.hpp"

#include <catch2/catch.hpp>

#include "../sdk/decimal_text.hpp"
#include "safety_limits.hpp"
#include "type_checks.hpp"

using assay::sdk::Credit;
using assay::sdk::Decimal;
using assay::sdk::json;
using device::ElectricalSafety;
using device::testing::refusal;
namespace safety = device::safety;

using assay::test::dec;
static Decimal decj(const json& j) { return *assay::sdk::decimal_from_json(j); }

TEST_CASE("the limit table holds the IEC 62353 recurrent-test limits", "[device-maintenance][electrical-safety][limits]") {
  SECTION("protective earth resistance by configuration (IEC 62353:2014)") {
    auto [config, limit] = GENERATE(table<std::string, std::string>(
        {{"non-detachable", "0.3"}, {"detachable-inlet", "0.2"}, {"cord", "0.1"}, {"cord-and-equipment", "0.3"}}));
    CAPTURE(config);
    REQUIRE(safety::earth_limit_ohm(*safety::parse_earth_config(config)) == dec(limit));
  }
  SECTION("equipment leakage by class and method; class II alternative is left to the item") {
    auto [cls, method, limit] = GENERATE(table<std::string, std::string, std::string>({{"I", "direct", "500"},
                                                                                       {"I", "differential", "500"},
                                                                                       {"I", "alternative", "1000"},
                                                                                       {"II", "direct", "100"},
                                                                                       {"II", "differential", "100"},
                                                                                       {"II", "alternative", ""}}));
    CAPTURE(cls, method);
    auto got = safety::equipment_leakage_limit_uA(*safety::parse_class(cls), *safety::parse_method(method));
    if (limit.empty()) {
      REQUIRE_FALSE(got.has_value());
    } else {
      REQUIRE(got == dec(limit));
    }
  }
  SECTION("applied-part leakage for F-type parts only") {
    REQUIRE(safety::applied_part_limit_uA(safety::AppliedPart::kBF) == dec("5000"));
    REQUIRE(safety::applied_part_limit_uA(safety::AppliedPart::kCF) == dec("50"));
    REQUIRE_FALSE(safety::applied_part_limit_uA(safety::AppliedPart::kB).has_value());
    REQUIRE_FALSE(safety::applied_part_limit_uA(safety::AppliedPart::kNone).has_value());
  }
}

// Builds a fixed record with one reading per test and returns the judged rows.
static std::vector<ElectricalSafety::Row> judge(const std::string& cls, const std::string& part, const std::string& method,
                                                const std::string& config, json readings, json limits = nullptr) {
  json p = {{"protection_class", cls}, {"applied_part", part}, {"method", method}, {"readings", readings}};
  if (!config.empty()) p["earth_configuration"] = config;
  if (!limits.is_null()) p["limits"] = limits;
  return ElectricalSafety::prepare(p).record(1);
}

static const ElectricalSafety::Row& row(const std::vector<ElectricalSafety::Row>& rows, const std::string& id) {
  for (auto& r : rows)
    if (r.id == id) return r;
  FAIL("no row " << id);
  return rows.front();
}

TEST_CASE("a reading at a limit passes, just above fails, just below passes", "[device-maintenance][electrical-safety][limits]") {
  // offset is the smallest step of the record's resolution: 0.001 Ω, 0.1 µA.
  auto [offset, pass] = GENERATE(table<std::string, bool>({{"0", true}, {"-1", true}, {"1", false}}));
  CAPTURE(offset);
  auto near = [&](const std::string& limit, const std::string& step) {
    return (dec(limit) + dec(offset) * dec(step)).to_string();
  };

  SECTION("protective earth, every configuration") {
    auto [config, limit] = GENERATE(table<std::string, std::string>(
        {{"non-detachable", "0.3"}, {"detachable-inlet", "0.2"}, {"cord", "0.1"}, {"cord-and-equipment", "0.3"}}));
    CAPTURE(config);
    json readings = {{"earth_ohm", near(limit, "0.001")}};
    if (config != "cord") readings["equipment_uA"] = "1";  // a cord alone has no leakage test
    auto rows = judge("I", "none", "direct", config, readings);
    REQUIRE(row(rows, "earth").limit == dec(limit));
    REQUIRE(row(rows, "earth").pass == pass);
  }
  SECTION("equipment leakage, every class and method, every applied part") {
    auto [cls, method, limit] = GENERATE(table<std::string, std::string, std::string>({{"I", "direct", "500"},
                                                                                       {"I", "differential", "500"},
                                                                                       {"I", "alternative", "1000"},
                                                                                       {"II", "direct", "100"},
                                                                                       {"II", "differential", "100"}}));
    auto part = GENERATE(as<std::string>{}, "none", "B", "BF", "CF");
    CAPTURE(cls, method, part);
    json readings = {{"equipment_uA", near(limit, "0.1")}};
    if (cls == "I") readings["earth_ohm"] = "0.05";
    if (part == "BF" || part == "CF") readings["applied_part_uA"] = "1";
    auto rows = judge(cls, part, method, cls == "I" ? "non-detachable" : "", readings);
    REQUIRE(row(rows, "equipment").limit == dec(limit));
    REQUIRE(row(rows, "equipment").pass == pass);
    REQUIRE(rows.size() == (cls == "I" ? 2u : 1u) + (part == "BF" || part == "CF" ? 1u : 0u));
  }
  SECTION("applied-part leakage, BF and CF, both classes and every method") {
    auto [part, limit] = GENERATE(table<std::string, std::string>({{"BF", "5000"}, {"CF", "50"}}));
    auto cls = GENERATE(as<std::string>{}, "I", "II");
    auto method = GENERATE(as<std::string>{}, "direct", "differential", "alternative");
    CAPTURE(part, cls, method);
    json readings = {{"equipment_uA", "1"}, {"applied_part_uA", near(limit, "0.1")}};
    if (cls == "I") readings["earth_ohm"] = "0.05";
    json limits = nullptr;
    if (cls == "II" && method == "alternative") limits = {{"equipment_uA", "500"}};
    auto rows = judge(cls, part, method, cls == "I" ? "cord-and-equipment" : "", readings, limits);
    REQUIRE(row(rows, "applied-part").limit == dec(limit));
    REQUIRE(row(rows, "applied-part").pass == pass);
  }
  SECTION("a limit the item gives (class II, alternative method)") {
    auto rows = judge("II", "none", "alternative", "", {{"equipment_uA", near("500", "0.1")}}, {{"equipment_uA", "500"}});
    REQUIRE(row(rows, "equipment").limit == dec("500"));
    REQUIRE(row(rows, "equipment").pass == pass);
  }
}

TEST_CASE("the earth test at both DC polarities is judged on the higher reading", "[device-maintenance][electrical-safety]") {
  json p = {{"protection_class", "I"},  {"applied_part", "none"},
            {"method", "direct"},       {"earth_configuration", "detachable-inlet"},
            {"earth_polarities", true}, {"readings", {{"earth_ohm", {"0.19", "0.21"}}, {"equipment_uA", "10"}}}};
  auto item = ElectricalSafety::prepare(p);
  auto rows = item.record(3);
  REQUIRE(rows[0].value == dec("0.21"));
  REQUIRE_FALSE(rows[0].pass);  // 0.21 Ω > 0.2 Ω although the + polarity passes
  REQUIRE_THAT(item.present(3).dump(), Catch::Contains("0.19 Ω (+) / 0.21 Ω (−)"));
}

TEST_CASE("electrical-safety scores verdicts, overall and limits per test", "[device-maintenance][electrical-safety]") {
  json p = {{"protection_class", "I"},
            {"applied_part", "CF"},
            {"method", "differential"},
            {"earth_configuration", "cord-and-equipment"},
            {"readings", {{"earth_ohm", "0.12"}, {"equipment_uA", "320"}, {"applied_part_uA", "50.1"}}}};
  auto item = ElectricalSafety::prepare(p);
  json right = {{"tests",
                 {{"earth", {{"limit", "0.3 Ω"}, {"verdict", "pass"}}},
                  {"equipment", {{"limit", "500uA"}, {"verdict", "pass"}}},
                  {"applied-part", {{"limit", "50.0"}, {"verdict", "fail"}}}}},
                {"overall", {"fail"}}};
  auto [response, verdicts, overall, limits] = GENERATE_COPY(table<json, Credit, Credit, Credit>({
      {right, {1, 1}, {1, 1}, {1, 1}},
      // passing a device whose CF applied part failed: the critical mistake
      {{{"tests",
         {{"earth", {{"limit", "0.3"}, {"verdict", "pass"}}},
          {"equipment", {{"limit", "500"}, {"verdict", "pass"}}},
          {"applied-part", {{"limit", "10"}, {"verdict", "pass"}}}}},
        {"overall", {"pass"}}},
       {2, 3},
       {0, 1},
       {2, 3}},
      {json::object(), {0, 1}, {0, 1}, {0, 1}},
      // limits in units that convert exactly are the limits: 0.5 mA is 500 µA
      {{{"tests",
         {{"earth", {{"limit", "300 m\u03a9"}, {"verdict", "pass"}}},
          {"equipment", {{"limit", "0.5 mA"}, {"verdict", "pass"}}},
          {"applied-part", {{"limit", "0.05 mA"}, {"verdict", "fail"}}}}},
        {"overall", {"fail"}}},
       {1, 1},
       {1, 1},
       {1, 1}},
  }));
  CAPTURE(response.dump());
  auto credits = item.score(5, response);
  REQUIRE(credits[0] == verdicts);
  REQUIRE(credits[1] == overall);
  REQUIRE(credits[2] == limits);
  REQUIRE(credits[3] == Credit::full());  // the item does not ask about the recorded limits
}

TEST_CASE("electrical-safety asks whether the record used the limits that apply", "[device-maintenance][electrical-safety]") {
  json p = {{"protection_class", "II"},
            {"applied_part", "CF"},
            {"method", "direct"},
            {"readings", {{"equipment_uA", "40"}, {"applied_part_uA", "30"}}}};
  SECTION("IEC 60601-1 normal-condition CF patient leakage (10 µA) recorded in place of 50 µA") {
    p["recorded_limits"] = {{"equipment_uA", "100"}, {"applied_part_uA", "10"}};
    auto item = ElectricalSafety::prepare(p);
    REQUIRE(item.recorded_limits_correct() == false);
    REQUIRE(item.solve(1)["recorded-limits"] == json::array({"other"}));
    REQUIRE(item.score(1, {{"recorded-limits", {"recurrent"}}})[3] == Credit::none());
    REQUIRE_THAT(item.present(1).dump(), Catch::Contains("Limit on the record"));
  }
  SECTION("the recurrent-test limits recorded") {
    p["recorded_limits"] = {{"equipment_uA", "100"}, {"applied_part_uA", "50"}};
    auto item = ElectricalSafety::prepare(p);
    REQUIRE(item.recorded_limits_correct() == true);
    REQUIRE(item.score(1, {{"recorded-limits", {"recurrent"}}})[3] == Credit::full());
  }
}

TEST_CASE("electrical-safety refuses bad params with the key path", "[device-maintenance][electrical-safety][params]") {
  json base = {{"protection_class", "I"},
               {"applied_part", "CF"},
               {"method", "direct"},
               {"earth_configuration", "non-detachable"},
               {"ranges",
                {{"earth_ohm", {{"min", "0.1"}, {"max", "0.4"}, {"step", "0.01"}}},
                 {"equipment_uA", {{"min", "100"}, {"max", "600"}}},
                 {"applied_part_uA", {{"min", "5"}, {"max", "60"}}}}}};
  REQUIRE(refusal<ElectricalSafety>(base).first.empty());
  auto [path, value, pointer, message] = GENERATE(table<std::string, json, std::string, std::string>({
      {"/applied_part", "BFF", "/applied_part", "expected one of 'none', 'B', 'BF', 'CF', found \"BFF\""},
      {"/method", "indirect", "/method", "expected one of 'direct', 'differential', 'alternative', found \"indirect\""},
      {"/limits", {{"equipment_uA", "-5"}}, "/limits/equipment_uA", "expected a positive number, found -5"},
      {"/limits", {{"applied_part_uA", "0"}}, "/limits/applied_part_uA", "expected a positive number, found 0"},
      {"/ranges/equipment_uA/max", "50", "/ranges/equipment_uA/max", "expected max >= min (100), found 50"},
      {"/ranges/earth_ohm/step", "-0.01", "/ranges/earth_ohm/step", "expected a positive number, found -0.01"},
      {"/ranges/earth_ohm/min", "low", "/ranges/earth_ohm/min", "expected a decimal number, found \"low\""},
      {"/volts", "230", "/volts", "unknown key 'volts'"},
  }));
  CAPTURE(path);
  json p = base;
  p[json::json_pointer(path)] = value;
  auto [got_pointer, got_message] = refusal<ElectricalSafety>(p);
  REQUIRE(got_pointer == pointer);
  REQUIRE(got_message == message);
}

TEST_CASE("electrical-safety refuses records that do not fit the equipment", "[device-maintenance][electrical-safety][params]") {
  SECTION("class II with no confirmed alternative-method limit") {
    auto r = refusal<ElectricalSafety>({{"protection_class", "II"},
                                        {"applied_part", "none"},
                                        {"method", "alternative"},
                                        {"readings", {{"equipment_uA", "10"}}}});
    REQUIRE(r.first == "/limits/equipment_uA");
    REQUIRE(r.second ==
            "missing limit: no confirmed limit for class II equipment leakage by the alternative method; give it in "
            "limits.equipment_uA and cite its source");
  }
  SECTION("class II has no protective earth test") {
    auto r = refusal<ElectricalSafety>({{"protection_class", "II"},
                                        {"applied_part", "none"},
                                        {"method", "direct"},
                                        {"earth_configuration", "cord"},
                                        {"readings", {{"equipment_uA", "10"}}}});
    REQUIRE(r.first == "/earth_configuration");
    REQUIRE(r.second == "class II equipment has no protective earth test; remove earth_configuration");
  }
  SECTION("a type B part has no separate applied-part test") {
    auto r = refusal<ElectricalSafety>({{"protection_class", "II"},
                                        {"applied_part", "B"},
                                        {"method", "direct"},
                                        {"readings", {{"equipment_uA", "10"}, {"applied_part_uA", "3"}}}});
    REQUIRE(r.first == "/readings/applied_part_uA");
    REQUIRE(r.second == "this record has no such test (class II, applied part B)");
  }
  SECTION("neither ranges nor readings") {
    auto r = refusal<ElectricalSafety>({{"protection_class", "II"}, {"applied_part", "none"}, {"method", "direct"}});
    REQUIRE(r.first.empty());
    REQUIRE(r.second == "missing required key 'ranges' (or 'readings' for a fixed record)");
  }
}

TEST_CASE("electrical-safety keys match the generated record over many seeds",
          "[device-maintenance][electrical-safety][property]") {
  device::testing::check_examples_and_seeds<ElectricalSafety>();

  // Limits chosen off the reading grids, so a limit in the presentation can only be a leak.
  json p = {{"protection_class", "I"},
            {"applied_part", "BF"},
            {"method", "direct"},
            {"earth_configuration", "non-detachable"},
            {"ranges",
             {{"earth_ohm", {{"min", "0.10"}, {"max", "0.50"}, {"step", "0.01"}}},
              {"equipment_uA", {{"min", "400"}, {"max", "600"}, {"step", "2"}}},
              {"applied_part_uA", {{"min", "100"}, {"max", "300"}, {"step", "2"}}}}},
            {"limits", {{"earth_ohm", "0.333"}, {"equipment_uA", "517"}, {"applied_part_uA", "271"}}}};
  auto item = ElectricalSafety::prepare(p);
  int fails = 0, passes = 0;
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    CAPTURE(seed);
    auto shown = item.present(seed).dump();
    REQUIRE_THAT(shown, !Catch::Contains("0.333") && !Catch::Contains("517") && !Catch::Contains("271"));
    auto table = item.present(seed)["material"][1]["rows"];
    auto rows = item.record(seed);
    REQUIRE(table.size() == rows.size());
    const std::string keys[] = {"earth_ohm", "equipment_uA", "applied_part_uA"};
    for (std::size_t i = 0; i < rows.size(); ++i) {
      // The key is the shown reading against the item's limit, and the reading lies in its range.
      auto text = table[i][1].get<std::string>();
      auto shown_value = dec(text.substr(0, text.find(' ')));
      auto range = p["ranges"][keys[i]];
      REQUIRE(shown_value >= decj(range["min"]));
      REQUIRE(shown_value <= decj(range["max"]));
      REQUIRE(rows[i].pass == (shown_value <= decj(p["limits"][keys[i]])));
      (rows[i].pass ? passes : fails)++;
    }
  }
  REQUIRE(passes > 0);
  REQUIRE(fails > 0);
}

TEST_CASE("electrical-safety feedback says which verdicts and limits were wrong", "[device-maintenance][electrical-safety]") {
  auto ex = ElectricalSafety::examples()[0];
  auto item = ElectricalSafety::prepare(ex.params);
  auto text = item.feedback(ex.seed, ex.responses[1].response);  // passes everything, cites the type-test CF limit
  REQUIRE_THAT(text, Catch::Contains("Equipment leakage current: 501 µA exceeds the limit of 500 µA, so it fails; your verdict "
                                     "is wrong, and unsafe: a reading above the limit fails, however small the excess; your "
                                     "limit is right."));
  // A wrong limit is answered with the limit that applies, what it is for, and why the one given
  // is not it (here the IEC 60601-1 type-test figure a service manual also quotes).
  REQUIRE_THAT(text, Catch::Contains("50 µA is within the limit of 50 µA (a reading at the limit passes), so it passes; your "
                                     "verdict is right; your limit (10 µA) is not the one that applies: the recurrent-test "
                                     "applied part leakage limit for type CF applied parts (direct method) is 50 µA; 10 µA is "
                                     "the IEC 60601-1 type-test patient leakage limit, a design limit for the manufacturer"));
  REQUIRE_THAT(text, Catch::Contains("your overall verdict is wrong"));
}

TEST_CASE("electrical-safety feedback explains an over-cautious verdict and a wrong earth limit",
          "[device-maintenance][electrical-safety]") {
  auto ex = ElectricalSafety::examples()[0];
  auto item = ElectricalSafety::prepare(ex.params);
  json answer = {{"tests",
                  {{"earth", {{"limit", "0.2"}, {"verdict", "fail"}}},
                   {"equipment", {{"limit", "500"}, {"verdict", "fail"}}},
                   {"applied-part", {{"limit", "50"}, {"verdict", "pass"}}}}},
                 {"overall", {"fail"}}};
  auto text = item.feedback(ex.seed, answer);
  CHECK_THAT(text, Catch::Contains("your verdict is wrong: limits are maxima and a reading at or below one passes "
                                   "(over-cautious, not unsafe)"));
  CHECK_THAT(text, Catch::Contains(
                       "your limit (0.2 Ω) is not the one that applies: the recurrent-test protective earth resistance limit for "
                       "a non-detachable power cord, mains plug to protectively earthed parts is 0.3 Ω."));
}

TEST_CASE("electrical-safety refuses a record table it cannot read, naming the cell",
          "[device-maintenance][electrical-safety][malformed]") {
  // These were scored as wrong before: a limit in a unit of another quantity, an empty cell.
  json p = {{"protection_class", "I"},
            {"applied_part", "CF"},
            {"method", "differential"},
            {"earth_configuration", "cord-and-equipment"},
            {"readings", {{"earth_ohm", "0.12"}, {"equipment_uA", "320"}, {"applied_part_uA", "50.1"}}}};
  auto item = ElectricalSafety::prepare(p);
  auto tests = [](const char* earth_limit, const char* equipment_verdict) {
    return json{{"tests",
                 {{"earth", {{"limit", earth_limit}, {"verdict", "pass"}}},
                  {"equipment", {{"limit", "500"}, {"verdict", equipment_verdict}}},
                  {"applied-part", {{"limit", "50"}, {"verdict", "fail"}}}}}};
  };
  auto [response, message] = GENERATE_COPY(table<json, std::string>({
      {tests("0.3 uA", "pass"),
       "cell Limit of Protective earth resistance: the unit \"uA\" is not a unit of \u03a9; give the limit in \u03a9"},
      {tests("0,3", "pass"),
       "cell Limit of Protective earth resistance: expected a decimal number such as 4.95 (a point for decimals, no thousands "
       "separators), found \"0,3\""},
      {tests("0.3", ""), "cell Verdict of Equipment leakage current is empty: choose Pass or Fail"},
      {tests("0.3", "ok"), "cell Verdict of Equipment leakage current: \"ok\" is not one of the options; choose Pass or Fail"},
      {json{{"tests", {{"earth", {{"limit", "0.3"}, {"verdict", "pass"}}}}}},
       "cell Limit of Equipment leakage current is empty: give the limit as a number in the test's unit, such as 500"},
      {json{{"overall", {"pass", "fail"}}}, "overall verdict: expected one option, found 2; choose Pass or Fail"},
  }));
  CAPTURE(response.dump());
  REQUIRE(device::testing::malformed_message(item, 5, response) == message);
}

TEST_CASE("electrical-safety under NFPA 99 or the manufacturer takes every limit from the item and says whose it is",
          "[device-maintenance][electrical-safety][regime]") {
  json base = {{"equipment", "Patient monitor"},
               {"protection_class", "I"},
               {"applied_part", "none"},
               {"method", "direct"},
               {"earth_configuration", "non-detachable"},
               {"readings", {{"earth_ohm", "0.45"}, {"equipment_uA", "120"}}}};
  SECTION("no built-in limit outside IEC 62353") {
    json p = base;
    p["regime"] = "nfpa99";
    REQUIRE_THROWS_WITH(ElectricalSafety::prepare(p),
                        Catch::Contains("under regime \"nfpa99\" the plugin has no built-in limit; give it in limits.earth_ohm "
                                        "and cite the NFPA 99 edition and clause in the item's source"));
    p["regime"] = "manufacturer";
    REQUIRE_THROWS_WITH(ElectricalSafety::prepare(p), Catch::Contains("name the service manual in the item's source"));
  }
  SECTION("NFPA 99: the record names the code, the item's limits decide") {
    json p = base;
    p["regime"] = "nfpa99";
    p["standard"] = "NFPA 99 (edition and clause as the item's source states)";
    p["limits"] = {{"earth_ohm", "0.5"}, {"equipment_uA", "100"}};
    auto item = ElectricalSafety::prepare(p);
    auto rows = item.record(1);
    REQUIRE(rows[0].pass);        // 0.45 ohm within 0.5
    REQUIRE_FALSE(rows[1].pass);  // 120 uA over 100
    CHECK_THAT(item.present(1).dump(), Catch::Contains("The hospital tests this equipment to NFPA 99 (edition and clause"));
    json answer = {
        {"tests", {{"earth", {{"limit", "0.3"}, {"verdict", "pass"}}}, {"equipment", {{"limit", "500"}, {"verdict", "fail"}}}}},
        {"overall", {"fail"}}};
    CHECK_THAT(item.feedback(1, answer),
               Catch::Contains("your limit (500 µA) is not the one that applies: the NFPA 99 (edition and clause as the item's "
                               "source states) equipment leakage limit for class I equipment measured by the direct method is "
                               "100 µA."));
  }
  SECTION("manufacturer: the limits are shown on the record") {
    json p = base;
    p["regime"] = "manufacturer";
    p["limits"] = {{"earth_ohm", "0.2"}, {"equipment_uA", "300"}};
    auto item = ElectricalSafety::prepare(p);
    CHECK_THAT(item.present(1).dump(),
               Catch::Contains("Limits that apply (the manufacturer's service manual): Protective earth resistance ≤ 0.2 Ω; "
                               "Equipment leakage current ≤ 300 µA."));
  }
}

TEST_CASE("electrical-safety under a service manual names its tests as the manual does",
          "[device-maintenance][electrical-safety][regime]") {
  json p = {
      {"equipment", "Ultrasound system"},
      {"regime", "manufacturer"},
      {"standard", "the service manual's US limits"},
      {"protection_class", "I"},
      {"applied_part", "none"},
      {"method", "direct"},
      {"test_names", {{"earth_ohm", "System ground continuity"}, {"equipment_uA", "Earth leakage current, closed neutral"}}},
      {"readings", {{"earth_ohm", "0.15"}, {"equipment_uA", "320"}}},
      {"limits", {{"earth_ohm", "0.2"}, {"equipment_uA", "300"}}}};
  auto item = ElectricalSafety::prepare(p);  // no earth_configuration: the manual states its own test
  auto shown = item.present(1).dump();
  CHECK_THAT(shown, Catch::Contains("Tests made as the service manual specifies them."));
  CHECK_THAT(shown, Catch::Contains("System ground continuity ≤ 0.2 Ω; Earth leakage current, closed neutral ≤ 300 µA."));
  json answer = {
      {"tests", {{"earth", {{"limit", "0.5"}, {"verdict", "pass"}}}, {"equipment", {{"limit", "300"}, {"verdict", "pass"}}}}},
      {"overall", {"pass"}}};
  auto text = item.feedback(1, answer);
  CHECK_THAT(text, Catch::Contains("your limit (0.5 Ω) is not the one that applies: the limit in the service manual's US limits "
                                   "for the System ground continuity is 0.2 Ω."));
  CHECK_THAT(text, Catch::Contains("your overall verdict is wrong, and unsafe"));
  p["regime"] = "iec62353";
  p["earth_configuration"] = "non-detachable";
  REQUIRE_THROWS_WITH(ElectricalSafety::prepare(p), Catch::Contains("IEC 62353 names its own tests"));
}
