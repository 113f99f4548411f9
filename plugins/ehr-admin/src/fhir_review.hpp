// fhir-review: a FHIR R4 Bundle with injected problems; the candidate names each entry's problem.
// The key is fhir::check_entry over the material.
#ifndef ASSAY_EHR_FHIR_REVIEW_HPP
#define ASSAY_EHR_FHIR_REVIEW_HPP

#include <assay/sdk.hpp>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "fhir_rules.hpp"

namespace assay::ehr {

class FhirReview {
 public:
  static constexpr const char* kName = "fhir-review";
  static constexpr const char* kSummary =
      "name the problem in each entry of a FHIR R4 Bundle (required elements, bindings, references)";
  static sdk::json schema();
  static std::vector<sdk::Criterion> criteria();
  static std::vector<sdk::Example> examples();
  static FhirReview prepare(const sdk::json& params);
  sdk::json present(std::uint64_t seed) const;
  std::vector<sdk::Credit> score(std::uint64_t seed, const sdk::json& response) const;
  sdk::json solve(std::uint64_t seed) const;
  std::string feedback(std::uint64_t seed, const sdk::json& response) const;

  sdk::json bundle(std::uint64_t seed) const;
  /// Per entry ("e1", ...), the problems found (empty: none).
  std::vector<std::set<std::string>> key(std::uint64_t seed) const;

 private:
  std::optional<sdk::json> fixed_;
  fhir::GenOptions gen_;
  std::string prompt_;
  std::map<std::string, std::string> notes_;
};

}  // namespace assay::ehr

#endif
