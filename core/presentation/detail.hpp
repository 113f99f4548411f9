// What the interaction types of core/src/presentation share: reading members the plugin may have
// left out, text layout, keyboard helpers. Each type's entry is one function here, defined in
// its own file.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "assay/presentation.hpp"
#include "assay/style.hpp"

namespace assay::presentation::detail {

using json = nlohmann::json;

// The table's entries, one per file (choice.cpp, ...), listed in types.cpp.
InteractionType choice_type();
InteractionType order_type();
InteractionType match_type();
InteractionType select_lines_type();
InteractionType numeric_type();
InteractionType extended_text_type();
InteractionType text_type();
InteractionType fields_type();
InteractionType table_type();

using Style = assay::Style;

// ---- members -------------------------------------------------------------------------------

/// The string member `key` of `j`, or "".
std::string str(const json& j, const char* key);

/// The array member `key` of `j`, or an empty array.
const json& list(const json& j, const char* key);

/// The member `key` of `j` whatever its type, or an empty array (a const json's operator[] must
/// not be asked for one that may be absent).
const json& member(const json& j, const char* key);

/// The count in `key` of an interaction, when it is a non-negative integer.
std::optional<long long> count(const json& in, const char* key);

/// Each element of `arr` as text: strings as they are, anything else as JSON.
std::vector<std::string> strings(const json& arr);

/// The ids of the entries of `list` (options, lines, ...), in order.
std::vector<std::string> ids_of(const json& list);

/// The index of the entry of `list` whose id is `id`.
std::optional<std::size_t> index_of(const json& list, const json& id);

// ---- text layout ---------------------------------------------------------------------------

/// Display width of UTF-8 text: code points, which is right for the Latin, Greek and symbol text
/// (µ, Ω, °) assessments use.
std::size_t width(const std::string& s);

/// `text` (ending in a newline) in a style, the newline after the style ends.
std::string styled(const Style& st, std::string (Style::*style)(std::string_view) const, std::string text);

/// `s` padded with spaces to `w` columns.
std::string pad(const std::string& s, std::size_t w);

/// A table laid out in aligned columns, two spaces in from the left, its header bold over a rule.
std::string render_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                         const Style& st);

/// The columns a table takes as render_table lays it out.
std::size_t table_width(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows);

/// A table too wide for the terminal, one record per row: the row's first cell as its heading,
/// then each other column as "label  value", the value wrapped under itself. Nothing is cut.
std::string render_records(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                           const Style& st, std::size_t cols);

/// Each option after its letter, wrapped under its own text: "  A) ...".
std::string lettered(const json& options, std::size_t cols);

/// The line saying how to answer, dim, wrapped in its parentheses.
std::string how(const std::string& text, const Style& st, std::size_t cols);

// ---- keyboard ------------------------------------------------------------------------------

/// `s` without the spaces, tabs and line ends around it.
std::string trim(std::string_view s);

/// The words of `s`, split on spaces, tabs and commas.
std::vector<std::string> words(std::string_view s);

/// The options `input` names by letter, each once, as indices into `options`: A.. for the first
/// 26 ("A C" or "AC"), then AA, AB, ... as one word each ("B AA").
Expected<std::vector<std::size_t>, std::string> pick_letters(const json& options, std::string_view input);

/// Whether the learner answered 'y' (or "Y", "yes").
bool yes(const std::string& line);

/// The keyboard entry of a type answered on one line: `parse` reads it (through `parse_answer`),
/// a bad line is explained and asked again, an empty selection is confirmed ("no option selected:
/// is that your answer?", `nothing` naming what was not selected), and an empty line keeps `kept`.
json enter_line(const json& interaction, const json& presentation, const json* kept, Keyboard& keyboard,
                const char* nothing = "no option");

/// For a type where an empty line is part of an answer: asks whether to keep `kept`. True when
/// the answer is settled in `value`: kept whole (`whole`, or not an object), or null when the
/// learner left. Otherwise `value` holds what to go on from: the parts kept, or an empty object.
bool keep_or_go_on(const json* kept, Keyboard& keyboard, bool whole, json& value);

/// `value` as JSON: how a value not of its interaction's shape is shown.
std::string as_json(const json& value);

/// The ids of `value` (a choice, an order, a selection of lines) by their place in `entries`,
/// each shown by `key` ("B", "3"); "- (none)" when nothing is selected, JSON when not an array.
/// The texts of the entries of `entries` whose ids `value` lists, in its order, joined by `sep`;
/// "none selected" for an empty list.
std::string readable_ids(const json& value, const json& entries, const char* sep);

std::string keys_of_ids(const json& value, const json& entries, std::string (*key)(std::size_t index));

/// A garbled form of the right answer: text with a "?" after it, anything else as it is.
json garble(const json& correct);

/// The right answer to a form or table with some of its cells wrong: the usual shape of a
/// partial answer. A wrong cell of a column with options holds another option's id.
json guess_cells(const json& interaction, const json& correct, sdk::Rng& rng);

}  // namespace assay::presentation::detail
