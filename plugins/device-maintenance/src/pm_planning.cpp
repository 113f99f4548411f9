#include "pm_planning.hpp"

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

}  // namespace

json PmPlanning::schema() {
  json span = assay::sdk::object_schema({{"min", {{"type", "integer"}}}, {"max", {{"type", "integer"}}}}, {"min", "max"});
  json device = assay::sdk::object_schema({{"name", {{"type", "string"}}},
                                           {"function", {{"type", "integer"}}},
                                           {"risk", {{"type", "integer"}}},
                                           {"maintenance", {{"type", "integer"}}}},
                                          {"name", "function", "risk", "maintenance"});
  return assay::sdk::object_schema(
      {{"policy", {{"type", "string"}, {"description", "the scoring policy the candidate reads (method and threshold)"}}},
       {"devices", {{"type", "array"}, {"items", device}, {"description", "a fixed inventory"}}},
       {"generate", assay::sdk::object_schema({{"names", {{"type", "array"}, {"items", {{"type", "string"}}}}},
                                               {"count", {{"type", "integer"}, {"minimum", 1}}},
                                               {"function", span},
                                               {"risk", span},
                                               {"maintenance", span}},
                                              {"names", "count", "function", "risk", "maintenance"})},
       {"threshold", assay::sdk::secret({{"type", "integer"}, {"description", "include when EM >= threshold"}})}},
      {"policy", "threshold"});
}

std::vector<Criterion> PmPlanning::criteria() {
  return {{"scores", "the EM score of each device (fraction right)", false},
          {"inclusion", "the inclusion decision for each device (fraction right)", false}};
}

PmPlanning PmPlanning::prepare(const json& params) {
  Params p(params);
  for (auto& [key, value] : p.members()) {
    if (key != "policy" && key != "devices" && key != "generate" && key != "threshold") value.fail("unknown key '" + key + "'");
  }
  PmPlanning pm;
  pm.policy_ = p.at("policy").str();
  pm.threshold_ = score_value(p.at("threshold"));
  auto devices = p.find("devices"), generate = p.find("generate");
  if (!devices && !generate) p.fail("missing required key 'generate' (or 'devices' for a fixed inventory)");
  if (devices && generate) devices->fail("give either 'generate' or 'devices', not both");
  if (devices) {
    if (devices->items().empty()) devices->fail("expected at least one device");
    for (auto& d : devices->items()) {
      for (auto& [key, value] : d.members()) {
        if (key != "name" && key != "function" && key != "risk" && key != "maintenance") value.fail("unknown key '" + key + "'");
      }
      pm.fixed_.push_back({d.at("name").str(), score_value(d.at("function")), score_value(d.at("risk")),
                           score_value(d.at("maintenance")), 0, false});
    }
  } else {
    auto g = *generate;
    pm.names_ = g.at("names").strings();
    auto count = g.at("count").integer();
    if (count < 1) g.at("count").fail("expected at least 1, found " + std::to_string(count));
    if (static_cast<std::size_t>(count) > pm.names_.size()) {
      g.at("count").fail("expected at most " + std::to_string(pm.names_.size()) + " (the number of names), found " +
                         std::to_string(count));
    }
    pm.count_ = static_cast<std::size_t>(count);
    auto span = [&](const char* key) {
      auto s = g.at(key);
      Span out{score_value(s.at("min")), score_value(s.at("max"))};
      if (out.min > out.max)
        s.at("max").fail("expected max >= min (" + std::to_string(out.min) + "), found " + std::to_string(out.max));
      return out;
    };
    pm.function_ = span("function");
    pm.risk_ = span("risk");
    pm.maintenance_ = span("maintenance");
  }
  return pm;
}

std::vector<PmPlanning::Device> PmPlanning::inventory(std::uint64_t seed) const {
  std::vector<Device> out = fixed_;
  if (out.empty()) {
    Rng rng(seed);
    auto names = names_;
    rng.shuffle(names);
    for (std::size_t i = 0; i < count_; ++i) {
      Device d;
      d.name = names[i];
      d.function = rng.between(function_.min, function_.max);
      d.risk = rng.between(risk_.min, risk_.max);
      d.maintenance = rng.between(maintenance_.min, maintenance_.max);
      out.push_back(d);
    }
  }
  for (auto& d : out) {
    d.em = d.function + d.risk + d.maintenance;
    d.include = d.em >= threshold_;  // the threshold is inclusive: EM equal to it is included
  }
  return out;
}

json PmPlanning::present(std::uint64_t seed) const {
  auto inv = inventory(seed);
  json p =
      presentation("Score each device with the policy below and decide whether it enters the scheduled maintenance programme.");
  p["material"].push_back(text_material(policy_));
  std::vector<std::vector<std::string>> rows;
  for (auto& d : inv) rows.push_back({d.name, std::to_string(d.function), std::to_string(d.risk), std::to_string(d.maintenance)});
  p["material"].push_back(table_material({"Device", "Function", "Physical risk", "Maintenance requirement"}, rows));
  json tbl_rows = json::array();
  for (std::size_t i = 0; i < inv.size(); ++i) tbl_rows.push_back({{"id", row_id(i)}, {"label", inv[i].name}});
  json yes_no = json::array({{{"id", "include"}, {"text", "Include"}}, {{"id", "exclude"}, {"text", "Do not include"}}});
  p["interactions"].push_back({{"id", "devices"},
                               {"type", "table"},
                               {"prompt", "EM score and decision for each device"},
                               {"rows", tbl_rows},
                               {"columns", json::array({{{"id", "em"}, {"label", "EM"}},
                                                        {{"id", "decision"}, {"label", "Decision"}, {"options", yes_no}}})}});
  return p;
}

std::vector<Credit> PmPlanning::score(std::uint64_t seed, const json& response) const {
  auto inv = inventory(seed);
  std::uint64_t scores = 0, decisions = 0;
  for (std::size_t i = 0; i < inv.size(); ++i) {
    auto em = table_cell(response, "devices", row_id(i), "em");
    auto parsed = em ? parse_answer(*em) : std::nullopt;
    if (parsed && *parsed == Decimal(inv[i].em)) ++scores;
    if (table_cell(response, "devices", row_id(i), "decision") == std::string(inv[i].include ? "include" : "exclude"))
      ++decisions;
  }
  return {Credit::fraction(scores, inv.size()), Credit::fraction(decisions, inv.size())};
}

json PmPlanning::solve(std::uint64_t seed) const {
  auto inv = inventory(seed);
  json rows = json::object();
  for (std::size_t i = 0; i < inv.size(); ++i) {
    rows[row_id(i)] = {{"em", std::to_string(inv[i].em)}, {"decision", inv[i].include ? "include" : "exclude"}};
  }
  return {{"devices", rows}};
}

std::string PmPlanning::feedback(std::uint64_t seed, const json& response) const {
  auto inv = inventory(seed);
  std::string out;
  for (std::size_t i = 0; i < inv.size(); ++i) {
    auto& d = inv[i];
    out += d.name + ": " + std::to_string(d.function) + " + " + std::to_string(d.risk) + " + " + std::to_string(d.maintenance) +
           " = " + std::to_string(d.em) + (d.include ? ", at or above " : ", below ") + "the threshold of " +
           std::to_string(threshold_) + (d.include ? ", so it is included" : ", so it is not included");
    auto decision = table_cell(response, "devices", row_id(i), "decision");
    out +=
        decision == std::string(d.include ? "include" : "exclude") ? "; your decision is right.\n" : "; your decision is not.\n";
  }
  return out;
}

std::vector<Example> PmPlanning::examples() {
  // Hand-checked with threshold 12: 10+5+4 = 19 include; 5+3+4 = 12 include (at the threshold);
  // 4+3+4 = 11 exclude.
  Example fixed;
  fixed.name = "fixed inventory with a device exactly at the threshold";
  fixed.params = {{"policy", "Policy: EM = function + physical risk + maintenance requirement; include when EM is 12 or more."},
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
                      {Credit::full(), Credit::full()}},
                     {"threshold taken as exclusive",
                      {{"devices",
                        {{"d1", {{"em", "19"}, {"decision", "include"}}},
                         {"d2", {{"em", "12"}, {"decision", "exclude"}}},
                         {"d3", {{"em", "11"}, {"decision", "exclude"}}}}}},
                      {Credit::full(), Credit{2, 3}}}};
  Example generated;
  generated.name = "generated inventory";
  generated.params = {
      {"policy", "Policy: EM = function + physical risk + maintenance requirement; include when EM is 12 or more."},
      {"threshold", 12},
      {"generate",
       {{"names", {"Ventilator", "Infusion pump", "Suction unit", "Patient monitor", "Exam light", "Scale"}},
        {"count", 4},
        {"function", {{"min", 2}, {"max", 10}}},
        {"risk", {{"min", 1}, {"max", 5}}},
        {"maintenance", {{"min", 1}, {"max", 5}}}}}};
  generated.alt_secret = {{"threshold", 9}};
  generated.seed = 5;
  generated.responses = {{"nothing answered", json::object(), {Credit::none(), Credit::none()}}};
  return {fixed, generated};
}

}  // namespace device
