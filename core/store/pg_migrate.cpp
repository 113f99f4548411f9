// Copying an SQLite database into an empty PostgreSQL one (serve::copy_sqlite_to_postgres).
#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>

#include "assay/sha256.hpp"
#include "assay/store_migrate.hpp"
#include "pg_store.hpp"

namespace assay::serve {

namespace {

struct Table {
  const char* name;
  const char* columns;       // as both schemas name them
  const char* sqlite_order;  // the order rows are copied in
  const char* pg_order;      // the same order in PostgreSQL (text in byte order, as SQLite sorts it)
  const char* identity;      // the column whose sequence continues past the copied ids, or nullptr
};

// Parents before children (the foreign keys are checked as rows arrive).
constexpr Table kTables[] = {
    {"users", "id, username, role, password_hash, created, disabled", "id", "id", "id"},
    {"settings", "key, value", "key", "key COLLATE \"C\"", nullptr},
    {"sessions", "token_hash, user_id, csrf, expires", "token_hash", "token_hash COLLATE \"C\"", nullptr},
    {"campaigns",
     "id, title, assessment_id, assessment_version, assessment_sha256, assessment_title, assessment_path, mode, opens, closes, "
     "time_limit, retakes, privacy_notice, created_by, created, retention_days, self_identification",
     "id", "id", "id"},
    {"candidates", "id, campaign_id, name, email, external_ref, link_hash, revoked, extra_time, extra_time_by, extra_time_note",
     "id", "id", nullptr},
    // In the order they were started: what attempts_of reads them in (SQLite's rowid, seq here).
    {"attempts", "id, candidate_id, campaign_id, document, deadline, submitted, browser_hash, browser_seen", "rowid", "seq",
     nullptr},
    {"answers", "attempt_id, item, response, saved, revision", "attempt_id, item", "attempt_id COLLATE \"C\", item COLLATE \"C\"",
     nullptr},
    {"ratings", "attempt_id, item, criterion, level, rater, at", "attempt_id, item, criterion",
     "attempt_id COLLATE \"C\", item COLLATE \"C\", criterion COLLATE \"C\"", nullptr},
    {"signals", "id, attempt_id, kind, detail, at", "id", "id", "id"},
    {"results", "attempt_id, document", "attempt_id", "attempt_id COLLATE \"C\"", nullptr},
    {"exclusions", "campaign_id, item, reason, \"by\", at", "campaign_id, item", "campaign_id, item COLLATE \"C\"", nullptr},
    {"log", "id, campaign_id, at, \"user\", action, detail", "id", "id", "id"},
    {"rate_limits", "key, window_start, count", "key", "key COLLATE \"C\"", nullptr},
    {"self_identifications", "candidate_id, campaign_id, answers, at", "candidate_id", "candidate_id", nullptr},
    {"xapi_outbox", "id, attempt_id, statement, queued, tries, next_try, sent, refused, last_error", "id", "id COLLATE \"C\"",
     nullptr},
};

/// Adds one value to a table's digest: NULL and text kept apart, each value's length first.
void digest_value(util::Sha256& h, const char* value, std::size_t size) {
  if (value == nullptr) {
    h.update("N", 1);
    return;
  }
  auto head = fmt::format("V{}:", size);
  h.update(head);
  h.update(value, size);
}

struct SqliteSource {
  sqlite3* db = nullptr;
  ~SqliteSource() { sqlite3_close(db); }
};

}  // namespace

Expected<std::vector<CopiedTable>, std::string> copy_sqlite_to_postgres(const std::filesystem::path& from,
                                                                        const std::string& to_url) {
  // The source at the current schema, as a server start would leave it.
  if (auto source = open_sqlite_store(from); !source) return source.error();
  auto target = std::make_unique<pg::PgStore>(to_url, PostgresOptions{});
  try {
    target->migrate();
  } catch (const StoreError& e) {
    return fmt::format("{}: error: {}", redact_url(to_url), e.what());
  }
  SqliteSource src;
  if (sqlite3_open_v2(from.c_str(), &src.db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
    return fmt::format("{}: error: cannot open the database: {}", from.string(), sqlite3_errmsg(src.db));
  std::vector<CopiedTable> copied;
  try {
    // One snapshot of the source: a server still writing to it cannot tear the copy.
    if (sqlite3_exec(src.db, "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK)
      throw StoreError(fmt::format("{}: {}", from.string(), sqlite3_errmsg(src.db)));
    target->transaction([&](pg::Conn& c) {
      for (const auto& t : kTables) {
        auto count = c.query(fmt::format("SELECT count(*) FROM {}", t.name)).integer(0, 0);
        if (count != 0)
          throw StoreError(
              fmt::format("the target database is not empty: table {} holds {} row{}\n  hint: copy into a new, empty database",
                          t.name, count, count == 1 ? "" : "s"));
      }
      for (const auto& t : kTables) {
        int columns = 1;
        for (const char* p = t.columns; *p != '\0'; ++p) columns += *p == ',' ? 1 : 0;
        std::string placeholders;
        for (int i = 1; i <= columns; ++i) placeholders += fmt::format("{}${}", i == 1 ? "" : ", ", i);
        auto insert = fmt::format("INSERT INTO {}({}) VALUES({})", t.name, t.columns, placeholders);
        {
          pg::Result prepared(PQprepare(c.handle(), t.name, insert.c_str(), 0, nullptr));
          if (PQresultStatus(prepared.get()) != PGRES_COMMAND_OK)
            throw StoreError(fmt::format("table {}: {}", t.name, PQresultErrorMessage(prepared.get())));
        }
        sqlite3_stmt* s = nullptr;
        auto select = fmt::format("SELECT {} FROM {} ORDER BY {}", t.columns, t.name, t.sqlite_order);
        if (sqlite3_prepare_v2(src.db, select.c_str(), -1, &s, nullptr) != SQLITE_OK)
          throw StoreError(fmt::format("{}: {}", from.string(), sqlite3_errmsg(src.db)));
        CopiedTable out{t.name, 0, ""};
        util::Sha256 digest;
        int rc = 0;
        std::vector<std::string> values(static_cast<std::size_t>(columns));
        std::vector<const char*> params(static_cast<std::size_t>(columns));
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
          for (int i = 0; i < columns; ++i) {
            auto k = static_cast<std::size_t>(i);
            const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
            if (text == nullptr) {
              params[k] = nullptr;
            } else {
              values[k].assign(text, static_cast<std::size_t>(sqlite3_column_bytes(s, i)));
              params[k] = values[k].c_str();
            }
            digest_value(digest, params[k], params[k] == nullptr ? 0 : values[k].size());
          }
          pg::Result r(PQexecPrepared(c.handle(), t.name, columns, params.data(), nullptr, nullptr, 0));
          if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) {
            std::string message = PQresultErrorMessage(r.get());
            sqlite3_finalize(s);
            throw StoreError(fmt::format("table {}, row {}: {}", t.name, out.rows + 1, message));
          }
          ++out.rows;
        }
        sqlite3_finalize(s);
        if (rc != SQLITE_DONE) throw StoreError(fmt::format("{}: {}", from.string(), sqlite3_errmsg(src.db)));
        out.sha256 = digest.hex();
        if (t.identity != nullptr)
          c.query(fmt::format("SELECT setval(pg_get_serial_sequence('{0}', '{1}'), coalesce(max({1}), 0) + 1, false) FROM {0}",
                              t.name, t.identity));
        copied.push_back(std::move(out));
      }
      // Read back what was written, in the same order, before committing.
      for (const auto& t : copied) {
        const auto& spec =
            *std::find_if(std::begin(kTables), std::end(kTables), [&](const Table& x) { return t.name == x.name; });
        auto r = c.query(fmt::format("SELECT {} FROM {} ORDER BY {}", spec.columns, spec.name, spec.pg_order));
        util::Sha256 digest;
        for (int row = 0; row < r.rows(); ++row)
          for (int col = 0; col < PQnfields(r.get()); ++col)
            digest_value(digest, r.is_null(row, col) ? nullptr : PQgetvalue(r.get(), row, col),
                         static_cast<std::size_t>(PQgetlength(r.get(), row, col)));
        auto hex = digest.hex();
        if (r.rows() != t.rows || hex != t.sha256)
          throw StoreError(fmt::format("table {}: copied {} rows (SHA-256 {}) but read back {} (SHA-256 {}); nothing was kept",
                                       t.name, t.rows, t.sha256, r.rows(), hex));
      }
    });
  } catch (const StoreError& e) {
    return fmt::format("{}: error: {}", redact_url(to_url), e.what());
  }
  return copied;
}

}  // namespace assay::serve
