// The SQLite store (docs/serve.md, "Storage and durability").
#include <fmt/format.h>
#include <sqlite3.h>

#include <condition_variable>
#include <exception>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <unordered_map>

#include "assay/store.hpp"

namespace assay::serve {

const char* to_string(Role role) {
  switch (role) {
    case Role::kAdministrator:
      return "administrator";
    case Role::kManager:
      return "manager";
    case Role::kRater:
      return "rater";
  }
  return "rater";
}

std::optional<Role> parse_role(std::string_view text) {
  if (text == "administrator") return Role::kAdministrator;
  if (text == "manager") return Role::kManager;
  if (text == "rater") return Role::kRater;
  return std::nullopt;
}

namespace {

using json = nlohmann::json;

// Each entry moves the schema from version i to i + 1; applied in one transaction each.
constexpr const char* kMigrations[] = {
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
};

constexpr int kVersion = static_cast<int>(sizeof kMigrations / sizeof kMigrations[0]);

std::string time_text(TimePoint t) { return format_time(t); }
/// A time the store wrote; one it cannot read is a damaged database, never the epoch.
TimePoint parse_t(const std::string& s) {
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

void exec_on(sqlite3* db, const char* sql) {
  char* msg = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
    std::string text = msg != nullptr ? msg : "unknown error";
    sqlite3_free(msg);
    throw StoreError("database: " + text);
  }
}

class SqliteStore : public Store {
 public:
  SqliteStore(sqlite3* db, std::filesystem::path file) : db_(db), file_(std::move(file)) {}

  ~SqliteStore() override {
    if (checkpointer_.joinable()) {
      {
        std::lock_guard lock(checkpoint_mu_);
        closing_ = true;
      }
      checkpoint_cv_.notify_one();
      checkpointer_.join();
    }
  }

  /// Copies the WAL back into the database on a thread of its own, once a commit leaves it at
  /// 1,000 pages or more (SQLite's own threshold), instead of in the commit that crosses it: the
  /// answers waiting for that commit would otherwise wait for the checkpoint's writes and fsync.
  void start_checkpointer() {
    exec_script("PRAGMA wal_autocheckpoint = 0");
    sqlite3_wal_hook(
        db_.handle(),
        [](void* self, sqlite3*, const char*, int pages) {
          auto* store = static_cast<SqliteStore*>(self);
          if (pages >= 1000) {
            std::lock_guard lock(store->checkpoint_mu_);
            store->checkpoint_due_ = true;
            store->checkpoint_cv_.notify_one();
          }
          return SQLITE_OK;
        },
        this);
    auto conn = lease_reader();
    exec_on(conn->handle(), "PRAGMA query_only = 0");
    checkpointer_ = std::thread([this, conn = std::shared_ptr<Conn>(std::move(conn))] {
      std::unique_lock lock(checkpoint_mu_);
      while (true) {
        checkpoint_cv_.wait(lock, [this] { return checkpoint_due_ || closing_; });
        if (closing_) return;
        checkpoint_due_ = false;
        lock.unlock();
        // PASSIVE: copies what no reader still needs, never blocks the writer or the readers.
        sqlite3_wal_checkpoint_v2(conn->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        lock.lock();
      }
    });
  }

  void exec_script(const char* sql) { exec_on(db_.handle(), sql); }

  /// Runs `body` in one IMMEDIATE transaction (rolled back if it throws).
  template <class F>
  auto transaction(F&& body) {
    exec_script("BEGIN IMMEDIATE");
    try {
      if constexpr (std::is_void_v<decltype(body())>) {
        body();
        exec_script("COMMIT");
      } else {
        auto r = body();
        exec_script("COMMIT");
        return r;
      }
    } catch (...) {
      sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }

  /// A connection that only reads, lent for one store call. Reads never wait for the writing
  /// connection: in WAL mode each sees the last commit while a group of answers is being committed.
  class Reader {
   public:
    explicit Reader(SqliteStore& store) : store_(store), conn_(store.lease_reader()) {}
    ~Reader() { store_.return_reader(std::move(conn_)); }
    Reader(const Reader&) = delete;
    Reader& operator=(const Reader&) = delete;
    Conn& operator*() { return *conn_; }

   private:
    SqliteStore& store_;
    std::unique_ptr<Conn> conn_;
  };
  Reader reader() { return Reader(*this); }

  std::size_t user_count() override {
    auto conn = reader();
    Stmt s(*conn, "SELECT count(*) FROM users");
    s.step();
    return static_cast<std::size_t>(s.integer(0));
  }

  bool insert_user(User& u) override {
    std::lock_guard lock(mu_);
    Stmt s(db_, "INSERT INTO users(username, role, password_hash, created) VALUES(?, ?, ?, ?)");
    s.bind(1, u.username).bind(2, to_string(u.role)).bind(3, u.password_hash).bind(4, time_text(u.created));
    if (!s.exec_checked()) return false;
    u.id = sqlite3_last_insert_rowid(db_.handle());
    return true;
  }

  static User read_user(const Stmt& s) {
    User u;
    u.id = s.integer(0);
    u.username = s.text(1);
    u.role = parse_role(s.text(2)).value_or(Role::kRater);
    u.password_hash = s.text(3);
    u.created = parse_t(s.text(4));
    return u;
  }

  std::optional<User> find_user(std::string_view username) override {
    auto conn = reader();
    Stmt s(*conn, "SELECT id, username, role, password_hash, created FROM users WHERE username = ?");
    s.bind(1, username);
    if (!s.step()) return std::nullopt;
    return read_user(s);
  }

  std::optional<User> user_by_id(std::int64_t id) override {
    auto conn = reader();
    Stmt s(*conn, "SELECT id, username, role, password_hash, created FROM users WHERE id = ?");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return read_user(s);
  }

  std::vector<User> users() override {
    auto conn = reader();
    Stmt s(*conn, "SELECT id, username, role, password_hash, created FROM users ORDER BY username");
    std::vector<User> out;
    while (s.step()) out.push_back(read_user(s));
    return out;
  }

  void set_password(std::int64_t user_id, const std::string& hash) override {
    std::lock_guard lock(mu_);
    transaction([&] {
      Stmt(db_, "UPDATE users SET password_hash = ? WHERE id = ?").bind(1, hash).bind(2, user_id).exec();
      Stmt(db_, "DELETE FROM sessions WHERE user_id = ?").bind(1, user_id).exec();
    });
  }

  void put_setting(const std::string& key, const std::string& value) override {
    std::lock_guard lock(mu_);
    Stmt(db_, "INSERT INTO settings(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
        .bind(1, key)
        .bind(2, value)
        .exec();
  }

  std::optional<std::string> setting(const std::string& key) override {
    auto conn = reader();
    Stmt s(*conn, "SELECT value FROM settings WHERE key = ?");
    s.bind(1, key);
    if (!s.step()) return std::nullopt;
    return s.text(0);
  }

  bool take_setting(const std::string& key, const std::string& value) override {
    std::lock_guard lock(mu_);
    Stmt(db_, "DELETE FROM settings WHERE key = ? AND value = ?").bind(1, key).bind(2, value).exec();
    return sqlite3_changes(db_.handle()) == 1;
  }

  void insert_session(const StaffSession& ss) override {
    std::lock_guard lock(mu_);
    Stmt(db_, "INSERT INTO sessions(token_hash, user_id, csrf, expires) VALUES(?, ?, ?, ?)")
        .bind(1, ss.token_hash)
        .bind(2, ss.user_id)
        .bind(3, ss.csrf)
        .bind(4, time_text(ss.expires))
        .exec();
  }

  std::optional<StaffSession> find_session(const std::string& token_hash) override {
    auto conn = reader();
    Stmt s(*conn, "SELECT token_hash, user_id, csrf, expires FROM sessions WHERE token_hash = ?");
    s.bind(1, token_hash);
    if (!s.step()) return std::nullopt;
    return StaffSession{s.text(0), s.integer(1), s.text(2), parse_t(s.text(3))};
  }

  void delete_session(const std::string& token_hash) override {
    std::lock_guard lock(mu_);
    Stmt(db_, "DELETE FROM sessions WHERE token_hash = ?").bind(1, token_hash).exec();
  }

  static constexpr const char* kCampaignColumns =
      "id, title, assessment_id, assessment_version, assessment_sha256, assessment_title, assessment_path, mode, opens, "
      "closes, time_limit, retakes, privacy_notice, created_by, created, retention_days";

  static Campaign read_campaign(const Stmt& s) {
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

  void insert_campaign(Campaign& c) override {
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

  std::optional<Campaign> campaign(std::int64_t id) override {
    auto conn = reader();
    static const std::string sql = fmt::format("SELECT {} FROM campaigns WHERE id = ?", kCampaignColumns);
    Stmt s(*conn, sql);
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return read_campaign(s);
  }

  std::vector<Campaign> campaigns() override {
    auto conn = reader();
    static const std::string sql = fmt::format("SELECT {} FROM campaigns ORDER BY id", kCampaignColumns);
    Stmt s(*conn, sql);
    std::vector<Campaign> out;
    while (s.step()) out.push_back(read_campaign(s));
    return out;
  }

  static constexpr const char* kCandidateColumns =
      "id, campaign_id, name, email, external_ref, link_hash, revoked, extra_time, extra_time_by, extra_time_note";

  static Candidate read_candidate(const Stmt& s) {
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

  void insert_candidates(std::vector<Candidate>& cs) override {
    std::lock_guard lock(mu_);
    transaction([&] {
      for (auto& c : cs) {
        Stmt(db_, "INSERT INTO candidates(campaign_id, name, email, external_ref, link_hash) VALUES(?, ?, ?, ?, ?)")
            .bind(1, c.campaign_id)
            .bind(2, c.name)
            .bind(3, c.email)
            .bind(4, c.external_ref)
            .bind(5, c.link_hash)
            .exec();
        c.id = sqlite3_last_insert_rowid(db_.handle());
      }
    });
  }

  std::optional<Candidate> candidate(std::int64_t id) override {
    auto conn = reader();
    static const std::string sql = fmt::format("SELECT {} FROM candidates WHERE id = ?", kCandidateColumns);
    Stmt s(*conn, sql);
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return read_candidate(s);
  }

  std::optional<Candidate> candidate_by_link(const std::string& link_hash) override {
    auto conn = reader();
    static const std::string sql = fmt::format("SELECT {} FROM candidates WHERE link_hash = ?", kCandidateColumns);
    Stmt s(*conn, sql);
    s.bind(1, link_hash);
    if (!s.step()) return std::nullopt;
    return read_candidate(s);
  }

  std::vector<Candidate> candidates(std::int64_t campaign_id) override {
    auto conn = reader();
    static const std::string sql = fmt::format("SELECT {} FROM candidates WHERE campaign_id = ? ORDER BY id", kCandidateColumns);
    Stmt s(*conn, sql);
    s.bind(1, campaign_id);
    std::vector<Candidate> out;
    while (s.step()) out.push_back(read_candidate(s));
    return out;
  }

  void set_link(std::int64_t candidate_id, const std::string& link_hash) override {
    std::lock_guard lock(mu_);
    Stmt(db_, "UPDATE candidates SET link_hash = ? WHERE id = ?").bind(1, link_hash).bind(2, candidate_id).exec();
  }

  void revoke(std::int64_t candidate_id) override {
    std::lock_guard lock(mu_);
    Stmt(db_, "UPDATE candidates SET revoked = 1 WHERE id = ?").bind(1, candidate_id).exec();
  }

  void delete_candidate(std::int64_t candidate_id) override {
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

  void set_extra_time(std::int64_t candidate_id, std::int64_t seconds, const std::string& by, const std::string& note) override {
    std::lock_guard lock(mu_);
    Stmt(db_, "UPDATE candidates SET extra_time = ?, extra_time_by = ?, extra_time_note = ? WHERE id = ?")
        .bind(1, seconds)
        .bind(2, by)
        .bind(3, note)
        .bind(4, candidate_id)
        .exec();
  }

  bool insert_attempt(const StoredAttempt& a) override {
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

  /// Reads the rows of a `SELECT id, candidate_id, campaign_id, document, deadline, submitted,
  /// browser_hash FROM attempts ...` with their answers and ratings, in the read transaction of `conn`.
  static std::vector<StoredAttempt> read_attempts(Conn& conn, Stmt& s) {
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
      out.push_back(std::move(a));
    }
    for (auto& a : out) {
      Stmt ans(conn, "SELECT item, response FROM answers WHERE attempt_id = ?");
      ans.bind(1, a.attempt.attempt_id);
      while (ans.step()) a.attempt.answers[ans.text(0)] = ans.text(1);
      Stmt rat(conn, "SELECT item, criterion, level FROM ratings WHERE attempt_id = ?");
      rat.bind(1, a.attempt.attempt_id);
      while (rat.step()) a.attempt.ratings[rat.text(0)][rat.text(1)] = rat.text(2);
    }
    return out;
  }

  static constexpr const char* kAttemptColumns = "id, candidate_id, campaign_id, document, deadline, submitted, browser_hash";

  std::optional<StoredAttempt> attempt(const std::string& attempt_id) override {
    auto conn = reader();
    static const std::string sql = fmt::format("SELECT {} FROM attempts WHERE id = ?", kAttemptColumns);
    Stmt s(*conn, sql);
    s.bind(1, attempt_id);
    auto v = read_attempts(*conn, s);
    if (v.empty()) return std::nullopt;
    return std::move(v.front());
  }

  std::vector<StoredAttempt> attempts_of(std::int64_t candidate_id) override {
    auto conn = reader();
    static const std::string sql = fmt::format("SELECT {} FROM attempts WHERE candidate_id = ? ORDER BY rowid", kAttemptColumns);
    Stmt s(*conn, sql);
    s.bind(1, candidate_id);
    return read_attempts(*conn, s);
  }

  std::vector<StoredAttempt> campaign_attempts(std::int64_t campaign_id) override {
    auto conn = reader();
    static const std::string sql = fmt::format("SELECT {} FROM attempts WHERE campaign_id = ? ORDER BY rowid", kAttemptColumns);
    Stmt s(*conn, sql);
    s.bind(1, campaign_id);
    return read_attempts(*conn, s);
  }

  // Answers are committed in groups: each request queues its answer, and whichever request
  // finds no commit under way writes every queued answer in one transaction, so concurrent
  // candidates share one fsync instead of waiting for one each. A request returns only after the
  // transaction holding its answer has committed (or failed, which it then throws).
  bool save_answer(const std::string& attempt_id, const std::string& item_id, const std::string& response,
                   TimePoint at) override {
    PendingAnswer mine;
    mine.attempt_id = attempt_id;
    mine.item = item_id;
    mine.response = response;
    mine.saved_at = time_text(at);
    std::unique_lock queue_lock(queue_mu_);
    queue_.push_back(&mine);
    while (!mine.done) {
      if (committing_) {
        queue_cv_.wait(queue_lock);
        continue;
      }
      committing_ = true;
      std::vector<PendingAnswer*> group;
      group.swap(queue_);
      queue_lock.unlock();
      std::exception_ptr failure;
      try {
        std::lock_guard lock(mu_);
        transaction([&] {
          for (auto* p : group) p->saved = write_answer(*p);
        });
      } catch (...) {
        failure = std::current_exception();
      }
      queue_lock.lock();
      for (auto* p : group) {
        p->failure = failure;
        p->done = true;
      }
      committing_ = false;
      queue_cv_.notify_all();
    }
    if (mine.failure) std::rethrow_exception(mine.failure);
    return mine.saved;
  }

  bool mark_submitted(const std::string& attempt_id, TimePoint at) override {
    std::lock_guard lock(mu_);
    Stmt(db_, "UPDATE attempts SET submitted = ? WHERE id = ? AND submitted IS NULL")
        .bind(1, time_text(at))
        .bind(2, attempt_id)
        .exec();
    return sqlite3_changes(db_.handle()) == 1;
  }

  void set_deadline(const std::string& attempt_id, std::optional<TimePoint> deadline) override {
    std::lock_guard lock(mu_);
    Stmt(db_, "UPDATE attempts SET deadline = ? WHERE id = ?").bind(1, deadline).bind(2, attempt_id).exec();
  }

  void save_rating(const std::string& attempt_id, const std::string& item_id, const std::string& criterion,
                   const std::string& level, const std::string& rater, TimePoint at) override {
    std::lock_guard lock(mu_);
    Stmt(
        db_,
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

  void add_signal(const std::string& attempt_id, const Signal& sig) override {
    std::lock_guard lock(mu_);
    Stmt(db_, "INSERT INTO signals(attempt_id, kind, detail, at) VALUES(?, ?, ?, ?)")
        .bind(1, attempt_id)
        .bind(2, sig.kind)
        .bind(3, sig.detail)
        .bind(4, time_text(sig.at))
        .exec();
  }

  std::vector<Signal> signals(const std::string& attempt_id) override {
    auto conn = reader();
    Stmt s(*conn, "SELECT kind, detail, at FROM signals WHERE attempt_id = ? ORDER BY id");
    s.bind(1, attempt_id);
    std::vector<Signal> out;
    while (s.step()) out.push_back({s.text(0), s.text(1), parse_t(s.text(2))});
    return out;
  }

  void put_result(const std::string& attempt_id, const std::string& document) override {
    std::lock_guard lock(mu_);
    Stmt(db_,
         "INSERT INTO results(attempt_id, document) VALUES(?, ?) ON CONFLICT(attempt_id) DO UPDATE SET document = "
         "excluded.document")
        .bind(1, attempt_id)
        .bind(2, document)
        .exec();
  }

  std::optional<std::string> result(const std::string& attempt_id) override {
    auto conn = reader();
    Stmt s(*conn, "SELECT document FROM results WHERE attempt_id = ?");
    s.bind(1, attempt_id);
    if (!s.step()) return std::nullopt;
    return s.text(0);
  }

  void add_exclusion(std::int64_t campaign_id, const ExclusionRow& e) override {
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

  std::vector<ExclusionRow> exclusions(std::int64_t campaign_id) override {
    auto conn = reader();
    Stmt s(*conn, "SELECT item, reason, by, at FROM exclusions WHERE campaign_id = ? ORDER BY at, item");
    s.bind(1, campaign_id);
    std::vector<ExclusionRow> out;
    while (s.step()) out.push_back({s.text(0), s.text(1), s.text(2), parse_t(s.text(3))});
    return out;
  }

  void log(std::int64_t campaign_id, const LogEntry& e) override {
    std::lock_guard lock(mu_);
    Stmt(db_, "INSERT INTO log(campaign_id, at, user, action, detail) VALUES(?, ?, ?, ?, ?)")
        .bind(1, campaign_id)
        .bind(2, time_text(e.at))
        .bind(3, e.user)
        .bind(4, e.action)
        .bind(5, e.detail)
        .exec();
  }

  std::vector<LogEntry> log_entries(std::int64_t campaign_id) override {
    auto conn = reader();
    Stmt s(*conn, "SELECT at, user, action, detail FROM log WHERE campaign_id = ? ORDER BY id");
    s.bind(1, campaign_id);
    std::vector<LogEntry> out;
    while (s.step()) out.push_back({parse_t(s.text(0)), s.text(1), s.text(2), s.text(3)});
    return out;
  }

  std::int64_t count_hit(const std::string& key, TimePoint window_start, std::int64_t n) override {
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

  void backup(const std::filesystem::path& file) override {
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

  void migrate() {
    exec_script("CREATE TABLE IF NOT EXISTS schema_version(version INTEGER NOT NULL)");
    int have = 0;
    {
      Stmt s(db_, "SELECT max(version) FROM schema_version");
      if (s.step() && !s.is_null(0)) have = static_cast<int>(s.integer(0));
    }
    if (have > kVersion)
      throw StoreError(fmt::format("database schema version {} is newer than this assay understands ({})", have, kVersion));
    for (int v = have; v < kVersion; ++v) {
      transaction([&] {
        exec_script(kMigrations[v]);
        Stmt(db_, "INSERT INTO schema_version(version) VALUES(?)").bind(1, std::int64_t{v + 1}).exec();
      });
    }
  }

 private:
  Conn db_;  // the one writing connection, under mu_
  std::filesystem::path file_;
  std::recursive_mutex mu_;

  // Read connections: opened when every open one is lent out, kept for the next call.
  std::mutex readers_mu_;
  std::vector<std::unique_ptr<Conn>> idle_readers_;

  std::unique_ptr<Conn> lease_reader() {
    {
      std::lock_guard lock(readers_mu_);
      if (!idle_readers_.empty()) {
        auto conn = std::move(idle_readers_.back());
        idle_readers_.pop_back();
        return conn;
      }
    }
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(file_.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
      std::string msg = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
      sqlite3_close(db);
      throw StoreError(fmt::format("database: cannot open a read connection: {}", msg));
    }
    auto conn = std::make_unique<Conn>(db);
    exec_on(db, "PRAGMA busy_timeout = 5000");
    exec_on(db, "PRAGMA query_only = 1");
    return conn;
  }

  void return_reader(std::unique_ptr<Conn> conn) {
    // A connection left inside a transaction would keep reading an old snapshot: closed instead.
    if (!conn || sqlite3_get_autocommit(conn->handle()) == 0) return;
    std::lock_guard lock(readers_mu_);
    idle_readers_.push_back(std::move(conn));
  }

  struct PendingAnswer {
    std::string attempt_id, item, response, saved_at;
    bool done = false, saved = false;
    std::exception_ptr failure;
  };
  // One statement: the check and the write are one step of the transaction, so an answer never
  // lands after a submission another request committed. True when it was written.
  bool write_answer(const PendingAnswer& p) {
    Stmt(db_,
         "INSERT INTO answers(attempt_id, item, response, saved) "
         "SELECT id, ?2, ?3, ?4 FROM attempts WHERE id = ?1 AND submitted IS NULL "
         "ON CONFLICT(attempt_id, item) DO UPDATE SET response = excluded.response, saved = excluded.saved")
        .bind(1, p.attempt_id)
        .bind(2, p.item)
        .bind(3, p.response)
        .bind(4, p.saved_at)
        .exec();
    return sqlite3_changes(db_.handle()) == 1;
  }
  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::vector<PendingAnswer*> queue_;
  bool committing_ = false;

  std::mutex checkpoint_mu_;
  std::condition_variable checkpoint_cv_;
  bool checkpoint_due_ = false, closing_ = false;
  std::thread checkpointer_;
};

}  // namespace

int sqlite_schema_version() { return kVersion; }

Expected<std::unique_ptr<Store>, std::string> open_sqlite_store(const std::filesystem::path& file, Durability durability) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return fmt::format("{}: error: cannot open the database: {}", file.string(), msg);
  }
  auto store = std::make_unique<SqliteStore>(db, file);
  try {
    store->exec_script("PRAGMA busy_timeout = 5000");
    store->exec_script("PRAGMA journal_mode = WAL");
    store->exec_script(durability == Durability::kFull ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
    store->exec_script("PRAGMA foreign_keys = ON");
    store->migrate();
    store->start_checkpointer();
  } catch (const StoreError& e) {
    return fmt::format("{}: error: {}", file.string(), e.what());
  }
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace assay::serve
