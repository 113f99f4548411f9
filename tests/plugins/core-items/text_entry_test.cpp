#include "text_entry.hpp"

#include "core_items_test_util.hpp"

using namespace core_items_test;
using assay::core_items::NormaliseRules;
using assay::core_items::TextEntry;

namespace {

json ohms_law(json patch = json::object()) {
  return patched({{"prompt", "Which law relates voltage, current and resistance?"}, {"accepted", {"Ohm's law"}}}, patch);
}

std::string answer(const std::string& text) { return json({{"answer", text}}).dump(); }

}  // namespace

TEST_CASE("text normalisation folds case, spaces and composed Latin letters", "[core-items][text-entry]") {
  NormaliseRules rules;  // defaults: fold case, collapse white space, keep punctuation
  auto [text, normalised] = GENERATE(table<std::string, std::string>({
      {"Ohm's Law", "ohm's law"},
      {"  ohm's \t\n law  ", "ohm's law"},
      {"ohm\u2019s law", "ohm's law"},                 // RIGHT SINGLE QUOTATION MARK
      {"ohm's\u00a0law", "ohm's law"},                 // NO-BREAK SPACE
      {"ohm's\u3000law", "ohm's law"},                 // IDEOGRAPHIC SPACE
      {"caf\u00e9", "caf\u00e9"},                      // precomposed é stays
      {"cafe\u0301", "caf\u00e9"},                     // e + COMBINING ACUTE ACCENT composes, as NFC does
      {"CAF\u00c9", "caf\u00e9"},                      // É folds to é
      {"CAFE\u0301", "caf\u00e9"},                     // E + acute composes to É, then folds
      {"\u0141\u00d3D\u0179", "\u0142\u00f3d\u017a"},  // ŁÓDŹ -> łódź (Latin Extended-A)
      {"\u0178", "\u00ff"},                            // Ÿ folds to ÿ, outside its block
      {"STRASSE", "strasse"},
      {"Stra\u00dfe", "stra\u00dfe"},      // ß is left as written
      {"\u0130", "\u0130"},                // so is İ
      {"\u0391\u0392", "\u0391\u0392"},    // Greek is compared as written
      {"e\u0301\u0323", "e\u0301\u0323"},  // several marks: left as written
      {"q\u0301", "q\u0301"},              // no precomposed q with acute
      {"x\u2013y", "x-y"},                 // EN DASH
      {"\u201cquoted\u201d", "\"quoted\""},
      {"   ", ""},
  }));
  CAPTURE(text);
  REQUIRE(assay::core_items::normalise(text, rules) == normalised);
}

TEST_CASE("text normalisation can keep case and spaces and drop punctuation", "[core-items][text-entry]") {
  NormaliseRules exact{true, false, false};
  CHECK(assay::core_items::normalise(" Ohm's  Law ", exact) == " Ohm's  Law ");
  CHECK(assay::core_items::normalise("CAFE\u0301", exact) == "CAF\u00c9");  // composition still applies
  NormaliseRules no_punctuation{false, true, true};
  CHECK(assay::core_items::normalise("Ohm's law!", no_punctuation) == "ohms law");
  CHECK(assay::core_items::normalise("Ohm\u2019s law", no_punctuation) == "ohms law");
  CHECK(assay::core_items::normalise("a - b", no_punctuation) == "a b");
  CHECK(assay::core_items::normalise("\u00bfqu\u00e9?", no_punctuation) == "qu\u00e9");
  CHECK(assay::core_items::normalise("v2.5 (final)", no_punctuation) == "v25 final");
}

TEST_CASE("text-entry items credit accepted answers under the item's rules", "[core-items][text-entry]") {
  auto defaults = TextEntry::prepare(ohms_law());
  auto strict = TextEntry::prepare(ohms_law({{"case_sensitive", true}, {"collapse_whitespace", false}}));
  auto loose = TextEntry::prepare(ohms_law({{"ignore_punctuation", true}}));
  auto [which, text, credit] = GENERATE(table<int, std::string, std::string>({
      {0, "Ohm's law", "1/1"},
      {0, "ohm's LAW", "1/1"},
      {0, "  Ohm's   law ", "1/1"},
      {0, "Ohm\u2019s law", "1/1"},
      {0, "Ohms law", "0/1"},
      {0, "Ohm's laws", "0/1"},
      {0, "", "0/1"},
      {1, "Ohm's law", "1/1"},
      {1, "ohm's law", "0/1"},
      {1, "Ohm's  law", "0/1"},
      {1, " Ohm's law", "0/1"},
      {2, "Ohms law", "1/1"},
      {2, "ohms law.", "1/1"},
      {2, "Ohm-s law", "1/1"},
      {2, "Ohm s law", "0/1"},  // punctuation is removed, not turned into a space
  }));
  CAPTURE(which, text);
  const TextEntry& item = which == 0 ? defaults : which == 1 ? strict : loose;
  REQUIRE(score(item, answer(text)) == credit);
}

TEST_CASE("text-entry patterns match the whole normalised answer", "[core-items][text-entry]") {
  auto item = TextEntry::prepare(ohms_law({{"patterns", {"ohm'?s? law", "v ?= ?i ?r"}}}));
  auto [text, credit] = GENERATE(table<std::string, std::string>({
      {"Ohms law", "1/1"},
      {"OHM LAW", "1/1"},  // patterns ignore case unless case_sensitive
      {"V = I R", "1/1"},
      {"v=ir", "1/1"},
      {"the Ohm's law", "0/1"},  // whole answer, not a search
      {"v = i r r", "0/1"},
  }));
  CAPTURE(text);
  REQUIRE(score(item, answer(text)) == credit);
  auto strict = TextEntry::prepare(ohms_law({{"patterns", {"ohm'?s? law"}}, {"case_sensitive", true}}));
  CHECK(score(strict, answer("ohms law")) == "1/1");
  CHECK(score(strict, answer("Ohms law")) == "0/1");
}

TEST_CASE("text-entry accepted answers are normalised like responses", "[core-items][text-entry]") {
  auto item = TextEntry::prepare({{"prompt", "City?"}, {"accepted", {"  \u0141\u00f3d\u017a "}}});
  CHECK(score(item, answer("\u0142\u00f3d\u017a")) == "1/1");
  CHECK(score(item, answer("\u0141o\u0301d\u017a")) == "1/1");  // o + COMBINING ACUTE ACCENT
  CHECK(score(item, answer("Lodz")) == "0/1");                  // accents are not dropped
}

TEST_CASE("text-entry items refuse malformed responses", "[core-items][text-entry]") {
  auto item = TextEntry::prepare(ohms_law({{"max_length", 12}}));
  CHECK(response_error(item, R"({"answer": 5})") == "expected a string, found an integer");
  CHECK(response_error(item, R"({"answer": ["ohm"]})") == "expected a string, found an array");
  CHECK(response_error(item, answer("Ohm's law!!!!")) == "expected at most 12 characters, found 13");
  CHECK(score(item, answer("\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9")) ==
        "0/1");  // 12 characters, 24 bytes
}

TEST_CASE("text-entry items refuse bad params at their JSON Pointer", "[core-items][text-entry]") {
  auto [patch, pointer, message] = GENERATE(table<json, std::string, std::string>({
      {{{"accepted", json::array()}}, "/accepted", "expected at least one accepted answer"},
      {{{"accepted", "Ohm's law"}}, "/accepted", "expected an array, found a string"},
      {{{"accepted", {"Ohm's law", " \t "}}}, "/accepted/1", "the accepted answer is empty after normalisation"},
      {{{"accepted", {"Ohm's law", 3}}}, "/accepted/1", "expected a string, found an integer"},
      {{{"max_length", 5}}, "/accepted/0", "the accepted answer is longer than max_length (5)"},
      {{{"max_length", 0}}, "/max_length", "expected an integer from 1 to 1000000, found 0"},
      {{{"case_sensitive", "no"}}, "/case_sensitive", "expected a boolean, found a string"},
      {{{"patterns", "ohm"}}, "/patterns", "expected an array, found a string"},
      {{{"answers", {"x"}}}, "/answers", "unknown key 'answers'"},
  }));
  CAPTURE(patch);
  auto r = refusal<TextEntry>(ohms_law(patch));
  CHECK(r.pointer == pointer);
  CHECK(r.message == message);
}

TEST_CASE("text-entry items refuse a pattern that is not a regular expression", "[core-items][text-entry]") {
  auto r = refusal<TextEntry>(ohms_law({{"patterns", {"ohm", "(unclosed"}}}));
  CHECK(r.pointer == "/patterns/1");
  CHECK(r.message == "RE2 does not accept the regular expression \"(unclosed\": missing ): (unclosed");
}

TEST_CASE("text-entry refuses patterns outside RE2's dialect, naming what RE2 said", "[core-items][text-entry]") {
  auto [pattern, said] = GENERATE(table<std::string, std::string>({
      {"ohm(?=s)", "invalid perl operator: (?="},       // lookahead
      {"(ohm)s? \\1", "invalid escape sequence: \\1"},  // backreference
  }));
  CAPTURE(pattern);
  auto r = refusal<TextEntry>(ohms_law({{"patterns", {pattern}}}));
  CHECK(r.pointer == "/patterns/0");
  CHECK_THAT(r.message, Catch::Contains(said));
}

TEST_CASE("text-entry patterns match a very long answer without exhausting the stack", "[core-items][text-entry]") {
  // std::regex recursed once per character here and crashed near 60,000 characters.
  auto item = TextEntry::prepare(ohms_law({{"patterns", {"ohms?( .*)?"}}}));
  std::string tail(200'000, 'x');
  CHECK(score(item, answer("ohms " + tail)) == "1/1");
  CHECK(score(item, answer("volts " + tail)) == "0/1");
}

TEST_CASE("text-entry presentations never show the accepted answers or patterns", "[core-items][text-entry]") {
  auto item = TextEntry::prepare(ohms_law({{"patterns", {"kirchhoff"}}, {"max_length", 40}}));
  for (std::uint64_t seed = 0; seed < 100; ++seed) {
    auto text = item.present(seed).dump();
    REQUIRE(text.find("Ohm") == std::string::npos);
    REQUIRE(text.find("kirchhoff") == std::string::npos);
  }
  CHECK(item.present(0)["interactions"][0] == json({{"id", "answer"}, {"type", "text"}, {"max_length", 40}}));
}

TEST_CASE("text-entry feedback names the rules the answer was compared under", "[core-items][text-entry]") {
  auto item = TextEntry::prepare(ohms_law({{"ignore_punctuation", true}}));
  CHECK(item.feedback(1, json::parse(answer("OHMS  law"))) ==
        "correct: \"ohms law\" is an accepted answer (compared ignoring case, extra spaces and punctuation)");
  CHECK(item.feedback(1, json::parse(answer("Kirchhoff"))) ==
        "incorrect: \"kirchhoff\" is not an accepted answer (compared ignoring case, extra spaces and punctuation)");
  auto exact = TextEntry::prepare(ohms_law({{"case_sensitive", true}, {"collapse_whitespace", false}}));
  CHECK(exact.feedback(1, json::parse(answer("x"))) == "incorrect: \"x\" is not an accepted answer");
  CHECK(exact.feedback(1, json::object()) == "no answer was entered");
}
