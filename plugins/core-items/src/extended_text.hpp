// extended-text: a written answer that a person rates against the rubric's levels.
#pragma once

#include "common.hpp"

namespace assay::core_items {

/// Params: `prompt`, `max_length` (code points, optional). One criterion, `quality`, declared
/// rated: the engine takes a rater's level for it (the levels are given in the assessment's TOML),
/// so `score` writes 0/1 as the SDK contract asks and only checks that the response is well
/// formed. Response: `{"answer": "text"}`.
class ExtendedText {
 public:
  static constexpr const char* kName = "extended-text";
  static constexpr const char* kSummary = "a written answer, rated by a person against the rubric levels";
  static json schema();
  static std::vector<sdk::Criterion> criteria();
  static std::vector<sdk::Example> examples();
  static ExtendedText prepare(const json& params);
  json present(std::uint64_t seed) const;
  std::vector<sdk::Credit> score(std::uint64_t seed, const json& response) const;
  json solve(std::uint64_t seed) const;
  std::string feedback(std::uint64_t seed, const json& response) const;

 private:
  /// The answer's text; empty when unanswered.
  std::string_view text(const json& response) const;

  std::string prompt_;
  std::int64_t max_length_ = 0;  // 0: none
};

}  // namespace assay::core_items
