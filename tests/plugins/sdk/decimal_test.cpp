#include <assay/sdk.hpp>
#include <catch2/catch.hpp>
#include "decimal_text.hpp"

using assay::sdk::Decimal;

using assay::test::dec;

TEST_CASE("decimals parse and print exactly", "[sdk][decimal]") {
  auto [text, printed] = GENERATE(table<std::string, std::string>({{"0.1", "0.1"},
                                                                   {"4.950", "4.95"},
                                                                   {"-3.5", "-3.5"},
                                                                   {"500", "500"},
                                                                   {"1e3", "1000"},
                                                                   {"2.5E-2", "0.025"},
                                                                   {"+7", "7"},
                                                                   {"0", "0"}}));
  CAPTURE(text);
  REQUIRE(dec(text.c_str()).to_string() == printed);
}

TEST_CASE("decimals refuse what is not a number", "[sdk][decimal]") {
  auto text = GENERATE(as<std::string>{}, "", "five", "1.2.3", " 1", "1 ", "1e", "--1", ".");
  CAPTURE(text);
  REQUIRE_FALSE(Decimal::parse(text).has_value());
}

TEST_CASE("decimal comparison is exact at a limit", "[sdk][decimal]") {
  REQUIRE(dec("0.1") + dec("0.2") == dec("0.3"));  // binary floating point says otherwise
  REQUIRE(dec("500") == dec("500.000"));
  REQUIRE(dec("499.999") < dec("500"));
  REQUIRE(dec("-1") < dec("0.0001"));
  REQUIRE(dec("1e30") > dec("999999999999999999"));
  REQUIRE((dec("5.05") - dec("4.95")).to_string() == "0.1");
  REQUIRE((dec("1.5") * dec("0.2")).to_string() == "0.3");
}

TEST_CASE("decimal arithmetic that would not fit throws instead of wrapping", "[sdk][decimal]") {
  using assay::sdk::DecimalOverflow;
  // Each of these overflowed the 128-bit mantissa silently (undefined behaviour) before.
  CHECK_THROWS_AS(dec("1e30") + dec("1e-30"), DecimalOverflow);
  CHECK_THROWS_AS(dec("1e900") - dec("0.5"), DecimalOverflow);
  CHECK_THROWS_AS(dec("123456789012345678901234567890") * dec("123456789012345678901234567890"), DecimalOverflow);
  CHECK_THROWS_AS(dec("5").scaled(200'000), DecimalOverflow);
  // Results that fit are unchanged, and rounding very small values gives zero, not a wrapped divisor.
  CHECK((dec("1e20") + dec("1e-15")).to_string() == "100000000000000000000.000000000000001");
  CHECK(dec("1e-60").rounded(2).to_string() == "0");
  CHECK(dec("1e900") > dec("5"));  // comparison never aligns across orders of magnitude
}

TEST_CASE("decimals refuse text longer than the parser's bound before reading it", "[sdk][decimal]") {
  std::string zeros(Decimal::kMaxText, '0');
  CHECK(Decimal::parse(zeros).has_value());
  CHECK_FALSE(Decimal::parse(zeros + "1").has_value());
  CHECK_FALSE(Decimal::parse(std::string(30'000, '9')).has_value());
}

TEST_CASE("decimals round half away from zero", "[sdk][decimal]") {
  REQUIRE(dec("2.45").to_fixed(1) == "2.5");
  REQUIRE(dec("-2.45").to_fixed(1) == "-2.5");
  REQUIRE(dec("9.8").to_fixed(2) == "9.80");
  REQUIRE(dec("7").to_fixed(1) == "7.0");
}

TEST_CASE("the portable generator repeats for a seed and stays in range", "[sdk][rng]") {
  assay::sdk::Rng a(12345), b(12345), c(12346);
  std::vector<std::uint64_t> va, vb, vc;
  for (int i = 0; i < 50; ++i) {
    va.push_back(a.next());
    vb.push_back(b.next());
    vc.push_back(c.next());
  }
  REQUIRE(va == vb);
  REQUIRE(va != vc);
  assay::sdk::Rng r(7);
  for (int i = 0; i < 1000; ++i) {
    auto v = r.between(-3, 3);
    REQUIRE(v >= -3);
    REQUIRE(v <= 3);
  }
}

TEST_CASE("params report the JSON Pointer of what they refuse", "[sdk][params]") {
  auto j = assay::sdk::json::parse(R"({"readings": [{"value_uA": 10}, {"value_uA": "high"}]})");
  assay::sdk::Params p(j);
  try {
    (void)p.at("readings").at(1).at("value_uA").decimal();
    FAIL("expected a ParamError");
  } catch (const assay::sdk::ParamError& e) {
    REQUIRE(e.pointer() == "/readings/1/value_uA");
    REQUIRE(std::string(e.what()) == "expected a decimal number, found \"high\"");
  }
}

TEST_CASE("decimals read from JSON numbers and decimal strings, and nothing else", "[sdk][decimal]") {
  using assay::sdk::json;
  auto [value, printed] = GENERATE(table<json, std::string>({{json(412), "412"},
                                                             {json(-3), "-3"},
                                                             {json(18446744073709551615u), "18446744073709551615"},
                                                             {json(9223372036854775808u), "9223372036854775808"},
                                                             {json("0.05"), "0.05"},
                                                             {json(2.5), "2.5"},
                                                             {json("high"), ""},
                                                             {json(true), ""},
                                                             {json::array({1}), ""}}));
  CAPTURE(value.dump());
  auto d = assay::sdk::decimal_from_json(value);
  CHECK(d.has_value() == !printed.empty());
  if (d) CHECK(d->to_string() == printed);
  CHECK(Decimal::from_json(value) == d);  // the spelling the engine uses, from decimal.hpp alone
}
