#include "numeric.hpp"

#include "core_items_test_util.hpp"

using namespace core_items_test;
using assay::core_items::Numeric;
using assay::sdk::Decimal;

namespace {

// 5.0 mA with an absolute tolerance of 0.1 mA: accepted from 4.9 mA to 5.1 mA inclusive.
json five_mA() {
  return {{"prompt", "Current?"},
          {"answer", "5.0"},
          {"tolerance", "0.1"},
          {"unit", "mA"},
          {"units", {"A", "uA", "\u00b5A", "\u03bcA"}}};
}

std::string value(const std::string& v, const std::string& unit) {
  return json({{"answer", {{"value", v}, {"unit", unit}}}}).dump();
}

}  // namespace

TEST_CASE("numeric items give full credit within tolerance, limits included", "[core-items][numeric]") {
  auto item = Numeric::prepare(five_mA());
  auto [v, unit, credit] = GENERATE(table<std::string, std::string, std::string>({
      {"5", "mA", "1/1"},         {"4.9", "mA", "1/1"},  // exactly at the lower limit: 0.1 is a tenth, not a binary approximation
      {"5.1", "mA", "1/1"},                              // exactly at the upper limit
      {"4.9000", "mA", "1/1"},    {"4.89999999", "mA", "0/1"}, {"5.10000001", "mA", "0/1"},
      {"4.95", "mA", "1/1"},      {"5.3", "mA", "0/1"},        {"-5", "mA", "0/1"},
      {"5.1e0", "mA", "1/1"},     {"51e-1", "mA", "1/1"},      {" 5.05 ", "mA", "1/1"},  // surrounding spaces are trimmed
      {"4900", "uA", "1/1"},                                                             // units convert by their SI prefix
      {"4899", "uA", "0/1"},      {"5100", "\u00b5A", "1/1"},                            // MICRO SIGN
      {"5100", "\u03bcA", "1/1"},                                                        // GREEK SMALL LETTER MU
      {"0.0051", "A", "1/1"},     {"0.00511", "A", "0/1"},     {"5", "A", "0/1"},        // the right digits in the wrong unit
  }));
  CAPTURE(v, unit);
  REQUIRE(score(item, value(v, unit)) == credit);
}

TEST_CASE("numeric items accept the larger of the absolute and percent tolerance", "[core-items][numeric]") {
  // 200 with 2.5 % (= 5) and an absolute 1: accepted from 195 to 205.
  auto both = Numeric::prepare({{"prompt", "?"}, {"answer", "200"}, {"tolerance", "1"}, {"tolerance_percent", "2.5"}});
  // -40 with 0.5 only.
  auto negative = Numeric::prepare({{"prompt", "?"}, {"answer", "-40"}, {"tolerance", "0.5"}});
  // exact: no tolerance at all.
  auto exact = Numeric::prepare({{"prompt", "?"}, {"answer", "0.3"}});
  auto [which, v, credit] = GENERATE(table<int, std::string, std::string>({
      {0, "195", "1/1"},
      {0, "205", "1/1"},
      {0, "194.99", "0/1"},
      {0, "205.01", "0/1"},
      {1, "-40.5", "1/1"},
      {1, "-39.5", "1/1"},
      {1, "-40.51", "0/1"},
      {1, "40", "0/1"},
      {2, "0.3", "1/1"},
      {2, ".3", "1/1"},
      {2, "0.30000000000000004", "0/1"},  // 0.1 + 0.2 in binary floating point
  }));
  CAPTURE(which, v);
  const Numeric& item = which == 0 ? both : which == 1 ? negative : exact;
  REQUIRE(score(item, json({{"answer", {{"value", v}}}}).dump()) == credit);
}

TEST_CASE("numeric items convert units given as a table of factors", "[core-items][numeric]") {
  // 90 minutes; an hour is 60 minutes.
  auto item = Numeric::prepare({{"prompt", "How long?"}, {"answer", 90}, {"unit", "min"}, {"units", {{"h", "60"}}}});
  CHECK(score(item, value("1.5", "h")) == "1/1");
  CHECK(score(item, value("90", "min")) == "1/1");
  CHECK(score(item, value("1.5", "min")) == "0/1");
  CHECK(item.present(1)["interactions"][0]["units"] == json({"min", "h"}));
}

TEST_CASE("numeric unit symbols convert when they differ only by an SI prefix", "[core-items][numeric]") {
  auto [from, to, factor] = GENERATE(table<std::string, std::string, std::string>({
      {"A", "mA", "1000"},
      {"uA", "mA", "0.001"},
      {"mA", "mA", "1"},
      {"mm", "m", "0.001"},  // the metre is not mistaken for milli
      {"m", "mm", "1000"},
      {"kPa", "Pa", "1000"},
      {"MHz", "kHz", "1000"},
      {"\u00b5A", "uA", "1"},
      {"dam", "m", "10"},
      {"ns", "ms", "0.000001"},
  }));
  CAPTURE(from, to);
  auto f = Numeric::si_factor(from, to);
  REQUIRE(f.has_value());
  REQUIRE(f->to_string() == factor);
}

TEST_CASE("numeric unit symbols without a common SI base do not convert", "[core-items][numeric]") {
  auto [from, to] = GENERATE(table<std::string, std::string>({{"V", "mA"}, {"h", "min"}, {"mmHg", "kPa"}, {"xA", "A"}}));
  CAPTURE(from, to);
  REQUIRE_FALSE(Numeric::si_factor(from, to).has_value());
}

TEST_CASE("numeric items refuse malformed responses", "[core-items][numeric]") {
  auto item = Numeric::prepare(five_mA());
  auto [response, message] = GENERATE(table<std::string, std::string>({
      {R"({"answer": {"value": "five", "unit": "mA"}})",
       "expected a decimal number such as 4.95 (a point for decimals, no thousands separators), found \"five\""},
      {R"({"answer": {"value": "4,95", "unit": "mA"}})",
       "expected a decimal number such as 4.95 (a point for decimals, no thousands separators), found \"4,95\""},
      {R"({"answer": {"value": "5 mV", "unit": "mA"}})",
       "the value \"5 mV\" has a unit of its own and \"mA\" is given too; give the unit once"},
      {R"({"answer": {"value": 4.95, "unit": "mA"}})", "expected a decimal number as a string, found a float"},
      {R"({"answer": "4.95"})", "expected an object with a \"value\", found a string"},
      {R"({"answer": {"value": "5", "unit": "ma"}})",
       "unknown unit \"ma\": expected the value in one of \"mA\", \"A\", \"uA\", \"\u00b5A\", \"\u03bcA\""},
      {R"({"answer": {"value": "11", "unit": "112"}})",
       "expected one decimal number, found \"11\" followed by \"112\"; write it with a point for decimals and no thousands "
       "separators (such as 4.95)"},
      {R"({"answer": {"value": "5"}})", "expected a unit, one of \"mA\", \"A\", \"uA\", \"\u00b5A\", \"\u03bcA\""},
      {R"({"answer": {"value": "5", "unit": 3}})", "expected a unit as a string, found an integer"},
      {R"({"answer": {"value": "1234567890.123456789", "unit": "mA"}})", "expected at most 18 significant digits, found 19"},
  }));
  CAPTURE(response);
  REQUIRE(response_error(item, response) == message);
}

TEST_CASE("numeric items take the unit as given when they offer only one", "[core-items][numeric]") {
  auto fixed = Numeric::prepare(without(five_mA(), "units"));
  CHECK(score(fixed, R"({"answer": {"value": "5"}})") == "1/1");
  CHECK(score(fixed, R"({"answer": {"value": "5", "unit": "mA"}})") == "1/1");
  CHECK(score(fixed, R"({"answer": {"value": "0.005", "unit": "A"}})") == "1/1");  // converted by its SI prefix
  CHECK(score(fixed, R"({"answer": {"value": "5 A", "unit": "mA"}})") == "0/1");   // the unit typed wins over the one filled in
  CHECK(response_error(fixed, R"({"answer": {"value": "5", "unit": "V"}})") ==
        "unknown unit \"V\": expected the value in \"mA\"");
  CHECK(fixed.present(3)["interactions"][0] == json({{"id", "answer"}, {"type", "numeric"}, {"unit", "mA"}}));

  auto unitless = Numeric::prepare({{"prompt", "?"}, {"answer", "3"}});
  CHECK(response_error(unitless, R"({"answer": {"value": "3", "unit": "mA"}})") == "this item takes no unit, found \"mA\"");
  CHECK(score(unitless, R"({"answer": {"value": "3", "unit": ""}})") == "1/1");  // an empty unit is no unit
  CHECK(unitless.present(3)["interactions"][0] == json({{"id", "answer"}, {"type", "numeric"}}));
}

TEST_CASE("numeric items treat an empty value as no answer", "[core-items][numeric]") {
  auto item = Numeric::prepare(five_mA());
  CHECK(score(item, R"({"answer": {"value": "", "unit": "mA"}})") == "0/1");
  CHECK(score(item, R"({"answer": {"value": "  ", "unit": "mA"}})") == "0/1");
  CHECK(score(item, R"({"answer": {"value": null}})") == "0/1");
  CHECK(score(item, R"({})") == "0/1");
  CHECK(item.feedback(1, json::object()) == "no value was entered");
}

TEST_CASE("numeric items refuse bad params at their JSON Pointer", "[core-items][numeric]") {
  auto [patch, pointer, message] = GENERATE(table<json, std::string, std::string>({
      {{{"tolerance", "-0.1"}}, "/tolerance", "expected 0 or more, found \"-0.1\""},
      {{{"tolerance_percent", -2}}, "/tolerance_percent", "expected 0 or more, found \"-2\""},
      {{{"tolerance", "a tenth"}}, "/tolerance", "expected a decimal number, found \"a tenth\""},
      {{{"answer", "five"}}, "/answer", "expected a decimal number, found \"five\""},
      {{{"answer", true}}, "/answer", "expected a decimal number, found a boolean"},
      {{{"answer", "1234567890123456789"}}, "/answer", "expected at most 18 significant digits, found 19"},
      {{{"units", {"A", "V"}}}, "/units/1", "cannot convert 'V' to 'mA' by an SI prefix; give units as a table of factors"},
      {{{"units", {{"uA", "0"}}}}, "/units/uA", "expected a factor greater than 0, found \"0\""},
      {{{"units", {{"mA", "2"}}}}, "/units/mA", "unit 'mA' is given twice with different factors"},
      {{{"units", "A"}}, "/units", "expected an array of unit symbols or a table of factors, found a string"},
      {{{"unit", ""}}, "/unit", "expected a non-empty string"},
      {{{"unit", std::string(41, 'V')}, {"units", json::array()}}, "/unit", "expected a unit of at most 40 characters, found 41"},
      {{{"units", {{std::string(41, 'x'), "2"}}}},
       "/units/" + std::string(41, 'x'),
       "expected a unit of at most 40 characters, found 41"},
      {{{"tolerance", "1e-40"}}, "/tolerance", "the tolerance and the answer differ too much in scale (over 36 digits)"},
      {{{"tolerence", "0.1"}}, "/tolerence", "unknown key 'tolerence'"},
  }));
  CAPTURE(patch);
  auto r = refusal<Numeric>(patched(five_mA(), patch));
  CHECK(r.pointer == pointer);
  CHECK(r.message == message);
}

TEST_CASE("numeric items need 'unit' before 'units'", "[core-items][numeric]") {
  auto r = refusal<Numeric>(without(five_mA(), "unit"));
  CHECK(r.pointer == "/units");
  CHECK(r.message == "'units' needs 'unit', the unit of the answer");
}

TEST_CASE("numeric presentations never show the answer", "[core-items][numeric]") {
  auto item = Numeric::prepare(patched(five_mA(), {{"answer", "4.321"}}));
  for (std::uint64_t seed = 0; seed < 100; ++seed) {
    auto text = item.present(seed).dump();
    REQUIRE(text.find("4.321") == std::string::npos);
    REQUIRE(text.find("4321") == std::string::npos);
  }
  CHECK(item.present(0)["interactions"][0]["units"] == json({"mA", "A", "uA", "\u00b5A", "\u03bcA"}));
}

TEST_CASE("numeric feedback says which side of the range a value falls", "[core-items][numeric]") {
  auto item = Numeric::prepare(five_mA());
  CHECK(item.feedback(1, json::parse(value("4.95", "mA"))) == "correct: 4.95 mA is within the accepted range");
  CHECK(item.feedback(1, json::parse(value("4800", "uA"))) == "incorrect: 4800 uA (4.8 mA) is below the accepted range");
  CHECK(item.feedback(1, json::parse(value("1", "A"))) == "incorrect: 1 A (1000 mA) is above the accepted range");
}

TEST_CASE("numeric solve writes the answer in the answer's unit", "[core-items][numeric]") {
  auto item = Numeric::prepare(five_mA());
  CHECK(item.solve(7) == json({{"answer", {{"value", "5"}, {"unit", "mA"}}}}));
}

TEST_CASE("numeric items refuse an unknown unit, naming the units they take", "[core-items][numeric][malformed]") {
  // The EHR practice item on accounting days: "2 months" is not read as days.
  auto days = Numeric::prepare({{"prompt", "How many days?"}, {"answer", "60"}, {"unit", "days"}});
  CHECK(response_error(days, R"({"answer": {"value": "2", "unit": "months"}})") ==
        "unknown unit \"months\": expected the value in \"days\"");
  CHECK(response_error(days, R"({"answer": {"value": "2 months"}})") ==
        "unknown unit \"months\": expected the value in \"days\"");
  CHECK(score(days, R"({"answer": {"value": "60", "unit": "Days"}})") == "1/1");  // case and plural carry no meaning here
  CHECK(score(days, R"({"answer": {"value": "60", "unit": "day"}})") == "1/1");
  CHECK(score(days, R"({"answer": {"value": "59", "unit": "days"}})") == "0/1");
}

TEST_CASE("numeric items refuse a number written with a comma as malformed, not as a unit", "[core-items][numeric][malformed]") {
  auto port = Numeric::prepare({{"prompt", "Which port?"}, {"answer", "11112"}});
  // However the number reaches the plugin: whole, or split at the comma by a renderer.
  CHECK(response_error(port, R"({"answer": {"value": "11,112"}})") ==
        "expected a decimal number such as 4.95 (a point for decimals, no thousands separators), found \"11,112\"");
  CHECK(response_error(port, R"({"answer": {"value": "11", "unit": "112"}})") ==
        "expected one decimal number, found \"11\" followed by \"112\"; write it with a point for decimals and no thousands "
        "separators (such as 4.95)");
  CHECK(score(port, R"({"answer": {"value": "11 112"}})") == "1/1");  // digits grouped in threes by a space
}

TEST_CASE("numeric items read the Unicode minus as the ASCII one", "[core-items][numeric]") {
  auto item = Numeric::prepare({{"prompt", "Offset?"}, {"answer", "-7.2"}, {"tolerance", "0.05"}, {"unit", "mV"}});
  for (const char* typed : {"-7.2", "\u22127.2", " \u22127.20 ",
                            "\u2212"
                            "7.2\u00a0"}) {
    CAPTURE(typed);
    CHECK(score(item, value(typed, "mV")) == "1/1");
  }
  CHECK(score(item, value("7.2", "mV")) == "0/1");
  CHECK(item.feedback(1, json::parse(value("\u22127.2", "mV"))) == "correct: -7.2 mV is within the accepted range");
}

TEST_CASE("a numeric item in a decimal-comma locale says so and reads 4,95 as well as the response's 4.95",
          "[core-items][numeric]") {
  auto params = five_mA();
  params["decimal_mark"] = "comma";
  auto item = Numeric::prepare(params);
  CHECK(item.present(1)["interactions"][0]["decimal_mark"] == "comma");
  CHECK(score(item, value("4,95", "mA")) == "1/1");
  CHECK(score(item, value("4.95", "mA")) == "1/1");  // the canonical form the terminal and the page send
  CHECK_FALSE(Numeric::prepare(five_mA()).present(1)["interactions"][0].contains("decimal_mark"));
  // Without the comma locale a comma is never read.
  CHECK_THROWS_AS(Numeric::prepare(five_mA()).score(1, json::parse(value("4,95", "mA"))), assay::sdk::ResponseError);
}
