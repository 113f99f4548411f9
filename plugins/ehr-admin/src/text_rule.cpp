#include "text_rule.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <limits>
#include <stdexcept>

namespace assay::ehr {

std::string TextRule::apply(std::string_view s) const {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n =
      case_sensitive ? icu::Normalizer2::getNFKCInstance(status) : icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status)) throw std::runtime_error(std::string("text normalisation failed: ") + u_errorName(status));
  if (s.size() > static_cast<std::size_t>(std::numeric_limits<int32_t>::max()))
    throw std::length_error("text normalisation: the text is longer than 2 GiB");
  icu::UnicodeString in = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  // NFKC keeps Default_Ignorable characters (NFKC_Casefold removes them): drop them first, so a
  // mark after one composes with the letter before it.
  icu::UnicodeString visible;
  for (int32_t i = 0; i < in.length();) {
    UChar32 c = in.char32At(i);
    i += U16_LENGTH(c);
    if (!u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT)) visible.append(c);
  }
  icu::UnicodeString text = n->normalize(visible, status);
  if (U_FAILURE(status)) throw std::runtime_error(std::string("text normalisation failed: ") + u_errorName(status));
  if (trim) {
    int32_t b = 0, e = text.length();
    while (b < e && u_isUWhiteSpace(text.char32At(b))) b += U16_LENGTH(text.char32At(b));
    while (e > b && u_isUWhiteSpace(text.char32At(e - 1))) e -= U16_LENGTH(text.char32At(e - 1));
    text.retainBetween(b, e);
  }
  std::string out;
  text.toUTF8String(out);
  return out;
}

TextRule read_text_rule(const sdk::Params& p) {
  TextRule r;
  if (auto c = p.find("case_sensitive")) r.case_sensitive = c->boolean();
  if (auto t = p.find("trim")) r.trim = t->boolean();
  return r;
}

}  // namespace assay::ehr
