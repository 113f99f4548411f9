#include "pm_planning.hpp"

#include <cctype>

#include <algorithm>
#include <set>

#include "material.hpp"

namespace device {

using assay::sdk::Credit;
using assay::sdk::Criterion;
using assay::sdk::Example;
using assay::sdk::json;
using assay::sdk::Params;
using assay::sdk::Rng;

namespace {

std::int64_t score_value(const Params& p) {
  auto v = p.integer();
  if (v < 0) p.fail("expected a non-negative integer, found " + std::to_string(v));
  return v;
}

std::string row_id(std::size_t i) { return "d" + std::to_string(i + 1); }

/// The interval answer for a device outside the programme: a dash, "none" or "n/a".
bool no_interval(const std::string& cell) {
  std::string s;
  for (char c : cell) {
    if (c != ' ') s += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  return s == "-" || s == "none" || s == "n/a" || s == "\xe2\x80\x93" || s == "\xe2\x80\x94";  // en and em dash too
}

/// The option for "no device is overdue", for renderers that cannot send an empty selection.
/// Alone it is the empty list; beside devices it contradicts them, and is malformed.
constexpr const char* kNone = "none";

const Options kDecisions = {{"include", "Include"}, {"exclude", "Do not include"}};

/// Months in an interval typed with a unit: months (month, mo), or years (year, yr) × 12.
std::optional<Decimal> months_per(const std::string& unit) {
  if (unit.empty() || assay::sdk::unit_factor(unit, "months") || unit == "mo" || unit == "mos") return Decimal(1);
  if (assay::sdk::unit_factor(unit, "years") || unit == "y" || unit == "yr" || unit == "yrs") return Decimal(12);
  return std::nullopt;
}

json span_schema() {
  return assay::sdk::object_schema({{"min", {{"type", "integer"}}}, {"max", {{"type", "integer"}}}}, {"min", "max"});
}

}  // namespace

json PmPlanning::schema() {
  json span = span_schema();
  json device = assay::sdk::object_schema({{"name", {{"type", "string"}}},
                                           {"function", {{"type", "integer"}}},
                                           {"risk", {{"type", "integer"}}},
                                           {"maintenance", {{"type", "integer"}}}},
                                          {"name", "function", "risk", "maintenance"});
  json order = assay::sdk::object_schema({{"wo", {{"type", "string"}}},
                                          {"device", {{"type", "string"}}},
                                          {"kind", {{"enum", {"pm", "repair"}}}},
                                          {"completed", {{"type", "string"}, {"description", "YYYY-MM-DD"}}}},
                                         {"wo", "device", "kind", "completed"});
  json band = assay::sdk::object_schema({{"from", {{"type", "integer"}}}, {"months", {{"type", "integer"}, {"minimum", 1}}}},
                                        {"from", "months"});
  // The inventory and its history can be drawn from the item seed.
  return assay::sdk::generated_material(assay::sdk::object_schema(
      {{"policy",
        {{"type", "string"},
         {"description", "the scoring policy the candidate reads (method, threshold, interval bands, high-risk level)"}}},
       {"devices", {{"type", "array"}, {"items", device}, {"description", "a fixed inventory"}}},
       {"generate",
        assay::sdk::object_schema(
            {{"names", {{"type", "array"}, {"items", {{"type", "string"}}}}},
             {"table",
              {{"type", "array"},
               {"items", device},
               {"description",
                "the hospital's score table per device type, which the inventory is drawn from: a named device always "
                "carries its type's scores (instead of names with random scores)"}}},
             {"count", {{"type", "integer"}, {"minimum", 1}}},
             {"function", span},
             {"risk", span},
             {"maintenance", span},
             {"history", assay::sdk::object_schema({{"orders", span}, {"days_back", span}}, {"orders", "days_back"})}},
            {"count"})},
       {"threshold", assay::sdk::secret({{"type", "integer"}, {"description", "include when EM >= threshold"}})},
       {"intervals", assay::sdk::secret(assay::sdk::object_schema(
                         {{"bands", {{"type", "array"}, {"items", band}, {"description", "ascending 'from'"}}},
                          {"source", {{"type", "string"}, {"description", "where the interval rule comes from"}}}},
                         {"bands", "source"}))},
       {"high_risk",
        assay::sdk::secret({{"type", "integer"}, {"description", "an included device with EM >= high_risk is high-risk"}})},
       {"as_of", {{"type", "string"}, {"description", "the date (YYYY-MM-DD) the overdue list is made on"}}},
       {"history", {{"type", "array"}, {"items", order}, {"description", "a fixed work-order history"}}}},
      {"policy", "threshold"}));
}

std::vector<Criterion> PmPlanning::criteria() {
  return {{"scores", "the EM score of each device (fraction right)", false},
          {"inclusion", "the inclusion decision for each device (fraction right)", false},
          {"intervals", "the maintenance interval of each device, - for devices left out (fraction right; full when not asked)",
           false},
          {"overdue",
           "the overdue high-risk devices: devices both listed and overdue, out of devices listed or overdue (full when not "
           "asked)",
           false},
          {"none-left-out",
           "no device the policy includes is decided 'do not include' (a safety criterion: including a device the policy "
           "leaves out keeps it)",
           false, true}};
}

bool PmPlanning::is_life_support(const std::string& name) {
  // Equipment whose failure can kill the patient it supports; accreditation surveys treat it as
  // high-risk, always maintained on schedule.
  std::string n;
  for (char ch : name) n += static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
  auto word = [&](const std::string& w) {
    for (auto at = n.find(w); at != std::string::npos; at = n.find(w, at + 1)) {
      bool starts = at == 0 || !std::isalpha(static_cast<unsigned char>(n[at - 1]));
      bool ends = at + w.size() == n.size() || !std::isalpha(static_cast<unsigned char>(n[at + w.size()]));
      if (starts && ends) return true;
    }
    return false;
  };
  for (const char* w : {"ventilator", "defibrillator", "aed", "anaesthesia machine", "anesthesia machine", "infusion pump",
                        "heart-lung machine", "balloon pump", "ecmo"})
    if (word(w)) return true;
  return false;
}

PmPlanning PmPlanning::prepare(const json& params) {
  Params p(params);
  static const std::set<std::string> kKeys = {"policy",    "devices",   "generate", "threshold",
                                              "intervals", "high_risk", "as_of",    "history"};
  for (auto& [key, value] : p.members()) {
    if (!kKeys.count(key)) value.fail("unknown key '" + key + "'");
  }
  PmPlanning pm;
  pm.policy_ = p.at("policy").str();
  pm.threshold_ = score_value(p.at("threshold"));
  auto devices = p.find("devices"), generate = p.find("generate");
  if (!devices && !generate) p.fail("missing required key 'generate' (or 'devices' for a fixed inventory)");
  if (devices && generate) devices->fail("give either 'generate' or 'devices', not both");

  if (auto intervals = p.find("intervals")) {
    for (auto& [key, value] : intervals->members()) {
      if (key != "bands" && key != "source") value.fail("unknown key '" + key + "'");
    }
    pm.interval_source_ = intervals->at("source").str();
    if (pm.interval_source_.empty()) intervals->at("source").fail("expected the source of the interval rule, found \"\"");
    auto bands = intervals->at("bands");
    if (bands.items().empty()) bands.fail("expected at least one band");
    for (auto& b : bands.items()) {
      for (auto& [key, value] : b.members()) {
        if (key != "from" && key != "months") value.fail("unknown key '" + key + "'");
      }
      Band band{score_value(b.at("from")), b.at("months").integer()};
      if (band.months < 1) b.at("months").fail("expected at least 1, found " + std::to_string(band.months));
      if (pm.bands_.empty() && band.from > pm.threshold_) {
        b.at("from").fail("expected at most the threshold (" + std::to_string(pm.threshold_) + "), found " +
                          std::to_string(band.from));
      }
      if (!pm.bands_.empty() && band.from <= pm.bands_.back().from) {
        b.at("from").fail("expected more than the previous band's from (" + std::to_string(pm.bands_.back().from) + "), found " +
                          std::to_string(band.from));
      }
      pm.bands_.push_back(band);
    }
  }
  auto as_of = p.find("as_of"), high_risk = p.find("high_risk");
  if (as_of && !high_risk) p.fail("missing required key 'high_risk' (the overdue list names high-risk devices)");
  if (high_risk && !as_of) p.fail("missing required key 'as_of' (the date of the overdue list)");
  if (as_of && pm.bands_.empty()) p.fail("missing required key 'intervals' (a device's interval sets its due date)");
  if (as_of) {
    pm.as_of_ = read_date(*as_of);
    pm.high_risk_ = score_value(*high_risk);
    if (pm.high_risk_ < pm.threshold_) {
      high_risk->fail("expected at least the threshold (" + std::to_string(pm.threshold_) + "), found " +
                      std::to_string(pm.high_risk_));
    }
  }

  auto history = p.find("history");
  if (history && !as_of) history->fail("a work-order history needs 'as_of'");
  if (history && !devices) history->fail("a fixed history needs a fixed inventory ('devices')");

  std::set<std::string> names;
  if (devices) {
    if (devices->items().empty()) devices->fail("expected at least one device");
    for (auto& d : devices->items()) {
      for (auto& [key, value] : d.members()) {
        if (key != "name" && key != "function" && key != "risk" && key != "maintenance") value.fail("unknown key '" + key + "'");
      }
      Device dev;
      dev.name = d.at("name").str();
      if (!names.insert(dev.name).second) d.at("name").fail("duplicate device name \"" + dev.name + "\"");
      dev.function = score_value(d.at("function"));
      dev.risk = score_value(d.at("risk"));
      dev.maintenance = score_value(d.at("maintenance"));
      pm.fixed_.push_back(dev);
    }
    if (as_of && !history) p.fail("missing required key 'history' (the work-order history the overdue list is read from)");
    if (history) {
      for (auto& o : history->items()) {
        for (auto& [key, value] : o.members()) {
          if (key != "wo" && key != "device" && key != "kind" && key != "completed") value.fail("unknown key '" + key + "'");
        }
        Order order;
        order.wo = o.at("wo").str();
        order.device = o.at("device").str();
        if (!names.count(order.device)) {
          o.at("device").fail("expected one of the inventory's device names, found \"" + order.device + "\"");
        }
        order.pm = o.at("kind").one_of({"pm", "repair"}) == "pm";
        order.completed = read_date(o.at("completed"));
        if (order.completed > *pm.as_of_) {
          o.at("completed")
              .fail("expected a date on or before as_of (" + to_string(*pm.as_of_) + "), found \"" + o.at("completed").str() +
                    "\"");
        }
        pm.fixed_history_.push_back(order);
      }
    }
  } else {
    auto g = *generate;
    for (auto& [key, value] : g.members()) {
      if (key != "names" && key != "table" && key != "count" && key != "function" && key != "risk" && key != "maintenance" &&
          key != "history")
        value.fail("unknown key '" + key + "'");
    }
    std::size_t available = 0;
    if (auto table = g.find("table")) {
      // Scores per device type from the hospital's table: a named device never gets a random
      // score (issue 16: an AED scored below the threshold taught that it may be left out).
      for (auto k : {"names", "function", "risk", "maintenance"})
        if (g.has(k)) g.at(k).fail(std::string("'") + k + "' draws random scores; with a 'table' the scores come from it");
      if (table->items().empty()) table->fail("expected at least one device type");
      for (auto& d : table->items()) {
        for (auto& [key, value] : d.members()) {
          if (key != "name" && key != "function" && key != "risk" && key != "maintenance")
            value.fail("unknown key '" + key + "'");
        }
        Device dev;
        dev.name = d.at("name").str();
        if (!names.insert(dev.name).second) d.at("name").fail("duplicate device name \"" + dev.name + "\"");
        dev.function = score_value(d.at("function"));
        dev.risk = score_value(d.at("risk"));
        dev.maintenance = score_value(d.at("maintenance"));
        if (is_life_support(dev.name) && dev.function + dev.risk + dev.maintenance < pm.threshold_)
          d.fail("\"" + dev.name +
                 "\" is life-support equipment, which is always in the scheduled maintenance programme, "
                 "but its scores add up to " +
                 std::to_string(dev.function + dev.risk + dev.maintenance) + ", below the threshold of " +
                 std::to_string(pm.threshold_));
        pm.table_.push_back(dev);
      }
      available = pm.table_.size();
    } else {
      pm.names_ = g.at("names").strings();
      for (std::size_t i = 0; i < pm.names_.size(); ++i) {
        if (!names.insert(pm.names_[i]).second) g.at("names").at(i).fail("duplicate device name \"" + pm.names_[i] + "\"");
        // A random score could put it below the threshold and teach that it may be left out.
        if (is_life_support(pm.names_[i]))
          g.at("names").at(i).fail("\"" + pm.names_[i] +
                                   "\" is life-support equipment and must not get random scores; give its scores in 'table'");
      }
      available = pm.names_.size();
    }
    auto count = g.at("count").integer();
    if (count < 1) g.at("count").fail("expected at least 1, found " + std::to_string(count));
    if (static_cast<std::size_t>(count) > available) {
      g.at("count").fail("expected at most " + std::to_string(available) + " (the number of " +
                         (pm.table_.empty() ? "names" : "device types") + "), found " + std::to_string(count));
    }
    pm.count_ = static_cast<std::size_t>(count);
    auto span = [](const Params& s) {
      Span out{score_value(s.at("min")), score_value(s.at("max"))};
      if (out.min > out.max)
        s.at("max").fail("expected max >= min (" + std::to_string(out.min) + "), found " + std::to_string(out.max));
      return out;
    };
    if (pm.table_.empty()) {
      pm.function_ = span(g.at("function"));
      pm.risk_ = span(g.at("risk"));
      pm.maintenance_ = span(g.at("maintenance"));
    }
    auto gh = g.find("history");
    if (gh && !as_of) gh->fail("a work-order history needs 'as_of'");
    if (as_of && !gh) g.fail("missing required key 'history' (the work-order history the overdue list is read from)");
    if (gh) {
      for (auto& [key, value] : gh->members()) {
        if (key != "orders" && key != "days_back") value.fail("unknown key '" + key + "'");
      }
      pm.orders_ = span(gh->at("orders"));
      pm.days_back_ = span(gh->at("days_back"));
    }
  }
  return pm;
}

PmPlanning::Plan PmPlanning::plan(std::uint64_t seed) const {
  Plan out{fixed_, fixed_history_};
  Rng rng(seed);
  bool generated = out.devices.empty();
  if (generated && !table_.empty()) {
    auto table = table_;
    rng.shuffle(table);
    out.devices.assign(table.begin(), table.begin() + static_cast<std::ptrdiff_t>(count_));
  } else if (generated) {
    auto names = names_;
    rng.shuffle(names);
    for (std::size_t i = 0; i < count_; ++i) {
      Device d;
      d.name = names[i];
      d.function = rng.between(function_.min, function_.max);
      d.risk = rng.between(risk_.min, risk_.max);
      d.maintenance = rng.between(maintenance_.min, maintenance_.max);
      out.devices.push_back(d);
    }
  }
  {
    if (generated && as_of_) {
      // Drawn after the inventory and from nothing secret, so the history never depends on the key.
      struct Drawn {
        Order order;
        std::size_t device;
      };
      std::vector<Drawn> drawn;
      for (std::size_t i = 0; i < out.devices.size(); ++i) {
        auto n = rng.between(orders_.min, orders_.max);
        for (std::int64_t k = 0; k < n; ++k) {
          Order o;
          o.device = out.devices[i].name;
          o.pm = rng.chance(3, 4);
          o.completed = add_days(*as_of_, -rng.between(days_back_.min, days_back_.max));
          drawn.push_back({o, i});
        }
      }
      std::stable_sort(drawn.begin(), drawn.end(), [](const Drawn& a, const Drawn& b) {
        return a.order.completed < b.order.completed || (a.order.completed == b.order.completed && a.device < b.device);
      });
      for (std::size_t i = 0; i < drawn.size(); ++i) {
        drawn[i].order.wo = "WO-" + std::to_string(24001 + i);
        out.history.push_back(drawn[i].order);
      }
    }
  }
  for (auto& d : out.devices) {
    d.em = d.function + d.risk + d.maintenance;
    d.include = d.em >= threshold_;  // the threshold is inclusive: EM equal to it is included
    if (d.include) {
      for (auto& b : bands_) {
        if (d.em >= b.from) d.months = b.months;  // bands ascend: the highest band reached wins
      }
    }
    if (!as_of_) continue;
    d.high_risk = d.include && d.em >= high_risk_;
    for (auto& o : out.history) {
      if (o.pm && o.device == d.name && (!d.last_pm || *d.last_pm < o.completed)) d.last_pm = o.completed;
    }
    if (d.last_pm && d.include) d.due = add_months(*d.last_pm, d.months);
    // Due on the day itself is not overdue: only a date after the due date is.
    d.overdue = d.high_risk && (!d.last_pm || *as_of_ > *d.due);
  }
  return out;
}

json PmPlanning::present(std::uint64_t seed) const {
  auto pl = plan(seed);
  auto& inv = pl.devices;
  std::string prompt = "Score each device with the policy below and decide whether it enters the scheduled maintenance programme";
  if (asks_intervals()) prompt += ", and at what interval";
  prompt += ".";
  if (asks_overdue()) prompt += " Then list the high-risk devices that are overdue for scheduled maintenance.";
  json p = presentation(prompt);
  p["material"].push_back(text_material(policy_));
  std::vector<std::vector<std::string>> rows;
  for (auto& d : inv) rows.push_back({d.name, std::to_string(d.function), std::to_string(d.risk), std::to_string(d.maintenance)});
  p["material"].push_back(table_material({"Device", "Function", "Physical risk", "Maintenance requirement"}, rows));
  if (asks_overdue()) {
    p["material"].push_back(text_material(
        "Work-order history on " + to_string(*as_of_) +
        ". A device's next scheduled maintenance is due its interval in months after its latest completed PM (a day past "
        "the end of the month falls on the month's last day); it is overdue when " +
        to_string(*as_of_) +
        " is after that due date. A high-risk device with no completed PM on record is overdue. Repairs do not count as PM."));
    std::vector<std::vector<std::string>> orders;
    for (auto& o : pl.history) orders.push_back({o.wo, o.device, o.pm ? "PM" : "Repair", to_string(o.completed)});
    p["material"].push_back(table_material({"Work order", "Device", "Type", "Completed"}, orders));
  }
  json tbl_rows = json::array();
  for (std::size_t i = 0; i < inv.size(); ++i) tbl_rows.push_back({{"id", row_id(i)}, {"label", inv[i].name}});
  json yes_no = json::array({{{"id", "include"}, {"text", "Include"}}, {{"id", "exclude"}, {"text", "Do not include"}}});
  json columns = json::array({{{"id", "em"}, {"label", "EM"}}, {{"id", "decision"}, {"label", "Decision"}, {"options", yes_no}}});
  if (asks_intervals()) columns.push_back({{"id", "interval"}, {"label", "Interval (months; '-' if not included)"}});
  p["interactions"].push_back(
      {{"id", "devices"},
       {"type", "table"},
       {"prompt", asks_intervals() ? "EM score, decision and interval for each device" : "EM score and decision for each device"},
       {"rows", tbl_rows},
       {"columns", columns}});
  if (asks_overdue()) {
    std::vector<std::pair<std::string, std::string>> options;
    for (std::size_t i = 0; i < inv.size(); ++i) options.emplace_back(row_id(i), inv[i].name);
    options.emplace_back(kNone, "None is overdue");
    json c = choice("overdue", "Which high-risk devices are overdue on " + to_string(*as_of_) + "? (none, one or several)",
                    options, true);
    p["interactions"].push_back(c);
  }
  return p;
}

PmPlanning::Answer PmPlanning::read(const std::vector<Device>& inv, const json& response) const {
  Options rows;
  for (std::size_t i = 0; i < inv.size(); ++i) rows.emplace_back(row_id(i), inv[i].name);
  std::vector<Column> columns = {{"em", "EM", {}, "give the EM score as a number, such as 12"},
                                 {"decision", "Decision", kDecisions, ""}};
  if (asks_intervals()) {
    columns.push_back({"interval", "Interval", {}, "give the interval in months, or '-' if the device is not included"});
  }
  Answer a;
  if (auto t = table_answer(response, "devices", rows, columns)) {
    for (auto& [row, cells] : *t) {
      std::string problem;
      auto em = assay::sdk::read_number(cells["em"], &problem);
      if (!em) throw assay::sdk::ResponseError(cell_name(rows, row, columns[0]) + ": " + problem);
      a.em[row] = *em;
      a.decision[row] = cells["decision"];
      if (!asks_intervals()) continue;
      const auto& text = cells["interval"];
      auto where = cell_name(rows, row, columns[2]);
      if (no_interval(text)) {
        a.interval[row] = std::nullopt;
        continue;
      }
      auto q = assay::sdk::read_quantity(text, &problem);
      if (!q) throw assay::sdk::ResponseError(where + ": " + problem + "; or '-' if the device is not included");
      auto factor = months_per(q->unit);
      if (!factor) {
        throw assay::sdk::ResponseError(where + ": the unit \"" + q->unit + "\" is not months; give the interval in months");
      }
      a.interval[row] = q->value * *factor;
    }
  }
  if (asks_overdue() && response.contains("overdue") && !response["overdue"].is_null()) {
    Options options = rows;
    options.emplace_back(kNone, "None is overdue");
    auto chosen = multiple_choice(response, "overdue", options, "overdue devices");
    if (chosen.count(kNone) && chosen.size() > 1) {
      throw assay::sdk::ResponseError(
          "overdue devices: \"None is overdue\" cannot be chosen with devices; choose either it or the overdue devices");
    }
    chosen.erase(kNone);
    a.overdue = chosen;
  }
  return a;
}

std::vector<Credit> PmPlanning::score(std::uint64_t seed, const json& response) const {
  auto inv = plan(seed).devices;
  auto a = read(inv, response);
  std::uint64_t scores = 0, decisions = 0, intervals = 0;
  bool left_out = false;  // the unsafe error: a device the policy includes decided out of the programme
  for (std::size_t i = 0; i < inv.size(); ++i) {
    auto row = row_id(i);
    if (inv[i].include && a.decision.count(row) && a.decision[row] == "exclude") left_out = true;
    if (a.em.count(row) && a.em[row] == Decimal(inv[i].em)) ++scores;
    if (a.decision[row] == (inv[i].include ? "include" : "exclude")) ++decisions;
    auto interval = a.interval.find(row);
    if (interval == a.interval.end()) continue;
    if (inv[i].include ? interval->second == Decimal(inv[i].months) : !interval->second) ++intervals;
  }
  Credit interval_credit = asks_intervals() ? Credit::fraction(intervals, inv.size()) : Credit::full();
  Credit overdue_credit = Credit::full();
  if (asks_overdue() && !a.overdue) {
    overdue_credit = Credit::none();  // unanswered; an empty list is an answer ("none overdue")
  } else if (asks_overdue()) {
    const auto& chosen = *a.overdue;
    std::set<std::string> key, all = chosen;
    for (std::size_t i = 0; i < inv.size(); ++i) {
      if (inv[i].overdue) key.insert(row_id(i));
    }
    all.insert(key.begin(), key.end());
    std::uint64_t both = 0;
    for (auto& id : chosen) both += key.count(id);
    overdue_credit = all.empty() ? Credit::full() : Credit::fraction(both, all.size());
  }
  return {Credit::fraction(scores, inv.size()), Credit::fraction(decisions, inv.size()), interval_credit, overdue_credit,
          Credit::of(!left_out)};
}

json PmPlanning::solve(std::uint64_t seed) const {
  auto inv = plan(seed).devices;
  json rows = json::object();
  json overdue = json::array();
  for (std::size_t i = 0; i < inv.size(); ++i) {
    rows[row_id(i)] = {{"em", std::to_string(inv[i].em)}, {"decision", inv[i].include ? "include" : "exclude"}};
    if (asks_intervals()) rows[row_id(i)]["interval"] = inv[i].include ? std::to_string(inv[i].months) : "-";
    if (inv[i].overdue) overdue.push_back(row_id(i));
  }
  json out = {{"devices", rows}};
  if (asks_overdue()) out["overdue"] = overdue.empty() ? json::array({kNone}) : overdue;
  return out;
}

std::string PmPlanning::feedback(std::uint64_t seed, const json& response) const {
  auto inv = plan(seed).devices;
  auto a = read(inv, response);
  auto chosen = a.overdue.value_or(std::set<std::string>{});
  std::string out;
  for (std::size_t i = 0; i < inv.size(); ++i) {
    auto& d = inv[i];
    out += d.name + ": " + std::to_string(d.function) + " + " + std::to_string(d.risk) + " + " + std::to_string(d.maintenance) +
           " = " + std::to_string(d.em) + (d.include ? ", at or above " : ", below ") + "the threshold of " +
           std::to_string(threshold_) + (d.include ? ", so it is included" : ", so it is not included");
    auto decision = a.decision.find(row_id(i));
    out += decision == a.decision.end()                              ? "; you gave no decision"
           : decision->second == (d.include ? "include" : "exclude") ? "; your decision is right"
           : d.include ? "; you left it out: the unsafe error, since it would get no scheduled maintenance"
                       : "; you included it: more maintenance than the policy asks (over-cautious, not unsafe)";
    auto em = a.em.find(row_id(i));
    if (em != a.em.end() && em->second != Decimal(d.em))
      out += "; your EM (" + em->second.to_string() + ") is not the sum of the three scores in the table";
    if (asks_intervals() && d.include) out += "; interval " + std::to_string(d.months) + " months";
    auto interval = a.interval.find(row_id(i));
    if (asks_intervals() && interval != a.interval.end()) {
      if (d.include && (!interval->second || *interval->second != Decimal(d.months)))
        out += " (yours: " + (interval->second ? interval->second->to_string() + " months" : std::string("none")) +
               "; the policy's interval comes from the highest EM band the device reaches)";
      else if (!d.include && interval->second)
        out += "; no interval, since a device left out of the programme has no scheduled PM";
    }
    if (asks_overdue() && d.high_risk) {
      out += "; high-risk, ";
      if (!d.last_pm) {
        out += "no completed PM on record, so overdue";
      } else {
        out += "last PM " + to_string(*d.last_pm) + ", due " + to_string(*d.due) + (d.overdue ? ", overdue" : ", not overdue");
      }
      out += chosen.count(row_id(i)) == d.overdue ? " (your list agrees)" : " (your list does not)";
    } else if (asks_overdue() && chosen.count(row_id(i))) {
      out += "; not high-risk, so it does not belong on the overdue list";
    }
    out += ".\n";
  }
  if (asks_intervals()) out += "Interval rule: " + interval_source_ + "\n";
  return out;
}

std::vector<Example> PmPlanning::examples() {
  const std::string policy = "Policy: EM = function + physical risk + maintenance requirement; include when EM is 12 or more.";
  // Hand-checked with threshold 12: 10+5+4 = 19 include; 5+3+4 = 12 include (at the threshold);
  // 4+3+4 = 11 exclude.
  Example fixed;
  fixed.name = "fixed inventory with a device exactly at the threshold";
  fixed.params = {{"policy", policy},
                  {"threshold", 12},
                  {"devices",
                   {{{"name", "Ventilator"}, {"function", 10}, {"risk", 5}, {"maintenance", 4}},
                    {{"name", "Infusion pump"}, {"function", 5}, {"risk", 3}, {"maintenance", 4}},
                    {{"name", "Exam light"}, {"function", 4}, {"risk", 3}, {"maintenance", 4}}}}};
  fixed.alt_secret = {{"threshold", 15}};
  fixed.responses = {{"right",
                      {{"devices",
                        {{"d1", {{"em", "19"}, {"decision", "include"}}},
                         {"d2", {{"em", "12"}, {"decision", "include"}}},
                         {"d3", {{"em", "11"}, {"decision", "exclude"}}}}}},
                      {Credit::full(), Credit::full(), Credit::full(), Credit::full(), Credit::full()}},
                     {"threshold taken as exclusive",
                      {{"devices",
                        {{"d1", {{"em", "19"}, {"decision", "include"}}},
                         {"d2", {{"em", "12"}, {"decision", "exclude"}}},
                         {"d3", {{"em", "11"}, {"decision", "exclude"}}}}}},
                      {Credit::full(), Credit{2, 3}, Credit::full(), Credit::full(), Credit::none()}},
                     {"everything included",
                      {{"devices",
                        {{"d1", {{"em", "19"}, {"decision", "include"}}},
                         {"d2", {{"em", "12"}, {"decision", "include"}}},
                         {"d3", {{"em", "11"}, {"decision", "include"}}}}}},
                      {Credit::full(), Credit{2, 3}, Credit::full(), Credit::full(), Credit::full()}}};
  fixed.malformed = {{"the EM written as its sum",
                      {{"devices",
                        {{"d1", {{"em", "10+5+4"}, {"decision", "include"}}},
                         {"d2", {{"em", "12"}, {"decision", "include"}}},
                         {"d3", {{"em", "11"}, {"decision", "exclude"}}}}}}},
                     {"a decision left empty",
                      {{"devices",
                        {{"d1", {{"em", "19"}, {"decision", "include"}}},
                         {"d2", {{"em", "12"}}},
                         {"d3", {{"em", "11"}, {"decision", "exclude"}}}}}}}};

  // Hand-checked schedule, as of 2026-03-01, bands 12 -> 12 months, 16 -> 6 months, high-risk
  // at 16: Ventilator EM 19, 6 months, last PM 2025-09-01 (the repair of 2025-12-10 does not
  // count), due 2026-03-01: due today, not overdue. Defibrillator EM 17, 6 months, last PM
  // 2025-08-31, due 2026-02-28: overdue. Anaesthesia machine EM 20, no PM on record: overdue.
  // Infusion pump EM 12, 12 months, not high-risk. Exam light EM 8, excluded.
  const std::string schedule_policy =
      "Policy: EM = function + physical risk + maintenance requirement; include when EM is 12 or more. Interval: 6 months "
      "from EM 16, otherwise 12 months. Devices with EM of 16 or more are high-risk.";
  json bands = {{"bands", {{{"from", 12}, {"months", 12}}, {{"from", 16}, {"months", 6}}}},
                {"source", "Department policy (EM bands after Fennigkoh & Smith, 1989)"}};
  Example schedule;
  schedule.name = "fixed inventory and history with a device due exactly on the date";
  schedule.params = {{"policy", schedule_policy},
                     {"threshold", 12},
                     {"intervals", bands},
                     {"high_risk", 16},
                     {"as_of", "2026-03-01"},
                     {"devices",
                      {{{"name", "Ventilator"}, {"function", 10}, {"risk", 5}, {"maintenance", 4}},
                       {{"name", "Defibrillator"}, {"function", 9}, {"risk", 5}, {"maintenance", 3}},
                       {{"name", "Anaesthesia machine"}, {"function", 10}, {"risk", 5}, {"maintenance", 5}},
                       {{"name", "Infusion pump"}, {"function", 5}, {"risk", 3}, {"maintenance", 4}},
                       {{"name", "Exam light"}, {"function", 2}, {"risk", 3}, {"maintenance", 3}}}},
                     {"history",
                      {{{"wo", "WO-1001"}, {"device", "Ventilator"}, {"kind", "pm"}, {"completed", "2025-09-01"}},
                       {{"wo", "WO-1002"}, {"device", "Defibrillator"}, {"kind", "pm"}, {"completed", "2025-08-31"}},
                       {{"wo", "WO-1003"}, {"device", "Ventilator"}, {"kind", "repair"}, {"completed", "2025-12-10"}},
                       {{"wo", "WO-1004"}, {"device", "Anaesthesia machine"}, {"kind", "repair"}, {"completed", "2026-01-05"}},
                       {{"wo", "WO-1005"}, {"device", "Infusion pump"}, {"kind", "pm"}, {"completed", "2024-12-01"}}}}};
  schedule.alt_secret = {{"threshold", 10},
                         {"high_risk", 12},
                         {"intervals", {{"bands", {{{"from", 8}, {"months", 3}}}}, {"source", "alternative"}}}};
  json right_rows = {{"d1", {{"em", "19"}, {"decision", "include"}, {"interval", "6"}}},
                     {"d2", {{"em", "17"}, {"decision", "include"}, {"interval", "6"}}},
                     {"d3", {{"em", "20"}, {"decision", "include"}, {"interval", "6"}}},
                     {"d4", {{"em", "12"}, {"decision", "include"}, {"interval", "12"}}},
                     {"d5", {{"em", "8"}, {"decision", "exclude"}, {"interval", "-"}}}};
  json other_forms = right_rows;  // the same answers as a person may type them
  other_forms["d1"]["interval"] = "6 months";
  other_forms["d2"]["interval"] = "0.5 years";
  other_forms["d4"]["interval"] = "12 mo";
  other_forms["d5"]["interval"] = "n/a";
  other_forms["d3"]["decision"] = "Include";
  json due_day_overdue = right_rows;
  due_day_overdue["d4"]["interval"] = "6";
  schedule.responses = {{"right",
                         {{"devices", right_rows}, {"overdue", {"d2", "d3"}}},
                         {Credit::full(), Credit::full(), Credit::full(), Credit::full(), Credit::full()}},
                        {"due date counted as overdue, pump at 6 months",
                         {{"devices", due_day_overdue}, {"overdue", {"d1", "d2", "d3"}}},
                         {Credit::full(), Credit::full(), Credit{4, 5}, Credit{2, 3}, Credit::full()}},
                        {"repair taken as PM, anaesthesia machine missed",
                         {{"devices", right_rows}, {"overdue", {"d2"}}},
                         {Credit::full(), Credit::full(), Credit::full(), Credit{1, 2}, Credit::full()}},
                        {"intervals in other forms",
                         {{"devices", other_forms}, {"overdue", {"d2", "d3"}}},
                         {Credit::full(), Credit::full(), Credit::full(), Credit::full(), Credit::full()}}};
  json blank_interval = right_rows;
  blank_interval["d5"]["interval"] = "";
  json in_weeks = right_rows;
  in_weeks["d1"]["interval"] = "26 weeks";
  schedule.malformed = {{"a blank interval cell", {{"devices", blank_interval}, {"overdue", {"d2", "d3"}}}},
                        {"an interval in weeks", {{"devices", in_weeks}, {"overdue", {"d2", "d3"}}}},
                        {"none overdue beside two devices", {{"devices", right_rows}, {"overdue", {"d2", "d3", "none"}}}}};

  Example generated;
  generated.name = "generated inventory and history";
  generated.params = {{"policy", schedule_policy},
                      {"threshold", 12},
                      {"intervals", bands},
                      {"high_risk", 16},
                      {"as_of", "2026-03-01"},
                      {"generate",
                       {{"names", {"Suction unit", "Patient monitor", "Blood warmer", "Otoscope", "Exam light", "Scale"}},
                        {"count", 4},
                        {"function", {{"min", 2}, {"max", 10}}},
                        {"risk", {{"min", 1}, {"max", 5}}},
                        {"maintenance", {{"min", 1}, {"max", 5}}},
                        {"history", {{"orders", {{"min", 0}, {"max", 3}}}, {"days_back", {{"min", 10}, {"max", 400}}}}}}}};
  generated.alt_secret = {
      {"threshold", 9}, {"high_risk", 9}, {"intervals", {{"bands", {{{"from", 9}, {"months", 24}}}}, {"source", "alternative"}}}};
  generated.seed = 5;
  generated.responses = {
      {"nothing answered", json::object(), {Credit::none(), Credit::none(), Credit::none(), Credit::none(), Credit::full()}}};
  return {fixed, schedule, generated};
}

}  // namespace device
