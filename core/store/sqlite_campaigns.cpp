// The SQLite store: campaigns and their candidates.
#include <fmt/format.h>
#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include "columns.hpp"
#include "sqlite_store.hpp"

namespace assay::serve::sqlite {

using json = nlohmann::json;

Campaign SqliteStore::read_campaign(const Stmt& s, int at) {
  Campaign c;
  c.id = s.integer(at + 0);
  c.title = s.text(at + 1);
  c.assessment_id = s.text(at + 2);
  c.assessment_version = s.text(at + 3);
  c.assessment_sha256 = s.text(at + 4);
  c.assessment_title = s.text(at + 5);
  c.assessment_path = s.text(at + 6);
  c.mode = s.text(at + 7);
  c.opens = parse_t(s.text(at + 8));
  c.closes = parse_t(s.text(at + 9));
  c.time_limit = s.integer(at + 10);
  c.retakes = s.integer(at + 11);
  c.privacy_notice = s.text(at + 12);
  c.created_by = s.text(at + 13);
  c.created = parse_t(s.text(at + 14));
  c.retention_days = s.integer(at + 15);
  c.self_identification = s.text(at + 16);
  return c;
}

void SqliteStore::insert_campaign(Campaign& c) {
  std::lock_guard lock(mu_);
  Stmt(db_,
       "INSERT INTO campaigns(title, assessment_id, assessment_version, assessment_sha256, assessment_title, "
       "assessment_path, mode, opens, closes, time_limit, retakes, privacy_notice, created_by, created, retention_days, "
       "self_identification) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
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
      .bind(16, c.self_identification)
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

Candidate SqliteStore::read_candidate(const Stmt& s, int at) {
  Candidate c;
  c.id = s.integer(at + 0);
  c.campaign_id = s.integer(at + 1);
  c.name = s.text(at + 2);
  c.email = s.text(at + 3);
  c.external_ref = s.text(at + 4);
  c.link_hash = s.text(at + 5);
  c.revoked = s.integer(at + 6) != 0;
  c.extra_time = s.integer(at + 7);
  c.extra_time_by = s.text(at + 8);
  c.extra_time_note = s.text(at + 9);
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

std::optional<std::pair<Candidate, Campaign>> SqliteStore::link(const std::string& link_hash) {
  auto conn = reader();
  static const std::string sql =
      fmt::format("SELECT {}, {} FROM candidates c JOIN campaigns k ON k.id = c.campaign_id WHERE c.link_hash = ?",
                  qualified(kCandidateColumns, "c."), qualified(kCampaignColumns, "k."));
  Stmt s(*conn, sql);
  s.bind(1, link_hash);
  if (!s.step()) return std::nullopt;
  return std::pair{read_candidate(s), read_campaign(s, kCandidateColumnCount)};
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
                            "DELETE FROM xapi_outbox WHERE attempt_id IN (SELECT id FROM attempts WHERE candidate_id = ?)",
                            "DELETE FROM attempts WHERE candidate_id = ?",
                            "DELETE FROM self_identifications WHERE candidate_id = ?", "DELETE FROM candidates WHERE id = ?"})
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

void SqliteStore::put_self_identification(std::int64_t candidate_id, std::int64_t campaign_id, const std::string& answers,
                                          TimePoint at) {
  std::lock_guard lock(mu_);
  Stmt(db_,
       "INSERT INTO self_identifications(candidate_id, campaign_id, answers, at) VALUES(?, ?, ?, ?) "
       "ON CONFLICT(candidate_id) DO UPDATE SET answers = excluded.answers, at = excluded.at")
      .bind(1, candidate_id)
      .bind(2, campaign_id)
      .bind(3, answers)
      .bind(4, time_text(at))
      .exec();
}

bool SqliteStore::has_self_identification(std::int64_t candidate_id) {
  auto conn = reader();
  Stmt s(*conn, "SELECT 1 FROM self_identifications WHERE candidate_id = ?");
  s.bind(1, candidate_id);
  return s.step();
}

std::vector<std::pair<std::int64_t, std::string>> SqliteStore::self_identifications(std::int64_t campaign_id) {
  auto conn = reader();
  Stmt s(*conn, "SELECT candidate_id, answers FROM self_identifications WHERE campaign_id = ? ORDER BY candidate_id");
  s.bind(1, campaign_id);
  std::vector<std::pair<std::int64_t, std::string>> out;
  while (s.step()) out.emplace_back(s.integer(0), s.text(1));
  return out;
}

void SqliteStore::queue_statements(const std::vector<OutboxStatement>& statements, TimePoint at) {
  std::lock_guard lock(mu_);
  transaction([&] {
    for (const auto& st : statements)
      Stmt(db_,
           "INSERT INTO xapi_outbox(id, attempt_id, statement, queued, next_try) VALUES(?, ?, ?, ?, ?) "
           "ON CONFLICT(id) DO NOTHING")
          .bind(1, st.id)
          .bind(2, st.attempt_id)
          .bind(3, st.statement)
          .bind(4, time_text(at))
          .bind(5, time_text(at))
          .exec();
  });
}

std::vector<OutboxStatement> SqliteStore::claim_statements(TimePoint now, TimePoint lease_until, std::size_t limit) {
  std::lock_guard lock(mu_);
  std::vector<OutboxStatement> out;
  transaction([&] {
    Stmt s(db_,
           "UPDATE xapi_outbox SET next_try = ?1 WHERE id IN (SELECT id FROM xapi_outbox WHERE sent IS NULL AND refused = 0 "
           "AND next_try <= ?2 ORDER BY queued, id LIMIT ?3) RETURNING id, attempt_id, statement, tries");
    s.bind(1, time_text(lease_until)).bind(2, time_text(now)).bind(3, static_cast<std::int64_t>(limit));
    while (s.step()) out.push_back({s.text(0), s.text(1), s.text(2), s.integer(3)});
  });
  return out;
}

void SqliteStore::statement_sent(const std::string& id, TimePoint at) {
  std::lock_guard lock(mu_);
  Stmt(db_, "UPDATE xapi_outbox SET sent = ?, last_error = '' WHERE id = ?").bind(1, time_text(at)).bind(2, id).exec();
}

void SqliteStore::statement_failed(const std::string& id, TimePoint next_try, const std::string& error, bool refused) {
  std::lock_guard lock(mu_);
  Stmt(db_, "UPDATE xapi_outbox SET tries = tries + 1, next_try = ?, last_error = ?, refused = ? WHERE id = ? AND sent IS NULL")
      .bind(1, time_text(next_try))
      .bind(2, error)
      .bind(3, std::int64_t{refused ? 1 : 0})
      .bind(4, id)
      .exec();
}

OutboxCounts SqliteStore::outbox_counts() {
  auto conn = reader();
  Stmt s(*conn,
         "SELECT count(*) FILTER (WHERE sent IS NULL AND refused = 0), count(sent), count(*) FILTER (WHERE refused = 1) "
         "FROM xapi_outbox");
  s.step();
  return {s.integer(0), s.integer(1), s.integer(2)};
}

}  // namespace assay::serve::sqlite
