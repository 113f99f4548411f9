#include "text_normalise.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <limits>
#include <stdexcept>

namespace assay::core_items {

namespace {

[[noreturn]] void icu_failed(const char* what, UErrorCode status) {
  throw std::runtime_error(std::string("text normalisation failed: ") + what + ": " + u_errorName(status));
}

// ICU's instances are built once per process and are safe to use from several threads.
const icu::Normalizer2& normaliser(bool case_sensitive) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n =
      case_sensitive ? icu::Normalizer2::getNFKCInstance(status) : icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status)) icu_failed("cannot load ICU's normalisation data", status);
  return *n;
}

icu::UnicodeString unicode(std::string_view text) {
  if (text.size() > static_cast<std::size_t>(std::numeric_limits<int32_t>::max()))
    throw std::length_error("text normalisation: the text is longer than 2 GiB");
  // Malformed bytes (none reach here from parsed JSON) become U+FFFD.
  return icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
}

icu::UnicodeString normalised(const icu::Normalizer2& n, const icu::UnicodeString& s) {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString out = n.normalize(s, status);
  if (U_FAILURE(status)) icu_failed("cannot normalise", status);
  return out;
}

UChar32 typographic(UChar32 c) {
  if (c == 0x2018 || c == 0x2019) return '\'';
  if (c == 0x201C || c == 0x201D) return '"';
  if (c >= 0x2010 && c <= 0x2015) return '-';
  return c;
}

// ASCII's punctuation includes symbols Unicode files elsewhere ($ + < = > ^ ` | ~: Sc, Sm, Sk).
bool is_punctuation(UChar32 c) {
  if (c < 0x80)
    return (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60) || (c >= 0x7B && c <= 0x7E);
  return u_ispunct(c) != 0;
}

}  // namespace

std::string normalise(std::string_view text, const NormaliseRules& rules) {
  const icu::Normalizer2& n = normaliser(rules.case_sensitive);
  icu::UnicodeString in = normalised(n, unicode(text));
  icu::UnicodeString out;
  bool removed = false, pending_space = false;
  for (int32_t i = 0; i < in.length();) {
    UChar32 c = in.char32At(i);
    i += U16_LENGTH(c);
    if (u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT) ||
        (rules.ignore_punctuation && is_punctuation(typographic(c)))) {
      removed = true;
      continue;
    }
    if (rules.collapse_whitespace && u_isUWhiteSpace(c)) {
      pending_space = !out.isEmpty();
      continue;
    }
    if (pending_space) out.append(static_cast<char16_t>(u' '));
    pending_space = false;
    out.append(typographic(c));
  }
  // Removing a character can leave a combining mark next to a letter it composes with. (Collapsing
  // white space cannot: a space stays between them, or the mark starts the text.)
  if (removed) out = normalised(n, out);
  std::string utf8;
  out.toUTF8String(utf8);
  return utf8;
}

std::string simple_fold(std::string_view text) {
  icu::UnicodeString in = unicode(text), out;
  for (int32_t i = 0; i < in.length();) {
    UChar32 c = in.char32At(i);
    i += U16_LENGTH(c);
    out.append(u_foldCase(c, U_FOLD_CASE_DEFAULT));
  }
  std::string utf8;
  out.toUTF8String(utf8);
  return utf8;
}

}  // namespace assay::core_items
