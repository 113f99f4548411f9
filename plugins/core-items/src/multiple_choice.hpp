// multiple-choice: several options may be correct ("select all that apply").
#pragma once

#include "common.hpp"

namespace assay::core_items {

/// Params: `prompt`, `options` [{id, text}] (2 to 64, unique ids), secret `correct` (one or more
/// option ids), `shuffle` (default true), `min`/`max` (how many options a candidate may select,
/// shown to the candidate; a response outside them is malformed), `partial_credit` (default false).
///
/// Scoring. Without partial credit: full credit when the selected set equals the correct set,
/// otherwise none. With partial credit, per option: credit = max(0, R - W) / C, where R is the
/// number of correct options selected, W the number of incorrect options selected and C the
/// number of correct options (so selecting everything earns nothing unless every option is
/// correct). With a `credit` table (option id = percent, -100 to 100; the correct options, and
/// only they, earn more than 0 and add up to 100): the credits of the options selected, summed,
/// kept within 0..100 % (Moodle's grading of a multiple-answer question).
/// Response: `{"answer": ["a", "c"]}`; an empty array or no answer earns nothing.
class MultipleChoice {
 public:
  static constexpr const char* kName = "multiple-choice";
  static constexpr const char* kSummary = "select all options that apply (optional partial credit per option)";
  static constexpr bool kSeedFreeScore = true;  // the key is in the params alone
  static json schema();
  static std::vector<sdk::Criterion> criteria();
  static std::vector<sdk::Example> examples();
  static MultipleChoice prepare(const json& params);
  json present(std::uint64_t seed) const;
  std::vector<sdk::Credit> score(std::uint64_t seed, const json& response) const;
  json solve(std::uint64_t seed) const;
  std::string feedback(std::uint64_t seed, const json& response) const;

 private:
  /// The selected options as a bit mask (bit i = options_[i]); a ResponseError when malformed.
  std::uint64_t selected(const json& response) const;

  std::string prompt_;
  std::vector<Option> options_;
  std::uint64_t correct_ = 0;  // bit mask
  std::uint64_t n_correct_ = 0;
  bool shuffle_ = true;
  bool partial_ = false;
  std::vector<std::int64_t> credit_;  // per option in units of kFullCredit; empty: no credit table
  std::int64_t min_ = 0;              // 0: not set
  std::int64_t max_ = 0;              // 0: not set
};

}  // namespace assay::core_items
