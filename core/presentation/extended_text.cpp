// extended-text: a long answer over several lines, ended by a line with only '.'.
#include <fmt/format.h>

#include <assay/sdk/rng.hpp>

#include "detail.hpp"

namespace assay::presentation::detail {

namespace extended_text_kind {

std::string hint(const json& in) {
  std::string limit = in.contains("max_length") ? ", at most " + in["max_length"].dump() + " characters" : "";
  return "write your answer" + limit;
}

std::string render(const json& in, bool color, std::size_t cols) { return how(hint(in), Style{color}, cols); }

Expected<json, std::string> parse(const json& in, const json&, std::string_view input) {
  if (in.contains("max_length") && input.size() > in["max_length"].get<std::size_t>())
    return fmt::format("at most {} characters", in["max_length"].get<std::size_t>());
  return json(input);
}

json enter(const json& in, const json&, const json* kept, Keyboard& keyboard) {
  json value;
  // An empty line is a paragraph break, so a kept answer is kept by 'y', and whole.
  if (keep_or_go_on(kept, keyboard, true, value)) return value;
  Style st{keyboard.color()};
  keyboard.write(st.dim("  (several lines; a line with only '.' ends your answer)") + "\n");
  std::string text;
  std::string line;
  for (;;) {
    if (!keyboard.read("  | ", line)) return text;
    if (line == ".") break;
    text += (text.empty() ? "" : "\n") + line;
  }
  if (in.contains("max_length") && text.size() > in["max_length"].get<std::size_t>()) {
    keyboard.write(st.red(fmt::format("  your answer has {} characters; at most {} are allowed: the first {} are kept",
                                      text.size(), in["max_length"].get<std::size_t>(), in["max_length"].get<std::size_t>())) +
                   "\n");
    text.resize(in["max_length"].get<std::size_t>());
  }
  return text;
}

std::string keys(const json&, const json&, const json& value) {
  return value.is_string() ? value.get<std::string>() : as_json(value);
}

json guess(const json&, const json&, const json&, sdk::Rng&) { return "I would check the device and report it."; }

std::string readable(const json& in, const json& presentation, const json& value) { return keys(in, presentation, value); }

}  // namespace extended_text_kind

InteractionType extended_text_type() {
  using namespace extended_text_kind;
  return {.name = "extended-text",
          .help = {{"long answers", "several lines; a line with only '.' ends the answer"}},
          .hint = hint,
          .render = render,
          .allows_empty = nullptr,
          .parse = parse,
          .enter = enter,
          .keys = keys,
          .readable = readable,
          .guess = guess};
}

}  // namespace assay::presentation::detail
