// CVSS v3.1 against published scores: FIRST's specification (§6 vector, Appendix A Roundup),
// the v3.1 User Guide §2.6 temporal example, and NVD base scores.
#include <catch2/catch.hpp>

#include "../sdk/decimal_text.hpp"
#include "cvss.hpp"

using assay::cyber::cvss::base_score;
using assay::cyber::cvss::Decimal;
using assay::cyber::cvss::roundup;
using assay::cyber::cvss::severity;
using assay::cyber::cvss::temporal_score;
using assay::cyber::cvss::try_parse;
using Catch::Matchers::Equals;

namespace {

using assay::test::dec;

}  // namespace

TEST_CASE("base scores match the published scores of known vectors", "[cybersecurity][cvss]") {
  auto [vector, score] = GENERATE(table<std::string, std::string>({
      {"AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "9.8"},  // NVD CVE-2014-0011
      {"AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", "10.0"},
      {"AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", "6.1"},  // FIRST calculator example
      {"AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:N", "8.1"},  // NVD CVE-2020-0601
      {"AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", "7.8"},
      {"AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "8.8"},
      {"AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N", "5.9"},
      {"AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N", "4.3"},
      {"AV:N/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:N", "3.8"},  // the vector of spec §6
      {"AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", "9.9"},
      {"AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", "7.5"},  // NVD CVE-2014-0160; 6.42*.56 + 3.887 = 7.48
      {"AV:P/AC:H/PR:L/UI:R/S:U/C:L/I:L/A:H", "5.0"},  // User Guide §2.6
      {"AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", "0.0"},  // no impact scores 0
  }));
  CAPTURE(vector);
  std::string text = "CVSS:3.1/";
  text += vector;
  auto parsed = try_parse(text);
  REQUIRE(parsed);
  REQUIRE(base_score(*parsed.vector) == dec(score.c_str()));
}

TEST_CASE("roundup works on the scaled integer, not on a binary ceiling", "[cybersecurity][cvss]") {
  SECTION("binary noise just above a tenth does not raise the score") {
    REQUIRE(roundup(4.000002) == dec("4.0"));    // ceil(40.00002) / 10 would give 4.1
    REQUIRE(roundup(5.0 * 0.92) == dec("4.6"));  // 4.6000000000000005 in binary
    REQUIRE(roundup(4.0) == dec("4.0"));
  }
  SECTION("anything more than the noise rounds up") {
    REQUIRE(roundup(4.02) == dec("4.1"));
    REQUIRE(roundup(4.00001) == dec("4.1"));
    REQUIRE(roundup(9.81) == dec("9.9"));
    REQUIRE(roundup(0.0) == dec("0"));
  }
}

TEST_CASE("temporal scores follow the user guide example", "[cybersecurity][cvss]") {
  // FIRST CVSS v3.1 User Guide §2.6: base 5.0, temporal 4.6 (v3.0's rounding gives 4.7).
  auto parsed = try_parse("CVSS:3.1/AV:P/AC:H/PR:L/UI:R/S:U/C:L/I:L/A:H/E:H/RL:U/RC:U");
  REQUIRE(parsed);
  REQUIRE(base_score(*parsed.vector) == dec("5.0"));
  REQUIRE(temporal_score(*parsed.vector) == dec("4.6"));
  SECTION("undefined temporal metrics leave the base score") {
    auto base_only = try_parse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
    REQUIRE(temporal_score(*base_only.vector) == dec("9.8"));
  }
  SECTION("each temporal weight lowers the score") {
    // 9.8 * 0.94 * 0.95 * 0.96 = 8.4010... -> 8.5
    auto v = try_parse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O/RC:R");
    REQUIRE(temporal_score(*v.vector) == dec("8.5"));
  }
}

TEST_CASE("severity bands follow the specification's qualitative scale", "[cybersecurity][cvss]") {
  auto [score, band] = GENERATE(table<std::string, std::string>({{"0.0", "none"},
                                                                 {"0.1", "low"},
                                                                 {"3.9", "low"},
                                                                 {"4.0", "medium"},
                                                                 {"6.9", "medium"},
                                                                 {"7.0", "high"},
                                                                 {"8.9", "high"},
                                                                 {"9.0", "critical"},
                                                                 {"10.0", "critical"}}));
  CAPTURE(score);
  REQUIRE(severity(dec(score.c_str())) == band);
}

TEST_CASE("vectors are read in any order with optional metrics", "[cybersecurity][cvss]") {
  auto parsed = try_parse("CVSS:3.1/A:H/I:H/C:H/S:U/UI:N/PR:N/AC:L/AV:N");
  REQUIRE(parsed);
  REQUIRE(base_score(*parsed.vector) == dec("9.8"));
  REQUIRE(parsed.vector->to_string() == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
  auto with_env = try_parse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/CR:H/MAV:L/E:F");
  REQUIRE(with_env);
  REQUIRE(with_env.vector->get("RL") == "X");
  REQUIRE(with_env.vector->to_string() == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:F/CR:H/MAV:L");
}

TEST_CASE("malformed vectors are refused naming the metric at fault", "[cybersecurity][cvss]") {
  auto [text, message, metric] = GENERATE(table<std::string, std::string, std::string>({
      {"AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "invalid vector: expected the prefix 'CVSS:3.1/', found 'AV:N'", ""},
      {"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "invalid vector: expected the prefix 'CVSS:3.1/', found 'CVSS:3.0'", ""},
      {"CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "invalid vector: metric 'AV' appears twice", "AV"},
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", "invalid vector: missing base metric 'A'", "A"},
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/XX:1", "invalid vector: unknown metric 'XX'", "XX"},
      {"CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
       "invalid vector: metric 'AV' has no value 'Q' (expected one of N, A, L, P)", "AV"},
      {"CVSS:3.1/AV:N/AC:X/PR:N/UI:N/S:U/C:H/I:H/A:H", "invalid vector: metric 'AC' has no value 'X' (expected one of L, H)",
       "AC"},
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/", "invalid vector: empty metric between '/' separators", ""},
      {"CVSS:3.1/AV:N/ACL/PR:N/UI:N/S:U/C:H/I:H/A:H", "invalid vector: expected Metric:Value, found 'ACL'", ""},
  }));
  CAPTURE(text);
  auto parsed = try_parse(text);
  REQUIRE_FALSE(parsed);
  REQUIRE_THAT(parsed.error.message, Equals(message));
  REQUIRE(parsed.error.metric == metric);
}
