#include "troubleshooting.hpp"

#include <catch2/catch.hpp>

#include "action_order.hpp"
#include "type_checks.hpp"

using assay::sdk::Credit;
using assay::sdk::json;
using device::Troubleshooting;
using device::testing::refusal;

namespace {

// A small rubric: isolate, verify, fix (hazardous), test, return; "bypass" unsafe, "swap" wasteful.
device::OrderRules rules() {
  device::OrderRules r;
  r.before = {{"isolate", "verify"}, {"verify", "fix"}, {"fix", "test"}, {"test", "return"}};
  r.isolation = "isolate";
  r.hazardous = {"fix"};
  r.unsafe = {"bypass"};
  r.wasteful = {"swap"};
  return r;
}

}  // namespace

TEST_CASE("a troubleshooting order is judged on safety, sequence and waste", "[device-maintenance][troubleshooting]") {
  using V = std::vector<std::string>;
  auto [taken, safe, kept, wasted] = GENERATE(table<V, bool, std::size_t, std::size_t>({
      {{"isolate", "verify", "fix", "test", "return"}, true, 4, 0},             // right
      {{"isolate", "verify", "swap", "fix", "test", "return"}, true, 4, 1},     // wasteful part swap
      {{"isolate", "verify", "fix", "bypass", "test", "return"}, false, 4, 0},  // unsafe action taken
      {{"verify", "fix", "isolate", "test", "return"}, false, 3, 0},            // hazardous work before isolation
      {{"verify", "isolate", "fix", "test", "return"}, true, 3, 0},             // verify first: order, not safety
      {{"verify", "fix", "test", "return"}, false, 3, 0},                       // never isolated
      {{"isolate", "verify", "fix", "return", "test"}, true, 3, 0},             // returned before testing
      {{"isolate", "verify", "fix", "test"}, true, 3, 0},                       // never returned: (test, return) not kept
  }));
  CAPTURE(taken);
  auto j = device::judge_order(rules(), taken);
  REQUIRE(j.safe == safe);
  REQUIRE(j.pairs_kept == kept);
  REQUIRE(j.pairs_total == 4);
  REQUIRE(j.wasteful_taken == wasted);
}

TEST_CASE("the model order is safe, complete and free of waste", "[device-maintenance][troubleshooting]") {
  auto order = device::model_order(rules(), {"return", "swap", "test", "bypass", "fix", "verify", "isolate"});
  REQUIRE(order == std::vector<std::string>{"isolate", "verify", "fix", "test", "return"});
  auto j = device::judge_order(rules(), order);
  REQUIRE(j.safe);
  REQUIRE(j.pairs_kept == j.pairs_total);
  REQUIRE(j.wasteful_taken == 0);
}

TEST_CASE("required-order cycles are found", "[device-maintenance][troubleshooting]") {
  REQUIRE_FALSE(device::find_cycle({{"a", "b"}, {"b", "c"}, {"a", "c"}}).has_value());
  REQUIRE(device::find_cycle({{"a", "b"}, {"b", "c"}, {"c", "a"}}).has_value());
}

static json item_params() {
  return {{"fault", "Monitor shows no SpO2 trace"},
          {"actions",
           {{{"id", "isolate"}, {"text", "Remove from use"}},
            {{"id", "verify"}, {"text", "Reproduce with a simulator"}},
            {{"id", "fix"}, {"text", "Replace the SpO2 module"}},
            {{"id", "test"}, {"text", "Performance and safety tests"}},
            {{"id", "return"}, {"text", "Return to service"}},
            {{"id", "bypass"}, {"text", "Disable the alarm"}},
            {{"id", "swap"}, {"text", "Replace the power supply"}}}},
          {"before", json::array({json::array({"isolate", "verify"}), json::array({"verify", "fix"}),
                                  json::array({"fix", "test"}), json::array({"test", "return"})})},
          {"isolation", "isolate"},
          {"hazardous", {"fix"}},
          {"unsafe", {"bypass"}},
          {"wasteful", {"swap"}}};
}

TEST_CASE("troubleshooting scores the response's order minus its skipped actions", "[device-maintenance][troubleshooting]") {
  auto item = Troubleshooting::prepare(item_params());
  json all = {"isolate", "verify", "fix", "test", "return", "bypass", "swap"};
  auto [response, safe, sequence, efficiency] = GENERATE_COPY(table<json, Credit, Credit, Credit>({
      {{{"order", all}, {"skip", {"bypass", "swap"}}}, {1, 1}, {1, 1}, {1, 1}},
      {{{"order", all}, {"skip", {"bypass"}}}, {1, 1}, {1, 1}, {0, 1}},
      {{{"order", all}, {"skip", {"swap"}}}, {0, 1}, {1, 1}, {1, 1}},
      {{{"order", {"fix", "isolate", "verify", "test", "return", "bypass", "swap"}}, {"skip", {"bypass", "swap"}}},
       {0, 1},
       {3, 4},  // only (verify, fix) broken
       {1, 1}},
      {{{"order", all}, {"skip", {"bypass", "swap", "isolate"}}}, {0, 1}, {3, 4}, {1, 1}},         // skipping isolation is unsafe
      {{{"order", {"isolate", "verify", "fix", "test", "return"}}, {"skip", {"bypass", "swap"}}},  // skipped ones left out
       {1, 1},
       {1, 1},
       {1, 1}},
      {json::object(), {1, 1}, {0, 1}, {0, 1}},  // no action taken is no unsafe action: safe-practice is a safety criterion
  }));
  CAPTURE(response.dump());
  auto c = item.score(1, response);
  REQUIRE(c[0] == safe);
  REQUIRE(c[1] == sequence);
  REQUIRE(c[2] == efficiency);
}

TEST_CASE("troubleshooting refuses bad params with the key path", "[device-maintenance][troubleshooting][params]") {
  REQUIRE(refusal<Troubleshooting>(item_params()).first.empty());
  auto [path, value, pointer, message] = GENERATE(table<std::string, json, std::string, std::string>({
      {"/unsafe", {"jump"}, "/unsafe/0", "unknown action 'jump'"},
      {"/before/1", {"verify", "verify"}, "/before/1", "an action cannot come before itself ('verify')"},
      {"/before/1", {"verify"}, "/before/1", "expected a pair [a, b] of action ids"},
      {"/before/4",
       {"return", "verify"},
       "/before",
       "the required order has a cycle through 'fix'"},  // verify > fix > test > return > verify; the search starts at 'fix'

      {"/before/4", {"test", "swap"}, "/before/4", "action 'swap' is unsafe or wasteful, so no required order can include it"},
      {"/before/4", {"verify", "isolate"}, "/before/4", "the isolation action comes first; it cannot follow 'verify'"},
      {"/isolation", "bypass", "/isolation", "the isolation action cannot be unsafe or wasteful"},
      {"/actions/1/id", "isolate", "/actions/1/id", "duplicate action id 'isolate'"},
  }));
  CAPTURE(path);
  json p = item_params();
  p[json::json_pointer(path)] = value;
  auto [got_pointer, got_message] = refusal<Troubleshooting>(p);
  REQUIRE(got_pointer == pointer);
  REQUIRE(got_message == message);
}

TEST_CASE("troubleshooting presents every action, shuffled by the seed, never the rubric",
          "[device-maintenance][troubleshooting][property]") {
  device::testing::check_examples_and_seeds<Troubleshooting>();
  auto item = Troubleshooting::prepare(item_params());
  bool reordered = false;
  auto first = item.presented(1);
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    auto shown = item.present(seed);
    auto ids = item.presented(seed);
    REQUIRE(ids.size() == 7);
    REQUIRE(shown["interactions"][1]["type"] == "order");
    REQUIRE(shown["interactions"][1]["options"].size() == 7);
    reordered = reordered || ids != first;
    auto dump = shown.dump();
    REQUIRE_THAT(dump, !Catch::Contains("unsafe") && !Catch::Contains("wasteful") && !Catch::Contains("hazardous"));
  }
  REQUIRE(reordered);
}

TEST_CASE("troubleshooting refuses a sequence that does not place every action once",
          "[device-maintenance][troubleshooting][malformed]") {
  // These scored nothing before; they cannot be read as a sequence, so the candidate is told.
  auto item = Troubleshooting::prepare(item_params());
  auto [response, message] = GENERATE(table<json, std::string>({
      {{{"order", {"isolate", "verify"}}},
       "your sequence: \"Replace the SpO2 module\" is missing; place every action you would take (mark the others as not taken)"},
      {{{"order", {"isolate", "isolate", "fix", "test", "return", "bypass", "swap"}}},
       "your sequence: \"Remove from use\" is placed twice; place every action once"},
      {{{"order", {"isolate", "verify", "fix", "test", "return", "bypass", "reboot"}}},
       "your sequence: \"reboot\" is not one of the actions"},
      {{{"order", {"isolate", "verify", "fix", "test", "return", "bypass", "swap"}}, {"skip", {"reboot"}}},
       "actions you would not take: \"reboot\" is not one of the options"},
  }));
  CAPTURE(response.dump());
  REQUIRE(device::testing::malformed_message(item, 1, response) == message);
}
