#include "assay/diagnostic.hpp"

#include <catch2/catch.hpp>

#include "assay/clock.hpp"

TEST_CASE("diagnostics print in compiler format with hints", "[diagnostic]") {
  assay::Diagnostic d;
  d.file = "a.toml";
  d.line = 41;
  d.column = 10;
  d.message = "item 'x': item[3].criteria[0].points: expected an integer, found string \"4\"";
  d.hints = {"write the number without quotes"};
  REQUIRE(d.format() ==
          "a.toml:41:10: error: item 'x': item[3].criteria[0].points: expected an integer, found string \"4\"\n"
          "  hint: write the number without quotes");
  REQUIRE(assay::error_at("", "no file").format() == "error: no file");
}

TEST_CASE("nearest suggests plausible typos only", "[diagnostic]") {
  REQUIRE(assay::nearest("critcal", {"critical", "points", "id"}) == "critical");
  REQUIRE(assay::nearest("plugns", {"plugins", "plugin-check", "validate"}) == "plugins");
  REQUIRE(assay::nearest("xyzzy", {"plugins", "validate"}).empty());
}

TEST_CASE("times print and parse as RFC 3339 UTC", "[clock]") {
  assay::TimePoint t;
  REQUIRE(assay::parse_time("2026-03-01T09:05:07Z", t));
  REQUIRE(assay::format_time(t) == "2026-03-01T09:05:07Z");
  REQUIRE_FALSE(assay::parse_time("2026-02-30T09:05:07Z", t));
  REQUIRE_FALSE(assay::parse_time("2026-03-01 09:05:07", t));
}
