#include <catch2/catch.hpp>

#include <map>

#include "icd10_format.hpp"
#include "properties.hpp"

using assay::ehr::Icd10Format;
using assay::sdk::Credit;
using assay::sdk::json;
namespace icd10 = assay::ehr::icd10;

TEST_CASE("ICD-10-CM codes are checked for format only", "[ehr][icd10-format]") {
  // The shapes follow the Official Guidelines, Section I.A; whether a code exists is not asked.
  auto [code, dots, error] = GENERATE(table<std::string, icd10::Dots, std::string>({
      {"A00", icd10::Dots::kRequired, ""},
      {"A00.0", icd10::Dots::kRequired, ""},
      {"S62.5XXA", icd10::Dots::kRequired, ""},  // placeholder X before the 7th character
      {"C4A.0", icd10::Dots::kRequired, ""},     // a letter as the 3rd character
      {"Z3A.20", icd10::Dots::kRequired, ""},
      {"S625XXA", icd10::Dots::kOmitted, ""},
      {"S625XXA", icd10::Dots::kEither, ""},
      {"S62.5XXA", icd10::Dots::kEither, ""},
      {"S625XXA", icd10::Dots::kRequired, "no dot after the 3rd character"},
      {"S62.5XXA", icd10::Dots::kOmitted, "a dot, where these codes are written without one"},
      {"A0", icd10::Dots::kRequired, "expected 3 to 7 characters, found 2"},
      {"S62.5XXA1", icd10::Dots::kRequired, "expected 3 to 7 characters, found 8"},
      {"5A2.1", icd10::Dots::kRequired, "the 1st character must be a letter"},
      {"SA2.1", icd10::Dots::kRequired, "the 2nd character must be a digit"},
      {"S6.25", icd10::Dots::kRequired, "the dot must follow the 3rd character"},
      {"S62.", icd10::Dots::kRequired, "a dot with nothing after it"},
      {"S62.5.1", icd10::Dots::kRequired, "more than one dot"},
      {"s62.5", icd10::Dots::kRequired, "'s' is not a capital letter, digit or dot"},
      {"S62-5", icd10::Dots::kRequired, "'-' is not a capital letter, digit or dot"},
  }));
  CAPTURE(code);
  auto e = icd10::format_error(code, dots);
  REQUIRE(e.value_or("") == error);
}

TEST_CASE("icd10-format keys existence only from the author's code set", "[ehr][icd10-format]") {
  auto ex = Icd10Format::examples()[0];
  auto item = Icd10Format::prepare(ex.params);
  REQUIRE(item.key(1) ==
          std::vector<std::string>{"valid", "malformed", "not-in-code-set", "valid", "valid", "not-in-code-set", "malformed"});
  SECTION("without a code set, a well-formed code is valid whether or not it exists") {
    json p = ex.params;
    p.erase("code_set");
    p.erase("code_set_source");
    auto shape_only = Icd10Format::prepare(p);
    REQUIRE(shape_only.key(1) == std::vector<std::string>{"valid", "malformed", "valid", "valid", "valid", "valid", "malformed"});
    auto shown = shape_only.present(1);
    REQUIRE(shown["interactions"][0]["columns"][0]["options"].size() == 2);
  }
  SECTION("scores the share of codes sorted right") {
    auto row = [](const char* v) { return json{{"verdict", v}}; };
    json all = {{"c1", row("valid")},     {"c2", row("valid")}, {"c3", row("valid")},    {"c4", row("malformed")},
                {"c5", row("malformed")}, {"c6", row("valid")}, {"c7", row("malformed")}};
    REQUIRE(item.score(1, {{"codes", all}}) == std::vector<Credit>{{2, 7}});
    auto fb = item.feedback(1, {{"codes", all}});
    REQUIRE_THAT(fb, Catch::Matchers::Contains("c3 D03.4A: 'valid' is wrong; well-formed, but not in the code set"));
    REQUIRE_THAT(fb, Catch::Matchers::Contains("c2 B1.11: 'valid' is wrong; malformed: the dot must follow the 3rd character"));
  }
  SECTION("refuses a table with codes left without a verdict, naming the first") {
    auto row = [](const char* v) { return json{{"verdict", v}}; };
    // Three of seven answered was scored 2/7 before; every code needs a verdict.
    REQUIRE(ehr_test::malformed_message(item, 1, {{"codes", {{"c1", row("valid")}, {"c3", row("valid")}}}}) ==
            "cell Verdict of c2 B1.11 is empty: choose valid, malformed or not-in-code-set");
    REQUIRE(ehr_test::malformed_message(item, 1, {{"codes", {{"c1", row("correct")}}}}) ==
            "cell Verdict of c1 A00.0: \"correct\" is not one of the options; choose valid, malformed or not-in-code-set");
    REQUIRE(item.score(1, {{"codes",
                            {{"c1", row("VALID")},
                             {"c2", row("valid")},
                             {"c3", row("valid")},
                             {"c4", row("malformed")},
                             {"c5", row("malformed")},
                             {"c6", row("valid")},
                             {"c7", row("Malformed")}}}}) == std::vector<Credit>{{2, 7}});  // options are read in any case
  }
}

TEST_CASE("icd10-format refuses bad params with the key path", "[ehr][icd10-format]") {
  auto ex = Icd10Format::examples()[0].params;
  auto set = [](json p, const std::string& ptr, json v) {
    p[json::json_pointer(ptr)] = std::move(v);
    return p;
  };
  auto [params, pointer, message] = GENERATE_COPY(table<json, std::string, std::string>({
      {set(ex, "/code_set", "A00.0\nB01-1 bad\n"), "/code_set",
       "line 2: \"B01-1\" is not an ICD-10-CM code: '-' is not a capital letter, digit or dot"},
      {set(ex, "/code_set", "# only a comment\n"), "/code_set", "expected at least one code"},
      {json{{"code_set", "A00"}}, "", "missing required key 'code_set_source' (the code set's source and edition)"},
      {json{{"code_set_source", "CMS FY2026"}}, "/code_set_source",
       "'code_set_source' describes a 'code_set'; add one or remove it"},
      {set(ex, "/codes/2", "d03.4a"), "/codes/2", "write codes in capitals, found \"d03.4a\""},
      {set(ex, "/count", json{{"min", 2}, {"max", 3}}), "/count", "'count' shapes generated lists; remove it or remove 'codes'"},
      {json{{"count", {{"min", 1}, {"max", 3}}}}, "/count/min", "expected 2 to 20, found 1"},
      {json{{"dots", "sometimes"}}, "/dots", "expected one of 'required', 'omitted', 'either', found \"sometimes\""},
      {json{{"colour", 1}}, "/colour", "unknown parameter 'colour'"},
  }));
  CAPTURE(params.dump());
  auto [ptr, msg] = ehr_test::refusal<Icd10Format>(params);
  REQUIRE(ptr == pointer);
  REQUIRE(msg == message);
}

TEST_CASE("generated icd10-format lists mix every verdict and keep their properties", "[ehr][icd10-format][property]") {
  std::string set = "S62.5XXA\nS62.6XXA\nT36.0X1A\nE11.9\nI10\nC4A.0\nZ3A.20\nJ45.909\n";
  auto [params, verdicts] = GENERATE_COPY(table<json, std::size_t>({
      {json{{"count", {{"min", 6}, {"max", 10}}}}, 2},
      {json{{"count", {{"min", 6}, {"max", 10}}}, {"dots", "omitted"}}, 2},
      {json{{"code_set", set}, {"code_set_source", "a hand-written test set"}, {"dots", "either"}}, 3},
  }));
  CAPTURE(params.dump());
  auto item = Icd10Format::prepare(params);
  std::map<std::string, int> seen;
  for (auto seed : ehr_test::seeds(300)) {
    CAPTURE(seed);
    auto codes = item.codes(seed);
    auto key = item.key(seed);
    REQUIRE(codes.size() == key.size());
    for (std::size_t i = 0; i < codes.size(); ++i) {
      ++seen[key[i]];
      // The key is not in the presentation: a row shows only its id and its code.
      REQUIRE(item.present(seed)["interactions"][0]["rows"][i]["label"] == "c" + std::to_string(i + 1) + "  " + codes[i]);
    }
  }
  REQUIRE(seen.size() == verdicts);
  for (auto& [v, n] : seen) {
    CAPTURE(v);
    REQUIRE(n > 100);
  }
  ehr_test::check_properties<Icd10Format>(params, json::object(), 100);
}

TEST_CASE("icd10-format examples earn the credits they declare", "[ehr][icd10-format]") {
  ehr_test::check_examples<Icd10Format>();
}
