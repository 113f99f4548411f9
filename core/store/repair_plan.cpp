// Repairing times and durations an earlier release let in (Store::repair_out_of_range).
#include "repair_plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>

#include "assay/store.hpp"

namespace assay::serve {

bool limits::in_range(TimePoint t) {
  auto ymd = std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(t)};
  return ymd.ok() && static_cast<int>(ymd.year()) >= kFirstYear && static_cast<int>(ymd.year()) <= kLastYear;
}

namespace detail {

namespace {

/// A time the database holds, or nullopt when it cannot be read or lies outside the limits.
std::optional<TimePoint> usable(const std::string& text) {
  TimePoint t;
  if (!parse_time(text, t) || !limits::in_range(t)) return std::nullopt;
  return t;
}

TimePoint year_start(int year) { return std::chrono::sys_days{std::chrono::year{year} / std::chrono::January / 1}; }

std::int64_t clamp_count(std::int64_t v, std::int64_t max) { return std::clamp<std::int64_t>(v, 0, max); }

}  // namespace

RepairPlan plan_repairs(const RepairInput& in) {
  RepairPlan plan;
  struct CampaignTimes {
    TimePoint closes;
    std::int64_t time_limit = 0;
  };
  std::map<std::int64_t, CampaignTimes> campaigns;
  for (const auto& row : in.campaigns) {
    auto opens = usable(row.opens), closes = usable(row.closes);
    TimePoint o = opens.value_or(year_start(limits::kFirstYear));
    TimePoint c = closes.value_or(year_start(limits::kLastYear + 1) - std::chrono::seconds(1));
    if (c <= o) c = o + std::chrono::seconds(1);
    CampaignTimes t{c, clamp_count(row.time_limit, limits::kMaxTimeLimitSeconds)};
    auto fixed_retakes = clamp_count(row.retakes, limits::kMaxRetakes);
    auto fixed_retention = clamp_count(row.retention_days, limits::kMaxRetentionDays);
    if (!opens || !closes || t.time_limit != row.time_limit || fixed_retakes != row.retakes ||
        fixed_retention != row.retention_days) {
      plan.campaigns.push_back({row.id, format_time(o), format_time(c), t.time_limit, fixed_retakes, fixed_retention});
      plan.lines.push_back(fmt::format(
          "campaign {}: opens {} -> {}, closes {} -> {}, time limit {} -> {} s, retakes {} -> {}, retention {} -> {} days",
          row.id, row.opens, format_time(o), row.closes, format_time(c), row.time_limit, t.time_limit, row.retakes, fixed_retakes,
          row.retention_days, fixed_retention));
    }
    campaigns[row.id] = t;
  }
  std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>> candidates;  // id -> (campaign, extra time)
  for (const auto& row : in.candidates) {
    auto fixed = clamp_count(row.extra_time, limits::kMaxExtraTimeSeconds);
    if (fixed != row.extra_time) {
      plan.candidates.push_back({row.id, fixed});
      plan.lines.push_back(fmt::format("candidate {}: extra time {} -> {} s", row.id, row.extra_time, fixed));
    }
    candidates[row.id] = {row.campaign_id, fixed};
  }
  for (const auto& row : in.attempts) {
    auto cand = candidates.find(row.candidate_id);
    if (cand == candidates.end()) continue;
    auto camp = campaigns.find(cand->second.first);
    if (camp == campaigns.end()) continue;
    auto started = usable(row.started);
    if (!started) continue;  // the clock wrote it: never out of range unless the database is damaged
    const auto& c = camp->second;
    std::optional<TimePoint> deadline;
    if (!row.deadline.empty() || c.time_limit > 0) {
      deadline = std::min(*started + std::chrono::seconds(c.time_limit + cand->second.second), c.closes);
      if (c.time_limit == 0) deadline = c.closes;
    }
    if (!row.deadline.empty() && usable(row.deadline) != deadline) {
      auto current = usable(row.deadline);
      if (!current || *current > c.closes || *current < *started) {
        plan.attempts.push_back({row.id, false, format_time(*deadline)});
        plan.lines.push_back(fmt::format("attempt {}: deadline {} -> {}", row.id, row.deadline, format_time(*deadline)));
      }
    }
    if (!row.submitted.empty() && (!usable(row.submitted) || *usable(row.submitted) < *started)) {
      // Submitted before it started: the deadline wrapped. It ends at its repaired deadline (or start).
      TimePoint at = deadline.value_or(*started);
      plan.attempts.push_back({row.id, true, format_time(at)});
      plan.lines.push_back(fmt::format("attempt {}: submitted {} -> {} (review it: it was submitted by a wrapped deadline)",
                                       row.id, row.submitted, format_time(at)));
    }
  }
  return plan;
}

}  // namespace detail
}  // namespace assay::serve
