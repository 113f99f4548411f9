// The normalisation text-entry answers are compared under: Unicode NFKC or NFKC_Casefold (ICU),
// with Assay's rules for quotes, punctuation and white space on top.
#pragma once

#include <string>
#include <string_view>

namespace assay::core_items {

struct NormaliseRules {
  bool case_sensitive = false;      // false: NFKC_Casefold; true: NFKC (see normalise)
  bool collapse_whitespace = true;  // true: trim, and turn each run of white space into one space
  bool ignore_punctuation = false;  // true: drop punctuation (see normalise)
};

/// Returns `text` (valid UTF-8) normalised, in this order:
///  1. Unicode normalisation (ICU): NFKC_Casefold unless case_sensitive, NFKC if it is. Both
///     compose ("e" U+0323 U+0302 -> "ệ" U+1EC7) and fold compatibility characters: full-width
///     forms ("１２３" -> "123"), ligatures ("ﬁ" -> "fi"), the Ohm sign U+2126 -> Ω U+03A9,
///     superscripts ("m²" -> "m2"), "…" -> "...", no-break and ideographic spaces -> U+0020.
///     NFKC_Casefold also folds case fully ("É" -> "é", "ß" and "ẞ" -> "ss", "Ω" -> "ω").
///  2. Default_Ignorable_Code_Point characters are removed: zero-width space U+200B, zero-width
///     (non-)joiner, word joiner, soft hyphen, byte order mark, variation selectors (NFKC_Casefold
///     removes them already; under NFKC this step does).
///  3. Typographic quotes and dashes: U+2018 U+2019 -> ', U+201C U+201D -> ", U+2010..U+2015 -> -.
///  4. If ignore_punctuation: ASCII punctuation (!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~) and every
///     character of Unicode General_Category P (¡ « · » ¿ „ 、 。 ...) are removed, after step 3
///     (so typographic quotes and dashes go too); symbols outside ASCII (€ ° ±) stay.
///  5. If collapse_whitespace: leading and trailing white space is removed and each run of white
///     space (Unicode White_Space: tab, line feed, VT, FF, CR, space, U+0085, U+1680, U+2028,
///     U+2029, and those step 1 turned into U+0020) becomes one space.
/// When steps 2 or 4 removed a character, step 1 runs again (a mark after a removed character
/// composes with the letter before it), so the result is always in NFKC or NFKC_Casefold form.
/// Linear in the length of `text`. Throws std::runtime_error only if ICU fails (no memory).
std::string normalise(std::string_view text, const NormaliseRules& rules);

/// Simple case folding (Unicode CaseFolding.txt, statuses C and S), code point by code point:
/// what RE2 ignores when it matches without case. A pattern can match a normalised answer only
/// where its own characters fold this way to what normalise() makes of them.
std::string simple_fold(std::string_view text);

}  // namespace assay::core_items
