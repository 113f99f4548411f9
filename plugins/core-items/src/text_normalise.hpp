// The normalisation text-entry answers are compared under, without a Unicode library.
#pragma once

#include <string>
#include <string_view>

namespace assay::core_items {

struct NormaliseRules {
  bool case_sensitive = false;      // false: fold case (see normalise)
  bool collapse_whitespace = true;  // true: trim, and turn each run of white space into one space
  bool ignore_punctuation = false;  // true: drop punctuation (see normalise)
};

/// Returns `text` (valid UTF-8) normalised, in this order:
///  1. Composition: an ASCII letter followed by exactly one combining mark (the next code point is
///     not another mark of U+0300..U+036F) becomes the precomposed letter of U+00C0..U+017F when
///     one exists ("e" U+0301 -> "é"), which is what Unicode NFC gives for these sequences.
///     Other sequences (several marks, other scripts) are compared as written.
///  2. Typographic quotes and dashes: U+2018 U+2019 -> ', U+201C U+201D -> ", U+2010..U+2015 -> -.
///  3. Unless case_sensitive: simple case folding of A-Z and of the letters of Latin-1 Supplement
///     and Latin Extended-A (U+00C0..U+017F; "É" -> "é", "Ł" -> "ł"). U+0130 (İ), ß and letters
///     of other scripts are left as written.
///  4. If ignore_punctuation: ASCII punctuation (!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~) and ¡ « · » ¿
///     are removed, after step 2 (so typographic quotes and dashes go too).
///  5. If collapse_whitespace: leading and trailing white space is removed and each run of white
///     space (Unicode White_Space: tab, line feed, VT, FF, CR, space, U+0085, U+00A0, U+1680,
///     U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000) becomes one space.
std::string normalise(std::string_view text, const NormaliseRules& rules);

}  // namespace assay::core_items
