// Reading response v1 values (docs/formats.md) the way every cybersecurity item type needs them.
// A value that cannot be read as an answer (the wrong shape, an id that is not offered, a number
// that is not one or is outside the item's scale) is a malformed response (sdk::ResponseError)
// whose message names the question by `label` and says what form is expected; never whether the
// answer is right. An absent interaction is unanswered, not malformed.
#pragma once

#include <assay/sdk.hpp>

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace assay::cyber {

/// The decimal of a numeric interaction (`{"value": "4.6"}`, or a bare decimal string), read as
/// people write it (sdk::read_number: "−7.2", " 9.8 "); nullopt when unanswered (absent, null or
/// an empty value). Not a number, a unit, or a value outside [lo, hi] is malformed.
std::optional<sdk::Decimal> numeric_answer(const sdk::json& response, std::string_view id, std::string_view label,
                                           sdk::Decimal lo, sdk::Decimal hi);

/// The text of a text interaction; nullopt when unanswered.
std::optional<std::string> text_answer(const sdk::json& response, std::string_view id);

/// The option ids of a choice or select-lines interaction (empty when unanswered). An id outside
/// `allowed` is malformed, naming `noun` ("line", "technique"); an empty `allowed` allows any.
std::set<std::string> ids_answer(const sdk::json& response, std::string_view id, const std::set<std::string>& allowed = {},
                                 std::string_view label = {}, std::string_view noun = "option");

/// The option of a single choice: nullopt when unanswered; more than one option, or one that is
/// not offered, is malformed.
std::optional<std::string> single_answer(const sdk::json& response, std::string_view id, const std::vector<std::string>& options,
                                         std::string_view label);

/// "a", "b" and "c" as `"a", "b", "c"`, for messages.
std::string quoted_list(const std::set<std::string>& ids);
std::string quoted_list(const std::vector<std::string>& ids);

/// Credit for selecting lines: (true positives − false positives) / key size, floored at 0, so
/// selecting every line earns nothing. An empty key gives full credit only to an empty selection.
sdk::Credit selection_credit(const std::set<std::string>& key, const std::set<std::string>& chosen);

}  // namespace assay::cyber
