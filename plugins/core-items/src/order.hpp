// order: put options into the right sequence.
#pragma once

#include "common.hpp"

namespace assay::core_items {

/// Params: `prompt`, `options` [{id, text}] (2 to 64), secret `correct_order` (every option id
/// once), `scoring`: "exact" (default; full credit for the whole sequence, else none) or
/// "adjacent-pairs" (credit = neighbouring pairs of the response that are also neighbours, in
/// that order, in the correct sequence / (n - 1)). The options are always shown in an order drawn
/// from the item seed, which may by chance be the correct one (redrawing it would let the key
/// shape the presentation). Response: `{"answer": ["c", "a", "b"]}`, every option id once.
class Order {
 public:
  static constexpr const char* kName = "order";
  static constexpr const char* kSummary = "put options into sequence (exact, or partial credit by adjacent pairs)";
  static constexpr bool kSeedFreeScore = true;  // the key is in the params alone
  static json schema();
  static std::vector<sdk::Criterion> criteria();
  static std::vector<sdk::Example> examples();
  static Order prepare(const json& params);
  json present(std::uint64_t seed) const;
  std::vector<sdk::Credit> score(std::uint64_t seed, const json& response) const;
  json solve(std::uint64_t seed) const;
  std::string feedback(std::uint64_t seed, const json& response) const;

 private:
  /// Option indices in the response's order; empty when unanswered.
  std::vector<std::size_t> sequence(const json& response) const;
  /// Neighbouring pairs of `seq` that are neighbours in the correct order.
  std::uint64_t adjacent_pairs(const std::vector<std::size_t>& seq) const;

  std::string prompt_;
  std::vector<Option> options_;
  std::vector<std::size_t> position_;  // option index -> place in the correct order
  bool adjacent_ = false;
};

}  // namespace assay::core_items
