// assay/sdk/utf8.hpp — strict UTF-8: what is well formed (Unicode 15.0, §3.9, table 3-7) and how
// many code points a text holds. JSON parsed by nlohmann-json is already well formed; these are for
// text a plugin reads or cuts itself.
#ifndef ASSAY_SDK_UTF8_HPP
#define ASSAY_SDK_UTF8_HPP

#include <cstddef>
#include <string_view>

namespace assay::sdk {

/// The length in bytes (1 to 4) of the well-formed UTF-8 sequence `text` starts with, or 0 when
/// it starts with none: an empty text, a stray continuation byte, a lead byte C0, C1 or F5..FF, an
/// overlong form (E0 80..9F, F0 80..8F), a surrogate (ED A0..BF), a code point above U+10FFFF
/// (F4 90..BF) or a sequence cut short.
constexpr std::size_t utf8_sequence_length(std::string_view text) noexcept {
  if (text.empty()) return 0;
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  std::size_t n = 0;
  unsigned char low = 0x80, high = 0xBF;  // the range of the second byte (table 3-7)
  if (lead >= 0xC2 && lead <= 0xDF) {
    n = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    n = 3;
    if (lead == 0xE0) low = 0xA0;   // below: overlong
    if (lead == 0xED) high = 0x9F;  // above: surrogates U+D800..U+DFFF
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    n = 4;
    if (lead == 0xF0) low = 0x90;   // below: overlong
    if (lead == 0xF4) high = 0x8F;  // above: beyond U+10FFFF
  } else {
    return 0;
  }
  if (text.size() < n || byte(1) < low || byte(1) > high) return 0;
  for (std::size_t i = 2; i < n; ++i)
    if ((byte(i) & 0xC0) != 0x80) return 0;
  return n;
}

/// True when `text` is entirely well-formed UTF-8 (the empty text is).
constexpr bool valid_utf8(std::string_view text) noexcept {
  while (!text.empty()) {
    auto n = utf8_sequence_length(text);
    if (n == 0) return false;
    text.remove_prefix(n);
  }
  return true;
}

/// The number of code points in valid UTF-8 `text`. Every byte that is not a continuation byte
/// (10xxxxxx) counts as one, so text that is not valid still gets a length, never an error.
constexpr std::size_t utf8_length(std::string_view text) noexcept {
  std::size_t n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

}  // namespace assay::sdk

#endif  // ASSAY_SDK_UTF8_HPP
