// The SQLite layer under the store: the schema's migrations, one connection with its kept
// statements, and a prepared statement with typed binds and reads. Private to core/store.
#pragma once

#include <fmt/format.h>
#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "assay/store.hpp"

namespace assay::serve::sqlite {

// Each entry moves the schema from version i to i + 1; applied in one transaction each.
inline constexpr const char* kMigrations[] = {
    R"sql(
CREATE TABLE users(id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE, role TEXT NOT NULL,
                   password_hash TEXT NOT NULL, created TEXT NOT NULL);
CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sessions(token_hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id),
                      csrf TEXT NOT NULL, expires TEXT NOT NULL);
CREATE TABLE campaigns(id INTEGER PRIMARY KEY, title TEXT NOT NULL, assessment_id TEXT NOT NULL,
                       assessment_version TEXT NOT NULL, assessment_sha256 TEXT NOT NULL,
                       assessment_title TEXT NOT NULL, assessment_path TEXT NOT NULL, mode TEXT NOT NULL,
                       opens TEXT NOT NULL, closes TEXT NOT NULL, time_limit INTEGER NOT NULL,
                       retakes INTEGER NOT NULL, privacy_notice TEXT NOT NULL, created_by TEXT NOT NULL,
                       created TEXT NOT NULL);
CREATE TABLE candidates(id INTEGER PRIMARY KEY, campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
                        name TEXT NOT NULL, email TEXT NOT NULL, external_ref TEXT NOT NULL,
                        link_hash TEXT NOT NULL UNIQUE, revoked INTEGER NOT NULL DEFAULT 0,
                        extra_time INTEGER NOT NULL DEFAULT 0, extra_time_by TEXT NOT NULL DEFAULT '',
                        extra_time_note TEXT NOT NULL DEFAULT '');
CREATE INDEX candidates_campaign ON candidates(campaign_id);
CREATE TABLE attempts(id TEXT PRIMARY KEY, candidate_id INTEGER NOT NULL REFERENCES candidates(id),
                      campaign_id INTEGER NOT NULL REFERENCES campaigns(id), document TEXT NOT NULL,
                      deadline TEXT, submitted TEXT, browser_hash TEXT NOT NULL);
CREATE INDEX attempts_candidate ON attempts(candidate_id);
CREATE INDEX attempts_campaign ON attempts(campaign_id);
CREATE TABLE answers(attempt_id TEXT NOT NULL REFERENCES attempts(id), item TEXT NOT NULL,
                     response TEXT NOT NULL, saved TEXT NOT NULL, PRIMARY KEY(attempt_id, item)) WITHOUT ROWID;
CREATE TABLE ratings(attempt_id TEXT NOT NULL REFERENCES attempts(id), item TEXT NOT NULL,
                     criterion TEXT NOT NULL, level TEXT NOT NULL, rater TEXT NOT NULL, at TEXT NOT NULL,
                     PRIMARY KEY(attempt_id, item, criterion)) WITHOUT ROWID;
CREATE TABLE signals(id INTEGER PRIMARY KEY, attempt_id TEXT NOT NULL REFERENCES attempts(id),
                     kind TEXT NOT NULL, detail TEXT NOT NULL, at TEXT NOT NULL);
CREATE INDEX signals_attempt ON signals(attempt_id);
CREATE TABLE results(attempt_id TEXT PRIMARY KEY REFERENCES attempts(id), document TEXT NOT NULL);
CREATE TABLE exclusions(campaign_id INTEGER NOT NULL REFERENCES campaigns(id), item TEXT NOT NULL,
                        reason TEXT NOT NULL, by TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY(campaign_id, item));
CREATE TABLE log(id INTEGER PRIMARY KEY, campaign_id INTEGER NOT NULL, at TEXT NOT NULL, user TEXT NOT NULL,
                 action TEXT NOT NULL, detail TEXT NOT NULL);
CREATE TABLE rate_limits(key TEXT PRIMARY KEY, window_start TEXT NOT NULL, count INTEGER NOT NULL);
)sql",
    // 2: at most one running attempt per candidate, enforced by the database so that two server
    // processes starting the same link at once cannot both succeed.
    R"sql(
CREATE UNIQUE INDEX attempts_one_running ON attempts(candidate_id) WHERE submitted IS NULL;
)sql",
    // 3: a campaign's retention period.
    R"sql(
ALTER TABLE campaigns ADD COLUMN retention_days INTEGER NOT NULL DEFAULT 0;
)sql",
    // 4: when the browser an attempt is bound to was last seen (the second-browser signal).
    R"sql(
ALTER TABLE attempts ADD COLUMN browser_seen TEXT;
)sql",
    // 5: staff accounts can be disabled.
    R"sql(
ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
)sql",
    // 6: each answer's revision, so that a late or repeated save never replaces a newer answer.
    R"sql(
ALTER TABLE answers ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
)sql",
    // 7: voluntary self-identification, in a table of its own.
    R"sql(
ALTER TABLE campaigns ADD COLUMN self_identification TEXT NOT NULL DEFAULT '';
CREATE TABLE self_identifications(candidate_id INTEGER PRIMARY KEY REFERENCES candidates(id),
                                  campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
                                  answers TEXT NOT NULL, at TEXT NOT NULL);
CREATE INDEX self_identifications_campaign ON self_identifications(campaign_id);
)sql",
    // 8: the xAPI outbox.
    R"sql(
CREATE TABLE xapi_outbox(id TEXT PRIMARY KEY, attempt_id TEXT NOT NULL, statement TEXT NOT NULL, queued TEXT NOT NULL,
                         tries INTEGER NOT NULL DEFAULT 0, next_try TEXT NOT NULL, sent TEXT,
                         refused INTEGER NOT NULL DEFAULT 0, last_error TEXT NOT NULL DEFAULT '');
CREATE INDEX xapi_outbox_due ON xapi_outbox(next_try) WHERE sent IS NULL AND refused = 0;
CREATE INDEX xapi_outbox_attempt ON xapi_outbox(attempt_id);
)sql",
};

inline constexpr int kVersion = static_cast<int>(sizeof kMigrations / sizeof kMigrations[0]);

inline std::string time_text(TimePoint t) { return format_time(t); }
/// A time the store wrote; one it cannot read is a damaged database, never the epoch.
inline TimePoint parse_t(const std::string& s) {
  TimePoint t{};
  if (!parse_time(s, t)) throw StoreError("the database holds a time that is not RFC 3339: \"" + s + "\"");
  return t;
}

/// One SQLite connection with its prepared statements, kept for reuse: preparing a statement costs
/// more than running one of the server's point queries. Used by one thread at a time.
class Conn {
 public:
  explicit Conn(sqlite3* db) : db_(db) {}
  ~Conn() {
    for (auto& [sql, entry] : cache_) sqlite3_finalize(entry.stmt);
    sqlite3_close_v2(db_);
  }
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  sqlite3* handle() const { return db_; }

  /// A statement kept for reuse, or one prepared for a single use.
  struct Lease {
    sqlite3_stmt* stmt = nullptr;
    bool* busy = nullptr;  // the kept statement's flag; null when it is finalized after use
  };

  /// A prepared statement for `sql`, which must outlive the connection (a literal or a static
  /// string): the cache is keyed by its address. A statement already in use (a nested query of
  /// the same text) gets a fresh one for that use.
  Lease acquire(const char* sql) {
    auto it = cache_.find(sql);
    if (it != cache_.end() && !it->second.busy) {
      it->second.busy = true;
      return {it->second.stmt, &it->second.busy};
    }
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK)
      throw StoreError(fmt::format("database: cannot prepare statement: {}", sqlite3_errmsg(db_)));
    if (it != cache_.end()) return {stmt, nullptr};
    auto& kept = cache_.emplace(sql, Entry{stmt, true}).first->second;
    return {stmt, &kept.busy};
  }

  void release(const Lease& lease) {
    if (lease.busy == nullptr) {
      sqlite3_finalize(lease.stmt);
      return;
    }
    sqlite3_reset(lease.stmt);
    sqlite3_clear_bindings(lease.stmt);
    *lease.busy = false;
  }

 private:
  struct Entry {
    sqlite3_stmt* stmt = nullptr;
    bool busy = false;
  };
  sqlite3* db_;
  std::unordered_map<const char*, Entry> cache_;
};

class Stmt {
 public:
  Stmt(Conn& conn, const char* sql) : conn_(conn), lease_(conn.acquire(sql)), s_(lease_.stmt) {}
  Stmt(Conn& conn, const std::string& sql) : Stmt(conn, sql.c_str()) {}
  ~Stmt() { conn_.release(lease_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& bind(int i, std::string_view v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
  Stmt& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
  Stmt& bind(int i, std::int64_t v) {
    sqlite3_bind_int64(s_, i, v);
    return *this;
  }
  Stmt& bind(int i, std::optional<TimePoint> t) {
    if (t)
      bind(i, time_text(*t));
    else
      sqlite3_bind_null(s_, i);
    return *this;
  }
  /// True while there is a row.
  bool step() {
    int rc = sqlite3_step(s_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw StoreError(fmt::format("database: {}", sqlite3_errmsg(conn_.handle())));
  }
  /// Runs a statement that returns no rows; false on a constraint violation.
  bool exec_checked() {
    int rc = sqlite3_step(s_);
    if (rc == SQLITE_DONE || rc == SQLITE_ROW) return true;
    if ((rc & 0xff) == SQLITE_CONSTRAINT) return false;
    throw StoreError(fmt::format("database: {}", sqlite3_errmsg(conn_.handle())));
  }
  void exec() {
    if (!exec_checked()) throw StoreError(fmt::format("database: {}", sqlite3_errmsg(conn_.handle())));
  }
  std::string text(int col) const {
    auto* p = sqlite3_column_text(s_, col);
    return p == nullptr ? std::string()
                        : std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(s_, col)));
  }
  bool is_null(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
  std::int64_t integer(int col) const { return sqlite3_column_int64(s_, col); }
  std::optional<TimePoint> time(int col) const {
    if (is_null(col)) return std::nullopt;
    return parse_t(text(col));
  }

 private:
  Conn& conn_;
  Conn::Lease lease_;
  sqlite3_stmt* s_;
};

inline void exec_on(sqlite3* db, const char* sql) {
  char* msg = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
    std::string text = msg != nullptr ? msg : "unknown error";
    sqlite3_free(msg);
    throw StoreError("database: " + text);
  }
}

}  // namespace assay::serve::sqlite
