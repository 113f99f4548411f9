#include "work_order.hpp"

#include <algorithm>
#include <utility>

#include "decimal_math.hpp"
#include "material.hpp"

namespace device {

using assay::sdk::Credit;
using assay::sdk::Criterion;
using assay::sdk::Decimal;
using assay::sdk::Example;
using assay::sdk::json;
using assay::sdk::Params;
using assay::sdk::Rng;

namespace {

/// The order's fields: param key, label shown, member of Fields.
struct FieldInfo {
  const char* key;
  const char* label;
  std::string WorkOrder::Fields::*member;
};

const std::vector<FieldInfo>& field_info() {
  using F = WorkOrder::Fields;
  static const std::vector<FieldInfo> kFields = {
      {"wo_number", "Work order", &F::wo_number},
      {"asset_tag", "Asset tag", &F::asset_tag},
      {"device", "Device", &F::device},
      {"kind", "Type of work", &F::kind},
      {"opened", "Opened", &F::opened},
      {"test_date", "Tested (performance and electrical safety)", &F::test_date},
      {"return_to_service", "Returned to service", &F::return_to_service},
      {"technician", "Technician", &F::technician},
      {"electrical_safety", "Electrical safety test result", &F::electrical_safety},
      {"performance", "Performance verification result", &F::performance},
      {"labor_hours", "Labour (hours)", &F::labor_hours},
      {"work_done", "Work done", &F::work_done},
  };
  return kFields;
}

bool blank(const std::string& s) { return s.find_first_not_of(' ') == std::string::npos; }

/// Both dates recorded and `a` strictly before `b`. Dates are checked in prepare (fixed orders)
/// or made by the generator, so an unparsable one never reaches here.
bool before(const std::string& a, const std::string& b) {
  auto da = parse_date(a), db = parse_date(b);
  return da && db && *da < *db;
}

bool holds(const std::string& id, const WorkOrder::Fields& f) {
  if (id == "missing-asset-tag") return blank(f.asset_tag);
  if (id == "missing-technician") return blank(f.technician);
  if (id == "missing-safety-result") return blank(f.electrical_safety);
  if (id == "missing-performance-result") return blank(f.performance);
  if (id == "returned-after-failed-test")
    return !blank(f.return_to_service) && (f.electrical_safety == "fail" || f.performance == "fail");
  if (id == "missing-return-date") return blank(f.return_to_service);
  if (id == "return-before-test") return before(f.return_to_service, f.test_date);
  if (id == "test-before-opened") return before(f.test_date, f.opened);
  if (id == "missing-labor") return blank(f.labor_hours);
  if (id == "missing-work-done") return blank(f.work_done);
  return false;
}

/// The option a candidate picks for an order with no problem; a renderer that cannot send an
/// empty selection still lets them say so. Alone it is the empty claim; beside problems it
/// contradicts them, and the selection is malformed.
constexpr const char* kNoProblem = "none";
constexpr const char* kNoProblemText = "None: the order is complete and consistent";

}  // namespace

std::set<std::string> WorkOrder::claims(const json& response) const {
  Options options;
  for (auto& r : rules()) {
    if (selected_.count(r.id)) options.emplace_back(r.id, r.text);
  }
  options.emplace_back(kNoProblem, kNoProblemText);
  auto out = multiple_choice(response, "findings", options, "problems");
  if (out.count(kNoProblem) && out.size() > 1) {
    throw assay::sdk::ResponseError(std::string("problems: \"") + kNoProblemText +
                                    "\" cannot be chosen with problems; choose either it or the problems you found");
  }
  out.erase(kNoProblem);
  return out;
}

namespace {

std::vector<std::string> rule_ids() {
  std::vector<std::string> out;
  for (auto& r : WorkOrder::rules()) out.emplace_back(r.id);
  return out;
}

}  // namespace

const std::vector<WorkOrder::Rule>& WorkOrder::rules() {
  static const std::vector<Rule> kRules = {
      {"missing-asset-tag", "The asset tag is missing", false},
      {"missing-technician", "The technician is not recorded", false},
      {"missing-safety-result", "No electrical safety test result is recorded", true},
      {"missing-performance-result", "No performance verification result is recorded", true},
      {"returned-after-failed-test", "The device was returned to service although a test failed", true},
      {"missing-return-date", "No return-to-service date is recorded", false},
      {"return-before-test", "The return-to-service date is before the test date", true},
      {"test-before-opened", "The test date is before the date the order was opened", false},
      {"missing-labor", "No labour time is recorded", false},
      {"missing-work-done", "The work done is not described", false},
  };
  return kRules;
}

std::vector<std::string> WorkOrder::findings(const Fields& f, const std::set<std::string>& selected) {
  std::vector<std::string> out;
  for (auto& r : rules()) {
    if ((selected.empty() || selected.count(r.id)) && holds(r.id, f)) out.emplace_back(r.id);
  }
  return out;
}

json WorkOrder::schema() {
  json fields = json::object();
  std::vector<std::string> required;
  for (auto& fi : field_info()) {
    fields[fi.key] = {{"type", "string"}, {"description", std::string(fi.label) + " (\"\" when not recorded)"}};
    required.emplace_back(fi.key);
  }
  json span = assay::sdk::object_schema({{"min", {{"type", "integer"}}}, {"max", {{"type", "integer"}}}}, {"min", "max"});
  // The order and its problems can be drawn from the item seed.
  return assay::sdk::generated_material(assay::sdk::object_schema(
      {{"rules",
        {{"type", "array"},
         {"items", {{"enum", rule_ids()}}},
         {"description", "the checks this item asks for; each becomes an option the candidate may select"}}},
       {"order", assay::sdk::object_schema(fields, required)},
       {"generate", assay::sdk::object_schema({{"devices", {{"type", "array"}, {"items", {{"type", "string"}}}}},
                                               {"technicians", {{"type", "array"}, {"items", {{"type", "string"}}}}},
                                               {"from", {{"type", "string"}, {"description", "earliest opening date"}}},
                                               {"to", {{"type", "string"}, {"description", "latest opening date"}}},
                                               {"defects", span}},
                                              {"devices", "technicians", "from", "to", "defects"})}},
      {"rules"}));
}

std::vector<Criterion> WorkOrder::criteria() {
  return {{"precision", "problems selected that the order has, out of all problems selected", false},
          {"recall", "problems the order has that were selected, out of all it has", false},
          {"safety-findings",
           "every safety problem (a test result missing or failed, or a return to service before the test) is selected; "
           "full when the order has none; a safety criterion, so flagging a problem the order does not have keeps it",
           false, true}};
}

WorkOrder WorkOrder::prepare(const json& params) {
  Params p(params);
  for (auto& [key, value] : p.members()) {
    if (key != "rules" && key != "order" && key != "generate") value.fail("unknown key '" + key + "'");
  }
  WorkOrder wo;
  auto ids = p.at("rules").id_list(rule_ids(), "rule");
  wo.selected_.insert(ids.begin(), ids.end());
  auto order = p.find("order"), generate = p.find("generate");
  if (!order && !generate) p.fail("missing required key 'generate' (or 'order' for a fixed work order)");
  if (order && generate) order->fail("give either 'generate' or 'order', not both");
  if (order) {
    for (auto& [key, value] : order->members()) {
      auto known = std::any_of(field_info().begin(), field_info().end(), [&](const FieldInfo& fi) { return key == fi.key; });
      if (!known) value.fail("unknown key '" + key + "'");
    }
    Fields f;
    for (auto& fi : field_info()) f.*fi.member = order->at(fi.key).str();
    for (const char* key : {"opened", "test_date", "return_to_service"}) {
      auto v = order->at(key);
      if (!blank(v.str())) (void)read_date(v);
    }
    for (const char* key : {"electrical_safety", "performance"}) order->at(key).one_of({"", "pass", "fail"});
    if (!blank(f.labor_hours)) {
      auto hours = Decimal::parse(f.labor_hours);
      if (!hours || hours->sign() < 0) {
        order->at("labor_hours").fail("expected a non-negative number of hours, found \"" + f.labor_hours + "\"");
      }
    }
    wo.fixed_ = f;
  } else {
    auto g = *generate;
    for (auto& [key, value] : g.members()) {
      if (key != "devices" && key != "technicians" && key != "from" && key != "to" && key != "defects")
        value.fail("unknown key '" + key + "'");
    }
    wo.devices_ = g.at("devices").strings();
    if (wo.devices_.empty()) g.at("devices").fail("expected at least one device");
    wo.technicians_ = g.at("technicians").strings();
    if (wo.technicians_.empty()) g.at("technicians").fail("expected at least one technician");
    wo.from_ = read_date(g.at("from"));
    wo.to_ = read_date(g.at("to"));
    if (wo.to_ < wo.from_)
      g.at("to").fail("expected a date on or after from (" + to_string(wo.from_) + "), found \"" + g.at("to").str() + "\"");
    auto d = g.at("defects");
    wo.defects_ = {d.at("min").integer(), d.at("max").integer()};
    if (wo.defects_.min < 0) d.at("min").fail("expected a non-negative integer, found " + std::to_string(wo.defects_.min));
    if (wo.defects_.max < wo.defects_.min) {
      d.at("max").fail("expected max >= min (" + std::to_string(wo.defects_.min) + "), found " + std::to_string(wo.defects_.max));
    }
    if (static_cast<std::size_t>(wo.defects_.max) > wo.selected_.size()) {
      d.at("max").fail("expected at most " + std::to_string(wo.selected_.size()) + " (the number of rules), found " +
                       std::to_string(wo.defects_.max));
    }
  }
  return wo;
}

WorkOrder::Fields WorkOrder::order(std::uint64_t seed) const {
  if (fixed_) return *fixed_;
  Rng rng(seed);
  static const std::vector<std::pair<std::string, std::string>> kWork = {
      {"Scheduled maintenance", "Inspected, cleaned and tested to the manufacturer's PM procedure"},
      {"Scheduled maintenance", "Replaced the battery and filters per the PM procedure; tested"},
      {"Corrective repair", "Replaced the faulty power supply board; tested before return to service"},
      {"Corrective repair", "Replaced the damaged mains cord; tested before return to service"},
      {"Acceptance inspection", "Incoming inspection of a new device; tested before first use"},
  };
  Fields f;
  f.wo_number = "WO-" + std::to_string(rng.between(100000, 999999));
  f.asset_tag = "BME-" + std::to_string(rng.between(10000, 99999));
  f.device = rng.pick(devices_);
  const auto& work = rng.pick(kWork);
  f.kind = work.first;
  f.work_done = work.second;
  Date opened = add_days(from_, rng.between(0, to_.days - from_.days));
  Date tested = add_days(opened, rng.between(0, 5));
  f.opened = to_string(opened);
  f.test_date = to_string(tested);
  f.return_to_service = to_string(add_days(tested, rng.between(0, 2)));
  f.technician = rng.pick(technicians_);
  f.electrical_safety = "pass";
  f.performance = "pass";
  f.labor_hours = Decimal(rng.between(1, 8) * 5).scaled(-1).to_fixed(1);

  // Defects from the selected rules only; the key is the rules run over the result, so two
  // defects that undo each other leave no finding behind.
  std::vector<std::string> pool;
  for (auto& r : rules()) {
    if (selected_.count(r.id)) pool.emplace_back(r.id);
  }
  rng.shuffle(pool);
  auto n = static_cast<std::size_t>(rng.between(defects_.min, defects_.max));
  for (std::size_t i = 0; i < n; ++i) {
    const auto& id = pool[i];
    if (id == "missing-asset-tag") f.asset_tag.clear();
    if (id == "missing-technician") f.technician.clear();
    if (id == "missing-safety-result") f.electrical_safety.clear();
    if (id == "missing-performance-result") f.performance.clear();
    if (id == "returned-after-failed-test") (rng.chance(1, 2) ? f.electrical_safety : f.performance) = "fail";
    if (id == "missing-return-date") f.return_to_service.clear();
    if (id == "return-before-test") f.return_to_service = to_string(add_days(tested, -rng.between(1, 7)));
    if (id == "test-before-opened") {
      tested = add_days(opened, -rng.between(1, 7));
      f.test_date = to_string(tested);
    }
    if (id == "missing-labor") f.labor_hours.clear();
    if (id == "missing-work-done") f.work_done.clear();
  }
  return f;
}

json WorkOrder::present(std::uint64_t seed) const {
  auto f = order(seed);
  json p = presentation(
      "Review this completed work order before it is closed in the CMMS. Select every problem you find: none, one or several.");
  std::vector<std::vector<std::string>> rows;
  for (auto& fi : field_info()) rows.push_back({fi.label, f.*fi.member});
  p["material"].push_back(table_material({"Field", "Recorded"}, rows));
  std::vector<std::pair<std::string, std::string>> options;
  for (auto& r : rules()) {
    if (selected_.count(r.id)) options.emplace_back(r.id, r.text);
  }
  options.emplace_back(kNoProblem, kNoProblemText);
  json c = choice("findings", "Problems in this work order", options, true);
  p["interactions"].push_back(c);
  return p;
}

std::vector<Credit> WorkOrder::score(std::uint64_t seed, const json& response) const {
  auto truth = findings(order(seed), selected_);
  auto claimed = claims(response);
  auto it = response.find("findings");
  bool unanswered = it == response.end() || it->is_null();
  std::uint64_t both = 0;
  for (auto& id : truth) both += claimed.count(id);
  Credit precision = claimed.empty() ? Credit::of(truth.empty()) : Credit::fraction(both, claimed.size());
  Credit recall = truth.empty() ? Credit::full() : Credit::fraction(both, truth.size());
  bool safe = true;
  for (auto& r : rules()) {
    if (r.safety && std::find(truth.begin(), truth.end(), r.id) != truth.end() && !claimed.count(r.id)) safe = false;
  }
  // Unanswered earns nothing for accuracy, and misses every safety problem the order has.
  if (unanswered) return {Credit::none(), Credit::none(), Credit::of(safe)};
  return {precision, recall, Credit::of(safe)};
}

json WorkOrder::solve(std::uint64_t seed) const {
  auto key = findings(order(seed), selected_);
  if (key.empty()) key.emplace_back(kNoProblem);
  return {{"findings", key}};
}

namespace {

std::string shown(const std::string& v) { return blank(v) ? std::string("not recorded") : "\"" + v + "\""; }

/// What the order shows for a check, so an answer can be compared with the record itself.
std::string evidence(const std::string& id, const WorkOrder::Fields& f) {
  if (id == "missing-asset-tag") return "asset tag " + shown(f.asset_tag);
  if (id == "missing-technician") return "technician " + shown(f.technician);
  if (id == "missing-safety-result") return "electrical safety result " + shown(f.electrical_safety);
  if (id == "missing-performance-result") return "performance result " + shown(f.performance);
  if (id == "returned-after-failed-test")
    return "electrical safety " + shown(f.electrical_safety) + ", performance " + shown(f.performance) + ", returned " +
           shown(f.return_to_service);
  if (id == "missing-return-date") return "returned to service " + shown(f.return_to_service);
  if (id == "missing-labor") return "labour " + shown(f.labor_hours);
  if (id == "missing-work-done") return "work done " + shown(f.work_done);
  return "opened " + shown(f.opened) + ", tested " + shown(f.test_date) + ", returned " + shown(f.return_to_service);
}

/// Why the problem matters, for a candidate who missed it.
std::string why_it_matters(const std::string& id) {
  if (id == "missing-asset-tag") return "without it the work cannot be traced to the device in the inventory";
  if (id == "missing-technician") return "the record must say who did the work and the tests";
  if (id == "missing-safety-result" || id == "missing-performance-result")
    return "a device goes back into service only with a passing test on record";
  if (id == "returned-after-failed-test") return "a device that fails a test stays out of service until repaired and retested";
  if (id == "missing-return-date") return "the record must show when the device went back into use";
  if (id == "return-before-test") return "the device was in use before a test showed it safe";
  if (id == "test-before-opened") return "a test before the order was opened cannot belong to this work";
  if (id == "missing-labor") return "the record must show the labour the work took";
  return "the record must say what was done";
}

}  // namespace

std::string WorkOrder::feedback(std::uint64_t seed, const json& response) const {
  auto f = order(seed);
  auto truth = findings(f, selected_);
  auto claimed = claims(response);
  std::string out;
  for (auto& r : rules()) {
    if (!selected_.count(r.id)) continue;
    bool has = std::find(truth.begin(), truth.end(), r.id) != truth.end();
    out += std::string(r.text) + ": " + (has ? "yes" : "no") + " (" + evidence(r.id, f) + ")";
    if (has && r.safety) out += "; a safety problem: the device must not be in use until it is resolved";
    if (claimed.count(r.id) == has)
      out += "; your answer agrees.\n";
    else if (has && r.safety)
      out += "; you missed it: the unsafe error, since the device stays in use with a safety problem.\n";
    else if (has)
      out += "; you missed it: " + why_it_matters(r.id) + ".\n";
    else
      out += "; you flagged it, but the record shows otherwise (over-cautious, not unsafe).\n";
  }
  return out;
}

std::vector<Example> WorkOrder::examples() {
  // Hand-checked: the asset tag is empty, the device went back on 2026-03-03 but was tested on
  // 2026-03-04, and the labour is recorded; with the five rules below the key is
  // {missing-asset-tag, return-before-test}; return-before-test is a safety finding.
  Example fixed;
  fixed.name = "fixed order returned before its test, without an asset tag";
  fixed.params = {
      {"rules",
       {"missing-asset-tag", "missing-safety-result", "returned-after-failed-test", "return-before-test", "missing-labor"}},
      {"order",
       {{"wo_number", "WO-482913"},
        {"asset_tag", ""},
        {"device", "Volumetric infusion pump"},
        {"kind", "Corrective repair"},
        {"opened", "2026-03-02"},
        {"test_date", "2026-03-04"},
        {"return_to_service", "2026-03-03"},
        {"technician", "R. Okafor"},
        {"electrical_safety", "pass"},
        {"performance", "pass"},
        {"labor_hours", "1.5"},
        {"work_done", "Replaced the door latch assembly"}}}};
  fixed.responses = {
      {"right", {{"findings", {"missing-asset-tag", "return-before-test"}}}, {Credit::full(), Credit::full(), Credit::full()}},
      {"safety problem missed, one false finding",
       {{"findings", {"missing-asset-tag", "missing-labor"}}},
       {Credit{1, 2}, Credit{1, 2}, Credit::none()}},
      {"nothing found", {{"findings", json::array()}}, {Credit::none(), Credit::none(), Credit::none()}}};
  fixed.malformed = {{"problems and \"none\" together", {{"findings", {"missing-asset-tag", "return-before-test", "none"}}}},
                     {"a problem this order's list does not offer", {{"findings", {"missing-asset-tag", "missing-technician"}}}}};
  Example generated;
  generated.name = "generated order with up to three problems";
  generated.params = {{"rules",
                       {"missing-asset-tag", "missing-technician", "missing-safety-result", "missing-performance-result",
                        "returned-after-failed-test", "missing-return-date", "return-before-test", "test-before-opened",
                        "missing-labor", "missing-work-done"}},
                      {"generate",
                       {{"devices", {"Defibrillator", "Infusion pump", "Patient monitor", "Ventilator"}},
                        {"technicians", {"R. Okafor", "M. Lindqvist", "A. Rivera"}},
                        {"from", "2026-01-05"},
                        {"to", "2026-06-30"},
                        {"defects", {{"min", 0}, {"max", 3}}}}}};
  generated.seed = 3;
  // Seed 3's order has no safety problem, so an unanswered response misses none.
  generated.responses = {{"nothing answered", json::object(), {Credit::none(), Credit::none(), Credit::full()}}};
  return {fixed, generated};
}

}  // namespace device
