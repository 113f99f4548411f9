// Reading response v1 values (docs/formats.md) the way every cybersecurity item type needs them.
// A value of the wrong shape is a malformed response (sdk::ResponseError), not a wrong answer.
#pragma once

#include <assay/sdk.hpp>

#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace assay::cyber {

/// The decimal of a numeric interaction (`{"value": "4.6"}`, or a bare decimal string); nullopt
/// when unanswered or not a decimal number.
std::optional<sdk::Decimal> numeric_answer(const sdk::json& response, std::string_view id);

/// The text of a text interaction; nullopt when unanswered.
std::optional<std::string> text_answer(const sdk::json& response, std::string_view id);

/// The option ids of a choice or select-lines interaction (empty when unanswered).
std::set<std::string> ids_answer(const sdk::json& response, std::string_view id);

/// Credit for selecting lines: (true positives − false positives) / key size, floored at 0, so
/// selecting every line earns nothing. An empty key gives full credit only to an empty selection.
sdk::Credit selection_credit(const std::set<std::string>& key, const std::set<std::string>& chosen);

}  // namespace assay::cyber
