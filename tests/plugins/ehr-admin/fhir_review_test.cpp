#include <catch2/catch.hpp>

#include "fhir_review.hpp"
#include "properties.hpp"

using assay::ehr::FhirReview;
using assay::sdk::Credit;
using assay::sdk::json;
namespace fhir = assay::ehr::fhir;

namespace {

std::string joined_names(const std::set<std::string>& s) {
  std::string out;
  for (auto& x : s) out += (out.empty() ? "" : " ") + x;
  return out;
}

json bundle_of(json resource) {
  return json{
      {"resourceType", "Bundle"},
      {"type", "collection"},
      {"entry", json::array({json{{"fullUrl", "Patient/p1"}, {"resource", {{"resourceType", "Patient"}, {"id", "p1"}}}},
                             json{{"fullUrl", "urn:uuid:0c3f"}, {"resource", {{"resourceType", "Patient"}, {"id", "p2"}}}},
                             json{{"resource", resource}}})}};
}

}  // namespace

TEST_CASE("each FHIR rule flags the resource it describes", "[ehr][fhir-review]") {
  json ok = {{"resourceType", "Observation"},
             {"status", "final"},
             {"code", {{"text", "K"}}},
             {"subject", {{"reference", "Patient/p1"}}}};
  auto with = [&](const std::string& ptr, json v) {
    json r = ok;
    r[json::json_pointer(ptr)] = std::move(v);
    return r;
  };
  auto without = [&](const char* k) {
    json r = ok;
    r.erase(k);
    return r;
  };
  auto [resource, problems] = GENERATE_COPY(table<json, std::string>(
      {{ok, ""},
       {without("status"), "missing-required"},
       {without("code"), "missing-required"},
       {with("/status", "completed"), "invalid-code"},
       {with("/status", "Final"), "invalid-code"},  // codes are case-sensitive
       {with("/status", "entered-in-error"), ""},
       {with("/subject/reference", "Patient/p9"), "unresolved-reference"},
       {with("/subject/reference", "urn:uuid:0c3f"), ""},  // resolves to a fullUrl
       {with("/subject/reference", "urn:uuid:ffff"), "unresolved-reference"},
       {with("/subject/reference", "https://other.example.org/fhir/Patient/7"), ""},  // external: need not resolve
       {with("/subject/reference", "#contained1"), ""},
       {with("/subject/reference", "Patient:p1"), "reference-format"},
       {with("/subject/reference", "patient/p1"), "reference-format"},
       {with("/subject/reference", "p1"), "reference-format"},
       {with("/performer", json::array({json{{"reference", "Practitioner/x_1"}}})),
        "reference-format"},  // '_' is not an id character
       {json{{"resourceType", "Encounter"}, {"status", "discharged"}}, "invalid-code"},
       {json{{"resourceType", "Encounter"}, {"status", "finished"}}, ""},
       {json{{"resourceType", "Encounter"}}, "missing-required"},
       {json{{"resourceType", "Patient"}}, ""},  // Patient has no required element
       {json{{"resourceType", "Observation"}, {"code", {{"text", "K"}}}, {"subject", {{"reference", "Patient/p9"}}}},
        "missing-required unresolved-reference"}}));
  CAPTURE(resource.dump());
  REQUIRE(joined_names(fhir::check_entry(bundle_of(resource), 2)) == problems);
}

TEST_CASE("fhir-review scores each entry and pins refusals", "[ehr][fhir-review]") {
  auto ex = FhirReview::examples()[0];
  auto item = FhirReview::prepare(ex.params);
  auto k = item.key(1);
  REQUIRE(k.size() == 6);
  REQUIRE(joined_names(k[1]) == "missing-required");
  REQUIRE(joined_names(k[2]) == "invalid-code");
  REQUIRE(joined_names(k[3]) == "unresolved-reference");
  REQUIRE(joined_names(k[4]) == "reference-format");
  REQUIRE(k[0].empty());
  REQUIRE(k[5].empty());
  auto row = [](const char* p) { return json{{"problem", p}}; };
  // Every entry needs an answer: only e1 is right here.
  REQUIRE(item.score(1, json{{"problems",
                              {{"e1", row("none")},
                               {"e2", row("invalid-code")},
                               {"e3", row("none")},
                               {"e4", row("none")},
                               {"e5", row("none")},
                               {"e6", row("missing-required")}}}}) == std::vector<Credit>{{1, 6}});
  // Two entries answered of six was scored 1/6; the four left blank now make it malformed.
  REQUIRE(ehr_test::malformed_message(item, 1, json{{"problems", {{"e1", row("none")}, {"e2", row("invalid-code")}}}}) ==
          "cell Problem of e3 Observation/o2 is empty: choose no problem, missing-required, invalid-code, "
          "unresolved-reference or reference-format");
  auto [params, pointer, message] = GENERATE(table<json, std::string, std::string>(
      {{json{{"bundle", "{not json"}}, "/bundle", "expected a FHIR Bundle in JSON, found text that is not JSON"},
       {json{{"bundle", json{{"resourceType", "Patient"}}}}, "/bundle", "expected a resource with resourceType \"Bundle\""},
       {json{{"bundle", json{{"resourceType", "Bundle"}, {"entry", json::array({json{{"resource", json::object()}}})}}}},
        "/bundle", "entry[0] has no resource with a resourceType"},
       {json{{"problems", {{"min", 3}, {"max", 5}}}}, "/problems", "at most 3 problems fit in 3 observations"},
       {json{{"kinds", {"bad-date"}}}, "/kinds/0",
        "expected one of 'missing-required', 'invalid-code', 'unresolved-reference', 'reference-format', found \"bad-date\""},
       {json{{"bundle", "{}"}, {"kinds", {"invalid-code"}}}, "/kinds",
        "'kinds' shapes generated Bundles; remove it or remove 'bundle'"}}));
  CAPTURE(params.dump());
  auto [ptr, msg] = ehr_test::refusal<FhirReview>(params);
  REQUIRE(ptr == pointer);
  REQUIRE(msg == message);
}

TEST_CASE("generated Bundles carry the injected number of problems, one per entry", "[ehr][fhir-review][property]") {
  auto item = FhirReview::prepare(json{{"observations", {{"min", 3}, {"max", 5}}}, {"problems", {{"min", 2}, {"max", 3}}}});
  std::map<std::string, int> seen;
  for (auto seed : ehr_test::seeds(300)) {
    CAPTURE(seed);
    auto k = item.key(seed);
    int with = 0;
    for (auto& s : k) {
      REQUIRE(s.size() <= 1);
      with += s.empty() ? 0 : 1;
      for (auto& p : s) ++seen[p];
    }
    REQUIRE(with >= 2);
    REQUIRE(with <= 3);
    REQUIRE(k[0].empty());  // the Patient
    REQUIRE(k[1].empty());  // the Encounter
  }
  for (auto& p : fhir::problem_ids()) {
    CAPTURE(p);
    REQUIRE(seen[p] > 50);
  }
  ehr_test::check_properties<FhirReview>(json{{"notes", json::object()}}, json{{"notes", {{"e3", "n"}}}});
}

TEST_CASE("fhir-review examples earn the credits they declare", "[ehr][fhir-review]") { ehr_test::check_examples<FhirReview>(); }
