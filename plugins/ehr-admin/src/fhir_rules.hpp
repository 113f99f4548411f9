// The FHIR R4 (4.0.1) checks fhir-review keys on: not a validator, only these rules, each from
// hl7.org/fhir/R4: Observation.status and .code are 1..1, Encounter.status is 1..1; the status
// elements have required bindings (observation-status, encounter-status); a reference is a
// relative [type]/[id], an absolute URL, a urn:uuid: or a #local id; relative and urn:uuid:
// references inside a Bundle must resolve to an entry.
#ifndef ASSAY_EHR_FHIR_RULES_HPP
#define ASSAY_EHR_FHIR_RULES_HPP

#include <assay/sdk.hpp>

#include <set>
#include <string>
#include <vector>

namespace assay::ehr::fhir {

/// missing-required, invalid-code, unresolved-reference, reference-format.
const std::vector<std::string>& problem_ids();
const std::vector<std::string>& observation_statuses();
const std::vector<std::string>& encounter_statuses();

bool valid_reference_format(const std::string& ref);

/// The problems of `bundle.entry[index].resource` under the rules above.
std::set<std::string> check_entry(const sdk::json& bundle, std::size_t index);

struct GenOptions {
  int min_observations = 3, max_observations = 4;
  int min_problems = 2, max_problems = 3;
  std::vector<std::string> problems = problem_ids();
};

/// A collection Bundle: a Patient, an Encounter and Observations, with problems injected into
/// distinct entries.
sdk::json generate(const GenOptions& opt, sdk::Rng& rng);

}  // namespace assay::ehr::fhir

#endif
