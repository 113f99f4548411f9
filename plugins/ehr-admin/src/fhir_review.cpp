#include "fhir_review.hpp"

#include "common.hpp"

namespace assay::ehr {

using sdk::json;

namespace {

std::string entry_id(std::size_t i) { return "e" + std::to_string(i + 1); }

// Empty cells are kept: on a clean entry, a blank answer counts as "none".
std::map<std::string, std::string> read_review_answer(const json& response) {
  return table_column(response, "problems", "problem", "an option id", true);
}

bool right(const std::set<std::string>& key, const std::string& answer) {
  if (key.empty()) return answer.empty() || answer == "none";
  return key.count(answer) > 0;
}

}  // namespace

json FhirReview::schema() {
  json range = {{"type", "object"},
                {"properties", {{"min", {{"type", "integer"}}}, {"max", {{"type", "integer"}}}}},
                {"required", {"min", "max"}},
                {"additionalProperties", false}};
  // The Bundle can be generated from the item seed.
  return sdk::generated_material(sdk::object_schema(
      {{"prompt", {{"type", "string"}}},
       {"observations", range},
       {"problems", range},
       {"kinds", {{"type", "array"}, {"items", {{"enum", fhir::problem_ids()}}}, {"minItems", 1}}},
       {"bundle",
        {{"type", {"string", "object"}}, {"description", "a fixed Bundle (JSON text or table) instead of a generated one"}}},
       {"notes", sdk::secret({{"type", "object"},
                              {"additionalProperties", {{"type", "string"}}},
                              {"description", "per entry id, shown only in feedback"}})}}));
}

std::vector<sdk::Criterion> FhirReview::criteria() {
  return {{"correct", "entries whose problem (or its absence) is named correctly, out of all entries"}};
}

FhirReview FhirReview::prepare(const json& params) {
  sdk::Params p(params);
  FhirReview item;
  static const std::set<std::string> kKnown = {"prompt", "observations", "problems", "kinds", "bundle", "notes"};
  for (auto& [k, v] : p.members())
    if (!kKnown.count(k)) v.fail("unknown parameter '" + k + "'");
  item.prompt_ =
      p.has("prompt")
          ? p.at("prompt").str()
          : "Review this FHIR R4 Bundle. For each entry, choose the problem it has, or none. Rules: Observation.status and "
            "Observation.code are required, Encounter.status is required; status codes must come from their required value "
            "sets; references must be [type]/[id], an absolute URL, urn:uuid: or #id, and a relative or urn:uuid: reference "
            "must resolve to an entry of the Bundle.";
  if (auto b = p.find("bundle")) {
    for (auto k : {"observations", "problems", "kinds"})
      if (p.has(k)) p.at(k).fail(std::string("'") + k + "' shapes generated Bundles; remove it or remove 'bundle'");
    json j = b->value();
    if (j.is_string()) {
      j = json::parse(j.get<std::string>(), nullptr, false);
      if (j.is_discarded()) b->fail("expected a FHIR Bundle in JSON, found text that is not JSON");
    }
    if (!j.is_object() || j.value("resourceType", "") != "Bundle") b->fail("expected a resource with resourceType \"Bundle\"");
    if (!j.contains("entry") || !j["entry"].is_array() || j["entry"].empty())
      b->fail("expected a Bundle with at least one entry");
    for (std::size_t i = 0; i < j["entry"].size(); ++i) {
      auto& e = j["entry"][i];
      if (!e.is_object() || !e.contains("resource") || !e["resource"].is_object() || !e["resource"].contains("resourceType"))
        b->fail("entry[" + std::to_string(i) + "] has no resource with a resourceType");
    }
    item.fixed_ = j;
  } else {
    read_range(p, "observations", 2, 8, item.gen_.min_observations, item.gen_.max_observations);
    read_range(p, "problems", 1, 8, item.gen_.min_problems, item.gen_.max_problems);
    if (item.gen_.max_problems > item.gen_.min_observations)
      p.at("problems")
          .fail("at most " + std::to_string(item.gen_.min_observations) + " problems fit in " +
                std::to_string(item.gen_.min_observations) + " observations");
    if (auto k = p.find("kinds")) {
      item.gen_.problems.clear();
      for (auto& x : k->items()) item.gen_.problems.push_back(x.one_of(fhir::problem_ids()));
      if (item.gen_.problems.empty()) k->fail("expected at least one kind");
    }
  }
  if (auto n = p.find("notes"))
    for (auto& [k, v] : n->members()) item.notes_[k] = v.str();
  return item;
}

json FhirReview::bundle(std::uint64_t seed) const {
  if (fixed_) return *fixed_;
  sdk::Rng rng(seed);
  return fhir::generate(gen_, rng);
}

std::vector<std::set<std::string>> FhirReview::key(std::uint64_t seed) const {
  auto b = bundle(seed);
  std::vector<std::set<std::string>> out;
  for (std::size_t i = 0; i < b["entry"].size(); ++i) out.push_back(fhir::check_entry(b, i));
  return out;
}

json FhirReview::present(std::uint64_t seed) const {
  auto b = bundle(seed);
  json rows = json::array();
  for (std::size_t i = 0; i < b["entry"].size(); ++i) {
    auto& r = b["entry"][i]["resource"];
    rows.push_back({{"id", entry_id(i)}, {"label", entry_id(i) + "  " + r.value("resourceType", "") + "/" + r.value("id", "")}});
  }
  json options = options_of(fhir::problem_ids());
  options.insert(options.begin(), json{{"id", "none"}, {"text", "no problem"}});
  json material = json::array({json{{"kind", "code"}, {"language", "json"}, {"text", b.dump(2)}}});
  json columns = json::array({json{{"id", "problem"}, {"label", "Problem"}, {"options", options}}});
  json interactions = json::array({table_interaction("problems", rows, columns)});
  return presentation(prompt_, material, interactions);
}

std::vector<sdk::Credit> FhirReview::score(std::uint64_t seed, const json& response) const {
  const json shown = present(seed);
  const json checked = checked_response(shown, response);
  require_column(shown, checked, "problems", "problem");  // every entry has a problem, or none
  auto k = key(seed);
  auto a = read_review_answer(checked);
  std::uint64_t ok = 0;
  for (std::size_t i = 0; i < k.size(); ++i) {
    auto it = a.find(entry_id(i));
    if (it == a.end()) continue;  // unanswered rows earn nothing, even clean ones
    ok += right(k[i], it->second) ? 1 : 0;
  }
  return {sdk::Credit::fraction(ok, k.size())};
}

json FhirReview::solve(std::uint64_t seed) const {
  auto k = key(seed);
  json rows = json::object();
  for (std::size_t i = 0; i < k.size(); ++i)
    rows[entry_id(i)] = {{"problem", k[i].empty() ? std::string("none") : *k[i].begin()}};
  return json{{"problems", rows}};
}

std::string FhirReview::feedback(std::uint64_t seed, const json& response) const {
  const json shown = present(seed);
  const json checked = checked_response(shown, response);
  require_column(shown, checked, "problems", "problem");  // every entry has a problem, or none
  auto k = key(seed);
  auto a = read_review_answer(checked);
  std::string out;
  for (std::size_t i = 0; i < k.size(); ++i) {
    auto id = entry_id(i);
    auto it = a.find(id);
    std::string expected;
    for (auto& p : k[i]) expected += (expected.empty() ? "" : " or ") + p;
    if (expected.empty()) expected = "none";
    if (it == a.end())
      out += id + ": not answered; the problem is " + expected + "\n";
    else if (!right(k[i], it->second))
      out += id + ": '" + it->second + "' is wrong; the problem is " + expected + "\n";
    else
      out += id + ": correct\n";
    auto n = notes_.find(id);
    if (n != notes_.end()) out += "  note: " + n->second + "\n";
  }
  return out;
}

std::vector<sdk::Example> FhirReview::examples() {
  json bundle = {
      {"resourceType", "Bundle"},
      {"type", "collection"},
      {"entry", json::array({json{{"fullUrl", "Patient/p1"}, {"resource", {{"resourceType", "Patient"}, {"id", "p1"}}}},
                             json{{"resource",
                                   {{"resourceType", "Observation"},
                                    {"id", "o1"},
                                    {"code", {{"text", "K"}}},
                                    {"subject", {{"reference", "Patient/p1"}}}}}},
                             json{{"resource",
                                   {{"resourceType", "Observation"},
                                    {"id", "o2"},
                                    {"status", "completed"},
                                    {"code", {{"text", "Na"}}},
                                    {"subject", {{"reference", "Patient/p1"}}}}}},
                             json{{"resource",
                                   {{"resourceType", "Observation"},
                                    {"id", "o3"},
                                    {"status", "final"},
                                    {"code", {{"text", "Cl"}}},
                                    {"subject", {{"reference", "Patient/p9"}}}}}},
                             json{{"resource",
                                   {{"resourceType", "Observation"},
                                    {"id", "o4"},
                                    {"status", "final"},
                                    {"code", {{"text", "Glu"}}},
                                    {"subject", {{"reference", "Patient:p1"}}}}}},
                             json{{"resource",
                                   {{"resourceType", "Encounter"},
                                    {"id", "v1"},
                                    {"status", "finished"},
                                    {"subject", {{"reference", "Patient/p1"}}}}}}})}};
  sdk::Example fixed;
  fixed.name = "one entry per rule";
  fixed.params = {{"bundle", bundle}, {"notes", {{"e2", "Observation.status is 1..1"}}}};
  fixed.alt_secret = {{"notes", json::object()}};
  fixed.seed = 1;
  auto row = [](const char* p) { return json{{"problem", p}}; };
  fixed.responses = {{"every entry right",
                      {{"problems",
                        {{"e1", row("none")},
                         {"e2", row("missing-required")},
                         {"e3", row("invalid-code")},
                         {"e4", row("unresolved-reference")},
                         {"e5", row("reference-format")},
                         {"e6", row("none")}}}},
                      {sdk::Credit::full()}},
                     {"the two reference problems swapped",
                      {{"problems",
                        {{"e1", row("none")},
                         {"e2", row("missing-required")},
                         {"e3", row("invalid-code")},
                         {"e4", row("reference-format")},
                         {"e5", row("unresolved-reference")},
                         {"e6", row("none")}}}},
                      {sdk::Credit::fraction(4, 6)}}};
  fixed.malformed = {{"the clean entries left blank",
                      {{"problems",
                        {{"e2", row("missing-required")},
                         {"e3", row("invalid-code")},
                         {"e4", row("unresolved-reference")},
                         {"e5", row("reference-format")}}}}},
                     {"a problem that is not an option",
                      {{"problems",
                        {{"e1", row("none")},
                         {"e2", row("missing status")},
                         {"e3", row("invalid-code")},
                         {"e4", row("unresolved-reference")},
                         {"e5", row("reference-format")},
                         {"e6", row("none")}}}}}};
  sdk::Example gen;
  gen.name = "a generated Bundle";
  gen.params = {{"notes", json::object()}};
  gen.alt_secret = {{"notes", {{"e1", "x"}}}};
  gen.seed = 9;
  gen.responses = {{"nothing answered", json::object(), {sdk::Credit::none()}}};
  return {fixed, gen};
}

}  // namespace assay::ehr
