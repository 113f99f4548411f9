#include "hl7_defects.hpp"

#include <algorithm>

#include "common.hpp"
#include "hl7v2.hpp"

namespace assay::ehr {

using sdk::json;

namespace {

// Neutral about the receiver's verdict: the acknowledgment shown may accept the message (MSA-1
// AA), so a story of a rejection would contradict it.
const char* kDefectsPrompt =
    "Review the HL7 v2 exchange below before the interface goes live. Select every defective line and, for each one, name "
    "its defect.";

std::vector<hl7::FieldRef> read_refs(const sdk::Params& p) {
  std::vector<hl7::FieldRef> out;
  for (auto& x : p.items()) {
    auto s = x.str();
    auto r = hl7::parse_field_ref(s);
    if (!r) x.fail("expected a field as \"SEG-n\", e.g. \"PID-7\", found \"" + s + "\"");
    if (r->segment == "MSH" && r->field <= 2) x.fail("MSH-1 and MSH-2 hold the delimiters and are always present");
    if (std::find(out.begin(), out.end(), *r) != out.end()) x.fail("duplicate field \"" + s + "\"");
    out.push_back(*r);
  }
  return out;
}

std::vector<std::string> read_lines(const sdk::Params& p, const char* what) {
  auto lines = hl7::segment_lines(p.str());
  if (auto why = hl7::unreadable(lines, what)) p.fail("not a checkable HL7 v2 message: " + *why);
  return lines;
}

struct DefectsAnswer {
  std::set<std::string> claimed;
  std::map<std::string, std::string> named;
};

DefectsAnswer read_defects_answer(const json& response) {
  DefectsAnswer a;
  a.claimed = selected_lines(response, "flagged");
  a.named = table_column(response, "defects", "defect", "a defect id");
  for (auto& [row, kind] : a.named) a.claimed.insert(row);  // naming a defect selects the line
  return a;
}

std::string list(const std::vector<hl7::FieldRef>& refs) {
  std::string out;
  for (auto& r : refs) out += (out.empty() ? "" : ", ") + r.text();
  return out.empty() ? "(none)" : out;
}

}  // namespace

json Hl7Defects::schema() {
  json refs = {{"type", "array"}, {"items", {{"type", "string"}, {"pattern", "^[A-Z0-9]{3}-[0-9]{1,4}$"}}}};
  // The exchange of messages can be generated from the item seed.
  return sdk::generated_material(sdk::object_schema(
      {{"prompt", {{"type", "string"}}},
       {"message", {{"type", "string"}, {"description", "a fixed message instead of a generated one ({ file = \"msg.hl7\" })"}}},
       {"ack", {{"type", "string"}, {"description", "with 'message': the acknowledgment returned for it"}}},
       {"events", {{"type", "array"}, {"items", {{"enum", hl7::visit_events()}}}, {"minItems", 1}}},
       {"encodings", {{"type", "array"}, {"items", {{"type", "string"}, {"minLength", 5}, {"maxLength", 5}}}}},
       {"kinds",
        {{"type", "array"},
         {"items", {{"enum", hl7::defect_kinds()}}},
         {"minItems", 1},
         {"description", "defects planted in generated messages; with ack-control-id an ACK is shown"}}},
       {"defects", range_schema(1, 6)},
       {"required", refs},
       {"datetime_fields", refs},
       {"notes", sdk::secret({{"type", "object"},
                              {"additionalProperties", {{"type", "string"}}},
                              {"description", "per line id (m1.., k1..), a note shown only in feedback"}})}}));
}

std::vector<sdk::Criterion> Hl7Defects::criteria() {
  return {{"precision", "lines selected that are defective, out of all lines selected"},
          {"recall", "defective lines selected, out of all defective lines"},
          {"named", "defective lines whose defect is named, out of all defective lines"}};
}

Hl7Defects Hl7Defects::prepare(const json& params) {
  sdk::Params p(params);
  Hl7Defects item;
  static const std::set<std::string> kKnown = {"prompt", "message", "ack",      "events",          "encodings",
                                               "kinds",  "defects", "required", "datetime_fields", "notes"};
  for (auto& [k, v] : p.members())
    if (!kKnown.count(k)) v.fail("unknown parameter '" + k + "'");
  item.prompt_ = p.has("prompt") ? p.at("prompt").str() : kDefectsPrompt;
  if (auto r = p.find("required")) item.rules_.required = read_refs(*r);
  if (auto d = p.find("datetime_fields")) item.rules_.datetimes = read_refs(*d);
  if (auto m = p.find("message")) {
    for (auto k : {"events", "encodings", "kinds", "defects"})
      if (p.has(k)) p.at(k).fail(std::string("'") + k + "' shapes generated messages; remove it or remove 'message'");
    hl7::Exchange ex;
    ex.message = read_lines(*m, "message");
    if (auto a = p.find("ack")) {
      ex.ack = read_lines(*a, "ack");
      bool msa = std::any_of(ex.ack.begin(), ex.ack.end(), [](const std::string& l) { return l.compare(0, 3, "MSA") == 0; });
      if (!msa) a->fail("an acknowledgment needs an MSA segment");
    }
    item.fixed_ = ex;
  } else {
    if (p.has("ack")) p.at("ack").fail("'ack' goes with a fixed 'message'; generated messages carry their own");
    hl7::read_events_and_encodings(p, item.gen_, hl7::visit_events());
    if (auto k = p.find("kinds")) item.inject_.kinds = k->id_list(hl7::defect_kinds(), "kind");
    auto& kinds = item.inject_.kinds;
    item.inject_.ack = std::find(kinds.begin(), kinds.end(), "ack-control-id") != kinds.end();
    if (auto d = p.find("defects")) {
      auto mn = d->at("min").integer(), mx = d->at("max").integer();
      if (mn < 1 || mn > 6) d->at("min").fail("expected 1 to 6, found " + std::to_string(mn));
      if (mx < mn || mx > 6) d->at("max").fail("expected 'min' to 6, found " + std::to_string(mx));
      item.inject_.min_defects = static_cast<int>(mn);
      item.inject_.max_defects = static_cast<int>(mx);
    }
    // Every planted defect needs a line of its own; a one-kind item may run out of places.
    bool only_ack = kinds.size() == 1 && kinds[0] == "ack-control-id";
    if (only_ack && item.inject_.min_defects > 1)
      p.at("defects").fail("an exchange has one acknowledgment: at most 1 ack-control-id defect");
    auto has = [&](const char* k) { return std::find(kinds.begin(), kinds.end(), k) != kinds.end(); };
    if (has("missing-required-field") && kinds.size() == 1 && item.rules_.required.empty())
      p.at("required").fail("missing-required-field defects need at least one required field");
    if (has("bad-datetime") && kinds.size() == 1 && item.rules_.datetimes.empty())
      p.at("datetime_fields").fail("bad-datetime defects need at least one date/time field");
  }
  if (auto n = p.find("notes"))
    for (auto& [k, v] : n->members()) item.notes_[k] = v.str();
  return item;
}

hl7::Injected Hl7Defects::material(std::uint64_t seed) const {
  if (fixed_) return {*fixed_, {}};
  sdk::Rng rng(seed);
  auto message = hl7::generate(gen_, rng);
  return hl7::inject(message, inject_, rules_, rng);
}

std::map<std::string, std::set<std::string>> Hl7Defects::key(std::uint64_t seed) const {
  return hl7::find_defects(material(seed).exchange, rules_);
}

json Hl7Defects::present(std::uint64_t seed) const {
  auto ex = material(seed).exchange;
  std::string rules = "The defects to look for:\n";
  for (auto& k : hl7::defect_kinds()) {
    if (k == "ack-control-id" && ex.ack.empty()) continue;
    rules += "- " + k + ": " + hl7::defect_text(k);
    if (k == "missing-required-field") rules += " (required here: " + list(rules_.required) + ")";
    if (k == "bad-datetime") rules += " (date/time fields checked here: " + list(rules_.datetimes) + ")";
    rules += "\n";
  }
  rules += "Segment order: MSH, EVN (ADT), PID, PD1, NK1, PV1, PV2, then ORC, OBR and OBX; an ACK is MSH, MSA, ERR.";
  // Lines are named by their number as shown, as the candidate selects them.
  if (!ex.ack.empty())
    rules += "\nLines 1-" + std::to_string(ex.message.size()) + " are the message; lines " +
             std::to_string(ex.message.size() + 1) + "-" + std::to_string(ex.message.size() + ex.ack.size()) +
             " are the acknowledgment returned for it.";
  json lines = json::array(), rows = json::array();
  auto add = [&](const std::string& id, const std::string& text) {
    lines.push_back({{"id", id}, {"text", text}});
    rows.push_back({{"id", id}, {"label", "line " + std::to_string(lines.size()) + "  " + text.substr(0, 3)}});
  };
  for (std::size_t i = 0; i < ex.message.size(); ++i) add(hl7::message_line_id(i), ex.message[i]);
  for (std::size_t i = 0; i < ex.ack.size(); ++i) add(hl7::ack_line_id(i), ex.ack[i]);
  json material = json::array({json{{"kind", "text"}, {"text", rules}}, json{{"kind", "lines"}, {"lines", lines}}});
  json columns = json::array({json{{"id", "defect"}, {"label", "Defect"}, {"options", options_of(hl7::defect_kinds())}}});
  json interactions =
      json::array({json{{"id", "flagged"}, {"type", "select-lines"}, {"prompt", "Defective lines"}, {"material", 1}},
                   table_interaction("defects", rows, columns, "For each defective line, its defect")});
  return presentation(prompt_, material, interactions);
}

std::vector<sdk::Credit> Hl7Defects::score(std::uint64_t seed, const json& response) const {
  const json checked = checked_response(present(seed), response);
  auto k = key(seed);
  auto a = read_defects_answer(checked);
  std::uint64_t hits = 0, named = 0;
  for (auto& id : a.claimed) {
    auto it = k.find(id);
    if (it == k.end()) continue;
    ++hits;
    auto n = a.named.find(id);
    if (n != a.named.end() && it->second.count(n->second)) ++named;
  }
  sdk::Credit precision = a.claimed.empty() ? sdk::Credit::of(k.empty()) : sdk::Credit::fraction(hits, a.claimed.size());
  sdk::Credit recall = k.empty() ? sdk::Credit::full() : sdk::Credit::fraction(hits, k.size());
  sdk::Credit naming = k.empty() ? sdk::Credit::of(a.claimed.empty()) : sdk::Credit::fraction(named, k.size());
  return {precision, recall, naming};
}

json Hl7Defects::solve(std::uint64_t seed) const { return flagged_and_named(key(seed), "defects", "defect"); }

std::string Hl7Defects::feedback(std::uint64_t seed, const json& response) const {
  const json checked = checked_response(present(seed), response);
  auto ex = material(seed).exchange;
  auto k = key(seed);
  auto a = read_defects_answer(checked);
  std::string out;
  auto one = [&](const std::string& id, const std::string& text) {
    auto it = k.find(id);
    bool claimed = a.claimed.count(id) > 0;
    std::string segment = text.substr(0, 3);
    std::string what = id + " (" + segment + "): ";
    if (it == k.end()) {
      if (claimed) {
        // Say what was checked on this line and found in order, so the false alarm can be seen.
        std::string required, datetimes;
        for (auto& r : rules_.required)
          if (r.segment == segment) required += (required.empty() ? "" : ", ") + r.text();
        for (auto& r : rules_.datetimes)
          if (r.segment == segment) datetimes += (datetimes.empty() ? "" : ", ") + r.text();
        std::string checked;
        if (!required.empty()) checked += "its required fields (" + required + ") are present";
        if (!datetimes.empty())
          checked += (checked.empty() ? "its" : "; its") + std::string(" date/times (") + datetimes + ") are valid";
        out += what + "selected, but the line has none of the defects checked" + (checked.empty() ? "" : ": " + checked) +
               " (over-cautious)\n";
      }
    } else {
      std::string kinds;
      for (auto& d : it->second) kinds += (kinds.empty() ? "" : " and ") + d + " (" + hl7::defect_text(d) + ")";
      auto n = a.named.find(id);
      if (!claimed)
        out += what + "missed; its defect is " + kinds + "\n";
      else if (n == a.named.end())
        out += what + "selected; no defect named (it is " + kinds + ")\n";
      else if (!it->second.count(n->second))
        out += what + "selected, but its defect is " + kinds + ", not " + n->second + "\n";
      else
        out += what + "correct\n";
    }
    auto note = notes_.find(id);
    if (note != notes_.end()) out += "  note: " + note->second + "\n";
  };
  for (std::size_t i = 0; i < ex.message.size(); ++i) one(hl7::message_line_id(i), ex.message[i]);
  for (std::size_t i = 0; i < ex.ack.size(); ++i) one(hl7::ack_line_id(i), ex.ack[i]);
  if (out.empty()) out = "no defect in this exchange, and none selected\n";
  return out;
}

std::vector<sdk::Example> Hl7Defects::examples() {
  // One line per defect kind, hand-checked against the rules in hl7_checks.hpp:
  // m2 PID before EVN (m3): both out of order; m4 PV1 with '!' between fields; m5 OBX-14 has
  // month 13; the MSH's MSH-11 is empty; the ACK's MSA-2 is MSG002, not MSG001.
  std::string message =
      "MSH|^~\\&|LAB|HOSP|EHR|HOSP|20240105083000||ADT^A01^ADT_A01|MSG001||2.5.1\r"
      "PID|1||7654321^^^HOSP^MR||Dawson^Nora||19670412|F\r"
      "EVN|A01|20240105083000\r"
      "PV1!1!I!4W^101^A^HOSP\r"
      "OBX|1|NM|2823-3^Potassium^LN||5.9|mmol/L|3.5-5.1|H|||F|||20241305083000\r";
  std::string ack =
      "MSH|^~\\&|EHR|HOSP|LAB|HOSP|20240105083001||ACK^A01^ACK|ACK001|P|2.5.1\r"
      "MSA|AA|MSG002\r";
  sdk::Example fixed;
  fixed.name = "one line per defect kind";
  fixed.params = {{"message", message},
                  {"ack", ack},
                  {"datetime_fields", {"MSH-7", "EVN-2", "PID-7", "OBX-14"}},
                  {"notes", {{"k2", "MSA-2 echoes MSH-10 of the message acknowledged"}}}};
  fixed.alt_secret = {{"notes", json::object()}};
  fixed.seed = 1;
  auto row = [](const char* d) { return json{{"defect", d}}; };
  fixed.responses = {
      {"every defect found and named",
       {{"flagged", {"m1", "m2", "m3", "m4", "m5", "k2"}},
        {"defects",
         {{"m1", row("missing-required-field")},
          {"m2", row("segment-order")},
          {"m3", row("segment-order")},
          {"m4", row("wrong-separator")},
          {"m5", row("bad-datetime")},
          {"k2", row("ack-control-id")}}}},
       {sdk::Credit::full(), sdk::Credit::full(), sdk::Credit::full()}},
      {"the ACK header blamed, the order and the separator missed",
       {{"flagged", {"m1", "m5", "k1", "k2"}},
        {"defects",
         {{"m1", row("missing-required-field")}, {"m5", row("missing-required-field")}, {"k2", row("ack-control-id")}}}},
       {sdk::Credit::fraction(3, 4), sdk::Credit::fraction(3, 6), sdk::Credit::fraction(2, 6)}},
  };
  fixed.malformed = {{"a line the exchange does not have", {{"flagged", {"m1", "m9"}}}},
                     {"a defect described instead of chosen", {{"defects", {{"m2", row("PV1 before PID")}}}}}};
  sdk::Example gen;
  gen.name = "a generated exchange";
  gen.params = {{"events", {"ADT^A01", "ORU^R01"}}, {"defects", {{"min", 2}, {"max", 3}}}, {"notes", json::object()}};
  gen.alt_secret = {{"notes", {{"m1", "a note"}}}};
  gen.seed = 17;
  gen.responses = {{"nothing selected", json::object(), {sdk::Credit::none(), sdk::Credit::none(), sdk::Credit::none()}}};
  return {fixed, gen};
}

}  // namespace assay::ehr
