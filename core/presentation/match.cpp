// match: each entry on the left paired with one on the right, as number-letter pairs (1C 2A).
#include <fmt/format.h>

#include <assay/sdk/rng.hpp>
#include <cctype>

#include "detail.hpp"

namespace assay::presentation::detail {

namespace match_kind {

std::string hint(const json&) { return "match each number to a letter"; }

std::string render(const json& in, bool color, std::size_t cols) {
  Style st{color};
  const json& left = list(in, "left");
  const json& right = list(in, "right");
  std::vector<std::vector<std::string>> rows;
  for (std::size_t i = 0; i < std::max(left.size(), right.size()); ++i) {
    rows.push_back({i < left.size() ? std::to_string(i + 1) + ") " + str(left[i], "text") : "",
                    i < right.size() ? option_letter(i) + ") " + str(right[i], "text") : ""});
  }
  return render_table({}, rows, st) + how(hint(in), st, cols);
}

/// "1C 2A 3B" (or "1-C", commas between) as {left id: right id}.
Expected<json, std::string> parse_pairs(const std::string& line, const json& left, const json& right) {
  json out = json::object();
  std::string token;
  std::vector<std::string> tokens;
  for (char c : line + " ") {
    if (c == ' ' || c == ',') {
      if (!token.empty()) tokens.push_back(token);
      token.clear();
    } else {
      token += c;
    }
  }
  if (tokens.empty()) return std::string("give number-letter pairs, e.g. 1C 2A 3B");
  for (const auto& t : tokens) {
    std::size_t k = 0;
    while (k < t.size() && std::isdigit(static_cast<unsigned char>(t[k]))) ++k;
    std::string num = t.substr(0, k), rest = t.substr(k);
    if (!rest.empty() && rest[0] == '-') rest.erase(0, 1);
    if (num.empty() || rest.size() != 1) return fmt::format("'{}' is not a number-letter pair like 2A", t);
    // No list has a million entries; longer digit runs would overflow the conversion.
    if (num.size() > 6) return fmt::format("'{}': there is no number {}", t, num);
    auto l = static_cast<std::size_t>(std::stoul(num));
    auto letter = static_cast<char>(std::toupper(static_cast<unsigned char>(rest[0])));
    if (l < 1 || l > left.size()) return fmt::format("'{}': there is no number {}", t, l);
    auto ri = static_cast<std::size_t>(letter - 'A');
    if (letter < 'A' || ri >= right.size()) return fmt::format("'{}': there is no letter {}", t, rest);
    std::string lid = left[l - 1].at("id").get<std::string>();
    if (out.contains(lid)) return fmt::format("number {} is matched twice", l);
    out[lid] = right[ri].at("id");
  }
  return out;
}

Expected<json, std::string> parse(const json& in, const json&, std::string_view input) {
  return parse_pairs(std::string(input), in.at("left"), in.at("right"));
}

// Not through parse_answer: a blank line asks for pairs, and a bad pair needs no pointer to the help.
json enter(const json& in, const json&, const json* kept, Keyboard& keyboard) {
  Style st{keyboard.color()};
  std::string label = in.value("prompt", in.value("id", ""));
  const auto& left = in.at("left");
  const auto& right = in.at("right");
  std::string line;
  for (;;) {
    if (!keyboard.read(fmt::format("{} > ", label), line)) return json();
    if (kept != nullptr && line.find_first_not_of(" \t") == std::string::npos) return *kept;
    auto parsed = parse_pairs(line, left, right);
    if (parsed) return parsed.value();
    keyboard.write(st.red("  " + parsed.error()) + "\n");
  }
}

std::string keys(const json& in, const json&, const json& value) {
  if (!value.is_object()) return as_json(value);
  std::string out;
  const json& left = member(in, "left");
  for (std::size_t i = 0; i < left.size(); ++i) {
    auto it = value.find(left[i].value("id", ""));
    if (it == value.end()) continue;
    if (auto r = index_of(member(in, "right"), *it)) out += (out.empty() ? "" : " ") + std::to_string(i + 1) + option_letter(*r);
  }
  return out;
}

json guess(const json& in, const json&, const json&, sdk::Rng& rng) {
  auto left = ids_of(in.value("left", json::array()));
  auto right = ids_of(in.value("right", json::array()));
  json out = json::object();
  if (right.empty()) return out;
  for (const auto& l : left) out[l] = rng.pick(right);
  return out;
}

std::string readable(const json& in, const json&, const json& value) {
  if (!value.is_object()) return as_json(value);
  std::string out;
  for (const auto& l : member(in, "left")) {
    auto it = value.find(l.value("id", ""));
    if (it == value.end()) continue;
    std::string right = it->is_string() ? it->get<std::string>() : it->dump();
    if (auto r = index_of(member(in, "right"), *it)) right = str(member(in, "right")[*r], "text");
    out += (out.empty() ? "" : "\n") + str(l, "text") + " → " + right;
  }
  return out;
}

}  // namespace match_kind

InteractionType match_type() {
  using namespace match_kind;
  return {.name = "match",
          .help = {{"match", "number and letter pairs (1C 2A 3B)"}},
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
