#include "assay/utf8.hpp"

#include <catch2/catch.hpp>
#include <string>

TEST_CASE("the UTF-8 check accepts well-formed text at every boundary", "[utf8]") {
  auto text = GENERATE(as<std::string>{}, "", "plain ASCII", "\x7F",  // U+007F
                       "\xC2\x80", "\xDF\xBF",                        // U+0080, U+07FF
                       "\xE0\xA0\x80", "\xEF\xBF\xBF",                // U+0800, U+FFFF
                       "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF",        // U+10000, U+10FFFF
                       "\xED\x9F\xBF", "\xEE\x80\x80",                // around the surrogates
                       "µA, Ω, 200 %, Łódź");
  CAPTURE(text);
  CHECK(assay::valid_utf8(text));
  for (std::size_t i = 0; i < text.size(); i += assay::utf8_sequence(text, i)) REQUIRE(assay::utf8_sequence(text, i) != 0);
}

TEST_CASE("the UTF-8 check refuses overlong forms, surrogates, out-of-range and broken sequences", "[utf8]") {
  auto text = GENERATE(as<std::string>{}, std::string("\xC0\x80", 2),  // overlong NUL
                       "\xC1\xBF",                                     // overlong U+007F
                       "\xE0\x80\x80",                                 // overlong 3-byte
                       "\xE0\x9F\xBF",                                 // overlong U+07FF
                       "\xF0\x80\x80\x80",                             // overlong 4-byte
                       "\xED\xA0\x80",                                 // U+D800, a surrogate
                       "\xED\xBF\xBF",                                 // U+DFFF
                       "\xF4\x90\x80\x80",                             // U+110000
                       "\xF5\x80\x80\x80", "\xFF",                     // lead bytes that never occur
                       "\x80", "a\xBF",                                // stray continuation bytes
                       "\xC3", "\xE2\x82", "\xF0\x9F\x98",             // truncated
                       "ok \xE2\x28\xA1 then");
  CAPTURE(text);
  CHECK_FALSE(assay::valid_utf8(text));
  bool broken = false;
  for (std::size_t i = 0; i < text.size();) {
    auto n = assay::utf8_sequence(text, i);
    if (n == 0) {
      broken = true;
      break;
    }
    i += n;
  }
  CHECK(broken);  // the per-sequence reader agrees with the whole-text check
}

TEST_CASE("UTF-8 length counts code points, not bytes", "[utf8]") {
  CHECK(assay::utf8_length("") == 0);
  CHECK(assay::utf8_length("µA") == 2);
  CHECK(assay::utf8_length("\xF0\x9F\x98\x80!") == 2);
}
