// Reading and writing a server's SQLite database behind the store's back, through a connection
// of the test's own: what an earlier release or a damaged disk may have left there.
#pragma once

#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

namespace serve_test {

/// Runs `sql` (one or more statements) on the database at `db`.
inline void exec_sql(const std::filesystem::path& db, const std::string& sql) {
  sqlite3* conn = nullptr;
  REQUIRE(sqlite3_open(db.c_str(), &conn) == SQLITE_OK);
  char* error = nullptr;
  int rc = sqlite3_exec(conn, sql.c_str(), nullptr, nullptr, &error);
  std::string message = error != nullptr ? error : "";
  sqlite3_free(error);
  sqlite3_close(conn);
  INFO(message);
  REQUIRE(rc == SQLITE_OK);
}

/// The first column of the first row `sql` gives, as text.
inline std::string query_text(const std::filesystem::path& db, const char* sql) {
  sqlite3* h = nullptr;
  REQUIRE(sqlite3_open(db.c_str(), &h) == SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  REQUIRE(sqlite3_prepare_v2(h, sql, -1, &s, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(s) == SQLITE_ROW);
  std::string out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
  sqlite3_finalize(s);
  sqlite3_close(h);
  return out;
}

}  // namespace serve_test
