// The SQLite store: attempts, answers, ratings, signals, results, exclusions, the log, rate
// limits and backups.
#include <fmt/format.h>
#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include "sqlite_store.hpp"

namespace assay::serve::sqlite {

using json = nlohmann::json;

bool SqliteStore::insert_attempt(const StoredAttempt& a) {
  std::lock_guard lock(mu_);
  auto doc = delivery::to_json(a.attempt);
  doc["answers"] = json::object();
  doc.erase("ratings");
  return Stmt(db_,
              "INSERT INTO attempts(id, candidate_id, campaign_id, document, deadline, submitted, browser_hash) "
              "VALUES(?, ?, ?, ?, ?, ?, ?)")
      .bind(1, a.attempt.attempt_id)
      .bind(2, a.candidate_id)
      .bind(3, a.campaign_id)
      .bind(4, doc.dump())
      .bind(5, a.attempt.deadline)
      .bind(6, a.attempt.submitted)
      .bind(7, a.browser_hash)
      .exec_checked();
}

std::vector<StoredAttempt> SqliteStore::read_attempts(Conn& conn, Stmt& s) {
  // The attempts and their answers and ratings from one snapshot of the database.
  exec_on(conn.handle(), "BEGIN");
  struct End {
    sqlite3* db;
    ~End() {
      if (sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK)
        sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    }
  } end{conn.handle()};
  std::vector<StoredAttempt> out;
  while (s.step()) {
    StoredAttempt a;
    auto parsed = delivery::try_attempt_from_json(json::parse(s.text(3), nullptr, false));
    if (!parsed) throw StoreError(fmt::format("database: attempt '{}' is unreadable: {}", s.text(0), parsed.error().front()));
    a.attempt = std::move(parsed.value());
    a.candidate_id = s.integer(1);
    a.campaign_id = s.integer(2);
    a.attempt.deadline = s.time(4);
    a.attempt.submitted = s.time(5);
    a.browser_hash = s.text(6);
    a.browser_seen = s.time(7);
    out.push_back(std::move(a));
  }
  for (auto& a : out) {
    Stmt ans(conn, "SELECT item, response, revision FROM answers WHERE attempt_id = ?");
    ans.bind(1, a.attempt.attempt_id);
    while (ans.step()) {
      a.attempt.answers[ans.text(0)] = ans.text(1);
      a.revisions[ans.text(0)] = ans.integer(2);
    }
    Stmt rat(conn, "SELECT item, criterion, level FROM ratings WHERE attempt_id = ?");
    rat.bind(1, a.attempt.attempt_id);
    while (rat.step()) a.attempt.ratings[rat.text(0)][rat.text(1)] = rat.text(2);
  }
  return out;
}

std::optional<StoredAttempt> SqliteStore::attempt(const std::string& attempt_id) {
  auto conn = reader();
  static const std::string sql = fmt::format("SELECT {} FROM attempts WHERE id = ?", kAttemptColumns);
  Stmt s(*conn, sql);
  s.bind(1, attempt_id);
  auto v = read_attempts(*conn, s);
  if (v.empty()) return std::nullopt;
  return std::move(v.front());
}

std::vector<StoredAttempt> SqliteStore::attempts_of(std::int64_t candidate_id) {
  auto conn = reader();
  static const std::string sql = fmt::format("SELECT {} FROM attempts WHERE candidate_id = ? ORDER BY rowid", kAttemptColumns);
  Stmt s(*conn, sql);
  s.bind(1, candidate_id);
  return read_attempts(*conn, s);
}

std::vector<StoredAttempt> SqliteStore::campaign_attempts(std::int64_t campaign_id) {
  auto conn = reader();
  static const std::string sql = fmt::format("SELECT {} FROM attempts WHERE campaign_id = ? ORDER BY rowid", kAttemptColumns);
  Stmt s(*conn, sql);
  s.bind(1, campaign_id);
  return read_attempts(*conn, s);
}

SavedAnswer SqliteStore::save_answer(const std::string& attempt_id, const std::string& item_id, const std::string& response,
                                     TimePoint at, std::int64_t revision) {
  PendingAnswer mine{attempt_id, item_id, response, time_text(at), revision};
  commit_in_group(mine);
  return mine.saved;
}

std::optional<OpenSaved> SqliteStore::save_answer_if_open(const OpenSave& save) {
  PendingAnswer mine{save.attempt_id, save.item_id, save.response, time_text(save.at), save.revision, &save};
  commit_in_group(mine);
  return mine.opened;
}

void SqliteStore::commit_in_group(PendingAnswer& mine) {
  group_commit_.commit(mine, [this](std::vector<PendingAnswer*>& group) {
    std::lock_guard lock(mu_);
    transaction([&] {
      for (auto* p : group) {
        if (p->open != nullptr)
          p->opened = write_open_answer(*p);
        else
          p->saved = write_answer(*p);
      }
    });
  });
}

bool SqliteStore::mark_submitted(const std::string& attempt_id, TimePoint at) {
  std::lock_guard lock(mu_);
  Stmt(db_, "UPDATE attempts SET submitted = ? WHERE id = ? AND submitted IS NULL")
      .bind(1, time_text(at))
      .bind(2, attempt_id)
      .exec();
  return sqlite3_changes(db_.handle()) == 1;
}

void SqliteStore::bind_browser(const std::string& attempt_id, const std::string& browser_hash) {
  std::lock_guard lock(mu_);
  Stmt(db_, "UPDATE attempts SET browser_hash = ?, browser_seen = NULL WHERE id = ?")
      .bind(1, browser_hash)
      .bind(2, attempt_id)
      .exec();
}

void SqliteStore::browser_seen(const std::string& attempt_id, TimePoint at) {
  std::lock_guard lock(mu_);
  Stmt(db_, "UPDATE attempts SET browser_seen = ? WHERE id = ?").bind(1, std::optional<TimePoint>(at)).bind(2, attempt_id).exec();
}

void SqliteStore::set_deadline(const std::string& attempt_id, std::optional<TimePoint> deadline) {
  std::lock_guard lock(mu_);
  Stmt(db_, "UPDATE attempts SET deadline = ? WHERE id = ?").bind(1, deadline).bind(2, attempt_id).exec();
}

void SqliteStore::save_rating(const std::string& attempt_id, const std::string& item_id, const std::string& criterion,
                              const std::string& level, const std::string& rater, TimePoint at) {
  std::lock_guard lock(mu_);
  Stmt(db_,
       "INSERT INTO ratings(attempt_id, item, criterion, level, rater, at) VALUES(?, ?, ?, ?, ?, ?) "
       "ON CONFLICT(attempt_id, item, criterion) DO UPDATE SET level = excluded.level, rater = excluded.rater, at = excluded.at")
      .bind(1, attempt_id)
      .bind(2, item_id)
      .bind(3, criterion)
      .bind(4, level)
      .bind(5, rater)
      .bind(6, time_text(at))
      .exec();
}

void SqliteStore::add_signal(const std::string& attempt_id, const Signal& sig) {
  std::lock_guard lock(mu_);
  Stmt(db_, "INSERT INTO signals(attempt_id, kind, detail, at) VALUES(?, ?, ?, ?)")
      .bind(1, attempt_id)
      .bind(2, sig.kind)
      .bind(3, sig.detail)
      .bind(4, time_text(sig.at))
      .exec();
}

std::vector<Signal> SqliteStore::signals(const std::string& attempt_id) {
  auto conn = reader();
  Stmt s(*conn, "SELECT kind, detail, at FROM signals WHERE attempt_id = ? ORDER BY id");
  s.bind(1, attempt_id);
  std::vector<Signal> out;
  while (s.step()) out.push_back({s.text(0), s.text(1), parse_t(s.text(2))});
  return out;
}

void SqliteStore::put_result(const std::string& attempt_id, const std::string& document) {
  std::lock_guard lock(mu_);
  Stmt(db_,
       "INSERT INTO results(attempt_id, document) VALUES(?, ?) ON CONFLICT(attempt_id) DO UPDATE SET document = "
       "excluded.document")
      .bind(1, attempt_id)
      .bind(2, document)
      .exec();
}

std::optional<std::string> SqliteStore::result(const std::string& attempt_id) {
  auto conn = reader();
  Stmt s(*conn, "SELECT document FROM results WHERE attempt_id = ?");
  s.bind(1, attempt_id);
  if (!s.step()) return std::nullopt;
  return s.text(0);
}

void SqliteStore::add_exclusion(std::int64_t campaign_id, const ExclusionRow& e) {
  std::lock_guard lock(mu_);
  Stmt(db_,
       "INSERT INTO exclusions(campaign_id, item, reason, by, at) VALUES(?, ?, ?, ?, ?) "
       "ON CONFLICT(campaign_id, item) DO UPDATE SET reason = excluded.reason, by = excluded.by, at = excluded.at")
      .bind(1, campaign_id)
      .bind(2, e.item)
      .bind(3, e.reason)
      .bind(4, e.by)
      .bind(5, time_text(e.at))
      .exec();
}

bool SqliteStore::remove_exclusion(std::int64_t campaign_id, const std::string& item) {
  std::lock_guard lock(mu_);
  Stmt(db_, "DELETE FROM exclusions WHERE campaign_id = ? AND item = ?").bind(1, campaign_id).bind(2, item).exec();
  return sqlite3_changes(db_.handle()) > 0;
}

std::vector<ExclusionRow> SqliteStore::exclusions(std::int64_t campaign_id) {
  auto conn = reader();
  Stmt s(*conn, "SELECT item, reason, by, at FROM exclusions WHERE campaign_id = ? ORDER BY at, item");
  s.bind(1, campaign_id);
  std::vector<ExclusionRow> out;
  while (s.step()) out.push_back({s.text(0), s.text(1), s.text(2), parse_t(s.text(3))});
  return out;
}

void SqliteStore::log(std::int64_t campaign_id, const LogEntry& e) {
  std::lock_guard lock(mu_);
  Stmt(db_, "INSERT INTO log(campaign_id, at, user, action, detail) VALUES(?, ?, ?, ?, ?)")
      .bind(1, campaign_id)
      .bind(2, time_text(e.at))
      .bind(3, e.user)
      .bind(4, e.action)
      .bind(5, e.detail)
      .exec();
}

std::vector<LogEntry> SqliteStore::log_entries(std::int64_t campaign_id) {
  auto conn = reader();
  Stmt s(*conn, "SELECT at, user, action, detail FROM log WHERE campaign_id = ? ORDER BY id");
  s.bind(1, campaign_id);
  std::vector<LogEntry> out;
  while (s.step()) out.push_back({parse_t(s.text(0)), s.text(1), s.text(2), s.text(3)});
  return out;
}

std::int64_t SqliteStore::count_hit(const std::string& key, TimePoint window_start, std::int64_t n) {
  if (n == 0) {  // a read: no write transaction on every candidate request
    auto conn = reader();
    Stmt s(*conn, "SELECT window_start, count FROM rate_limits WHERE key = ?");
    s.bind(1, key);
    return s.step() && s.text(0) == time_text(window_start) ? s.integer(1) : std::int64_t{0};
  }
  std::lock_guard lock(mu_);
  return transaction([&] {
    std::int64_t count = 0;
    {
      Stmt s(db_, "SELECT window_start, count FROM rate_limits WHERE key = ?");
      s.bind(1, key);
      if (s.step() && s.text(0) == time_text(window_start)) count = s.integer(1);
    }
    if (n != 0) {
      count += n;
      Stmt(db_,
           "INSERT INTO rate_limits(key, window_start, count) VALUES(?, ?, ?) "
           "ON CONFLICT(key) DO UPDATE SET window_start = excluded.window_start, count = excluded.count")
          .bind(1, key)
          .bind(2, time_text(window_start))
          .bind(3, count)
          .exec();
    }
    return count;
  });
}

void SqliteStore::backup(const std::filesystem::path& file) {
  std::lock_guard lock(mu_);
  sqlite3* dest = nullptr;
  if (sqlite3_open(file.c_str(), &dest) != SQLITE_OK) {
    std::string msg = dest != nullptr ? sqlite3_errmsg(dest) : "out of memory";
    sqlite3_close(dest);
    throw StoreError(fmt::format("{}: error: cannot open the backup file: {}", file.string(), msg));
  }
  auto* b = sqlite3_backup_init(dest, "main", db_.handle(), "main");
  if (b == nullptr) {
    std::string msg = sqlite3_errmsg(dest);
    sqlite3_close(dest);
    throw StoreError(fmt::format("{}: error: cannot back up into this file: {}", file.string(), msg));
  }
  sqlite3_backup_step(b, -1);
  int rc = sqlite3_backup_finish(b);
  std::string msg = sqlite3_errmsg(dest);
  sqlite3_close(dest);
  if (rc != SQLITE_OK) throw StoreError(fmt::format("{}: error: backup failed: {}", file.string(), msg));
}

}  // namespace assay::serve::sqlite
