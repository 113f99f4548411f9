// single-choice: one option out of several is correct.
#pragma once

#include "common.hpp"

namespace assay::core_items {

/// Params: `prompt`, `options` [{id, text}] (2 to 64, unique ids), secret `correct` (an option id),
/// secret `unsafe` (option ids that are the unsafe error; none when absent), secret `credit` (a
/// table of option id = percent, -100 to 100: partial credit on `correct` for other options, a
/// negative one counting 0; absent options 0), `shuffle` (default true: options shown in an
/// order drawn from the item seed).
/// Response: `{"answer": ["b"]}`; an empty array or no answer earns nothing on `correct`.
/// Criteria: `correct`; `safe` (a safety criterion: lost only by choosing an unsafe option).
class SingleChoice {
 public:
  static constexpr const char* kName = "single-choice";
  static constexpr const char* kSummary = "one correct option among several (options shuffled per candidate)";
  static constexpr bool kSeedFreeScore = true;  // the key is in the params alone
  static json schema();
  static std::vector<sdk::Criterion> criteria();
  static std::vector<sdk::Example> examples();
  static SingleChoice prepare(const json& params);
  json present(std::uint64_t seed) const;
  std::vector<sdk::Credit> score(std::uint64_t seed, const json& response) const;
  json solve(std::uint64_t seed) const;
  std::string feedback(std::uint64_t seed, const json& response) const;

 private:
  /// The chosen option, or -1 when unanswered; a ResponseError when malformed.
  int chosen(const json& response) const;

  std::string prompt_;
  std::vector<Option> options_;
  std::size_t correct_ = 0;
  std::vector<bool> unsafe_;          // per option: choosing it is the unsafe error
  std::vector<std::int64_t> credit_;  // per option, in units of kFullCredit (the correct one: all of it)
  bool shuffle_ = true;
};

}  // namespace assay::core_items
