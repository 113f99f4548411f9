// Scoring in the server: an attempt is scored when it is submitted or falls due (its deadline,
// the campaign's close), and rescored after a rating or an exclusion; each result is stored.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "assay/delivery.hpp"
#include "assay/results.hpp"
#include "assay/store.hpp"
#include "context.hpp"

namespace assay::serve::detail {

/// Scores the (submitted) attempt with the campaign's exclusions and stores its result.
scoring::ScoreResult score(ApiContext& api, const Campaign& c, const delivery::Attempt& attempt);

/// Submits the attempt at `at` and scores it; when another request submitted it first, `a`
/// becomes the stored attempt.
void submit(ApiContext& api, StoredAttempt& a, const Campaign& c, TimePoint at);

/// Submits an attempt whose deadline or campaign close has passed, at that moment. True when
/// the attempt is (now) submitted.
bool finalize_if_due(ApiContext& api, StoredAttempt& a, const Campaign& c);

/// The campaign's latest attempt of one candidate, finalized when due, with its result.
struct Row {
  Candidate candidate;
  StoredAttempt attempt;
  std::optional<scoring::ScoreResult> result;
  std::string document;
};

/// The campaign's rows, by candidate id; candidates without a submitted attempt are left out.
std::vector<Row> rows(ApiContext& api, const Campaign& c);

/// When a timed attempt started at `started` with `extra` seconds of accommodation ends: the
/// campaign's time limit plus the extra time, and never after the campaign closes.
TimePoint deadline_of(const Campaign& c, TimePoint started, std::int64_t extra);

}  // namespace assay::serve::detail
