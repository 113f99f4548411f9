// The PostgreSQL store: attempts, answers, ratings, signals, results, exclusions, the log, rate
// limits, backups and repairs.
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <tuple>

#include <nlohmann/json.hpp>

#include "pg_store.hpp"
#include "repair_plan.hpp"

namespace assay::serve::pg {

using json = nlohmann::json;

namespace {

/// Column `col` of `row`: a JSON array of arrays, or an empty array when NULL.
json aggregate(const Result& rows, int row, int col) {
  if (rows.is_null(row, col)) return json::array();
  auto j = json::parse(rows.text(row, col), nullptr, false);
  if (!j.is_array()) throw StoreError("database: an attempt's answers or ratings are unreadable");
  return j;
}

}  // namespace

std::string PgStore::attempt_columns(std::string_view t) {
  return fmt::format(
      "{0}.id, {0}.candidate_id, {0}.campaign_id, {0}.document, {0}.deadline, {0}.submitted, {0}.browser_hash, "
      "{0}.browser_seen, "
      "(SELECT json_agg(json_build_array(w.item, w.response, w.revision)) FROM answers w WHERE w.attempt_id = {0}.id), "
      "(SELECT json_agg(json_build_array(r.item, r.criterion, r.level)) FROM ratings r WHERE r.attempt_id = {0}.id)",
      t);
}

bool PgStore::insert_attempt(const StoredAttempt& a) {
  auto doc = delivery::to_json(a.attempt);
  doc["answers"] = json::object();
  doc.erase("ratings");
  auto text = doc.dump();
  // A constraint refuses it (one running attempt per candidate, a taken id): false, as SQLite says.
  return transaction([&](Conn& c) {
    return c
        .run_checked(
            "INSERT INTO attempts(id, candidate_id, campaign_id, document, deadline, submitted, browser_hash) "
            "VALUES($1, $2::bigint, $3::bigint, $4, $5, $6, $7)",
            {a.attempt.attempt_id, a.candidate_id, a.campaign_id, text, a.attempt.deadline, a.attempt.submitted, a.browser_hash})
        .has_value();
  });
}

std::vector<StoredAttempt> PgStore::read_attempts(const Result& rows, int at) {
  std::vector<StoredAttempt> out;
  for (int i = 0; i < rows.rows(); ++i) {
    if (rows.is_null(i, at)) continue;
    StoredAttempt a;
    auto parsed = delivery::try_attempt_from_json(json::parse(rows.text(i, at + 3), nullptr, false));
    if (!parsed)
      throw StoreError(fmt::format("database: attempt '{}' is unreadable: {}", rows.text(i, at + 0), parsed.error().front()));
    a.attempt = std::move(parsed.value());
    a.candidate_id = rows.integer(i, at + 1);
    a.campaign_id = rows.integer(i, at + 2);
    a.attempt.deadline = rows.time(i, at + 4);
    a.attempt.submitted = rows.time(i, at + 5);
    a.browser_hash = rows.text(i, at + 6);
    a.browser_seen = rows.time(i, at + 7);
    try {
      for (const auto& w : aggregate(rows, i, at + 8)) {
        a.attempt.answers[w.at(0).get<std::string>()] = w.at(1).get<std::string>();
        a.revisions[w.at(0).get<std::string>()] = w.at(2).get<std::int64_t>();
      }
      for (const auto& r : aggregate(rows, i, at + 9))
        a.attempt.ratings[r.at(0).get<std::string>()][r.at(1).get<std::string>()] = r.at(2).get<std::string>();
    } catch (const json::exception& e) {
      throw StoreError(
          fmt::format("database: attempt '{}': its answers or ratings are unreadable: {}", rows.text(i, at + 0), e.what()));
    }
    out.push_back(std::move(a));
  }
  return out;
}

std::optional<StoredAttempt> PgStore::attempt(const std::string& attempt_id) {
  static const std::string sql = "SELECT " + attempt_columns("attempts") + " FROM attempts WHERE id = $1";
  auto v = read([&](Conn& c) { return read_attempts(c.run(sql, {attempt_id})); });
  if (v.empty()) return std::nullopt;
  return std::move(v.front());
}

std::vector<StoredAttempt> PgStore::attempts_of(std::int64_t candidate_id) {
  static const std::string sql =
      "SELECT " + attempt_columns("attempts") + " FROM attempts WHERE candidate_id = $1::bigint ORDER BY seq";
  return read([&](Conn& c) { return read_attempts(c.run(sql, {candidate_id})); });
}

std::vector<StoredAttempt> PgStore::campaign_attempts(std::int64_t campaign_id) {
  static const std::string sql =
      "SELECT " + attempt_columns("attempts") + " FROM attempts WHERE campaign_id = $1::bigint ORDER BY seq";
  return read([&](Conn& c) { return read_attempts(c.run(sql, {campaign_id})); });
}

namespace {

// What a save ($5: its revision, 0 for none) does to the item's stored answer (docs/serve.md,
// "Answer revisions"): replaces it when newer, or as the next revision when unnumbered; else keeps it.
constexpr std::string_view kKeepNewerRevision =
    "ON CONFLICT(attempt_id, item) DO UPDATE SET response = excluded.response, saved = excluded.saved, "
    "revision = CASE WHEN $5::bigint = 0 THEN answers.revision + 1 ELSE $5::bigint END "
    "WHERE $5::bigint = 0 OR $5::bigint > answers.revision RETURNING revision";

}  // namespace

SavedAnswer PgStore::save_answer(const std::string& attempt_id, const std::string& item_id, const std::string& response,
                                 TimePoint at, std::int64_t revision) {
  // FOR SHARE: a submission committing meanwhile is waited for and then seen (the row is read
  // again), and one that comes later waits for this answer: an answer never lands after a
  // submission another server committed. ON CONFLICT locks the answer's row and tests the
  // revision on its latest version: of two servers saving at once, the newer revision stays.
  // One statement, committed on its own: one round trip for the common case.
  static const std::string sql =
      "INSERT INTO answers(attempt_id, item, response, saved, revision) "
      "SELECT id, $2, $3, $4, GREATEST($5::bigint, 1) FROM attempts WHERE id = $1 AND submitted IS NULL FOR SHARE " +
      std::string(kKeepNewerRevision);
  return write([&](Conn& c) -> SavedAnswer {
    auto written = c.run(sql, {attempt_id, item_id, response, at, revision});
    if (written.rows() == 1) return {SavedAnswer::kSaved, written.integer(0, 0)};
    auto now = c.run(
        "SELECT a.submitted, w.revision, w.response FROM attempts a "
        "LEFT JOIN answers w ON w.attempt_id = a.id AND w.item = $2 WHERE a.id = $1",
        {attempt_id, item_id});
    if (now.rows() == 0 || !now.is_null(0, 0)) return {SavedAnswer::kSubmitted, now.rows() ? now.integer(0, 1) : 0};
    auto stored = now.integer(0, 1);
    return {stored == revision && now.text(0, 2) == response ? SavedAnswer::kRepeat : SavedAnswer::kStale, stored};
  });
}

namespace {

// save_answer's statement with the checks of a candidate's request in front of it: the attempt row
// is locked FOR SHARE as there, and times compare as the fixed-width text they are stored as
// (byte order, whatever the database's collation).
const std::string& open_save_sql() {
  static const std::string sql =
      "WITH ok AS (SELECT a.id, a.deadline, a.browser_seen FROM attempts a "
      "JOIN candidates c ON c.id = a.candidate_id JOIN campaigns k ON k.id = c.campaign_id "
      "WHERE a.id = $1::text AND a.submitted IS NULL AND c.link_hash = $6::text AND c.revoked = 0 "
      "AND a.browser_hash = $7::text AND a.browser_hash <> '' "
      "AND (a.deadline IS NULL OR a.deadline COLLATE \"C\" > $4::text) AND k.closes COLLATE \"C\" > $4::text "
      "FOR SHARE OF a), "
      "written AS (INSERT INTO answers(attempt_id, item, response, saved, revision) "
      "SELECT id, $2::text, $3::text, $4::text, GREATEST($5::bigint, 1) FROM ok "
      "WHERE (SELECT COALESCE(SUM(octet_length(w.response)), 0) FROM answers w "
      "WHERE w.attempt_id = $1::text AND w.item <> $2::text) + octet_length($3::text) <= $8::bigint " +
      std::string(kKeepNewerRevision) + ") SELECT written.revision, ok.deadline, ok.browser_seen FROM written, ok";
  return sql;
}

std::vector<Param> open_save_params(const OpenSave& s) {
  return {s.attempt_id, s.item_id, s.response, s.at, s.revision, s.link_hash, s.browser_hash, s.max_answers};
}

std::optional<OpenSaved> open_saved(const Result& r) {
  if (r.rows() != 1) return std::nullopt;
  return OpenSaved{r.integer(0, 0), r.time(0, 1), r.time(0, 2)};
}

}  // namespace

std::optional<OpenSaved> PgStore::save_answer_if_open(const OpenSave& save) {
  PendingSave mine;
  mine.save = &save;
  group_commit_.commit(mine, [this](std::vector<PendingSave*>& group) { write_group(group); });
  if (mine.failure) std::rethrow_exception(mine.failure);
  return mine.saved;
}

void PgStore::write_group(std::vector<PendingSave*>& group) {
  // One save on its own: what fails is that save's failure alone.
  auto one = [&](PendingSave& p) {
    try {
      p.saved = write([&](Conn& c) { return open_saved(c.run(open_save_sql().c_str(), open_save_params(*p.save))); });
    } catch (...) {
      p.failure = std::current_exception();
    }
  };
  if (group.size() == 1) return one(*group[0]);
  // In one order of attempt and item on every server: two groups never wait for each other's rows.
  std::sort(group.begin(), group.end(), [](const PendingSave* a, const PendingSave* b) {
    return std::tie(a->save->attempt_id, a->save->item_id) < std::tie(b->save->attempt_id, b->save->item_id);
  });
  std::vector<std::vector<Param>> params;
  params.reserve(group.size());
  for (const auto* p : group) params.push_back(open_save_params(*p->save));
  std::optional<std::vector<Result>> results;
  for (int round = 0;; ++round) {
    auto conn = lease();
    try {
      results = conn->run_pipelined(open_save_sql().c_str(), params);
      break;
    } catch (const StoreError&) {
      // A pooled connection that died meanwhile: once more on a new one. Had the group committed
      // before it died, a numbered save is now a repeat, which writes nothing, and an unnumbered
      // one is written again as the next revision (as a retried single save is).
      if (round == 0 && conn.pooled() && conn->broken()) continue;
      throw;
    }
  }
  if (!results) {  // one save failed, and the group's transaction with it: each on its own
    for (auto* p : group) one(*p);
    return;
  }
  for (std::size_t i = 0; i < group.size(); ++i) group[i]->saved = open_saved((*results)[i]);
}

bool PgStore::mark_submitted(const std::string& attempt_id, TimePoint at) {
  return transaction([&](Conn& c) {
    return c.run("UPDATE attempts SET submitted = $1 WHERE id = $2 AND submitted IS NULL", {at, attempt_id}).affected() == 1;
  });
}

void PgStore::bind_browser(const std::string& attempt_id, const std::string& browser_hash) {
  transaction([&](Conn& c) {
    c.run("UPDATE attempts SET browser_hash = $1, browser_seen = NULL WHERE id = $2", {browser_hash, attempt_id});
  });
}

void PgStore::browser_seen(const std::string& attempt_id, TimePoint at) {
  transaction([&](Conn& c) { c.run("UPDATE attempts SET browser_seen = $1 WHERE id = $2", {at, attempt_id}); });
}

void PgStore::set_deadline(const std::string& attempt_id, std::optional<TimePoint> deadline) {
  transaction([&](Conn& c) { c.run("UPDATE attempts SET deadline = $1 WHERE id = $2", {deadline, attempt_id}); });
}

void PgStore::save_rating(const std::string& attempt_id, const std::string& item_id, const std::string& criterion,
                          const std::string& level, const std::string& rater, TimePoint at) {
  transaction([&](Conn& c) {
    c.run(
        "INSERT INTO ratings(attempt_id, item, criterion, level, rater, at) VALUES($1, $2, $3, $4, $5, $6) "
        "ON CONFLICT(attempt_id, item, criterion) DO UPDATE SET level = excluded.level, rater = excluded.rater, at = "
        "excluded.at",
        {attempt_id, item_id, criterion, level, rater, at});
  });
}

void PgStore::add_signal(const std::string& attempt_id, const Signal& sig) {
  transaction([&](Conn& c) {
    c.run("INSERT INTO signals(attempt_id, kind, detail, at) VALUES($1, $2, $3, $4)", {attempt_id, sig.kind, sig.detail, sig.at});
  });
}

std::vector<Signal> PgStore::signals(const std::string& attempt_id) {
  return read([&](Conn& c) {
    auto r = c.run("SELECT kind, detail, at FROM signals WHERE attempt_id = $1 ORDER BY id", {attempt_id});
    std::vector<Signal> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back({r.text(i, 0), r.text(i, 1), Result::parse_t(r.text(i, 2))});
    return out;
  });
}

void PgStore::put_result(const std::string& attempt_id, const std::string& document) {
  transaction([&](Conn& c) {
    c.run(
        "INSERT INTO results(attempt_id, document) VALUES($1, $2) ON CONFLICT(attempt_id) DO UPDATE SET document = "
        "excluded.document",
        {attempt_id, document});
  });
}

std::optional<std::string> PgStore::result(const std::string& attempt_id) {
  return read([&](Conn& c) -> std::optional<std::string> {
    auto r = c.run("SELECT document FROM results WHERE attempt_id = $1", {attempt_id});
    if (r.rows() == 0) return std::nullopt;
    return r.text(0, 0);
  });
}

void PgStore::add_exclusion(std::int64_t campaign_id, const ExclusionRow& e) {
  transaction([&](Conn& c) {
    c.run(
        "INSERT INTO exclusions(campaign_id, item, reason, \"by\", at) VALUES($1::bigint, $2, $3, $4, $5) "
        "ON CONFLICT(campaign_id, item) DO UPDATE SET reason = excluded.reason, \"by\" = excluded.\"by\", at = excluded.at",
        {campaign_id, e.item, e.reason, e.by, e.at});
  });
}

bool PgStore::remove_exclusion(std::int64_t campaign_id, const std::string& item) {
  return transaction([&](Conn& c) {
    return c.run("DELETE FROM exclusions WHERE campaign_id = $1::bigint AND item = $2", {campaign_id, item}).affected() > 0;
  });
}

std::vector<ExclusionRow> PgStore::exclusions(std::int64_t campaign_id) {
  return read([&](Conn& c) {
    auto r = c.run(
        "SELECT item, reason, \"by\", at FROM exclusions WHERE campaign_id = $1::bigint ORDER BY at COLLATE \"C\", item COLLATE "
        "\"C\"",
        {campaign_id});
    std::vector<ExclusionRow> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back({r.text(i, 0), r.text(i, 1), r.text(i, 2), Result::parse_t(r.text(i, 3))});
    return out;
  });
}

void PgStore::log(std::int64_t campaign_id, const LogEntry& e) {
  transaction([&](Conn& c) {
    c.run("INSERT INTO log(campaign_id, at, \"user\", action, detail) VALUES($1::bigint, $2, $3, $4, $5)",
          {campaign_id, e.at, e.user, e.action, e.detail});
  });
}

std::vector<LogEntry> PgStore::log_entries(std::int64_t campaign_id) {
  return read([&](Conn& c) {
    auto r = c.run("SELECT at, \"user\", action, detail FROM log WHERE campaign_id = $1::bigint ORDER BY id", {campaign_id});
    std::vector<LogEntry> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back({Result::parse_t(r.text(i, 0)), r.text(i, 1), r.text(i, 2), r.text(i, 3)});
    return out;
  });
}

std::int64_t PgStore::count_hit(const std::string& key, TimePoint window_start, std::int64_t n) {
  auto window = format_time(window_start);
  if (n == 0) {  // a read: no write on every candidate request
    return read([&](Conn& c) {
      auto r = c.run("SELECT window_start, count FROM rate_limits WHERE key = $1", {key});
      return r.rows() == 1 && r.text(0, 0) == window ? r.integer(0, 1) : std::int64_t{0};
    });
  }
  // One statement, so that servers counting the same key at once add up: the row lock orders
  // them, and each sees the count the one before it left. A counter of an earlier window restarts.
  return transaction([&](Conn& c) {
    return c
        .run(
            "INSERT INTO rate_limits(key, window_start, count) VALUES($1, $2, $3::bigint) "
            "ON CONFLICT(key) DO UPDATE SET count = CASE WHEN rate_limits.window_start = excluded.window_start "
            "THEN rate_limits.count + excluded.count ELSE excluded.count END, window_start = excluded.window_start "
            "RETURNING count",
            {key, window, n})
        .integer(0, 0);
  });
}

void PgStore::backup(const std::filesystem::path& file) {
  throw StoreError(
      fmt::format("{}: error: --backup copies SQLite databases only\n  hint: back up a PostgreSQL database with pg_dump: pg_dump "
                  "--format=custom --file={} '{}'",
                  file.string(), file.string(), redact_url(url_)));
}

std::vector<std::string> PgStore::repair_out_of_range() {
  return transaction([&](Conn& c) {
    // The tables the repair reads are locked against writes until it commits (servers starting
    // together repair one after the other; the second finds nothing left to do).
    c.script("LOCK TABLE campaigns, candidates, attempts IN SHARE ROW EXCLUSIVE MODE");
    detail::RepairInput in;
    auto campaigns = c.run("SELECT id, opens, closes, time_limit, retakes, retention_days FROM campaigns");
    for (int i = 0; i < campaigns.rows(); ++i)
      in.campaigns.push_back({campaigns.integer(i, 0), campaigns.text(i, 1), campaigns.text(i, 2), campaigns.integer(i, 3),
                              campaigns.integer(i, 4), campaigns.integer(i, 5)});
    auto candidates = c.run("SELECT id, campaign_id, extra_time FROM candidates");
    for (int i = 0; i < candidates.rows(); ++i)
      in.candidates.push_back({candidates.integer(i, 0), candidates.integer(i, 1), candidates.integer(i, 2)});
    auto attempts = c.run("SELECT id, candidate_id, document, coalesce(deadline, ''), coalesce(submitted, '') FROM attempts");
    for (int i = 0; i < attempts.rows(); ++i) {
      // The start as SQLite's json_extract reads it: the text of "started", else nothing.
      auto doc = json::parse(attempts.text(i, 2), nullptr, false);
      std::string started;
      if (doc.is_object() && doc.contains("started") && doc["started"].is_string()) started = doc["started"].get<std::string>();
      in.attempts.push_back({attempts.text(i, 0), attempts.integer(i, 1), started, attempts.text(i, 3), attempts.text(i, 4)});
    }
    auto plan = detail::plan_repairs(in);
    for (const auto& p : plan.campaigns)
      c.run(
          "UPDATE campaigns SET opens = $1, closes = $2, time_limit = $3::bigint, retakes = $4::bigint, retention_days = "
          "$5::bigint WHERE id = $6::bigint",
          {p.opens, p.closes, p.time_limit, p.retakes, p.retention_days, p.id});
    for (const auto& p : plan.candidates)
      c.run("UPDATE candidates SET extra_time = $1::bigint WHERE id = $2::bigint", {p.extra_time, p.id});
    for (const auto& p : plan.attempts)
      c.run(p.submitted ? "UPDATE attempts SET submitted = $1 WHERE id = $2" : "UPDATE attempts SET deadline = $1 WHERE id = $2",
            {p.value, p.id});
    return std::move(plan.lines);
  });
}

}  // namespace assay::serve::pg
