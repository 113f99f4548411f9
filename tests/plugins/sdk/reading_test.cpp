#include <assay/sdk.hpp>
#include <catch2/catch.hpp>
#include "decimal_text.hpp"

using assay::sdk::Decimal;
using Catch::Matchers::Contains;

using assay::test::dec;

TEST_CASE("numbers are read as people type them", "[sdk][reading]") {
  auto [text, value] = GENERATE(table<std::string, std::string>({
      {"4.95", "4.95"},
      {"  4.95 ", "4.95"},
      {"\xe2\x88\x92"
       "7.2",
       "-7.2"},  // U+2212 MINUS SIGN, as the material prints it
      {"+0.5", "0.5"},
      {"-3", "-3"},
      {"11 112", "11112"},  // digit groups of three, SI style
      {"1\xe2\x80\x89"
       "000\xe2\x80\x89"
       "000",
       "1000000"},  // thin spaces
      {"12\xc2\xa0"
       "500.25",
       "12500.25"},  // a no-break space
      {"0.123 45", "0.12345"},
      {"\xc2\xa0"
       "5\xe2\x80\xaf",
       "5"},  // pasted with no-break spaces around it
      {"2.5E-4", "0.00025"},
  }));
  CAPTURE(text);
  auto d = assay::sdk::read_number(text);
  REQUIRE(d.has_value());
  REQUIRE(*d == dec(value.c_str()));
}

TEST_CASE("a number that cannot be read says what form is expected", "[sdk][reading]") {
  auto text = GENERATE(as<std::string>{}, "11,112", "4,95", "five", "1 2", "1234 567", "12 34", "1.2.3", "- 5", "+-5", "1e");
  CAPTURE(text);
  std::string problem;
  REQUIRE_FALSE(assay::sdk::read_number(text, &problem).has_value());
  REQUIRE_THAT(problem, Contains("expected a decimal number such as 4.95 (a point for decimals, no thousands separators)"));
}

TEST_CASE("a number with its unit splits where the unit starts", "[sdk][reading]") {
  auto [text, value, unit] = GENERATE(table<std::string, std::string, std::string>({
      {"500 uA", "500", "uA"},
      {"500uA", "500", "uA"},
      {"0.5 mA", "0.5", "mA"},
      {"2.5E-4 A", "0.00025", "A"},
      {"5 eV", "5", "eV"},
      {"\xe2\x88\x92"
       "30 J",
       "-30", "J"},
      {"2 months", "2", "months"},
      {"12", "12", ""},
      {"0.3 \xce\xa9", "0.3", "\xce\xa9"},
  }));
  CAPTURE(text);
  auto q = assay::sdk::read_quantity(text);
  REQUIRE(q.has_value());
  REQUIRE(q->value == dec(value.c_str()));
  REQUIRE(q->unit == unit);
}

TEST_CASE("a quantity without a readable number is refused with the form expected", "[sdk][reading]") {
  std::string problem;
  REQUIRE_FALSE(assay::sdk::read_quantity("11,112 days", &problem).has_value());
  REQUIRE(problem == "expected a decimal number such as 4.95 (a point for decimals, no thousands separators), found \"11,112\"");
  REQUIRE_FALSE(assay::sdk::read_quantity("mA 5", &problem).has_value());
  REQUIRE(problem == "expected a decimal number such as 4.95 (a point for decimals, no thousands separators), found \"mA 5\"");
}

TEST_CASE("units convert exactly by SI prefix and spelling", "[sdk][reading]") {
  auto [from, to, factor] = GENERATE(table<std::string, std::string, std::string>({
      {"mA", "uA", "1000"},
      {"uA",
       "\xc2\xb5"
       "A",
       "1"},
      {"\xce\xbc"
       "A",
       "uA", "1"},
      {"A", "mA", "1000"},
      {"nA", "uA", "0.001"},
      {"ohm", "\xce\xa9", "1"},
      {"ohms", "\xe2\x84\xa6", "1"},
      {"mohm", "\xce\xa9", "0.001"},
      {"ml", "mL", "1"},
      {"mL/h", "L/h", "0.001"},
      {"day", "days", "1"},
      {"Months", "months", "1"},
      {"ms", "s", "0.001"},
      {"kg", "g", "1000"},
      {"MA", "mA", "1000000000"},  // megaampere, not milliampere: case carries meaning in SI symbols
  }));
  CAPTURE(from, to);
  auto f = assay::sdk::unit_factor(from, to);
  REQUIRE(f.has_value());
  REQUIRE(*f == dec(factor.c_str()));
}

TEST_CASE("units that are not the same quantity do not convert", "[sdk][reading]") {
  auto [from, to] = GENERATE(table<std::string, std::string>({
      {"months", "days"},
      {"V", "A"},
      {"mL/min", "mL/h"},
      {"min", "in"},
      {"Pa", "a"},
  }));
  CAPTURE(from, to);
  REQUIRE_FALSE(assay::sdk::unit_factor(from, to).has_value());
}

TEST_CASE("a decimal comma is read only where the item's locale says so, and then a point is not", "[sdk][reading]") {
  using assay::sdk::DecimalMark;
  using assay::sdk::read_number;
  CHECK_FALSE(read_number("4,95").has_value());  // never guessed
  REQUIRE(read_number("4,95", nullptr, DecimalMark::kComma) == Decimal::parse("4.95"));
  REQUIRE(read_number("\u22121 234,5", nullptr, DecimalMark::kComma) == Decimal::parse("-1234.5"));
  std::string problem;
  CHECK_FALSE(read_number("4.95", &problem, DecimalMark::kComma).has_value());
  CHECK(problem == "expected a decimal number such as 4,95 (a comma for decimals, no thousands separators), found \"4.95\"");
  auto q = assay::sdk::read_quantity("0,5 mA", nullptr, DecimalMark::kComma);
  REQUIRE(q.has_value());
  CHECK(q->value == *Decimal::parse("0.5"));
  CHECK(q->unit == "mA");
}
