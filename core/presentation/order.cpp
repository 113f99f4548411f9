// order: every option once, by letter, in the learner's order.
#include <fmt/format.h>

#include <assay/sdk/rng.hpp>

#include "detail.hpp"

namespace assay::presentation::detail {

namespace order_kind {

std::string hint(const json&) { return "give every letter, in order"; }

std::string render(const json& in, bool color, std::size_t cols) {
  return lettered(list(in, "options"), cols) + how(hint(in), Style{color}, cols);
}

Expected<json, std::string> parse(const json& in, const json&, std::string_view input) {
  const json& options = in.at("options");
  auto picked = pick_letters(options, input);
  if (!picked) return picked.error();
  const auto& idx = picked.value();
  if (idx.size() != options.size())
    return fmt::format("give all {} letters, A to {}, in your order", options.size(), option_letter(options.size() - 1));
  json out = json::array();
  for (auto i : idx) out.push_back(options[i].at("id"));
  return out;
}

json enter(const json& in, const json& presentation, const json* kept, Keyboard& keyboard) {
  return enter_line(in, presentation, kept, keyboard);
}

std::string keys(const json& in, const json&, const json& value) {
  return keys_of_ids(value, member(in, "options"), option_letter);
}

json guess(const json& in, const json&, const json&, sdk::Rng& rng) {
  auto ids = ids_of(in.value("options", json::array()));
  rng.shuffle(ids);
  return ids;
}

std::string readable(const json& in, const json&, const json& value) {
  if (!value.is_array()) return as_json(value);
  std::string out;
  std::size_t n = 0;
  for (const auto& id : value)
    if (auto i = index_of(member(in, "options"), id))
      out += (out.empty() ? "" : "; ") + std::to_string(++n) + ". " + str(member(in, "options")[*i], "text");
  return out;
}

}  // namespace order_kind

InteractionType order_type() {
  using namespace order_kind;
  return {.name = "order",
          .help = {{"order", "every letter in your order (C A B D)"}},
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
