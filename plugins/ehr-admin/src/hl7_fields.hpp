// hl7-fields: the candidate reads an HL7 v2 message and fills named fields; the key is what the
// plugin's parser reads at each field's path.
#ifndef ASSAY_EHR_HL7_FIELDS_HPP
#define ASSAY_EHR_HL7_FIELDS_HPP

#include <assay/sdk.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common.hpp"
#include "hl7_generate.hpp"
#include "hl7v2.hpp"

namespace assay::ehr {

class Hl7Fields {
 public:
  static constexpr const char* kName = "hl7-fields";
  static constexpr const char* kSummary = "read named fields out of an HL7 v2 message (generated or fixed)";
  static sdk::json schema();
  static std::vector<sdk::Criterion> criteria();
  static std::vector<sdk::Example> examples();
  static Hl7Fields prepare(const sdk::json& params);
  sdk::json present(std::uint64_t seed) const;
  std::vector<sdk::Credit> score(std::uint64_t seed, const sdk::json& response) const;
  sdk::json solve(std::uint64_t seed) const;
  std::string feedback(std::uint64_t seed, const sdk::json& response) const;

  struct Field {
    std::string id, label, hint;
    hl7::Path path;
    std::vector<std::string> accept;  ///< further accepted answers (secret)
  };
  /// The message for a seed (the fixed one, or generated) and the key of each field in order.
  std::string message(std::uint64_t seed) const;
  std::vector<std::string> key(std::uint64_t seed) const;

 private:
  std::optional<std::string> fixed_;
  hl7::Options gen_;
  std::vector<Field> fields_;
  TextRule rule_;
  std::string prompt_;
};

}  // namespace assay::ehr

#endif
