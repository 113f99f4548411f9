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
  SECTION("and explain a malformed vector naming the metric") {
    auto fb = item.feedback(5, {{"vector", "CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L"}});
    REQUIRE_THAT(fb, Catch::Contains("invalid vector: missing base metric 'A'"));
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
