// Repairing times and durations an earlier release let in (Store::repair_out_of_range).
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "sqlite_store.hpp"

namespace assay::serve {

bool limits::in_range(TimePoint t) {
  auto ymd = std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(t)};
  return ymd.ok() && static_cast<int>(ymd.year()) >= kFirstYear && static_cast<int>(ymd.year()) <= kLastYear;
}

namespace sqlite {

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

std::vector<std::string> SqliteStore::repair_out_of_range() {
  std::lock_guard lock(mu_);
  std::vector<std::string> repairs;
  transaction([&] {
    struct CampaignTimes {
      TimePoint closes;
      std::int64_t time_limit = 0;
    };
    std::map<std::int64_t, CampaignTimes> campaigns;
    {
      std::vector<std::tuple<std::int64_t, std::string, std::string, std::int64_t, std::int64_t, std::int64_t>> rows;
      Stmt s(db_, "SELECT id, opens, closes, time_limit, retakes, retention_days FROM campaigns");
      while (s.step()) rows.emplace_back(s.integer(0), s.text(1), s.text(2), s.integer(3), s.integer(4), s.integer(5));
      for (const auto& [id, opens_text, closes_text, limit, retakes, retention] : rows) {
        auto opens = usable(opens_text), closes = usable(closes_text);
        TimePoint o = opens.value_or(year_start(limits::kFirstYear));
        TimePoint c = closes.value_or(year_start(limits::kLastYear + 1) - std::chrono::seconds(1));
        if (c <= o) c = o + std::chrono::seconds(1);
        CampaignTimes t{c, clamp_count(limit, limits::kMaxTimeLimitSeconds)};
        auto fixed_retakes = clamp_count(retakes, limits::kMaxRetakes);
        auto fixed_retention = clamp_count(retention, limits::kMaxRetentionDays);
        if (!opens || !closes || t.time_limit != limit || fixed_retakes != retakes || fixed_retention != retention) {
          Stmt(db_, "UPDATE campaigns SET opens = ?, closes = ?, time_limit = ?, retakes = ?, retention_days = ? WHERE id = ?")
              .bind(1, time_text(o))
              .bind(2, time_text(c))
              .bind(3, t.time_limit)
              .bind(4, fixed_retakes)
              .bind(5, fixed_retention)
              .bind(6, id)
              .exec();
          repairs.push_back(fmt::format(
              "campaign {}: opens {} -> {}, closes {} -> {}, time limit {} -> {} s, retakes {} -> {}, retention {} -> {} days",
              id, opens_text, time_text(o), closes_text, time_text(c), limit, t.time_limit, retakes, fixed_retakes, retention,
              fixed_retention));
        }
        campaigns[id] = t;
      }
    }
    std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>> candidates;  // id -> (campaign, extra time)
    {
      std::vector<std::tuple<std::int64_t, std::int64_t, std::int64_t>> rows;
      Stmt s(db_, "SELECT id, campaign_id, extra_time FROM candidates");
      while (s.step()) rows.emplace_back(s.integer(0), s.integer(1), s.integer(2));
      for (const auto& [id, campaign, extra] : rows) {
        auto fixed = clamp_count(extra, limits::kMaxExtraTimeSeconds);
        if (fixed != extra) {
          Stmt(db_, "UPDATE candidates SET extra_time = ? WHERE id = ?").bind(1, fixed).bind(2, id).exec();
          repairs.push_back(fmt::format("candidate {}: extra time {} -> {} s", id, extra, fixed));
        }
        candidates[id] = {campaign, fixed};
      }
    }
    std::vector<std::tuple<std::string, std::int64_t, std::string, std::string, std::string>> rows;
    {
      Stmt s(db_,
             "SELECT id, candidate_id, coalesce(json_extract(document, '$.started'), ''), coalesce(deadline, ''), "
             "coalesce(submitted, '') FROM attempts");
      while (s.step()) rows.emplace_back(s.text(0), s.integer(1), s.text(2), s.text(3), s.text(4));
    }
    for (const auto& [id, candidate, started_text, deadline_text, submitted_text] : rows) {
      auto cand = candidates.find(candidate);
      if (cand == candidates.end()) continue;
      auto camp = campaigns.find(cand->second.first);
      if (camp == campaigns.end()) continue;
      auto started = usable(started_text);
      if (!started) continue;  // the clock wrote it: never out of range unless the database is damaged
      const auto& c = camp->second;
      std::optional<TimePoint> deadline;
      if (!deadline_text.empty() || c.time_limit > 0) {
        deadline = std::min(*started + std::chrono::seconds(c.time_limit + cand->second.second), c.closes);
        if (c.time_limit == 0) deadline = c.closes;
      }
      if (!deadline_text.empty() && usable(deadline_text) != deadline) {
        auto current = usable(deadline_text);
        if (!current || *current > c.closes || *current < *started) {
          Stmt(db_, "UPDATE attempts SET deadline = ? WHERE id = ?").bind(1, time_text(*deadline)).bind(2, id).exec();
          repairs.push_back(fmt::format("attempt {}: deadline {} -> {}", id, deadline_text, time_text(*deadline)));
        }
      }
      if (!submitted_text.empty() && (!usable(submitted_text) || *usable(submitted_text) < *started)) {
        // Submitted before it started: the deadline wrapped. It ends at its repaired deadline (or start).
        TimePoint at = deadline.value_or(*started);
        Stmt(db_, "UPDATE attempts SET submitted = ? WHERE id = ?").bind(1, time_text(at)).bind(2, id).exec();
        repairs.push_back(fmt::format("attempt {}: submitted {} -> {} (review it: it was submitted by a wrapped deadline)", id,
                                      submitted_text, time_text(at)));
      }
    }
  });
  return repairs;
}

}  // namespace sqlite
}  // namespace assay::serve
