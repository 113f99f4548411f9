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
