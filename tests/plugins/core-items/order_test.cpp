#include "order.hpp"

#include <set>

#include "core_items_test_util.hpp"

using namespace core_items_test;
using assay::core_items::Order;

namespace {

// Correct order a b c d: three neighbouring pairs (a,b) (b,c) (c,d).
json abcd_order(const std::string& scoring) {
  return {{"prompt", "Put in order"},
          {"options",
           {{{"id", "c"}, {"text", "third"}},
            {{"id", "a"}, {"text", "first"}},
            {{"id", "d"}, {"text", "fourth"}},
            {{"id", "b"}, {"text", "second"}}}},
          {"correct_order", {"a", "b", "c", "d"}},
          {"scoring", scoring}};
}

std::string seq(const std::string& ids) {
  json a = json::array();
  for (char c : ids) a.push_back(std::string(1, c));
  return json({{"answer", a}}).dump();
}

}  // namespace

TEST_CASE("order items score exact sequences and adjacent pairs", "[core-items][order]") {
  auto exact = Order::prepare(abcd_order("exact"));
  auto pairs = Order::prepare(abcd_order("adjacent-pairs"));
  auto [order, exact_credit, pairs_credit] = GENERATE(table<std::string, std::string, std::string>({
      {"abcd", "1/1", "1/1"},
      {"bacd", "0/1", "1/3"},  // (c,d) only
      {"abdc", "0/1", "1/3"},  // (a,b) only
      {"cdab", "0/1", "2/3"},  // (c,d) and (a,b)
      {"dabc", "0/1", "2/3"},  // (a,b) and (b,c)
      {"dcba", "0/1", "0/1"},  // reversed: no pair in the right direction
      {"acbd", "0/1", "0/1"},
  }));
  CAPTURE(order);
  CHECK(score(exact, seq(order)) == exact_credit);
  CHECK(score(pairs, seq(order)) == pairs_credit);
}

TEST_CASE("order items give nothing for no answer", "[core-items][order]") {
  auto item = Order::prepare(abcd_order("adjacent-pairs"));
  CHECK(score(item, R"({})") == "0/1");
  CHECK(score(item, R"({"answer": []})") == "0/1");
  CHECK(item.feedback(1, json::object()) == "no order was given");
}

TEST_CASE("order items refuse malformed responses", "[core-items][order]") {
  auto item = Order::prepare(abcd_order("exact"));
  auto [response, message] = GENERATE(table<std::string, std::string>({
      {seq("abc"), "option \"d\" is missing; order every option"},
      {seq("abcc"), "option \"c\" appears twice"},
      {seq("abcx"), "unknown option id \"x\", expected one of \"c\", \"a\", \"d\", \"b\""},
      {R"({"answer": "abcd"})", "expected an array of option ids, found a string"},
  }));
  CAPTURE(response);
  REQUIRE(response_error(item, response) == message);
}

TEST_CASE("order items refuse bad params at their JSON Pointer", "[core-items][order]") {
  auto [patch, pointer, message] = GENERATE(table<json, std::string, std::string>({
      {{{"correct_order", {"a", "b", "c"}}}, "/correct_order", "option id 'd' is missing; list every option id once"},
      {{{"correct_order", {"a", "b", "a", "c", "d"}}}, "/correct_order/2", "option id 'a' is listed twice"},
      {{{"correct_order", {"a", "b", "c", "e"}}},
       "/correct_order/3",
       "expected one of the option ids 'c', 'a', 'd', 'b', found \"e\""},
      {{{"scoring", "pairs"}}, "/scoring", "expected one of 'exact', 'adjacent-pairs', found \"pairs\""},
      {{{"options", {{{"id", "a"}, {"text", "only"}}}}}, "/options", "expected at least 2 options, found 1"},
      {{{"shuffle", false}}, "/shuffle", "unknown key 'shuffle'"},
  }));
  CAPTURE(patch);
  auto r = refusal<Order>(patched(abcd_order("exact"), patch));
  CHECK(r.pointer == pointer);
  CHECK(r.message == message);
}

TEST_CASE("order items shuffle their options with the item seed", "[core-items][order]") {
  auto item = Order::prepare(abcd_order("exact"));
  std::set<std::string> orders;
  for (std::uint64_t seed = 0; seed < 200; ++seed) {
    auto p = item.present(seed);
    REQUIRE(p.dump() == item.present(seed).dump());
    std::string order;
    for (const auto& o : p["interactions"][0]["options"]) order += o["id"].get<std::string>();
    orders.insert(order);
  }
  REQUIRE(orders.size() == 24);  // every permutation of four occurs over 200 seeds
}

TEST_CASE("order solve lists the ids in the correct order", "[core-items][order]") {
  auto item = Order::prepare(abcd_order("exact"));
  CHECK(item.solve(5) == json({{"answer", {"a", "b", "c", "d"}}}));
  CHECK(item.feedback(1, json::parse(seq("cdab"))) == "incorrect: 2 of 3 neighbouring pairs are in the right order");
  CHECK(item.feedback(1, json::parse(seq("abcd"))) == "correct: every option is in the right place");
}
