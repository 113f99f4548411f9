// table: rows by columns of cells, each asked at its own prompt; a column with options takes one
// of them (by letter, text or the start of its text), the others free text.
#include <fmt/format.h>

#include <algorithm>
#include <assay/sdk/rng.hpp>
#include <cctype>

#include "detail.hpp"

namespace assay::presentation::detail {

namespace table_kind {

std::string hint(const json&) { return ""; }

std::string render(const json& in, bool color, std::size_t cols) {
  std::vector<std::string> header{""}, plain{""}, choices;
  for (const auto& c : list(in, "columns")) {
    std::string label = str(c, "label");
    std::string listed;
    for (const auto& o : list(c, "options")) listed += (listed.empty() ? "" : "/") + str(o, "text");
    header.push_back(listed.empty() ? label : label + " (" + listed + ")");
    plain.push_back(label);
    if (!listed.empty()) choices.push_back(label + ": one of " + listed);
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& r : list(in, "rows")) {
    std::vector<std::string> row{str(r, "label")};
    for (std::size_t c = 1; c < header.size(); ++c) row.push_back("____");
    rows.push_back(row);
  }
  if (cols == 0 || table_width(header, rows) <= cols) return render_table(header, rows, Style{color});
  // Too wide with the options in the header: the columns' options listed under the table.
  std::string out = render_table(plain, rows, Style{color});
  for (const auto& c : choices) {
    std::string spaced = c;
    for (std::size_t at = 0; (at = spaced.find('/', at)) != std::string::npos; at += 3) spaced.replace(at, 1, " / ");
    out += wrap(spaced, cols, "  ", "    ");
  }
  return out;
}

bool same_text(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

/// The option `v` names: its letter, its text or its id (in any case), else the start of exactly
/// one option's text ("f" for "Fail").
std::optional<std::string> match_option(const std::string& v, const json& options) {
  for (std::size_t i = 0; i < options.size(); ++i) {
    std::string text = options[i].value("text", "");
    if (same_text(v, option_letter(i)) || same_text(v, text) || same_text(v, options[i].value("id", "")))
      return options[i].at("id").get<std::string>();
  }
  std::optional<std::string> found;
  for (const auto& o : options) {
    std::string text = o.value("text", "");
    if (text.size() < v.size()) continue;
    bool prefix = std::equal(v.begin(), v.end(), text.begin(), [](char x, char y) {
      return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
    });
    if (!prefix) continue;
    if (found) return std::nullopt;  // ambiguous
    found = o.at("id").get<std::string>();
  }
  return found;
}

json enter(const json& in, const json&, const json* kept, Keyboard& keyboard) {
  json out;
  // A blank cell is an answer, so a kept table is kept by 'y', and goes on with the cells still empty.
  if (keep_or_go_on(kept, keyboard, false, out)) return out;
  Style st{keyboard.color()};
  std::string line;
  // A prompt that would not fit the terminal with its column's choices names only their letters;
  // the choices are then written once, above the first prompt, as lines that fit.
  const std::size_t width = keyboard.width();
  bool legend = false;
  auto choices_of = [](const json& options) {
    std::string choices;
    for (std::size_t i = 0; i < options.size(); ++i)
      choices += (i ? " " : "") + option_letter(i) + "=" + options[i].value("text", "");
    return choices;
  };
  for (const auto& row : in.at("rows")) {
    for (const auto& col : in.at("columns")) {
      if (auto cells = out.find(row.value("id", ""));
          cells != out.end() && cells->is_object() && cells->contains(col.value("id", "")))
        continue;
      const json options = col.value("options", json::array());
      const std::string choices = choices_of(options);
      const std::string cell = fmt::format("  {} / {}", row.value("label", ""), col.value("label", ""));
      std::string prompt = cell + (choices.empty() ? "" : " (" + choices + ")") + ": ";
      // Room for the answer typed after the prompt, as a word of a few letters.
      if (width > 0 && !choices.empty() && text_width(prompt) + 8 > width) {
        if (!legend) {
          for (const auto& c : in.at("columns"))
            if (auto listed = choices_of(c.value("options", json::array())); !listed.empty())
              keyboard.write(wrap(c.value("label", "") + ": " + listed, width, "  ", "    "));
          legend = true;
        }
        prompt = cell + " (" + option_letter(0) + "-" + option_letter(options.size() - 1) + "): ";
      }
      for (;;) {
        if (!keyboard.read(prompt, line)) return out;
        std::string v = line;
        v.erase(0, v.find_first_not_of(" \t"));
        v.erase(v.find_last_not_of(" \t") + 1);
        if (v.empty()) break;  // left blank
        if (options.empty()) {
          out[row.at("id").get<std::string>()][col.at("id").get<std::string>()] = v;
          break;
        }
        auto chosen = match_option(v, options);
        if (chosen) {
          out[row.at("id").get<std::string>()][col.at("id").get<std::string>()] = *chosen;
          break;
        }
        keyboard.write(st.red("  '" + v + "' is not one of: " + choices) + "\n");
      }
    }
  }
  return out;
}

std::string keys(const json& in, const json&, const json& value) {
  if (!value.is_object()) return as_json(value);
  std::string out;
  for (const auto& row : member(in, "rows")) {
    auto cells = value.find(row.value("id", ""));
    if (cells == value.end() || !cells->is_object()) continue;
    for (const auto& col : member(in, "columns")) {
      auto cell = cells->find(col.value("id", ""));
      if (cell == cells->end() || !cell->is_string()) continue;
      std::string shown = cell->get<std::string>();
      if (auto o = index_of(col.value("options", json::array()), *cell)) shown = col["options"][*o].value("text", shown);
      out += (out.empty() ? "" : "; ") + row.value("label", "") + " / " + col.value("label", "") + ": " + shown;
    }
  }
  return out;
}

json guess(const json& in, const json&, const json& correct, sdk::Rng& rng) { return guess_cells(in, correct, rng); }

std::string readable(const json& in, const json&, const json& value) {
  if (!value.is_object()) return as_json(value);
  std::string out;
  for (const auto& row : member(in, "rows")) {
    auto cells = value.find(row.value("id", ""));
    if (cells == value.end() || !cells->is_object()) continue;
    std::string line;
    for (const auto& col : member(in, "columns")) {
      auto cell = cells->find(col.value("id", ""));
      if (cell == cells->end() || !cell->is_string()) continue;
      std::string shown = cell->get<std::string>();
      if (auto o = index_of(col.value("options", json::array()), *cell)) shown = col["options"][*o].value("text", shown);
      line += (line.empty() ? "" : "; ") + col.value("label", col.value("id", "")) + ": " + (shown.empty() ? "(blank)" : shown);
    }
    out += (out.empty() ? "" : "\n") + row.value("label", row.value("id", "")) + " — " + line;
  }
  return out;
}

}  // namespace table_kind

InteractionType table_type() {
  using namespace table_kind;
  return {.name = "table",
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
