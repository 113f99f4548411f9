// select-lines: lines of a `lines` material, by number and range (3 7-9).
#include <fmt/format.h>

#include <algorithm>
#include <assay/sdk/rng.hpp>
#include <cctype>

#include "detail.hpp"

namespace assay::presentation::detail {

namespace select_lines_kind {

bool allows_none(const json& in) {
  auto min = count(in, "min");
  return !min || *min == 0;
}

std::string hint(const json& in) {
  auto material = count(in, "material");
  std::string which = material ? " of material " + std::to_string(*material + 1) : "";
  std::string none = allows_empty(in) ? ", or '-' for none" : "";
  return "select lines" + which + " by number" + none;
}

std::string render(const json& in, bool color, std::size_t cols) { return how(hint(in), Style{color}, cols); }

Expected<json, std::string> parse(const json& in, const json& presentation, std::string_view input) {
  // '-' alone is the empty answer, where the interaction allows one.
  if (input == "-") {
    if (allows_empty(in)) return json::array();
    return std::string("this question needs at least one line: '-' (none) is not an answer here");
  }
  auto index = in.value("material", std::size_t{0});
  const json& material = presentation.at("material");
  if (index >= material.size() || !material[index].contains("lines")) return std::string("this question shows no lines");
  const json& lines = material[index]["lines"];
  std::vector<std::size_t> chosen;
  for (const auto& w : words(input)) {
    auto dash = w.find('-');
    auto number = [&](const std::string& s) -> std::optional<std::size_t> {
      if (s.empty() || s.size() > 6 ||
          !std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
        return std::nullopt;
      return static_cast<std::size_t>(std::stoul(s));
    };
    auto from = number(dash == std::string::npos ? w : w.substr(0, dash));
    auto to = dash == std::string::npos ? from : number(w.substr(dash + 1));
    if (!from || !to || *from < 1 || *to > lines.size() || *from > *to)
      return fmt::format("'{}' is not a line number or range between 1 and {} (e.g. 3 7-9)", w, lines.size());
    for (auto k = *from; k <= *to; ++k) chosen.push_back(k - 1);
  }
  std::sort(chosen.begin(), chosen.end());
  chosen.erase(std::unique(chosen.begin(), chosen.end()), chosen.end());
  auto min = in.value("min", std::size_t{0});
  if (chosen.size() < min) return fmt::format("select at least {} line{}", min, min == 1 ? "" : "s");
  if (in.contains("max") && chosen.size() > in["max"].get<std::size_t>())
    return fmt::format("select at most {} line{}", in["max"].get<std::size_t>(), in["max"].get<std::size_t>() == 1 ? "" : "s");
  json out = json::array();
  for (auto k : chosen) out.push_back(lines[k].at("id"));
  return out;
}

json enter(const json& in, const json& presentation, const json* kept, Keyboard& keyboard) {
  return enter_line(in, presentation, kept, keyboard, "no line");
}

std::string line_number(std::size_t index) { return std::to_string(index + 1); }

std::string keys(const json& in, const json& presentation, const json& value) {
  if (!value.is_array() || value.empty()) return keys_of_ids(value, json::array(), line_number);
  const json& material = member(presentation, "material");
  auto k = in.value("material", std::size_t{0});
  return keys_of_ids(value, k < material.size() ? member(material[k], "lines") : json::array(), line_number);
}

json guess(const json& in, const json& presentation, const json&, sdk::Rng& rng) {
  json out = json::array();
  auto index = in.value("material", std::size_t{0});
  const auto& material = presentation.value("material", json::array());
  if (index < material.size()) {
    for (const auto& line : material[index].value("lines", json::array()))
      if (rng.chance(1, 8)) out.push_back(line.value("id", ""));
  }
  return out;
}

std::string readable(const json& in, const json& presentation, const json& value) {
  if (!value.is_array()) return as_json(value);
  if (value.empty()) return "none selected";
  const json& material = member(presentation, "material");
  auto k = in.value("material", std::size_t{0});
  const json& lines = k < material.size() ? member(material[k], "lines") : json::array();
  std::string out;
  for (const auto& id : value) {
    auto i = index_of(lines, id);
    out += (out.empty() ? "" : "\n") + (i ? "line " + std::to_string(*i + 1) + ": " + str(lines[*i], "text")
                                          : (id.is_string() ? id.get<std::string>() : id.dump()));
  }
  return out;
}

}  // namespace select_lines_kind

InteractionType select_lines_type() {
  using namespace select_lines_kind;
  return {.name = "select-lines",
          .help = {{"lines", "line numbers and ranges (3 7-9)"},
                   {"none", "'-' where selecting no line or no option is an answer (you confirm it)"}},
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
