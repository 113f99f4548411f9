// A fresh, empty store for each test, of the back end the run asks for: SQLite in a temporary
// file (the default), or PostgreSQL in a database of its own on the test cluster when
// ASSAY_TEST_STORE=postgresql or ASSAY_TEST_PG_URL_FILE is set (docs/testing.md, "PostgreSQL").
// The same test code runs on both.
//
// The cluster's URL comes from ASSAY_TEST_PG_URL, or from the file ASSAY_TEST_PG_URL_FILE names
// (what scripts/pg-cluster.sh start writes, the CTest fixture's). A PostgreSQL run without a
// reachable cluster exits 77 (CTest: skipped), never passes.
#pragma once

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "assay/store.hpp"

#if ASSAY_TEST_WITH_POSTGRES
#include <libpq-fe.h>
#endif

namespace store_test {

namespace fs = std::filesystem;

/// ASSAY_TEST_STORE=postgresql, or the fixture's ASSAY_TEST_PG_URL_FILE, asks for PostgreSQL.
inline bool postgres_requested() {
  const char* v = std::getenv("ASSAY_TEST_STORE");
  const char* file = std::getenv("ASSAY_TEST_PG_URL_FILE");
  return (v != nullptr && std::string(v) == "postgresql") || (file != nullptr && *file != '\0');
}

/// Ends the test run as skipped (CTest's SKIP_RETURN_CODE 77), saying why.
[[noreturn]] inline void skip(const std::string& why) {
  std::cout << "SKIPPED: " << why << std::endl;
  std::cerr << "SKIPPED: " << why << std::endl;
  std::_Exit(77);
}

/// The test cluster's URL, or "" with the reason in `why`.
inline std::string cluster_url(std::string& why) {
  if (const char* v = std::getenv("ASSAY_TEST_PG_URL"); v != nullptr && *v != '\0') return v;
  const char* file = std::getenv("ASSAY_TEST_PG_URL_FILE");
  if (file == nullptr) {
    why = "neither ASSAY_TEST_PG_URL nor ASSAY_TEST_PG_URL_FILE is set (scripts/pg-cluster.sh start DIR starts a cluster)";
    return "";
  }
  std::ifstream in(file);
  std::string url;
  std::getline(in, url);
  if (url.empty()) {
    std::ifstream reason(fs::path(file).parent_path() / "unavailable");
    std::string text;
    std::getline(reason, text);
    why = "no PostgreSQL test cluster (" + std::string(file) + " is missing or empty" + (text.empty() ? "" : ": " + text) + ")";
  }
  return url;
}

/// `url` naming database `db` instead of its own.
inline std::string with_database(const std::string& url, const std::string& db) {
  auto start = url.find('/', url.find("://") + 3);
  auto query = url.find('?');
  if (start == std::string::npos || (query != std::string::npos && start > query)) start = query;
  std::string head = start == std::string::npos ? url : url.substr(0, start);
  std::string tail = query == std::string::npos ? "" : url.substr(query);
  return head + "/" + db + tail;
}

#if ASSAY_TEST_WITH_POSTGRES
/// Runs `sql` on the database of `url`; the first column of the first row, or "" when none.
inline std::string pg_exec(const std::string& url, const std::string& sql) {
  PGconn* c = PQconnectdb(url.c_str());
  if (PQstatus(c) != CONNECTION_OK) {
    std::string message = PQerrorMessage(c);
    PQfinish(c);
    FAIL("cannot connect to " << url << ": " << message);
  }
  PQsetNoticeProcessor(
      c, [](void*, const char*) {}, nullptr);
  PGresult* r = PQexec(c, sql.c_str());
  auto status = PQresultStatus(r);
  std::string out, message = PQresultErrorMessage(r);
  if (status == PGRES_TUPLES_OK && PQntuples(r) > 0) out = PQgetvalue(r, 0, 0);
  PQclear(r);
  PQfinish(c);
  INFO(sql << ": " << message);
  REQUIRE((status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK));
  return out;
}
#endif

/// An empty database of the requested back end, removed at the end of the test.
class Database {
 public:
  /// With `postgres`, a PostgreSQL database whatever the run asks for.
  explicit Database(bool postgres = postgres_requested()) {
    static int counter = 0;
    auto name = "assay_t_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    if (postgres) {
#if ASSAY_TEST_WITH_POSTGRES
      std::string why;
      cluster_ = cluster_url(why);
      if (cluster_.empty()) skip(why);
      name_ = name;
      pg_exec(cluster_, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
      pg_exec(cluster_, "CREATE DATABASE " + name_ + " ENCODING 'UTF8' TEMPLATE template0");
      location_ = with_database(cluster_, name_);
#else
      skip("this build has no PostgreSQL store (ASSAY_WITH_POSTGRES=OFF)");
#endif
    } else {
      dir_ = fs::temp_directory_path() / ("assay-store-" + name);
      fs::remove_all(dir_);
      fs::create_directories(dir_);
      location_ = (dir_ / "serve.db").string();
    }
  }
  ~Database() {
#if ASSAY_TEST_WITH_POSTGRES
    if (!name_.empty()) {
      PGconn* c = PQconnectdb(cluster_.c_str());
      PQclear(PQexec(c, ("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)").c_str()));
      PQfinish(c);
    }
#endif
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  bool postgres() const { return !name_.empty(); }
  /// The database's name (PostgreSQL only).
  const std::string& name() const { return name_; }
  /// What `--db` takes: the SQLite file, or the PostgreSQL URL.
  const std::string& location() const { return location_; }
  /// A directory for files the test writes (SQLite only: "" on PostgreSQL).
  const fs::path& dir() const { return dir_; }
  /// The cluster's own database, for statements about this one (PostgreSQL only).
  const std::string& cluster() const { return cluster_; }

  /// Opens (creating or migrating) the store here.
  assay::Expected<std::unique_ptr<assay::serve::Store>, std::string> open() const { return assay::serve::open_store(location_); }
  /// Opens it, failing the test when it cannot.
  std::unique_ptr<assay::serve::Store> store() const {
    auto s = open();
    if (!s) FAIL(s.error());
    return std::move(s.value());
  }

 private:
  fs::path dir_;
  std::string name_, cluster_, location_;
};

}  // namespace store_test
