#include <catch2/catch.hpp>

#include <stdexcept>

#include "assay/fraction.hpp"

using assay::Fraction;

TEST_CASE("fractions are normalised on construction", "[fraction]") {
  auto [num, den, text] = GENERATE(table<long, long, std::string>({
      {6, 8, "3/4"},
      {-6, 8, "-3/4"},
      {6, -8, "-3/4"},
      {0, 5, "0"},
      {10, 5, "2"},
      {-9, -3, "3"},
  }));
  CAPTURE(num, den);
  REQUIRE(Fraction(num, den).to_string() == text);
}

TEST_CASE("fraction arithmetic is exact", "[fraction]") {
  SECTION("a tenth plus two tenths is three tenths") { REQUIRE(Fraction(1, 10) + Fraction(2, 10) == Fraction(3, 10)); }
  SECTION("thirds add up to one") { REQUIRE(Fraction(1, 3) + Fraction(1, 3) + Fraction(1, 3) == Fraction(1)); }
  SECTION("products cancel") { REQUIRE(Fraction(2, 3) * Fraction(9, 4) == Fraction(3, 2)); }
  SECTION("subtraction can go negative") { REQUIRE((Fraction(1, 4) - Fraction(1, 2)).to_string() == "-1/4"); }
  SECTION("division") { REQUIRE(Fraction(3, 4) / Fraction(3, 8) == Fraction(2)); }
  SECTION("division by zero throws") { REQUIRE_THROWS_AS(Fraction(1) / Fraction(0), std::domain_error); }
  SECTION("a zero denominator throws") { REQUIRE_THROWS_AS(Fraction(1, 0), std::domain_error); }
}

TEST_CASE("fractions compare by value", "[fraction]") {
  REQUIRE(Fraction(1399, 20) < Fraction(70));
  REQUIRE(Fraction(7, 10) > Fraction(69, 100));
  REQUIRE(Fraction(-1, 2) < Fraction(0));
  REQUIRE(Fraction(2, 4) == Fraction(1, 2));
  REQUIRE(Fraction(70) >= Fraction(140, 2));
}

TEST_CASE("fraction overflow throws instead of wrapping", "[fraction]") {
  Fraction big = Fraction(INT64_MAX) * Fraction(INT64_MAX);  // about 2^126: fits
  REQUIRE_THROWS_AS(big * Fraction(4), std::overflow_error);
  REQUIRE_THROWS_AS(big + big + big + big, std::overflow_error);
  // Coprime denominators near 2^64 make the common denominator overflow.
  Fraction a = Fraction::from_credit(1, UINT64_MAX);
  Fraction b = Fraction::from_credit(1, UINT64_MAX - 1);
  Fraction c = Fraction::from_credit(1, UINT64_MAX - 2);
  REQUIRE_THROWS_AS(a + b + c, std::overflow_error);
}

TEST_CASE("percent is exact and display truncates toward zero", "[fraction][percent]") {
  SECTION("69.95 % stays below 70 % and shows as 69.9") {
    Fraction p = Fraction::percent(Fraction(1399), Fraction(2000));
    REQUIRE(p == Fraction(1399, 20));
    REQUIRE(p < Fraction(70));
    REQUIRE(p.to_decimal(1) == "69.9");
    REQUIRE(p.to_decimal(0) == "69");
    REQUIRE(p.to_decimal(2) == "69.95");
  }
  SECTION("two thirds") {
    Fraction p = Fraction::percent(Fraction(2), Fraction(3));
    REQUIRE(p.to_string() == "200/3");
    REQUIRE(p.to_decimal(1) == "66.6");  // 66.666..., truncated, not rounded to 66.7
  }
  SECTION("a whole of zero gives zero") { REQUIRE(Fraction::percent(Fraction(3), Fraction(0)) == Fraction(0)); }
  SECTION("small and negative values") {
    REQUIRE(Fraction(1, 200).to_decimal(1) == "0.0");
    REQUIRE(Fraction(-1, 200).to_decimal(1) == "0.0");
    REQUIRE(Fraction(-3, 2).to_decimal(1) == "-1.5");
    REQUIRE(Fraction(5).to_decimal(1) == "5.0");
    REQUIRE(Fraction(1, 20).to_decimal(2) == "0.05");
  }
}

TEST_CASE("fractions parse their own text and decimals", "[fraction]") {
  auto [text, expected] = GENERATE(table<std::string, std::string>({
      {"3", "3"},
      {"-7/2", "-7/2"},
      {"6/8", "3/4"},
      {"69.95", "1399/20"},
      {"0.1", "1/10"},
      {"-0.5", "-1/2"},
      {"+2", "2"},
  }));
  CAPTURE(text);
  auto f = Fraction::parse(text);
  REQUIRE(f.has_value());
  REQUIRE(f->to_string() == expected);
}

TEST_CASE("fractions refuse text that is not a number", "[fraction]") {
  auto text = GENERATE(as<std::string>{}, "", "-", "1/0", "1.", ".5", "1/2/3", "abc", "1e3", "3 ",
                       "999999999999999999999999999999999999999999");
  CAPTURE(text);
  REQUIRE_FALSE(Fraction::parse(text).has_value());
}

TEST_CASE("a decimal becomes the same exact fraction its text gives", "[fraction]") {
  auto text = GENERATE(as<std::string>{}, "0", "0.1", "69.95", "-3.5", "500", "1e3", "2.5E-4", "123456789012345678901234567890",
                       "0.000000000000000000000000000001");
  CAPTURE(text);
  auto d = assay::sdk::Decimal::parse(text);
  REQUIRE(d.has_value());
  auto f = assay::Fraction::parse(d->to_string());
  REQUIRE(f.has_value());
  CHECK(assay::Fraction::from_decimal(*d) == *f);
}

TEST_CASE("a decimal too large for an exact fraction is refused, not wrapped", "[fraction]") {
  CHECK_THROWS_AS(assay::Fraction::from_decimal(*assay::sdk::Decimal::parse("1e40")), std::overflow_error);
  CHECK_THROWS_AS(assay::Fraction::from_decimal(*assay::sdk::Decimal::parse("1e-40")), std::overflow_error);
}

TEST_CASE("points are shown rounded half up to two places, percents truncated", "[fraction]") {
  CHECK(assay::Fraction(8, 3).to_rounded(2) == "2.67");      // two thirds of 4, not 2.66
  CHECK(assay::Fraction(1, 200).to_rounded(2) == "0.01");    // half up
  CHECK(assay::Fraction(-1, 200).to_rounded(2) == "-0.01");  // half away from zero
  CHECK(assay::Fraction(1, 201).to_rounded(2) == "0");
  CHECK(assay::Fraction(5, 2).to_rounded(2) == "2.5");
  CHECK(assay::Fraction(1).to_rounded(2) == "1");
  CHECK(assay::points_text(assay::Fraction(1), assay::Fraction(1)) == "1 of 1 point");
  CHECK(assay::points_text(assay::Fraction(8, 3), assay::Fraction(4)) == "2.67 of 4 points");
  CHECK(assay::points_text(assay::Fraction(0), assay::Fraction(1, 2)) == "0 of 0.5 points");
  // A fail never shows as the mark it missed.
  CHECK(assay::percent_text(assay::Fraction(1399, 20)) == "69.9%");
}
