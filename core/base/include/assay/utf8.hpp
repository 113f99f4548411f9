// The engine's one UTF-8 check (Unicode 15, table 3-7: no overlong forms, no surrogates, nothing
// above U+10FFFF, no truncated or stray continuation bytes). Every reader of outside text (TOML
// and the files it includes, attempts, results, HTTP bodies, CSV) uses it; plugins have the same
// rules in sdk/include/assay/sdk/utf8.hpp, which needs no library.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace assay {

/// Whether `s` is well-formed UTF-8 (simdjson's validator: many bytes per step).
bool valid_utf8(std::string_view s);

/// The length of the well-formed sequence starting at s[i] (1 to 4), or 0 when none starts there.
std::size_t utf8_sequence(std::string_view s, std::size_t i);

/// Where a text stops being well-formed UTF-8, for a message that lets a person find the place.
struct Utf8Error {
  std::size_t offset = 0;  // 0-based, of the first byte that starts no well-formed sequence
  std::size_t line = 0;    // 1-based: the line feeds before `offset`, plus one
  std::size_t column = 0;  // 1-based, in characters (code points) from the start of that line
  std::string found;       // that byte and the continuation bytes after it (at most 4): "0xED 0xA0 0x80"
  /// "byte 0xFF" or "bytes 0xED 0xA0 0x80", for "expected UTF-8 text, found bytes ...".
  std::string bytes() const;
};

/// Nothing when `s` is well-formed UTF-8 (valid_utf8), else the first place it is not.
std::optional<Utf8Error> find_utf8_error(std::string_view s);

/// The number of code points in `s`, which must be valid UTF-8.
std::size_t utf8_length(std::string_view s);

/// The longest prefix of `s` of at most `most` bytes that does not end inside a character.
std::string_view utf8_prefix(std::string_view s, std::size_t most);

}  // namespace assay
