#include "match.hpp"

#include <set>

#include "core_items_test_util.hpp"

using namespace core_items_test;
using assay::core_items::Match;

namespace {

// Four left entries; "x" on the right matches two of them and "z" is a distractor.
json pairs4() {
  return {
      {"prompt", "Match"},
      {"left",
       {{{"id", "a"}, {"text", "A"}}, {{"id", "b"}, {"text", "B"}}, {{"id", "c"}, {"text", "C"}}, {{"id", "d"}, {"text", "D"}}}},
      {"right",
       {{{"id", "x"}, {"text", "X"}}, {{"id", "y"}, {"text", "Y"}}, {{"id", "w"}, {"text", "W"}}, {{"id", "z"}, {"text", "Z"}}}},
      {"pairs", {{"a", "x"}, {"b", "y"}, {"c", "x"}, {"d", "w"}}}};
}

}  // namespace

TEST_CASE("match items credit each correct pair", "[core-items][match]") {
  auto item = Match::prepare(pairs4());
  auto [response, credit] = GENERATE(table<std::string, std::string>({
      {R"({"answer": {"a": "x", "b": "y", "c": "x", "d": "w"}})", "1/1"},
      {R"({"answer": {"a": "x", "b": "y", "c": "x", "d": "z"}})", "3/4"},
      {R"({"answer": {"a": "x", "b": "y"}})", "1/2"},  // left entries left out earn nothing
      {R"({"answer": {"a": "x", "b": null}})", "1/4"},
      {R"({"answer": {"a": "y", "b": "x", "c": "w", "d": "x"}})", "0/1"},
      {R"({"answer": {}})", "0/1"},
      {R"({})", "0/1"},
  }));
  CAPTURE(response);
  REQUIRE(score(item, response) == credit);
}

TEST_CASE("match items weigh their pairs, or give all or nothing", "[core-items][match]") {
  auto weighted = Match::prepare(patched(pairs4(), {{"weights", {{"a", 1}, {"b", "0.5"}, {"c", "0.5"}, {"d", 1}}}}));
  auto whole = Match::prepare(patched(pairs4(), {{"all_or_nothing", true}}));
  auto [response, by_weight, all] = GENERATE(table<std::string, std::string, std::string>({
      {R"({"answer": {"a": "x", "b": "y", "c": "x", "d": "w"}})", "1/1", "1/1"},
      {R"({"answer": {"a": "x", "b": "x", "c": "y", "d": "x"}})", "1/3", "0/1"},
      {R"({"answer": {"b": "y", "c": "x"}})", "1/3", "0/1"},
      {R"({"answer": {"a": "x", "b": "y", "c": "x"}})", "2/3", "0/1"},
      {R"({})", "0/1", "0/1"},
  }));
  CAPTURE(response);
  CHECK(score(weighted, response) == by_weight);
  CHECK(score(whole, response) == all);
}

TEST_CASE("match weights are refused unless they are exact and some weigh", "[core-items][match]") {
  auto [patch, pointer, message] = GENERATE(table<json, std::string, std::string>({
      {{{"weights", {{"a", "0.0000001"}}}},
       "/weights/a",
       "expected a weight from 0 to 1000000 with at most six decimals, found \"0.0000001\""},
      {{{"weights", {{"a", -1}}}}, "/weights/a", "expected a weight from 0 to 1000000 with at most six decimals, found \"-1\""},
      {{{"weights", {{"e", 1}}}}, "/weights/e", "expected a left entry id, found \"e\""},
      {{{"weights", {{"a", 0}}}}, "/weights", "expected a weight above 0 for at least one left entry"},
      {{{"weights", {{"a", 1}}}, {"all_or_nothing", true}}, "/weights", "give either all_or_nothing or weights, not both"},
  }));
  CAPTURE(patch);
  auto r = refusal<Match>(patched(pairs4(), patch));
  CHECK(r.pointer == pointer);
  CHECK(r.message == message);
}

TEST_CASE("match items refuse malformed responses", "[core-items][match]") {
  auto item = Match::prepare(pairs4());
  auto [response, message] = GENERATE(table<std::string, std::string>({
      {R"({"answer": [["a", "x"]]})", "expected an object {left id: right id}, found an array"},
      {R"({"answer": {"q": "x"}})", "unknown left entry id \"q\", expected one of \"a\", \"b\", \"c\", \"d\""},
      {R"({"answer": {"a": "q"}})", "unknown right entry id \"q\", expected one of \"x\", \"y\", \"w\", \"z\""},
      {R"({"answer": {"a": ["x"]}})", "expected right entry ids as strings, found an array"},
  }));
  CAPTURE(response);
  REQUIRE(response_error(item, response) == message);
}

TEST_CASE("match items refuse bad params at their JSON Pointer", "[core-items][match]") {
  auto [patch, pointer, message] = GENERATE(table<json, std::string, std::string>({
      {{{"pairs", {{"a", "x"}, {"b", "y"}, {"c", "x"}}}},
       "/pairs",
       "left entry 'd' has no match; give every left id its right id"},
      {{{"pairs", {{"a", "x"}, {"b", "y"}, {"c", "x"}, {"d", "v"}}}},
       "/pairs/d",
       "expected one of the right entry ids 'x', 'y', 'w', 'z', found \"v\""},
      {{{"pairs", {{"a", "x"}, {"b", "y"}, {"c", "x"}, {"d", "w"}, {"e", "x"}}}},
       "/pairs/e",
       "expected one of the left entry ids 'a', 'b', 'c', 'd', found \"e\""},
      {{{"pairs", {{"a", "x"}, {"b", "y"}, {"c", "x"}, {"d", 1}}}}, "/pairs/d", "expected a string, found an integer"},
      {{{"right", {{{"id", "x"}, {"text", "X"}}, {{"id", "x"}, {"text", "X2"}}}}},
       "/right/1/id",
       "duplicate right entry id 'x', already used by right[0]"},
      {{{"left", json::array()}}, "/left", "expected at least 1 left entry, found 0"},
      {{{"pairs", {"a", "x"}}}, "/pairs", "expected a table, found an array"},
  }));
  CAPTURE(patch);
  auto r = refusal<Match>(patched(pairs4(), patch));
  CHECK(r.pointer == pointer);
  CHECK(r.message == message);
}

TEST_CASE("match items shuffle the right side only", "[core-items][match]") {
  auto item = Match::prepare(pairs4());
  std::set<std::string> orders;
  for (std::uint64_t seed = 0; seed < 200; ++seed) {
    auto interaction = item.present(seed)["interactions"][0];
    REQUIRE(interaction["type"] == "match");
    REQUIRE(interaction["left"][0]["id"] == "a");
    REQUIRE(interaction["left"][3]["id"] == "d");
    std::string order;
    for (const auto& o : interaction["right"]) order += o["id"].get<std::string>();
    orders.insert(order);
  }
  REQUIRE(orders.size() == 24);
  auto fixed = Match::prepare(patched(pairs4(), {{"shuffle", false}}));
  CHECK(fixed.present(3)["interactions"][0]["right"][0]["id"] == "x");
  CHECK(fixed.present(3)["interactions"][0]["right"][3]["id"] == "z");
}

TEST_CASE("match feedback marks each pair", "[core-items][match]") {
  auto item = Match::prepare(pairs4());
  CHECK(item.feedback(1, json::parse(R"({"answer": {"a": "x", "b": "x", "d": "w"}})")) ==
        "\"A\" -> \"X\": correct\n\"B\" -> \"X\": not correct\n\"C\": not matched\n\"D\" -> \"W\": correct");
  CHECK(item.solve(1) == json({{"answer", {{"a", "x"}, {"b", "y"}, {"c", "x"}, {"d", "w"}}}}));
}
