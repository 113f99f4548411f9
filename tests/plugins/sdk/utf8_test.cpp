#include <assay/sdk/utf8.hpp>

#include <catch2/catch.hpp>
#include <string>

using assay::sdk::utf8_length;
using assay::sdk::utf8_sequence_length;
using assay::sdk::valid_utf8;

TEST_CASE("valid_utf8 accepts every well-formed sequence up to the boundaries", "[sdk][utf8]") {
  auto [bytes, code_points] = GENERATE(table<std::string, std::size_t>({
      {"", 0},
      {"plain ASCII", 11},
      {std::string(1, '\0'), 1},         // U+0000 as one byte, not C0 80
      {"\x7F", 1},                       // U+007F, the last one-byte character
      {"\xC2\x80", 1},                   // U+0080, the first two-byte one
      {"\xC3\xA9", 1},                   // U+00E9 é
      {"\xDF\xBF", 1},                   // U+07FF, the last two-byte one
      {"\xE0\xA0\x80", 1},               // U+0800, the first three-byte one
      {"\xE2\x82\xAC", 1},               // U+20AC €
      {"\xED\x9F\xBF", 1},               // U+D7FF, just below the surrogates
      {"\xEE\x80\x80", 1},               // U+E000, just above them
      {"\xEF\xBF\xBF", 1},               // U+FFFF, the last three-byte one
      {"\xF0\x90\x80\x80", 1},           // U+10000, the first four-byte one
      {"\xF0\x9F\x98\x80", 1},           // U+1F600
      {"\xF4\x8F\xBF\xBF", 1},           // U+10FFFF, the last code point
      {"caf\xC3\xA9 \xE2\x82\xAC!", 7},  // mixed lengths
  }));
  CAPTURE(bytes);
  CHECK(valid_utf8(bytes));
  CHECK(utf8_length(bytes) == code_points);
}

TEST_CASE("valid_utf8 refuses overlong forms, surrogates, code points past U+10FFFF and broken sequences", "[sdk][utf8]") {
  auto [bytes, why] = GENERATE(table<std::string, std::string>({
      {"\xC0\x80", "overlong U+0000 in two bytes"},
      {"\xC1\xBF", "overlong U+007F in two bytes"},
      {"\xE0\x80\x80", "overlong U+0000 in three bytes"},
      {"\xE0\x9F\xBF", "overlong U+07FF in three bytes"},
      {"\xF0\x80\x80\x80", "overlong U+0000 in four bytes"},
      {"\xF0\x8F\xBF\xBF", "overlong U+FFFF in four bytes"},
      {"\xED\xA0\x80", "surrogate U+D800"},
      {"\xED\xBF\xBF", "surrogate U+DFFF"},
      {"\xF4\x90\x80\x80", "U+110000"},
      {"\xF5\x80\x80\x80", "lead byte F5"},
      {"\xF8\x88\x80\x80\x80", "lead byte F8 (a five-byte form)"},
      {"\xFF", "lead byte FF"},
      {"\x80", "a stray continuation byte"},
      {"a\xBFz", "a continuation byte between letters"},
      {"\xC3", "a two-byte sequence cut short"},
      {"\xE2\x82", "a three-byte sequence cut short"},
      {"\xF0\x9F\x98", "a four-byte sequence cut short"},
      {"\xE2\x82Z", "a continuation byte replaced by a letter"},
      {"\xC3\xA9\xC3", "a valid character, then a cut one"},
  }));
  CAPTURE(why);
  CHECK_FALSE(valid_utf8(bytes));
}

TEST_CASE("utf8_sequence_length gives the length of the first well-formed sequence", "[sdk][utf8]") {
  CHECK(utf8_sequence_length("") == 0);
  CHECK(utf8_sequence_length("ab") == 1);
  CHECK(utf8_sequence_length("\xC3\xA9z") == 2);
  CHECK(utf8_sequence_length("\xE2\x82\xAC\xE2") == 3);
  CHECK(utf8_sequence_length("\xF4\x8F\xBF\xBF") == 4);
  CHECK(utf8_sequence_length("\xED\xA0\x80") == 0);
  CHECK(utf8_sequence_length("\xF4\x8F\xBF") == 0);
}

TEST_CASE("utf8_length counts the bytes that start a character, even in broken text", "[sdk][utf8]") {
  CHECK(utf8_length("\xC3\xA9t\xC3\xA9") == 3);
  CHECK(utf8_length("\x80\x80") == 0);  // continuation bytes alone start nothing
  CHECK(utf8_length("\xC3") == 1);
  static_assert(utf8_length("\xE2\x82\xAC") == 1 && valid_utf8("\xE2\x82\xAC"), "usable in constant expressions");
}
