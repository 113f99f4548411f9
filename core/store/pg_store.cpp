// The PostgreSQL store (docs/serve.md, "PostgreSQL"): opening, the connection pool, migrations,
// staff accounts, settings, sessions, campaigns and candidates.
#include "pg_store.hpp"
#include "columns.hpp"

#include <fmt/format.h>

#include "assay/store.hpp"

namespace assay::serve {

int postgres_schema_version() { return pg::kVersion; }

Expected<std::unique_ptr<Store>, std::string> open_postgres_store(const std::string& url, const PostgresOptions& options) {
  auto store = std::make_unique<pg::PgStore>(url, options);
  try {
    store->migrate();
  } catch (const StoreError& e) {
    return fmt::format("{}: error: {}", redact_url(url), e.what());
  }
  return std::unique_ptr<Store>(std::move(store));
}

namespace pg {

std::unique_ptr<Conn> PgStore::connect() {
  const char* keys[] = {"dbname", "fallback_application_name", "client_encoding", nullptr};
  const char* values[] = {url_.c_str(), "assay serve", "UTF8", nullptr};
  auto conn = std::make_unique<Conn>(PQconnectdbParams(keys, values, 1));
  if (conn->handle() == nullptr) throw StoreError("cannot connect to the database: out of memory");
  if (PQstatus(conn->handle()) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn->handle());
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    throw StoreError(fmt::format("cannot connect to the database: {}", message));
  }
  // The server's notices ("relation already exists, skipping") are not for the server's terminal.
  PQsetNoticeProcessor(
      conn->handle(), [](void*, const char*) {}, nullptr);
  if (options_.durability == Durability::kNormal) conn->script("SET synchronous_commit = off");
  return conn;
}

PgStore::Lease PgStore::lease() {
  std::unique_lock lock(pool_mu_);
  pool_cv_.wait(lock, [&] { return !idle_.empty() || open_ < options_.max_connections; });
  if (!idle_.empty()) {
    auto conn = std::move(idle_.back());
    idle_.pop_back();
    return Lease(*this, std::move(conn), true);
  }
  ++open_;
  lock.unlock();
  try {
    return Lease(*this, connect(), false);
  } catch (...) {
    lock.lock();
    --open_;
    pool_cv_.notify_one();
    throw;
  }
}

void PgStore::give_back(std::unique_ptr<Conn> conn) {
  std::lock_guard lock(pool_mu_);
  if (conn && !conn->broken() && conn->idle())
    idle_.push_back(std::move(conn));
  else
    --open_;  // closed: a broken connection, or one left in a transaction, is never lent again
  pool_cv_.notify_one();
}

void PgStore::migrate() {
  auto conn = lease();
  // One server migrates at a time: the others wait here, then find the schema current.
  conn->run("SELECT pg_advisory_lock($1::bigint)", {kMigrationLock});
  struct Unlock {
    Conn& conn;
    ~Unlock() {
      if (!conn.broken()) PQclear(PQexec(conn.handle(), "SELECT pg_advisory_unlock_all()"));
    }
  } unlock{*conn};
  auto encoding = conn->run("SELECT current_setting('server_encoding')");
  if (encoding.text(0, 0) != "UTF8")
    throw StoreError(
        fmt::format("the database's encoding is {}, assay needs UTF8\n  hint: create it with CREATE DATABASE ... ENCODING 'UTF8' "
                    "TEMPLATE template0",
                    encoding.text(0, 0)));
  conn->script(
      "CREATE TABLE IF NOT EXISTS schema_version(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied TEXT NOT NULL)");
  auto have_rows = conn->run("SELECT coalesce(max(version), 0) FROM schema_version");
  int have = static_cast<int>(have_rows.integer(0, 0));
  if (have > kVersion)
    throw StoreError(fmt::format("database schema version {} is newer than this assay understands ({})", have, kVersion));
  for (int v = have; v < kVersion; ++v) {
    conn->script("BEGIN");
    try {
      conn->script(kMigrations[v].sql);
      conn->run(
          "INSERT INTO schema_version(version, name, applied) VALUES($1::integer, $2, to_char(now() AT TIME ZONE 'UTC', "
          "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))",
          {v + 1, kMigrations[v].name});
      conn->script("COMMIT");
    } catch (...) {
      if (!conn->broken()) PQclear(PQexec(conn->handle(), "ROLLBACK"));
      throw;
    }
  }
}

// Accounts.

namespace {

constexpr const char* kUserColumns = "id, username, role, password_hash, created, disabled";

User read_user(const Result& r, int row) {
  User u;
  u.id = r.integer(row, 0);
  u.username = r.text(row, 1);
  u.role = parse_role(r.text(row, 2)).value_or(Role::kRater);
  u.password_hash = r.text(row, 3);
  u.created = Result::parse_t(r.text(row, 4));
  u.disabled = r.integer(row, 5) != 0;
  return u;
}

struct LastAdministrator {};  // thrown inside a transaction to roll it back

/// Serialises the changes that could leave no enabled administrator, then counts those left
/// once the change is made (call it after the change, inside its transaction).
std::int64_t administrators_left(Conn& conn) {
  return conn.run("SELECT count(*) FROM users WHERE role = 'administrator' AND disabled = 0").integer(0, 0);
}

}  // namespace

std::size_t PgStore::user_count() {
  return read([](Conn& c) { return static_cast<std::size_t>(c.run("SELECT count(*) FROM users").integer(0, 0)); });
}

bool PgStore::insert_user(User& u) {
  return transaction([&](Conn& c) {
    auto r = c.run_checked("INSERT INTO users(username, role, password_hash, created) VALUES($1, $2, $3, $4) RETURNING id",
                           {u.username, to_string(u.role), u.password_hash, u.created});
    if (!r) return false;  // the name is taken
    u.id = r->integer(0, 0);
    return true;
  });
}

bool PgStore::insert_first_user(User& u) {
  return transaction([&](Conn& c) {
    // The lock conflicts with itself: of two servers setting up at once, the second waits and
    // then sees the first's account.
    c.run("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE");
    auto r = c.run(
        "INSERT INTO users(username, role, password_hash, created) SELECT $1, $2, $3, $4 "
        "WHERE NOT EXISTS (SELECT 1 FROM users) RETURNING id",
        {u.username, to_string(u.role), u.password_hash, u.created});
    if (r.rows() != 1) return false;
    u.id = r.integer(0, 0);
    return true;
  });
}

std::optional<User> PgStore::find_user(std::string_view username) {
  static const std::string sql = fmt::format("SELECT {} FROM users WHERE username = $1", kUserColumns);
  return read([&](Conn& c) -> std::optional<User> {
    auto r = c.run(sql, {username});
    if (r.rows() == 0) return std::nullopt;
    return read_user(r, 0);
  });
}

std::optional<User> PgStore::user_by_id(std::int64_t id) {
  static const std::string sql = fmt::format("SELECT {} FROM users WHERE id = $1::bigint", kUserColumns);
  return read([&](Conn& c) -> std::optional<User> {
    auto r = c.run(sql, {id});
    if (r.rows() == 0) return std::nullopt;
    return read_user(r, 0);
  });
}

std::vector<User> PgStore::users() {
  // Byte order, as SQLite sorts: the same list whatever the database's collation.
  static const std::string sql = fmt::format("SELECT {} FROM users ORDER BY username COLLATE \"C\"", kUserColumns);
  return read([&](Conn& c) {
    auto r = c.run(sql);
    std::vector<User> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(read_user(r, i));
    return out;
  });
}

void PgStore::set_password(std::int64_t user_id, const std::string& hash) {
  transaction([&](Conn& c) {
    c.run("UPDATE users SET password_hash = $1 WHERE id = $2::bigint", {hash, user_id});
    c.run("DELETE FROM sessions WHERE user_id = $1::bigint", {user_id});
  });
}

bool PgStore::update_user(std::int64_t user_id, Role role, bool disabled) {
  try {
    transaction([&](Conn& c) {
      c.run("SELECT pg_advisory_xact_lock($1::bigint)", {kAdministratorLock});
      c.run("UPDATE users SET role = $1, disabled = $2::integer WHERE id = $3::bigint",
            {to_string(role), disabled ? 1 : 0, user_id});
      if (disabled) c.run("DELETE FROM sessions WHERE user_id = $1::bigint", {user_id});
      if (administrators_left(c) == 0) throw LastAdministrator{};
    });
  } catch (const LastAdministrator&) {
    return false;  // rolled back
  }
  return true;
}

bool PgStore::delete_user(std::int64_t user_id) {
  try {
    transaction([&](Conn& c) {
      c.run("SELECT pg_advisory_xact_lock($1::bigint)", {kAdministratorLock});
      c.run("DELETE FROM sessions WHERE user_id = $1::bigint", {user_id});
      c.run("DELETE FROM users WHERE id = $1::bigint", {user_id});
      if (administrators_left(c) == 0) throw LastAdministrator{};
    });
  } catch (const LastAdministrator&) {
    return false;
  }
  return true;
}

// Settings and sessions.

void PgStore::put_setting(const std::string& key, const std::string& value) {
  transaction([&](Conn& c) {
    c.run("INSERT INTO settings(key, value) VALUES($1, $2) ON CONFLICT(key) DO UPDATE SET value = excluded.value", {key, value});
  });
}

std::optional<std::string> PgStore::setting(const std::string& key) {
  return read([&](Conn& c) -> std::optional<std::string> {
    auto r = c.run("SELECT value FROM settings WHERE key = $1", {key});
    if (r.rows() == 0) return std::nullopt;
    return r.text(0, 0);
  });
}

bool PgStore::take_setting(const std::string& key, const std::string& value) {
  // The row lock makes one DELETE of two concurrent ones find the row: at most one caller wins.
  return transaction([&](Conn& c) {
    return c.run("DELETE FROM settings WHERE key = $1 AND value = $2", {key, value}).affected() == 1;
  });
}

void PgStore::insert_session(const StaffSession& ss) {
  transaction([&](Conn& c) {
    c.run("INSERT INTO sessions(token_hash, user_id, csrf, expires) VALUES($1, $2::bigint, $3, $4)",
          {ss.token_hash, ss.user_id, ss.csrf, ss.expires});
  });
}

std::optional<StaffSession> PgStore::find_session(const std::string& token_hash) {
  return read([&](Conn& c) -> std::optional<StaffSession> {
    auto r = c.run("SELECT token_hash, user_id, csrf, expires FROM sessions WHERE token_hash = $1", {token_hash});
    if (r.rows() == 0) return std::nullopt;
    return StaffSession{r.text(0, 0), r.integer(0, 1), r.text(0, 2), Result::parse_t(r.text(0, 3))};
  });
}

void PgStore::delete_session(const std::string& token_hash) {
  transaction([&](Conn& c) { c.run("DELETE FROM sessions WHERE token_hash = $1", {token_hash}); });
}

// Campaigns and candidates.

namespace {

constexpr const char* kCampaignColumns =
    "id, title, assessment_id, assessment_version, assessment_sha256, assessment_title, assessment_path, mode, opens, "
    "closes, time_limit, retakes, privacy_notice, created_by, created, retention_days, self_identification";
constexpr int kCampaignColumnCount = 17;

/// The campaign in the columns of `r` from `at` on (kCampaignColumns).
Campaign read_campaign(const Result& r, int i, int at = 0) {
  Campaign c;
  c.id = r.integer(i, at + 0);
  c.title = r.text(i, at + 1);
  c.assessment_id = r.text(i, at + 2);
  c.assessment_version = r.text(i, at + 3);
  c.assessment_sha256 = r.text(i, at + 4);
  c.assessment_title = r.text(i, at + 5);
  c.assessment_path = r.text(i, at + 6);
  c.mode = r.text(i, at + 7);
  c.opens = Result::parse_t(r.text(i, at + 8));
  c.closes = Result::parse_t(r.text(i, at + 9));
  c.time_limit = r.integer(i, at + 10);
  c.retakes = r.integer(i, at + 11);
  c.privacy_notice = r.text(i, at + 12);
  c.created_by = r.text(i, at + 13);
  c.created = Result::parse_t(r.text(i, at + 14));
  c.retention_days = r.integer(i, at + 15);
  c.self_identification = r.text(i, at + 16);
  return c;
}

constexpr const char* kCandidateColumns =
    "id, campaign_id, name, email, external_ref, link_hash, revoked, extra_time, extra_time_by, extra_time_note";
constexpr int kCandidateColumnCount = 10;

/// The candidate in the columns of `r` from `at` on (kCandidateColumns).
Candidate read_candidate(const Result& r, int i, int at = 0) {
  Candidate c;
  c.id = r.integer(i, at + 0);
  c.campaign_id = r.integer(i, at + 1);
  c.name = r.text(i, at + 2);
  c.email = r.text(i, at + 3);
  c.external_ref = r.text(i, at + 4);
  c.link_hash = r.text(i, at + 5);
  c.revoked = r.integer(i, at + 6) != 0;
  c.extra_time = r.integer(i, at + 7);
  c.extra_time_by = r.text(i, at + 8);
  c.extra_time_note = r.text(i, at + 9);
  return c;
}

}  // namespace

void PgStore::insert_campaign(Campaign& c) {
  c.id = transaction([&](Conn& conn) {
    return conn
        .run(
            "INSERT INTO campaigns(title, assessment_id, assessment_version, assessment_sha256, assessment_title, "
            "assessment_path, mode, opens, closes, time_limit, retakes, privacy_notice, created_by, created, retention_days, "
            "self_identification) VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::bigint, $11::bigint, $12, $13, $14, "
            "$15::bigint, $16) RETURNING id",
            {c.title, c.assessment_id, c.assessment_version, c.assessment_sha256, c.assessment_title, c.assessment_path, c.mode,
             c.opens, c.closes, c.time_limit, c.retakes, c.privacy_notice, c.created_by, c.created, c.retention_days,
             c.self_identification})
        .integer(0, 0);
  });
}

std::optional<Campaign> PgStore::campaign(std::int64_t id) {
  static const std::string sql = fmt::format("SELECT {} FROM campaigns WHERE id = $1::bigint", kCampaignColumns);
  return read([&](Conn& c) -> std::optional<Campaign> {
    auto r = c.run(sql, {id});
    if (r.rows() == 0) return std::nullopt;
    return read_campaign(r, 0);
  });
}

std::vector<Campaign> PgStore::campaigns() {
  static const std::string sql = fmt::format("SELECT {} FROM campaigns ORDER BY id", kCampaignColumns);
  return read([&](Conn& c) {
    auto r = c.run(sql);
    std::vector<Campaign> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(read_campaign(r, i));
    return out;
  });
}

void PgStore::insert_candidates(std::vector<Candidate>& cs) {
  std::vector<std::int64_t> ids;
  transaction([&](Conn& conn) {
    ids.clear();
    // Ids are never given twice, not even after the newest candidate's data is deleted: an id in an
    // export or a log names one person only. The highest id given is kept in the settings; the lock
    // keeps two servers adding candidates at once from taking the same one.
    conn.run("SELECT pg_advisory_xact_lock($1::bigint)", {kCandidateIdLock});
    for (auto& c : cs) {
      auto id = conn.run(
                        "SELECT greatest(coalesce((SELECT max(id) FROM candidates), 0), "
                        "coalesce((SELECT value::bigint FROM settings WHERE key = 'candidate_id_high'), 0)) + 1")
                    .integer(0, 0);
      conn.run(
          "INSERT INTO candidates(id, campaign_id, name, email, external_ref, link_hash) "
          "VALUES($1::bigint, $2::bigint, $3, $4, $5, $6)",
          {id, c.campaign_id, c.name, c.email, c.external_ref, c.link_hash});
      conn.run(
          "INSERT INTO settings(key, value) VALUES('candidate_id_high', $1) "
          "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
          {std::to_string(id)});
      ids.push_back(id);
    }
  });
  for (std::size_t i = 0; i < cs.size(); ++i) cs[i].id = ids[i];  // only once committed: all or none
}

std::optional<Candidate> PgStore::candidate(std::int64_t id) {
  static const std::string sql = fmt::format("SELECT {} FROM candidates WHERE id = $1::bigint", kCandidateColumns);
  return read([&](Conn& c) -> std::optional<Candidate> {
    auto r = c.run(sql, {id});
    if (r.rows() == 0) return std::nullopt;
    return read_candidate(r, 0);
  });
}

std::optional<std::pair<Candidate, Campaign>> PgStore::link(const std::string& link_hash) {
  // One statement, as every candidate request starts with it.
  static const std::string sql =
      fmt::format("SELECT {}, {} FROM candidates c JOIN campaigns k ON k.id = c.campaign_id WHERE c.link_hash = $1",
                  qualified(kCandidateColumns, "c."), qualified(kCampaignColumns, "k."));
  return read([&](Conn& c) -> std::optional<std::pair<Candidate, Campaign>> {
    auto r = c.run(sql, {link_hash});
    if (r.rows() == 0) return std::nullopt;
    return std::pair{read_candidate(r, 0), read_campaign(r, 0, kCandidateColumnCount)};
  });
}

std::optional<OpenedLink> PgStore::open_link(const std::string& link_hash) {
  // One row per attempt (one with NULL attempt columns when there is none), in one snapshot.
  static const std::string sql = fmt::format(
      "SELECT {}, {}, {} FROM candidates c JOIN campaigns k ON k.id = c.campaign_id "
      "LEFT JOIN attempts a ON a.candidate_id = c.id WHERE c.link_hash = $1 ORDER BY a.seq",
      qualified(kCandidateColumns, "c."), qualified(kCampaignColumns, "k."), attempt_columns("a"));
  return read([&](Conn& c) -> std::optional<OpenedLink> {
    auto r = c.run(sql, {link_hash});
    if (r.rows() == 0) return std::nullopt;
    return OpenedLink{read_candidate(r, 0), read_campaign(r, 0, kCandidateColumnCount),
                      read_attempts(r, kCandidateColumnCount + kCampaignColumnCount)};
  });
}

std::vector<Candidate> PgStore::candidates(std::int64_t campaign_id) {
  static const std::string sql =
      fmt::format("SELECT {} FROM candidates WHERE campaign_id = $1::bigint ORDER BY id", kCandidateColumns);
  return read([&](Conn& c) {
    auto r = c.run(sql, {campaign_id});
    std::vector<Candidate> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(read_candidate(r, i));
    return out;
  });
}

void PgStore::set_link(std::int64_t candidate_id, const std::string& link_hash) {
  transaction([&](Conn& c) { c.run("UPDATE candidates SET link_hash = $1 WHERE id = $2::bigint", {link_hash, candidate_id}); });
}

void PgStore::revoke(std::int64_t candidate_id) {
  transaction([&](Conn& c) { c.run("UPDATE candidates SET revoked = 1 WHERE id = $1::bigint", {candidate_id}); });
}

void PgStore::delete_candidate(std::int64_t candidate_id) {
  transaction([&](Conn& c) {
    for (const char* sql :
         {"DELETE FROM answers WHERE attempt_id IN (SELECT id FROM attempts WHERE candidate_id = $1::bigint)",
          "DELETE FROM ratings WHERE attempt_id IN (SELECT id FROM attempts WHERE candidate_id = $1::bigint)",
          "DELETE FROM signals WHERE attempt_id IN (SELECT id FROM attempts WHERE candidate_id = $1::bigint)",
          "DELETE FROM results WHERE attempt_id IN (SELECT id FROM attempts WHERE candidate_id = $1::bigint)",
          "DELETE FROM xapi_outbox WHERE attempt_id IN (SELECT id FROM attempts WHERE candidate_id = $1::bigint)",
          "DELETE FROM attempts WHERE candidate_id = $1::bigint",
          "DELETE FROM self_identifications WHERE candidate_id = $1::bigint", "DELETE FROM candidates WHERE id = $1::bigint"})
      c.run(sql, {candidate_id});
  });
}

void PgStore::set_extra_time(std::int64_t candidate_id, std::int64_t seconds, const std::string& by, const std::string& note) {
  transaction([&](Conn& c) {
    c.run("UPDATE candidates SET extra_time = $1::bigint, extra_time_by = $2, extra_time_note = $3 WHERE id = $4::bigint",
          {seconds, by, note, candidate_id});
  });
}

void PgStore::put_self_identification(std::int64_t candidate_id, std::int64_t campaign_id, const std::string& answers,
                                      TimePoint at) {
  transaction([&](Conn& c) {
    c.run(
        "INSERT INTO self_identifications(candidate_id, campaign_id, answers, at) VALUES($1::bigint, $2::bigint, $3, $4) "
        "ON CONFLICT(candidate_id) DO UPDATE SET answers = excluded.answers, at = excluded.at",
        {candidate_id, campaign_id, answers, at});
  });
}

bool PgStore::has_self_identification(std::int64_t candidate_id) {
  return read([&](Conn& c) {
    return c.run("SELECT 1 FROM self_identifications WHERE candidate_id = $1::bigint", {candidate_id}).rows() == 1;
  });
}

std::vector<std::pair<std::int64_t, std::string>> PgStore::self_identifications(std::int64_t campaign_id) {
  return read([&](Conn& c) {
    auto r = c.run("SELECT candidate_id, answers FROM self_identifications WHERE campaign_id = $1::bigint ORDER BY candidate_id",
                   {campaign_id});
    std::vector<std::pair<std::int64_t, std::string>> out;
    for (int i = 0; i < r.rows(); ++i) out.emplace_back(r.integer(i, 0), r.text(i, 1));
    return out;
  });
}

void PgStore::queue_statements(const std::vector<OutboxStatement>& statements, TimePoint at) {
  transaction([&](Conn& c) {
    for (const auto& st : statements)
      c.run(
          "INSERT INTO xapi_outbox(id, attempt_id, statement, queued, next_try) VALUES($1, $2, $3, $4, $4) "
          "ON CONFLICT(id) DO NOTHING",
          {st.id, st.attempt_id, st.statement, at});
  });
}

std::vector<OutboxStatement> PgStore::claim_statements(TimePoint now, TimePoint lease_until, std::size_t limit) {
  // SKIP LOCKED: servers claiming at once take different statements.
  return transaction([&](Conn& c) {
    auto r = c.run(
        "UPDATE xapi_outbox SET next_try = $1 WHERE id IN (SELECT id FROM xapi_outbox WHERE sent IS NULL AND refused = 0 "
        "AND next_try <= $2 ORDER BY queued, id LIMIT $3::bigint FOR UPDATE SKIP LOCKED) "
        "RETURNING id, attempt_id, statement, tries",
        {lease_until, now, static_cast<std::int64_t>(limit)});
    std::vector<OutboxStatement> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back({r.text(i, 0), r.text(i, 1), r.text(i, 2), r.integer(i, 3)});
    return out;
  });
}

void PgStore::statement_sent(const std::string& id, TimePoint at) {
  transaction([&](Conn& c) { c.run("UPDATE xapi_outbox SET sent = $1, last_error = '' WHERE id = $2", {at, id}); });
}

void PgStore::statement_failed(const std::string& id, TimePoint next_try, const std::string& error, bool refused) {
  transaction([&](Conn& c) {
    c.run(
        "UPDATE xapi_outbox SET tries = tries + 1, next_try = $1, last_error = $2, refused = $3::integer WHERE id = $4 AND "
        "sent IS NULL",
        {next_try, error, std::int64_t{refused ? 1 : 0}, id});
  });
}

OutboxCounts PgStore::outbox_counts() {
  return read([&](Conn& c) {
    auto r = c.run(
        "SELECT count(*) FILTER (WHERE sent IS NULL AND refused = 0), count(sent), count(*) FILTER (WHERE refused = 1) "
        "FROM xapi_outbox");
    return OutboxCounts{r.integer(0, 0), r.integer(0, 1), r.integer(0, 2)};
  });
}

}  // namespace pg
}  // namespace assay::serve
