// Results as xAPI 1.0.3 statements (docs/formats.md, "xAPI statements"): one per candidate and
// assessment, and optionally one per item, for a learning record store. Statement ids and
// registrations are name-based UUIDs (version 5) of the attempt, so the same result always gives
// the same statement and an LRS that has it already does not store it twice.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "assay/delivery.hpp"
#include "assay/results.hpp"

namespace assay::xapi {

struct Options {
  /// The home page of the system whose candidate ids these are: the actor is the account
  /// {homePage, name: candidate_id}, never an e-mail address.
  std::string home_page;
  /// Where the assessments' activity IRIs live: BASE/assessments/ID/VERSION (default: home_page).
  std::string activity_base;
  bool items = false;  // also one "answered" statement per item
};

/// The statements of one result, the assessment's first. `attempt` gives the duration and the
/// timestamp (its submission); it must be the attempt the result was scored from.
std::vector<nlohmann::json> statements(const scoring::ScoreResult& result, const delivery::Attempt& attempt,
                                       const Options& options);

/// What is wrong with `statement` by the rules of the xAPI 1.0.3 specification (Data section 2.4)
/// that a statement sent by a learning record provider must follow: one line per breach, none
/// when it is valid.
std::vector<std::string> check_statement(const nlohmann::json& statement);

/// A name-based UUID, version 5 (RFC 4122 section 4.3: SHA-1 of the namespace and the name).
std::string uuid_v5(std::string_view namespace_uuid, std::string_view name);

/// Percent-encodes what may not stand in an IRI's path segment.
std::string path_segment(std::string_view text);

}  // namespace assay::xapi
