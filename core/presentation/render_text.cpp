#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>

#include "assay/render.hpp"

namespace assay::report {

namespace {

using nlohmann::json;

struct Style {
  bool color;
  std::string bold(const std::string& s) const { return color ? "\x1b[1m" + s + "\x1b[0m" : s; }
  std::string dim(const std::string& s) const { return color ? "\x1b[2m" + s + "\x1b[0m" : s; }
};

std::string str(const json& j, const char* key) {
  if (!j.is_object()) return "";
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

const json& list(const json& j, const char* key) {
  static const json empty = json::array();
  if (!j.is_object()) return empty;
  auto it = j.find(key);
  return it != j.end() && it->is_array() ? *it : empty;
}

// Display width of UTF-8 text: code points, which is right for the Latin, Greek and symbol text
// (µ, Ω, °) assessments use.
std::size_t width(const std::string& s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// `text` (ending in a newline) in a style, the newline after the style ends.
std::string styled(const Style& st, std::string (Style::*style)(const std::string&) const, std::string text) {
  text.pop_back();
  return (st.*style)(text) + "\n";
}

std::string pad(const std::string& s, std::size_t w) { return s + std::string(w > width(s) ? w - width(s) : 0, ' '); }

/// Each column's width as render_table lays a table out: its widest cell, the header's included.
std::vector<std::size_t> column_widths(const std::vector<std::string>& header,
                                       const std::vector<std::vector<std::string>>& rows) {
  std::size_t n = header.size();
  for (const auto& r : rows) n = std::max(n, r.size());
  std::vector<std::size_t> w(n, 0);
  for (std::size_t c = 0; c < header.size(); ++c) w[c] = std::max(w[c], width(header[c]));
  for (const auto& r : rows)
    for (std::size_t c = 0; c < r.size(); ++c) w[c] = std::max(w[c], width(r[c]));
  return w;
}

std::string render_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                         const Style& st) {
  const auto w = column_widths(header, rows);
  const std::size_t n = w.size();
  auto line = [&](const std::vector<std::string>& cells) {
    std::string s = "  ";
    for (std::size_t c = 0; c < n; ++c) {
      std::string cell = c < cells.size() ? cells[c] : "";
      s += c + 1 < n ? pad(cell, w[c]) + "  " : cell;
    }
    while (!s.empty() && s.back() == ' ') s.pop_back();
    return s + "\n";
  };
  std::string out;
  if (!header.empty()) {
    auto head = line(header);
    head.pop_back();
    out += st.bold(head) + "\n";
    std::string rule = "  ";
    for (std::size_t c = 0; c < n; ++c) rule += std::string(w[c], '-') + (c + 1 < n ? "  " : "");
    out += rule + "\n";
  }
  for (const auto& r : rows) out += line(r);
  return out;
}

// The columns a table takes as render_table lays it out.
std::size_t table_width(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
  const auto w = column_widths(header, rows);
  std::size_t total = 2;
  for (std::size_t c = 0; c < w.size(); ++c) total += w[c] + (c + 1 < w.size() ? 2 : 0);
  return total;
}

// A table too wide for the terminal, one record per row: the row's first cell as its heading,
// then each other column as "label  value", the value wrapped under itself. Nothing is cut.
std::string render_records(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                           const Style& st, std::size_t cols) {
  std::size_t label = 0;
  for (std::size_t c = 1; c < header.size(); ++c) label = std::max(label, width(header[c]));
  std::string out;
  for (const auto& r : rows) {
    std::string head = (header.empty() ? std::string() : header[0] + " ") + (r.empty() ? std::string() : r[0]);
    out += "  " + st.bold(head) + "\n";
    for (std::size_t c = 1; c < r.size(); ++c) {
      std::string name = c < header.size() ? header[c] : "";
      out += wrap(r[c], cols, "    " + pad(name, label) + "  ", std::string(4 + label + 2, ' '));
    }
  }
  return out;
}

std::vector<std::string> strings(const json& arr) {
  std::vector<std::string> out;
  for (const auto& x : arr) out.push_back(x.is_string() ? x.get<std::string>() : x.dump());
  return out;
}

std::string render_material(const json& m, std::size_t index, const Style& st, std::size_t cols) {
  std::string kind = str(m, "kind");
  if (kind == "text") return wrap(str(m, "text"), cols, "", "");
  if (kind == "code") {
    std::string lang = str(m, "language");
    return st.dim("  [" + (lang.empty() ? std::string("code") : lang) + "]") + "\n" + indent(str(m, "text"), "  | ", "  | ");
  }
  if (kind == "table") {
    std::vector<std::vector<std::string>> rows;
    for (const auto& r : list(m, "rows")) rows.push_back(strings(r));
    auto header = strings(list(m, "columns"));
    if (cols > 0 && header.size() > 2 && table_width(header, rows) > cols) return render_records(header, rows, st, cols);
    return render_table(header, rows, st);
  }
  if (kind == "lines") {
    const json& lines = list(m, "lines");
    std::size_t digits = std::to_string(lines.size()).size();
    std::string out = st.dim("  [material " + std::to_string(index + 1) + ": numbered lines]") + "\n";
    std::size_t n = 0;
    for (const auto& l : lines) {
      std::string num = std::to_string(++n);
      out += "  " + std::string(digits - num.size(), ' ') + num + "  " + str(l, "text") + "\n";
    }
    return out;
  }
  return "";
}

// Each option after its letter, wrapped under its own text: "  A) ...".
std::string lettered(const json& options, std::size_t cols) {
  std::string out;
  std::size_t i = 0;
  for (const auto& o : options) {
    std::string head = "  " + option_letter(i++) + ") ";
    out += wrap(str(o, "text"), cols, head, std::string(width(head), ' '));
  }
  return out;
}

// The count in `key` of an interaction, when it is a non-negative integer.
std::optional<long long> count(const json& in, const char* key) {
  if (!in.is_object()) return std::nullopt;
  auto it = in.find(key);
  if (it == in.end() || !it->is_number_integer() || it->get<long long>() < 0) return std::nullopt;
  return it->get<long long>();
}

}  // namespace

bool allows_empty(const nlohmann::json& interaction) {
  if (!interaction.is_object()) return false;
  std::string type = str(interaction, "type");
  auto min = count(interaction, "min");
  if (type == "choice") return interaction.value("multiple", false) && min && *min == 0;
  if (type == "select-lines") return !min || *min == 0;
  return false;
}

namespace {

std::string render_interaction(const json& in, const Style& st, std::size_t cols) {
  std::string type = str(in, "type");
  std::string out;
  // The line saying how to answer, dim, wrapped in its parentheses.
  auto how = [&](const std::string& text) { return styled(st, &Style::dim, wrap("(" + text + ")", cols, "  ", "   ")); };
  std::string none = allows_empty(in) ? ", or '-' for none" : "";
  if (!str(in, "prompt").empty()) out += styled(st, &Style::bold, wrap(str(in, "prompt"), cols, "", ""));
  if (type == "choice") {
    out += lettered(list(in, "options"), cols);
    bool multiple = in.is_object() && in.value("multiple", false);
    out += how(multiple ? "choose one or more letters" + none : "choose one letter");
  } else if (type == "text") {
    out += how("type a short answer");
  } else if (type == "extended-text") {
    std::string limit = in.contains("max_length") ? ", at most " + in["max_length"].dump() + " characters" : "";
    out += how("write your answer" + limit);
  } else if (type == "numeric") {
    std::string unit = str(in, "unit");
    auto units = strings(list(in, "units"));
    std::string how = "  (enter a number";
    if (!unit.empty()) how += " in " + unit;
    if (!units.empty()) {
      how += "; units:";
      for (const auto& u : units) how += " " + u;
    }
    out += styled(st, &Style::dim, wrap(how + ")", cols, "", "   "));
  } else if (type == "order") {
    out += lettered(list(in, "options"), cols);
    out += how("give every letter, in order");
  } else if (type == "match") {
    const json& left = list(in, "left");
    const json& right = list(in, "right");
    std::vector<std::vector<std::string>> rows;
    for (std::size_t i = 0; i < std::max(left.size(), right.size()); ++i) {
      rows.push_back({i < left.size() ? std::to_string(i + 1) + ") " + str(left[i], "text") : "",
                      i < right.size() ? option_letter(i) + ") " + str(right[i], "text") : ""});
    }
    out += render_table({}, rows, st);
    out += how("match each number to a letter");
  } else if (type == "select-lines") {
    auto material = count(in, "material");
    std::string which = material ? " of material " + std::to_string(*material + 1) : "";
    out += how("select lines" + which + " by number" + none);
  } else if (type == "fields") {
    for (const auto& f : list(in, "fields")) {
      std::string hint = str(f, "hint");
      std::string line = str(f, "label") + ": ____";
      std::string wrapped = wrap(line + (hint.empty() ? "" : " (" + hint + ")"), cols, "  ", "    ");
      bool one_line = wrapped.find('\n') + 1 == wrapped.size();
      // The hint is dim when it shares the label's line; a wrapped field is plain text.
      out += hint.empty() || !one_line ? wrapped : "  " + line + " " + st.dim("(" + hint + ")") + "\n";
    }
  } else if (type == "table") {
    std::vector<std::string> header{""};
    for (const auto& c : list(in, "columns")) {
      std::string label = str(c, "label");
      const json& opts = list(c, "options");
      if (!opts.empty()) {
        std::string choices;
        for (const auto& o : opts) choices += (choices.empty() ? "" : "/") + str(o, "text");
        label += " (" + choices + ")";
      }
      header.push_back(label);
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& r : list(in, "rows")) {
      std::vector<std::string> row{str(r, "label")};
      for (std::size_t c = 1; c < header.size(); ++c) row.push_back("____");
      rows.push_back(row);
    }
    out += render_table(header, rows, st);
  } else {
    out += how("interaction '" + type + "'");
  }
  return out;
}

}  // namespace

std::string indent(const std::string& text, const std::string& first, const std::string& rest) {
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto nl = text.find('\n', start);
    out += (start == 0 ? first : rest) + text.substr(start, nl == std::string::npos ? std::string::npos : nl - start) + "\n";
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return out;
}

std::string wrap(const std::string& text, std::size_t cols, const std::string& first, const std::string& rest) {
  if (cols == 0) return indent(text, first, rest);
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto nl = text.find('\n', start);
    std::string para = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    const std::string& head = start == 0 ? first : rest;
    if (width(head) + width(para) <= cols) {
      out += head + para + "\n";
    } else {
      // Continuation lines keep the paragraph's own indent, and hang under a bullet's text.
      auto lead = para.find_first_not_of(' ');
      if (lead == std::string::npos) lead = para.size();
      std::string hang = rest + std::string(lead, ' ');
      if (para.compare(lead, 2, "- ") == 0 || para.compare(lead, 2, "* ") == 0) hang += "  ";
      std::string line = head + para.substr(0, lead);
      bool empty = true;  // no word on `line` yet
      std::size_t pos = lead;
      while (pos < para.size()) {
        auto end = para.find(' ', pos);
        if (end == std::string::npos) end = para.size();
        std::string word = para.substr(pos, end - pos);
        pos = end + 1;
        if (word.empty()) continue;
        if (!empty && width(line) + 1 + width(word) > cols) {
          out += line + "\n";
          line = hang;
          empty = true;
        }
        line += (empty ? "" : " ") + word;
        empty = false;
      }
      out += line + "\n";
    }
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return out;
}

std::string option_letter(std::size_t index) {
  std::string s;
  ++index;
  while (index > 0) {
    --index;
    s.insert(s.begin(), static_cast<char>('A' + index % 26));
    index /= 26;
  }
  return s;
}

std::string render_presentation(const nlohmann::json& presentation, bool color, std::size_t cols) {
  Style st{color};
  std::string out;
  if (!str(presentation, "prompt").empty()) out += styled(st, &Style::bold, wrap(str(presentation, "prompt"), cols, "", ""));
  const json& material = list(presentation, "material");
  for (std::size_t i = 0; i < material.size(); ++i) out += "\n" + render_material(material[i], i, st, cols);
  const json& interactions = list(presentation, "interactions");
  for (const auto& in : interactions) out += "\n" + render_interaction(in, st, cols);
  return out;
}

}  // namespace assay::report
