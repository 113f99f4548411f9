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

TEST_CASE("the UTF-8 check says where a text stops being UTF-8 and which bytes it found", "[utf8]") {
  auto [text, offset, line, column, bytes] = GENERATE(table<std::string, std::size_t, std::size_t, std::size_t, std::string>({
      {std::string("ab\xC0\x80", 4), 2, 1, 3, "bytes 0xC0 0x80"},  // overlong NUL
      {"x\n\xED\xA0\x80y", 2, 2, 1, "bytes 0xED 0xA0 0x80"},       // surrogate U+D800
      {"\xC2\xB5"
       "A\n\xCE\xA9 \xE2\x82",
       7, 2, 3, "bytes 0xE2 0x82"},                                    // truncated; columns count characters
      {"\xF4\x90\x80\x80", 0, 1, 1, "bytes 0xF4 0x90 0x80 0x80"},      // above U+10FFFF
      {"caf\xE9!", 3, 1, 4, "byte 0xE9"},                              // Latin-1
      {"\x80\x80\x80\x80\x80", 0, 1, 1, "bytes 0x80 0x80 0x80 0x80"},  // at most four bytes shown
  }));
  CAPTURE(text);
  auto e = assay::find_utf8_error(text);
  REQUIRE(e);
  CHECK(e->offset == offset);
  CHECK(e->line == line);
  CHECK(e->column == column);
  CHECK(e->bytes() == bytes);
  CHECK_FALSE(assay::find_utf8_error("µA\nΩ"));
}

TEST_CASE("a prefix cut by bytes never ends inside a character", "[base][utf8]") {
  const std::string text = "a\xC3\xA9\xE2\x82\xAC";  // "a", "é" (2 bytes), "€" (3 bytes)
  CHECK(assay::utf8_prefix(text, 100) == text);
  CHECK(assay::utf8_prefix(text, 1) == "a");
  CHECK(assay::utf8_prefix(text, 2) == "a");  // would cut "é" in two
  CHECK(assay::utf8_prefix(text, 3) == "a\xC3\xA9");
  CHECK(assay::utf8_prefix(text, 5) == "a\xC3\xA9");  // would cut "€"
  CHECK(assay::utf8_prefix(text, 0).empty());
}
