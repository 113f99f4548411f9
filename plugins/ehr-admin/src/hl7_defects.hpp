// hl7-defects: an HL7 v2 message (and the acknowledgment returned for it) with defects; the
// candidate selects the defective lines and names each defect. The key is hl7::find_defects
// over the material, so generated and fixed messages are keyed the same way.
#ifndef ASSAY_EHR_HL7_DEFECTS_HPP
#define ASSAY_EHR_HL7_DEFECTS_HPP

#include <assay/sdk.hpp>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "hl7_checks.hpp"
#include "hl7_generate.hpp"

namespace assay::ehr {

class Hl7Defects {
 public:
  static constexpr const char* kName = "hl7-defects";
  static constexpr const char* kSummary = "find the defective lines of an HL7 v2 message and its ACK and name each defect";
  static sdk::json schema();
  static std::vector<sdk::Criterion> criteria();
  static std::vector<sdk::Example> examples();
  static Hl7Defects prepare(const sdk::json& params);
  sdk::json present(std::uint64_t seed) const;
  std::vector<sdk::Credit> score(std::uint64_t seed, const sdk::json& response) const;
  sdk::json solve(std::uint64_t seed) const;
  std::string feedback(std::uint64_t seed, const sdk::json& response) const;

  /// The material for a seed: the fixed exchange, or a generated one with defects planted.
  hl7::Injected material(std::uint64_t seed) const;
  /// Line id -> the defects the checks find on it.
  std::map<std::string, std::set<std::string>> key(std::uint64_t seed) const;

 private:
  std::optional<hl7::Exchange> fixed_;
  hl7::Options gen_;
  hl7::InjectOptions inject_;
  hl7::DefectRules rules_;
  std::string prompt_;
  std::map<std::string, std::string> notes_;  ///< secret: per line id, shown only in feedback
};

}  // namespace assay::ehr

#endif
