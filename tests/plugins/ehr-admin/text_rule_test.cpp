#include <catch2/catch.hpp>

#include "text_rule.hpp"

using assay::ehr::TextRule;

TEST_CASE("ehr-admin compares typed text under Unicode NFKC_Casefold, trimmed", "[ehr][text]") {
  TextRule rule;  // defaults: ignore case, trim
  auto [response, key] = GENERATE(table<std::string, std::string>({
      {" 7654321 ", "7654321"},
      {"OKAFOR", "Okafor"},
      {"M\u00dcLLER", "M\u00fcller"},    // Ü folds to ü (once only A-Z did)
      {"Mu\u0308ller", "M\u00fcller"},   // u + COMBINING DIAERESIS
      {"STRASSE", "Stra\u00dfe"},        // ß folds to ss
      {"\uff17\uff16\uff15", "765"},     // full-width digits
      {"Oka\u200bfor", "Okafor"},        // zero-width space
      {"\u00a0Okafor\u3000", "Okafor"},  // no-break and ideographic spaces trimmed
  }));
  CAPTURE(response, key);
  CHECK(rule.same(response, key));
}

TEST_CASE("ehr-admin's case-sensitive comparison is NFKC and keeps case", "[ehr][text]") {
  TextRule rule{true, true};
  CHECK(rule.same("\uff2f\uff4b\uff41\uff46\uff4f\uff52", "Okafor"));  // full-width, same case
  CHECK(rule.same("Mu\u0308ller", "M\u00fcller"));
  CHECK_FALSE(rule.same("okafor", "Okafor"));
  CHECK_FALSE(rule.same("M\u00dcLLER", "M\u00fcller"));
  TextRule untrimmed{false, false};
  CHECK_FALSE(untrimmed.same(" 7654321", "7654321"));
  CHECK(untrimmed.apply("\u00a0x") == " x");  // NFKC: a no-break space is a space
}
