#include "plugincheck/key_leak.hpp"

#include <catch2/catch.hpp>

using namespace assay::plugincheck::detail;
using nlohmann::json;

namespace {

json presentation(std::string prompt, json material, json interactions) {
  return {{"presentation", 1}, {"prompt", std::move(prompt)}, {"material", std::move(material)}, {"interactions", interactions}};
}

json choice(json options) {
  return json::array({{{"id", "answer"}, {"type", "choice"}, {"prompt", "Pick one"}, {"multiple", false}, {"options", options}}});
}

std::vector<std::string> paths(const std::vector<KeyValue>& values) {
  std::vector<std::string> out;
  for (const auto& v : values) out.push_back(v.path + "=" + v.value + (v.number ? " (number)" : ""));
  return out;
}

}  // namespace

TEST_CASE("key-leak looks for long strings and telling numbers, not small integers", "[plugin-check][key-leak]") {
  json solved = {{"answer", json::array({"yes"})},
                 {"lines", json::array({3, 17, 240})},
                 {"reading", {{"value", "4.950"}, {"unit", "mA"}}},
                 {"score", 9.8},
                 {"count", "12"},
                 {"code", "  K-4817 "},
                 {"flag", true}};
  CHECK(paths(key_values(solved)) ==
        std::vector<std::string>{"code=K-4817", "lines[2]=240 (number)", "reading.value=4.950 (number)", "score=9.8 (number)"});
  auto values = key_values(solved);
  CHECK(values[1].field == "lines");
  CHECK(values[2].field == "reading");
}

TEST_CASE("key-leak finds a value in what is shown, as a whole number or a substring", "[plugin-check][key-leak]") {
  auto [text, value, number, found] = GENERATE(table<std::string, std::string, bool, bool>({
      {"the sum is 1097)", "1097", true, true},
      {"reading 1120 mA", "112", true, false},  // part of a larger number
      {"limit 1.25 mA", "125", true, false},    // digits after a point
      {"limit 3.125 mA", "125", true, false},   // digits of a fraction
      {"it is 120.", "120", true, true},        // a full stop is no decimal point
      {"it is 120.5", "120", true, false},      // a decimal point with digits is
      {"shown as 5.5 V", "5.50", true, true},   // trailing zeros dropped
      {"shown as 5,50 V", "5", true, false},    // a decimal comma joins digits too
      {"code K-4817 on the label", "K-4817", false, true},
      {"code k-4817 on the label", "K-4817", false, false},  // strings match as written
  }));
  CAPTURE(text, value);
  Shown shown;
  shown.text = text;
  CHECK(shows(shown, KeyValue{"f", "f", value, number}) == found);
}

TEST_CASE("key-leak reads prompts, material and hints as shown text, and choices as offered", "[plugin-check][key-leak]") {
  json doc = presentation(
      "Which device failed?",
      json::array(
          {{{"kind", "table"}, {"columns", {"Device", "Reading"}}, {"rows", json::array({json::array({"Pump A", "512"})})}},
           {{"kind", "lines"}, {"lines", {{{"id", "L1"}, {"text", "line one"}}}}}}),
      choice(json::array({{{"id", "pump-a"}, {"text", "Pump A"}}, {{"id", "pump-b"}, {"text", "Pump B"}}})));
  auto shown = read_presentation(doc);
  CHECK(shown.text == "Which device failed?\nDevice\nReading\nPump A\n512\nline one\nPick one\n");
  CHECK(shown.offered == std::set<std::string>{"L1", "Pump A", "Pump B", "answer", "pump-a", "pump-b"});
  // An option offered is meant to be shown, even where the material names it as well.
  CHECK_FALSE(shows(shown, KeyValue{"answer", "answer[0]", "Pump A", false}));
  CHECK_FALSE(shows(shown, KeyValue{"answer", "answer[0]", "pump-a", false}));
  CHECK(shows(shown, KeyValue{"reading", "reading", "512", true}));
}

TEST_CASE("shuffled options are the same material; other offered texts are not", "[plugin-check][generated-material]") {
  json a = json::array({{{"id", "x"}, {"text", "First"}}, {{"id", "y"}, {"text", "Second"}}});
  json b = json::array({{{"id", "y"}, {"text", "Second"}}, {{"id", "x"}, {"text", "First"}}});
  json c = json::array({{{"id", "x"}, {"text", "First"}}, {{"id", "z"}, {"text", "Third"}}});
  auto shown = [](const json& options) {
    return read_presentation(presentation("Pick", json::array(), choice(options))).material;
  };
  CHECK(shown(a) == shown(b));
  CHECK(shown(a) != shown(c));
  auto with_prompt = read_presentation(presentation("Pick again", json::array(), choice(a))).material;
  CHECK(with_prompt != shown(a));
}
