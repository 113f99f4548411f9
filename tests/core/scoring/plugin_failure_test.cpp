// A plugin that fails to score (ASSAY_STATUS_INTERNAL with its own message) is a failure of the
// software, never silently the candidate's zero: the item is "failed", the batch reports each
// failure with its count and the plugin's words, `assay score` exits 1, and the reports show a
// "could not be scored" section. The other items are scored as usual.
#include <fmt/format.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "assay/delivery.hpp"
#include "assay/model.hpp"
#include "assay/plugins.hpp"
#include "assay/report.hpp"
#include "assay/scoring.hpp"
#include "core/plugins/fixture_assessment.hpp"
#include "core/plugins/staging.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using nlohmann::json;

namespace {

struct Cohort {
  assay::test::StagingDir plugins, work;
  fs::path toml, attempts, out;
  Cohort() {
    plugins.add("fails_in_score.so");
    toml = work.path() / "assessment.toml";
    attempts = work.path() / "attempts.jsonl";
    out = work.path() / "results.jsonl";
    std::ofstream(toml) << assay::test::yes_no_assessment("fixture-plugin-failure", "practice", "fixture-fails-in-score",
                                                          {{"broken", "yes"}}, true);
  }
  assay::plugins::Registry registry() const { return assay::plugins::Registry::load({plugins.path(), ASSAY_TEST_PLUGIN_DIR}); }
  /// Three candidates, each answering both items.
  void write_attempts(const assay::model::LoadedAssessment& loaded) const {
    assay::FakeClock clock(assay::TimePoint(std::chrono::seconds(1'772'355'600)));
    std::ofstream f(attempts);
    for (int i = 1; i <= 3; ++i) {
      auto a = assay::delivery::start_attempt(loaded.assessment, fmt::format("a-{}", i), fmt::format("c-{}", i), 40 + i, clock);
      a.answers["unit"] = R"({"answer":["ohm"]})";
      a.answers["broken"] = R"({"answer":["yes"]})";
      f << assay::delivery::to_json(a).dump() << '\n';
    }
  }
};

}  // namespace

TEST_CASE("a plugin that fails to score is reported with its words and a count, never as the candidate's zero",
          "[scoring][plugin-failure]") {
  Cohort c;
  auto registry = c.registry();
  auto loaded = assay::model::try_load_and_prepare(c.toml, registry);
  REQUIRE(loaded.ok());
  c.write_attempts(loaded.value());

  assay::scoring::BatchOptions o;
  o.attempts = c.attempts;
  o.out = c.out;
  o.assessment_dirs = {c.work.path()};
  std::ostringstream err;
  auto summary = assay::scoring::run_batch(o, registry, err);
  CHECK(summary.scored == 3);
  CHECK(summary.failed_items == 3);
  CHECK_FALSE(summary.input_problems);  // the input was fine: the plugin was not
  CHECK_THAT(err.str(), Contains("error: item 'broken': plugin type 'fixture-fails-in-score/yes-no' could not score the "
                                 "response (internal error): the scoring table for this item was not loaded; the item "
                                 "scores 0 (3 responses)"));
  CHECK_THAT(err.str(), Contains("hint: this is a failure of the plugin, not of the candidates"));

  std::ifstream in(c.out);
  std::vector<assay::scoring::ScoreResult> results;
  for (std::string line; std::getline(in, line);) {
    auto r = assay::scoring::try_result_from_json(json::parse(line));
    REQUIRE(r.ok());
    auto j = json::parse(line);
    for (const auto& item : j.at("items")) {
      CAPTURE(item.dump());
      CHECK(item.at("status") == (item.at("id") == "broken" ? "failed" : "scored"));  // a name, never a number
    }
    results.push_back(std::move(r.value()));
  }
  REQUIRE(results.size() == 3);
  CHECK(results[0].points == assay::Fraction(1));  // the healthy item still counts
  auto text = assay::report::summary_text(results, false);
  CHECK_THAT(text, Contains("Could not be scored (a plugin failed: not the candidates' doing)"));
  CHECK_THAT(text, Contains("      3  item 'broken': plugin type 'fixture-fails-in-score/yes-no' could not score"));
  CHECK_THAT(assay::report::summary_html(results), Contains("<h2>Could not be scored</h2>"));
}

TEST_CASE("assay score exits 1 when a plugin failed, and says how many items could not be scored",
          "[scoring][plugin-failure][cli]") {
  Cohort c;
  auto registry = c.registry();
  auto loaded = assay::model::try_load_and_prepare(c.toml, registry);
  REQUIRE(loaded.ok());
  c.write_attempts(loaded.value());
  auto cmd = fmt::format("'{}' --plugin-dir '{}' score '{}' --assessments '{}' -o '{}' > '{}' 2> '{}'", ASSAY_BINARY,
                         c.plugins.path().string(), c.attempts.string(), c.work.path().string(), c.out.string(),
                         (c.work.path() / "stdout").string(), (c.work.path() / "stderr").string());
  int status = std::system(cmd.c_str());
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 1);
  std::ifstream out(c.work.path() / "stdout");
  std::string said((std::istreambuf_iterator<char>(out)), std::istreambuf_iterator<char>());
  CHECK_THAT(said, Contains("scored 3 of 3 attempts") && Contains("; 3 items could not be scored"));
  CHECK(fs::file_size(c.out) > 0);  // every result is still written
}
