// What plugin-check reads in a presentation and a solved response for its two heuristics: the
// material a seed generates (check "generated-material") and values of the key that `present`
// shows (check "key-leak"). docs/plugins.md, "Checking a plugin", states the rules.
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace assay::plugincheck::detail {

/// A presentation v1 document, split as the heuristics need it.
struct Shown {
  /// Every string a candidate reads as text: the prompt, the material (text, code, table cells,
  /// line texts) and each interaction's prompt and hints, one per line.
  std::string text;
  /// What the interactions offer as choices, meant to be shown: option ids and texts, labels,
  /// units, the ids of material lines (select-lines picks them).
  std::set<std::string> offered;
  /// The prompt, the material and the strings the interactions offer, serialised: what differs
  /// between seeds when material is generated. The interactions' strings are sorted first, so
  /// shuffled options are the same material; generated options or table rows are not.
  std::string material;
};

Shown read_presentation(const nlohmann::json& doc);

/// A value of a solved response that the key-leak heuristic looks for in what is shown.
struct KeyValue {
  std::string field;  // the top-level member of the response (an interaction id)
  std::string path;   // dotted, 0-based indices in brackets: "fields.pid5", "lines[2]"
  std::string value;  // as written in the response
  bool number = false;
};

/// The values worth looking for: strings of at least kMinKeyText characters, and numbers that
/// say something when they appear: every number with a fractional part, and integers from 100 up
/// (small integers are line numbers, counts and option indexes, which any material shows).
/// A string that reads as a decimal number ("4.95") is a number.
std::vector<KeyValue> key_values(const nlohmann::json& response);

inline constexpr std::size_t kMinKeyText = 4;

/// Whether `value` appears in what is shown and is not one of the choices offered. A number
/// matches as a whole number (not "12" in "112" or "1.25"), written as in the response or
/// without trailing zeros; a string matches as a substring.
bool shows(const Shown& shown, const KeyValue& value);

}  // namespace assay::plugincheck::detail
