// choice: one option, or several ("multiple"), by letter.
#include <fmt/format.h>

#include <assay/sdk/rng.hpp>

#include "detail.hpp"

namespace assay::presentation::detail {

namespace choice_kind {

bool allows_none(const json& in) {
  auto min = count(in, "min");
  return in.value("multiple", false) && min && *min == 0;
}

std::string hint(const json& in) {
  bool multiple = in.is_object() && in.value("multiple", false);
  std::string none = allows_empty(in) ? ", or '-' for none" : "";
  return multiple ? "choose one or more letters" + none : "choose one letter";
}

std::string render(const json& in, bool color, std::size_t cols) {
  return lettered(list(in, "options"), cols) + how(hint(in), Style{color}, cols);
}

Expected<json, std::string> parse(const json& in, const json&, std::string_view input) {
  // '-' alone is the empty answer, where the interaction allows one.
  if (input == "-") {
    if (allows_empty(in)) return json::array();
    return std::string("this question needs at least one letter: '-' (none) is not an answer here");
  }
  const json& options = in.at("options");
  auto picked = pick_letters(options, input);
  if (!picked) return picked.error();
  const auto& idx = picked.value();
  bool multiple = in.value("multiple", false);
  if (!multiple && idx.size() != 1) return std::string("choose exactly one letter");
  auto min = in.value("min", std::size_t{1});
  if (multiple && idx.size() < min) return fmt::format("choose at least {}", min);
  if (multiple && in.contains("max") && idx.size() > in["max"].get<std::size_t>())
    return fmt::format("choose at most {}", in["max"].get<std::size_t>());
  json out = json::array();
  for (auto i : idx) out.push_back(options[i].at("id"));
  return out;
}

json enter(const json& in, const json& presentation, const json* kept, Keyboard& keyboard) {
  return enter_line(in, presentation, kept, keyboard, "no option");
}

std::string keys(const json& in, const json&, const json& value) {
  return keys_of_ids(value, member(in, "options"), option_letter);
}

json guess(const json& in, const json&, const json&, sdk::Rng& rng) {
  auto ids = ids_of(in.value("options", json::array()));
  if (ids.empty()) return json::array();
  if (!in.value("multiple", false)) return json::array({rng.pick(ids)});
  json picked = json::array();
  for (const auto& id : ids)
    if (rng.chance(1, 2)) picked.push_back(id);
  if (picked.empty()) picked.push_back(rng.pick(ids));
  return picked;
}

std::string readable(const json& in, const json&, const json& value) { return readable_ids(value, member(in, "options"), "; "); }

}  // namespace choice_kind

InteractionType choice_type() {
  using namespace choice_kind;
  return {.name = "choice",
          .help = {{"choices", "the letter, or several letters for 'one or more' (A C)"}},
          .hint = hint,
          .render = render,
          .allows_empty = allows_none,
          .parse = parse,
          .enter = enter,
          .keys = keys,
          .readable = readable,
          .guess = guess};
}

}  // namespace assay::presentation::detail
