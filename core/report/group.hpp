// Shared by the text and HTML summaries: results grouped by assessment, and their aggregates.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "assay/results.hpp"

namespace assay::report::detail {

struct Group {
  std::string id, version, title;
  std::vector<const scoring::ScoreResult*> results;
};

struct CompetencyAverage {
  std::string id, title;
  Fraction sum;  // of the candidates' percents
  std::size_t count = 0;
  std::optional<Fraction> min_percent;
};

/// How many passed, failed and wait for a rating.
struct OutcomeCount {
  std::size_t pass = 0, fail = 0, pending = 0;
  std::size_t decided() const { return pass + fail; }
};

struct ReasonCount {
  std::string code, subject;
  std::size_t count = 0;
};

/// A failure of a plugin to score responses (problem scoring_failed), with how many results have it.
struct FailureCount {
  std::string item, text;
  std::size_t count = 0;
};

/// By assessment id and version, in order of first appearance.
std::vector<Group> group(const std::vector<scoring::ScoreResult>& results);
OutcomeCount outcome_count(const Group& g);
/// Every distinct plugin failure, in order of first appearance: a problem of the software that
/// the reports show in a section of its own ("Could not be scored").
std::vector<FailureCount> failures(const Group& g);
/// Per item, how many responses the plugin refused as malformed (the candidates' own: scored 0).
std::vector<FailureCount> malformed(const Group& g);
std::vector<CompetencyAverage> competency_averages(const Group& g);
/// Most frequent first.
std::vector<ReasonCount> reason_counts(const Group& g);
/// 100 × part / whole, truncated to one decimal.
std::string percent_of(std::size_t part, std::size_t whole);

}  // namespace assay::report::detail
