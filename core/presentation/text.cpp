// text: a short answer on one line.
#include <fmt/format.h>

#include <assay/sdk/rng.hpp>

#include "detail.hpp"

namespace assay::presentation::detail {

namespace text_kind {

std::string hint(const json&) { return "type a short answer"; }

std::string render(const json& in, bool color, std::size_t cols) { return how(hint(in), Style{color}, cols); }

Expected<json, std::string> parse(const json& in, const json&, std::string_view input) {
  if (in.contains("max_length") && input.size() > in["max_length"].get<std::size_t>())
    return fmt::format("at most {} characters", in["max_length"].get<std::size_t>());
  return json(input);
}

json enter(const json& in, const json& presentation, const json* kept, Keyboard& keyboard) {
  return enter_line(in, presentation, kept, keyboard);
}

std::string keys(const json&, const json&, const json& value) {
  return value.is_string() ? value.get<std::string>() : as_json(value);
}

json guess(const json&, const json&, const json& correct, sdk::Rng&) { return garble(correct); }

std::string readable(const json& in, const json& presentation, const json& value) {
  return value.is_string() ? "\"" + value.get<std::string>() + "\"" : keys(in, presentation, value);
}

}  // namespace text_kind

InteractionType text_type() {
  using namespace text_kind;
  return {.name = "text",
          .help = {},
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
