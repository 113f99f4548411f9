// How ehr-admin compares what a candidate types with a key: Unicode NFKC or NFKC_Casefold (ICU).
#ifndef ASSAY_EHR_TEXT_RULE_HPP
#define ASSAY_EHR_TEXT_RULE_HPP

#include <assay/sdk.hpp>

#include <string>
#include <string_view>

namespace assay::ehr {

/// How a candidate's free text is compared with a key: as core-items' text-entry compares
/// (plugins/core-items/src/text_normalise.hpp), without its punctuation and inner-space rules.
struct TextRule {
  bool case_sensitive = false;  ///< false: Unicode NFKC_Casefold ("É" and "é", "ß" and "ss" equal); true: NFKC
  bool trim = true;             ///< strip leading and trailing white space (Unicode White_Space)
  /// `s` (valid UTF-8) in Unicode NFKC or NFKC_Casefold form (ICU), without Default_Ignorable
  /// characters (zero-width space, soft hyphen, ...), trimmed if `trim`.
  std::string apply(std::string_view s) const;
  bool same(std::string_view response, std::string_view key) const { return apply(response) == apply(key); }
};

/// Reads `case_sensitive` and `trim` from params (both optional).
TextRule read_text_rule(const sdk::Params& p);

}  // namespace assay::ehr

#endif  // ASSAY_EHR_TEXT_RULE_HPP
