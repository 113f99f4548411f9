#include "electrical_safety.hpp"

#include <algorithm>
#include <set>

#include "material.hpp"

namespace device {

using assay::sdk::Credit;
using assay::sdk::Criterion;
using assay::sdk::Example;
using assay::sdk::json;
using assay::sdk::ParamError;
using assay::sdk::Params;
using assay::sdk::Rng;
using namespace safety;

namespace {

json decimal_schema() { return json{{"type", {"string", "number"}}}; }
json range_schema() {
  return assay::sdk::object_schema({{"min", decimal_schema()}, {"max", decimal_schema()}, {"step", decimal_schema()}},
                                   {"min", "max"});
}
json tests_schema(json member) {
  return assay::sdk::object_schema({{"earth_ohm", member}, {"equipment_uA", member}, {"applied_part_uA", member}});
}

const std::vector<Column>& test_columns() {
  static const std::vector<Column> kColumns = {
      {"limit", "Limit", {}, "give the limit as a number in the test's unit, such as 500"},
      {"verdict", "Verdict", pass_fail(), ""}};
  return kColumns;
}

const std::vector<std::pair<std::string, std::string>> kRecordedOptions = {
    {"recurrent", "the recurrent-test limits that apply to this equipment"},
    {"other", "not the ones that apply (e.g. type-test limits from IEC 60601-1)"}};

std::string with_unit(Decimal d, const std::string& unit) { return d.to_string() + " " + unit; }

}  // namespace

json ElectricalSafety::schema() {
  json test_names = tests_schema({{"type", "string"}});
  test_names["description"] =
      "nfpa99 and manufacturer regimes: the tests as the code or the service manual names them (e.g. \"Earth leakage "
      "current, normal condition\")";
  // Readings are drawn from ranges with the item seed. The limits of the key ("tests") are meant
  // to be seen on the record when it shows recorded limits that are right, and a reading at the
  // limit shows the limit's value: both by design, so the key-leak heuristic leaves them out.
  return assay::sdk::shown_material(
      assay::sdk::generated_material(assay::sdk::object_schema(
          {{"equipment", {{"type", "string"}, {"description", "the device tested, shown on the record"}}},
           {"standard",
            {{"type", "string"},
             {"description",
              "the standard and edition named on the record (default by regime: \"IEC 62353\", \"NFPA 99\", "
              "\"the manufacturer's service manual\")"}}},
           {"regime",
            {{"enum", {"iec62353", "nfpa99", "manufacturer"}},
             {"description",
              "whose limits apply (default iec62353, with the plugin's built-in IEC 62353 limits); nfpa99 and manufacturer "
              "have no built-in limits: the item gives every limit in limits and cites its edition and clause or the "
              "service manual in its source; manufacturer limits are shown on the record"}}},
           {"protection_class", {{"enum", {"I", "II"}}}},
           {"applied_part", {{"enum", {"none", "B", "BF", "CF"}}}},
           {"method",
            {{"enum", {"direct", "differential", "alternative"}}, {"description", "how equipment leakage was measured"}}},
           {"applied_part_method",
            {{"enum", {"direct", "alternative"}},
             {"description",
              "how applied part leakage was measured (IEC 62353 has no differential method for it); default: the method, or "
              "direct when the method is differential"}}},
           {"earth_configuration",
            {{"enum", {"non-detachable", "detachable-inlet", "cord", "cord-and-equipment"}}, {"description", "class I only"}}},
           {"earth_polarities", {{"type", "boolean"}, {"description", "earth resistance measured with DC at both polarities"}}},
           {"test_names", test_names},
           {"ranges", tests_schema(range_schema())},
           {"readings", tests_schema({{"description", "fixed readings instead of ranges"}})},
           {"recorded_limits", tests_schema(decimal_schema())},
           {"limits", assay::sdk::secret(tests_schema(decimal_schema()))}},
          {"protection_class", "applied_part", "method"})),
      {"tests"});
}

std::vector<Criterion> ElectricalSafety::criteria() {
  return {{"verdicts", "pass/fail verdict on each test (fraction of tests right)", false},
          {"overall",
           "overall verdict right either way: pass only if every test passes (an accuracy criterion: mark safe-overall "
           "critical, not this)",
           false},
          {"limit-cited", "the numeric limit that applies to each test (fraction right)", false},
          {"recorded-limits",
           "spots whether the record applied the recurrent-test limits; full credit on items that do not ask (give it no "
           "points there)",
           false},
          {"safe-overall",
           "a device that fails a test is not passed for return to service; holding back a device that passes keeps this "
           "(a safety criterion)",
           false, true}};
}

std::vector<Example> ElectricalSafety::examples() {
  // Hand-checked: class I, CF, direct, non-detachable cord. Limits 0.3 Ω, 500 µA, 50 µA
  // (IEC 62353). Earth 0.3 Ω and applied part 50 µA sit exactly at their limits and pass;
  // equipment leakage 501 µA fails, so the device fails overall.
  Example fixed;
  fixed.name = "class I CF record with readings at and just over the limits";
  fixed.params = {{"equipment", "Volumetric infusion pump"},
                  {"protection_class", "I"},
                  {"applied_part", "CF"},
                  {"method", "direct"},
                  {"earth_configuration", "non-detachable"},
                  {"readings", {{"earth_ohm", "0.3"}, {"equipment_uA", "501"}, {"applied_part_uA", "50"}}}};
  fixed.alt_secret = {{"limits", {{"earth_ohm", "0.2"}, {"equipment_uA", "1000"}, {"applied_part_uA", "10"}}}};
  fixed.seed = 7;
  fixed.responses = {{"right",
                      {{"tests",
                        {{"earth", {{"limit", "0.3"}, {"verdict", "pass"}}},
                         {"equipment", {{"limit", "500 µA"}, {"verdict", "fail"}}},
                         {"applied-part", {{"limit", "50"}, {"verdict", "pass"}}}}},
                       {"overall", {"fail"}}},
                      {Credit::full(), Credit::full(), Credit::full(), Credit::full(), Credit::full()}},
                     {"passes everything, type-test CF limit",
                      {{"tests",
                        {{"earth", {{"limit", "0.3"}, {"verdict", "pass"}}},
                         {"equipment", {{"limit", "500"}, {"verdict", "pass"}}},
                         {"applied-part", {{"limit", "10"}, {"verdict", "pass"}}}}},
                       {"overall", {"pass"}}},
                      {Credit{2, 3}, Credit::none(), Credit{2, 3}, Credit::full(), Credit::none()}},
                     {"right, limits in units that convert exactly",
                      {{"tests",
                        {{"earth", {{"limit", "300 mohm"}, {"verdict", "Pass"}}},
                         {"equipment", {{"limit", "0.5 mA"}, {"verdict", "fail"}}},
                         {"applied-part", {{"limit", "0.05mA"}, {"verdict", "pass"}}}}},
                       {"overall", {"fail"}}},
                      {Credit::full(), Credit::full(), Credit::full(), Credit::full(), Credit::full()}}};
  json no_earth_verdict = {{"earth", {{"limit", "0.3"}}},
                           {"equipment", {{"limit", "500"}, {"verdict", "fail"}}},
                           {"applied-part", {{"limit", "50"}, {"verdict", "pass"}}}};
  json at_most = {{"earth", {{"limit", "<= 0.3"}, {"verdict", "pass"}}},
                  {"equipment", {{"limit", "500"}, {"verdict", "fail"}}},
                  {"applied-part", {{"limit", "50"}, {"verdict", "pass"}}}};
  json in_volts = {{"earth", {{"limit", "0.3"}, {"verdict", "pass"}}},
                   {"equipment", {{"limit", "500 mV"}, {"verdict", "fail"}}},
                   {"applied-part", {{"limit", "50"}, {"verdict", "pass"}}}};
  fixed.malformed = {{"a verdict cell left empty", {{"tests", no_earth_verdict}}},
                     {"a limit written as a comparison", {{"tests", at_most}}},
                     {"a limit in a unit that is not a current", {{"tests", in_volts}}},
                     {"both overall verdicts", {{"overall", {"pass", "fail"}}}}};

  // Generated: class II BF by the alternative method, whose equipment limit is not confirmed,
  // so the item gives it; the record shows a 60601-1 patient-leakage figure for the BF part.
  Example generated;
  generated.name = "class II BF record generated from ranges, with limits on the record to check";
  generated.params = {
      {"equipment", "Patient monitor"},
      {"protection_class", "II"},
      {"applied_part", "BF"},
      {"method", "alternative"},
      {"ranges", {{"equipment_uA", {{"min", "400"}, {"max", "600"}}}, {"applied_part_uA", {{"min", "50"}, {"max", "150"}}}}},
      {"recorded_limits", {{"equipment_uA", "500"}, {"applied_part_uA", "100"}}},
      {"limits", {{"equipment_uA", "500"}}}};
  generated.alt_secret = {{"limits", {{"equipment_uA", "200"}, {"applied_part_uA", "100"}}}};
  generated.seed = 42;
  generated.responses = {
      {"nothing answered", json::object(), {Credit::none(), Credit::none(), Credit::none(), Credit::none(), Credit::full()}}};
  return {fixed, generated};
}

ElectricalSafety ElectricalSafety::prepare(const json& params) {
  Params p(params);
  static const std::set<std::string> kKnown = {
      "equipment",        "standard",  "protection_class", "applied_part",    "method", "earth_configuration",
      "earth_polarities", "ranges",    "readings",         "recorded_limits", "limits", "applied_part_method",
      "regime",           "test_names"};
  for (auto& [key, value] : p.members()) {
    if (!kKnown.count(key)) value.fail("unknown key '" + key + "'");
  }
  ElectricalSafety e;
  e.equipment_ = p.has("equipment") ? p.at("equipment").str() : "Medical electrical equipment";
  if (auto r = p.find("regime")) {
    auto id = r->one_of({"iec62353", "nfpa99", "manufacturer"});
    e.regime_ = id == "nfpa99" ? Regime::kNfpa99 : id == "manufacturer" ? Regime::kManufacturer : Regime::kIec62353;
  }
  static const char* const kDefaultStandard[] = {"IEC 62353", "NFPA 99", "the manufacturer's service manual"};
  e.standard_ = p.has("standard") ? p.at("standard").str() : kDefaultStandard[static_cast<int>(e.regime_)];
  e.class_ = *parse_class(p.at("protection_class").one_of({"I", "II"}));
  e.applied_part_ = *parse_applied_part(p.at("applied_part").one_of({"none", "B", "BF", "CF"}));
  e.method_ = *parse_method(p.at("method").one_of({"direct", "differential", "alternative"}));
  // Applied part leakage is measured directly or by the alternative method, never differentially.
  e.applied_part_method_ = e.method_ == Method::kDifferential ? Method::kDirect : e.method_;
  if (auto apm = p.find("applied_part_method")) {
    e.applied_part_method_ = *parse_method(apm->one_of({"direct", "alternative"}));
    if (!has_applied_part_test(e.applied_part_))
      apm->fail("this record has no applied part leakage test (applied part " + to_string(e.applied_part_) +
                "); remove applied_part_method");
  }
  bool polarities = p.has("earth_polarities") && p.at("earth_polarities").boolean();

  // A service manual states its own earth test; IEC 62353 and NFPA 99 records say how it was made.
  bool earth_config_optional = e.regime_ == Regime::kManufacturer;
  if (e.class_ == ProtectionClass::kI && (!earth_config_optional || p.has("earth_configuration"))) {
    e.earth_config_ = parse_earth_config(
        p.at("earth_configuration").one_of({"non-detachable", "detachable-inlet", "cord", "cord-and-equipment"}));
  } else if (e.class_ == ProtectionClass::kII && p.has("earth_configuration")) {
    p.at("earth_configuration").fail("class II equipment has no protective earth test; remove earth_configuration");
  }
  std::map<std::string, std::string> names;
  if (auto tn = p.find("test_names")) {
    if (e.regime_ == Regime::kIec62353)
      tn->fail("IEC 62353 names its own tests; test_names belongs to regime nfpa99 or manufacturer");
    for (auto& [key, value] : tn->members()) {
      if (key != "earth_ohm" && key != "equipment_uA" && key != "applied_part_uA")
        value.fail("unknown key '" + key + "' (expected earth_ohm, equipment_uA, applied_part_uA)");
      names[key] = value.str();
    }
  }
  auto named = [&](const std::string& key, std::string label) { return names.count(key) ? names[key] : label; };

  std::optional<Params> limits = p.find("limits"), ranges = p.find("ranges"), readings = p.find("readings"),
                        recorded = p.find("recorded_limits");
  if (!ranges && !readings) p.fail("missing required key 'ranges' (or 'readings' for a fixed record)");
  if (ranges && readings) p.at("readings").fail("give either 'ranges' or 'readings', not both");

  auto add = [&](std::string id, std::string label, std::string unit, std::string key, std::optional<Decimal> table_limit,
                 std::string missing_limit) {
    Test t{std::move(id), std::move(label), std::move(unit), key, Decimal{}, std::nullopt, {}, 1, std::nullopt};
    // The built-in limits are IEC 62353's; under another regime every limit is the item's own.
    if (e.regime_ != Regime::kIec62353) {
      table_limit.reset();
      missing_limit = "missing limit: under regime \"" + std::string(e.regime_ == Regime::kNfpa99 ? "nfpa99" : "manufacturer") +
                      "\" the plugin has no built-in limit; give it in limits." + key +
                      (e.regime_ == Regime::kNfpa99 ? " and cite the NFPA 99 edition and clause in the item's source"
                                                    : " and name the service manual in the item's source");
    }
    if (limits && limits->has(key)) {
      t.limit = read_positive(limits->at(key));
    } else if (table_limit) {
      t.limit = *table_limit;
    } else {
      throw ParamError("/limits/" + key, missing_limit);
    }
    if (t.id == "earth" && polarities) t.count = 2;
    if (ranges) {
      t.range = read_range(ranges->at(key));
    } else {
      auto r = readings->at(key);
      if (t.count == 2) {
        if (!r.value().is_array() || r.size() != 2) r.fail("expected an array of 2 readings (one per polarity)");
        for (auto& v : r.items()) t.fixed.push_back(read_positive(v, true));
      } else {
        t.fixed.push_back(read_positive(r, true));
      }
    }
    if (recorded) t.recorded_limit = read_positive(recorded->at(key));
    e.tests_.push_back(std::move(t));
  };

  if (e.class_ == ProtectionClass::kI) {
    add("earth", named("earth_ohm", "Protective earth resistance"), "Ω", "earth_ohm",
        e.earth_config_ ? std::optional<Decimal>(earth_limit_ohm(*e.earth_config_)) : std::nullopt, "");
  }
  // A power cord measured alone has only its earth conductor to test: no leakage current flows
  // in a cord without the equipment.
  bool cord_alone = e.earth_config_ == EarthConfig::kCordAlone;
  if (cord_alone && e.applied_part_ != AppliedPart::kNone)
    p.at("applied_part").fail("a power cord measured alone has no applied part; give \"none\"");
  if (!cord_alone) {
    add("equipment", named("equipment_uA", "Equipment leakage current"), "µA", "equipment_uA",
        equipment_leakage_limit_uA(e.class_, e.method_),
        "missing limit: no confirmed limit for class " + to_string(e.class_) + " equipment leakage by the " +
            to_string(e.method_) + " method; give it in limits.equipment_uA and cite its source");
  }
  if (has_applied_part_test(e.applied_part_)) {
    add("applied-part", named("applied_part_uA", "Applied part leakage current (" + to_string(e.applied_part_) + ")"), "µA",
        "applied_part_uA", applied_part_limit_uA(e.applied_part_), "");
  }

  // Keys for tests the record does not have are mistakes worth reporting, not ignoring.
  std::set<std::string> used;
  for (auto& t : e.tests_) used.insert(t.param_key);
  for (auto* group : {&limits, &ranges, &readings, &recorded}) {
    if (!*group) continue;
    for (auto& [key, value] : (*group)->members()) {
      if (used.count(key)) continue;
      if (key == "earth_ohm" || key == "equipment_uA" || key == "applied_part_uA") {
        value.fail("this record has no such test (class " + to_string(e.class_) + ", applied part " + to_string(e.applied_part_) +
                   ")");
      }
      value.fail("unknown key '" + key + "' (expected earth_ohm, equipment_uA, applied_part_uA)");
    }
  }
  return e;
}

std::vector<ElectricalSafety::Row> ElectricalSafety::record(std::uint64_t seed) const {
  Rng rng(seed);
  std::vector<Row> rows;
  for (auto& t : tests_) {
    Row r{t.id, t.label, t.unit, {}, Decimal{}, t.limit, false};
    if (t.range) {
      for (int k = 0; k < t.count; ++k) r.readings.push_back(draw(rng, *t.range));
    } else {
      r.readings = t.fixed;
    }
    r.value = *std::max_element(r.readings.begin(), r.readings.end());
    r.pass = passes(r.value, r.limit);
    rows.push_back(std::move(r));
  }
  return rows;
}

std::optional<bool> ElectricalSafety::recorded_limits_correct() const {
  if (tests_.empty() || !tests_.front().recorded_limit) return std::nullopt;
  return std::all_of(tests_.begin(), tests_.end(), [](const Test& t) { return *t.recorded_limit == t.limit; });
}

json ElectricalSafety::present(std::uint64_t seed) const {
  auto rows = record(seed);
  bool asks_recorded = tests_.front().recorded_limit.has_value();
  json p = presentation("Review this recurrent electrical safety test record (" + standard_ +
                        "). For each test, give the limit that applies and your verdict, then the overall verdict.");
  std::string text = "Equipment: " + equipment_ + ".\nProtection class " + to_string(class_) + "; applied part: " +
                     (applied_part_ == AppliedPart::kNone ? std::string("none") : "type " + to_string(applied_part_)) + ".";
  bool leakage = std::any_of(tests_.begin(), tests_.end(), [](const Test& t) { return t.id == "equipment"; });
  if (regime_ == Regime::kManufacturer && !earth_config_) {
    text += "\nTests made as the service manual specifies them.";
  } else if (!leakage) {
    text += "\nNo leakage current test: a power cord alone carries no leakage current.";
  } else if (!has_applied_part_test(applied_part_) || applied_part_method_ == method_) {
    text += "\nLeakage currents measured by the " + to_string(method_) + " method.";
  } else {
    text += "\nEquipment leakage measured by the " + to_string(method_) + " method; applied part leakage by the " +
            to_string(applied_part_method_) + " method.";
  }
  if (earth_config_) {
    text += "\nProtective earth resistance measured with the " + describe(*earth_config_) + ".";
    if (tests_.front().count == 2) text += "\nDC test current, both polarities recorded.";
  }
  if (regime_ == Regime::kManufacturer) {
    text += "\nLimits that apply (" + standard_ + "):";
    for (auto& t : tests_) text += " " + t.label + " ≤ " + with_unit(t.limit, t.unit) + ";";
    text.back() = '.';
  } else if (regime_ == Regime::kNfpa99) {
    text += "\nThe hospital tests this equipment to " + standard_ + ".";
  }
  p["material"].push_back(text_material(text));
  std::vector<std::string> columns = {"Test", "Reading"};
  if (asks_recorded) columns.push_back("Limit on the record");
  std::vector<std::vector<std::string>> table;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    auto& r = rows[i];
    std::string reading = with_unit(r.readings[0], r.unit);
    if (r.readings.size() == 2) reading += " (+) / " + with_unit(r.readings[1], r.unit) + " (−)";
    std::vector<std::string> line = {r.label, reading};
    if (asks_recorded) line.push_back(with_unit(*tests_[i].recorded_limit, r.unit));
    table.push_back(std::move(line));
  }
  p["material"].push_back(table_material(columns, table));

  json tbl_rows = json::array();
  for (auto& r : rows) tbl_rows.push_back({{"id", r.id}, {"label", r.label + " (" + r.unit + ")"}});
  json verdict_options = json::array();
  for (auto& [id, label] : pass_fail()) verdict_options.push_back({{"id", id}, {"text", label}});
  p["interactions"].push_back(
      {{"id", "tests"},
       {"type", "table"},
       {"prompt", "Limit applied (number, in the test's unit) and verdict for each test"},
       {"rows", tbl_rows},
       {"columns", json::array({{{"id", "limit"}, {"label", "Limit"}},
                                {{"id", "verdict"}, {"label", "Verdict"}, {"options", verdict_options}}})}});
  p["interactions"].push_back(choice("overall", "Overall verdict for return to service", pass_fail()));
  if (asks_recorded) {
    p["interactions"].push_back(choice("recorded-limits", "The limits on the record are", kRecordedOptions));
  }
  return p;
}

ElectricalSafety::Answer ElectricalSafety::read(const std::vector<Row>& rows, const json& response) const {
  Options labels;
  for (auto& r : rows) labels.emplace_back(r.id, r.label);
  Answer a;
  if (auto t = table_answer(response, "tests", labels, test_columns())) {
    for (auto& r : rows) {
      auto& cells = (*t)[r.id];
      a.verdicts[r.id] = cells["verdict"];
      // A limit is a number in the test's unit, or in a unit it converts to exactly ("0.5 mA"
      // for 500 µA, "300 mΩ" for 0.3 Ω); any other unit cannot be read as this test's limit.
      auto where = cell_name(labels, r.id, test_columns()[0]);
      std::string problem;
      auto q = assay::sdk::read_quantity(cells["limit"], &problem);
      if (!q) throw assay::sdk::ResponseError(where + ": " + problem);
      auto factor = q->unit.empty() ? std::optional<Decimal>(1) : assay::sdk::unit_factor(q->unit, r.unit);
      if (!factor) {
        throw assay::sdk::ResponseError(where + ": the unit \"" + q->unit + "\" is not a unit of " + r.unit +
                                        "; give the limit in " + r.unit);
      }
      a.limits[r.id] = q->value * *factor;
    }
  }
  a.overall = single_choice(response, "overall", pass_fail(), "overall verdict");
  if (recorded_limits_correct())
    a.recorded = single_choice(response, "recorded-limits", kRecordedOptions, "limits on the record");
  return a;
}

std::vector<Credit> ElectricalSafety::score(std::uint64_t seed, const json& response) const {
  auto rows = record(seed);
  auto a = read(rows, response);
  std::uint64_t verdicts = 0, limits = 0;
  bool all_pass = true;
  for (auto& r : rows) {
    all_pass = all_pass && r.pass;
    if (a.verdicts[r.id] == verdict_id(r.pass)) ++verdicts;
    if (a.limits.count(r.id) && a.limits[r.id] == r.limit) ++limits;
  }
  Credit overall = Credit::of(a.overall == verdict_id(all_pass));
  Credit recorded = Credit::full();
  if (auto key = recorded_limits_correct()) recorded = Credit::of(a.recorded == (*key ? "recurrent" : "other"));
  // The unsafe error is a pass for a device that fails; a fail (or no verdict) never is.
  Credit safe = Credit::of(all_pass || a.overall != verdict_id(true));
  return {Credit::fraction(verdicts, rows.size()), overall, Credit::fraction(limits, rows.size()), recorded, safe};
}

json ElectricalSafety::solve(std::uint64_t seed) const {
  auto rows = record(seed);
  json tests = json::object();
  bool all_pass = true;
  for (auto& r : rows) {
    tests[r.id] = {{"limit", r.limit.to_string()}, {"verdict", verdict_id(r.pass)}};
    all_pass = all_pass && r.pass;
  }
  json out = {{"tests", tests}, {"overall", json::array({verdict_id(all_pass)})}};
  if (auto key = recorded_limits_correct()) out["recorded-limits"] = json::array({*key ? "recurrent" : "other"});
  return out;
}

std::string ElectricalSafety::limit_basis(const std::string& test_id) const {
  if (regime_ == Regime::kManufacturer && !earth_config_) {
    for (auto& t : tests_)
      if (t.id == test_id) return "the limit in " + standard_ + " for the " + t.label;
  }
  std::string whose = regime_ == Regime::kIec62353 ? "the recurrent-test" : "the " + standard_;
  if (test_id == "earth") return whose + " protective earth resistance limit for a " + describe(*earth_config_);
  if (test_id == "equipment")
    return whose + " equipment leakage limit for class " + to_string(class_) + " equipment measured by the " +
           to_string(method_) + " method";
  return whose + " applied part leakage limit for type " + to_string(applied_part_) + " applied parts (" +
         to_string(applied_part_method_) + " method)";
}

std::string ElectricalSafety::type_test_note(const std::string& test_id, Decimal given) const {
  // IEC 60601-1 patient leakage in normal condition (CF 10 µA, BF 100 µA) is a design limit the
  // manufacturer meets at type test, not the limit of a recurrent test in service.
  if (test_id != "applied-part") return "";
  if ((applied_part_ == AppliedPart::kCF && given == Decimal(10)) || (applied_part_ == AppliedPart::kBF && given == Decimal(100)))
    return "; " + with_unit(given, "µA") +
           " is the IEC 60601-1 type-test patient leakage limit, a design limit for the manufacturer, not a recurrent-test "
           "limit";
  return "";
}

std::string ElectricalSafety::feedback(std::uint64_t seed, const json& response) const {
  auto rows = record(seed);
  auto a = read(rows, response);
  std::string out;
  bool all_pass = true;
  for (auto& r : rows) {
    all_pass = all_pass && r.pass;
    out += r.label + ": " + with_unit(r.value, r.unit) + (r.pass ? " is within " : " exceeds ") + "the limit of " +
           with_unit(r.limit, r.unit) + (r.value == r.limit ? " (a reading at the limit passes)" : "") + ", so it " +
           (r.pass ? "passes" : "fails");
    auto verdict = a.verdicts.find(r.id);
    if (verdict == a.verdicts.end()) {
      out += "; you gave no verdict";
    } else if (verdict->second == verdict_id(r.pass)) {
      out += "; your verdict is right";
    } else if (r.pass) {
      out += "; your verdict is wrong: limits are maxima and a reading at or below one passes (over-cautious, not unsafe)";
    } else {
      out += "; your verdict is wrong, and unsafe: a reading above the limit fails, however small the excess";
    }
    auto limit = a.limits.find(r.id);
    if (limit == a.limits.end()) {
      out += "; you gave no limit.\n";
    } else if (limit->second == r.limit) {
      out += "; your limit is right.\n";
    } else {
      out += "; your limit (" + with_unit(limit->second, r.unit) + ") is not the one that applies: " + limit_basis(r.id) +
             " is " + with_unit(r.limit, r.unit) + type_test_note(r.id, limit->second) + ".\n";
    }
  }
  out += std::string("Overall: ") + (all_pass ? "pass" : "fail, since a failed test keeps the device out of service") +
         overall_feedback(all_pass, a.overall.value_or(""));
  if (auto key = recorded_limits_correct()) {
    out +=
        std::string("\nThe limits on the record ") + (*key ? "are the recurrent-test limits." : "are not the ones that apply.");
  }
  return out;
}

}  // namespace device
