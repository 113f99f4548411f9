// The engine's one UTF-8 check (Unicode 15, table 3-7: no overlong forms, no surrogates, nothing
// above U+10FFFF, no truncated or stray continuation bytes). Every reader of outside text (TOML
// and the files it includes, attempts, results, HTTP bodies, CSV) uses it; plugins have the same
// rules in sdk/include/assay/sdk/utf8.hpp, which needs no library.
#pragma once

#include <cstddef>
#include <string_view>

namespace assay {

/// Whether `s` is well-formed UTF-8 (simdjson's validator: many bytes per step).
bool valid_utf8(std::string_view s);

/// The length of the well-formed sequence starting at s[i] (1 to 4), or 0 when none starts there.
std::size_t utf8_sequence(std::string_view s, std::size_t i);

/// The number of code points in `s`, which must be valid UTF-8.
std::size_t utf8_length(std::string_view s);

}  // namespace assay
