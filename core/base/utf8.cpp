#include "assay/utf8.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>

namespace assay {

bool valid_utf8(std::string_view s) { return simdjson::validate_utf8(s.data(), s.size()); }

std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  auto at = [&](std::size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u; };
  auto tail = [](unsigned c) { return c >= 0x80 && c <= 0xBF; };
  unsigned c = at(0);
  if (i >= s.size()) return 0;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return tail(at(1)) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {  // E0: no overlong forms; ED: no surrogates
    unsigned lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    return at(1) >= lo && at(1) <= hi && tail(at(2)) ? 3 : 0;
  }
  if (c >= 0xF0 && c <= 0xF4) {  // F0: no overlong forms; F4: nothing above U+10FFFF
    unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    return at(1) >= lo && at(1) <= hi && tail(at(2)) && tail(at(3)) ? 4 : 0;
  }
  return 0;
}

std::string Utf8Error::bytes() const { return (found.find(' ') == std::string::npos ? "byte " : "bytes ") + found; }

std::optional<Utf8Error> find_utf8_error(std::string_view s) {
  if (valid_utf8(s)) return std::nullopt;
  Utf8Error e;
  for (std::size_t n = 0; (n = utf8_sequence(s, e.offset)) != 0;) e.offset += n;
  auto head = s.substr(0, e.offset);
  e.line = static_cast<std::size_t>(std::count(head.begin(), head.end(), '\n')) + 1;
  auto start = head.rfind('\n');
  e.column = utf8_length(head.substr(start == std::string_view::npos ? 0 : start + 1)) + 1;
  for (std::size_t i = e.offset; i < s.size() && i < e.offset + 4; ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (i > e.offset && (c & 0xC0) != 0x80) break;
    e.found += fmt::format("{}0x{:02X}", e.found.empty() ? "" : " ", c);
  }
  return e;
}

std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string_view utf8_prefix(std::string_view s, std::size_t most) {
  if (s.size() <= most) return s;
  std::size_t end = most;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return s.substr(0, end);
}

}  // namespace assay
