#include "performance_verification.hpp"

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

using Device = PerformanceVerification::Device;

struct DeviceInfo {
  const char* id;
  const char* name;
  const char* setting_key;  // fixed points: the setting member
  const char* reading_key;  // fixed points: the reading member
  const char* unit;         // of the error the candidate gives
  std::vector<std::string> columns;
  const char* error_rule;
};

const DeviceInfo& info(Device d) {
  static const DeviceInfo kDefib{"defibrillator",
                                 "Defibrillator",
                                 "setting_J",
                                 "delivered_J",
                                 "J",
                                 {"Point", "Energy setting (J)", "Delivered energy (J)"},
                                 "energy error = delivered − setting, in J"};
  static const DeviceInfo kPump{"infusion-pump",
                                "Infusion pump",
                                "rate_mL_h",
                                "volume_mL",
                                "%",
                                {"Point", "Rate (mL/h)", "Time (min)", "Volume collected (mL)"},
                                "flow error = (collected − expected) / expected × 100, in %, where expected = rate × time"};
  static const DeviceInfo kNibp{"nibp",
                                "NIBP monitor",
                                "setpoint_mmHg",
                                "reading_mmHg",
                                "mmHg",
                                {"Point", "Simulator pressure (mmHg)", "Monitor reading (mmHg)"},
                                "error = monitor reading − simulator pressure, in mmHg"};
  static const DeviceInfo kSpo2{"spo2",
                                "Pulse oximeter",
                                "setpoint_percent",
                                "reading_percent",
                                "%",
                                {"Point", "Simulator SpO2 (%)", "Monitor SpO2 (%)"},
                                "error = monitor SpO2 − simulator SpO2, in percentage points"};
  switch (d) {
    case Device::kDefibrillator:
      return kDefib;
    case Device::kInfusionPump:
      return kPump;
    case Device::kNibp:
      return kNibp;
    case Device::kSpo2:
      return kSpo2;
  }
  return kDefib;
}

std::string point_id(std::size_t i) { return "p" + std::to_string(i + 1); }

}  // namespace

json PerformanceVerification::schema() {
  json dec = {{"type", {"string", "number"}}};
  json setting = {{"oneOf", {dec, assay::sdk::object_schema({{"rate_mL_h", dec}, {"minutes", dec}}, {"rate_mL_h", "minutes"})}}};
  // The deviation can be drawn from a range with the item seed.
  return assay::sdk::generated_material(assay::sdk::object_schema(
      {{"device", {{"enum", {"defibrillator", "infusion-pump", "nibp", "spo2"}}}},
       {"equipment", {{"type", "string"}}},
       {"specification", {{"type", "string"}, {"description", "what the candidate is told about the tolerance, if anything"}}},
       {"settings", {{"type", "array"}, {"items", setting}, {"description", "generated readings at these settings"}}},
       {"deviation", assay::sdk::object_schema({{"min", dec}, {"max", dec}, {"step", dec}}, {"min", "max"})},
       {"points", {{"type", "array"}, {"description", "fixed measurements instead of settings + deviation"}}},
       {"answer_places", {{"type", "integer"}, {"minimum", 0}, {"maximum", 3}}},
       {"tolerance", assay::sdk::secret(assay::sdk::object_schema({{"absolute", dec}, {"percent", dec}}))}},
      {"device"}));
}

std::vector<Criterion> PerformanceVerification::criteria() {
  return {{"errors", "the error computed at each point (fraction right)", false},
          {"verdicts", "within/out of tolerance at each point (fraction right)", false},
          {"overall",
           "overall verdict right either way: pass only if every point is within tolerance (an accuracy criterion: mark "
           "safe-overall critical, not this)",
           false},
          {"safe-overall",
           "a device with a point out of tolerance is not passed; holding back a device that passes keeps this (a safety "
           "criterion)",
           false, true}};
}

PerformanceVerification PerformanceVerification::prepare(const json& params) {
  Params p(params);
  static const std::set<std::string> kKnown = {"device",    "equipment", "specification", "settings",
                                               "deviation", "points",    "answer_places", "tolerance"};
  for (auto& [key, value] : p.members()) {
    if (!kKnown.count(key)) value.fail("unknown key '" + key + "'");
  }
  PerformanceVerification v;
  auto dev = p.at("device").one_of({"defibrillator", "infusion-pump", "nibp", "spo2"});
  v.device_ = dev == "defibrillator"   ? Device::kDefibrillator
              : dev == "infusion-pump" ? Device::kInfusionPump
              : dev == "nibp"          ? Device::kNibp
                                       : Device::kSpo2;
  const auto& di = info(v.device_);
  v.equipment_ = p.has("equipment") ? p.at("equipment").str() : di.name;
  v.specification_ = p.has("specification") ? p.at("specification").str() : "";
  if (auto places = p.find("answer_places")) {
    auto n = places->integer();
    if (n < 0 || n > 3) places->fail("expected an integer from 0 to 3, found " + std::to_string(n));
    v.places_ = static_cast<int>(n);
  }

  bool pump = v.device_ == Device::kInfusionPump;
  auto read_setting = [&](const Params& s, bool fixed) {
    Setting out;
    if (pump) {
      for (auto& [key, value] : s.members()) {
        if (key != "rate_mL_h" && key != "minutes" && !(fixed && key == "volume_mL")) value.fail("unknown key '" + key + "'");
      }
      out.value = read_positive(s.at("rate_mL_h"));
      out.minutes = read_positive(s.at("minutes"));
      if (fixed) out.fixed_reading = read_positive(s.at("volume_mL"), true);
    } else if (fixed) {
      for (auto& [key, value] : s.members()) {
        if (key != di.setting_key && key != di.reading_key) value.fail("unknown key '" + key + "'");
      }
      out.value = read_positive(s.at(di.setting_key));
      out.fixed_reading = read_positive(s.at(di.reading_key), true);
    } else {
      out.value = read_positive(s);
    }
    return out;
  };

  auto settings = p.find("settings"), points = p.find("points");
  if (!settings && !points) p.fail("missing required key 'settings' (or 'points' for fixed measurements)");
  if (settings && points) points->fail("give either 'settings' or 'points', not both");
  if (settings) {
    if (settings->items().empty()) settings->fail("expected at least one setting");
    for (auto& s : settings->items()) v.settings_.push_back(read_setting(s, false));
    v.deviation_ = read_range(p.at("deviation"), true);
  } else {
    if (p.has("deviation")) p.at("deviation").fail("'deviation' applies to generated settings only; remove it or use 'settings'");
    if (points->items().empty()) points->fail("expected at least one point");
    for (auto& s : points->items()) v.settings_.push_back(read_setting(s, true));
  }

  if (auto tol = p.find("tolerance")) {
    for (auto& [key, value] : tol->members()) {
      if (key != "absolute" && key != "percent") value.fail("unknown key '" + key + "' (expected absolute, percent)");
    }
    if (tol->has("absolute")) v.tolerance_.absolute = read_positive(tol->at("absolute"), true);
    if (tol->has("percent")) v.tolerance_.percent = read_positive(tol->at("percent"), true);
    if (!v.tolerance_.absolute && !v.tolerance_.percent) tol->fail("expected 'absolute', 'percent' or both");
    if (pump && v.tolerance_.absolute) tol->at("absolute").fail("infusion pump flow is judged in percent; use 'percent'");
  } else if (v.device_ == Device::kDefibrillator) {
    v.tolerance_ = defibrillator_energy_tolerance();
  } else {
    // Pump, NIBP and SpO2 tolerances are the manufacturer's (or an unconfirmed standard's): the item says.
    throw assay::sdk::ParamError("/tolerance",
                                 std::string("missing required key 'tolerance': give the ") + di.name +
                                     " tolerance from the manufacturer's specification and cite it in the item's source");
  }
  if (pump && !v.tolerance_.percent) p.at("tolerance").fail("infusion pump flow is judged in percent; use 'percent'");

  // Every reading the item can show must be computed exactly: try the deviations that give the
  // most digits (grid_ends), or the fixed reading.
  const Params& listed = settings ? *settings : *points;
  for (std::size_t i = 0; i < v.settings_.size(); ++i) {
    const Setting& s = v.settings_[i];
    try {
      if (s.fixed_reading) {
        (void)v.make_point(s, *s.fixed_reading);
      } else {
        for (Decimal dev : grid_ends(*v.deviation_)) (void)v.make_point(s, v.reading_at(s, dev));
      }
    } catch (const assay::sdk::DecimalOverflow&) {
      listed.items()[i].fail("the readings of this setting are too large or too precise to compute exactly; use fewer digits");
    }
  }
  return v;
}

PerformanceVerification::Point PerformanceVerification::make_point(const Setting& s, Decimal reading) const {
  Point pt;
  if (device_ == Device::kInfusionPump) {
    pt.cells = {s.value.to_string(), s.minutes.to_string(), reading.to_string()};
    pt.measured = reading * Decimal(60);
    pt.reference = s.value * s.minutes;
    pt.error = percent_error(pt.measured, pt.reference, places_);
    pt.pass = percent_within(pt.measured, pt.reference, *tolerance_.percent);
  } else {
    pt.cells = {s.value.to_string(), reading.to_string()};
    pt.measured = reading;
    pt.reference = s.value;
    pt.error = reading - s.value;
    pt.pass = within(tolerance_, reading, s.value);
  }
  return pt;
}

Decimal PerformanceVerification::reading_at(const Setting& s, Decimal dev) const {
  Decimal reading;
  switch (device_) {
    case Device::kDefibrillator:  // deviation in % of the setting, analyser resolution 0.1 J
      reading = (s.value * (Decimal(100) + dev)).scaled(-2).rounded(1);
      break;
    case Device::kInfusionPump:  // deviation in % of the expected volume, read to 0.1 mL
      reading = divide(s.value * s.minutes * (Decimal(100) + dev), Decimal(6000), 1);
      break;
    case Device::kNibp:
    case Device::kSpo2:  // deviation in the reading's unit
      reading = s.value + dev;
      if (device_ == Device::kSpo2 && reading > Decimal(100)) reading = Decimal(100);
      break;
  }
  if (reading.sign() < 0) reading = Decimal(0);
  return reading;
}

std::vector<PerformanceVerification::Point> PerformanceVerification::points(std::uint64_t seed) const {
  Rng rng(seed);
  std::vector<Point> out;
  for (std::size_t i = 0; i < settings_.size(); ++i) {
    auto& s = settings_[i];
    Decimal reading;
    if (s.fixed_reading) {
      reading = *s.fixed_reading;
    } else {
      reading = reading_at(s, draw(rng, *deviation_));
    }
    auto pt = make_point(s, reading);
    pt.cells.insert(pt.cells.begin(), point_id(i));
    out.push_back(std::move(pt));
  }
  return out;
}

bool PerformanceVerification::error_ok(const Point& point, Decimal answer) const {
  if (device_ == Device::kInfusionPump) return percent_answer_ok(answer, point.measured, point.reference, places_);
  return answer == point.error;
}

namespace {

const std::vector<std::pair<std::string, std::string>> kPointVerdicts = {{"pass", "Within tolerance"},
                                                                         {"fail", "Out of tolerance"}};

}  // namespace

PerformanceVerification::Answer PerformanceVerification::read(const std::vector<Point>& pts, const json& response) const {
  const auto& di = info(device_);
  std::string unit = di.unit;
  Options rows;
  for (std::size_t i = 0; i < pts.size(); ++i) rows.emplace_back(point_id(i), "Point " + std::to_string(i + 1));
  std::vector<Column> columns = {
      {"error", "Error (" + unit + ")", {}, "give the error as a number in " + unit + ", such as -1.5"},
      {"verdict", "Verdict", kPointVerdicts, ""}};
  Answer a;
  if (auto t = table_answer(response, "points", rows, columns)) {
    for (auto& [row, cells] : *t) {
      a.verdicts[row] = cells["verdict"];
      // The error in its unit, or in one that converts to it exactly ("3100 mJ" for 3.1 J).
      auto where = cell_name(rows, row, columns[0]);
      std::string problem;
      auto q = assay::sdk::read_quantity(cells["error"], &problem);
      if (!q) throw assay::sdk::ResponseError(where + ": " + problem);
      auto factor = q->unit.empty() ? std::optional<Decimal>(1) : assay::sdk::unit_factor(q->unit, unit);
      if (!factor) {
        throw assay::sdk::ResponseError(where + ": the unit \"" + q->unit + "\" is not a unit of the error; give it in " + unit);
      }
      a.errors[row] = q->value * *factor;
    }
  }
  a.overall = single_choice(response, "overall", pass_fail(), "overall verdict");
  return a;
}

json PerformanceVerification::present(std::uint64_t seed) const {
  const auto& di = info(device_);
  auto pts = points(seed);
  std::string prompt = "Performance verification of the " + equipment_ + ". For each point compute the " + di.error_rule;
  if (device_ == Device::kInfusionPump)
    prompt += ", to " + std::to_string(places_) + " decimal place" + (places_ == 1 ? "" : "s");
  prompt += ", and judge whether it is within tolerance; then give the overall verdict.";
  json p = presentation(prompt);
  std::string text = "Equipment: " + equipment_ + ".";
  if (!specification_.empty()) text += "\n" + specification_;
  p["material"].push_back(text_material(text));
  std::vector<std::vector<std::string>> rows;
  for (auto& pt : pts) rows.push_back(pt.cells);
  p["material"].push_back(table_material(di.columns, rows));
  json tbl_rows = json::array();
  for (std::size_t i = 0; i < pts.size(); ++i)
    tbl_rows.push_back({{"id", point_id(i)}, {"label", "Point " + std::to_string(i + 1)}});
  json verdict_options =
      json::array({{{"id", "pass"}, {"text", "Within tolerance"}}, {{"id", "fail"}, {"text", "Out of tolerance"}}});
  p["interactions"].push_back(
      {{"id", "points"},
       {"type", "table"},
       {"prompt", std::string("Error (") + di.unit + ") and verdict for each point"},
       {"rows", tbl_rows},
       {"columns", json::array({{{"id", "error"}, {"label", std::string("Error (") + di.unit + ")"}},
                                {{"id", "verdict"}, {"label", "Verdict"}, {"options", verdict_options}}})}});
  p["interactions"].push_back(choice("overall", "Overall verdict", pass_fail()));
  return p;
}

std::vector<Credit> PerformanceVerification::score(std::uint64_t seed, const json& response) const {
  auto pts = points(seed);
  auto a = read(pts, response);
  std::uint64_t errors = 0, verdicts = 0;
  bool all = true;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    all = all && pts[i].pass;
    auto e = a.errors.find(point_id(i));
    if (e != a.errors.end() && error_ok(pts[i], e->second)) ++errors;
    if (a.verdicts[point_id(i)] == verdict_id(pts[i].pass)) ++verdicts;
  }
  // The unsafe error is a pass for a device out of tolerance; a fail (or no verdict) never is.
  return {Credit::fraction(errors, pts.size()), Credit::fraction(verdicts, pts.size()), Credit::of(a.overall == verdict_id(all)),
          Credit::of(all || a.overall != verdict_id(true))};
}

json PerformanceVerification::solve(std::uint64_t seed) const {
  auto pts = points(seed);
  json rows = json::object();
  bool all = true;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    rows[point_id(i)] = {{"error", pts[i].error.to_string()}, {"verdict", verdict_id(pts[i].pass)}};
    all = all && pts[i].pass;
  }
  return {{"points", rows}, {"overall", json::array({verdict_id(all)})}};
}

std::string PerformanceVerification::feedback(std::uint64_t seed, const json& response) const {
  const auto& di = info(device_);
  auto pts = points(seed);
  auto a = read(pts, response);
  std::string out;
  bool all = true;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    auto& pt = pts[i];
    all = all && pt.pass;
    std::string band = device_ == Device::kInfusionPump
                           ? "±" + tolerance_.percent->to_string() + " %"
                           : "±" + allowed_deviation(tolerance_, pt.reference).to_string() + " " + di.unit;
    out += "Point " + std::to_string(i + 1) + ": error " + pt.error.to_string() + " " + di.unit + ", tolerance " + band + ", " +
           (pt.pass ? "within" : "out of") + " tolerance";
    auto e = a.errors.find(point_id(i));
    if (e == a.errors.end()) {
      out += "; you gave no error";
    } else if (error_ok(pt, e->second)) {
      out += "; your error is right";
    } else {
      // Say how the error is worked out, and name the common slip of a reversed sign.
      bool reversed = device_ != Device::kInfusionPump && e->second == Decimal(0) - pt.error && pt.error != Decimal(0);
      out += "; your error (" + e->second.to_string() + ") is not: " + di.error_rule + " gives " + pt.error.to_string() +
             (reversed ? " (your sign is reversed: the setting is subtracted from the measurement)" : "");
    }
    auto v = a.verdicts.find(point_id(i));
    if (v == a.verdicts.end()) {
      out += ", and no verdict.\n";
    } else if (v->second == verdict_id(pt.pass)) {
      out += ", and so is your verdict.\n";
    } else if (pt.pass) {
      out += ", and your verdict is wrong: an error within the band passes, at its edge too (over-cautious, not unsafe).\n";
    } else {
      out +=
          ", and your verdict is wrong, and unsafe: an error outside the band fails, and a point that fails keeps the "
          "device out of service.\n";
    }
  }
  out += std::string("Overall: ") + (all ? "pass" : "fail") + overall_feedback(all, a.overall.value_or(""));
  return out;
}

std::vector<Example> PerformanceVerification::examples() {
  // Hand-checked against ±3 J or ±15 %, whichever is greater:
  //   10 J -> band 3 J: 13.0 is at the band (pass);  20 J -> 3 J either way: 23.1 fails;
  //   200 J -> 30 J: 170.0 is at the band (pass).
  Example defib;
  defib.name = "defibrillator energy at the band and across the 20 J crossover";
  defib.params = {{"device", "defibrillator"},
                  {"points",
                   {{{"setting_J", "10"}, {"delivered_J", "13.0"}},
                    {{"setting_J", "20"}, {"delivered_J", "23.1"}},
                    {{"setting_J", "200"}, {"delivered_J", "170.0"}}}}};
  defib.alt_secret = {{"tolerance", {{"absolute", "1"}}}};
  defib.responses = {{"right",
                      {{"points",
                        {{"p1", {{"error", "3"}, {"verdict", "pass"}}},
                         {"p2", {{"error", "3.1 J"}, {"verdict", "fail"}}},
                         {"p3", {{"error", "-30.0"}, {"verdict", "pass"}}}}},
                       {"overall", {"fail"}}},
                      {Credit::full(), Credit::full(), Credit::full(), Credit::full()}},
                     {"15 % everywhere",  // 10 J band taken as 1.5 J
                      {{"points",
                        {{"p1", {{"error", "3"}, {"verdict", "fail"}}},
                         {"p2", {{"error", "3.1"}, {"verdict", "fail"}}},
                         {"p3", {{"error", "30"}, {"verdict", "pass"}}}}},
                       {"overall", {"fail"}}},
                      {Credit{2, 3}, Credit{2, 3}, Credit::full(), Credit::full()}},
                     {"passes a device that fails",
                      {{"points",
                        {{"p1", {{"error", "3"}, {"verdict", "pass"}}},
                         {"p2", {{"error", "3.1"}, {"verdict", "pass"}}},
                         {"p3", {{"error", "-30"}, {"verdict", "pass"}}}}},
                       {"overall", {"pass"}}},
                      {Credit::full(), Credit{2, 3}, Credit::none(), Credit::none()}},
                     {"right, with the Unicode minus and a unit that converts",
                      {{"points",
                        {{"p1", {{"error", "+3"}, {"verdict", "Within tolerance"}}},
                         {"p2", {{"error", "3100 mJ"}, {"verdict", "fail"}}},
                         {"p3", {{"error", "\u221230.0"}, {"verdict", "pass"}}}}},
                       {"overall", {"fail"}}},
                      {Credit::full(), Credit::full(), Credit::full(), Credit::full()}}};
  auto points = [](const char* e1, const char* e2, const char* e3, const char* v3) {
    return json{{"points",
                 {{"p1", {{"error", e1}, {"verdict", "pass"}}},
                  {"p2", {{"error", e2}, {"verdict", "fail"}}},
                  {"p3", {{"error", e3}, {"verdict", v3}}}}}};
  };
  defib.malformed = {{"a decimal comma", points("3", "3,1", "-30", "pass")},
                     {"an error in percent where joules are asked", points("3", "15.5 %", "-30", "pass")},
                     {"a verdict cell left empty", points("3", "3.1", "-30", "")},
                     {"a verdict that is not an option", points("3", "3.1", "-30", "ok")}};

  // 100 mL/h for 30 min -> 50 mL expected; 52.6 mL is +5.2 % against a ±5 % specification.
  Example pump;
  pump.name = "infusion pump flow generated from a deviation range";
  pump.params = {{"device", "infusion-pump"},
                 {"specification", "Manufacturer's flow accuracy specification: ±5 %."},
                 {"settings", {{{"rate_mL_h", "100"}, {"minutes", "30"}}, {{"rate_mL_h", "25"}, {"minutes", "60"}}}},
                 {"deviation", {{"min", "-8"}, {"max", "8"}, {"step", "0.5"}}},
                 {"tolerance", {{"percent", "5"}}}};
  pump.alt_secret = {{"tolerance", {{"percent", "10"}}}};
  pump.seed = 11;
  pump.responses = {{"nothing answered", json::object(), {Credit::none(), Credit::none(), Credit::none(), Credit::full()}}};
  return {defib, pump};
}

}  // namespace device
