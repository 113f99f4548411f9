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
#include "sqlite_store.hpp"

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

int sqlite_schema_version() { return sqlite::kVersion; }

Expected<std::unique_ptr<Store>, std::string> open_sqlite_store(const std::filesystem::path& file, Durability durability) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return fmt::format("{}: error: cannot open the database: {}", file.string(), msg);
  }
  auto store = std::make_unique<sqlite::SqliteStore>(db, file);
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
