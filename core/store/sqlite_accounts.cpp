// The SQLite store: staff accounts, settings and sessions.
#include <fmt/format.h>
#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include "sqlite_store.hpp"

namespace assay::serve::sqlite {

using json = nlohmann::json;

std::size_t SqliteStore::user_count() {
  auto conn = reader();
  Stmt s(*conn, "SELECT count(*) FROM users");
  s.step();
  return static_cast<std::size_t>(s.integer(0));
}

bool SqliteStore::insert_user(User& u) {
  std::lock_guard lock(mu_);
  Stmt s(db_, "INSERT INTO users(username, role, password_hash, created) VALUES(?, ?, ?, ?)");
  s.bind(1, u.username).bind(2, to_string(u.role)).bind(3, u.password_hash).bind(4, time_text(u.created));
  if (!s.exec_checked()) return false;
  u.id = sqlite3_last_insert_rowid(db_.handle());
  return true;
}

bool SqliteStore::insert_first_user(User& u) {
  // One statement: SQLite runs it under the database's write lock, whichever process writes.
  std::lock_guard lock(mu_);
  Stmt s(db_,
         "INSERT INTO users(username, role, password_hash, created) SELECT ?, ?, ?, ? "
         "WHERE NOT EXISTS (SELECT 1 FROM users)");
  s.bind(1, u.username).bind(2, to_string(u.role)).bind(3, u.password_hash).bind(4, time_text(u.created));
  if (!s.exec_checked() || sqlite3_changes(db_.handle()) != 1) return false;
  u.id = sqlite3_last_insert_rowid(db_.handle());
  return true;
}

User SqliteStore::read_user(const Stmt& s) {
  User u;
  u.id = s.integer(0);
  u.username = s.text(1);
  u.role = parse_role(s.text(2)).value_or(Role::kRater);
  u.password_hash = s.text(3);
  u.created = parse_t(s.text(4));
  u.disabled = s.integer(5) != 0;
  return u;
}

std::optional<User> SqliteStore::find_user(std::string_view username) {
  auto conn = reader();
  Stmt s(*conn, "SELECT id, username, role, password_hash, created, disabled FROM users WHERE username = ?");
  s.bind(1, username);
  if (!s.step()) return std::nullopt;
  return read_user(s);
}

std::optional<User> SqliteStore::user_by_id(std::int64_t id) {
  auto conn = reader();
  Stmt s(*conn, "SELECT id, username, role, password_hash, created, disabled FROM users WHERE id = ?");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_user(s);
}

std::vector<User> SqliteStore::users() {
  auto conn = reader();
  Stmt s(*conn, "SELECT id, username, role, password_hash, created, disabled FROM users ORDER BY username");
  std::vector<User> out;
  while (s.step()) out.push_back(read_user(s));
  return out;
}

void SqliteStore::set_password(std::int64_t user_id, const std::string& hash) {
  std::lock_guard lock(mu_);
  transaction([&] {
    Stmt(db_, "UPDATE users SET password_hash = ? WHERE id = ?").bind(1, hash).bind(2, user_id).exec();
    Stmt(db_, "DELETE FROM sessions WHERE user_id = ?").bind(1, user_id).exec();
  });
}

bool SqliteStore::update_user(std::int64_t user_id, Role role, bool disabled) {
  std::lock_guard lock(mu_);
  try {
    transaction([&] {
      Stmt(db_, "UPDATE users SET role = ?, disabled = ? WHERE id = ?")
          .bind(1, to_string(role))
          .bind(2, std::int64_t{disabled ? 1 : 0})
          .bind(3, user_id)
          .exec();
      if (disabled) Stmt(db_, "DELETE FROM sessions WHERE user_id = ?").bind(1, user_id).exec();
      if (administrators_left() == 0) throw LastAdministrator{};
    });
  } catch (const LastAdministrator&) {
    return false;  // rolled back
  }
  return true;
}

bool SqliteStore::delete_user(std::int64_t user_id) {
  std::lock_guard lock(mu_);
  try {
    transaction([&] {
      Stmt(db_, "DELETE FROM sessions WHERE user_id = ?").bind(1, user_id).exec();
      Stmt(db_, "DELETE FROM users WHERE id = ?").bind(1, user_id).exec();
      if (administrators_left() == 0) throw LastAdministrator{};
    });
  } catch (const LastAdministrator&) {
    return false;
  }
  return true;
}

std::int64_t SqliteStore::administrators_left() {
  Stmt s(db_, "SELECT count(*) FROM users WHERE role = 'administrator' AND disabled = 0");
  return s.step() ? s.integer(0) : 0;
}

void SqliteStore::put_setting(const std::string& key, const std::string& value) {
  std::lock_guard lock(mu_);
  Stmt(db_, "INSERT INTO settings(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
      .bind(1, key)
      .bind(2, value)
      .exec();
}

std::optional<std::string> SqliteStore::setting(const std::string& key) {
  auto conn = reader();
  Stmt s(*conn, "SELECT value FROM settings WHERE key = ?");
  s.bind(1, key);
  if (!s.step()) return std::nullopt;
  return s.text(0);
}

bool SqliteStore::take_setting(const std::string& key, const std::string& value) {
  std::lock_guard lock(mu_);
  Stmt(db_, "DELETE FROM settings WHERE key = ? AND value = ?").bind(1, key).bind(2, value).exec();
  return sqlite3_changes(db_.handle()) == 1;
}

void SqliteStore::insert_session(const StaffSession& ss) {
  std::lock_guard lock(mu_);
  Stmt(db_, "INSERT INTO sessions(token_hash, user_id, csrf, expires) VALUES(?, ?, ?, ?)")
      .bind(1, ss.token_hash)
      .bind(2, ss.user_id)
      .bind(3, ss.csrf)
      .bind(4, time_text(ss.expires))
      .exec();
}

std::optional<StaffSession> SqliteStore::find_session(const std::string& token_hash) {
  auto conn = reader();
  Stmt s(*conn, "SELECT token_hash, user_id, csrf, expires FROM sessions WHERE token_hash = ?");
  s.bind(1, token_hash);
  if (!s.step()) return std::nullopt;
  return StaffSession{s.text(0), s.integer(1), s.text(2), parse_t(s.text(3))};
}

void SqliteStore::delete_session(const std::string& token_hash) {
  std::lock_guard lock(mu_);
  Stmt(db_, "DELETE FROM sessions WHERE token_hash = ?").bind(1, token_hash).exec();
}

}  // namespace assay::serve::sqlite
