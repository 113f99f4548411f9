#include "troubleshooting.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "material.hpp"

namespace device {

using assay::sdk::Credit;
using assay::sdk::Criterion;
using assay::sdk::Example;
using assay::sdk::json;
using assay::sdk::Params;
using assay::sdk::Rng;

json Troubleshooting::schema() {
  json ids = {{"type", "array"}, {"items", {{"type", "string"}}}};
  json action = assay::sdk::object_schema({{"id", {{"type", "string"}}}, {"text", {{"type", "string"}}}}, {"id", "text"});
  return assay::sdk::object_schema(
      {{"equipment", {{"type", "string"}}},
       {"fault", {{"type", "string"}, {"description", "the fault report as the user wrote it"}}},
       {"actions", {{"type", "array"}, {"items", action}, {"minItems", 2}}},
       {"shuffle", {{"type", "boolean"}, {"description", "present the actions in a seeded order (default true)"}}},
       {"before",
        assay::sdk::secret({{"type", "array"},
                            {"items", {{"type", "array"}, {"items", {{"type", "string"}}}, {"minItems", 2}, {"maxItems", 2}}},
                            {"description", "required pairs [a, b]: a must be taken, and before b"}})},
       {"isolation", assay::sdk::secret({{"type", "string"}, {"description", "the make-safe action"}})},
       {"hazardous",
        assay::sdk::secret(json{{"type", "array"}, {"items", {{"type", "string"}}}, {"description", "only after isolation"}})},
       {"unsafe", assay::sdk::secret(ids)},
       {"wasteful", assay::sdk::secret(ids)},
       {"reasons", assay::sdk::secret({{"type", "object"},
                                       {"additionalProperties", {{"type", "string"}}},
                                       {"description",
                                        "per action id, why it is unsafe, wasteful or needed where it is; "
                                        "shown only in feedback"}})}},
      {"fault", "actions", "before"});
}

std::vector<Criterion> Troubleshooting::criteria() {
  return {{"safe-practice",
           "no unsafe action taken, and the isolation action (if the item names one) taken before every hazardous action; "
           "all or nothing; a safety criterion, so an unanswered or over-cautious sequence keeps it",
           false, true},
          {"sequence", "required pairs kept: both actions taken, in that order (fraction)", false},
          {"efficiency", "wasteful actions left out (fraction of those the item lists)", false}};
}

Troubleshooting Troubleshooting::prepare(const json& params) {
  Params p(params);
  static const std::set<std::string> kKnown = {"equipment", "fault",     "actions", "shuffle",  "before",
                                               "isolation", "hazardous", "unsafe",  "wasteful", "reasons"};
  for (auto& [key, value] : p.members()) {
    if (!kKnown.count(key)) value.fail("unknown key '" + key + "'");
  }
  Troubleshooting t;
  t.equipment_ = p.has("equipment") ? p.at("equipment").str() : "";
  t.fault_ = p.at("fault").str();
  if (p.has("shuffle")) t.shuffle_ = p.at("shuffle").boolean();
  std::set<std::string> ids;
  auto actions = p.at("actions");
  if (actions.items().size() < 2) actions.fail("expected at least 2 actions");
  for (auto& a : actions.items()) {
    for (auto& [key, value] : a.members()) {
      if (key != "id" && key != "text") value.fail("unknown key '" + key + "' (expected id, text)");
    }
    auto id = a.at("id").str();
    if (id.empty()) a.at("id").fail("expected a non-empty id");
    if (!ids.insert(id).second) a.at("id").fail("duplicate action id '" + id + "'");
    t.actions_.emplace_back(id, a.at("text").str());
  }
  auto known = [&](const Params& v) {
    auto id = v.str();
    if (!ids.count(id)) v.fail("unknown action '" + id + "'");
    return id;
  };
  auto id_set = [&](const char* key) {
    std::set<std::string> out;
    if (auto list = p.find(key)) {
      for (auto& v : list->items()) out.insert(known(v));
    }
    return out;
  };
  t.rules_.unsafe = id_set("unsafe");
  t.rules_.wasteful = id_set("wasteful");
  t.rules_.hazardous = id_set("hazardous");
  if (auto iso = p.find("isolation")) {
    t.rules_.isolation = known(*iso);
    if (t.rules_.unsafe.count(*t.rules_.isolation) || t.rules_.wasteful.count(*t.rules_.isolation)) {
      iso->fail("the isolation action cannot be unsafe or wasteful");
    }
  } else if (!t.rules_.hazardous.empty()) {
    p.at("hazardous").fail("hazardous actions need an 'isolation' action to follow");
  }
  for (auto& w : t.rules_.wasteful) {
    if (t.rules_.unsafe.count(w)) p.at("wasteful").fail("action '" + w + "' is listed as both unsafe and wasteful");
  }
  auto before = p.at("before");
  for (auto& pair : before.items()) {
    if (!pair.value().is_array() || pair.size() != 2) pair.fail("expected a pair [a, b] of action ids");
    auto a = known(pair.at(std::size_t{0})), b = known(pair.at(std::size_t{1}));
    if (a == b) pair.fail("an action cannot come before itself ('" + a + "')");
    for (const auto& id : {a, b}) {
      if (t.rules_.unsafe.count(id) || t.rules_.wasteful.count(id)) {
        pair.fail("action '" + id + "' is unsafe or wasteful, so no required order can include it");
      }
    }
    if (t.rules_.isolation && b == *t.rules_.isolation)
      pair.fail("the isolation action comes first; it cannot follow '" + a + "'");
    t.rules_.before.emplace_back(a, b);
  }
  if (auto reasons = p.find("reasons")) {
    for (auto& [key, value] : reasons->members()) {
      if (!ids.count(key)) value.fail("unknown action '" + key + "'");
      t.reasons_[key] = value.str();
    }
  }
  if (auto cycle = find_cycle(t.rules_.before)) before.fail("the required order has a cycle through '" + *cycle + "'");
  return t;
}

std::vector<std::string> Troubleshooting::presented(std::uint64_t seed) const {
  std::vector<std::string> ids;
  for (auto& [id, _] : actions_) ids.push_back(id);
  if (shuffle_) {
    Rng rng(seed);
    rng.shuffle(ids);
  }
  return ids;
}

std::string Troubleshooting::text_of(const std::string& id) const {
  for (auto& [aid, text] : actions_)
    if (aid == id) return text;
  return id;
}

std::optional<std::vector<std::string>> Troubleshooting::taken(const json& response) const {
  Options actions(actions_.begin(), actions_.end());
  auto skip = multiple_choice(response, "skip", actions, "actions you would not take");
  auto order = response.find("order");
  if (order == response.end() || order->is_null() || (order->is_array() && order->empty())) return std::nullopt;
  if (!order->is_array()) throw assay::sdk::ResponseError("your sequence: expected an array of action ids");
  // The sequence lists every action once (the skipped ones anywhere): anything else cannot be
  // read as an order.
  std::set<std::string> seen;
  std::vector<std::string> ids;
  for (auto& v : *order) {
    if (!v.is_string()) throw assay::sdk::ResponseError("your sequence: expected an array of action ids");
    auto id = v.get<std::string>();
    if (std::none_of(actions_.begin(), actions_.end(), [&](auto& a) { return a.first == id; })) {
      throw assay::sdk::ResponseError("your sequence: \"" + id + "\" is not one of the actions");
    }
    if (!seen.insert(id).second) {
      throw assay::sdk::ResponseError("your sequence: \"" + text_of(id) + "\" is placed twice; place every action once");
    }
    ids.push_back(id);
  }
  // Actions marked as not taken may be left out of the sequence; any other must be placed.
  for (auto& [id, text] : actions_) {
    if (!seen.count(id) && !skip.count(id)) {
      throw assay::sdk::ResponseError("your sequence: \"" + text +
                                      "\" is missing; place every action you would take (mark the others as not taken)");
    }
  }
  std::vector<std::string> out;
  for (auto& id : ids)
    if (!skip.count(id)) out.push_back(id);
  return out;
}

json Troubleshooting::present(std::uint64_t seed) const {
  json p = presentation(
      "Read the fault report. Mark any action you would not take at all, then put the actions in the order you would carry them "
      "out (the actions you would not take may go anywhere).");
  std::string text = equipment_.empty() ? "" : "Equipment: " + equipment_ + "\n";
  p["material"].push_back(text_material(text + "Fault report: " + fault_));
  std::vector<std::pair<std::string, std::string>> options;
  for (auto& id : presented(seed)) options.emplace_back(id, text_of(id));
  json skip = choice("skip", "Actions you would not take", options, true);
  skip["min"] = 0;
  p["interactions"].push_back(skip);
  json order = choice("order", "Your sequence", options);
  order["type"] = "order";
  order.erase("multiple");
  p["interactions"].push_back(order);
  return p;
}

std::vector<Credit> Troubleshooting::score(std::uint64_t, const json& response) const {
  auto seq = taken(response);
  // No sequence takes no unsafe action: the safety criterion is lost only by the unsafe error.
  if (!seq) return {Credit::full(), Credit::none(), Credit::none()};
  auto j = judge_order(rules_, *seq);
  return {Credit::of(j.safe), j.pairs_total == 0 ? Credit::full() : Credit::fraction(j.pairs_kept, j.pairs_total),
          j.wasteful_total == 0 ? Credit::full() : Credit::fraction(j.wasteful_total - j.wasteful_taken, j.wasteful_total)};
}

json Troubleshooting::solve(std::uint64_t seed) const {
  auto shown = presented(seed);
  auto order = model_order(rules_, shown);
  json skip = json::array();
  for (auto& id : shown) {
    if (rules_.unsafe.count(id) || rules_.wasteful.count(id)) {
      skip.push_back(id);
      order.push_back(id);
    }
  }
  return {{"order", order}, {"skip", skip}};
}

std::string Troubleshooting::reason(const std::string& id, const char* fallback) const {
  auto it = reasons_.find(id);
  return it != reasons_.end() ? it->second : std::string(fallback);
}

std::string Troubleshooting::feedback(std::uint64_t, const json& response) const {
  auto seq = taken(response);
  if (!seq) return "No sequence was given.";
  auto j = judge_order(rules_, *seq);
  std::string out;
  for (auto& id : j.unsafe_taken)
    out += "Unsafe: \"" + text_of(id) +
           "\" must never be done: " + reason(id, "it defeats a safety function or exposes the patient or you to a hazard") +
           ".\n";
  if (!j.isolation_ok) {
    out +=
        "Unsafe: \"" + text_of(*rules_.isolation) + "\" must come before any work that exposes you or the patient to a hazard: " +
        reason(*rules_.isolation, "a device still in use or connected can harm the patient or you while you work on it") + ".\n";
  }
  for (auto& [a, b] : j.pairs_broken) {
    auto it = reasons_.find(a);
    out += "Order: \"" + text_of(a) + "\" must be done, and before \"" + text_of(b) + "\"" +
           (it != reasons_.end() ? ": " + it->second : std::string()) + ".\n";
  }
  for (auto& id : *seq) {
    if (rules_.wasteful.count(id))
      out += "Wasteful: \"" + text_of(id) + "\" is not needed for this fault: " +
             reason(id, "it costs time or parts without addressing what the checks point to") + ".\n";
  }
  if (out.empty()) out = "Your sequence is safe, complete and in a good order.";
  return out;
}

std::vector<Example> Troubleshooting::examples() {
  Example ex;
  ex.name = "infusion pump occlusion alarm";
  ex.params = {
      {"equipment", "Volumetric infusion pump"},
      {"fault",
       "Pump alarms 'downstream occlusion' within minutes of starting, on several patients; nurse swapped the giving set."},
      {"actions",
       {{{"id", "isolate"}, {"text", "Take the pump out of clinical use, tag it and disconnect it from the patient and mains"}},
        {{"id", "verify"}, {"text", "Reproduce the alarm on the bench with a test set and analyser"}},
        {{"id", "setup"}, {"text", "Check the giving set type, clamps, filters and the occlusion pressure setting"}},
        {{"id", "manual"}, {"text", "Consult the service manual's troubleshooting section"}},
        {{"id", "sensor"}, {"text", "Open the case and replace the downstream pressure sensor"}},
        {{"id", "pv"}, {"text", "Run performance verification (flow rate and occlusion pressure)"}},
        {{"id", "est"}, {"text", "Run the electrical safety test"}},
        {{"id", "return"}, {"text", "Return the pump to service"}},
        {{"id", "cmms"}, {"text", "Document the fault, the repair and the test results in the CMMS"}},
        {{"id", "bypass"}, {"text", "Lower the occlusion alarm threshold to its minimum so the pump keeps running"}},
        {{"id", "board"}, {"text", "Replace the main control board"}}}},
      {"before",
       json::array({json::array({"isolate", "verify"}), json::array({"verify", "setup"}), json::array({"setup", "manual"}),
                    json::array({"manual", "sensor"}), json::array({"sensor", "pv"}), json::array({"sensor", "est"}),
                    json::array({"pv", "return"}), json::array({"est", "return"}), json::array({"return", "cmms"})})},
      {"isolation", "isolate"},
      {"hazardous", {"sensor"}},
      {"unsafe", {"bypass"}},
      {"wasteful", {"board"}},
      {"reasons",
       {{"bypass", "a pump that no longer alarms on an occlusion can stop delivering the drug without warning"},
        {"board", "nothing points to the control board: the alarm follows the downstream pressure path"},
        {"verify", "a fault reproduced on the bench shows what to repair and that the repair fixed it"}}}};
  ex.alt_secret = {{"before", json::array({json::array({"verify", "isolate"})})},
                   {"isolation", "verify"},
                   {"hazardous", json::array()},
                   {"unsafe", json::array({"board"})},
                   {"wasteful", json::array({"bypass"})},
                   {"reasons", json::object()}};
  ex.seed = 3;
  json all = {"isolate", "verify", "setup", "manual", "sensor", "pv", "est", "return", "cmms", "bypass", "board"};
  ex.responses = {
      {"right", {{"order", all}, {"skip", {"bypass", "board"}}}, {Credit::full(), Credit::full(), Credit::full()}},
      {"right, the actions not taken left out of the sequence",
       {{"order", {"isolate", "verify", "setup", "manual", "sensor", "pv", "est", "return", "cmms"}},
        {"skip", {"bypass", "board"}}},
       {Credit::full(), Credit::full(), Credit::full()}},
      // bypassing the alarm is unsafe even in a good order; the board swap wastes the one wasteful action
      {"bypass and board swap", {{"order", all}, {"skip", json::array()}}, {Credit::none(), Credit::full(), Credit::none()}},
      // opening the pump before isolating it: unsafe, and isolate -> verify broken
      {"sensor before isolation",
       {{"order", {"verify", "setup", "manual", "sensor", "isolate", "pv", "est", "return", "cmms", "bypass", "board"}},
        {"skip", {"bypass", "board"}}},
       {Credit::none(), Credit{8, 9}, Credit::full()}},
  };
  ex.malformed = {
      {"an action neither placed nor marked as not taken",
       {{"order", {"isolate", "verify", "setup", "manual", "sensor", "pv", "return", "cmms"}}, {"skip", {"bypass", "board"}}}},
      {"an action placed twice",
       {{"order", {"isolate", "verify", "setup", "manual", "sensor", "pv", "est", "pv", "return", "cmms", "bypass", "board"}}}}};
  return {ex};
}

}  // namespace device
