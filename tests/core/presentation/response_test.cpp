// A response v1 checked against the interactions of the item it answers: what `assay serve`
// refuses before an answer is saved, in the words the candidate's page shows.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "assay/presentation.hpp"

using assay::presentation::check_response;
using nlohmann::json;

namespace {

const json kItem = json::parse(R"({
  "presentation": 1,
  "prompt": "Check the pump.",
  "material": [{"kind": "lines", "lines": [{"id": "l1", "text": "a"}]}],
  "interactions": [
    {"id": "answer", "type": "choice", "multiple": false, "options": [{"id": "ohm", "text": "ohm"}]},
    {"id": "limit", "type": "numeric", "units": ["mA", "uA"]},
    {"id": "lines", "type": "select-lines", "material": 0},
    {"id": "pid", "type": "fields", "fields": [{"id": "pid-5", "label": "Name"}]},
    {"id": "odd", "type": "hotspot"}
  ]
})");

}  // namespace

TEST_CASE("a response that answers the item's interactions with values of their types passes", "[presentation][response]") {
  auto response = GENERATE(as<std::string>{}, R"({})", R"({"answer": ["ohm"]})",
                           R"({"answer": [], "limit": {"value": "4.95", "unit": "mA"}, "lines": ["l1"]})",
                           R"({"pid": {"pid-5": "DOE^JANE"}})",
                           R"({"odd": "any value of response v1"})");  // a type without a $defs entry of its own
  CAPTURE(response);
  CHECK(check_response(json::parse(response), kItem) == "");
}

TEST_CASE("a response is refused with its first problem", "[presentation][response]") {
  auto [response, problem] = GENERATE(table<std::string, std::string>({
      {R"(["ohm"])", "an answer is a JSON object with one member per interaction"},
      {R"("ohm")", "an answer is a JSON object with one member per interaction"},
      {R"({"verdict": ["ohm"]})", "this item has no interaction 'verdict'"},
      {R"({"answer": "ohm"})", "interaction 'answer' (choice): #: expected an array, found a string"},
      {R"({"answer": ["ohm"], "verdict": ["ohm"]})", "this item has no interaction 'verdict'"},
      {R"({"limit": {"value": "4,95"}})",
       "interaction 'limit' (numeric): #/value: '4,95' does not match the pattern "
       "'^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$'"},
      {R"({"limit": {"value": "5", "units": "mA"}})", "interaction 'limit' (numeric): #/units: unexpected member 'units'"},
      {R"({"lines": ["l1", 2]})", "interaction 'lines' (select-lines): #/1: expected a string, found an integer"},
      {R"({"pid": {"pid-5": ["DOE"]}})", "interaction 'pid' (fields): #/pid-5: expected a string, found an array"},
      {R"({"odd": 42})", "interaction 'odd' (hotspot): #: expected an array, a string or a table, found an integer"},
  }));
  CAPTURE(response);
  CHECK(check_response(json::parse(response), kItem) == problem);
}

TEST_CASE("a response keeps response v1's bounds", "[presentation][response]") {
  SECTION("a value past its type's bound") {
    json response = {{"answer", {std::string(201, 'x')}}};
    CHECK(check_response(response, kItem) == "interaction 'answer' (choice): #/0: expected at most 200 characters, found 201");
  }
  SECTION("more interactions answered than a response holds, each one known") {
    json item = {{"presentation", 1}, {"interactions", json::array()}};
    json response = json::object();
    for (int i = 0; i < 101; ++i) {
      std::string id = "q" + std::to_string(i);
      item["interactions"].push_back({{"id", id}, {"type", "text"}});
      response[id] = "x";
    }
    CHECK(check_response(response, item) == "#: expected at most 100 members, found 101");
  }
}

TEST_CASE("a presentation without interactions has none to answer", "[presentation][response]") {
  CHECK(check_response(json::object(), json::object()) == "");
  CHECK(check_response({{"answer", {"ohm"}}}, json::object()) == "this item has no interaction 'answer'");
  CHECK(check_response({{"answer", {"ohm"}}}, {{"interactions", "not a list"}}) == "this item has no interaction 'answer'");
}

TEST_CASE("each interaction type's value schema is its $defs entry, and any other type takes any value",
          "[presentation][response]") {
  const json& numeric = assay::presentation::value_schema("numeric");
  CHECK(numeric.at("$ref") == "#/$defs/numeric");
  CHECK(assay::presentation::value_schema("hotspot").at("$ref") == "#/$defs/value");
  CHECK(&assay::presentation::find_interaction_type("numeric")->value_schema() == &numeric);
}

TEST_CASE("a response is shown as a person reads it: texts for ids, cells under their columns, lines quoted",
          "[presentation][readable]") {
  using assay::presentation::readable;
  using assay::presentation::readable_response;
  json p = json::parse(R"({"presentation": 1, "prompt": "p",
    "material": [{"kind": "lines", "lines": [{"id": "l1", "text": "first line"}, {"id": "l2", "text": "second line"}]}],
    "interactions": [
      {"id": "pick", "type": "choice", "multiple": true, "prompt": "Which apply (choose all), e.g. A C",
       "options": [{"id": "x", "text": "Isolate the host"}, {"id": "y", "text": "Reimage"}]},
      {"id": "steps", "type": "order", "prompt": "Order", "options": [{"id": "a", "text": "Tag out"}, {"id": "b", "text": "Report"}]},
      {"id": "pairs", "type": "match", "prompt": "Match",
       "left": [{"id": "q1", "text": "Resistance"}], "right": [{"id": "r1", "text": "ohm"}]},
      {"id": "lines", "type": "select-lines", "material": 0, "prompt": "Lines"},
      {"id": "form", "type": "fields", "prompt": "Fields", "fields": [{"id": "f1", "label": "Family name"}, {"id": "f2", "label": "MRN"}]},
      {"id": "grid", "type": "table", "prompt": "Rules",
       "rows": [{"id": "r1", "label": "Rule 1"}],
       "columns": [{"id": "v", "label": "Verdict", "options": [{"id": "allow", "text": "Allowed"}]}, {"id": "n", "label": "Note"}]},
      {"id": "value", "type": "numeric", "prompt": "Leakage"},
      {"id": "word", "type": "text", "prompt": "Unit"}
    ]})");
  const auto& in = p["interactions"];
  CHECK(readable(in[0], p, json::array({"y", "x"})) == "Reimage; Isolate the host");
  CHECK(readable(in[0], p, json::array()) == "none selected");
  CHECK(readable(in[1], p, json::array({"b", "a"})) == "1. Report; 2. Tag out");
  CHECK(readable(in[2], p, json{{"q1", "r1"}}) == "Resistance → ohm");
  CHECK(readable(in[3], p, json::array({"l2"})) == "line 2: second line");
  CHECK(readable(in[4], p, json{{"f1", "Moreau^Larsen"}, {"f2", ""}}) == "Family name: Moreau^Larsen\nMRN: (blank)");
  CHECK(readable(in[5], p, json{{"r1", {{"v", "allow"}, {"n", ""}}}}) == "Rule 1 — Verdict: Allowed; Note: (blank)");
  CHECK(readable(in[6], p, json{{"value", "0.5"}, {"unit", "mA"}}) == "0.5 mA");
  CHECK(readable(in[7], p, json("hertz")) == "\"hertz\"");
  CHECK(readable(in[0], p, json("not an array")) == "\"not an array\"");  // not of the shape: as JSON

  // The whole document: each part after its prompt, cut before its example; several lines under it.
  auto text = readable_response(p, R"({"pick": ["x"], "form": {"f1": "A", "f2": "B"}})");
  CHECK(text == "Which apply: Isolate the host\nFields:\n  Family name: A\n  MRN: B\n");
  CHECK(readable_response(p, "{}") == "(not answered)\n");
  CHECK(readable_response(p, "not json") == "not json\n");
}
