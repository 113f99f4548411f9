// Text layout for the terminal: letters, indents, word wrap, aligned tables.
#include <algorithm>

#include "detail.hpp"

namespace assay::presentation {

namespace detail {

std::size_t width(const std::string& s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string styled(const Style& st, std::string (Style::*style)(std::string_view) const, std::string text) {
  text.pop_back();
  return (st.*style)(text) + "\n";
}

std::string pad(const std::string& s, std::size_t w) { return s + std::string(w > width(s) ? w - width(s) : 0, ' '); }

namespace {

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

}  // namespace

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

std::size_t table_width(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
  const auto w = column_widths(header, rows);
  std::size_t total = 2;
  for (std::size_t c = 0; c < w.size(); ++c) total += w[c] + (c + 1 < w.size() ? 2 : 0);
  return total;
}

std::string render_records(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                           const Style& st, std::size_t cols) {
  std::size_t label = 0;
  for (std::size_t c = 1; c < header.size(); ++c) label = std::max(label, width(header[c]));
  std::string out;
  for (const auto& r : rows) {
    std::string head = (header.empty() ? std::string() : header[0] + " ") + (r.empty() ? std::string() : r[0]);
    out += styled(st, &Style::bold, wrap(head, cols, "  ", "    "));
    for (std::size_t c = 1; c < r.size(); ++c) {
      std::string name = c < header.size() ? header[c] : "";
      const std::size_t room = cols > 4 + label + 2 ? cols - (4 + label + 2) : 0;
      if (cols > 0 && r[c].find(' ') == std::string::npos && width(r[c]) > room) {
        // One token (a vector, a path) wider than the room beside its label: under it, folded.
        out += "    " + name + "\n";
        for (const auto& piece : fold(r[c], cols > 6 ? cols - 6 : 0)) out += "      " + piece + "\n";
        continue;
      }
      out += wrap(r[c], cols, "    " + pad(name, label) + "  ", std::string(4 + label + 2, ' '));
    }
  }
  return out;
}

std::string lettered(const json& options, std::size_t cols) {
  std::string out;
  std::size_t i = 0;
  for (const auto& o : options) {
    std::string head = "  " + option_letter(i++) + ") ";
    out += wrap(str(o, "text"), cols, head, std::string(width(head), ' '));
  }
  return out;
}

std::string how(const std::string& text, const Style& st, std::size_t cols) {
  return styled(st, &Style::dim, wrap("(" + text + ")", cols, "  ", "   "));
}

}  // namespace detail

using detail::width;

std::size_t text_width(std::string_view text) { return width(std::string(text)); }

namespace {

/// The byte length of the first `n` code points of `text` (all of it when shorter).
std::size_t bytes_of(std::string_view text, std::size_t n) {
  std::size_t i = 0;
  for (std::size_t seen = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (seen++ == n) return i;
  }
  return text.size();
}

}  // namespace

std::string cut(std::string_view text, std::size_t room) {
  if (text_width(text) <= room) return std::string(text);
  if (room == 0) return "";
  return std::string(text.substr(0, bytes_of(text, room - 1))) + "…";
}

std::vector<std::string> fold(std::string_view line, std::size_t room) {
  std::vector<std::string> pieces;
  if (room == 0 || text_width(line) <= room) return {std::string(line)};
  while (text_width(line) > room) {
    std::size_t limit = bytes_of(line, room);  // the bytes of `room` code points
    // The last separator in the piece: the line breaks after it, so no field or word is split.
    std::size_t at = std::string_view::npos;
    for (std::size_t i = limit; i > 0; --i) {
      char c = line[i - 1];
      if (std::string_view(" \t|^~&,;/=#$*!").find(c) != std::string_view::npos) {
        at = i;
        break;
      }
    }
    if (at == std::string_view::npos) at = limit;
    pieces.emplace_back(line.substr(0, at));
    line.remove_prefix(at);
  }
  if (!line.empty()) pieces.emplace_back(line);
  return pieces;
}

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

}  // namespace assay::presentation
