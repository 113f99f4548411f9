// Repairing times and durations an earlier release let in (Store::repair_out_of_range): the rows
// read and the repairs written in one transaction; the rules are in repair_plan.cpp.
#include "repair_plan.hpp"
#include "sqlite_store.hpp"

namespace assay::serve::sqlite {

std::vector<std::string> SqliteStore::repair_out_of_range() {
  std::lock_guard lock(mu_);
  std::vector<std::string> repairs;
  transaction([&] {
    detail::RepairInput in;
    {
      Stmt s(db_, "SELECT id, opens, closes, time_limit, retakes, retention_days FROM campaigns");
      while (s.step()) in.campaigns.push_back({s.integer(0), s.text(1), s.text(2), s.integer(3), s.integer(4), s.integer(5)});
    }
    {
      Stmt s(db_, "SELECT id, campaign_id, extra_time FROM candidates");
      while (s.step()) in.candidates.push_back({s.integer(0), s.integer(1), s.integer(2)});
    }
    {
      Stmt s(db_,
             "SELECT id, candidate_id, coalesce(json_extract(document, '$.started'), ''), coalesce(deadline, ''), "
             "coalesce(submitted, '') FROM attempts");
      while (s.step()) in.attempts.push_back({s.text(0), s.integer(1), s.text(2), s.text(3), s.text(4)});
    }
    auto plan = detail::plan_repairs(in);
    for (const auto& c : plan.campaigns)
      Stmt(db_, "UPDATE campaigns SET opens = ?, closes = ?, time_limit = ?, retakes = ?, retention_days = ? WHERE id = ?")
          .bind(1, c.opens)
          .bind(2, c.closes)
          .bind(3, c.time_limit)
          .bind(4, c.retakes)
          .bind(5, c.retention_days)
          .bind(6, c.id)
          .exec();
    for (const auto& c : plan.candidates)
      Stmt(db_, "UPDATE candidates SET extra_time = ? WHERE id = ?").bind(1, c.extra_time).bind(2, c.id).exec();
    for (const auto& a : plan.attempts)
      Stmt(db_, a.submitted ? "UPDATE attempts SET submitted = ? WHERE id = ?" : "UPDATE attempts SET deadline = ? WHERE id = ?")
          .bind(1, a.value)
          .bind(2, a.id)
          .exec();
    repairs = std::move(plan.lines);
  });
  return repairs;
}

}  // namespace assay::serve::sqlite
