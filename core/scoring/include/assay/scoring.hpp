// Scoring (docs/formats.md, "Result v1"): a recorded attempt and its assessment → a result with exact totals,
// the outcome and every reason for it.
#pragma once

#include <assay/plugin.h>

#include <cstddef>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "assay/delivery.hpp"
#include "assay/results.hpp"

namespace assay::model {
struct Assessment;
struct Item;
struct LoadedAssessment;
}  // namespace assay::model

namespace assay::plugins {
class Registry;
}
namespace assay::io {
struct Line;
}

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

/// "ID=REASON" → the exclusion; nullopt when there is no '=', or the id or reason is empty.
std::optional<Exclusion> parse_exclusion(std::string_view text);

/// `assay score`: attempts (JSON Lines) → results (JSON Lines, input order) and a CSV summary.
struct BatchOptions {
  std::filesystem::path attempts;
  std::filesystem::path out;
  std::optional<std::filesystem::path> csv;
  std::vector<std::filesystem::path> assessment_dirs;  // searched for the attempts' assessments
  bool accept_changed = false;                         // score lines whose digest differs
  std::vector<Exclusion> exclusions;
  std::optional<std::filesystem::path> exclusions_file;  // JSON Lines {"item", "reason"}
  std::optional<std::filesystem::path> ratings_file;     // JSON Lines {"attempt_id", "ratings"}
  unsigned threads = 0;
  std::function<void(std::size_t, std::size_t)> progress;
  /// Further files written atomically after the results, each made from the results and the
  /// attempts they were scored from (same order): xAPI statements, for one.
  struct Export {
    std::filesystem::path file;
    std::function<std::string(const std::vector<ScoreResult>&, const std::vector<const delivery::Attempt*>&)> text;
  };
  std::vector<Export> exports;
};

struct BatchSummary {
  std::size_t lines = 0;     // non-blank lines read
  std::size_t scored = 0;    // results written
  std::size_t rejected = 0;  // lines not scored (each reported)
  std::size_t pass = 0, fail = 0, pending = 0;
  bool input_problems = false;   // rejected lines, or bad lines in the ratings or exclusions file
  std::size_t failed_items = 0;  // items a plugin failed to score (status "failed"): a software problem
  bool io_failed = false;        // a file could not be read or written: nothing more was done
};

/// The attempts lines read on `threads` workers (0 = one per core), in line order: the first
/// step of run_batch.
std::vector<delivery::AttemptLine> read_attempts(const std::string& file, const std::vector<io::Line>& lines, unsigned threads);

/// Runs the batch: every problem is written to `err` as it is found (file:line:col: error: ...),
/// lines that cannot be scored are skipped, the rest are scored and the outputs written
/// atomically. Never throws for bad input.
BatchSummary run_batch(const BatchOptions& options, const plugins::Registry& registry, std::ostream& err);

/// The CSV summary of results: one row per attempt, one column per competency (in order of
/// first appearance), percents truncated to one decimal.
/// Who a result belongs to, for an export an applicant-tracking system imports.
struct Person {
  std::string name, email, external_ref;
};
/// With `people` (one per result, in order), name, email and external_ref follow candidate_id.
std::string summary_csv(const std::vector<ScoreResult>& results, const std::vector<Person>& people = {});

}  // namespace assay::scoring
