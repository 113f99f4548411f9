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
  auto ex = PmPlanning::examples()[2];
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

// ---- intervals and the overdue list ------------------------------------------------------------

static json bands_12_16_19() {
  return {{"bands", {{{"from", 12}, {"months", 12}}, {{"from", 16}, {"months", 6}}, {{"from", 19}, {"months", 3}}}},
          {"source", "test rule"}};
}

TEST_CASE("pm-planning takes the interval from the highest EM band reached", "[device-maintenance][pm-planning][intervals]") {
  // Bands (the item's): EM 12-15 -> 12 months, 16-18 -> 6 months, 19 and above -> 3 months; below
  // the inclusion threshold of 12 a device has no interval.
  auto [em, months] = GENERATE(table<int, int>({
      {11, 0},   // just below the first band (and the threshold)
      {12, 12},  // at the first band
      {13, 12},  // just above
      {15, 12},  // just below the second band
      {16, 6},   // at it
      {17, 6},   // just above
      {18, 6},   // just below the third band
      {19, 3},   // at it
      {20, 3},   // just above
  }));
  CAPTURE(em);
  json params = policy(12, {{{"name", "Device"}, {"function", em - 2}, {"risk", 1}, {"maintenance", 1}}});
  params["intervals"] = bands_12_16_19();
  auto d = PmPlanning::prepare(params).inventory(1)[0];
  REQUIRE(d.em == em);
  REQUIRE(d.include == (em >= 12));
  REQUIRE(d.months == months);
}

TEST_CASE("pm-planning scores each interval, '-' for a device left out", "[device-maintenance][pm-planning][intervals]") {
  json params = policy(12, {{{"name", "Ventilator"}, {"function", 10}, {"risk", 5}, {"maintenance", 4}},  // 19: 3 months
                            {{"name", "Scale"}, {"function", 2}, {"risk", 1}, {"maintenance", 1}}});      // 4: left out
  params["intervals"] = bands_12_16_19();
  auto item = PmPlanning::prepare(params);
  auto [ventilator, scale, credit] = GENERATE(table<std::string, std::string, Credit>({
      {"3", "-", {1, 1}},
      {"3 months", "none", {1, 1}},
      {"6", "-", {1, 2}},
      {"3", "12", {1, 2}},  // an interval for a device outside the programme is wrong
      {"3 mo", "n/a", {1, 1}},
      {"0.25 years", "-", {1, 1}},
  }));
  CAPTURE(ventilator, scale);
  json response = {{"devices",
                    {{"d1", {{"em", "19"}, {"decision", "include"}, {"interval", ventilator}}},
                     {"d2", {{"em", "4"}, {"decision", "exclude"}, {"interval", scale}}}}}};
  REQUIRE(item.score(1, response)[2] == credit);
}

TEST_CASE("dates add calendar months, clamping to the month's last day", "[device-maintenance][pm-planning][dates]") {
  auto [from, months, to] = GENERATE(table<std::string, int, std::string>({
      {"2025-01-31", 1, "2025-02-28"},
      {"2023-08-31", 6, "2024-02-29"},  // 2024 is a leap year
      {"2025-08-31", 6, "2026-02-28"},
      {"2025-12-15", 2, "2026-02-15"},
      {"2025-03-01", 12, "2026-03-01"},
      {"2024-02-29", 12, "2025-02-28"},
  }));
  CAPTURE(from, months);
  REQUIRE(device::to_string(device::add_months(*device::parse_date(from), months)) == to);
}

TEST_CASE("dates refuse what is not a calendar date", "[device-maintenance][pm-planning][dates]") {
  auto text = GENERATE(as<std::string>{}, "2025-02-29", "2025-13-01", "2025-04-31", "2025-1-01", "2025/01/01", "");
  CAPTURE(text);
  REQUIRE_FALSE(device::parse_date(text).has_value());
  REQUIRE(device::parse_date("2024-02-29").has_value());
  REQUIRE(device::parse_date("2026-03-01")->days - device::parse_date("2026-02-28")->days == 1);
}

TEST_CASE("dates count days across month ends, leap days and year ends", "[device-maintenance][pm-planning][dates]") {
  auto [from, days, to] = GENERATE(table<std::string, int, std::string>({
      {"2024-02-28", 1, "2024-02-29"},  // a leap day
      {"2024-02-28", 2, "2024-03-01"},
      {"2023-02-28", 1, "2023-03-01"},  // no leap day
      {"1900-02-28", 1, "1900-03-01"},  // a century is not a leap year...
      {"2000-02-28", 1, "2000-02-29"},  // ...unless it divides by 400
      {"2025-04-30", 1, "2025-05-01"},
      {"2025-12-31", 1, "2026-01-01"},
      {"2024-03-01", -1, "2024-02-29"},
      {"1970-01-01", -1, "1969-12-31"},
      {"2024-01-01", 366, "2025-01-01"},
      {"9999-12-31", 1, "10000-01-01"},
  }));
  CAPTURE(from, days);
  REQUIRE(device::to_string(device::add_days(*device::parse_date(from), days)) == to);
  CHECK(device::parse_date("1970-01-01")->days == 0);
  CHECK_FALSE(device::parse_date("1900-02-29").has_value());
  CHECK(device::parse_date("2000-02-29").has_value());
}

TEST_CASE("dates add months far from today as they do near it", "[device-maintenance][pm-planning][dates]") {
  auto [from, months, to] = GENERATE(table<std::string, std::int64_t, std::string>({
      {"2025-01-31", 4801, "2425-02-28"},  // 400 years and a month
      {"2024-02-29", 4800, "2424-02-29"},
      {"0000-03-31", -1, "0000-02-29"},  // year 0 is a leap year
      {"2025-03-31", 12 * 40000 - 1, "42025-02-28"},
  }));
  CAPTURE(from, months);
  REQUIRE(device::to_string(device::add_months(*device::parse_date(from), months)) == to);
}

static json one_ventilator_as_of(const std::string& as_of, json history) {
  json params = policy(12, {{{"name", "Ventilator"}, {"function", 10}, {"risk", 5}, {"maintenance", 4}}});  // 19
  params["intervals"] = {{"bands", {{{"from", 12}, {"months", 6}}}}, {"source", "test rule"}};
  params["high_risk"] = 16;
  params["as_of"] = as_of;
  params["history"] = std::move(history);
  return params;
}

TEST_CASE("pm-planning counts a device overdue only after its due date", "[device-maintenance][pm-planning][overdue]") {
  // Last PM 2025-09-01, interval 6 months: due 2026-03-01.
  json history = {{{"wo", "WO-1"}, {"device", "Ventilator"}, {"kind", "pm"}, {"completed", "2025-09-01"}}};
  auto [as_of, overdue] = GENERATE(table<std::string, bool>({
      {"2026-02-28", false},  // the day before
      {"2026-03-01", false},  // exactly at the due date
      {"2026-03-02", true},   // the day after
  }));
  CAPTURE(as_of);
  auto d = PmPlanning::prepare(one_ventilator_as_of(as_of, history)).inventory(1)[0];
  REQUIRE(to_string(*d.due) == "2026-03-01");
  REQUIRE(d.overdue == overdue);
}

TEST_CASE("pm-planning reads the latest completed PM and ignores repairs", "[device-maintenance][pm-planning][overdue]") {
  SECTION("a later PM resets the due date") {
    json history = {{{"wo", "WO-1"}, {"device", "Ventilator"}, {"kind", "pm"}, {"completed", "2025-01-10"}},
                    {{"wo", "WO-2"}, {"device", "Ventilator"}, {"kind", "pm"}, {"completed", "2025-12-01"}}};
    auto d = PmPlanning::prepare(one_ventilator_as_of("2026-03-01", history)).inventory(1)[0];
    REQUIRE(to_string(*d.last_pm) == "2025-12-01");
    REQUIRE_FALSE(d.overdue);
  }
  SECTION("a later repair does not") {
    json history = {{{"wo", "WO-1"}, {"device", "Ventilator"}, {"kind", "pm"}, {"completed", "2025-01-10"}},
                    {{"wo", "WO-2"}, {"device", "Ventilator"}, {"kind", "repair"}, {"completed", "2025-12-01"}}};
    auto d = PmPlanning::prepare(one_ventilator_as_of("2026-03-01", history)).inventory(1)[0];
    REQUIRE(to_string(*d.last_pm) == "2025-01-10");
    REQUIRE(d.overdue);
  }
  SECTION("no PM on record at all is overdue") {
    json history = {{{"wo", "WO-2"}, {"device", "Ventilator"}, {"kind", "repair"}, {"completed", "2025-12-01"}}};
    auto d = PmPlanning::prepare(one_ventilator_as_of("2026-03-01", history)).inventory(1)[0];
    REQUIRE_FALSE(d.last_pm.has_value());
    REQUIRE(d.overdue);
  }
}

TEST_CASE("pm-planning lists only high-risk devices as overdue on a hand-checked history",
          "[device-maintenance][pm-planning][overdue]") {
  // The shipped example, checked by hand in its comment: the ventilator is due on the date itself,
  // the defibrillator was due on 2026-02-28 (2025-08-31 + 6 months), the anaesthesia machine has
  // only a repair on record, the infusion pump is past due but below the high-risk level.
  auto ex = PmPlanning::examples()[1];
  auto item = PmPlanning::prepare(ex.params);
  auto inv = item.inventory(1);
  std::vector<std::string> names, due;
  for (auto& d : inv) {
    if (d.overdue) names.push_back(d.name);
    due.push_back(d.due ? to_string(*d.due) : "");
  }
  REQUIRE(names == std::vector<std::string>{"Defibrillator", "Anaesthesia machine"});
  REQUIRE(due == std::vector<std::string>{"2026-03-01", "2026-02-28", "", "2025-12-01", ""});
  REQUIRE(item.solve(1)["overdue"] == json({"d2", "d3"}));
  REQUIRE(item.score(1, {{"overdue", json::array()}})[3] == Credit::none());  // 0 of 2
  REQUIRE(item.score(1, {{"overdue", {"d2", "d3", "d4"}}})[3] == Credit{2, 3});
}

TEST_CASE("pm-planning takes an empty overdue list as an answer and a missing one as none",
          "[device-maintenance][pm-planning][overdue]") {
  json history = {{{"wo", "WO-1"}, {"device", "Ventilator"}, {"kind", "pm"}, {"completed", "2025-09-01"}}};
  auto item = PmPlanning::prepare(one_ventilator_as_of("2026-03-01", history));  // due today: nothing overdue
  REQUIRE(item.score(1, {{"overdue", json::array()}})[3] == Credit::full());
  REQUIRE(item.score(1, {{"overdue", {"none"}}})[3] == Credit::full());  // the option for an empty list
  REQUIRE(item.solve(1)["overdue"] == json({"none"}));
  REQUIRE(item.score(1, {{"overdue", {"d1"}}})[3] == Credit::none());
  // "None is overdue" beside a device contradicts it: the list cannot be read (it scored 0 before).
  REQUIRE(device::testing::malformed_message(item, 1, {{"overdue", {"d1", "none"}}}) ==
          "overdue devices: \"None is overdue\" cannot be chosen with devices; choose either it or the overdue devices");
  REQUIRE(item.score(1, json::object())[3] == Credit::none());
  // The candidate says "none" with that option alone: the choice asks for at least one.
  json shown = item.present(1);
  const auto& overdue = shown["interactions"][1];
  REQUIRE(overdue["id"] == "overdue");
  REQUIRE(overdue["options"].back()["id"] == "none");
  REQUIRE_FALSE(overdue.contains("min"));
}

TEST_CASE("pm-planning refuses bad interval and history params with the key path", "[device-maintenance][pm-planning][params]") {
  json good = PmPlanning::examples()[1].params;
  auto with = [&](const std::string& pointer, json value) {
    json p = good;
    p[json::json_pointer(pointer)] = std::move(value);
    return p;
  };
  auto without = [&](const std::string& key) {
    json p = good;
    p.erase(key);
    return p;
  };
  auto [params, pointer, message] = GENERATE_REF(table<json, std::string, std::string>({
      {with("/intervals/bands/0/months", 0), "/intervals/bands/0/months", "expected at least 1, found 0"},
      {with("/intervals/bands/0/from", 13), "/intervals/bands/0/from", "expected at most the threshold (12), found 13"},
      {with("/intervals/bands/1/from", 12), "/intervals/bands/1/from",
       "expected more than the previous band's from (12), found 12"},
      {with("/intervals/source", ""), "/intervals/source", "expected the source of the interval rule, found \"\""},
      {with("/high_risk", 11), "/high_risk", "expected at least the threshold (12), found 11"},
      {with("/as_of", "2026-02-30"), "/as_of", "expected a date as YYYY-MM-DD, found \"2026-02-30\""},
      {with("/history/1/device", "Defib"), "/history/1/device", "expected one of the inventory's device names, found \"Defib\""},
      {with("/history/0/kind", "inspection"), "/history/0/kind", "expected one of 'pm', 'repair', found \"inspection\""},
      {with("/history/0/completed", "2026-03-02"), "/history/0/completed",
       "expected a date on or before as_of (2026-03-01), found \"2026-03-02\""},
      {with("/devices/1/name", "Ventilator"), "/devices/1/name", "duplicate device name \"Ventilator\""},
      {without("high_risk"), "", "missing required key 'high_risk' (the overdue list names high-risk devices)"},
      {without("intervals"), "", "missing required key 'intervals' (a device's interval sets its due date)"},
      {without("history"), "", "missing required key 'history' (the work-order history the overdue list is read from)"},
  }));
  CAPTURE(params.dump());
  auto [got_pointer, got_message] = refusal<PmPlanning>(params);
  REQUIRE(got_pointer == pointer);
  REQUIRE(got_message == message);
}

TEST_CASE("pm-planning overdue keys match the generated history over many seeds", "[device-maintenance][pm-planning][property]") {
  // Recomputes the key from what the candidate sees: the inventory table, the history table and the
  // example's policy (threshold 12, 6 months from EM 16 else 12, high-risk from 16).
  auto ex = PmPlanning::examples()[2];
  auto item = PmPlanning::prepare(ex.params);
  std::size_t overdue_seen = 0, not_overdue_seen = 0;
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    CAPTURE(seed);
    auto shown = item.present(seed);
    auto text = shown.dump();
    REQUIRE(text.find("not confirmed from the paper") == std::string::npos);  // the secret rule's source
    auto devices = shown["material"][1]["rows"], history = shown["material"][3]["rows"];
    json expected = json::array();
    for (std::size_t i = 0; i < devices.size(); ++i) {
      auto name = devices[i][0].get<std::string>();
      int em = std::stoi(devices[i][1].get<std::string>()) + std::stoi(devices[i][2].get<std::string>()) +
               std::stoi(devices[i][3].get<std::string>());
      std::optional<device::Date> last;
      for (auto& row : history) {
        auto when = *device::parse_date(row[3].get<std::string>());
        if (row[1] == name && row[2] == "PM" && (!last || *last < when)) last = when;
      }
      bool overdue = em >= 16 && (!last || device::Date{device::parse_date("2026-03-01")->days} >
                                               device::add_months(*last, em >= 16 ? 6 : 12));
      if (overdue) expected.push_back("d" + std::to_string(i + 1));
      if (em >= 16) (overdue ? overdue_seen : not_overdue_seen)++;
    }
    REQUIRE(item.solve(seed)["overdue"] == (expected.empty() ? json({"none"}) : expected));
  }
  REQUIRE(overdue_seen > 0);  // the generator makes both cases
  REQUIRE(not_overdue_seen > 0);
}

TEST_CASE("pm-planning refuses a blank interval cell instead of costing it silently",
          "[device-maintenance][pm-planning][intervals][malformed]") {
  json params = policy(12, {{{"name", "Ventilator"}, {"function", 10}, {"risk", 5}, {"maintenance", 4}},  // 19: 3 months
                            {{"name", "Scale"}, {"function", 2}, {"risk", 1}, {"maintenance", 1}}});      // 4: left out
  params["intervals"] = bands_12_16_19();
  auto item = PmPlanning::prepare(params);
  auto response = [](const std::string& ventilator, const std::string& scale) {
    return json{{"devices",
                 {{"d1", {{"em", "19"}, {"decision", "include"}, {"interval", ventilator}}},
                  {"d2", {{"em", "4"}, {"decision", "exclude"}, {"interval", scale}}}}}};
  };
  auto [ventilator, scale, message] = GENERATE(table<std::string, std::string, std::string>({
      {"3", "", "cell Interval of Scale is empty: give the interval in months, or '-' if the device is not included"},
      {"", "-", "cell Interval of Ventilator is empty: give the interval in months, or '-' if the device is not included"},
      {"13 weeks", "-", "cell Interval of Ventilator: the unit \"weeks\" is not months; give the interval in months"},
      {"3,0", "-",
       "cell Interval of Ventilator: expected a decimal number such as 4.95 (a point for decimals, no thousands separators), "
       "found \"3,0\"; or '-' if the device is not included"},
  }));
  CAPTURE(ventilator, scale);
  REQUIRE(device::testing::malformed_message(item, 1, response(ventilator, scale)) == message);
  REQUIRE(item.score(1, json::object())[2] == Credit::none());  // an unanswered table is no answer
}

TEST_CASE("pm-planning never gives life-support equipment random scores or a score below the threshold",
          "[device-maintenance][pm-planning][params]") {
  // An AED scored 9, "below the threshold, not included", taught that it may be left out.
  for (const char* name :
       {"AED", "Biphasic defibrillator", "ICU ventilator", "Anaesthesia machine", "Volumetric infusion pump"}) {
    CAPTURE(name);
    CHECK(PmPlanning::is_life_support(name));
  }
  for (const char* name : {"Exam light", "Bedside scale", "Otoscope", "Paediatric scale", "Blood warmer"}) {
    CAPTURE(name);
    CHECK_FALSE(PmPlanning::is_life_support(name));
  }
  json random = {{"policy", "p"},
                 {"threshold", 12},
                 {"generate",
                  {{"names", {"Exam light", "AED"}},
                   {"count", 2},
                   {"function", {{"min", 2}, {"max", 10}}},
                   {"risk", {{"min", 1}, {"max", 5}}},
                   {"maintenance", {{"min", 1}, {"max", 5}}}}}};
  REQUIRE_THROWS_WITH(PmPlanning::prepare(random),
                      Catch::Contains("\"AED\" is life-support equipment and must not get random scores"));
  json low = {
      {"policy", "p"},
      {"threshold", 12},
      {"generate", {{"table", {{{"name", "Ventilator"}, {"function", 5}, {"risk", 3}, {"maintenance", 2}}}}, {"count", 1}}}};
  REQUIRE_THROWS_WITH(PmPlanning::prepare(low), Catch::Contains("below the threshold of 12"));
}
