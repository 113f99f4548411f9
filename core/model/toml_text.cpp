// How the loader names TOML values, keys and errors (toml_text.hpp).
#include "toml_text.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

namespace assay::model::toml_text {

namespace {

std::string two(unsigned v) { return v < 10 ? "0" + std::to_string(v) : std::to_string(v); }

/// The byte at 1-based `line` and `column` of `text`, or '\n' past the end of that line.
char byte_at(std::string_view text, int line, int column) {
  std::size_t at = 0;
  for (int l = 1; l < line; ++l) {
    at = text.find('\n', at);
    if (at == std::string_view::npos) return '\n';
    ++at;
  }
  at += static_cast<std::size_t>(column > 0 ? column - 1 : 0);
  return at < text.size() ? text[at] : '\n';
}

}  // namespace

std::string quote(std::string_view s) {
  using nlohmann::json;
  return json(std::string(s)).dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string shortest(double d) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, r.ptr);
}

std::string format_date(const toml::date& d) {
  std::string y = std::to_string(d.year);
  while (y.size() < 4) y.insert(0, "0");
  return y + "-" + two(d.month) + "-" + two(d.day);
}

std::string format_time(const toml::time& t) {
  std::string s = two(t.hour) + ":" + two(t.minute) + ":" + two(t.second);
  if (t.nanosecond != 0) {
    std::string ns = std::to_string(t.nanosecond);
    while (ns.size() < 9) ns.insert(0, "0");
    while (ns.back() == '0') ns.pop_back();
    s += "." + ns;
  }
  return s;
}

std::string format_date_time(const toml::date_time& dt) {
  std::string s = format_date(dt.date) + "T" + format_time(dt.time);
  if (dt.offset) {
    int m = dt.offset->minutes;
    if (m == 0) {
      s += "Z";
    } else {
      s += m < 0 ? "-" : "+";
      m = std::abs(m);
      s += two(static_cast<unsigned>(m / 60)) + ":" + two(static_cast<unsigned>(m % 60));
    }
  }
  return s;
}

/// What a value is, for "found ...": `string "4"`, `integer 4`, `a table`.
std::string describe(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string:
      return "string " + quote(*n.value<std::string>());
    case toml::node_type::integer:
      return "integer " + std::to_string(*n.value<std::int64_t>());
    case toml::node_type::floating_point:
      return "float " + shortest(*n.value<double>());
    case toml::node_type::boolean:
      return std::string("boolean ") + (*n.value<bool>() ? "true" : "false");
    case toml::node_type::date:
      return "date " + format_date(*n.value<toml::date>());
    case toml::node_type::time:
      return "time " + format_time(*n.value<toml::time>());
    case toml::node_type::date_time:
      return "date-time " + format_date_time(*n.value<toml::date_time>());
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return n.as_array()->is_array_of_tables() ? "an array of tables" : "an array";
    default:
      return "nothing";
  }
}

/// toml++ words its errors "Error while parsing SCOPE: DETAIL"; we print "invalid TOML: scope:
/// detail", and say plainly what an unclosed string is (toml++ reports the line break it meets).
void describe_parse_error(std::string_view bytes, std::string text, Diagnostic& d) {
  constexpr std::string_view kPrefix = "Error while parsing ";
  if (std::string_view(text).starts_with(kPrefix)) text.erase(0, kPrefix.size());
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  char at = byte_at(bytes, d.line, d.column);
  if ((text.starts_with("string:") || text.starts_with("literal string:")) && (at == '\n' || at == '\r')) {
    d.message = "invalid TOML: expected a closing quote, found the end of the line";
    d.hints.push_back("close the string on the line it starts (a string over several lines is written \"\"\"...\"\"\")");
    return;
  }
  d.message = "invalid TOML: " + text;
  d.hints.push_back("the TOML syntax is described at https://toml.io/en/v1.0.0");
}

bool valid_id(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
  return true;
}

bool bare_key(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) return false;
  return true;
}

std::string key_join(const std::string& path, std::string_view key) {
  std::string k = bare_key(key) ? std::string(key) : quote(key);
  return path.empty() ? k : path + "." + k;
}

std::string index_join(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }

/// "40m", "1h30m", "90s", "2h": seconds, or -1.
std::int64_t parse_duration(std::string_view s) {
  if (s.empty()) return -1;
  std::int64_t total = 0;
  std::size_t i = 0;
  int last_unit = 0;  // h=3, m=2, s=1: units in decreasing order, each once
  while (i < s.size()) {
    std::int64_t n = 0;
    std::size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      n = n * 10 + (s[i] - '0');
      if (n > 1000000) return -1;
      ++i;
    }
    if (i == start || i == s.size()) return -1;
    int unit = s[i] == 'h' ? 3 : s[i] == 'm' ? 2 : s[i] == 's' ? 1 : 0;
    if (unit == 0 || (last_unit != 0 && unit >= last_unit)) return -1;
    last_unit = unit;
    total += n * (unit == 3 ? 3600 : unit == 2 ? 60 : 1);
    ++i;
  }
  return total;
}

}  // namespace assay::model::toml_text
