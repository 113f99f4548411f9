#include "scores.hpp"

#include <algorithm>

#include "assay/scoring.hpp"

namespace assay::serve::detail {

namespace {

scoring::Options scoring_options(ApiContext& api, std::int64_t campaign_id) {
  scoring::Options o;
  o.threads = 1;
  for (const auto& e : api.store.exclusions(campaign_id)) o.exclusions.push_back({e.item, e.reason});
  return o;
}

}  // namespace

scoring::ScoreResult score(ApiContext& api, const Campaign& c, const delivery::Attempt& attempt) {
  auto loaded = api.load(c);
  auto result = scoring::score_attempt(*loaded, attempt, scoring_options(api, c.id));
  api.store.put_result(attempt.attempt_id, scoring::to_json(result).dump());
  return result;
}

void submit(ApiContext& api, StoredAttempt& a, const Campaign& c, TimePoint at) {
  if (api.store.mark_submitted(a.attempt.attempt_id, at)) {
    a.attempt.submitted = at;
    score(api, c, a.attempt);
  } else {
    auto fresh = api.store.attempt(a.attempt.attempt_id);
    if (fresh) a = std::move(*fresh);
  }
}

bool finalize_if_due(ApiContext& api, StoredAttempt& a, const Campaign& c) {
  if (a.attempt.submitted) return true;
  auto t = api.now();
  std::optional<TimePoint> due;
  if (a.attempt.deadline && t >= *a.attempt.deadline) due = *a.attempt.deadline;
  if (t >= c.closes) due = due ? std::min(*due, c.closes) : c.closes;
  if (!due) return false;
  submit(api, a, c, *due);
  return true;
}

TimePoint deadline_of(const Campaign& c, TimePoint started, std::int64_t extra) {
  return std::min(started + std::chrono::seconds(c.time_limit + extra), c.closes);
}

}  // namespace assay::serve::detail
