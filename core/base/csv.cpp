#include <fmt/format.h>

#include "assay/io.hpp"
#include "assay/utf8.hpp"

namespace assay::io {

namespace {

bool plain_number(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  std::size_t digits = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  if (digits == 0) return false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    std::size_t frac = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++frac;
    if (frac == 0) return false;
  }
  return i == s.size();
}

}  // namespace

CsvWriter::CsvWriter(bool byte_order_mark) {
  if (byte_order_mark) text_ = "\xEF\xBB\xBF";
}

std::string CsvWriter::field(std::string_view value) {
  std::string v(value);
  if (!v.empty()) {
    char c = v.front();
    bool risky = c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
    if (risky && !plain_number(v)) v.insert(v.begin(), '\'');
  }
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string q = "\"";
  for (char c : v) {
    if (c == '"') q += '"';
    q += c;
  }
  q += '"';
  return q;
}

void CsvWriter::row(const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) text_ += ',';
    text_ += field(fields[i]);
  }
  text_ += "\r\n";
}

Expected<std::vector<CsvRecord>, Diagnostic> try_parse_csv(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  auto bad = find_utf8_error(text);
  std::size_t i = 0;
  std::vector<CsvRecord> records;
  CsvRecord record{1, {}};
  std::string field;
  bool quoted = false, any = false;
  std::size_t line = 1;
  for (; i < text.size(); ++i) {
    if (bad && i == bad->offset) {
      Diagnostic d;
      d.line = static_cast<int>(bad->line);
      d.column = static_cast<int>(bad->column);
      d.message = fmt::format("expected UTF-8 text in field {}, found {}", record.fields.size() + 1, bad->bytes());
      d.hints.push_back("save the file as UTF-8 (in a spreadsheet: \"CSV UTF-8\")");
      return d;
    }
    char c = text[i];
    if (c == '\n') ++line;
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
      continue;
    }
    if (c == '"') {
      quoted = true;
      any = true;
    } else if (c == ',') {
      record.fields.push_back(std::move(field));
      field.clear();
      any = true;
    } else if (c == '\r') {
      continue;
    } else if (c == '\n') {
      record.fields.push_back(std::move(field));
      field.clear();
      if (!(record.fields.size() == 1 && record.fields[0].empty() && !any)) records.push_back(std::move(record));
      record = CsvRecord{line, {}};
      any = false;
    } else {
      field += c;
      any = true;
    }
  }
  if (any || !field.empty()) {
    record.fields.push_back(std::move(field));
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace assay::io
