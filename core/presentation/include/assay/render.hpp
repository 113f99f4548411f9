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

/// `text` word-wrapped so that no line is wider than `width` columns (counted in code points),
/// prefix included: each paragraph (a line of `text`) starts after `first` (the first) or `rest`
/// (the others), and its continuation lines after `rest` plus the paragraph's own leading spaces
/// (and two more under a "- " or "* " bullet). Breaks at spaces only: a word wider than the room
/// left (a URL, a path) stays whole on its own line. A paragraph that fits is kept as it is; one
/// that is wrapped has its runs of spaces joined by one. `width` 0 does not wrap (`indent`).
/// Always ends with a newline.
std::string wrap(const std::string& text, std::size_t width, const std::string& first, const std::string& rest);

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
/// them: code blocks (an HL7 segment per line) and numbered log lines are never wrapped or cut,
/// so a line wider than the terminal is folded by the terminal itself and every character of the
/// evidence stays on screen. A table of three or more columns wider than `width` is shown one
/// record per row instead (the first cell as heading, then "column  value" lines). `width` 0
/// wraps nothing.
std::string render_presentation(const nlohmann::json& presentation, bool color, std::size_t width = 0);

}  // namespace assay::report
