// The SQLite store's class: its connections, its write queue and checkpointer, and the Store
// methods, defined by resource in sqlite_accounts.cpp, sqlite_campaigns.cpp and
// sqlite_attempts.cpp. Private to core/store.
#pragma once

#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "group_commit.hpp"
#include "sqlite_db.hpp"

namespace assay::serve::sqlite {

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

  std::size_t user_count() override;

  bool insert_user(User& u) override;
  bool insert_first_user(User& u) override;

  static User read_user(const Stmt& s);
  struct LastAdministrator {};         // thrown inside a transaction to roll it back
  std::int64_t administrators_left();  // enabled administrators, on the writing connection

  std::optional<User> find_user(std::string_view username) override;

  std::optional<User> user_by_id(std::int64_t id) override;

  std::vector<User> users() override;

  void set_password(std::int64_t user_id, const std::string& hash) override;
  bool update_user(std::int64_t user_id, Role role, bool disabled) override;
  bool delete_user(std::int64_t user_id) override;

  void put_setting(const std::string& key, const std::string& value) override;

  std::optional<std::string> setting(const std::string& key) override;

  bool take_setting(const std::string& key, const std::string& value) override;

  void insert_session(const StaffSession& ss) override;

  std::optional<StaffSession> find_session(const std::string& token_hash) override;

  void delete_session(const std::string& token_hash) override;

  static constexpr const char* kCampaignColumns =
      "id, title, assessment_id, assessment_version, assessment_sha256, assessment_title, assessment_path, mode, opens, "
      "closes, time_limit, retakes, privacy_notice, created_by, created, retention_days, self_identification";

  /// The campaign in the columns of `s` from `at` on (kCampaignColumns).
  static Campaign read_campaign(const Stmt& s, int at = 0);

  void insert_campaign(Campaign& c) override;

  std::optional<Campaign> campaign(std::int64_t id) override;

  std::vector<Campaign> campaigns() override;

  static constexpr const char* kCandidateColumns =
      "id, campaign_id, name, email, external_ref, link_hash, revoked, extra_time, extra_time_by, extra_time_note";
  static constexpr int kCandidateColumnCount = 10;

  /// The candidate in the columns of `s` from `at` on (kCandidateColumns).
  static Candidate read_candidate(const Stmt& s, int at = 0);

  void insert_candidates(std::vector<Candidate>& cs) override;

  std::optional<Candidate> candidate(std::int64_t id) override;

  std::optional<std::pair<Candidate, Campaign>> link(const std::string& link_hash) override;

  std::vector<Candidate> candidates(std::int64_t campaign_id) override;

  void set_link(std::int64_t candidate_id, const std::string& link_hash) override;

  void revoke(std::int64_t candidate_id) override;

  void delete_candidate(std::int64_t candidate_id) override;

  void set_extra_time(std::int64_t candidate_id, std::int64_t seconds, const std::string& by, const std::string& note) override;

  bool insert_attempt(const StoredAttempt& a) override;

  /// Reads the rows of a `SELECT id, candidate_id, campaign_id, document, deadline, submitted,
  /// browser_hash FROM attempts ...` with their answers and ratings, in the read transaction of `conn`.
  static std::vector<StoredAttempt> read_attempts(Conn& conn, Stmt& s);

  static constexpr const char* kAttemptColumns =
      "id, candidate_id, campaign_id, document, deadline, submitted, browser_hash, browser_seen";

  std::optional<StoredAttempt> attempt(const std::string& attempt_id) override;

  std::vector<StoredAttempt> attempts_of(std::int64_t candidate_id) override;

  std::vector<StoredAttempt> campaign_attempts(std::int64_t campaign_id) override;

  // Answers are committed in groups: each request queues its answer, and whichever request
  // finds no commit under way writes every queued answer in one transaction, so concurrent
  // candidates share one fsync instead of waiting for one each. A request returns only after the
  // transaction holding its answer has committed (or failed, which it then throws).
  SavedAnswer save_answer(const std::string& attempt_id, const std::string& item_id, const std::string& response, TimePoint at,
                          std::int64_t revision) override;
  /// Queued and committed with the other answers as save_answer is.
  std::optional<OpenSaved> save_answer_if_open(const OpenSave& save) override;

  bool mark_submitted(const std::string& attempt_id, TimePoint at) override;

  void bind_browser(const std::string& attempt_id, const std::string& browser_hash) override;
  void browser_seen(const std::string& attempt_id, TimePoint at) override;
  void set_deadline(const std::string& attempt_id, std::optional<TimePoint> deadline) override;

  void save_rating(const std::string& attempt_id, const std::string& item_id, const std::string& criterion,
                   const std::string& level, const std::string& rater, TimePoint at) override;

  void add_signal(const std::string& attempt_id, const Signal& sig) override;

  std::vector<Signal> signals(const std::string& attempt_id) override;

  void put_self_identification(std::int64_t candidate_id, std::int64_t campaign_id, const std::string& answers,
                               TimePoint at) override;
  bool has_self_identification(std::int64_t candidate_id) override;
  std::vector<std::pair<std::int64_t, std::string>> self_identifications(std::int64_t campaign_id) override;
  void queue_statements(const std::vector<OutboxStatement>& statements, TimePoint at) override;
  std::vector<OutboxStatement> claim_statements(TimePoint now, TimePoint lease_until, std::size_t limit) override;
  void statement_sent(const std::string& id, TimePoint at) override;
  void statement_failed(const std::string& id, TimePoint next_try, const std::string& error, bool refused) override;
  OutboxCounts outbox_counts() override;
  void put_result(const std::string& attempt_id, const std::string& document) override;

  std::optional<std::string> result(const std::string& attempt_id) override;

  void add_exclusion(std::int64_t campaign_id, const ExclusionRow& e) override;

  std::vector<ExclusionRow> exclusions(std::int64_t campaign_id) override;
  bool remove_exclusion(std::int64_t campaign_id, const std::string& item) override;

  void log(std::int64_t campaign_id, const LogEntry& e) override;

  std::vector<LogEntry> log_entries(std::int64_t campaign_id) override;

  std::int64_t count_hit(const std::string& key, TimePoint window_start, std::int64_t n) override;

  void backup(const std::filesystem::path& file) override;

  std::vector<std::string> repair_out_of_range() override;

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
    PendingAnswer(std::string attempt, std::string item_id, std::string text, std::string at, std::int64_t rev,
                  const OpenSave* checks = nullptr)
        : attempt_id(std::move(attempt)),
          item(std::move(item_id)),
          response(std::move(text)),
          saved_at(std::move(at)),
          revision(rev),
          open(checks) {}
    std::string attempt_id, item, response, saved_at;
    std::int64_t revision = 0;
    const OpenSave* open = nullptr;  // save_answer_if_open's checks, when it asked
    SavedAnswer saved;
    std::optional<OpenSaved> opened;
  };
  /// Queues `p` and returns once the transaction holding it has committed (or throws its failure).
  void commit_in_group(PendingAnswer& p);
  // What a save (?5: its revision, 0 for none) does to the item's stored answer (docs/serve.md,
  // "Answer revisions"): replaces it when newer, or as the next revision when unnumbered; else
  // keeps it.
  static constexpr std::string_view kKeepNewerRevision =
      "ON CONFLICT(attempt_id, item) DO UPDATE SET response = excluded.response, saved = excluded.saved, "
      "revision = CASE WHEN ?5 = 0 THEN answers.revision + 1 ELSE ?5 END "
      "WHERE ?5 = 0 OR ?5 > answers.revision RETURNING revision";
  // The check and the write are one statement of the transaction, so an answer never lands after
  // a submission another request committed, nor over a newer revision another server wrote.
  SavedAnswer write_answer(const PendingAnswer& p) {
    {
      static const std::string sql =
          "INSERT INTO answers(attempt_id, item, response, saved, revision) "
          "SELECT id, ?2, ?3, ?4, MAX(?5, 1) FROM attempts WHERE id = ?1 AND submitted IS NULL " +
          std::string(kKeepNewerRevision);
      Stmt write(db_, sql);
      write.bind(1, p.attempt_id).bind(2, p.item).bind(3, p.response).bind(4, p.saved_at).bind(5, p.revision);
      if (write.step()) return {SavedAnswer::kSaved, write.integer(0)};
    }
    Stmt now(db_,
             "SELECT a.submitted, w.revision, w.response FROM attempts a "
             "LEFT JOIN answers w ON w.attempt_id = a.id AND w.item = ?2 WHERE a.id = ?1");
    now.bind(1, p.attempt_id).bind(2, p.item);
    if (!now.step()) return {SavedAnswer::kSubmitted, 0};
    if (!now.is_null(0)) return {SavedAnswer::kSubmitted, now.integer(1)};
    return {now.integer(1) == p.revision && now.text(2) == p.response ? SavedAnswer::kRepeat : SavedAnswer::kStale,
            now.integer(1)};
  }
  std::optional<OpenSaved> write_open_answer(const PendingAnswer& p) {
    const auto& o = *p.open;
    OpenSaved saved;
    {
      static const std::string sql =
          "INSERT INTO answers(attempt_id, item, response, saved, revision) "
          "SELECT a.id, ?2, ?3, ?4, MAX(?5, 1) FROM attempts a JOIN candidates c ON c.id = a.candidate_id "
          "JOIN campaigns k ON k.id = c.campaign_id WHERE a.id = ?1 AND a.submitted IS NULL AND c.link_hash = ?6 "
          "AND c.revoked = 0 AND a.browser_hash = ?7 AND a.browser_hash <> '' AND (a.deadline IS NULL OR a.deadline > ?4) "
          "AND k.closes > ?4 "
          "AND (SELECT COALESCE(SUM(length(CAST(w.response AS BLOB))), 0) FROM answers w "
          "WHERE w.attempt_id = ?1 AND w.item <> ?2) + length(CAST(?3 AS BLOB)) <= ?8 " +
          std::string(kKeepNewerRevision);
      Stmt write(db_, sql);
      write.bind(1, p.attempt_id).bind(2, p.item).bind(3, p.response).bind(4, p.saved_at).bind(5, p.revision);
      write.bind(6, o.link_hash).bind(7, o.browser_hash).bind(8, o.max_answers);
      if (!write.step()) return std::nullopt;
      saved.revision = write.integer(0);
    }
    Stmt state(db_, "SELECT deadline, browser_seen FROM attempts WHERE id = ?1");
    state.bind(1, p.attempt_id);
    if (state.step()) {
      saved.deadline = state.time(0);
      saved.browser_seen = state.time(1);
    }
    return saved;
  }
  GroupCommit<PendingAnswer> group_commit_{1};  // one writer: SQLite has one

  std::mutex checkpoint_mu_;
  std::condition_variable checkpoint_cv_;
  bool checkpoint_due_ = false, closing_ = false;
  std::thread checkpointer_;
};

}  // namespace assay::serve::sqlite
