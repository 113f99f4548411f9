#include "cvss_score.hpp"

#include <catch2/catch.hpp>

#include "item_checks.hpp"

using assay::cyber::CvssScore;
using assay::sdk::json;
using Catch::Matchers::Equals;

TEST_CASE("cvss-score examples score as declared and survive a key flip", "[cybersecurity][cvss-score]") {
  cyber_test::check_examples<CvssScore>();
}

TEST_CASE("cvss-score refuses bad params at their key path", "[cybersecurity][cvss-score]") {
  auto [params, pointer, message] = GENERATE(table<std::string, std::string, std::string>({
      {R"({"task": "rate", "description": "d", "vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:Z"})", "/vector",
       "invalid vector: metric 'A' has no value 'Z' (expected one of H, L, N)"},
      {R"({"task": "score", "generate": {"QQ": ["N"]}})", "/generate/QQ", "unknown metric 'QQ'"},
      {R"({"task": "score", "generate": {"AV": ["N", "Z"]}})", "/generate/AV/1", "metric 'AV' has no value 'Z'"},
      {R"({"task": "score", "generate": {"MAV": ["N"]}})", "/generate/MAV",
       "environmental metric 'MAV' is not scored by this type"},
      {R"({"task": "score", "ask": ["vector"]})", "/ask/0", "a score task shows the vector, so it cannot ask for it"},
      {R"({"task": "score", "ask": ["score", "grade"]})", "/ask/1",
       "expected one of 'vector', 'score', 'severity', 'temporal-score', found \"grade\""},
      {R"({"task": "guess"})", "/task", "expected one of 'rate', 'score', found \"guess\""},
      {R"({"task": "rate", "vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"})", "",
       "a rate task needs 'description', the text the candidate rates"},
      {R"({"task": "score", "shown_vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "colour": 1})", "/colour",
       "unknown parameter 'colour'"},
  }));
  CAPTURE(params);
  std::string at = "unset";
  REQUIRE_THAT(cyber_test::prepare_error<CvssScore>(json::parse(params), &at), Equals(message));
  REQUIRE(at == pointer);
}

TEST_CASE("cvss-score rate tasks never show the vector", "[cybersecurity][cvss-score]") {
  auto item =
      CvssScore::prepare({{"task", "rate"},
                          {"description", "A stored XSS in the patient portal lets a user run script in a clinician's browser."},
                          {"vector", "CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N"}});
  auto text = item.present(5).dump();
  REQUIRE(text.find("S:C") == std::string::npos);
  REQUIRE(text.find("AV:N") == std::string::npos);
  SECTION("and give partial credit per base metric") {
    // Two metrics wrong (S and PR) of eight.
    auto credits = item.score(5, {{"vector", "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N"}});
    REQUIRE(credits[0] == assay::sdk::Credit{6, 8});
  }
  SECTION("and refuse a vector that does not parse as malformed, naming the metric") {
    // It was scored 0 on the vector before: it is not a wrong answer, it cannot be read.
    json missing = {{"vector", "CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L"}};
    REQUIRE_THROWS_WITH(item.score(5, missing), Catch::Contains("vector: invalid vector: missing base metric 'A'"));
    REQUIRE_THROWS_WITH(item.feedback(5, missing), Catch::Contains("write it as CVSS:3.1/AV:_/AC:_/PR:_/UI:_/S:_/C:_/I:_/A:_"));
  }
}

TEST_CASE("cvss-score generated vectors are shown and keyed alike across seeds", "[cybersecurity][cvss-score]") {
  auto item = CvssScore::prepare({{"task", "score"},
                                  {"generate", {{"E", {"X", "U", "P", "F", "H"}}, {"RC", {"R", "C"}}}},
                                  {"ask", {"score", "severity", "temporal-score"}}});
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    CAPTURE(seed);
    auto shown = item.present(seed);
    auto vector = item.key_vector(seed);
    // The material is the vector the key comes from, and nothing else reveals the score.
    REQUIRE(shown["material"][0]["text"] == vector.to_string());
    auto solved = item.solve(seed);
    REQUIRE(shown.dump().find("\"value\"") == std::string::npos);
    REQUIRE(cyber_test::all_full(item.score(seed, solved)));
    REQUIRE(item.present(seed) == shown);
  }
}

TEST_CASE("cvss-score accepts a score within the marking tolerance and never shows it", "[cybersecurity][cvss-score]") {
  // AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H scores 9.8 (NVD, CVE-2014-0011).
  json params = {{"task", "score"}, {"shown_vector", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}, {"ask", {"score"}}};
  auto exact = CvssScore::prepare(params);
  params["score_tolerance"] = "0.1";
  auto lenient = CvssScore::prepare(params);
  auto [answer, exact_credit, lenient_credit] = GENERATE(table<std::string, bool, bool>({
      {"9.8", true, true},
      {"9.7", false, true},
      {"9.9", false, true},
      {"9.6", false, false},
  }));
  CAPTURE(answer);
  json response = {{"score", {{"value", answer}}}};
  REQUIRE((exact.score(3, response)[1] == assay::sdk::Credit::full()) == exact_credit);
  REQUIRE((lenient.score(3, response)[1] == assay::sdk::Credit::full()) == lenient_credit);
  REQUIRE(exact.present(3) == lenient.present(3));
}

TEST_CASE("cvss-score reads a vector typed in lower case as the canonical one", "[cybersecurity][cvss-score][malformed]") {
  // Table 15 of the v3.1 specification writes metrics and values in upper case; a lower-case
  // vector can only mean the same metrics, so it is read as that vector (it lost 4 of 7 points).
  auto item = CvssScore::prepare(
      {{"task", "rate"}, {"description", "d"}, {"vector", "CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N"}, {"ask", {"vector"}}});
  auto canonical = item.score(1, {{"vector", "CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N"}});
  auto typed =
      GENERATE(as<std::string>{}, "cvss:3.1/av:n/ac:l/pr:l/ui:r/s:c/c:l/i:l/a:n", "Cvss:3.1/Av:N/Ac:L/Pr:L/Ui:R/S:C/C:L/I:L/A:N",
               " CVSS:3.1/AV:N / AC:L / PR:L / UI:R / S:C / C:L / I:L / A:N/ ", "AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N");
  CAPTURE(typed);
  REQUIRE(item.score(1, {{"vector", typed}}) == canonical);
  REQUIRE(item.feedback(1, {{"vector", typed}}) == "vector: every base metric is right\n");
  // Partial credit is unchanged by case: PR and S wrong.
  REQUIRE(item.score(1, {{"vector", "cvss:3.1/av:n/ac:l/pr:n/ui:r/s:u/c:l/i:l/a:n"}})[0] == assay::sdk::Credit{6, 8});
}

TEST_CASE("cvss-score refuses a vector that does not parse and a score off the 0-10 scale",
          "[cybersecurity][cvss-score][malformed]") {
  auto item = CvssScore::prepare({{"task", "score"}, {"shown_vector", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}});
  auto [response, message] = GENERATE(table<std::string, std::string>({
      {R"({"score": {"value": "12"}})", "base score: expected a number from 0.0 to 10.0, found \"12\""},
      {R"({"score": {"value": "-1"}})", "base score: expected a number from 0.0 to 10.0, found \"-1\""},
      {R"({"score": {"value": "9,8"}})",
       "base score: expected a decimal number such as 4.95 (a point for decimals, no thousands separators), found \"9,8\""},
      {R"({"score": {"value": "high"}})",
       "base score: expected a decimal number such as 4.95 (a point for decimals, no thousands separators), found \"high\""},
      {R"({"severity": ["high", "critical"]})", "severity: expected one option, found 2 (\"critical\", \"high\")"},
      {R"({"severity": ["severe"]})",
       "severity: option \"severe\" is not one of the options offered (\"critical\", \"high\", \"low\", \"medium\", \"none\")"},
  }));
  CAPTURE(response);
  REQUIRE(cyber_test::malformed_message(item, 1, json::parse(response)) == message);
  // Within the scale, a wrong score is scored, not refused; the edges are scores.
  REQUIRE(item.score(1, {{"score", {{"value", "10"}}}})[1] == assay::sdk::Credit::none());
  REQUIRE(item.score(1, {{"score", {{"value", "9.8"}}}})[1] == assay::sdk::Credit::full());
  REQUIRE(item.score(1, {{"score", {{"value", " 9.80 "}}}})[1] == assay::sdk::Credit::full());
}

TEST_CASE("cvss-score refuses a vector of another version or with a metric missing", "[cybersecurity][cvss-score][malformed]") {
  auto item =
      CvssScore::prepare({{"task", "rate"}, {"description", "d"}, {"vector", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}});
  REQUIRE(cyber_test::malformed_message(item, 1, {{"vector", "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}}) ==
          "vector: invalid vector: expected the prefix 'CVSS:3.1/', found 'CVSS:3.0'; write it as "
          "CVSS:3.1/AV:_/AC:_/PR:_/UI:_/S:_/C:_/I:_/A:_ with a value for each base metric");
  REQUIRE_THAT(cyber_test::malformed_message(item, 1, {{"vector", "cvss:3.1/av:n/ac:l/pr:n/ui:n/s:u/c:h/i:h"}}),
               Catch::Contains("missing base metric 'A'"));
  REQUIRE(item.score(1, {{"vector", "  "}})[0] == assay::sdk::Credit::none());  // blank is unanswered
}

TEST_CASE("cvss-score feedback names each wrong metric's values by their names", "[cybersecurity][cvss-score][feedback]") {
  auto item = CvssScore::prepare(
      {{"task", "rate"}, {"description", "d"}, {"vector", "CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N"}, {"ask", {"vector"}}});
  auto text = item.feedback(1, {{"vector", "CVSS:3.1/AV:L/AC:L/PR:L/UI:R/S:U/C:H/I:L/A:N"}});
  CHECK_THAT(text, Catch::Contains("Attack Vector (AV): you gave L (Local), the key is N (Network)"));
  CHECK_THAT(text, Catch::Contains("(S): you gave U (Unchanged), the key is C (Changed)"));
  CHECK_THAT(text, Catch::Contains("(C): you gave H (High), the key is L (Low)"));
}
