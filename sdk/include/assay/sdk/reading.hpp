// assay/sdk/reading.hpp — reading numbers and units as people type them, for `score`: forgiving
// about form (white space, the Unicode minus, a leading '+', digit groups, µ or u, ohm or Ω),
// never about substance (a comma is not guessed to be a decimal point, a unit is never guessed).
// Needs no JSON library.
#ifndef ASSAY_SDK_READING_HPP
#define ASSAY_SDK_READING_HPP

#include <assay/sdk/decimal.hpp>

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace assay::sdk {

namespace detail {

/// The white space people type or paste around an answer: ASCII space, tab, CR, LF, and the
/// no-break (U+00A0), figure (U+2007), thin (U+2009) and narrow no-break (U+202F) spaces.
/// Returns the length of the space at the start of `s`, 0 when there is none.
inline std::size_t space_at(std::string_view s) {
  if (s.empty()) return 0;
  char c = s[0];
  if (c == ' ' || c == '\t' || c == '\r' || c == '\n') return 1;
  if (s.substr(0, 2) == "\xc2\xa0") return 2;
  for (std::string_view w : {"\xe2\x80\x87", "\xe2\x80\x89", "\xe2\x80\xaf"}) {
    if (s.substr(0, 3) == w) return 3;
  }
  return 0;
}

/// The length of the space at the end of `s`, 0 when there is none.
inline std::size_t space_before_end(std::string_view s) {
  for (std::size_t n : {std::size_t{1}, std::size_t{2}, std::size_t{3}}) {
    if (s.size() >= n && space_at(s.substr(s.size() - n)) == n) return n;
  }
  return 0;
}

constexpr std::string_view kMinus = "\xe2\x88\x92";  // U+2212 MINUS SIGN

inline bool is_digit(char c) { return c >= '0' && c <= '9'; }

/// `"text"` with quotes and backslashes escaped.
inline std::string quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

/// Appends the digits of `part` to `out`, reading a single space between digit groups of three
/// (the SI way of grouping: "11 112", "0.123 45"): in an integer part every group but the first
/// has three digits, in a fraction every group but the last. False for anything else.
inline bool ungroup(std::string_view part, bool integer, std::string& out) {
  std::vector<std::string_view> groups;
  while (true) {
    std::size_t i = 0;
    while (i < part.size() && space_at(part.substr(i)) == 0) ++i;
    groups.push_back(part.substr(0, i));
    if (i == part.size()) break;
    part.remove_prefix(i + space_at(part.substr(i)));
  }
  for (std::size_t g = 0; g < groups.size(); ++g) {
    for (char c : groups[g]) {
      if (!is_digit(c)) return false;
    }
    if (groups.size() == 1) break;
    auto n = groups[g].size();
    bool free_end = integer ? g == 0 : g + 1 == groups.size();
    if (free_end ? (n < 1 || n > 3) : n != 3) return false;
  }
  for (auto g : groups) out += g;
  return true;
}

struct Prefix {
  std::string_view symbol;
  int exponent;
};
// SI prefixes (SI Brochure, 9th edition, table 7), with "u" for micro as typed on keyboards and
// both code points for micro (U+00B5 MICRO SIGN, U+03BC GREEK SMALL LETTER MU).
constexpr std::array<Prefix, 23> kPrefixes = {{{"", 0},    {"Y", 24},  {"Z", 21},  {"E", 18},        {"P", 15},        {"T", 12},
                                               {"G", 9},   {"M", 6},   {"k", 3},   {"h", 2},         {"da", 1},        {"d", -1},
                                               {"c", -2},  {"m", -3},  {"u", -6},  {"\xc2\xb5", -6}, {"\xce\xbc", -6}, {"n", -9},
                                               {"p", -12}, {"f", -15}, {"a", -18}, {"z", -21},       {"y", -24}}};

inline std::optional<int> prefix_exponent(std::string_view prefix) {
  for (const auto& p : kPrefixes) {
    if (p.symbol == prefix) return p.exponent;
  }
  return std::nullopt;
}

// Units that take SI prefixes, as written after the prefix. Ω and the litre are normalised first
// (see canonical_unit), so "ohm", "Ω" (U+2126) and "l" need no entry.
constexpr std::array<std::string_view, 31> kPrefixable = {"m",  "g",  "s",  "A",  "K",        "mol", "cd", "Hz", "N",  "Pa", "J",
                                                          "W",  "C",  "V",  "F",  "\xce\xa9", "S",   "Wb", "T",  "H",  "L",  "Gy",
                                                          "Sv", "Bq", "lm", "lx", "bar",      "eV",  "Wh", "VA", "var"};

inline bool prefixable(std::string_view base) {
  for (auto b : kPrefixable) {
    if (b == base) return true;
  }
  return false;
}

inline bool ascii_letters(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;
  }
  return true;
}

inline std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

/// One spelling per unit: the ohm as Ω (U+03A9), the litre as L, whatever prefix precedes them.
inline std::string canonical_unit(std::string_view unit) {
  std::string u(unit);
  auto replace_tail = [&](std::string_view tail, std::string_view with) {
    if (u.size() >= tail.size() && std::string_view(u).substr(u.size() - tail.size()) == tail) {
      u = u.substr(0, u.size() - tail.size()) + std::string(with);
      return true;
    }
    return false;
  };
  for (std::string_view ohm : {"ohms", "Ohms", "ohm", "Ohm", "\xe2\x84\xa6"}) {
    if (replace_tail(ohm, "\xce\xa9")) return u;
  }
  if (!u.empty() && u.back() == 'l' && prefix_exponent(std::string_view(u).substr(0, u.size() - 1))) u.back() = 'L';
  return u;
}

/// The factor of one unit (no '/') into another, both canonical.
inline std::optional<Decimal> simple_factor(std::string_view from, std::string_view to) {
  if (from == to) return Decimal(1);
  // Word units ("days", "Months", "hour"): case and a plural 's' carry no meaning.
  if (ascii_letters(from) && ascii_letters(to) && from.size() >= 3 && to.size() >= 3) {
    auto a = lower_ascii(from), b = lower_ascii(to);
    if (a == b || a == b + "s" || a + "s" == b) return Decimal(1);
  }
  for (std::size_t base = std::min(from.size(), to.size()); base >= 1; --base) {
    auto fb = from.substr(from.size() - base), tb = to.substr(to.size() - base);
    if (fb != tb || !prefixable(fb)) continue;
    auto pf = prefix_exponent(from.substr(0, from.size() - base));
    auto pt = prefix_exponent(to.substr(0, to.size() - base));
    if (pf && pt) return Decimal(1).scaled(*pf - *pt);
  }
  return std::nullopt;
}

}  // namespace detail

/// `text` without the white space people type or paste around an answer (see detail::space_at).
inline std::string_view trim_typed(std::string_view text) {
  while (std::size_t n = detail::space_at(text)) text.remove_prefix(n);
  while (std::size_t n = detail::space_before_end(text)) text.remove_suffix(n);
  return text;
}

/// The character that separates a number's whole part from its decimals, as an item's locale
/// writes it: a point (4.95) unless the item says a comma (4,95).
enum class DecimalMark { kPoint, kComma };

/// Reads a decimal number as a person writes it: white space around it, a leading '+', the
/// Unicode minus (U+2212) and digits grouped in threes by spaces ("11 112", "−7.2", "+0.5") are
/// read. The decimal mark is `mark`'s alone: with a point a comma is never read, since it could
/// be a decimal comma or a thousands separator; with a comma ("4,95") a point never is. nullopt
/// when `text` is not a number; then `problem`, if given, says what form is expected
/// ("expected a decimal number such as 4.95 (a point for decimals, no thousands separators),
/// found \"11,112\"").
inline std::optional<Decimal> read_number(std::string_view text, std::string* problem = nullptr,
                                          DecimalMark mark = DecimalMark::kPoint) {
  const bool comma = mark == DecimalMark::kComma;
  auto fail = [&](std::string_view found) -> std::optional<Decimal> {
    if (problem != nullptr) {
      std::string example = comma ? "4,95" : "4.95";
      *problem = found.empty() ? "expected a decimal number such as " + example + ", found nothing"
                               : "expected a decimal number such as " + example + " (a " + (comma ? "comma" : "point") +
                                     " for decimals, no thousands separators), found " + detail::quoted(found);
    }
    return std::nullopt;
  };
  auto shown = trim_typed(text);
  auto s = shown;
  std::string plain;
  if (s.substr(0, detail::kMinus.size()) == detail::kMinus) {
    plain = "-";
    s.remove_prefix(detail::kMinus.size());
  } else if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    plain = s[0] == '-' ? "-" : "";
    s.remove_prefix(1);
  }
  auto e = s.find_first_of("eE");
  auto mantissa = s.substr(0, e);
  if (mantissa.find(comma ? '.' : ',') != std::string_view::npos) return fail(shown);
  auto dot = mantissa.find(comma ? ',' : '.');
  if (!detail::ungroup(mantissa.substr(0, dot), true, plain)) return fail(shown);
  if (dot != std::string_view::npos) {
    plain += '.';
    if (!detail::ungroup(mantissa.substr(dot + 1), false, plain)) return fail(shown);
  }
  if (e != std::string_view::npos) plain += s.substr(e);  // Decimal::parse checks the exponent
  auto d = Decimal::parse(plain);
  if (!d) return fail(shown);
  return d;
}

/// A number and the unit typed after it ("500 uA", "500uA", "−7.2", "2 months").
struct Quantity {
  Decimal value;
  std::string unit;  // as typed, trimmed; empty when none was
};

/// Reads a number optionally followed by a unit; the number as read_number reads it with `mark`.
/// nullopt when the text does not start with a number; then `problem` says what form is expected.
inline std::optional<Quantity> read_quantity(std::string_view text, std::string* problem = nullptr,
                                             DecimalMark mark = DecimalMark::kPoint) {
  auto s = trim_typed(text);
  // The unit starts at the first letter or symbol that cannot belong to a number: an 'e' or 'E'
  // belongs to it only when an exponent follows ("2.5E-4", but "5 eV").
  std::size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (detail::is_digit(c) || c == '.' || c == ',' || c == '+' || c == '-') {
      ++i;
    } else if (s.substr(i, detail::kMinus.size()) == detail::kMinus) {
      i += detail::kMinus.size();
    } else if (std::size_t n = detail::space_at(s.substr(i)); n > 0) {
      auto next = s.substr(i + n);
      if (next.empty() || !detail::is_digit(next[0])) break;
      i += n;
    } else if ((c == 'e' || c == 'E') && i > 0) {
      auto next = s.substr(i + 1);
      if (!next.empty() && (next[0] == '+' || next[0] == '-')) next.remove_prefix(1);
      if (next.empty() || !detail::is_digit(next[0])) break;
      ++i;
    } else {
      break;
    }
  }
  // A unit starts with a letter, a symbol outside ASCII (µ, Ω, °) or '%'; "1/8" is no number
  // with the unit "/8".
  if (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    bool unit_start = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80 || c == '%' || detail::space_at(s.substr(i));
    if (!unit_start) i = s.size();
  }
  auto number = read_number(i == 0 ? s : s.substr(0, i), problem, mark);  // with no number at all, quote the whole text
  if (!number) return std::nullopt;
  return Quantity{*number, std::string(trim_typed(s.substr(i)))};
}

/// The factor that converts a value in unit `from` into unit `to` (value × factor), when both
/// name the same unit or differ only by SI prefixes: "uA", "µA" and "μA" are one unit; "mA" to
/// "uA" is 1000; "ohm", "ohms", "Ω" (either code point) are the ohm, "l" and "L" the litre;
/// "mL/h" to "L/h" converts the numerator over the same denominator. Word units compare without
/// case and plural ("day" is "Days"). nullopt for any other pair: "months" is never read as days,
/// and "MA" (megaampere) is not "mA".
inline std::optional<Decimal> unit_factor(std::string_view from, std::string_view to) {
  auto f = detail::canonical_unit(trim_typed(from));
  auto t = detail::canonical_unit(trim_typed(to));
  auto fs = f.find('/'), ts = t.find('/');
  if (fs == std::string::npos && ts == std::string::npos) return detail::simple_factor(f, t);
  if (fs == std::string::npos || ts == std::string::npos) return std::nullopt;
  auto fd = std::string_view(f).substr(fs + 1), td = std::string_view(t).substr(ts + 1);
  auto denominators = detail::simple_factor(fd, td);
  if (!denominators || *denominators != Decimal(1)) return std::nullopt;
  return detail::simple_factor(std::string_view(f).substr(0, fs), std::string_view(t).substr(0, ts));
}

}  // namespace assay::sdk

#endif  // ASSAY_SDK_READING_HPP
