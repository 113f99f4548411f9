// Presentation v1's interaction types (docs/formats.md), each in one place: one table entry per
// type says how the terminal shows it, how a learner answers it at the keyboard, how a kept
// answer is shown back, how a generated cohort guesses at it, and which response value it takes.
// `assay take`, `assay preview` and `assay cohort` go through the table; `check_response` checks
// an answer against each type's value schema. docs/interactions.md says what adding a type touches.
#pragma once

#include <cstddef>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "assay/expected.hpp"

namespace assay::sdk {
class Rng;
}

namespace assay::presentation {

/// The display letter of the option at `index` in a choice, order or match list: A..Z, then
/// AA, AB, ... The letter maps to the option at that index of the interaction's `options`
/// (or `right`) array; responses always carry the option id, never the letter.
std::string option_letter(std::size_t index);

/// Each line of `text` on its own line: the first after `first`, the others after `rest`.
/// Always ends with a newline.
std::string indent(const std::string& text, const std::string& first, const std::string& rest);

/// `text` word-wrapped so that no line is wider than `width` columns (counted in code points),
/// prefix included: each paragraph (a line of `text`) starts after `first` (the first) or `rest`
/// (the others), and its continuation lines after `rest` plus the paragraph's own leading spaces
/// (and two more under a "- " or "* " bullet). Breaks at spaces only: a word wider than the room
/// left (a URL, a path) stays whole on its own line. A paragraph that fits is kept as it is; one
/// that is wrapped has its runs of spaces joined by one. `width` 0 does not wrap (`indent`).
/// Always ends with a newline.
std::string wrap(const std::string& text, std::size_t width, const std::string& first, const std::string& rest);

/// The columns `text` takes on a terminal, counted in code points.
std::size_t text_width(std::string_view text);

/// `text` cut to at most `room` columns, its end replaced by "…" when anything is cut (never
/// inside a code point).
std::string cut(std::string_view text, std::size_t room);

/// One line of evidence (a log line, an HL7 segment, a rule) in pieces of at most `room` columns,
/// broken after the last space or separator (| ^ ~ & , ; / = and # $ * !, which HL7 messages may
/// declare as their delimiters) that fits, else (one token wider
/// than `room`) after `room` code points: every character kept, in order. A line that fits is one
/// piece; `room` 0 does not fold.
std::vector<std::string> fold(std::string_view line, std::size_t room);

/// The terminal as the keyboard entry of one interaction sees it.
class Keyboard {
 public:
  virtual ~Keyboard() = default;
  /// Shows `prompt`, then reads the line typed into `line`. False when the learner leaves
  /// instead (a command such as skip or quit, or the end of input): the entry then stops and
  /// returns what it has so far.
  virtual bool read(const std::string& prompt, std::string& line) = 0;
  /// Writes `text` (whole lines) to the terminal.
  virtual void write(const std::string& text) = 0;
  /// Whether the terminal shows ANSI styles.
  virtual bool color() const = 0;
  /// The terminal's width in columns; 0 when unknown (nothing is shortened to fit).
  virtual std::size_t width() const { return 0; }
};

/// A line of the keyboard help: the keys a learner types for an interaction type ("order",
/// "lines") and what to type.
struct HelpLine {
  std::string_view keys;
  std::string_view text;
};

/// One interaction type: what the engine does with it, beside the plugin that presents and
/// scores it. Every function takes the interaction as presentation v1 holds it and never throws
/// for members the plugin left out; `presentation` is the whole document (a select-lines
/// interaction's lines live in its material).
struct InteractionType {
  /// The interaction's `type` in presentation v1, and the name of its value in
  /// response.schema.json's `$defs`.
  std::string_view name;
  /// What `assay take`'s help says about answering it; empty when its prompts say it all.
  std::vector<HelpLine> help;
  /// The line saying how to answer it, without its parentheses ("choose one letter"); empty when
  /// its prompts say it all.
  std::string (*hint)(const nlohmann::json& interaction);
  /// The interaction as text, below its prompt: its options, table or fields, then the hint
  /// line, wrapped to `width` (0: not wrapped); see `render_presentation`.
  std::string (*render)(const nlohmann::json& interaction, bool color, std::size_t width);
  /// Whether nothing selected is an answer to it (see `allows_empty`); null: never.
  bool (*allows_empty)(const nlohmann::json& interaction);
  /// One line typed at the keyboard as its response value (see `parse_answer`); null for a type
  /// answered part by part. `input` is trimmed and not empty.
  Expected<nlohmann::json, std::string> (*parse)(const nlohmann::json& interaction, const nlohmann::json& presentation,
                                                 std::string_view input);
  /// Reads its answer at the keyboard, a bad line explained and asked again (see `enter_answer`).
  nlohmann::json (*enter)(const nlohmann::json& interaction, const nlohmann::json& presentation, const nlohmann::json* kept,
                          Keyboard& keyboard);
  /// A response value in the keys the learner types (see `keys_typed`).
  std::string (*keys)(const nlohmann::json& interaction, const nlohmann::json& presentation, const nlohmann::json& value);
  /// A response value as a person reads it (see `readable`).
  std::string (*readable)(const nlohmann::json& interaction, const nlohmann::json& presentation, const nlohmann::json& value);
  /// A wrong answer a candidate of a generated cohort might give, made from what the candidate
  /// sees and the right answer `correct` (see `guess_answer`).
  nlohmann::json (*guess)(const nlohmann::json& interaction, const nlohmann::json& presentation, const nlohmann::json& correct,
                          sdk::Rng& rng);

  /// Its value's schema: response.schema.json's `$defs` entry under `name`, as a schema that
  /// validates one value.
  const nlohmann::json& value_schema() const;
};

/// Every interaction type, in the order `assay take`'s help lists them.
const std::vector<InteractionType>& interaction_types();

/// The interaction type named `name`, or null.
const InteractionType* find_interaction_type(std::string_view name);

/// The schema of one interaction's value in response v1, by interaction type: the `$defs` entry
/// of response.schema.json of that name, else the generic `value`.
const nlohmann::json& value_schema(std::string_view type);

/// Checks a response v1 document against the interactions of `presentation`: every member names
/// an interaction and holds a value of its type, and the document keeps the schema's bounds.
/// Returns the first problem ("this item has no interaction 'verdict'", "interaction 'answer'
/// (choice): #: expected an array, found a string"), or "".
std::string check_response(const nlohmann::json& response, const nlohmann::json& presentation);

/// Whether an interaction may be answered with nothing selected: a `choice` with `multiple` and a
/// `min` of 0 ("choose none for a benign log"), or a `select-lines` whose `min` is absent or 0 (a
/// clean log or message has no line to select). A choice without `min` needs at least one letter.
bool allows_empty(const nlohmann::json& interaction);

/// The presentation as text: the prompt, the material (text paragraphs, code blocks, aligned
/// tables, numbered lines), then each interaction with its options lettered and a line saying
/// how to answer it. With `color`, ANSI bold and dim styles; without, plain text. Ends with a
/// newline. Members the renderer does not know are ignored, missing ones are left out.
///
/// With a `width`, prose is word-wrapped to it (`wrap`): the prompts, text material, options,
/// field labels and the lines saying how to answer. Material whose lines mean something keeps
/// them: a code line (an HL7 segment) or numbered log line wider than the terminal is folded
/// (`fold`) at a space or separator, its continuation marked "↪" in the gutter, never cut and
/// never broken by the terminal in the middle of a field. A table of two or more columns wider
/// than `width` is shown one record per row instead (the first cell as heading, then "column
/// value" lines). `width` 0 wraps nothing.
std::string render_presentation(const nlohmann::json& presentation, bool color, std::size_t width = 0);

/// The keyboard answer to one single-line interaction, as its response v1 value:
///  choice        letters: "B", "a c", "A,C"            → ["opt-b"] (option ids)
///  order         letters in order: "C A B D" or "CABD" → ids in that order (all options once)
///  select-lines  line numbers and ranges: "3 7-9"      → line ids
///  numeric       "4.95 mA", "4.95"                     → {"value": "4.95", "unit": "mA"}
///  text          the line, trimmed                     → "..."
///  '-'           none, where `allows_empty` says the interaction allows it → []
/// `presentation` is needed for select-lines (the lines live in its material). The error says
/// what was expected, in words a learner can act on.
Expected<nlohmann::json, std::string> parse_answer(const nlohmann::json& interaction, const nlohmann::json& presentation,
                                                   std::string_view input);

/// Reads the answer to one interaction at `keyboard`, a bad line explained and asked again, as
/// its response v1 value. `kept`, when given, is the learner's earlier answer to it (kept when
/// they left the item part-way): Enter keeps it, or 'y' where an empty line is itself part of an
/// answer (a paragraph break, a blank field); a form or table kept goes on with the parts still
/// empty. When the learner leaves instead (`Keyboard::read` is false), returns what was given so
/// far: the fields or cells filled, the text written, else null.
nlohmann::json enter_answer(const nlohmann::json& interaction, const nlohmann::json& presentation, const nlohmann::json* kept,
                            Keyboard& keyboard);

/// A response value of `interaction` in the keys the learner types: letters, line numbers,
/// number-letter pairs, "label: value" parts; "- (none)" for nothing selected. A value not of the
/// interaction's shape is shown as JSON.
std::string keys_typed(const nlohmann::json& interaction, const nlohmann::json& presentation, const nlohmann::json& value);

/// A response value of `interaction` as a person reads it, for feedback, reviews and reports: the
/// options' texts instead of their ids (in the order given), match pairs as "left → right", the
/// lines selected quoted with their numbers, fields and table cells with their labels and column
/// names (a cell's option by its text), a number with its unit, text as written. One line per
/// part where there are several ("line 4: ..."); "none selected" for an empty selection. A value
/// not of the interaction's shape is shown as JSON.
std::string readable(const nlohmann::json& interaction, const nlohmann::json& presentation, const nlohmann::json& value);

/// A whole response v1 document as a person reads it: each interaction answered, in the item's
/// order, after its prompt when the item has several ("Severity of the base score: High"), its
/// continuation lines indented under it; "(not answered)" for an empty document. Ends with a
/// newline. Text that is not a response document is shown as it is.
std::string readable_response(const nlohmann::json& presentation, const std::string& response);

/// A wrong answer to `interaction` that a candidate of a generated cohort might give (a random
/// pick, a shuffled order, a number off by 10 to 30 percent, some cells garbled), drawing from
/// `rng` in a fixed order. `correct` is the right value; a type the table does not know gets a
/// garbled form of it.
nlohmann::json guess_answer(const nlohmann::json& interaction, const nlohmann::json& presentation, const nlohmann::json& correct,
                            sdk::Rng& rng);

}  // namespace assay::presentation
