#include "pm_planning.hpp"

#include <catch2/catch.hpp>

#include "type_checks.hpp"

using assay::sdk::Credit;
using assay::sdk::json;
using device::PmPlanning;
using device::testing::refusal;

static json policy(std::int64_t threshold, json devices) {
  return {{"policy",
           "EM = function + physical risk + maintenance requirement; include at " + std::to_string(threshold) + " or more."},
          {"threshold", threshold},
          {"devices", devices}};
}

TEST_CASE("pm-planning sums the three scores and includes at the threshold or above", "[device-maintenance][pm-planning]") {
  // Hand-checked sums; threshold 12 (the item's, not the plugin's).
  auto [f, r, m, em, include] = GENERATE(table<int, int, int, int, bool>({
      {10, 5, 5, 20, true},
      {5, 3, 4, 12, true},   // at the threshold
      {5, 3, 3, 11, false},  // just below
      {6, 3, 4, 13, true},   // just above
      {2, 1, 1, 4, false},
  }));
  CAPTURE(f, r, m);
  auto item = PmPlanning::prepare(policy(12, {{{"name", "Device"}, {"function", f}, {"risk", r}, {"maintenance", m}}}));
  auto inv = item.inventory(1);
  REQUIRE(inv[0].em == em);
  REQUIRE(inv[0].include == include);
}

TEST_CASE("pm-planning takes its threshold from the item", "[device-maintenance][pm-planning]") {
  json devices = {{{"name", "Suction unit"}, {"function", 6}, {"risk", 3}, {"maintenance", 3}}};  // EM 12
  REQUIRE(PmPlanning::prepare(policy(12, devices)).inventory(1)[0].include);
  REQUIRE_FALSE(PmPlanning::prepare(policy(13, devices)).inventory(1)[0].include);
}

TEST_CASE("pm-planning scores EM values and decisions per device", "[device-maintenance][pm-planning]") {
  auto item = PmPlanning::prepare(policy(12, {{{"name", "Ventilator"}, {"function", 10}, {"risk", 5}, {"maintenance", 4}},
                                              {{"name", "Scale"}, {"function", 2}, {"risk", 1}, {"maintenance", 1}}}));
  auto [response, scores, decisions] = GENERATE(table<json, Credit, Credit>({
      {{{"devices", {{"d1", {{"em", "19"}, {"decision", "include"}}}, {"d2", {{"em", "4"}, {"decision", "exclude"}}}}}},
       {1, 1},
       {1, 1}},
      {{{"devices", {{"d1", {{"em", "18"}, {"decision", "include"}}}, {"d2", {{"em", "4"}, {"decision", "include"}}}}}},
       {1, 2},
       {1, 2}},
      {json::object(), {0, 1}, {0, 1}},
  }));
  CAPTURE(response.dump());
  auto c = item.score(1, response);
  REQUIRE(c[0] == scores);
  REQUIRE(c[1] == decisions);
}

TEST_CASE("pm-planning refuses bad params with the key path", "[device-maintenance][pm-planning][params]") {
  auto [params, pointer, message] = GENERATE(table<json, std::string, std::string>({
      {policy(-1, {{{"name", "A"}, {"function", 1}, {"risk", 1}, {"maintenance", 1}}}), "/threshold",
       "expected a non-negative integer, found -1"},
      {policy(12, {{{"name", "A"}, {"function", -2}, {"risk", 1}, {"maintenance", 1}}}), "/devices/0/function",
       "expected a non-negative integer, found -2"},
      {policy(12, {{{"name", "A"}, {"function", 2}, {"risk", 1}}}), "/devices/0", "missing required key 'maintenance'"},
      {{{"policy", "p"},
        {"threshold", 12},
        {"generate",
         {{"names", {"A", "B"}},
          {"count", 3},
          {"function", {{"min", 2}, {"max", 10}}},
          {"risk", {{"min", 1}, {"max", 5}}},
          {"maintenance", {{"min", 1}, {"max", 5}}}}}},
       "/generate/count",
       "expected at most 2 (the number of names), found 3"},
      {{{"policy", "p"},
        {"threshold", 12},
        {"generate",
         {{"names", {"A", "B"}},
          {"count", 2},
          {"function", {{"min", 10}, {"max", 2}}},
          {"risk", {{"min", 1}, {"max", 5}}},
          {"maintenance", {{"min", 1}, {"max", 5}}}}}},
       "/generate/function/max",
       "expected max >= min (10), found 2"},
  }));
  CAPTURE(params.dump());
  auto [got_pointer, got_message] = refusal<PmPlanning>(params);
  REQUIRE(got_pointer == pointer);
  REQUIRE(got_message == message);
}

TEST_CASE("pm-planning keys match the generated inventory over many seeds", "[device-maintenance][pm-planning][property]") {
  device::testing::check_examples_and_seeds<PmPlanning>();
  auto ex = PmPlanning::examples()[1];
  auto item = PmPlanning::prepare(ex.params);
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    auto rows = item.present(seed)["material"][1]["rows"];
    auto inv = item.inventory(seed);
    REQUIRE(rows.size() == 4);
    for (std::size_t i = 0; i < inv.size(); ++i) {
      int f = std::stoi(rows[i][1].get<std::string>()), r = std::stoi(rows[i][2].get<std::string>()),
          m = std::stoi(rows[i][3].get<std::string>());
      REQUIRE(f >= 2);
      REQUIRE(f <= 10);
      REQUIRE(r >= 1);
      REQUIRE(m <= 5);
      REQUIRE(inv[i].em == f + r + m);
      REQUIRE(inv[i].include == (f + r + m >= 12));
    }
  }
}
