#include "fhir_rules.hpp"

#include <algorithm>
#include <cctype>

#include "synth.hpp"

namespace assay::ehr::fhir {

using sdk::json;

const std::vector<std::string>& problem_ids() {
  static const std::vector<std::string> v = {"missing-required", "invalid-code", "unresolved-reference", "reference-format"};
  return v;
}
const std::vector<std::string>& observation_statuses() {
  static const std::vector<std::string> v = {"registered", "preliminary",      "final",  "amended", "corrected",
                                             "cancelled",  "entered-in-error", "unknown"};
  return v;
}
const std::vector<std::string>& encounter_statuses() {
  static const std::vector<std::string> v = {"planned",  "arrived",   "triaged",          "in-progress", "onleave",
                                             "finished", "cancelled", "entered-in-error", "unknown"};
  return v;
}

namespace {

bool valid_id(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.'; });
}

bool valid_type(const std::string& t) {
  if (t.empty() || !std::isupper(static_cast<unsigned char>(t[0]))) return false;
  return std::all_of(t.begin(), t.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
}

void collect_references(const json& j, std::vector<std::string>& out) {
  if (j.is_object()) {
    for (auto& [k, v] : j.items()) {
      if (k == "reference" && v.is_string())
        out.push_back(v.get<std::string>());
      else
        collect_references(v, out);
    }
  } else if (j.is_array()) {
    for (auto& v : j) collect_references(v, out);
  }
}

bool in(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

}  // namespace

bool valid_reference_format(const std::string& ref) {
  if (ref.rfind("urn:uuid:", 0) == 0) return ref.size() > 9;
  if (ref.rfind("http://", 0) == 0 || ref.rfind("https://", 0) == 0) return true;
  if (ref.size() > 1 && ref[0] == '#') return true;
  auto slash = ref.find('/');
  if (slash == std::string::npos) return false;
  return valid_type(ref.substr(0, slash)) && valid_id(ref.substr(slash + 1));
}

std::set<std::string> check_entry(const json& bundle, std::size_t index) {
  std::set<std::string> out;
  const json& entries = bundle.at("entry");
  const json& r = entries.at(index).at("resource");
  std::string type = r.value("resourceType", "");
  if (type == "Observation" || type == "Encounter") {
    if (!r.contains("status"))
      out.insert("missing-required");
    else if (!r["status"].is_string() ||
             !in(type == "Observation" ? observation_statuses() : encounter_statuses(), r["status"].get<std::string>()))
      out.insert("invalid-code");
  }
  if (type == "Observation" && !r.contains("code")) out.insert("missing-required");
  std::vector<std::string> refs;
  collect_references(r, refs);
  for (auto& ref : refs) {
    if (!valid_reference_format(ref)) {
      out.insert("reference-format");
      continue;
    }
    bool must_resolve = ref.rfind("urn:uuid:", 0) == 0 || (ref.find("://") == std::string::npos && ref[0] != '#');
    if (!must_resolve) continue;
    bool found = false;
    for (auto& e : entries) {
      if (e.value("fullUrl", "") == ref) found = true;
      const json& t = e.contains("resource") ? e["resource"] : json::object();
      if (t.is_object() && t.value("resourceType", "") + "/" + t.value("id", "") == ref) found = true;
    }
    if (!found) out.insert("unresolved-reference");
  }
  return out;
}

json generate(const GenOptions& opt, sdk::Rng& rng) {
  std::string pid = "pat-" + synth::digits(rng, 5), eid = "enc-" + synth::digits(rng, 5);
  bool female = rng.chance(1, 2);
  json patient = {
      {"resourceType", "Patient"},
      {"id", pid},
      {"name",
       json::array({json{{"family", rng.pick(synth::family_names())},
                         {"given", json::array({rng.pick(female ? synth::given_names_female() : synth::given_names_male())})}}})},
      {"gender", female ? "female" : "male"},
      {"birthDate", synth::random_date(rng, 1940, 2010).iso()}};
  json encounter = {{"resourceType", "Encounter"},
                    {"id", eid},
                    {"status", rng.chance(1, 2) ? "finished" : "in-progress"},
                    {"class", {{"system", "http://terminology.hl7.org/CodeSystem/v3-ActCode"}, {"code", "IMP"}}},
                    {"subject", {{"reference", "Patient/" + pid}}}};
  json entries = json::array({json{{"fullUrl", "Patient/" + pid}, {"resource", patient}},
                              json{{"fullUrl", "Encounter/" + eid}, {"resource", encounter}}});
  // Values within a quarter of the reference interval's width beyond it, in the units the result
  // is reported in (UCUM), so no panel shows an impossible value.
  struct Test {
    std::string code, display, unit;
    int low, high, scale;  // the typical adult reference interval, times `scale`
  };
  static const std::vector<Test> kTests = {{"2823-3", "Potassium [Moles/volume] in Serum or Plasma", "mmol/L", 35, 51, 10},
                                           {"GLU", "Glucose", "mg/dL", 70, 99, 1},
                                           {"NA", "Sodium", "mmol/L", 136, 145, 1},
                                           {"CREA", "Creatinine", "mg/dL", 6, 12, 10}};
  int n = static_cast<int>(rng.between(opt.min_observations, opt.max_observations));
  for (int i = 0; i < n; ++i) {
    auto& t = kTests[static_cast<std::size_t>(i) % kTests.size()];
    std::string oid = "obs-" + synth::digits(rng, 5);
    json coding = {{"system", t.code == "2823-3" ? "http://loinc.org" : "urn:oid:2.16.840.1.113883.19.5"},
                   {"code", t.code},
                   {"display", t.display}};
    int margin = std::max(1, (t.high - t.low) / 4);
    auto scaled = rng.between(t.low - margin, t.high + margin);
    json value = t.scale == 1 ? json(scaled) : json(static_cast<double>(scaled) / t.scale);
    json obs = {
        {"resourceType", "Observation"},
        {"id", oid},
        {"status", rng.chance(3, 4) ? "final" : "preliminary"},
        {"code", {{"coding", json::array({coding})}}},
        {"subject", {{"reference", "Patient/" + pid}}},
        {"encounter", {{"reference", "Encounter/" + eid}}},
        {"valueQuantity", {{"value", value}, {"unit", t.unit}, {"system", "http://unitsofmeasure.org"}, {"code", t.unit}}}};
    entries.push_back({{"fullUrl", "Observation/" + oid}, {"resource", obs}});
  }
  // Inject problems into distinct entries (observations, or the encounter for a bad status).
  int k = std::min(static_cast<int>(rng.between(opt.min_problems, opt.max_problems)), n);
  std::vector<std::size_t> targets;
  for (std::size_t i = 2; i < entries.size(); ++i) targets.push_back(i);
  rng.shuffle(targets);
  for (int p = 0; p < k; ++p) {
    const std::string& problem = rng.pick(opt.problems);
    json& r = entries[targets[static_cast<std::size_t>(p)]]["resource"];
    if (problem == "missing-required") r.erase(rng.chance(2, 3) ? "status" : "code");
    if (problem == "invalid-code") {
      static const std::vector<std::string> kBad = {"completed", "done", "signed", "verified", "Final"};
      r["status"] = rng.pick(kBad);
    }
    if (problem == "unresolved-reference") r["subject"]["reference"] = "Patient/pat-" + synth::digits(rng, 6);
    if (problem == "reference-format") {
      std::string id = r["subject"]["reference"].get<std::string>().substr(8);
      static const std::vector<std::string> kForms = {"Patient:", "patient/", "Patient#", ""};
      r["subject"]["reference"] = rng.pick(kForms) + id;
    }
  }
  return json{{"resourceType", "Bundle"}, {"type", "collection"}, {"entry", entries}};
}

}  // namespace assay::ehr::fhir
