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

TEST_CASE("text normalisation folds case, spaces and compatibility forms as NFKC_Casefold does", "[core-items][text-entry]") {
  NormaliseRules rules;  // defaults: fold case, collapse white space, keep punctuation
  auto [text, normalised] = GENERATE(table<std::string, std::string>({
      {"Ohm's Law", "ohm's law"},
      {"  ohm's \t\n law  ", "ohm's law"},
      {"ohm\u2019s law", "ohm's law"},                 // RIGHT SINGLE QUOTATION MARK
      {"ohm's\u00a0law", "ohm's law"},                 // NO-BREAK SPACE
      {"ohm's\u3000law", "ohm's law"},                 // IDEOGRAPHIC SPACE
      {"ohm's\u2028\u0085law", "ohm's law"},           // LINE SEPARATOR, NEXT LINE
      {"caf\u00e9", "caf\u00e9"},                      // precomposed é stays
      {"cafe\u0301", "caf\u00e9"},                     // e + COMBINING ACUTE ACCENT composes
      {"CAF\u00c9", "caf\u00e9"},                      // É folds to é
      {"CAFE\u0301", "caf\u00e9"},                     // E + acute composes to É, then folds
      {"\u0141\u00d3D\u0179", "\u0142\u00f3d\u017a"},  // ŁÓDŹ -> łódź
      {"\u0178", "\u00ff"},                            // Ÿ folds to ÿ, outside its block
      {"STRASSE", "strasse"},
      {"Stra\u00dfe", "strasse"},         // full case folding: ß -> ss (was kept as ß)
      {"\u1e9e", "ss"},                   // capital sharp s
      {"\u0130", "i\u0307"},              // İ -> i + COMBINING DOT ABOVE (was kept)
      {"\u0391\u0392", "\u03b1\u03b2"},   // Greek folds too (was kept as written)
      {"\u2126", "\u03c9"},               // OHM SIGN -> ω
      {"\uff11\uff12\uff13", "123"},      // FULLWIDTH DIGITs
      {"\uff2f\uff28\uff2d", "ohm"},      // FULLWIDTH LATIN CAPITALs
      {"\ufb01le", "file"},               // LATIN SMALL LIGATURE FI
      {"m\u00b2", "m2"},                  // SUPERSCRIPT TWO
      {"wait\u2026", "wait..."},          // HORIZONTAL ELLIPSIS
      {"e\u0323\u0302", "\u1ec7"},        // two marks compose: ệ
      {"e\u0302\u0323", "\u1ec7"},        // in either order
      {"e\u0301\u0323", "\u1eb9\u0301"},  // ẹ + acute: no single character for it
      {"q\u0301", "q\u0301"},             // no precomposed q with acute
      {"oh\u200bm", "ohm"},               // ZERO WIDTH SPACE
      {"\ufeffohm\u00ad\u2060", "ohm"},   // BOM, SOFT HYPHEN, WORD JOINER
      {"x\u2013y", "x-y"},                // EN DASH
      {"\u201cquoted\u201d", "\"quoted\""},
      {"   ", ""},
      {"\u200b", ""},
  }));
  CAPTURE(text);
  REQUIRE(assay::core_items::normalise(text, rules) == normalised);
}

TEST_CASE("text normalisation makes equal what a person would call the same answer", "[core-items][text-entry]") {
  NormaliseRules rules;
  auto [a, b] = GENERATE(table<std::string, std::string>({
      {"\uff11\uff12\uff13", "123"},
      {"\ufb01le", "file"},
      {"Stra\u00dfe", "STRASSE"},
      {"\u1e9e", "\u00df"},
      {"\u2126", "\u03a9"},
      {"\u2126", "\u03c9"},
      {"e\u0323\u0302", "\u1ec7"},
      {"\u00ea\u0323", "\u1eb9\u0302"},  // ê + dot below, ẹ + circumflex: both ệ
      {"ohm\u200bs", "ohms"},
      {"ohm\u200bs", "OHMS"},
      {"E\u200b\u0301", "\u00e9"},  // a mark composes across a removed zero-width space
  }));
  CAPTURE(a, b);
  REQUIRE(assay::core_items::normalise(a, rules) == assay::core_items::normalise(b, rules));
}

TEST_CASE("case-sensitive text normalisation is NFKC: forms fold, case stays", "[core-items][text-entry]") {
  NormaliseRules exact{true, true, false};
  auto [text, normalised] = GENERATE(table<std::string, std::string>({
      {"A", "A"},
      {"a", "a"},
      {"\uff11\uff12\uff13", "123"},
      {"\uff21", "A"},  // FULLWIDTH LATIN CAPITAL A stays capital
      {"\ufb01le", "file"},
      {"\u2126", "\u03a9"},  // OHM SIGN -> Ω, not ω
      {"Stra\u00dfe", "Stra\u00dfe"},
      {"e\u0323\u0302", "\u1ec7"},
      {"CAFE\u0301", "CAF\u00c9"},
      {"oh\u200bm", "ohm"},         // NFKC keeps zero-width spaces; they are removed all the same
      {"E\u200b\u0301", "\u00c9"},  // and the mark then composes
      {"Ohm\u2019s  Law ", "Ohm's Law"},
  }));
  CAPTURE(text);
  REQUIRE(assay::core_items::normalise(text, exact) == normalised);
  CHECK(assay::core_items::normalise("A", exact) != assay::core_items::normalise("a", exact));
}

TEST_CASE("text normalisation can keep case and spaces and drop punctuation", "[core-items][text-entry]") {
  NormaliseRules exact{true, false, false};
  CHECK(assay::core_items::normalise(" Ohm's  Law ", exact) == " Ohm's  Law ");
  CHECK(assay::core_items::normalise("CAFE\u0301", exact) == "CAF\u00c9");  // composition still applies
  CHECK(assay::core_items::normalise("a\u00a0\u3000b", exact) == "a  b");   // NFKC: compatibility spaces are spaces
  NormaliseRules no_punctuation{false, true, true};
  CHECK(assay::core_items::normalise("Ohm's law!", no_punctuation) == "ohms law");
  CHECK(assay::core_items::normalise("Ohm\u2019s law", no_punctuation) == "ohms law");
  CHECK(assay::core_items::normalise("a - b", no_punctuation) == "a b");
  CHECK(assay::core_items::normalise("\u00bfqu\u00e9?", no_punctuation) == "qu\u00e9");
  CHECK(assay::core_items::normalise("v2.5 (final)", no_punctuation) == "v25 final");
  CHECK(assay::core_items::normalise("\u201ezitat\u201c", no_punctuation) == "zitat");  // „ “: any Unicode punctuation
  CHECK(assay::core_items::normalise("ohm\uff01\u3002", no_punctuation) == "ohm");      // FULLWIDTH !, IDEOGRAPHIC FULL STOP
  CHECK(assay::core_items::normalise("wait\u2026", no_punctuation) == "wait");          // ... after NFKC
  CHECK(assay::core_items::normalise("10 \u20ac \u00b1 2\u00b0", no_punctuation) == "10 \u20ac \u00b1 2\u00b0");  // symbols stay
  CHECK(assay::core_items::normalise("e.\u0301", no_punctuation) == "\u00e9");  // a mark composes across removed punctuation
}

TEST_CASE("text normalisation reads an answer as long as an extended-text one", "[core-items][text-entry]") {
  // 50,000 characters, the most an extended-text answer holds, each needing work.
  std::string text;
  for (int i = 0; i < 10'000; ++i) text += "E\u0323\u0302\u200b\ufb01";
  auto normalised = assay::core_items::normalise(text, {});
  CHECK(normalised.size() == 10'000 * 5);  // ệ is three bytes, fi two
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

TEST_CASE("text-entry items credit answers that differ from the key only in Unicode form", "[core-items][text-entry]") {
  auto item = [](json accepted, json patch = json::object()) {
    return TextEntry::prepare(patched({{"prompt", "?"}, {"accepted", std::move(accepted)}}, patch));
  };
  auto street = item({"Stra\u00dfe"});
  auto ohm = item({"\u03a9"});
  auto file = item({"file 123"});
  auto viet = item({"Vi\u1ec7t"});
  auto salt = item({"NaCl"}, {{"case_sensitive", true}});
  auto [which, text, credit] = GENERATE(table<int, std::string, std::string>({
      {0, "STRASSE", "1/1"},
      {0, "strasse", "1/1"},
      {0, "STRA\u1e9eE", "1/1"},  // capital sharp s
      {0, "Strase", "0/1"},
      {1, "\u2126", "1/1"},  // OHM SIGN
      {1, "\u03c9", "1/1"},
      {1, "O", "0/1"},
      {2, "\ufb01le \uff11\uff12\uff13", "1/1"},  // ligature, full-width digits
      {2, "fi\u200ble 123", "1/1"},               // zero-width space inside the word
      {2, "file 124", "0/1"},
      {3, "Vie\u0323\u0302t", "1/1"},  // decomposed, two marks
      {3, "VIE\u0302\u0323T", "1/1"},
      {3, "Viet", "0/1"},
      {4, "\uff2e\uff41\uff23\uff4c", "1/1"},  // full-width, same case
      {4, "Na\u200bCl", "1/1"},
      {4, "nacl", "0/1"},  // case-sensitive stays so
      {4, "NACL", "0/1"},
  }));
  CAPTURE(which, text);
  const TextEntry* items[] = {&street, &ohm, &file, &viet, &salt};
  REQUIRE(score(*items[which], answer(text)) == credit);
  CHECK(street.feedback(1, json::parse(answer("STRA\u00dfE"))) ==
        "correct: \"strasse\" is an accepted answer (compared ignoring case and extra spaces)");
}

TEST_CASE("text-entry patterns match the normalised answer, in any Unicode form", "[core-items][text-entry]") {
  auto item = TextEntry::prepare(ohms_law({{"patterns", {"strasse|ohms?", "\u03a9", "[0-9]+ ?v"}}}));
  auto [text, credit] = GENERATE(table<std::string, std::string>({
      {"Stra\u00dfe", "1/1"},
      {"OHMS", "1/1"},
      {"\u2126", "1/1"},
      {"\u03c9", "1/1"},
      {"\uff11\uff12 V", "1/1"},
      {"12 W", "0/1"},
      {"the ohm", "0/1"},
  }));
  CAPTURE(text);
  REQUIRE(score(item, answer(text)) == credit);
  auto exact = TextEntry::prepare(ohms_law({{"patterns", {"\u03a9", "[0-9]+ V"}}, {"case_sensitive", true}}));
  CHECK(score(exact, answer("\u2126")) == "1/1");
  CHECK(score(exact, answer("\u03c9")) == "0/1");
  CHECK(score(exact, answer("\uff11\uff12 V")) == "1/1");
  CHECK(score(exact, answer("12 v")) == "0/1");
}

TEST_CASE("text-entry refuses a pattern written in a form no normalised answer has", "[core-items][text-entry]") {
  auto [patch, message] = GENERATE(table<json, std::string>({
      {{{"patterns", {"ohm", "Stra\u00dfe"}}},
       "the pattern \"Stra\u00dfe\" can never match a normalised answer (Unicode NFKC_Casefold): write \"strasse\""},
      {{{"patterns", {"ohm", "\ufb01le"}}, {"case_sensitive", true}},
       "the pattern \"\ufb01le\" can never match a normalised answer (Unicode NFKC): write \"file\""},
      {{{"patterns", {"ohm", "\u2126"}}, {"case_sensitive", true}},
       "the pattern \"\u2126\" can never match a normalised answer (Unicode NFKC): write \"\u03a9\""},
      {{{"patterns", {"ohm", "caf(e\u0301)?"}}},
       "the pattern \"caf(e\u0301)?\" can never match a normalised answer (Unicode NFKC_Casefold): write \"caf(\u00e9)?\""},
      {{{"patterns", {"ohm", "oh\u200bm"}}},
       "the pattern \"oh\u200bm\" can never match a normalised answer (Unicode NFKC_Casefold): write \"ohm\""},
      {{{"patterns", {"ohm", "ohm\u2019s"}}},
       "the pattern \"ohm\u2019s\" can never match a normalised answer (Unicode NFKC_Casefold): write \"ohm's\""},
  }));
  CAPTURE(patch);
  auto r = refusal<TextEntry>(ohms_law(patch));
  CHECK(r.pointer == "/patterns/1");
  CHECK(r.message == message);
  // Case is RE2's to ignore: upper-case letters, and the Ohm sign (simple case folding: ω), are fine.
  CHECK_NOTHROW(TextEntry::prepare(ohms_law({{"patterns", {"OHM|\u2126|\u03a9|\\W"}}})));
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
