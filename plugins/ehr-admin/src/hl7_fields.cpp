#include "hl7_fields.hpp"

#include <set>

namespace assay::ehr {

using sdk::json;

namespace {

const char* kFieldsPrompt = "Read the HL7 v2 message below and enter the value of each field as it would be after decoding.";

json field_schema() {
  return json{{"type", "object"},
              {"properties",
               {{"id", {{"type", "string"}}},
                {"name", {{"type", "string"}, {"description", "a catalogue name, e.g. patient-mrn or obx-flag:2823-3"}}},
                {"path", {{"type", "string"}, {"description", "an HL7 location, e.g. PID-3(5=MR).1; fixed messages only"}}},
                {"label", {{"type", "string"}}},
                {"hint", {{"type", "string"}}}}},
              {"required", {"id"}},
              {"additionalProperties", false}};
}

std::string normalise_segments(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    out += c == '\n' ? '\r' : c;
  }
  return out;
}

}  // namespace

json Hl7Fields::schema() {
  json analyte = {{"type", "object"},
                  {"properties",
                   {{"code", {{"type", "string"}}},
                    {"name", {{"type", "string"}}},
                    {"system", {{"type", "string"}}},
                    {"units", {{"type", "string"}}},
                    {"low", {{"type", {"number", "string"}}}},
                    {"high", {{"type", {"number", "string"}}}},
                    {"decimals", {{"type", "integer"}, {"minimum", 0}, {"maximum", 3}}}}},
                  {"required", {"code", "name", "system", "units", "low", "high"}},
                  {"additionalProperties", false}};
  // Messages can be generated from the item seed. The task is to read field values out of the
  // message shown, so the key's "fields" are in the material by design.
  return sdk::shown_material(
      sdk::generated_material(sdk::object_schema(
          {{"prompt", {{"type", "string"}}},
           {"message",
            {{"type", "string"}, {"description", "a fixed message instead of a generated one ({ file = \"msg.hl7\" })"}}},
           {"events", {{"type", "array"}, {"items", {{"enum", hl7::supported_events()}}}, {"minItems", 1}}},
           {"encodings",
            {{"type", "array"},
             {"items", {{"type", "string"}, {"minLength", 5}, {"maxLength", 5}}},
             {"description", "MSH-1 then MSH-2, e.g. \"|^~\\\\&\"; one is drawn per seed"}}},
           {"panel", {{"type", "array"}, {"items", analyte}, {"minItems", 1}}},
           {"fields", {{"type", "array"}, {"items", field_schema()}, {"minItems", 1}, {"maxItems", 20}}},
           {"case_sensitive", {{"type", "boolean"}}},
           {"trim", {{"type", "boolean"}}},
           {"accept", sdk::secret({{"type", "object"},
                                   {"additionalProperties", {{"type", "array"}, {"items", {{"type", "string"}}}}},
                                   {"description", "further accepted answers per field id"}})}},
          {"fields"})),
      {"fields"});
}

std::vector<sdk::Criterion> Hl7Fields::criteria() {
  return {{"correct", "each field's value matches the parsed message (credit per field)"}};
}

Hl7Fields Hl7Fields::prepare(const json& params) {
  sdk::Params p(params);
  Hl7Fields item;
  item.prompt_ = kFieldsPrompt;
  if (auto pr = p.find("prompt")) item.prompt_ = pr->str();
  item.rule_ = read_text_rule(p);
  for (auto& [k, v] : p.members()) {
    static const std::set<std::string> kKnown = {"prompt", "message",        "events", "encodings", "panel",
                                                 "fields", "case_sensitive", "trim",   "accept"};
    if (!kKnown.count(k)) v.fail("unknown parameter '" + k + "'");
  }

  std::optional<hl7::Message> parsed;
  if (auto m = p.find("message")) {
    for (auto k : {"events", "encodings", "panel"})
      if (p.has(k)) p.at(k).fail(std::string("'") + k + "' shapes generated messages; remove it or remove 'message'");
    item.fixed_ = normalise_segments(m->str());
    try {
      parsed = hl7::parse(*item.fixed_);
    } catch (const hl7::ParseError& e) {
      m->fail(std::string("not a readable HL7 v2 message: ") + e.what());
    }
  } else {
    hl7::read_events_and_encodings(p, item.gen_);
    if (auto pa = p.find("panel")) {
      item.gen_.panel.clear();
      std::set<std::string> codes;
      for (auto& a : pa->items()) {
        hl7::Analyte an;
        an.code = a.at("code").str();
        if (an.code.empty() || an.code.find_first_of("()=") != std::string::npos)
          a.at("code").fail("expected a code without '(', ')' or '='");
        if (!codes.insert(an.code).second) a.at("code").fail("duplicate code \"" + an.code + "\"");
        an.name = a.at("name").str();
        an.system = a.at("system").str();
        an.units = a.at("units").str();
        an.low = a.at("low").decimal();
        an.high = a.at("high").decimal();
        if (an.low.sign() < 0) a.at("low").fail("expected a value of 0 or more");
        if (!(an.low < an.high)) a.at("high").fail("expected a value above 'low'");
        if (auto d = a.find("decimals")) {
          auto v = d->integer();
          if (v < 0 || v > 3) d->fail("expected 0 to 3 decimals");
          an.decimals = static_cast<int>(v);
        }
        for (auto k : {"low", "high"}) {
          auto v = a.at(k).decimal();
          if (v.rounded(an.decimals) != v) a.at(k).fail("has more places than 'decimals' allows");
        }
        item.gen_.panel.push_back(an);
      }
      if (item.gen_.panel.empty()) pa->fail("expected at least one analyte");
    }
  }

  const auto& events = item.gen_.events;
  bool any_merge = std::find(events.begin(), events.end(), "ADT^A40") != events.end();
  std::set<std::string> ids;
  auto fs = p.at("fields");
  for (auto& fp : fs.items()) {
    Field f;
    f.id = read_id(fp.at("id"));
    if (!ids.insert(f.id).second) fp.at("id").fail("duplicate field id \"" + f.id + "\"");
    for (auto& [k, v] : fp.members())
      if (k != "id" && k != "name" && k != "path" && k != "label" && k != "hint") v.fail("unknown key '" + k + "'");
    if (fp.has("name") == fp.has("path")) fp.fail("expected exactly one of 'name' and 'path'");
    std::string path_text;
    if (auto n = fp.find("name")) {
      auto nf = hl7::named_field(n->str());
      if (!nf) {
        std::string list;
        for (auto& c : hl7::catalogue_names()) list += (list.empty() ? "" : ", ") + c;
        n->fail("unknown field name \"" + n->str() + "\"; known: " + list);
      }
      if (!parsed) {
        const auto& only = nf->only_event;
        if (!only.empty() && !(events.size() == 1 && events[0] == only))
          n->fail("\"" + nf->name + "\" is only in " + only + ": set events = [\"" + only + "\"]");
        if (nf->in_pv1 && any_merge)
          n->fail("\"" + nf->name + "\" is read from PV1, which ADT^A40 messages do not carry: remove \"ADT^A40\" from events");
        if (only == "ORU^R01") {
          auto code = nf->name.substr(nf->name.find(':') + 1);
          bool found = false;
          for (auto& a : item.gen_.panel) found = found || a.code == code;
          if (!found) n->fail("no analyte with code \"" + code + "\" in the panel");
        }
      }
      f.label = nf->label;
      path_text = nf->path;
    } else {
      auto pp = fp.at("path");
      if (!parsed) pp.fail("a 'path' needs a fixed 'message'; generated messages take a catalogue 'name'");
      path_text = pp.str();
    }
    std::string err;
    auto path = hl7::parse_path(path_text, &err);
    if (!path) fp.at("path").fail("not a field path: " + err);
    f.path = *path;
    if (parsed) {
      auto v = hl7::value(*parsed, f.path);
      if (!v || v->empty())
        (fp.has("path") ? fp.at("path") : fp.at("name")).fail("'" + path_text + "' holds no value in the message");
    }
    if (auto l = fp.find("label")) f.label = l->str();
    if (f.label.empty()) fp.fail("missing required key 'label'");
    if (auto h = fp.find("hint")) f.hint = h->str();
    item.fields_.push_back(std::move(f));
  }
  if (auto acc = p.find("accept")) {
    for (auto& [k, v] : acc->members()) {
      auto it = std::find_if(item.fields_.begin(), item.fields_.end(), [&](const Field& f) { return f.id == k; });
      if (it == item.fields_.end()) v.fail("no field with id \"" + k + "\"");
      it->accept = v.strings();
    }
  }
  return item;
}

std::string Hl7Fields::message(std::uint64_t seed) const {
  if (fixed_) return *fixed_;
  sdk::Rng rng(seed);
  return hl7::generate(gen_, rng);
}

std::vector<std::string> Hl7Fields::key(std::uint64_t seed) const {
  auto msg = hl7::parse(message(seed));
  std::vector<std::string> out;
  for (auto& f : fields_) {
    auto v = hl7::value(msg, f.path);
    if (!v) throw std::logic_error("field '" + f.id + "': '" + f.path.text + "' is absent from the generated message");
    out.push_back(*v);
  }
  return out;
}

json Hl7Fields::present(std::uint64_t seed) const {
  auto msg = hl7::parse(message(seed));
  json fields = json::array();
  for (auto& f : fields_) {
    json j = {{"id", f.id}, {"label", f.label}};
    if (!f.hint.empty()) j["hint"] = f.hint;
    fields.push_back(j);
  }
  json material = json::array({json{{"kind", "code"}, {"language", "hl7"}, {"text", hl7::display(msg)}}});
  json interactions = json::array({json{{"id", "fields"}, {"type", "fields"}, {"fields", fields}}});
  return presentation(prompt_, material, interactions);
}

namespace {

/// A pasted segment or several values cannot be one field's value: refuses a line break.
void one_line(const json* answers, const std::vector<Hl7Fields::Field>& fields) {
  if (answers == nullptr) return;
  for (auto& f : fields) {
    auto a = answers->find(f.id);
    if (a == answers->end() || !a->is_string()) continue;
    if (sdk::trim_typed(a->get_ref<const std::string&>()).find_first_of("\r\n") != std::string_view::npos) {
      throw sdk::ResponseError("field " + f.label +
                               ": expected the field's value on one line, found a line break; type only "
                               "the value");
    }
  }
}

}  // namespace

std::vector<sdk::Credit> Hl7Fields::score(std::uint64_t seed, const json& response) const {
  const json checked = checked_response(present(seed), response);
  auto k = key(seed);
  const json* answers = response_member(checked, "fields", json::value_t::object);
  one_line(answers, fields_);
  std::uint64_t right = 0;
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    if (answers == nullptr || !answers->contains(fields_[i].id)) continue;
    const json& a = (*answers)[fields_[i].id];
    if (!a.is_string()) throw sdk::ResponseError("field '" + fields_[i].id + "': expected a string, found " + sdk::json_kind(a));
    auto text = a.get<std::string>();
    bool ok = rule_.same(text, k[i]);
    for (auto& alt : fields_[i].accept) ok = ok || rule_.same(text, alt);
    right += ok ? 1 : 0;
  }
  return {sdk::Credit::fraction(right, fields_.size())};
}

json Hl7Fields::solve(std::uint64_t seed) const {
  auto k = key(seed);
  json answers = json::object();
  for (std::size_t i = 0; i < fields_.size(); ++i) answers[fields_[i].id] = k[i];
  return json{{"fields", answers}};
}

namespace {

/// When the answer given is what a neighbouring field or component holds, say so: the usual slip
/// is counting MSH fields from the segment id (MSH-1 is the field separator itself).
std::string neighbour_note(const hl7::Message& msg, const hl7::Path& path, const std::string& given) {
  auto try_at = [&](std::size_t field, std::size_t component) -> std::optional<std::string> {
    if (field == 0) return std::nullopt;
    hl7::Path p = path;
    p.field = field;
    p.component = component;
    p.subcomponent = 0;
    p.text = path.segment + "-" + std::to_string(field) + (component ? "." + std::to_string(component) : "");
    auto v = hl7::value(msg, p);
    if (v && !given.empty() && *v == given) return p.text;
    return std::nullopt;
  };
  for (std::size_t field : {path.field - 1, path.field + 1}) {
    if (auto at = try_at(field, path.component)) {
      return " ('" + given + "' is what " + *at + " holds" +
             (path.segment == "MSH" ? ": MSH-1 is the field separator itself, so MSH fields are counted from it" : "") + ")";
    }
  }
  if (path.component > 0) {
    for (std::size_t c : {path.component - 1, path.component + 1}) {
      if (c == 0) continue;  // the whole field is not a neighbouring component
      if (auto at = try_at(path.field, c)) return " ('" + given + "' is what " + *at + " holds: components count from 1)";
    }
  }
  return "";
}

}  // namespace

std::string Hl7Fields::feedback(std::uint64_t seed, const json& response) const {
  const json checked = checked_response(present(seed), response);
  auto k = key(seed);
  auto msg = hl7::parse(message(seed));
  const json* answers = response_member(checked, "fields", json::value_t::object);
  one_line(answers, fields_);
  std::string out;
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    const auto& f = fields_[i];
    std::string given;
    bool answered = answers != nullptr && answers->contains(f.id) && (*answers)[f.id].is_string();
    if (answered) given = (*answers)[f.id].get<std::string>();
    bool ok = answered && rule_.same(given, k[i]);
    for (auto& alt : f.accept) ok = ok || (answered && rule_.same(given, alt));
    out += f.label + ": ";
    if (ok)
      out += "correct";
    else if (!answered)
      out += "not answered; " + f.path.text + " holds '" + k[i] + "'";
    else
      out += "'" + given + "' is not what " + f.path.text + " holds: '" + k[i] + "'" + neighbour_note(msg, f.path, given);
    out += "\n";
  }
  return out;
}

std::vector<sdk::Example> Hl7Fields::examples() {
  sdk::Example fixed;
  fixed.name = "fixed ORU^R01 with custom delimiters and escapes";
  fixed.params = json{
      {"message",
       "MSH#$*!&#LAB#HOSP#EHR#HOSP#20240105083000##ORU$R01$ORU_R01#MSG001#P#2.5.1\r"
       "PID#1##7654321$$$HOSP$MR*E100200300$$$EMPI$PI##Dawson!T!Hale$Nora##19670412#F\r"
       "OBX#1#NM#2823-3$Potassium$LN##5.9#mmol/L#3.5-5.1#H###F\r"},
      {"fields",
       json::array({json{{"id", "mrn"}, {"name", "patient-mrn"}}, json{{"id", "family"}, {"name", "patient-family-name"}},
                    json{{"id", "event"}, {"name", "trigger-event"}},
                    json{{"id", "k-flag"}, {"path", "OBX(3.1=2823-3)-8"}, {"label", "Abnormal flag of the potassium result"}}})},
      {"accept", json{{"event", json::array({"R01"})}}}};
  fixed.alt_secret = json{{"accept", json{{"event", json::array({"A01"})}}}};
  fixed.seed = 7;
  fixed.responses = {
      {"all four right, whatever the case",
       json{{"fields", {{"mrn", "7654321"}, {"family", "dawson&hale"}, {"event", "R01"}, {"k-flag", "h"}}}},
       {sdk::Credit::full()}},
      {"the escape left undecoded and the EMPI taken for the MRN",
       json{{"fields", {{"mrn", "E100200300"}, {"family", "Dawson!T!Hale"}, {"event", "R01"}, {"k-flag", "H"}}}},
       {sdk::Credit::fraction(2, 4)}},
  };
  fixed.malformed = {{"a whole segment pasted into a field",
                      json{{"fields", {{"mrn", "PID#1##7654321$$$HOSP$MR\rOBX#1#NM#2823-3"}, {"event", "R01"}}}}}};
  sdk::Example gen;
  gen.name = "generated ADT messages";
  gen.params =
      json{{"events", json::array({"ADT^A01", "ADT^A04", "ADT^A08"})},
           {"encodings", json::array({"|^~\\&", "|^~\\&", "#$*!@"})},
           {"fields", json::array({json{{"id", "event"}, {"name", "trigger-event"}}, json{{"id", "mrn"}, {"name", "patient-mrn"}},
                                   json{{"id", "attending"}, {"name", "attending-family-name"}}})},
           {"accept", json::object()}};
  gen.alt_secret = json{{"accept", json{{"event", json::array({"A99"})}}}};
  gen.seed = 42;
  gen.responses = {{"nothing answered", json::object(), {sdk::Credit::none()}}};
  return {fixed, gen};
}

}  // namespace assay::ehr
