// The PostgreSQL store's class: its connection pool, its transactions, and the Store methods,
// defined in pg_store.cpp (accounts, settings, sessions, campaigns, candidates) and
// pg_attempts.cpp (attempts and everything of theirs, the log, rate limits, repairs). Private to
// core/store.
#pragma once

#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <type_traits>
#include <vector>

#include "group_commit.hpp"
#include "pg_db.hpp"

namespace assay::serve::pg {

class PgStore : public Store {
 public:
  PgStore(std::string url, PostgresOptions options) : url_(std::move(url)), options_(options) {
    if (options_.max_connections == 0) options_.max_connections = 1;
  }
  ~PgStore() override = default;

  /// A new connection, its session set up; throws StoreError when the server cannot be reached.
  std::unique_ptr<Conn> connect();

  /// Creates or upgrades the schema under the migration lock; refuses a newer one.
  void migrate();

  /// A connection lent for one store call: back to the pool when the call ends, closed instead
  /// when it broke or was left inside a transaction.
  class Lease {
   public:
    Lease(PgStore& store, std::unique_ptr<Conn> conn, bool pooled) : store_(store), conn_(std::move(conn)), pooled_(pooled) {}
    ~Lease() { store_.give_back(std::move(conn_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Conn& operator*() { return *conn_; }
    Conn* operator->() { return conn_.get(); }
    /// Whether it waited in the pool (and so may have lost its server since).
    bool pooled() const { return pooled_; }

   private:
    PgStore& store_;
    std::unique_ptr<Conn> conn_;
    bool pooled_;
  };
  Lease lease();

  /// Runs `body(conn)` in one transaction (rolled back if it throws) and returns what it returns.
  /// A pooled connection found dead at BEGIN is replaced once: nothing was sent yet.
  template <class F>
  auto transaction(F&& body, const char* begin = "BEGIN") {
    for (int round = 0;; ++round) {
      auto conn = lease();
      try {
        conn->script(begin);
      } catch (const StoreError&) {
        if (round == 0 && conn.pooled() && conn->broken()) continue;
        throw;
      }
      try {
        if constexpr (std::is_void_v<decltype(body(*conn))>) {
          body(*conn);
          conn->script("COMMIT");
          return;
        } else {
          auto r = body(*conn);
          conn->script("COMMIT");
          return r;
        }
      } catch (...) {
        if (!conn->broken()) PQclear(PQexec(conn->handle(), "ROLLBACK"));
        throw;
      }
    }
  }

  /// Runs `body(conn)` outside a transaction: each statement commits on its own, so `body` makes
  /// at most one change, and must be safe to repeat: it is retried once on a new connection when a
  /// pooled one turns out dead, and the statement may have reached the server before it died.
  template <class F>
  auto write(F&& body) {
    return read(std::forward<F>(body));
  }

  /// Runs the read-only `body(conn)` outside a transaction (each statement sees the last commit);
  /// retried once on a new connection when a pooled one turns out dead.
  template <class F>
  auto read(F&& body) {
    for (int round = 0;; ++round) {
      auto conn = lease();
      try {
        return body(*conn);
      } catch (const StoreError&) {
        if (round == 0 && conn.pooled() && conn->broken()) continue;
        throw;
      }
    }
  }

  /// Runs the read-only `body(conn)` in one snapshot (REPEATABLE READ).
  template <class F>
  auto snapshot(F&& body) {
    return transaction(std::forward<F>(body), "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  }

  std::size_t user_count() override;
  bool insert_user(User& u) override;
  bool insert_first_user(User& u) override;
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

  void insert_campaign(Campaign& c) override;
  std::optional<Campaign> campaign(std::int64_t id) override;
  std::vector<Campaign> campaigns() override;
  void insert_candidates(std::vector<Candidate>& cs) override;
  std::optional<Candidate> candidate(std::int64_t id) override;
  std::optional<std::pair<Candidate, Campaign>> link(const std::string& link_hash) override;
  std::optional<OpenedLink> open_link(const std::string& link_hash) override;
  std::vector<Candidate> candidates(std::int64_t campaign_id) override;
  void set_link(std::int64_t candidate_id, const std::string& link_hash) override;
  void revoke(std::int64_t candidate_id) override;
  void delete_candidate(std::int64_t candidate_id) override;
  void set_extra_time(std::int64_t candidate_id, std::int64_t seconds, const std::string& by, const std::string& note) override;

  bool insert_attempt(const StoredAttempt& a) override;
  std::optional<StoredAttempt> attempt(const std::string& attempt_id) override;
  std::vector<StoredAttempt> attempts_of(std::int64_t candidate_id) override;
  std::vector<StoredAttempt> campaign_attempts(std::int64_t campaign_id) override;
  SavedAnswer save_answer(const std::string& attempt_id, const std::string& item_id, const std::string& response, TimePoint at,
                          std::int64_t revision) override;
  std::optional<OpenSaved> save_answer_if_open(const OpenSave& save) override;
  bool mark_submitted(const std::string& attempt_id, TimePoint at) override;
  void bind_browser(const std::string& attempt_id, const std::string& browser_hash) override;
  void browser_seen(const std::string& attempt_id, TimePoint at) override;
  void set_deadline(const std::string& attempt_id, std::optional<TimePoint> deadline) override;
  void save_rating(const std::string& attempt_id, const std::string& item_id, const std::string& criterion,
                   const std::string& level, const std::string& rater, TimePoint at) override;
  void add_signal(const std::string& attempt_id, const Signal& signal) override;
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

 private:
  void give_back(std::unique_ptr<Conn> conn);

  // save_answer_if_open's group commit: the saves that arrive while groups are being written are
  // written together next, as one pipeline and one transaction (one round trip, one commit).
  struct PendingSave {
    const OpenSave* save = nullptr;
    std::optional<OpenSaved> saved;
    std::exception_ptr failure;  // this save's own, when the group was written one by one
  };
  void write_group(std::vector<PendingSave*>& group);
  GroupCommit<PendingSave> group_commit_{2};  // groups written at once, each on a connection of its own
  /// An attempt's columns, of the table or alias `table`, with its answers and ratings as JSON
  /// arrays: one statement, so one snapshot and one round trip.
  static std::string attempt_columns(std::string_view table);
  /// The attempts of a `SELECT <attempt_columns>, ...` whose attempt columns start at `at`, with
  /// their answers and ratings; rows whose attempt id is NULL (an outer join's) are none.
  static std::vector<StoredAttempt> read_attempts(const Result& rows, int at = 0);

  std::string url_;
  PostgresOptions options_;
  std::mutex pool_mu_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<Conn>> idle_;
  std::size_t open_ = 0;  // connections open: idle or lent out
};

}  // namespace assay::serve::pg
