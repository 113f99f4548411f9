#include "single_choice.hpp"

#include <set>

#include "core_items_test_util.hpp"

using namespace core_items_test;
using assay::core_items::SingleChoice;

namespace {

json abc() {
  return {{"prompt", "Pick one"},
          {"options", {{{"id", "a"}, {"text", "Alpha"}}, {{"id", "b"}, {"text", "Beta"}}, {{"id", "c"}, {"text", "Gamma"}}}},
          {"correct", "b"}};
}

}  // namespace

TEST_CASE("single-choice items credit only the correct option", "[core-items][single-choice]") {
  auto item = SingleChoice::prepare(abc());
  auto [response, credit] = GENERATE(table<std::string, std::string>({
      {R"({"answer": ["b"]})", "1/1"},
      {R"({"answer": ["a"]})", "0/1"},
      {R"({"answer": ["c"]})", "0/1"},
      {R"({"answer": []})", "0/1"},    // an empty selection is no answer
      {R"({"answer": null})", "0/1"},  // so is null
      {R"({})", "0/1"},                // and an absent interaction
      {R"({"other": ["b"]})", "0/1"},  // members of other interactions are not this one
  }));
  CAPTURE(response);
  REQUIRE(score(item, response) == credit);
}

TEST_CASE("single-choice items refuse malformed responses", "[core-items][single-choice]") {
  auto item = SingleChoice::prepare(abc());
  auto [response, message] = GENERATE(table<std::string, std::string>({
      {R"({"answer": "b"})", "expected an array of option ids, found a string"},
      {R"({"answer": {"b": true}})", "expected an array of option ids, found a table"},
      {R"({"answer": ["a", "b"]})", "expected one option id, found 2"},
      {R"({"answer": ["z"]})", "unknown option id \"z\", expected one of \"a\", \"b\", \"c\""},
      {R"({"answer": ["B"]})", "unknown option id \"B\", expected one of \"a\", \"b\", \"c\""},  // ids are exact
      {R"({"answer": [2]})", "expected option ids as strings, found an integer"},
  }));
  CAPTURE(response);
  REQUIRE(response_error(item, response) == message);
}

TEST_CASE("single-choice items refuse bad params at their JSON Pointer", "[core-items][single-choice]") {
  auto [patch, pointer, message] = GENERATE(table<json, std::string, std::string>({
      {{{"options", json::array()}}, "/options", "expected at least 2 options, found 0"},
      {{{"options", {{{"id", "a"}, {"text", "A"}}}}}, "/options", "expected at least 2 options, found 1"},
      {{{"options", "a,b"}}, "/options", "expected an array, found a string"},
      {{{"options", {{{"id", "a"}, {"text", "A"}}, {{"id", "b"}, {"text", "B"}}, {{"id", "a"}, {"text", "C"}}}}},
       "/options/2/id",
       "duplicate option id 'a', already used by options[0]"},
      {{{"options", {{{"id", "a"}, {"text", "A"}}, {{"id", ""}, {"text", "B"}}}}},
       "/options/1/id",
       "expected a non-empty option id"},
      {{{"options", {{{"id", "a"}, {"text", "A"}}, {{"id", "b"}}}}}, "/options/1", "missing required key 'text'"},
      {{{"options", {{{"id", "a"}, {"text", "A"}}, {{"id", "b"}, {"text", "B"}, {"label", "x"}}}}},
       "/options/1/label",
       "unknown key 'label'"},
      {{{"correct", "z"}}, "/correct", "expected one of the option ids 'a', 'b', 'c', found \"z\""},
      {{{"correct", {"b"}}}, "/correct", "expected a string, found an array"},
      {{{"shuffle", "yes"}}, "/shuffle", "expected a boolean, found a string"},
      {{{"shufle", false}}, "/shufle", "unknown key 'shufle'"},
      {{{"prompt", ""}}, "/prompt", "expected a non-empty string"},
  }));
  CAPTURE(patch);
  auto r = refusal<SingleChoice>(patched(abc(), patch));
  CHECK(r.pointer == pointer);
  CHECK(r.message == message);
}

TEST_CASE("single-choice items require a prompt, options and the correct id", "[core-items][single-choice]") {
  auto key = GENERATE(as<std::string>{}, "prompt", "options", "correct");
  CAPTURE(key);
  auto r = refusal<SingleChoice>(without(abc(), key));
  CHECK(r.pointer == "");
  CHECK(r.message == "missing required key '" + key + "'");
}

TEST_CASE("single-choice items shuffle their options with the item seed", "[core-items][single-choice]") {
  auto item = SingleChoice::prepare(abc());
  std::set<std::string> orders;
  for (std::uint64_t seed = 0; seed < 60; ++seed) {
    auto options = item.present(seed)["interactions"][0]["options"];
    REQUIRE(options.size() == 3);
    std::string order;
    for (const auto& o : options) order += o["id"].get<std::string>();
    std::string sorted = order;
    std::sort(sorted.begin(), sorted.end());
    REQUIRE(sorted == "abc");  // every option once, text with its id
    for (const auto& o : options) REQUIRE(o["text"] == (o["id"] == "a" ? "Alpha" : o["id"] == "b" ? "Beta" : "Gamma"));
    orders.insert(order);
  }
  REQUIRE(orders.size() == 6);  // all 3! orders occur over 60 seeds
}

TEST_CASE("single-choice items keep the written order when shuffle is off", "[core-items][single-choice]") {
  auto item = SingleChoice::prepare(patched(abc(), {{"shuffle", false}}));
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    auto p = item.present(seed);
    REQUIRE(p["interactions"][0] ==
            json({{"id", "answer"},
                  {"type", "choice"},
                  {"multiple", false},
                  {"options",
                   {{{"id", "a"}, {"text", "Alpha"}}, {{"id", "b"}, {"text", "Beta"}}, {{"id", "c"}, {"text", "Gamma"}}}}}));
    REQUIRE(p.dump().find("correct") == std::string::npos);
  }
}

TEST_CASE("single-choice feedback says whether the chosen option is right", "[core-items][single-choice]") {
  auto item = SingleChoice::prepare(abc());
  CHECK(item.feedback(1, json::parse(R"({"answer": ["b"]})")) == "correct: \"Beta\" is the right option");
  CHECK(item.feedback(1, json::parse(R"({"answer": ["a"]})")) == "incorrect: \"Alpha\" is not the right option");
  CHECK(item.feedback(1, json::object()) == "no option was chosen");
}

namespace {

// The breach-notice question of the cybersecurity screening, reduced: media in all three States
// is more than the rule asks (over-cautious), skipping HHS is the unsafe error.
json notices() {
  return {{"prompt", "Which notices are required besides the individual notices?"},
          {"options",
           {{{"id", "one"}, {"text", "HHS now, media in the one State"}},
            {{"id", "all"}, {"text", "HHS now, media in all three States"}},
            {{"id", "annual"}, {"text", "Only the annual log to HHS"}}}},
          {"correct", "one"},
          {"unsafe", {"annual"}}};
}

}  // namespace

TEST_CASE("single-choice items lose the safe criterion only on an unsafe option", "[core-items][single-choice][safety]") {
  REQUIRE(SingleChoice::criteria().size() == 2);
  CHECK(SingleChoice::criteria()[1].id == "safe");
  CHECK(SingleChoice::criteria()[1].safety);
  CHECK_FALSE(SingleChoice::criteria()[0].safety);
  auto item = SingleChoice::prepare(notices());
  auto [response, correct, safe] = GENERATE(table<std::string, std::string, std::string>({
      {R"({"answer": ["one"]})", "1/1", "1/1"},
      {R"({"answer": ["all"]})", "0/1", "1/1"},     // over-cautious: wrong, not unsafe
      {R"({"answer": ["annual"]})", "0/1", "0/1"},  // the unsafe error
      {R"({})", "0/1", "1/1"},                      // no answer is no unsafe choice
  }));
  CAPTURE(response);
  CHECK(score(item, response, 1, 0) == correct);
  CHECK(score(item, response, 1, 1) == safe);
}

TEST_CASE("single-choice items without unsafe options never lose the safe criterion", "[core-items][single-choice][safety]") {
  auto item = SingleChoice::prepare(abc());
  for (const char* r : {R"({"answer": ["a"]})", R"({"answer": ["b"]})", R"({"answer": ["c"]})"})
    CHECK(score(item, r, 1, 1) == "1/1");
}

TEST_CASE("single-choice feedback names the kind of error", "[core-items][single-choice][safety]") {
  auto item = SingleChoice::prepare(notices());
  CHECK(item.feedback(1, json::parse(R"({"answer": ["annual"]})")) ==
        "incorrect, and unsafe: \"Only the annual log to HHS\" is the error this item guards against");
  CHECK(item.feedback(1, json::parse(R"({"answer": ["all"]})")) ==
        "incorrect, but not unsafe: \"HHS now, media in all three States\" is more cautious than needed, and not the right "
        "option");
}

TEST_CASE("single-choice items refuse an unsafe list that includes the key", "[core-items][single-choice][safety]") {
  auto [patch, pointer, message] = GENERATE(table<json, std::string, std::string>({
      {{{"unsafe", {"one"}}}, "/unsafe/0", "the correct option 'one' cannot be unsafe"},
      {{{"unsafe", {"annual", "annual"}}}, "/unsafe/1", "option id 'annual' is listed twice"},
      {{{"unsafe", {"z"}}}, "/unsafe/0", "expected one of the option ids 'one', 'all', 'annual', found \"z\""},
      {{{"unsafe", "annual"}}, "/unsafe", "expected an array, found a string"},
  }));
  CAPTURE(patch);
  auto r = refusal<SingleChoice>(patched(notices(), patch));
  CHECK(r.pointer == pointer);
  CHECK(r.message == message);
}
