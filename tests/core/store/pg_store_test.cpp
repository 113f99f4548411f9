// What only the PostgreSQL store has: migrations under the advisory lock, the refusal of a newer
// schema, a server that goes away, and no --backup. Hidden tests ([.postgresql]): they run in the
// "postgresql: ..." CTest entries, or with ASSAY_TEST_STORE=postgresql and a filter naming them.
#include <atomic>
#include <catch2/catch.hpp>
#include <thread>
#include <vector>

#include "core/store/backends.hpp"
#include "core/test_support.hpp"
#include "store/pg_db.hpp"

#if ASSAY_TEST_WITH_POSTGRES

using Catch::Matchers::Contains;
using store_test::Database;
using store_test::pg_exec;
namespace serve = assay::serve;

namespace {

using assay::test::at;

/// Whether this run is for PostgreSQL; the tests below say so and pass trivially otherwise.
bool for_postgres() {
  if (store_test::postgres_requested()) return true;
  WARN("a PostgreSQL test: run it with ASSAY_TEST_STORE=postgresql (ctest -L postgresql)");
  return false;
}

}  // namespace

TEST_CASE("the PostgreSQL store migrates once when several servers open it together", "[serve][store][.postgresql]") {
  if (!for_postgres()) return;
  Database db(true);
  std::vector<std::string> errors(6);
  std::vector<std::thread> servers;
  for (std::size_t i = 0; i < errors.size(); ++i)
    servers.emplace_back([&, i] {
      auto s = db.open();
      if (!s) errors[i] = s.error();
    });
  for (auto& t : servers) t.join();
  for (const auto& e : errors) REQUIRE(e.empty());
  auto version = std::to_string(serve::postgres_schema_version());
  REQUIRE(pg_exec(db.location(), "SELECT count(*) FROM schema_version") == version);
  REQUIRE(pg_exec(db.location(), "SELECT max(version) FROM schema_version") == version);
  REQUIRE(pg_exec(db.location(), "SELECT name FROM schema_version WHERE version = 1") == "the screening schema");
  REQUIRE(pg_exec(db.location(), "SELECT count(*) FROM pg_indexes WHERE indexname = 'attempts_one_running'") == "1");
}

TEST_CASE("two PostgreSQL stores on one database act as one: settings, counters, ids, attempts, administrators",
          "[serve][store][.postgresql]") {
  if (!for_postgres()) return;
  Database db(true);
  // Two servers' stores, each with its own connections.
  std::vector<std::unique_ptr<serve::Store>> servers;
  servers.push_back(db.store());
  servers.push_back(db.store());
  serve::Campaign c;
  c.title = "t";
  c.opens = at("2026-03-01T09:00:00Z");
  c.closes = at("2026-03-02T09:00:00Z");
  servers[0]->insert_campaign(c);
  REQUIRE(servers[1]->campaign(c.id)->title == "t");  // seen at once by the other
  servers[0]->put_setting("setup", "token");
  for (int i = 0; i < 2; ++i) {
    auto a = serve::User{0, "admin" + std::to_string(i), serve::Role::kAdministrator, "$argon2id$x", at("2026-03-01T09:00:00Z")};
    REQUIRE(servers[static_cast<std::size_t>(i)]->insert_user(a));
  }
  auto w = at("2026-03-01T09:00:00Z");
  std::atomic<int> taken{0}, started{0}, disabled{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&, i] {
      auto& store = *servers[static_cast<std::size_t>(i % 2)];
      for (int k = 0; k < 10; ++k) store.count_hit("login:1.2.3.4", w, 1);
      if (store.take_setting("setup", "token")) ++taken;
      std::vector<serve::Candidate> cs(2);
      for (int k = 0; k < 2; ++k) {
        cs[static_cast<std::size_t>(k)].campaign_id = c.id;
        cs[static_cast<std::size_t>(k)].link_hash = "l" + std::to_string(i) + "-" + std::to_string(k);
      }
      store.insert_candidates(cs);
      if (i < 2 && store.update_user(store.find_user("admin" + std::to_string(i))->id, serve::Role::kAdministrator, true))
        ++disabled;
    });
  for (auto& t : threads) t.join();
  REQUIRE(servers[1]->count_hit("login:1.2.3.4", w, 0) == 80);  // counted across servers
  REQUIRE(taken == 1);
  REQUIRE(disabled == 1);  // one administrator stays enabled
  auto all = servers[0]->candidates(c.id);
  REQUIRE(all.size() == 16);
  for (std::size_t i = 0; i < all.size(); ++i) REQUIRE(all[i].id == static_cast<std::int64_t>(i + 1));

  // One candidate starting on both servers at once gets one attempt.
  for (int round = 0; round < 5; ++round) {
    std::vector<std::thread> starts;
    for (int i = 0; i < 4; ++i)
      starts.emplace_back([&, i] {
        serve::StoredAttempt a;
        a.attempt.attempt_id = "a-" + std::to_string(round) + "-" + std::to_string(i);
        a.attempt.assessment_sha256 = std::string(64, '0');
        a.attempt.started = at("2026-03-01T09:00:00Z");
        a.candidate_id = all[static_cast<std::size_t>(round)].id;
        a.campaign_id = c.id;
        if (servers[static_cast<std::size_t>(i % 2)]->insert_attempt(a)) ++started;
      });
    for (auto& t : starts) t.join();
  }
  REQUIRE(started == 5);
}

TEST_CASE("the PostgreSQL store refuses a database written by a newer assay", "[serve][store][.postgresql]") {
  if (!for_postgres()) return;
  Database db(true);
  REQUIRE(db.open());
  pg_exec(db.location(),
          "INSERT INTO schema_version(version, name, applied) VALUES(99, 'from the future', '2030-01-01T00:00:00Z')");
  auto store = db.open();
  REQUIRE_FALSE(store);
  REQUIRE(store.error() == db.location() + ": error: database schema version 99 is newer than this assay understands (" +
                               std::to_string(serve::postgres_schema_version()) + ")");
}

TEST_CASE("the PostgreSQL store reports a server gone away as a StoreError and reconnects when it is back",
          "[serve][store][.postgresql]") {
  if (!for_postgres()) return;
  Database db(true);
  auto store = db.store();
  store->put_setting("k", "v1");
  REQUIRE(store->setting("k") == "v1");  // a connection now waits in the pool
  const auto& name = db.name();
  pg_exec(db.cluster(), "ALTER DATABASE " + name + " ALLOW_CONNECTIONS false");
  pg_exec(db.cluster(), "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '" + name + "'");
  // The pooled connection is dead and no new one can be made: an error, not a crash or a hang.
  try {
    store->put_setting("k", "v2");
    FAIL("wrote to a database that refuses connections");
  } catch (const serve::StoreError& e) {
    CHECK_THAT(e.what(), Contains("cannot connect to the database") && Contains("not currently accepting connections"));
  }
  REQUIRE_THROWS_AS(store->setting("k"), serve::StoreError);
  pg_exec(db.cluster(), "ALTER DATABASE " + name + " ALLOW_CONNECTIONS true");
  REQUIRE(store->setting("k") == "v1");
  store->put_setting("k", "v3");
  REQUIRE(store->setting("k") == "v3");

  SECTION("a connection killed between calls is replaced without an error") {
    pg_exec(db.cluster(), "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '" + name + "'");
    REQUIRE(store->setting("k") == "v3");
    pg_exec(db.cluster(), "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '" + name + "'");
    store->put_setting("k", "v4");
    REQUIRE(store->setting("k") == "v4");
  }
}

TEST_CASE("the PostgreSQL store refuses a time that is not RFC 3339 and a --backup", "[serve][store][.postgresql]") {
  if (!for_postgres()) return;
  Database db(true);
  auto store = db.store();
  serve::Campaign c;
  c.title = "t";
  c.opens = at("2026-03-01T09:00:00Z");
  c.closes = at("2026-03-02T09:00:00Z");
  store->insert_campaign(c);
  pg_exec(db.location(), "UPDATE campaigns SET opens = '2026-3-1T9:0:0Z'");
  try {
    auto read = store->campaign(c.id);
    FAIL("read a damaged time as " << (read ? assay::format_time(read->opens) : std::string("nothing")));
  } catch (const serve::StoreError& e) {
    CHECK_THAT(e.what(), Contains("the database holds a time that is not RFC 3339: \"2026-3-1T9:0:0Z\""));
  }
  try {
    store->backup("/tmp/never-written.db");
    FAIL("a PostgreSQL backup into a file");
  } catch (const serve::StoreError& e) {
    CHECK_THAT(e.what(), Contains("--backup copies SQLite databases only") && Contains("pg_dump"));
  }
}

TEST_CASE("a pipeline is one transaction: all of it is written, or none of it, and the connection serves on",
          "[serve][store][.postgresql]") {
  if (!for_postgres()) return;
  Database db;
  assay::serve::pg::Conn conn(PQconnectdb(db.location().c_str()));
  REQUIRE_FALSE(conn.broken());
  conn.script("CREATE TABLE pipelined(k INTEGER PRIMARY KEY, v TEXT NOT NULL)");
  static constexpr const char* kInsert = "INSERT INTO pipelined(k, v) VALUES($1::integer, $2::text) RETURNING k, v";
  auto written = conn.run_pipelined(kInsert, {{1, "a"}, {2, "b"}, {3, "c"}});
  REQUIRE(written);
  REQUIRE(written->size() == 3);
  for (int i = 0; i < 3; ++i) {
    CHECK((*written)[static_cast<std::size_t>(i)].integer(0, 0) == i + 1);
    CHECK((*written)[static_cast<std::size_t>(i)].text(0, 1) == std::string(1, static_cast<char>('a' + i)));
  }
  CHECK(conn.idle());
  // The second of three fails (a key taken): the first is not kept either.
  CHECK_FALSE(conn.run_pipelined(kInsert, {{4, "d"}, {1, "again"}, {5, "e"}}));
  CHECK(conn.idle());
  CHECK(conn.run("SELECT count(*), string_agg(v, '' ORDER BY k) FROM pipelined").text(0, 1) == "abc");
  CHECK(conn.run_pipelined(kInsert, {{4, "d"}}));
}

#endif
