// What only the SQLite store has: its file, WAL mode, its schema versions and migrations, and the
// online backup. The Store contract itself is tested on both back ends in store_test.cpp.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "assay/store.hpp"
#include "core/serve/sqlite_direct.hpp"
#include "core/test_support.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using serve_test::exec_sql;
using serve_test::query_text;

namespace {

using assay::test::at;

struct StoreDir {
  fs::path path;
  StoreDir() {
    static int counter = 0;
    path = fs::temp_directory_path() / ("assay-store-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~StoreDir() { fs::remove_all(path); }
};

assay::serve::StoredAttempt sqlite_attempt(std::int64_t candidate, std::int64_t campaign) {
  assay::serve::StoredAttempt a;
  a.attempt.attempt_id = "a-1";
  a.attempt.candidate_id = "c-1";
  a.attempt.assessment_id = "x";
  a.attempt.assessment_version = "1";
  a.attempt.assessment_sha256 = std::string(64, '0');
  a.attempt.seed = 7;
  a.attempt.form.items = {{"q1", 11}, {"q2", 12}};
  a.attempt.started = at("2026-03-01T09:00:00Z");
  a.attempt.deadline = at("2026-03-01T09:10:00Z");
  a.candidate_id = candidate;
  a.campaign_id = campaign;
  a.browser_hash = "b";
  return a;
}

}  // namespace

TEST_CASE("the store creates its versioned schema in WAL mode and reopens it", "[serve][store][sqlite]") {
  StoreDir dir;
  auto db = dir.path / "serve.db";
  {
    auto store = assay::serve::open_sqlite_store(db);
    REQUIRE(store);
    assay::serve::User u{0, "admin", assay::serve::Role::kAdministrator, "$argon2id$x", at("2026-03-01T09:00:00Z")};
    REQUIRE(store.value()->insert_user(u));
    REQUIRE_FALSE(store.value()->insert_user(u));  // the name is taken
  }
  REQUIRE(query_text(db, "PRAGMA journal_mode") == "wal");
  REQUIRE(query_text(db, "SELECT max(version) FROM schema_version") == std::to_string(assay::serve::sqlite_schema_version()));
  auto again = assay::serve::open_sqlite_store(db);
  REQUIRE(again);
  REQUIRE(again.value()->find_user("admin")->role == assay::serve::Role::kAdministrator);
  REQUIRE(query_text(db, "SELECT count(*) FROM schema_version") == std::to_string(assay::serve::sqlite_schema_version()));
}

TEST_CASE("the store refuses a database written by a newer assay", "[serve][store][sqlite]") {
  StoreDir dir;
  auto db = dir.path / "serve.db";
  exec_sql(db, "CREATE TABLE schema_version(version INTEGER NOT NULL); INSERT INTO schema_version VALUES(99);");
  auto store = assay::serve::open_sqlite_store(db);
  REQUIRE_FALSE(store);
  REQUIRE(store.error() == db.string() + ": error: database schema version 99 is newer than this assay understands (" +
                               std::to_string(assay::serve::sqlite_schema_version()) + ")");
}

TEST_CASE("the online backup is a consistent, openable copy", "[serve][store][sqlite]") {
  StoreDir dir;
  auto store = std::move(assay::serve::open_sqlite_store(dir.path / "serve.db").value());
  assay::serve::Campaign c;
  c.title = "t";
  c.opens = at("2026-03-01T09:00:00Z");
  c.closes = at("2026-03-02T09:00:00Z");
  store->insert_campaign(c);
  std::vector<assay::serve::Candidate> cs(1);
  cs[0].campaign_id = c.id;
  cs[0].name = "n";
  cs[0].link_hash = "h";
  store->insert_candidates(cs);
  REQUIRE(store->insert_attempt(sqlite_attempt(cs[0].id, c.id)));
  REQUIRE(store->save_answer("a-1", "q1", R"({"answer":"second"})", at("2026-03-01T09:02:00Z")).revision == 1);
  auto copy = dir.path / "backup.db";
  store->backup(copy);
  auto restored = assay::serve::open_sqlite_store(copy);
  REQUIRE(restored);
  REQUIRE(restored.value()->attempt("a-1")->attempt.answers.at("q1") == R"({"answer":"second"})");
}

TEST_CASE("a time in the database that is not RFC 3339 is refused, never read as the epoch", "[serve][store][sqlite]") {
  StoreDir dir;
  auto db = dir.path / "serve.db";
  std::int64_t id = 0;
  {
    auto store = std::move(assay::serve::open_sqlite_store(db).value());
    assay::serve::Campaign c;
    c.title = "t";
    c.opens = at("2026-03-01T09:00:00Z");
    c.closes = at("2026-03-02T09:00:00Z");
    store->insert_campaign(c);
    id = c.id;
    REQUIRE(assay::format_time(store->campaign(id)->opens) == "2026-03-01T09:00:00Z");
  }
  // A loose spelling the parser once accepted, written behind the store's back.
  exec_sql(db, "UPDATE campaigns SET opens = '2026-3-1T9:0:0Z'");
  auto store = std::move(assay::serve::open_sqlite_store(db).value());
  try {
    auto c = store->campaign(id);
    FAIL("read a damaged time as " << (c ? assay::format_time(c->opens) : std::string("nothing")));
  } catch (const assay::serve::StoreError& e) {
    CHECK_THAT(e.what(), Contains("the database holds a time that is not RFC 3339: \"2026-3-1T9:0:0Z\""));
  }
}

TEST_CASE("the store applies the migrations a database lacks when it opens", "[serve][store][sqlite]") {
  StoreDir dir;
  auto db = dir.path / "serve.db";
  REQUIRE(assay::serve::open_sqlite_store(db));
  // Take the database back to schema version 1: without the one-running-attempt index.
  exec_sql(db,
           "DROP INDEX attempts_one_running; ALTER TABLE campaigns DROP COLUMN retention_days; "
           "ALTER TABLE attempts DROP COLUMN browser_seen; ALTER TABLE users DROP COLUMN disabled; "
           "ALTER TABLE answers DROP COLUMN revision; ALTER TABLE campaigns DROP COLUMN self_identification; "
           "DROP TABLE self_identifications; DROP TABLE xapi_outbox; DELETE FROM schema_version WHERE version >= 2;");
  REQUIRE(query_text(db, "SELECT count(*) FROM sqlite_master WHERE name = 'attempts_one_running'") == "0");
  REQUIRE(assay::serve::open_sqlite_store(db));
  REQUIRE(query_text(db, "SELECT max(version) FROM schema_version") == "8");
  REQUIRE(query_text(db, "SELECT count(*) FROM sqlite_master WHERE name = 'xapi_outbox'") == "1");
  REQUIRE(query_text(db, "SELECT count(*) FROM sqlite_master WHERE name = 'self_identifications'") == "1");
  REQUIRE(query_text(db, "SELECT count(*) FROM pragma_table_info('answers') WHERE name = 'revision'") == "1");
  REQUIRE(query_text(db, "SELECT count(*) FROM pragma_table_info('users') WHERE name = 'disabled'") == "1");
  REQUIRE(query_text(db, "SELECT count(*) FROM pragma_table_info('attempts') WHERE name = 'browser_seen'") == "1");
  REQUIRE(query_text(db, "SELECT count(*) FROM sqlite_master WHERE name = 'attempts_one_running'") == "1");
  REQUIRE(query_text(db, "SELECT count(*) FROM pragma_table_info('campaigns') WHERE name = 'retention_days'") == "1");
}
