#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "assay/report.hpp"

using namespace assay;
using Catch::Matchers::Contains;
using scoring::Outcome;

namespace {

scoring::ScoreResult result(std::string candidate, Fraction percent, Outcome outcome, std::vector<scoring::Reason> reasons = {}) {
  scoring::ScoreResult r;
  r.attempt_id = "a-" + candidate;
  r.candidate_id = std::move(candidate);
  r.assessment_id = "screen";
  r.assessment_version = "1";
  r.assessment_title = "Screening <test>";
  r.points = percent;
  r.max = Fraction(100);
  r.percent = percent;
  r.pass_percent = Fraction(70);
  r.outcome = outcome;
  r.reasons = std::move(reasons);
  scoring::Total t;
  t.id = "units";
  t.title = "SI units";
  t.points = percent;
  t.max = Fraction(100);
  t.percent = percent;
  t.min_percent = Fraction(50);
  r.competencies.push_back(t);
  return r;
}

std::vector<scoring::ScoreResult> summary_cohort() {
  return {result("c1", Fraction(1399, 20), Outcome::kFail, {{"below_pass_mark", "scored 69.9 %, below", "", "", ""}}),
          result("c2", Fraction(100), Outcome::kPass), result("c3", Fraction(70), Outcome::kPass),
          result("c<4>", Fraction(5), Outcome::kFail,
                 {{"below_pass_mark", "scored 5.0 %", "", "", ""}, {"competency_below_minimum", "units <low>", "", "", "units"}}),
          result("c5", Fraction(0), Outcome::kPending)};
}

}  // namespace

TEST_CASE("score distribution bins by ten points, 100 in the top bin, pending left out", "[report]") {
  auto rs = summary_cohort();
  std::vector<const scoring::ScoreResult*> ptrs;
  for (const auto& r : rs) ptrs.push_back(&r);
  REQUIRE(report::distribution(ptrs) == std::vector<std::size_t>{1, 0, 0, 0, 0, 0, 1, 1, 0, 1});
}

TEST_CASE("results rank by exact percent, ties by candidate id with its numbers by value", "[report][rank]") {
  std::vector<scoring::ScoreResult> rs = {
      result("c-10", Fraction(80), Outcome::kPass),      result("c-9", Fraction(80), Outcome::kPass),
      result("c-2", Fraction(1399, 20), Outcome::kFail), result("c-1", Fraction(7, 10), Outcome::kFail),
      result("b-11", Fraction(80), Outcome::kPass),      result("c-09", Fraction(80), Outcome::kPass),
      result("c-3", Fraction(100), Outcome::kPending)};
  std::vector<const scoring::ScoreResult*> ptrs;
  for (const auto& r : rs) ptrs.push_back(&r);
  std::vector<std::string> ranked;
  for (auto i : report::rank(ptrs)) ranked.push_back(rs[i].candidate_id);
  // A pending result ranks by its percent so far; "c-09" and "c-9" are the same number, so their
  // text decides ('0' before '9').
  REQUIRE(ranked == std::vector<std::string>{"c-3", "b-11", "c-09", "c-9", "c-10", "c-2", "c-1"});
}

TEST_CASE("the terminal summary ranks, counts and explains", "[report]") {
  std::string s = report::summary_text(summary_cohort(), false);
  CHECK_THAT(s, Contains("Screening <test> (screen 1)\n"));
  // 2 pass of 4 decided.
  CHECK_THAT(s, Contains("5 candidates: 2 pass, 2 fail, 1 pending; pass rate 50.0% of those decided\n"));
  CHECK_THAT(s, Contains("     1  c2                         100.0  pass     \n"));
  CHECK_THAT(s, Contains("     2  c3                          70.0  pass     \n"));
  CHECK_THAT(s, Contains("     3  c1                          69.9  fail     \n"));  // 69.95 never shows as 70
  // Pending results are left out: (69.95 + 100 + 70 + 5) / 4 = 61.2375.
  CHECK_THAT(s, Contains("  SI units" + std::string(27, ' ') + "61.2% (minimum 50.0%)\n"));
  CHECK_THAT(s, Contains("      2  below_pass_mark            \n"));
  CHECK_THAT(s, Contains("      1  competency_below_minimum   units\n"));
}

TEST_CASE("the HTML report is self-contained and escapes every text", "[report][html]") {
  std::string h = report::summary_html(summary_cohort());
  CHECK_THAT(h, Contains("<h1>Screening &lt;test&gt;</h1>"));
  CHECK_THAT(h, Contains("<td class=\"id\">c&lt;4&gt;</td>"));
  CHECK_THAT(h, Contains("units &lt;low&gt;"));
  CHECK(h.find("c<4>") == std::string::npos);
  CHECK_THAT(h, Contains("<svg"));
  CHECK_THAT(h, Contains("@media print"));
  CHECK(h.find("src=") == std::string::npos);
  CHECK(h.find("<link") == std::string::npos);
  CHECK(h.find("<script") == std::string::npos);
  CHECK(h.find("url(") == std::string::npos);
}

TEST_CASE("html_escape replaces the five special characters", "[report][html]") {
  REQUIRE(report::html_escape(R"(<a href="x">Tom & Jerry's</a>)") ==
          "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
}

TEST_CASE("reading results reports a bad line and keeps the rest", "[report]") {
  auto good = scoring::to_json(result("c2", Fraction(100), Outcome::kPass)).dump();
  auto r = report::read_results("results.jsonl", good + "\n{\"result\": 1}\nnot json\n" + good + "\n");
  REQUIRE(r.results.size() == 2);
  REQUIRE(r.errors.size() == 2);
  CHECK(r.errors[0].line == 2);
  CHECK_THAT(r.errors[0].format(), Contains("results.jsonl:2:1: error: invalid result: "));
  CHECK(r.errors[1].line == 3);
}
