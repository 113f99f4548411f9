// The shipped sample cohorts scored, for tests that check something of every result: each
// assessment in assessments/ that has a *.cohort.jsonl beside it, loaded with the test plugins,
// each attempt of its cohort scored by the engine.
#pragma once

#include <catch2/catch.hpp>
#include <filesystem>
#include <functional>
#include <vector>

#include "assay/catalog.hpp"
#include "assay/io.hpp"
#include "assay/model.hpp"
#include "assay/plugins.hpp"
#include "assay/scoring.hpp"

namespace assay_test {

/// Calls `each(result, attempt)` for every attempt of every shipped cohort, in file order.
inline void for_each_shipped_result(
    const std::function<void(const assay::scoring::ScoreResult&, const assay::delivery::Attempt&)>& each) {
  namespace fs = std::filesystem;
  using namespace assay;
  static plugins::Registry registry = plugins::Registry::load({fs::path(ASSAY_TEST_PLUGIN_DIR)});
  for (auto& entry : catalog::scan({fs::path(ASSAY_SOURCE_DIR) / "assessments"})) {
    fs::path cohort = entry.assessment.path;
    cohort.replace_extension(".cohort.jsonl");
    if (!fs::exists(cohort)) continue;
    auto loaded = model::try_prepare_assessment(std::move(entry.assessment), registry);
    REQUIRE(loaded.ok());
    auto text = io::try_read_file(cohort);
    REQUIRE(text.ok());
    auto lines = scoring::read_attempts(cohort.string(), io::split_lines(text.value()), 0);
    std::vector<scoring::Job> jobs;
    for (const auto& l : lines) {
      REQUIRE(l.attempt.has_value());
      jobs.push_back({&loaded.value(), &*l.attempt});
    }
    auto results = scoring::score_all(jobs, {});
    for (std::size_t i = 0; i < results.size(); ++i) each(results[i], *lines[i].attempt);
  }
}

}  // namespace assay_test
