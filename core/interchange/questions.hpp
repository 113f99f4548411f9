// What the question-bank readers share (private to core/interchange): an answer as the source
// gives it, and the builders that turn a question's answers into a core-items item that scores as
// the source scores it, or refuse it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <assay/sdk/decimal.hpp>

#include "assay/import.hpp"

namespace assay::interchange::detail {

/// Why a question cannot be imported: the construct, in words.
struct Refused {
  std::string why;
};

/// One answer: GIFT's marker ('=' or '~', 0 for none), its weight in percent (none: 100 for '=',
/// 0 otherwise), its text with GIFT's escapes (gift_escape() for text from elsewhere), feedback.
struct Answer {
  char marker = 0;
  std::optional<std::string> weight;
  std::string text;
  std::string feedback;
  std::string format;           // the answer's own format ("html", ...): "" for the question's
  std::string feedback_format;  // the feedback's own
  std::string id;               // the option id the source gives (QTI's identifier); "" for a, b, c, ...
};

std::string trim(std::string_view s);
/// GIFT's escapes undone: \~ \= \# \{ \} \: \\ stand for the character, \n for a line break.
std::string unescape(std::string_view s);
/// The inverse of unescape() for text that carries no escapes of its own.
std::string gift_escape(std::string_view s);
/// Lowercase letters, digits and '-', at most 40 characters.
std::string slug(std::string_view text);
/// The start of a text, for titles and messages.
std::string excerpt(const std::string& text);
/// Text for people in the given format ("html" is converted, the others kept).
std::string as_text(const std::string& text, const std::string& format);
void add_feedback(ImportedItem& item, const std::string& label, const std::string& feedback, const std::string& format);

/// A choice: single (one option right, the others' weights as credit) or several answers (the
/// weights summed within 0..100 %, the positive ones adding up to 100 %).
void choice(ImportedItem& item, const std::vector<Answer>& answers, const std::string& format, bool single, bool shuffle);
/// Accepted texts with their weights; '*' wildcards as patterns.
void short_answer(ImportedItem& item, const std::vector<Answer>& answers, const std::string& format, bool case_sensitive);
/// Numerical answers "value", "value:tolerance" or "min..max", each with its weight.
void numerical(ImportedItem& item, const std::vector<Answer>& answers, const std::string& format);
/// Pairs (left, right); an empty left makes the right a distractor.
void matching(ImportedItem& item, const std::vector<std::pair<std::string, std::string>>& pairs);
void true_false(ImportedItem& item, bool truth, const std::string& wrong_feedback, const std::string& right_feedback);
/// Rated by a person: levels full, half and none; `guidance` for the rater joins each level.
void essay(ImportedItem& item, const std::string& guidance);

/// The line of `offset` in `text` (1-based; 0 for a negative offset).
std::size_t line_at(std::string_view text, std::ptrdiff_t offset);

/// The rubric `assay export` writes as an essay's guidance for the rater, one level a line:
/// "NAME (POINTS of MAX points): DESCRIPTOR", made the item's rubric. False, and nothing changed,
/// for any other text.
bool rubric_from(const std::string& guidance, ImportedItem& item);
/// `marks` / `points` as an exact decimal ("0.25"); Refused when it has none (1/3).
std::string weight_per_point(const sdk::Decimal& marks, std::int64_t points);

/// The section of a Moodle category ("$course$/top/Pumps": its last part, "Imported" for none),
/// added to `out` the first time it is met; returns its id.
std::string category_section(Imported& out, const std::string& path);

/// False, with the refusal recorded in `out`, when `text` is not UTF-8.
bool utf8_or_refused(std::string_view text, Imported& out);

/// Gives each item an id from its title, unique in `items`.
void assign_ids(std::vector<ImportedItem>& items);

}  // namespace assay::interchange::detail
