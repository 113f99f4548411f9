// match: pair each entry on the left with one on the right.
#pragma once

#include "common.hpp"

namespace assay::core_items {

/// Params: `prompt`, `left` and `right` [{id, text}] (1 to 64 each; ids unique within a side),
/// secret `pairs` { left id = right id } giving the match of every left entry (a right entry may
/// match several left entries, or none: a distractor), `shuffle` (default true: the right side is
/// shown in an order drawn from the item seed; the left side keeps its order).
/// `weights` { left id = decimal } (0 to 1000000, six decimals at most; a left id not listed
/// weighs 0): matching a left entry correctly earns its weight over the sum of the weights,
/// instead of an equal share; `all_or_nothing` (default false): full credit only when every left
/// entry is matched correctly.
/// Scoring: credit = left entries matched correctly / number of left entries, or as above.
/// Response: `{"answer": {"l1": "r2", ...}}`; a left entry left out counts as not matched.
class Match {
 public:
  static constexpr const char* kName = "match";
  static constexpr const char* kSummary = "pair entries from two lists (credit per correct pair)";
  static constexpr bool kSeedFreeScore = true;  // the key is in the params alone
  static json schema();
  static std::vector<sdk::Criterion> criteria();
  static std::vector<sdk::Example> examples();
  static Match prepare(const json& params);
  json present(std::uint64_t seed) const;
  std::vector<sdk::Credit> score(std::uint64_t seed, const json& response) const;
  json solve(std::uint64_t seed) const;
  std::string feedback(std::uint64_t seed, const json& response) const;

 private:
  static constexpr int kUnmatched = -1;
  /// For each left entry the chosen right index, or kUnmatched.
  std::vector<int> chosen(const json& response) const;

  std::string prompt_;
  std::vector<Option> left_, right_;
  std::vector<std::size_t> key_;        // left index -> right index
  std::vector<std::uint64_t> weights_;  // per left index, in millionths; empty: an equal share
  bool shuffle_ = true;
  bool all_or_nothing_ = false;
};

}  // namespace assay::core_items
