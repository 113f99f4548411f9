// Small helpers the ehr-admin item types share: text normalisation, ids, presentation v1.
#ifndef ASSAY_EHR_COMMON_HPP
#define ASSAY_EHR_COMMON_HPP

#include <assay/sdk.hpp>

#include <string>
#include <string_view>

namespace assay::ehr {

/// How a candidate's free text is compared with a key.
struct TextRule {
  bool case_sensitive = false;
  bool trim = true;  ///< strip leading and trailing white space
  std::string apply(std::string_view s) const;
  bool same(std::string_view response, std::string_view key) const { return apply(response) == apply(key); }
};

/// Reads `case_sensitive` and `trim` from params (both optional).
TextRule read_text_rule(const sdk::Params& p);

/// An id for fields, rows or options: 1-64 characters of a-z, 0-9, '-', '_'.
std::string read_id(const sdk::Params& p);

/// `{"presentation": 1, "prompt": ..., "material": [...], "interactions": [...]}`.
sdk::json presentation(const std::string& prompt, sdk::json material, sdk::json interactions);

/// The response member `id` if present and of the wanted JSON type, else nullopt; a present
/// member of another type is a malformed response.
const sdk::json* response_member(const sdk::json& response, const std::string& id, sdk::json::value_t type);

}  // namespace assay::ehr

#endif
