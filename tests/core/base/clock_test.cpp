#include "assay/clock.hpp"

#include <catch2/catch.hpp>
#include <string>

namespace {

std::string read_back(const std::string& text) {
  assay::TimePoint t;
  REQUIRE(assay::parse_time(text, t));
  return assay::format_time(t);
}

}  // namespace

TEST_CASE("times are read as RFC 3339 date-times, offsets turned into UTC", "[clock]") {
  auto [text, utc] = GENERATE(table<std::string, std::string>({
      {"2026-03-01T09:00:00Z", "2026-03-01T09:00:00Z"},
      {"2026-03-01t09:00:00z", "2026-03-01T09:00:00Z"},       // RFC 3339 allows lower case
      {"2026-03-01T09:00:00.75Z", "2026-03-01T09:00:00Z"},    // fractions are dropped
      {"2026-03-01T10:30:00+01:30", "2026-03-01T09:00:00Z"},  // east of UTC
      {"2026-02-28T23:00:00-10:00", "2026-03-01T09:00:00Z"},  // west, across a month end
      {"2024-02-29T00:00:00Z", "2024-02-29T00:00:00Z"},       // a leap day
      {"2026-12-31T23:59:60Z", "2027-01-01T00:00:00Z"},       // a leap second
  }));
  CAPTURE(text);
  CHECK(read_back(text) == utc);
}

TEST_CASE("a time that is not an RFC 3339 date-time is refused", "[clock]") {
  auto text = GENERATE(as<std::string>{}, "", "2026-03-01", "2026-03-01T09:00:00",  // no zone
                       "2026-03-01T-9:00:00Z", "2026-3-1T9:0:0Z", " 2026-03-01T09:00:00Z", "2026-03-01T09:00:00Z ",
                       "2026-03-01 09:00:00Z", "2026-02-30T09:00:00Z", "2025-02-29T09:00:00Z", "2026-13-01T09:00:00Z",
                       "2026-03-01T24:00:00Z", "2026-03-01T09:60:00Z", "2026-03-01T09:00:61Z", "2026-03-01T09:00:00.Z",
                       "2026-03-01T09:00:00+1:00", "2026-03-01T09:00:00+24:00", "2026-03-01T09:00:00+01:60",
                       "2026-03-01T09:00:00+0100", "+2026-03-01T09:00:00Z", "２０２６-03-01T09:00:00Z");
  CAPTURE(text);
  assay::TimePoint t{};
  CHECK_FALSE(assay::parse_time(text, t));
}
