// Small helpers the ehr-admin item types share: text comparison (text_rule.hpp), ids, presentation v1.
#ifndef ASSAY_EHR_COMMON_HPP
#define ASSAY_EHR_COMMON_HPP

#include <assay/sdk.hpp>

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "text_rule.hpp"

namespace assay::ehr {

/// The optional `{min, max}` range `key` of the params, each bound within [lo, hi] and max >= min,
/// into `min` and `max` (left as they are when the range is absent); refused at its key path.
void read_range(const sdk::Params& p, const char* key, int lo, int hi, int& min, int& max);
/// The schema of such a range: {"min": integer, "max": integer}, each within [lo, hi].
sdk::json range_schema(int lo, int hi);

/// The key of a select-lines item that names a kind per line, as its response: the lines under
/// "flagged" and, in table `table`, each line's first kind in column `column`.
sdk::json flagged_and_named(const std::map<std::string, std::set<std::string>>& key, const std::string& table,
                            const std::string& column);

/// An id for fields, rows or options: 1-64 characters of a-z, 0-9, '-', '_'.
std::string read_id(const sdk::Params& p);

/// `{"presentation": 1, "prompt": ..., "material": [...], "interactions": [...]}`.
sdk::json presentation(const std::string& prompt, sdk::json material, sdk::json interactions);

/// The response member `id` if present and of the wanted JSON type, else nullopt; a present
/// member of another type is a malformed response.
const sdk::json* response_member(const sdk::json& response, const std::string& id, sdk::json::value_t type);

/// The line ids of a `select_lines` answer (member `id`); absent means none. An entry that is
/// not a string is a malformed response.
std::set<std::string> selected_lines(const sdk::json& response, const std::string& id);

/// The response read against the presentation it answers (`present(seed)`): every member must
/// name one of its interactions and hold a value of that interaction's shape; an option, line,
/// row, column or field that the presentation does not offer cannot be an answer, and is a
/// malformed response (sdk::ResponseError) whose message names the question and lists what it
/// offers. Options are matched by id or text in any case and returned as their ids; white space
/// around cells and fields is trimmed. Null members are dropped (unanswered).
sdk::json checked_response(const sdk::json& presentation, const sdk::json& response);

/// For a `table` interaction of a checked response whose every row needs `column` (a verdict per
/// code): once any cell of the table is filled, an empty one is malformed ("cell Verdict of c2
/// C50.911 is empty: choose valid, malformed or not-in-code-set"). An unanswered table passes.
void require_column(const sdk::json& presentation, const sdk::json& response, const std::string& id, const std::string& column);

/// Options `[{id, text}]` whose text is the id.
sdk::json options_of(const std::vector<std::string>& ids);

/// A `table` interaction: `rows` `[{id, label}]`, `columns` `[{id, label, options?}]`.
sdk::json table_interaction(const std::string& id, sdk::json rows, sdk::json columns, const std::string& prompt = "");

/// The cells of one column of a `table` interaction's answer: row id -> text. Unanswered rows
/// and null cells are absent; empty cells are kept only when `keep_empty`. A row that is not an
/// object, or a cell that is not a string, is a malformed response (`what` names the cell).
std::map<std::string, std::string> table_column(const sdk::json& response, const std::string& id, const std::string& column,
                                                const std::string& what, bool keep_empty = false);

}  // namespace assay::ehr

#endif
