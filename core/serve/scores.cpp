#include "scores.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "assay/scoring.hpp"
#include "assay/xapi.hpp"

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
  // A final result goes to the learning record store, once: a statement's id is a UUID of the
  // attempt, and one queued already stays as it was (a later rescore is not sent). Queued before
  // the result is stored: a result is stored only once its statements are safe.
  if (!api.options.xapi.endpoint.empty() && result.outcome != scoring::Outcome::kPending) {
    xapi::Options xo;
    xo.home_page = api.options.xapi.home_page;
    xo.activity_base = api.options.xapi.activity_base;
    xo.items = api.options.xapi.items;
    std::vector<OutboxStatement> queued;
    for (const auto& st : xapi::statements(result, attempt, xo))
      queued.push_back({st.at("id").get<std::string>(), attempt.attempt_id, st.dump(), 0});
    api.store.queue_statements(queued, api.now());
  }
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

std::vector<Row> rows(ApiContext& api, const Campaign& c) {
  std::vector<Row> out;
  for (auto& cand : api.store.candidates(c.id)) {
    auto attempts = api.store.attempts_of(cand.id);
    if (attempts.empty()) continue;
    auto a = std::move(attempts.back());
    if (!finalize_if_due(api, a, c)) continue;
    auto doc = api.store.result(a.attempt.attempt_id);
    if (!doc) {
      score(api, c, a.attempt);
      doc = api.store.result(a.attempt.attempt_id);
    }
    auto parsed = scoring::try_result_from_json(json::parse(*doc));
    Row r{std::move(cand), std::move(a), std::nullopt, *doc};
    if (parsed) r.result = std::move(parsed.value());
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace assay::serve::detail
