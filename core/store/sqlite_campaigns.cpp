// The SQLite store: campaigns and their candidates.
#include <fmt/format.h>
#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include "sqlite_store.hpp"

namespace assay::serve::sqlite {

using json = nlohmann::json;

Campaign SqliteStore::read_campaign(const Stmt& s) {
  Campaign c;
  c.id = s.integer(0);
  c.title = s.text(1);
  c.assessment_id = s.text(2);
  c.assessment_version = s.text(3);
  c.assessment_sha256 = s.text(4);
  c.assessment_title = s.text(5);
  c.assessment_path = s.text(6);
  c.mode = s.text(7);
  c.opens = parse_t(s.text(8));
  c.closes = parse_t(s.text(9));
  c.time_limit = s.integer(10);
  c.retakes = s.integer(11);
  c.privacy_notice = s.text(12);
  c.created_by = s.text(13);
  c.created = parse_t(s.text(14));
  c.retention_days = s.integer(15);
  return c;
}

void SqliteStore::insert_campaign(Campaign& c) {
  std::lock_guard lock(mu_);
  Stmt(db_,
       "INSERT INTO campaigns(title, assessment_id, assessment_version, assessment_sha256, assessment_title, "
       "assessment_path, mode, opens, closes, time_limit, retakes, privacy_notice, created_by, created, retention_days) "
       "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, c.title)
      .bind(2, c.assessment_id)
      .bind(3, c.assessment_version)
      .bind(4, c.assessment_sha256)
      .bind(5, c.assessment_title)
      .bind(6, c.assessment_path)
      .bind(7, c.mode)
      .bind(8, time_text(c.opens))
      .bind(9, time_text(c.closes))
      .bind(10, c.time_limit)
      .bind(11, c.retakes)
      .bind(12, c.privacy_notice)
      .bind(13, c.created_by)
      .bind(14, time_text(c.created))
      .bind(15, c.retention_days)
      .exec();
  c.id = sqlite3_last_insert_rowid(db_.handle());
}

std::optional<Campaign> SqliteStore::campaign(std::int64_t id) {
  auto conn = reader();
  static const std::string sql = fmt::format("SELECT {} FROM campaigns WHERE id = ?", kCampaignColumns);
  Stmt s(*conn, sql);
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_campaign(s);
}

std::vector<Campaign> SqliteStore::campaigns() {
  auto conn = reader();
  static const std::string sql = fmt::format("SELECT {} FROM campaigns ORDER BY id", kCampaignColumns);
  Stmt s(*conn, sql);
  std::vector<Campaign> out;
  while (s.step()) out.push_back(read_campaign(s));
  return out;
}

Candidate SqliteStore::read_candidate(const Stmt& s) {
  Candidate c;
  c.id = s.integer(0);
  c.campaign_id = s.integer(1);
  c.name = s.text(2);
  c.email = s.text(3);
  c.external_ref = s.text(4);
  c.link_hash = s.text(5);
  c.revoked = s.integer(6) != 0;
  c.extra_time = s.integer(7);
  c.extra_time_by = s.text(8);
  c.extra_time_note = s.text(9);
  return c;
}

void SqliteStore::insert_candidates(std::vector<Candidate>& cs) {
  std::lock_guard lock(mu_);
  transaction([&] {
    for (auto& c : cs) {
      // Ids are never given twice, not even after the newest candidate's data is deleted: an id in
      // an export or a log names one person only. The highest id given is kept in the settings.
      {
        Stmt next(db_,
                  "SELECT max(coalesce((SELECT max(id) FROM candidates), 0), "
                  "coalesce((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'candidate_id_high'), 0)) + 1");
        c.id = next.step() ? next.integer(0) : 1;
      }
      Stmt(db_, "INSERT INTO candidates(id, campaign_id, name, email, external_ref, link_hash) VALUES(?, ?, ?, ?, ?, ?)")
          .bind(1, c.id)
          .bind(2, c.campaign_id)
          .bind(3, c.name)
          .bind(4, c.email)
          .bind(5, c.external_ref)
          .bind(6, c.link_hash)
          .exec();
      Stmt(db_,
           "INSERT INTO settings(key, value) VALUES('candidate_id_high', ?) "
           "ON CONFLICT(key) DO UPDATE SET value = excluded.value")
          .bind(1, std::to_string(c.id))
          .exec();
    }
  });
}

std::optional<Candidate> SqliteStore::candidate(std::int64_t id) {
  auto conn = reader();
  static const std::string sql = fmt::format("SELECT {} FROM candidates WHERE id = ?", kCandidateColumns);
  Stmt s(*conn, sql);
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_candidate(s);
}

std::optional<Candidate> SqliteStore::candidate_by_link(const std::string& link_hash) {
  auto conn = reader();
  static const std::string sql = fmt::format("SELECT {} FROM candidates WHERE link_hash = ?", kCandidateColumns);
  Stmt s(*conn, sql);
  s.bind(1, link_hash);
  if (!s.step()) return std::nullopt;
  return read_candidate(s);
}

std::vector<Candidate> SqliteStore::candidates(std::int64_t campaign_id) {
  auto conn = reader();
  static const std::string sql = fmt::format("SELECT {} FROM candidates WHERE campaign_id = ? ORDER BY id", kCandidateColumns);
  Stmt s(*conn, sql);
  s.bind(1, campaign_id);
  std::vector<Candidate> out;
  while (s.step()) out.push_back(read_candidate(s));
  return out;
}

void SqliteStore::set_link(std::int64_t candidate_id, const std::string& link_hash) {
  std::lock_guard lock(mu_);
  Stmt(db_, "UPDATE candidates SET link_hash = ? WHERE id = ?").bind(1, link_hash).bind(2, candidate_id).exec();
}

void SqliteStore::revoke(std::int64_t candidate_id) {
  std::lock_guard lock(mu_);
  Stmt(db_, "UPDATE candidates SET revoked = 1 WHERE id = ?").bind(1, candidate_id).exec();
}

void SqliteStore::delete_candidate(std::int64_t candidate_id) {
  std::lock_guard lock(mu_);
  transaction([&] {
    for (const char* sql : {"DELETE FROM answers WHERE attempt_id IN (SELECT id FROM attempts WHERE candidate_id = ?)",
                            "DELETE FROM ratings WHERE attempt_id IN (SELECT id FROM attempts WHERE candidate_id = ?)",
                            "DELETE FROM signals WHERE attempt_id IN (SELECT id FROM attempts WHERE candidate_id = ?)",
                            "DELETE FROM results WHERE attempt_id IN (SELECT id FROM attempts WHERE candidate_id = ?)",
                            "DELETE FROM attempts WHERE candidate_id = ?", "DELETE FROM candidates WHERE id = ?"})
      Stmt(db_, sql).bind(1, candidate_id).exec();
  });
}

void SqliteStore::set_extra_time(std::int64_t candidate_id, std::int64_t seconds, const std::string& by,
                                 const std::string& note) {
  std::lock_guard lock(mu_);
  Stmt(db_, "UPDATE candidates SET extra_time = ?, extra_time_by = ?, extra_time_note = ? WHERE id = ?")
      .bind(1, seconds)
      .bind(2, by)
      .bind(3, note)
      .bind(4, candidate_id)
      .exec();
}

}  // namespace assay::serve::sqlite
