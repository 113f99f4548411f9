// Keyboard answers → response v1 values (docs/formats.md).
#include <fmt/format.h>

#include <algorithm>
#include <assay/sdk.hpp>
#include <cctype>

#include "assay/render.hpp"
#include "assay/take.hpp"

namespace assay::take {

using json = nlohmann::json;

namespace {

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

/// Splits on spaces and commas.
std::vector<std::string> words(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == ' ' || c == ',' || c == '\t') {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

/// Letters A.. for `n` options; "A C" or "AC" both read as two letters. Past 26 options the
/// letters run on as AA, AB, ... (report::option_letter), so each word is one letter code: "B AA".
Expected<std::vector<std::size_t>, std::string> letters(std::string_view input, std::size_t n) {
  std::vector<std::size_t> out;
  if (n > 26) {
    for (const auto& w : words(input)) {
      std::size_t index = 0;
      bool ok = w.size() <= 3;
      for (char c : w) {
        auto u = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        ok = ok && u >= 'A' && u <= 'Z';
        index = index * 26 + static_cast<std::size_t>(u - 'A' + 1);
      }
      if (!ok || index == 0 || index > n)
        return fmt::format("'{}' is not one of the letters A to {} (separate them with spaces)", w, report::option_letter(n - 1));
      out.push_back(index - 1);
    }
    return out;
  }
  for (const auto& w : words(input)) {
    for (char c : w) {
      auto u = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (u < 'A' || static_cast<std::size_t>(u - 'A') >= n)
        return fmt::format("'{}' is not one of the letters A to {}", std::string(1, c), report::option_letter(n - 1));
      out.push_back(static_cast<std::size_t>(u - 'A'));
    }
  }
  return out;
}

}  // namespace

Expected<json, std::string> parse_answer(const json& interaction, const json& presentation, std::string_view raw) {
  const std::string type = interaction.value("type", "");
  const std::string input = trim(raw);
  if (input.empty()) return std::string("type an answer, or '?' for help");

  // '-' alone is the empty answer, where the interaction allows one.
  if (input == "-") {
    if (report::allows_empty(interaction)) return json::array();
    if (type == "choice" || type == "select-lines")
      return std::string(type == "choice" ? "this question needs at least one letter: '-' (none) is not an answer here"
                                          : "this question needs at least one line: '-' (none) is not an answer here");
  }

  if (type == "choice" || type == "order") {
    const json& options = interaction.at("options");
    if (options.empty()) return std::string("this question has no options");
    auto picked = letters(input, options.size());
    if (!picked) return picked.error();
    auto& idx = picked.value();
    std::vector<std::size_t> sorted = idx;
    std::sort(sorted.begin(), sorted.end());
    if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) return std::string("each letter may appear only once");
    if (type == "choice") {
      bool multiple = interaction.value("multiple", false);
      if (!multiple && idx.size() != 1) return std::string("choose exactly one letter");
      auto min = interaction.value("min", std::size_t{1});
      if (multiple && idx.size() < min) return fmt::format("choose at least {}", min);
      if (multiple && interaction.contains("max") && idx.size() > interaction["max"].get<std::size_t>())
        return fmt::format("choose at most {}", interaction["max"].get<std::size_t>());
    } else if (idx.size() != options.size()) {
      return fmt::format("give all {} letters, A to {}, in your order", options.size(),
                         report::option_letter(options.size() - 1));
    }
    json out = json::array();
    for (auto i : idx) out.push_back(options[i].at("id"));
    return out;
  }

  if (type == "select-lines") {
    auto index = interaction.value("material", std::size_t{0});
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
    auto min = interaction.value("min", std::size_t{0});
    if (chosen.size() < min) return fmt::format("select at least {} line{}", min, min == 1 ? "" : "s");
    if (interaction.contains("max") && chosen.size() > interaction["max"].get<std::size_t>())
      return fmt::format("select at most {} line{}", interaction["max"].get<std::size_t>(),
                         interaction["max"].get<std::size_t>() == 1 ? "" : "s");
    json out = json::array();
    for (auto k : chosen) out.push_back(lines[k].at("id"));
    return out;
  }

  if (type == "numeric") {
    auto parts = words(input);
    if (parts.size() > 2) return std::string("give a number and, if needed, its unit (e.g. 4.95 mA)");
    if (!sdk::Decimal::parse(parts[0])) return fmt::format("'{}' is not a decimal number (e.g. 4.95)", parts[0]);
    json out = {{"value", parts[0]}};
    std::vector<std::string> units;
    if (interaction.contains("units"))
      for (const auto& u : interaction["units"]) units.push_back(u.get<std::string>());
    std::string fixed = interaction.value("unit", "");
    if (parts.size() == 2) {
      if (!units.empty() && std::find(units.begin(), units.end(), parts[1]) == units.end()) {
        std::string list;
        for (const auto& u : units) list += (list.empty() ? "" : ", ") + u;
        return fmt::format("unit '{}' is not one of {}", parts[1], list);
      }
      out["unit"] = parts[1];
    } else if (!fixed.empty()) {
      out["unit"] = fixed;
    } else if (units.size() == 1) {
      out["unit"] = units[0];
    } else if (!units.empty()) {
      return fmt::format("give the unit too: {} (e.g. {} {})", fmt::join(units, ", "), parts[0], units[0]);
    }
    return out;
  }

  if (type == "text" || type == "extended-text") {
    if (interaction.contains("max_length") && input.size() > interaction["max_length"].get<std::size_t>())
      return fmt::format("at most {} characters", interaction["max_length"].get<std::size_t>());
    return json(input);
  }
  return fmt::format("interaction type '{}' is answered part by part", type);
}

}  // namespace assay::take
