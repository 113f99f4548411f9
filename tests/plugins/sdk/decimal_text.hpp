// The decimal a test writes as text; the test fails when the text is not one.
#pragma once

#include <assay/sdk/decimal.hpp>
#include <catch2/catch.hpp>
#include <string_view>

namespace assay::test {

inline sdk::Decimal dec(std::string_view text) {
  auto d = sdk::Decimal::parse(text);
  REQUIRE(d.has_value());
  return *d;
}

}  // namespace assay::test
