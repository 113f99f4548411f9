// Answers typed at the keyboard, for every interaction type: one line parsed, an entry over
// several prompts, a kept answer, and the answer shown back in the keys typed.
#include <catch2/catch.hpp>
#include <deque>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "assay/json_schema.hpp"
#include "assay/presentation.hpp"

using assay::presentation::enter_answer;
using assay::presentation::keys_typed;
using assay::presentation::parse_answer;
using Catch::Matchers::Contains;
using nlohmann::json;

namespace {

/// A keyboard that types the lines it was given, in order, and leaves (as a command or the end of
/// input would) when they run out. It keeps the prompts shown and the text written.
class ScriptedKeyboard : public assay::presentation::Keyboard {
 public:
  explicit ScriptedKeyboard(std::vector<std::string> lines) : lines_(lines.begin(), lines.end()) {}

  bool read(const std::string& prompt, std::string& line) override {
    prompts.push_back(prompt);
    if (lines_.empty()) return false;
    line = lines_.front();
    lines_.pop_front();
    return true;
  }
  void write(const std::string& text) override { written += text; }
  bool color() const override { return false; }

  std::vector<std::string> prompts;
  std::string written;

 private:
  std::deque<std::string> lines_;
};

json enter(const json& interaction, const json& presentation, std::vector<std::string> lines, const json* kept = nullptr) {
  ScriptedKeyboard keyboard(std::move(lines));
  return enter_answer(interaction, presentation, kept, keyboard);
}

const json kLog = json::parse(R"({"presentation": 1, "prompt": "p", "interactions": [],
    "material": [{"kind": "lines", "lines": [{"id": "l1", "text": "a"}, {"id": "l2", "text": "b"}, {"id": "l3", "text": "c"}]}]})");

/// One sample interaction of a type, the lines a learner types to answer it, the value they give
/// and how that value is shown back.
struct Sample {
  json interaction;
  std::vector<std::string> typed;
  json value;
  std::string keys;
};

/// A sample per interaction type of presentation v1.
const std::map<std::string, Sample>& samples() {
  static const std::map<std::string, Sample> all = {
      {"choice",
       {{{"id", "answer"},
         {"type", "choice"},
         {"multiple", true},
         {"options", {{{"id", "x"}, {"text", "X"}}, {{"id", "y"}, {"text", "Y"}}, {{"id", "z"}, {"text", "Z"}}}}},
        {"c a"},
        {"z", "x"},
        "C A"}},
      {"text", {{{"id", "unit"}, {"type", "text"}}, {"  hertz "}, "hertz", "hertz"}},
      {"extended-text",
       {{{"id", "essay"}, {"type", "extended-text"}},
        {"I isolate the device.", "", "Then I report it.", "."},
        "I isolate the device.\n\nThen I report it.",
        "I isolate the device.\n\nThen I report it."}},
      {"numeric",
       {{{"id", "value"}, {"type", "numeric"}, {"units", {"mA", "uA"}}},
        {"4.95 mA"},
        {{"value", "4.95"}, {"unit", "mA"}},
        "4.95 mA"}},
      {"order",
       {{{"id", "steps"},
         {"type", "order"},
         {"options", {{{"id", "a"}, {"text", "first"}}, {{"id", "b"}, {"text", "second"}}, {{"id", "c"}, {"text", "third"}}}}},
        {"CAB"},
        {"c", "a", "b"},
        "C A B"}},
      {"match",
       {{{"id", "pairs"},
         {"type", "match"},
         {"left", {{{"id", "4624"}, {"text", "logon"}}, {{"id", "4625"}, {"text", "failed logon"}}}},
         {"right", {{{"id", "ok"}, {"text", "success"}}, {{"id", "bad"}, {"text", "failure"}}}}},
        {"1a, 2-B"},
        {{"4624", "ok"}, {"4625", "bad"}},
        "1A 2B"}},
      {"select-lines", {{{"id", "lines"}, {"type", "select-lines"}, {"material", 0}}, {"3 1"}, {"l1", "l3"}, "1 3"}},
      {"fields",
       {{{"id", "pid"},
         {"type", "fields"},
         {"fields", {{{"id", "pid-5"}, {"label", "Name"}}, {{"id", "pid-7"}, {"label", "Born"}, {"hint", "YYYYMMDD"}}}}},
        {" DOE^JANE ", "19900304"},
        {{"pid-5", "DOE^JANE"}, {"pid-7", "19900304"}},
        "Name: DOE^JANE; Born: 19900304"}},
      {"table",
       {{{"id", "plan"},
         {"type", "table"},
         {"rows", {{{"id", "r1"}, {"label", "PUMP-07"}}}},
         {"columns",
          {{{"id", "verdict"},
            {"label", "Verdict"},
            {"options", {{{"id", "pass"}, {"text", "Pass"}}, {{"id", "fail"}, {"text", "Fail"}}}}},
           {{"id", "note"}, {"label", "Note"}}}}},
        {"f", "retest in May"},
        {{"r1", {{"verdict", "fail"}, {"note", "retest in May"}}}},
        "PUMP-07 / Verdict: Fail; PUMP-07 / Note: retest in May"}},
  };
  return all;
}

}  // namespace

TEST_CASE("every interaction type of response v1 has an entry, and its answer goes from keys to value and back",
          "[presentation][keyboard]") {
  const json& defs = assay::builtin_schema("response").at("$defs");
  const std::set<std::string> generic = {"id", "ids", "decimal", "id-map", "text-map", "value"};
  std::size_t types = 0;
  for (const auto& [name, def] : defs.items()) {
    if (generic.count(name) > 0) continue;
    ++types;
    CAPTURE(name);
    const auto* type = assay::presentation::find_interaction_type(name);
    REQUIRE(type != nullptr);
    CHECK(type->value_schema() == json({{"$defs", defs}, {"$ref", "#/$defs/" + name}}));
    REQUIRE(samples().count(name) == 1);  // a new type needs a sample here
    const Sample& s = samples().at(name);

    // Typed at the keyboard, the answer is the value, of the shape response v1 gives the type.
    CHECK(enter(s.interaction, kLog, s.typed) == s.value);
    CHECK(assay::validate_json(type->value_schema(), s.value).empty());
    // Shown back in the keys typed, and, for a type answered on one line, parsed again.
    CHECK(keys_typed(s.interaction, kLog, s.value) == s.keys);
    if (type->parse != nullptr) CHECK(parse_answer(s.interaction, kLog, s.keys).value() == s.value);
    // Drawn in the terminal with the line saying how to answer it, where it has one.
    auto shown = assay::presentation::render_presentation({{"interactions", json::array({s.interaction})}}, false);
    CHECK_THAT(shown, Contains(type->hint(s.interaction)));
  }
  // ... and the table has no type response v1 does not know.
  CHECK(assay::presentation::interaction_types().size() == types);
}

TEST_CASE("keyboard answers become response values with option ids", "[presentation][keyboard]") {
  json choice = {{"id", "answer"},
                 {"type", "choice"},
                 {"multiple", true},
                 {"options", {{{"id", "x"}, {"text", "X"}}, {{"id", "y"}, {"text", "Y"}}, {{"id", "z"}, {"text", "Z"}}}}};
  json lines = json::parse(R"({"presentation": 1, "prompt": "p", "interactions": [],
      "material": [{"kind": "lines", "lines": [{"id": "l1", "text": "a"}, {"id": "l2", "text": "b"}, {"id": "l3", "text": "c"}]}]})");
  json pick_lines = {{"id", "lines"}, {"type", "select-lines"}, {"material", 0}};
  json numeric = {{"id", "value"}, {"type", "numeric"}, {"units", {"mA", "uA"}}};
  json match = {
      {"id", "pairs"}, {"type", "match"}, {"left", {{{"id", "l"}, {"text", "L"}}}}, {"right", {{{"id", "r"}, {"text", "R"}}}}};
  REQUIRE(parse_answer(choice, lines, "a, c").value() == json({"x", "z"}));
  REQUIRE(parse_answer(choice, lines, "CB").value() == json({"z", "y"}));
  REQUIRE(parse_answer(pick_lines, lines, "3 1-2").value() == json({"l1", "l2", "l3"}));
  REQUIRE(parse_answer(numeric, lines, "4.95 mA").value() == json({{"value", "4.95"}, {"unit", "mA"}}));
  // Numbers and units as people type them: the plugin gets plain digits and the unit typed.
  REQUIRE(parse_answer(numeric, lines, "500uA").value() == json({{"value", "500"}, {"unit", "uA"}}));
  REQUIRE(parse_answer(numeric, lines, "+0.5 \u00b5A").value() == json({{"value", "0.5"}, {"unit", "\u00b5A"}}));
  REQUIRE(parse_answer(numeric, lines, "0.5 A").value() == json({{"value", "0.5"}, {"unit", "A"}}));  // converts to mA
  REQUIRE(parse_answer(numeric, lines, "11\u2009112\u00a0uA").value() == json({{"value", "11112"}, {"unit", "uA"}}));
  json bare = {{"id", "value"}, {"type", "numeric"}};
  REQUIRE(parse_answer(bare, lines, "\u22127.2").value() == json({{"value", "-7.2"}}));  // the Unicode minus
  REQUIRE(parse_answer(bare, lines, " 7 ").value() == json({{"value", "7"}}));
  REQUIRE(parse_answer(bare, lines, "7 V").error() == "this answer takes no unit, found 'V'");
  json comma = {{"id", "value"}, {"type", "numeric"}, {"unit", "V"}, {"decimal_mark", "comma"}};
  REQUIRE(parse_answer(comma, lines, "229,5").value() == json({{"value", "229.5"}, {"unit", "V"}}));
  REQUIRE(parse_answer(comma, lines, "229.5").error() ==
          "expected a decimal number such as 4,95 (a comma for decimals, no thousands separators), found \"229.5\"");
  json volts = {{"id", "value"}, {"type", "numeric"}, {"unit", "V"}};
  REQUIRE(parse_answer(volts, lines, "230").value() == json({{"value", "230"}, {"unit", "V"}}));
  REQUIRE(parse_answer(volts, lines, "0.23 kV").value() == json({{"value", "0.23"}, {"unit", "kV"}}));
  json none_allowed = choice;
  none_allowed["min"] = 0;
  json at_least_two_lines = pick_lines;
  at_least_two_lines["min"] = 2;
  json at_most_one_line = pick_lines;
  at_most_one_line["max"] = 1;
  REQUIRE(parse_answer(pick_lines, lines, " - ").value() == json::array());  // no min: none is an answer
  REQUIRE(parse_answer(none_allowed, lines, "-").value() == json::array());

  auto [interaction, input, message] = GENERATE_COPY(table<json, std::string, std::string>(
      {{choice, "D", "'D' is not one of the letters A to C"},
       {choice, "A A", "each letter may appear only once"},
       {pick_lines, "4", "'4' is not a line number or range between 1 and 3 (e.g. 3 7-9)"},
       {pick_lines, "2-1", "'2-1' is not a line number or range between 1 and 3 (e.g. 3 7-9)"},
       {pick_lines, "99999999999999999999999",
        "'99999999999999999999999' is not a line number or range between 1 and 3 (e.g. 3 7-9)"},
       {match, "2A", "'2A': there is no number 2"},
       {match, "44444444444444444444444443A", "'44444444444444444444444443A': there is no number 44444444444444444444444443"},
       {numeric, "five mA",
        "expected a decimal number such as 4.95 (a point for decimals, no thousands separators), found \"five mA\""},
       {numeric, "5 parsec", "'parsec' cannot be converted to any of mA, uA"},
       {numeric, "2 months", "'months' cannot be converted to any of mA, uA"},
       {numeric, "5", "give the unit too: mA, uA (e.g. 5 mA)"},
       {numeric, "  ", "type an answer"},
       {numeric, "11,112 uA",
        "expected a decimal number such as 4.95 (a point for decimals, no thousands separators), found \"11,112\""},
       {numeric, "4.95 mA now", "'mA now' cannot be converted to any of mA, uA"},
       {choice, "-", "this question needs at least one letter: '-' (none) is not an answer here"},
       {at_least_two_lines, "-", "this question needs at least one line: '-' (none) is not an answer here"},
       {at_least_two_lines, "3", "select at least 2 lines"},
       {at_most_one_line, "1-2", "select at most 1 line"}}));
  CAPTURE(input);
  auto r = parse_answer(interaction, lines, input);
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.error() == message);
}

TEST_CASE("past 26 options each letter code is one word, AA after Z", "[presentation][keyboard]") {
  json options = json::array();
  for (int i = 0; i < 28; ++i) options.push_back({{"id", "o" + std::to_string(i)}, {"text", "option"}});
  json choice = {{"id", "answer"}, {"type", "choice"}, {"multiple", true}, {"options", options}};
  json none = json::object();
  // A is option 0, Z option 25, AA option 26, AB option 27.
  REQUIRE(parse_answer(choice, none, "a z AB").value() == json({"o0", "o25", "o27"}));
  REQUIRE(parse_answer(choice, none, "AC").error() == "'AC' is not one of the letters A to AB (separate them with spaces)");
}

TEST_CASE("a kept answer is kept by Enter on one line, by 'y' where a blank line is part of an answer",
          "[presentation][keyboard]") {
  SECTION("one line: Enter keeps it, anything else replaces it") {
    const Sample& s = samples().at("choice");
    json kept = {"y"};
    CHECK(enter(s.interaction, kLog, {" "}, &kept) == kept);
    CHECK(enter(s.interaction, kLog, {"a"}, &kept) == json({"x"}));
  }
  SECTION("a form: 'y' goes on with the fields still empty, 'n' asks them all") {
    const Sample& s = samples().at("fields");
    json kept = {{"pid-5", "DOE^JANE"}};
    ScriptedKeyboard keyboard({"y", "19900304"});
    CHECK(enter_answer(s.interaction, kLog, &kept, keyboard) == s.value);
    CHECK(keyboard.prompts == std::vector<std::string>{"  keep it? y/n > ", "  Born: "});
    CHECK(enter(s.interaction, kLog, {"n", "SMITH^JO", ""}, &kept) == json({{"pid-5", "SMITH^JO"}}));
  }
  SECTION("an essay: 'y' keeps it whole") {
    const Sample& s = samples().at("extended-text");
    json kept = "an earlier draft";
    CHECK(enter(s.interaction, kLog, {"yes"}, &kept) == kept);
  }
}

TEST_CASE("leaving an interaction part-way gives what was answered so far", "[presentation][keyboard]") {
  CHECK(enter(samples().at("fields").interaction, kLog, {"DOE^JANE"}) == json({{"pid-5", "DOE^JANE"}}));
  CHECK(enter(samples().at("table").interaction, kLog, {"pass"}) == json({{"r1", {{"verdict", "pass"}}}}));
  CHECK(enter(samples().at("extended-text").interaction, kLog, {"first line"}) == "first line");
  CHECK(enter(samples().at("choice").interaction, kLog, {}).is_null());
  CHECK(enter(samples().at("match").interaction, kLog, {}).is_null());
}

TEST_CASE("a bad line is explained and asked again", "[presentation][keyboard]") {
  auto [type, typed, message] = GENERATE(table<std::string, std::vector<std::string>, std::string>({
      {"choice", {"d", "a"}, "  'd' is not one of the letters A to C  ('?' for help)\n"},
      {"match", {"1", "1A 2B"}, "  '1' is not a number-letter pair like 2A\n"},
      {"match", {"1A 1B", "1A 2B"}, "  number 1 is matched twice\n"},
      {"table", {"maybe", "p", ""}, "  'maybe' is not one of: A=Pass B=Fail\n"},
      {"select-lines", {"-", "n", "2"}, "  not answered yet\n"},
  }));
  CAPTURE(type, typed);
  ScriptedKeyboard keyboard(typed);
  auto value = enter_answer(samples().at(type).interaction, kLog, nullptr, keyboard);
  CHECK(keyboard.written == message);
  CHECK_FALSE(value.is_null());
}

TEST_CASE("an empty selection is an answer only where the interaction allows it, and is confirmed", "[presentation][keyboard]") {
  json choice = samples().at("choice").interaction;
  CHECK_FALSE(assay::presentation::allows_empty(choice));
  choice["min"] = 0;
  CHECK(assay::presentation::allows_empty(choice));
  CHECK(assay::presentation::allows_empty(samples().at("select-lines").interaction));
  CHECK_FALSE(assay::presentation::allows_empty(samples().at("fields").interaction));
  CHECK_FALSE(assay::presentation::allows_empty(json("not an interaction")));

  ScriptedKeyboard keyboard({"-", "y"});
  CHECK(enter_answer(choice, kLog, nullptr, keyboard) == json::array());
  CHECK(keyboard.prompts.back() == "  no option selected: is that your answer? y/n > ");
  CHECK(keys_typed(choice, kLog, json::array()) == "- (none)");
}

TEST_CASE("a value not of its interaction's shape, or of a type the table does not know, is shown as JSON",
          "[presentation][keyboard]") {
  CHECK(keys_typed(samples().at("choice").interaction, kLog, "x") == R"("x")");
  CHECK(keys_typed(samples().at("numeric").interaction, kLog, json::array({"4.95"})) == R"(["4.95"])");
  CHECK(keys_typed(samples().at("numeric").interaction, kLog, {{"value", json::object()}}) == R"({"value":{}})");
  CHECK(keys_typed(samples().at("numeric").interaction, kLog, {{"value", "5"}, {"unit", 5}}) == R"({"unit":5,"value":"5"})");
  CHECK(keys_typed({{"id", "q"}, {"type", "hotspot"}}, kLog, {{"x", 3}}) == R"({"x":3})");
  CHECK(parse_answer({{"id", "q"}, {"type", "hotspot"}}, kLog, "3 4").error() ==
        "interaction type 'hotspot' is answered part by part");
  CHECK(parse_answer(samples().at("fields").interaction, kLog, "x").error() ==
        "interaction type 'fields' is answered part by part");
}
