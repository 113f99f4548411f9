// Plain-text rendering of presentation v1 (docs/formats.md) as the terminal shows it: used by
// `assay preview` and the terminal self-test (`assay take`).
#pragma once

#include <cstddef>
#include <nlohmann/json_fwd.hpp>
#include <string>

namespace assay::report {

/// The display letter of the option at `index` in a choice, order or match list: A..Z, then
/// AA, AB, ... The letter maps to the option at that index of the interaction's `options`
/// (or `right`) array; responses always carry the option id, never the letter.
std::string option_letter(std::size_t index);

/// Each line of `text` on its own line: the first after `first`, the others after `rest`.
/// Always ends with a newline.
std::string indent(const std::string& text, const std::string& first, const std::string& rest);

/// Whether an interaction may be answered with nothing selected: a `choice` with `multiple` and a
/// `min` of 0 ("choose none for a benign log"), or a `select-lines` whose `min` is absent or 0 (a
/// clean log or message has no line to select). A choice without `min` needs at least one letter.
bool allows_empty(const nlohmann::json& interaction);

/// The presentation as text: the prompt, the material (text paragraphs, code blocks, aligned
/// tables, numbered lines), then each interaction with its options lettered and a line saying
/// how to answer it. With `color`, ANSI bold and dim styles; without, plain text. Ends with a
/// newline. Members the renderer does not know are ignored, missing ones are left out.
std::string render_presentation(const nlohmann::json& presentation, bool color);

}  // namespace assay::report
