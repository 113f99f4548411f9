// Scoring (DESIGN.md §3): a recorded attempt and its assessment → a result with exact totals,
// the outcome and every reason for it.
#pragma once

#include <assay/plugin.h>

#include <cstddef>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "assay/delivery.hpp"
#include "assay/results.hpp"

namespace assay::model {
struct Assessment;
struct Item;
struct LoadedAssessment;
}  // namespace assay::model

namespace assay::scoring {

/// One attempt to score against its (prepared) assessment.
struct Job {
  const model::LoadedAssessment* assessment = nullptr;
  const delivery::Attempt* attempt = nullptr;
};

struct Options {
  /// Excluded items (the overlay): they count for no one. An item id applies to every
  /// assessment that has an item of that id.
  std::vector<Exclusion> exclusions;
  /// Worker threads; 0 = one per core.
  unsigned threads = 0;
  /// Called with (attempts finished, attempts in all) from worker threads; must be thread-safe.
  std::function<void(std::size_t, std::size_t)> progress;
};

/// Why an attempt cannot be scored against this assessment: each form item the assessment does
/// not have, or that appears twice. Empty when it can be scored.
std::vector<std::string> check_form(const model::Assessment& assessment, const delivery::Attempt& attempt);

/// Scores every job (each must pass check_form). Items are scored through the plugin's
/// score_batch, one batch per item across candidates, on `threads` workers. The results are in
/// job order and depend only on the inputs: the same jobs give the same results on every run.
std::vector<ScoreResult> score_all(std::span<const Job> jobs, const Options& options);

/// score_all for one attempt.
ScoreResult score_attempt(const model::LoadedAssessment& assessment, const delivery::Attempt& attempt,
                          const Options& options = {});

/// The result of one item from its plugin's credits: `credits` holds the type's credits in
/// declaration order (`slots[j]` is the position of the item's criterion j there). `status`
/// is the plugin's status; `answered` is false when the attempt has no response; `ratings`
/// maps criterion id → level name for the rated criteria. Problems (an invalid response, an
/// unknown level) are appended to `problems`; rated criteria without a level to `pending`.
ItemResult score_item(const model::Item& item, const std::vector<std::size_t>& slots, bool answered, int status,
                      std::span<const assay_credit> credits, const std::map<std::string, std::string>* ratings,
                      bool allow_negative, std::vector<Reason>& problems, std::vector<Reason>& pending);

/// The item excluded through the overlay.
ItemResult excluded_item(const model::Item& item, std::uint64_t seed, const std::string& reason);

/// From the item results: section and competency totals, total and percent, the outcome, every
/// reason for it, and the performance level. A pending rating makes the outcome pending (the
/// reasons are given once every rating is in). The level is the highest whose minimum the
/// percent reaches; on a fail, only levels below the pass mark are given.
void finish(ScoreResult& result, const model::Assessment& assessment);

}  // namespace assay::scoring
