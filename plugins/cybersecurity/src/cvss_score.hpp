// Item type `cvss-score`: the candidate rates a vulnerability with CVSS v3.1.
//
// Two tasks (param `task`):
//   "rate"   the candidate reads a description and answers with the vector and/or its scores;
//            the true vector is the secret param `vector`.
//   "score"  the candidate is shown a vector (`shown_vector`, or one drawn from the seed out of
//            the value pools in `generate`) and computes the base score, severity and, when
//            asked, the temporal score; the plugin derives the key with its own CVSS code.
#pragma once

#include <assay/sdk.hpp>

#include <optional>
#include <string>
#include <vector>

#include "cvss.hpp"

namespace assay::cyber {

class CvssScore {
 public:
  static constexpr const char* kName = "cvss-score";
  static constexpr const char* kSummary = "rate a vulnerability with CVSS v3.1 (vector, base and temporal score, severity)";

  static sdk::json schema();
  static std::vector<sdk::Criterion> criteria();
  static std::vector<sdk::Example> examples();
  static CvssScore prepare(const sdk::json& params);

  sdk::json present(std::uint64_t seed) const;
  std::vector<sdk::Credit> score(std::uint64_t seed, const sdk::json& response) const;
  sdk::json solve(std::uint64_t seed) const;
  std::string feedback(std::uint64_t seed, const sdk::json& response) const;

  /// The vector the key is derived from for `seed`.
  cvss::Vector key_vector(std::uint64_t seed) const;

 private:
  enum class Task { kRate, kScore };
  bool asks(const std::string& part) const;

  /// What a response answers; unanswered parts are nullopt. A vector that does not parse, a score
  /// that is not a number from 0.0 to 10.0, a severity that is not one band: sdk::ResponseError.
  struct Answer {
    std::optional<cvss::Vector> vector;
    std::optional<sdk::Decimal> score, temporal;
    std::optional<std::string> severity;
  };
  Answer read(const sdk::json& response) const;

  Task task_ = Task::kRate;
  std::string description_;
  std::optional<cvss::Vector> vector_;           // rate: the secret key; score: the fixed material
  std::vector<std::vector<std::string>> pools_;  // score without shown_vector: values per metric
  std::vector<std::string> ask_;
  sdk::Decimal tolerance_;
};

}  // namespace assay::cyber
