// icd10-format: the candidate sorts ICD-10-CM codes into well-formed, malformed and (with a
// code set) absent from the code set. The plugin checks FORMAT only, per the ICD-10-CM Official
// Guidelines for Coding and Reporting, Section I.A: 3 to 7 characters; the 1st a letter, the
// 2nd a digit, the 3rd a digit or letter (C4A, M1A, Z3A), the 4th to 7th digits or letters; a
// dot after the 3rd character. Whether a code exists, and what it means, comes only from the
// code-set file the author includes with its source and edition: the plugin embeds no codes.
// A code that needs a 7th character written without its placeholder X (S62.5A for S62.5XXA)
// is well-formed in shape and is caught only by the code set.
#ifndef ASSAY_EHR_ICD10_FORMAT_HPP
#define ASSAY_EHR_ICD10_FORMAT_HPP

#include <assay/sdk.hpp>

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace assay::ehr {

namespace icd10 {

/// How the dot after the 3rd character is written: "required" (S62.5XXA), "omitted" as in
/// claim files (S625XXA), or "either".
enum class Dots { kRequired, kOmitted, kEither };

/// Why `code` breaks the format (nullopt: well-formed). Codes are written in capitals.
std::optional<std::string> format_error(std::string_view code, Dots dots);

/// The code without its dot, for looking it up in a code set.
std::string bare(std::string_view code);

}  // namespace icd10

class Icd10Format {
 public:
  static constexpr const char* kName = "icd10-format";
  static constexpr const char* kSummary = "sort ICD-10-CM codes by format (and, with a code set, by existence)";
  static sdk::json schema();
  static std::vector<sdk::Criterion> criteria();
  static std::vector<sdk::Example> examples();
  static Icd10Format prepare(const sdk::json& params);
  sdk::json present(std::uint64_t seed) const;
  std::vector<sdk::Credit> score(std::uint64_t seed, const sdk::json& response) const;
  sdk::json solve(std::uint64_t seed) const;
  std::string feedback(std::uint64_t seed, const sdk::json& response) const;

  /// The codes shown for a seed.
  std::vector<std::string> codes(std::uint64_t seed) const;
  /// Per code: "valid", "malformed" or "not-in-code-set".
  std::vector<std::string> key(std::uint64_t seed) const;

 private:
  std::vector<std::string> fixed_;
  std::vector<std::string> set_list_;  ///< the code set's codes as written (dots kept), in file order
  std::set<std::string> code_set_;     ///< bare codes
  bool has_set_ = false;
  std::string set_source_;
  int min_codes_ = 6, max_codes_ = 8;
  icd10::Dots dots_ = icd10::Dots::kRequired;
  std::string prompt_;
};

}  // namespace assay::ehr

#endif
