#include <nlohmann/json.hpp>
#include "assay/io.hpp"
#include "assay/utf8.hpp"

namespace assay::io {

std::vector<Line> split_lines(std::string_view text) {
  std::vector<Line> lines;
  std::size_t number = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    ++number;
    std::string_view line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") != std::string_view::npos) lines.push_back({number, std::string(line)});
    pos = end + 1;
  }
  return lines;
}

Expected<nlohmann::json, Diagnostic> parse_json_line(const std::string& file, const Line& line) {
  Diagnostic d;
  d.file = file;
  d.line = static_cast<int>(line.number);
  // The engine's one UTF-8 check first: nlohmann's own message would quote the broken bytes.
  if (auto bad = find_utf8_error(line.text)) {
    d.column = static_cast<int>(bad->offset + 1);
    d.message = "invalid line: expected UTF-8 text, found " + bad->bytes();
    d.hints.push_back("write the file as UTF-8");
    return d;
  }
  try {
    nlohmann::json value = nlohmann::json::parse(line.text);
    if (!value.is_object()) {
      d.column = 1;
      d.message = std::string("invalid line: expected a JSON object, found ") + value.type_name();
      d.hints.push_back("each line of a JSON Lines file holds one object");
      return d;
    }
    return value;
  } catch (const nlohmann::json::parse_error& e) {
    // e.byte is the 1-based position of the offending byte (one past the end at end of input).
    d.column = static_cast<int>(std::min<std::size_t>(e.byte, line.text.size() + 1));
    if (d.column < 1) d.column = 1;
    std::string what = e.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error while ..."
    if (auto colon = what.find(": ", what.find("parse error")); colon != std::string::npos) what = what.substr(colon + 2);
    d.message = "invalid JSON: " + what;
    return d;
  }
}

JsonLines read_json_lines(const std::string& file, std::string_view text) {
  JsonLines out;
  for (const Line& line : split_lines(text)) {
    auto parsed = parse_json_line(file, line);
    if (parsed)
      out.values.emplace_back(line.number, std::move(parsed.value()));
    else
      out.errors.push_back(parsed.error());
  }
  return out;
}

}  // namespace assay::io
