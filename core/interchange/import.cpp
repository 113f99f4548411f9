#include "assay/import.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>

namespace assay::interchange {

namespace {

using json = nlohmann::json;

/// A TOML basic string: JSON's escapes are TOML's, and DEL, which TOML also forbids raw, is escaped.
std::string toml_string(const std::string& s) {
  std::string out = json(s).dump(-1, ' ', false, json::error_handler_t::replace);
  for (std::size_t p = out.find('\x7f'); p != std::string::npos; p = out.find('\x7f', p)) out.replace(p, 1, "\\u007F");
  return out;
}

/// A key as TOML lets it stand: bare when it is letters, digits, '-' and '_', else quoted.
std::string toml_key(const std::string& k) {
  bool bare =
      !k.empty() && std::all_of(k.begin(), k.end(), [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '_'; });
  return bare ? k : toml_string(k);
}

/// A JSON value as a TOML inline value.
std::string toml_value(const json& v) {
  switch (v.type()) {
    case json::value_t::string:
      return toml_string(v.get<std::string>());
    case json::value_t::boolean:
      return v.get<bool>() ? "true" : "false";
    case json::value_t::array: {
      std::string out = "[";
      for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : " ") + toml_value(v[i]);
      return out + (v.empty() ? "]" : " ]");
    }
    case json::value_t::object: {
      std::string out = "{";
      bool first = true;
      for (const auto& [k, x] : v.items()) {
        out += (first ? " " : ", ") + toml_key(k) + " = " + toml_value(x);
        first = false;
      }
      return out + (first ? "}" : " }");
    }
    default:
      return v.dump();
  }
}

}  // namespace

std::string html_to_text(std::string_view html) {
  std::string out;
  for (std::size_t i = 0; i < html.size();) {
    char c = html[i];
    if (c == '<') {
      auto end = html.find('>', i);
      if (end == std::string_view::npos) break;  // an unclosed tag: the rest is markup
      std::string tag(html.substr(i + 1, end - i - 1));
      std::string name;
      for (char t : tag) {
        if (std::isalnum(static_cast<unsigned char>(t)) || (t == '/' && name.empty()))
          name += static_cast<char>(std::tolower(static_cast<unsigned char>(t)));
        else if (!name.empty())
          break;
      }
      if (name == "br" || name == "/p" || name == "/div" || name == "/ul" || name == "/ol" || name == "/tr" || name == "/h1" ||
          name == "/h2" || name == "/h3" || name == "p" || name == "div")
        out += '\n';
      else if (name == "li")
        out += (out.empty() || out.back() == '\n' ? "" : "\n") + std::string("- ");
      else if (name == "td" || name == "th")
        out += ' ';
      i = end + 1;
      continue;
    }
    if (c == '&') {
      auto semi = html.find(';', i);
      if (semi != std::string_view::npos && semi - i <= 10) {
        std::string ent(html.substr(i + 1, semi - i - 1));
        std::uint32_t cp = 0;
        if (ent == "amp")
          cp = '&';
        else if (ent == "lt")
          cp = '<';
        else if (ent == "gt")
          cp = '>';
        else if (ent == "quot")
          cp = '"';
        else if (ent == "apos" || ent == "#39")
          cp = '\'';
        else if (ent == "nbsp")
          cp = 0xA0;
        else if (ent.size() > 1 && ent[0] == '#') {
          try {
            cp = static_cast<std::uint32_t>(ent[1] == 'x' || ent[1] == 'X' ? std::stoul(ent.substr(2), nullptr, 16)
                                                                           : std::stoul(ent.substr(1)));
          } catch (...) {
            cp = 0;
          }
        }
        if (cp == 0xA0) cp = ' ';
        if (cp != 0 && cp < 0x110000 && !(cp >= 0xD800 && cp <= 0xDFFF) && (cp >= 0x20 || cp == '\n' || cp == '\t')) {
          if (cp < 0x80) {
            out += static_cast<char>(cp);
          } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
          } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
          } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
          }
          i = semi + 1;
          continue;
        }
      }
    }
    out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;  // HTML's own line breaks are spaces
    ++i;
  }
  // Runs of spaces to one, no space at a line's ends, at most one blank line.
  std::string tidy;
  for (char c : out) {
    if (c == ' ' && (tidy.empty() || tidy.back() == ' ' || tidy.back() == '\n')) continue;
    if (c == '\n') {
      while (!tidy.empty() && tidy.back() == ' ') tidy.pop_back();
      if (tidy.size() >= 2 && tidy[tidy.size() - 1] == '\n' && tidy[tidy.size() - 2] == '\n') continue;
    }
    tidy += c;
  }
  while (!tidy.empty() && (tidy.back() == ' ' || tidy.back() == '\n')) tidy.pop_back();
  std::size_t b = tidy.find_first_not_of('\n');
  return b == std::string::npos ? std::string() : tidy.substr(b);
}

std::string assessment_toml(const Imported& imported, const std::string& id, const std::string& title,
                            const std::string& source_name) {
  std::string out;
  out += "# Imported from " + source_name + " by `assay import`. Check the pass mark, the kind and the time limit,\n";
  out += "# give each item its source, then run `assay validate` on this file.\n";
  out += "schema = 1\n\n[assessment]\n";
  out += "id = " + toml_string(id) + "\n";
  out += "title = " + toml_string(title) + "\n";
  out += "version = \"1\"\n";
  out += "kind = \"practice\"\n";
  // A match with weights or all or nothing (QTI's) needs core-items 1.3.
  bool match_13 = std::any_of(imported.items.begin(), imported.items.end(), [](const ImportedItem& i) {
    return i.type == "core-items/match" && (i.params.contains("weights") || i.params.contains("all_or_nothing"));
  });
  out += std::string("requires = { core-items = \">=") + (match_13 ? "1.3" : "1.2") + ", <2\" }\n\n";
  out += "[outcome]\npass_percent = 50\n";
  for (const auto& s : imported.sections) {
    out += "\n[[competency]]\nid = " + toml_string(s.id) + "\ntitle = " + toml_string(s.title) + "\n";
  }
  for (const auto& s : imported.sections) {
    out += "\n[[section]]\nid = " + toml_string(s.id) + "\ntitle = " + toml_string(s.title) + "\n";
    if (s.draw > 0) out += "draw = " + std::to_string(s.draw) + "\n";
  }
  for (const auto& item : imported.items) {
    out += fmt::format("\n# line {} of {}\n[[item]]\n", item.line, item.file.empty() ? source_name : item.file);
    out += "id = " + toml_string(item.id) + "\n";
    out += "title = " + toml_string(item.title) + "\n";
    out += "section = " + toml_string(item.section) + "\n";
    out += "competency = " + toml_string(item.section) + "\n";
    out += "type = " + toml_string(item.type) + "\n";
    if (item.weight != "1") out += "weight = " + item.weight + "\n";
    if (!item.explanation.empty()) out += "explanation = " + toml_string(item.explanation) + "\n";
    for (const auto& f : item.figures)
      out += "[[item.figure]]\nfile = " + toml_string(f.file) + "\nalt = " + toml_string(f.alt) + "\n";
    out += "[item.params]\n";
    for (const auto& [k, v] : item.params.items()) out += toml_key(k) + " = " + toml_value(v) + "\n";
    out += "[[item.criteria]]\nid = " + toml_string(item.criterion) + "\npoints = " + std::to_string(item.points) + "\n";
    for (const auto& l : item.levels) {
      out += "[[item.criteria.levels]]\nname = " + toml_string(l.name) + "\npoints = " + std::to_string(l.points) +
             "\ndescriptor = " + toml_string(l.descriptor) + "\n";
    }
  }
  return out;
}

}  // namespace assay::interchange
