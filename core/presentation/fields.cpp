// fields: a form of labelled text fields, each asked at its own prompt.
#include <fmt/format.h>

#include <assay/sdk/rng.hpp>

#include "detail.hpp"

namespace assay::presentation::detail {

namespace fields_kind {

std::string hint(const json&) { return ""; }

std::string render(const json& in, bool color, std::size_t cols) {
  Style st{color};
  std::string out;
  for (const auto& f : list(in, "fields")) {
    std::string field_hint = str(f, "hint");
    std::string line = str(f, "label") + ": ____";
    std::string wrapped = wrap(line + (field_hint.empty() ? "" : " (" + field_hint + ")"), cols, "  ", "    ");
    bool one_line = wrapped.find('\n') + 1 == wrapped.size();
    // The hint is dim when it shares the label's line; a wrapped field is plain text.
    out += field_hint.empty() || !one_line ? wrapped : "  " + line + " " + st.dim("(" + field_hint + ")") + "\n";
  }
  return out;
}

json enter(const json& in, const json&, const json* kept, Keyboard& keyboard) {
  json out;
  // A blank field is an answer, so a kept form is kept by 'y', and goes on with the fields still empty.
  if (keep_or_go_on(kept, keyboard, false, out)) return out;
  std::string line;
  for (const auto& f : in.at("fields")) {
    if (out.contains(f.value("id", ""))) continue;
    if (!keyboard.read(fmt::format("  {}: ", f.value("label", f.value("id", ""))), line)) return out;
    std::string v = line;
    v.erase(0, v.find_first_not_of(" \t"));
    v.erase(v.find_last_not_of(" \t") + 1);
    if (!v.empty()) out[f.at("id").get<std::string>()] = v;
  }
  return out;
}

std::string keys(const json& in, const json&, const json& value) {
  if (!value.is_object()) return as_json(value);
  std::string out;
  for (const auto& f : member(in, "fields"))
    if (auto it = value.find(f.value("id", "")); it != value.end() && it->is_string())
      out += (out.empty() ? "" : "; ") + f.value("label", f.value("id", "")) + ": " + it->get<std::string>();
  return out;
}

json guess(const json& in, const json&, const json& correct, sdk::Rng& rng) { return guess_cells(in, correct, rng); }

std::string readable(const json& in, const json&, const json& value) {
  if (!value.is_object()) return as_json(value);
  std::string out;
  for (const auto& f : member(in, "fields"))
    if (auto it = value.find(f.value("id", "")); it != value.end() && it->is_string())
      out += (out.empty() ? "" : "\n") + f.value("label", f.value("id", "")) + ": " +
             (it->get<std::string>().empty() ? "(blank)" : it->get<std::string>());
  return out;
}

}  // namespace fields_kind

InteractionType fields_type() {
  using namespace fields_kind;
  return {.name = "fields",
          .help = {},
          .hint = hint,
          .render = render,
          .allows_empty = nullptr,
          .parse = nullptr,
          .enter = enter,
          .keys = keys,
          .readable = readable,
          .guess = guess};
}

}  // namespace assay::presentation::detail
