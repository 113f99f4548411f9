#include "work_order.hpp"

#include <catch2/catch.hpp>

#include <map>

#include "type_checks.hpp"

using assay::sdk::Credit;
using assay::sdk::json;
using device::WorkOrder;
using device::testing::refusal;

namespace {

// A complete, consistent order: opened 2026-03-02, tested 2026-03-04, returned 2026-03-04.
json good_order() {
  return {{"wo_number", "WO-100200"},
          {"asset_tag", "BME-20417"},
          {"device", "Defibrillator"},
          {"kind", "Corrective repair"},
          {"opened", "2026-03-02"},
          {"test_date", "2026-03-04"},
          {"return_to_service", "2026-03-04"},
          {"technician", "M. Lindqvist"},
          {"electrical_safety", "pass"},
          {"performance", "pass"},
          {"labor_hours", "2.0"},
          {"work_done", "Replaced the paddle cable"}};
}

json all_rules() {
  json out = json::array();
  for (auto& r : WorkOrder::rules()) out.push_back(r.id);
  return out;
}

/// The problems a solved response lists; "none" (the option for a clean order) is no problem.
std::vector<std::string> listed(const json& solved) {
  auto ids = solved["findings"].get<std::vector<std::string>>();
  if (ids == std::vector<std::string>{"none"}) ids.clear();
  return ids;
}

std::vector<std::string> key_of(const json& order, json rules = all_rules()) {
  auto item = WorkOrder::prepare({{"rules", std::move(rules)}, {"order", order}});
  return listed(item.solve(1));
}

using Ids = std::vector<std::string>;

}  // namespace

TEST_CASE("work-order finds nothing in a complete, consistent order", "[device-maintenance][work-order]") {
  REQUIRE(key_of(good_order()).empty());
  auto item = WorkOrder::prepare({{"rules", all_rules()}, {"order", good_order()}});
  REQUIRE(item.solve(1) == json({{"findings", {"none"}}}));
}

TEST_CASE("work-order applies each rule to a hand-written order", "[device-maintenance][work-order]") {
  auto [field, value, expected] = GENERATE(table<std::string, std::string, Ids>({
      {"asset_tag", "", {"missing-asset-tag"}},
      {"asset_tag", "  ", {"missing-asset-tag"}},  // spaces are not a tag
      {"technician", "", {"missing-technician"}},
      {"electrical_safety", "", {"missing-safety-result"}},
      {"performance", "", {"missing-performance-result"}},
      {"electrical_safety", "fail", {"returned-after-failed-test"}},
      {"performance", "fail", {"returned-after-failed-test"}},
      {"return_to_service", "", {"missing-return-date"}},
      {"return_to_service", "2026-03-03", {"return-before-test"}},  // a day before the test
      {"return_to_service", "2026-03-05", {}},                      // a day after: fine
      {"test_date", "2026-03-01", {"test-before-opened"}},          // a day before opening
      {"test_date", "2026-03-02", {}},                              // the day it was opened: fine
      {"test_date", "2026-03-05", {"return-before-test"}},          // tested after it went back
      {"labor_hours", "", {"missing-labor"}},
      {"labor_hours", "0", {}},  // zero hours is recorded, not missing
      {"work_done", "", {"missing-work-done"}},
  }));
  CAPTURE(field, value);
  json order = good_order();
  order[field] = value;
  REQUIRE(key_of(order) == expected);
}

TEST_CASE("work-order does not count a failed test when the device never went back", "[device-maintenance][work-order]") {
  json order = good_order();
  order["electrical_safety"] = "fail";
  order["return_to_service"] = "";
  REQUIRE(key_of(order) == Ids{"missing-return-date"});
  REQUIRE(key_of(order, {"returned-after-failed-test"}).empty());
}

TEST_CASE("work-order keys and shows only the rules the item selects", "[device-maintenance][work-order]") {
  json order = good_order();
  order["asset_tag"] = "";
  order["labor_hours"] = "";
  auto item = WorkOrder::prepare({{"rules", {"missing-labor", "missing-technician"}}, {"order", order}});
  REQUIRE(item.solve(1)["findings"] == json({"missing-labor"}));
  auto options = item.present(1)["interactions"][0]["options"];
  REQUIRE(options.size() == 3);
  REQUIRE(options[0]["id"] == "missing-technician");  // in the plugin's rule order
  REQUIRE(options[1]["id"] == "missing-labor");
  REQUIRE(options[2]["id"] == "none");  // last, for an order with no problem
  // That option is the one way to say "none": no empty selection beside it (the browser would
  // offer its own "None of these" for one).
  REQUIRE_FALSE(item.present(1)["interactions"][0].contains("min"));
}

TEST_CASE("work-order scores precision, recall and safety findings", "[device-maintenance][work-order]") {
  // Key: missing-asset-tag and return-before-test (a safety finding).
  json order = good_order();
  order["asset_tag"] = "";
  order["return_to_service"] = "2026-03-03";
  auto item = WorkOrder::prepare({{"rules", all_rules()}, {"order", order}});
  auto [response, precision, recall, safety] = GENERATE(table<json, Credit, Credit, Credit>({
      {{{"findings", {"missing-asset-tag", "return-before-test"}}}, {1, 1}, {1, 1}, {1, 1}},
      {{{"findings", {"return-before-test"}}}, {1, 1}, {1, 2}, {1, 1}},
      {{{"findings", {"missing-asset-tag"}}}, {1, 1}, {1, 2}, {0, 1}},
      {{{"findings", {"missing-asset-tag", "return-before-test", "missing-labor"}}}, {2, 3}, {1, 1}, {1, 1}},
      {{{"findings", json::array()}}, {0, 1}, {0, 1}, {0, 1}},
      {{{"findings", {"none"}}}, {0, 1}, {0, 1}, {0, 1}},
      {json::object(), {0, 1}, {0, 1}, {0, 1}},
  }));
  CAPTURE(response.dump());
  auto c = item.score(1, response);
  REQUIRE(c[0] == precision);
  REQUIRE(c[1] == recall);
  REQUIRE(c[2] == safety);
}

TEST_CASE("work-order gives full credit for finding nothing in a clean order", "[device-maintenance][work-order]") {
  auto item = WorkOrder::prepare({{"rules", all_rules()}, {"order", good_order()}});
  for (auto& c : item.score(1, {{"findings", json::array()}})) REQUIRE(c == Credit::full());
  for (auto& c : item.score(1, {{"findings", {"none"}}})) REQUIRE(c == Credit::full());
  auto c = item.score(1, {{"findings", {"missing-labor"}}});
  REQUIRE(c[0] == Credit::none());
  REQUIRE(c[1] == Credit::full());
  REQUIRE(c[2] == Credit::full());
}

TEST_CASE("work-order refuses bad params with the key path", "[device-maintenance][work-order][params]") {
  auto fixed = [](const std::string& field, json value) {
    json order = good_order();
    order[field] = std::move(value);
    return json{{"rules", {"missing-asset-tag"}}, {"order", order}};
  };
  json generated = WorkOrder::examples()[1].params;
  auto gen = [&](const std::string& pointer, json value) {
    json p = generated;
    p[json::json_pointer(pointer)] = std::move(value);
    return p;
  };
  json missing_field = fixed("asset_tag", "");
  missing_field["order"].erase("technician");
  auto [params, pointer, message] = GENERATE_REF(table<json, std::string, std::string>({
      {json{{"rules", {"missing-serial"}}, {"order", good_order()}}, "/rules/0",
       "expected one of 'missing-asset-tag', 'missing-technician', 'missing-safety-result', 'missing-performance-result', "
       "'returned-after-failed-test', 'missing-return-date', 'return-before-test', 'test-before-opened', 'missing-labor', "
       "'missing-work-done', found \"missing-serial\""},
      {json{{"rules", {"missing-labor", "missing-labor"}}, {"order", good_order()}}, "/rules/1",
       "duplicate rule \"missing-labor\""},
      {json{{"rules", json::array()}, {"order", good_order()}}, "/rules", "expected at least one rule"},
      {json{{"rules", {"missing-labor"}}}, "", "missing required key 'generate' (or 'order' for a fixed work order)"},
      {fixed("test_date", "2026-02-30"), "/order/test_date", "expected a date as YYYY-MM-DD, found \"2026-02-30\""},
      {fixed("electrical_safety", "ok"), "/order/electrical_safety", "expected one of '', 'pass', 'fail', found \"ok\""},
      {fixed("labor_hours", "-1"), "/order/labor_hours", "expected a non-negative number of hours, found \"-1\""},
      {fixed("labor_hours", 2), "/order/labor_hours", "expected a string, found an integer"},
      {missing_field, "/order", "missing required key 'technician'"},
      {gen("/generate/defects/max", 11), "/generate/defects/max", "expected at most 10 (the number of rules), found 11"},
      {gen("/generate/defects/max", -1), "/generate/defects/max", "expected max >= min (0), found -1"},
      {gen("/generate/to", "2026-01-04"), "/generate/to", "expected a date on or after from (2026-01-05), found \"2026-01-04\""},
      {gen("/generate/technicians", json::array()), "/generate/technicians", "expected at least one technician"},
  }));
  CAPTURE(params.dump());
  auto [got_pointer, got_message] = refusal<WorkOrder>(params);
  REQUIRE(got_pointer == pointer);
  REQUIRE(got_message == message);
}

TEST_CASE("work-order keys match the generated orders over many seeds", "[device-maintenance][work-order][property]") {
  device::testing::check_examples_and_seeds<WorkOrder>();
  auto ex = WorkOrder::examples()[1];
  auto item = WorkOrder::prepare(ex.params);
  auto options = item.present(1)["interactions"];
  std::map<std::string, int> seen;
  std::map<std::size_t, int> counts;
  for (std::uint64_t seed = 1; seed <= 500; ++seed) {
    CAPTURE(seed);
    auto shown = item.present(seed);
    // The options are the item's rules, the same whatever the order holds: they reveal nothing.
    REQUIRE(shown["interactions"] == options);
    // Rebuild the order from the table the candidate reads and key it independently of the item.
    auto rows = shown["material"][0]["rows"];
    REQUIRE(rows.size() == 12);
    json order = json::object();
    const char* keys[] = {
        "wo_number",  "asset_tag",         "device",      "kind",        "opened",   "test_date", "return_to_service",
        "technician", "electrical_safety", "performance", "labor_hours", "work_done"};
    for (std::size_t i = 0; i < 12; ++i) order[keys[i]] = rows[i][1];
    auto key = listed(item.solve(seed));
    REQUIRE(key == key_of(order, ex.params["rules"]));
    REQUIRE(key.size() <= 3);
    ++counts[key.size()];
    for (auto& id : key) ++seen[id];
  }
  CHECK(counts.size() == 4);                        // clean orders and orders with one to three problems
  CHECK(seen.size() == WorkOrder::rules().size());  // every rule turns up
}

TEST_CASE("work-order refuses \"none\" chosen beside problems, and problems not offered",
          "[device-maintenance][work-order][malformed]") {
  // "None: the order is complete" beside problems was scored as a wrong claim; it contradicts
  // the problems chosen with it, so the selection cannot be read.
  json order = good_order();
  order["asset_tag"] = "";
  auto item = WorkOrder::prepare({{"rules", {"missing-asset-tag", "missing-labor"}}, {"order", order}});
  REQUIRE(device::testing::malformed_message(item, 1, {{"findings", {"missing-asset-tag", "missing-labor", "none"}}}) ==
          "problems: \"None: the order is complete and consistent\" cannot be chosen with problems; choose either it or the "
          "problems you found");
  REQUIRE(device::testing::malformed_message(item, 1, {{"findings", {"missing-asset-tag", "missing-technician"}}}) ==
          "problems: \"missing-technician\" is not one of the options");
  REQUIRE(item.score(1, {{"findings", {"none"}}})[1] == Credit::none());  // "none" alone is an answer, here a wrong one
}
