// The item-analysis section of the HTML pages (core/report/item_analysis_html.cpp): what the
// report and `assay stats --html` show, and what they never show.
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>

#include "assay/report.hpp"
#include "assay/stats.hpp"

using namespace assay;
using Catch::Matchers::Contains;

namespace {

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

// A deterministic uniform in [0, 1) (SplitMix64).
double uniform(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return static_cast<double>((z ^ (z >> 31)) >> 11) / 9007199254740992.0;
}

scoring::ItemResult item(std::string id, bool right, std::string response) {
  scoring::ItemResult it;
  it.id = std::move(id);
  it.points = Fraction(right ? 1 : 0);
  it.raw = it.points;
  it.max = Fraction(1);
  it.response = std::move(response);
  return it;
}

// `n` candidates of Rasch abilities answering: q1-q4 (0/1, q1 and q2 single choice), q5 "<easy>",
// everyone right but one in twenty, and q6, presented to the first 10 only. On q2 the strong
// candidates choose "a", which earns nothing, and the weak the keyed "b": a miskey.
std::vector<scoring::ScoreResult> html_cohort(std::size_t n) {
  std::uint64_t state = 17;
  std::vector<scoring::ScoreResult> out;
  const double b[] = {-1.0, 0.0, 0.5, 1.0};
  for (std::size_t p = 0; p < n; ++p) {
    const double theta = 3 * (uniform(state) + uniform(state) - 1);
    scoring::ScoreResult r;
    r.candidate_id = "cand-secret-" + std::to_string(p);
    r.attempt_id = "att-" + std::to_string(p);
    r.assessment_id = "screen";
    r.assessment_version = "1";
    r.assessment_title = "Screening";
    r.pass_percent = Fraction(60);
    auto right = [&](double bi) { return uniform(state) < 1 / (1 + std::exp(bi - theta)); };
    const bool q1 = right(b[0]);
    const char* q1_choice = q1 ? "k" : (uniform(state) < 0.5 ? "x" : "y");
    r.items.push_back(item("q1", q1, fmt::format(R"({{"answer": ["{}"]}})", q1_choice)));
    const bool strong = theta > 0.3;
    r.items.push_back(item("q2", !strong, strong ? R"({"answer": ["a"]})" : R"({"answer": ["b"]})"));
    r.items.push_back(item("q3", right(b[2]), R"({"value": "3"})"));
    r.items.push_back(item("q4", right(b[3]), R"({"value": "4"})"));
    r.items.push_back(item("<easy>", p % 20 != 0, R"({"value": "5"})"));
    if (p < 10) r.items.push_back(item("q6", right(0.0), R"({"value": "6"})"));
    Fraction points(0), max(0);
    for (const auto& it : r.items) points = points + it.points, max = max + it.max;
    r.points = points;
    r.max = max;
    r.percent = points * Fraction(100) / max;
    r.outcome = r.percent >= Fraction(60) ? scoring::Outcome::kPass : scoring::Outcome::kFail;
    out.push_back(std::move(r));
  }
  return out;
}

stats::Analysis analysed(const std::vector<scoring::ScoreResult>& results, stats::Model model = stats::Model::kRasch) {
  std::vector<const scoring::ScoreResult*> ptrs;
  for (const auto& r : results) ptrs.push_back(&r);
  stats::Options options;
  options.model = model;
  return stats::analyse(stats::results_matrix(ptrs), options);
}

std::string section_of(const std::string& page) {
  const auto from = page.find("<section class=\"item-analysis\">");
  REQUIRE(from != std::string::npos);
  const auto to = page.find("</section>", from);
  REQUIRE(to != std::string::npos);
  return page.substr(from, to - from);
}

}  // namespace

TEST_CASE("the HTML report gains the item analysis when it has enough candidates", "[report][html][stats]") {
  auto results = html_cohort(200);
  auto page = report::summary_html(results);
  auto section = section_of(page);
  CHECK_THAT(section, Contains("<h2>Item analysis</h2>"));

  SECTION("an item characteristic curve, titled and described, for each item fitted") {
    auto an = analysed(results);
    std::size_t fitted = 0;
    for (const auto& it : an.items) {
      if (!it.model) continue;
      ++fitted;
      CAPTURE(it.id);
      CHECK_THAT(section, Contains("<title id=\"icc-t-0-") &&
                              Contains("Item characteristic curve of item " + report::html_escape(it.id) + "</title>"));
    }
    CHECK(fitted >= 4);
    CHECK(count(section, "<svg class=\"chart icc\"") == fitted);
    CHECK(count(section, "<desc id=\"icc-d-0-") == fitted);
    CHECK(count(section, "<polyline class=\"curve\"") == fitted);
    CHECK(count(section, "<path class=\"curve\"") == 1);  // the test information
    CHECK_THAT(section, Contains("Test information function of a typical form"));
    CHECK_THAT(section, Contains("The test information as a table"));
  }
  SECTION("flags in words, an item too few saw as such and with no figure") {
    CHECK_THAT(section, Contains("<span class=\"flag serious\">possible miskey</span>"));
    CHECK_THAT(section, Contains("<span class=\"flag\">too easy</span>"));
    CHECK_THAT(section, Contains("<tr><td class=\"id\">q6</td><td><span class=\"flag few\">too few to judge</span></td><td "
                                 "class=\"num\">10</td><td class=\"few\" colspan=\"7\">too few to judge: 10 of the 30 "
                                 "candidates needed</td></tr>"));
    CHECK(section.find("Item characteristic curve of item q6") == std::string::npos);
  }
  SECTION("pooled forms: no alpha if deleted column") { CHECK(section.find("alpha if deleted") == std::string::npos); }
  SECTION("reliability figures named") {
    CHECK_THAT(section, Contains("<td>Person separation reliability</td>"));
    CHECK_THAT(section, Contains("Rasch model, over the WLE person estimates"));
  }
  SECTION("distractor bars for the single-choice items, with the key named") {
    // The flagged item's caption repeats its flags.
    const auto caption = section.find("<caption>Item <strong>q2</strong> (200 candidates) <span");
    REQUIRE(caption != std::string::npos);
    CHECK_THAT(section.substr(caption, section.find("</caption>", caption) - caption), Contains("possible miskey"));
    CHECK_THAT(section, Contains("<caption>Item <strong>q1</strong>"));
    CHECK_THAT(section, Contains("<td class=\"id\">b</td><td>key</td>"));
    CHECK(section.find("<caption>Item <strong>q3</strong>") == std::string::npos);
  }
  SECTION("item ids are escaped") {
    CHECK_THAT(section, Contains("&lt;easy&gt;"));
    CHECK(section.find("<easy>") == std::string::npos);
  }
  SECTION("no candidate and no answer appears in it") {
    CHECK(section.find("cand-secret") == std::string::npos);
    CHECK(section.find("att-") == std::string::npos);
    CHECK(section.find("answer") == std::string::npos);
    CHECK(section.find("&quot;") == std::string::npos);
    // The page names each candidate exactly as often as the report did without the section.
    CHECK(count(page, "cand-secret-7<") == 1);
  }
}

TEST_CASE("the HTML report leaves out the item analysis with too few candidates", "[report][html][stats]") {
  auto page = report::summary_html(html_cohort(29));
  CHECK(page.find("item-analysis") == std::string::npos);
  CHECK(page.find("Item characteristic") == std::string::npos);
  CHECK(page.find("too few to judge") == std::string::npos);
  CHECK_THAT(report::summary_html(html_cohort(30)), Contains("<section class=\"item-analysis\">"));
}

TEST_CASE("assay stats --html is one page with no script and no external resource", "[report][html][stats]") {
  auto results = html_cohort(120);
  auto rasch = analysed(results);
  rasch.title = "screen 1 <Screening>";
  auto twopl = analysed(results, stats::Model::k2pl);
  auto none = analysed(results, stats::Model::kNone);
  auto page = report::stats_html({rasch, twopl, none});
  CHECK_THAT(page, Contains("<!DOCTYPE html>"));
  CHECK_THAT(page, Contains("<h2>screen 1 &lt;Screening&gt;</h2>"));
  CHECK(count(page, "<section class=\"item-analysis\">") == 3);
  CHECK(page.find("<script") == std::string::npos);
  CHECK(page.find("src=") == std::string::npos);
  CHECK(page.find("href=") == std::string::npos);
  CHECK(page.find("url(") == std::string::npos);
  CHECK(page.find("cand-secret") == std::string::npos);
  // Each section's charts have their own element ids.
  CHECK(count(page, "<title id=\"tif-t-0\">") == 1);
  CHECK(count(page, "<title id=\"tif-t-1\">") == 1);
  CHECK(page.find("tif-t-2") == std::string::npos);  // no model, no curves
  CHECK_THAT(page, Contains("<td>Marginal reliability</td>"));
  CHECK_THAT(page, Contains("2PL model by marginal maximum likelihood"));
}
