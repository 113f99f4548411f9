// The screening server's storage (docs/serve.md): one interface, two back ends (SQLite and
// PostgreSQL). Everything a second server process would need lives here: accounts, sessions,
// campaigns, candidates, attempts and answers, results, logs, rate-limit counters.
//
// Every function is one committed transaction when it returns. Failures of the database itself
// (disk full, corruption) throw StoreError: the server answers 500 and changes nothing.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "assay/clock.hpp"
#include "assay/delivery.hpp"
#include "assay/expected.hpp"

namespace assay::serve {

struct StoreError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class Role { kAdministrator, kManager, kRater };
/// "administrator", "manager", "rater".
const char* to_string(Role role);
std::optional<Role> parse_role(std::string_view text);

struct User {
  std::int64_t id = 0;
  std::string username;
  Role role = Role::kRater;
  std::string password_hash;  // Argon2id, libsodium's crypto_pwhash_str format
  TimePoint created;
  bool disabled = false;  // a disabled account cannot sign in; its sessions ended when it was disabled
};

struct StaffSession {
  std::string token_hash;  // SHA-256 hex of the cookie value
  std::int64_t user_id = 0;
  std::string csrf;
  TimePoint expires;
};

/// The bounds on every time and duration staff can set, kept by the API and repaired by the
/// store (docs/serve.md, "Limits").
namespace limits {
inline constexpr std::int64_t kMaxTimeLimitSeconds = 24 * 3600;  // one sitting
inline constexpr std::int64_t kMaxExtraTimeSeconds = 24 * 3600;
inline constexpr std::int64_t kMaxRetakes = 100;
inline constexpr std::int64_t kMaxRetentionDays = 3660;    // ten years
inline constexpr int kFirstYear = 2000, kLastYear = 2199;  // campaign dates and every time kept
/// Whether `t` lies in the years kFirstYear..kLastYear.
bool in_range(TimePoint t);
}  // namespace limits

struct Campaign {
  std::int64_t id = 0;
  std::string title;
  std::string assessment_id, assessment_version, assessment_sha256, assessment_title;
  std::string assessment_path;
  std::string mode = "screening";  // the assessment's kind: "screening" or "practice"
  TimePoint opens, closes;
  std::int64_t time_limit = 0;  // seconds; 0 = untimed
  std::int64_t retakes = 0;
  std::int64_t retention_days = 0;  // attempts are purged this long after closing; 0 = kept
  std::string privacy_notice;
  std::string created_by;
  TimePoint created;
  /// The voluntary self-identification form offered after submission, as JSON text: an array of
  /// {"id", "label", "options": [...]}; "" for the default (EEO-1 race/ethnicity and sex), "[]"
  /// for none (docs/serve.md, "Voluntary self-identification").
  std::string self_identification;
};

struct Candidate {
  std::int64_t id = 0;
  std::int64_t campaign_id = 0;
  std::string name, email, external_ref;
  std::string link_hash;  // SHA-256 hex of the link token
  bool revoked = false;
  std::int64_t extra_time = 0;  // seconds of accommodation
  std::string extra_time_by, extra_time_note;
};

/// An attempt as the server keeps it: attempt v1 plus where it belongs and the browser it is
/// bound to.
struct StoredAttempt {
  delivery::Attempt attempt;
  std::int64_t candidate_id = 0;
  std::int64_t campaign_id = 0;
  std::string browser_hash;                       // SHA-256 hex of the attempt cookie; "" once staff hand the attempt on
  std::optional<TimePoint> browser_seen;          // the bound browser's last request (kept to the half minute)
  std::map<std::string, std::int64_t> revisions;  // item id -> revision of its stored answer (from 1)
};

/// What every request of a candidate reads first: the holder of a link, their campaign and their
/// attempts, oldest first.
struct OpenedLink {
  Candidate candidate;
  Campaign campaign;
  std::vector<StoredAttempt> attempts;
};

/// An xAPI statement waiting for, or given to, the learning record store (docs/serve.md, "Sending
/// results to a learning record store").
struct OutboxStatement {
  std::string id;          // the statement's id (a UUID): the LRS stores one statement per id
  std::string attempt_id;  // the attempt it reports, so that it goes with the candidate
  std::string statement;   // the statement, JSON text
  std::int64_t tries = 0;  // sends that failed so far
};

/// How many statements are waiting, sent, and refused by the LRS for good.
struct OutboxCounts {
  std::int64_t waiting = 0, sent = 0, refused = 0;
};

/// What saving one answer did (Store::save_answer).
struct SavedAnswer {
  enum Outcome {
    kSaved,      // written at `revision`
    kRepeat,     // this revision with this response was already stored: nothing written (a retry)
    kStale,      // an older revision, or this one with another response: nothing written
    kSubmitted,  // the attempt is submitted (or unknown): nothing written
  };
  Outcome outcome = kSubmitted;
  std::int64_t revision = 0;  // the item's stored revision after the call (0: none)
};

/// A candidate's save of one answer with what it rests on, for Store::save_answer_if_open.
struct OpenSave {
  std::string link_hash;     // the link the request came by
  std::string attempt_id;    // the attempt that link opened when the server last read it
  std::string browser_hash;  // SHA-256 hex of the request's attempt cookie
  std::string item_id, response;
  TimePoint at;
  std::int64_t revision = 0;     // as for save_answer
  std::int64_t max_answers = 0;  // the attempt's answers together may hold at most this many bytes
};

/// What Store::save_answer_if_open wrote, and the attempt's state as it wrote it.
struct OpenSaved {
  std::int64_t revision = 0;
  std::optional<TimePoint> deadline, browser_seen;
};

struct Signal {
  std::string kind;  // focus_lost, paste, second_browser
  std::string detail;
  TimePoint at;
};

struct LogEntry {
  TimePoint at;
  std::string user, action, detail;
};

struct ExclusionRow {
  std::string item, reason, by;
  TimePoint at;
};

class Store {
 public:
  virtual ~Store() = default;

  // Accounts.
  virtual std::size_t user_count() = 0;
  /// False when the name is taken.
  virtual bool insert_user(User& user) = 0;
  /// Inserts the first account; false, and nothing written, when any account exists: of servers
  /// racing to set up one database, one account is made.
  virtual bool insert_first_user(User& user) = 0;
  virtual std::optional<User> find_user(std::string_view username) = 0;
  virtual std::optional<User> user_by_id(std::int64_t id) = 0;
  virtual std::vector<User> users() = 0;
  /// Sets the password and ends the account's sessions.
  virtual void set_password(std::int64_t user_id, const std::string& hash) = 0;
  /// Sets an account's role and whether it is disabled (ending its sessions); false, and nothing
  /// changed, when that would leave no enabled administrator.
  virtual bool update_user(std::int64_t user_id, Role role, bool disabled) = 0;
  /// Deletes an account and its sessions; false, and nothing changed, for the last enabled administrator.
  virtual bool delete_user(std::int64_t user_id) = 0;

  // Settings (e.g. the one-time set-up token's hash).
  virtual void put_setting(const std::string& key, const std::string& value) = 0;
  virtual std::optional<std::string> setting(const std::string& key) = 0;
  /// Deletes the setting if it holds `value`; true when it did (at most one caller wins).
  virtual bool take_setting(const std::string& key, const std::string& value) = 0;

  // Staff sessions.
  virtual void insert_session(const StaffSession& session) = 0;
  virtual std::optional<StaffSession> find_session(const std::string& token_hash) = 0;
  virtual void delete_session(const std::string& token_hash) = 0;

  // Campaigns and candidates.
  virtual void insert_campaign(Campaign& campaign) = 0;
  virtual std::optional<Campaign> campaign(std::int64_t id) = 0;
  virtual std::vector<Campaign> campaigns() = 0;
  /// All or none: the ids are filled in.
  virtual void insert_candidates(std::vector<Candidate>& candidates) = 0;
  virtual std::optional<Candidate> candidate(std::int64_t id) = 0;
  /// The candidate holding the link of this hash, with their campaign, in one read.
  virtual std::optional<std::pair<Candidate, Campaign>> link(const std::string& link_hash) = 0;
  /// link() with the candidate's attempts_of(), in one statement where the database is a round
  /// trip away (PostgreSQL); here, the two reads.
  virtual std::optional<OpenedLink> open_link(const std::string& link_hash) {
    auto found = link(link_hash);
    if (!found) return std::nullopt;
    auto attempts = attempts_of(found->first.id);
    return OpenedLink{std::move(found->first), std::move(found->second), std::move(attempts)};
  }
  virtual std::vector<Candidate> candidates(std::int64_t campaign_id) = 0;
  virtual void set_link(std::int64_t candidate_id, const std::string& link_hash) = 0;
  virtual void revoke(std::int64_t candidate_id) = 0;
  /// Deletes the candidate and everything of theirs: attempts, answers, ratings, signals, results,
  /// self-identification.
  virtual void delete_candidate(std::int64_t candidate_id) = 0;
  virtual void set_extra_time(std::int64_t candidate_id, std::int64_t seconds, const std::string& by,
                              const std::string& note) = 0;

  // Attempts. Answers and ratings are read back into StoredAttempt::attempt.
  /// False when the candidate already has a running (unsubmitted) attempt.
  virtual bool insert_attempt(const StoredAttempt& attempt) = 0;
  virtual std::optional<StoredAttempt> attempt(const std::string& attempt_id) = 0;
  /// The candidate's attempts, oldest first.
  virtual std::vector<StoredAttempt> attempts_of(std::int64_t candidate_id) = 0;
  virtual std::vector<StoredAttempt> campaign_attempts(std::int64_t campaign_id) = 0;
  /// Saves one answer as `revision` of the item's answer unless the attempt is submitted: written
  /// when `revision` is newer than the stored one, or when it is 0 (the next after the stored one,
  /// whatever that is). Two servers saving for one item at once keep the newer revision, and a
  /// retry of a save already stored writes nothing (docs/serve.md, "Answer revisions").
  virtual SavedAnswer save_answer(const std::string& attempt_id, const std::string& item_id, const std::string& response,
                                  TimePoint at, std::int64_t revision = 0) = 0;
  /// save_answer in one step, written only while everything a candidate's save checks holds: the
  /// link is still the candidate's and not revoked, the attempt is theirs, running, before its
  /// deadline and the campaign's close, and bound to this browser; the answers fit in
  /// `max_answers`; and the revision is newer than the stored one (a repeat or a stale save is
  /// not written). nullopt when anything does not hold: nothing is written, and the caller reads
  /// the link and says why. A candidate's save then costs one round trip to the database.
  virtual std::optional<OpenSaved> save_answer_if_open(const OpenSave& save) = 0;
  /// Marks the attempt submitted at `at` unless it already is; true when this call did it.
  virtual bool mark_submitted(const std::string& attempt_id, TimePoint at) = 0;
  /// Binds the attempt to the browser holding the cookie of this hash ("": to the next browser
  /// that opens the candidate's link), forgetting when the old one was seen.
  virtual void bind_browser(const std::string& attempt_id, const std::string& browser_hash) = 0;
  virtual void browser_seen(const std::string& attempt_id, TimePoint at) = 0;
  virtual void set_deadline(const std::string& attempt_id, std::optional<TimePoint> deadline) = 0;
  virtual void save_rating(const std::string& attempt_id, const std::string& item_id, const std::string& criterion,
                           const std::string& level, const std::string& rater, TimePoint at) = 0;
  virtual void add_signal(const std::string& attempt_id, const Signal& signal) = 0;
  virtual std::vector<Signal> signals(const std::string& attempt_id) = 0;

  // Voluntary self-identification: its own table, never read with results or candidates.
  /// Keeps (or replaces) the candidate's answers (a JSON object of question id to option).
  virtual void put_self_identification(std::int64_t candidate_id, std::int64_t campaign_id, const std::string& answers,
                                       TimePoint at) = 0;
  /// Whether the candidate has answered the form.
  virtual bool has_self_identification(std::int64_t candidate_id) = 0;
  /// The answers of a campaign's candidates, by candidate id, for figures in aggregate only.
  virtual std::vector<std::pair<std::int64_t, std::string>> self_identifications(std::int64_t campaign_id) = 0;

  // The xAPI outbox: statements are kept until the LRS has them, whatever happens meanwhile.
  /// Queues statements to send; one whose id is queued already is left as it is.
  virtual void queue_statements(const std::vector<OutboxStatement>& statements, TimePoint at) = 0;
  /// Up to `limit` statements due at `now` (never sent, not refused, next try passed), each taken
  /// until `lease_until`: another server sees them again only after that.
  virtual std::vector<OutboxStatement> claim_statements(TimePoint now, TimePoint lease_until, std::size_t limit) = 0;
  virtual void statement_sent(const std::string& id, TimePoint at) = 0;
  /// A failed send: tried again at `next_try`, or never when `refused` (the LRS said no for good).
  virtual void statement_failed(const std::string& id, TimePoint next_try, const std::string& error, bool refused) = 0;
  virtual OutboxCounts outbox_counts() = 0;

  // Results (result v1, full view, as JSON text).
  virtual void put_result(const std::string& attempt_id, const std::string& document) = 0;
  virtual std::optional<std::string> result(const std::string& attempt_id) = 0;

  // Exclusions and the action log of a campaign.
  virtual void add_exclusion(std::int64_t campaign_id, const ExclusionRow& exclusion) = 0;
  virtual std::vector<ExclusionRow> exclusions(std::int64_t campaign_id) = 0;
  /// Undoes an exclusion; false when the item was not excluded.
  virtual bool remove_exclusion(std::int64_t campaign_id, const std::string& item) = 0;
  virtual void log(std::int64_t campaign_id, const LogEntry& entry) = 0;
  virtual std::vector<LogEntry> log_entries(std::int64_t campaign_id) = 0;

  /// Rate limiting: adds `n` (0 to only read) to the counter of `key` in the window starting at
  /// `window_start` (a counter from an earlier window restarts at 0) and returns its value.
  virtual std::int64_t count_hit(const std::string& key, TimePoint window_start, std::int64_t n) = 0;

  /// A consistent copy of the whole database into `file`, taken while others keep writing.
  virtual void backup(const std::filesystem::path& file) = 0;

  /// Clamps what an earlier release let in: time limits, extra time and retention past their
  /// limits, and deadlines outside limits::in_range or past their campaign's close. Returns one
  /// line per repair, for the server's terminal.
  virtual std::vector<std::string> repair_out_of_range() = 0;
};

/// How hard a commit waits for the disk (docs/serve.md, "Storage and durability"). Both keep every
/// acknowledged answer when the server process dies; only kFull keeps them through a power loss.
enum class Durability {
  kFull,    // synchronous=FULL: the WAL is fsynced at every commit
  kNormal,  // synchronous=NORMAL: fsynced at checkpoints; a power loss can undo the last commits
};

/// The SQLite store: WAL, the given synchronous setting, migrations applied on open. Errors
/// (cannot open, a database newer than this binary) are full user-facing messages.
Expected<std::unique_ptr<Store>, std::string> open_sqlite_store(const std::filesystem::path& file,
                                                                Durability durability = Durability::kFull);

/// The schema version this binary writes.
int sqlite_schema_version();

/// The PostgreSQL store's settings.
struct PostgresOptions {
  /// kNormal sets synchronous_commit = off: a crash of the database server (not of assay) can lose
  /// the last acknowledged commits.
  Durability durability = Durability::kFull;
  /// The most connections open at once; a call waits for one when all are lent out.
  std::size_t max_connections = 16;
};

/// The PostgreSQL store (libpq): a pool of connections, each store call one transaction on one of
/// them, migrations applied on open under an advisory lock so that servers starting together
/// migrate once. `url` is a libpq connection URI (postgresql://USER@HOST/DB?...). Errors (cannot
/// connect, a database newer than this binary) are full user-facing messages naming the database
/// without its password. Fails with a message saying so when this assay was built without
/// PostgreSQL (ASSAY_WITH_POSTGRES=OFF).
Expected<std::unique_ptr<Store>, std::string> open_postgres_store(const std::string& url, const PostgresOptions& options = {});

/// The schema version the PostgreSQL store writes.
int postgres_schema_version();

/// Whether `text` names a PostgreSQL database ("postgresql://..." or "postgres://...") rather than a file.
bool is_postgres_url(std::string_view text);

/// `url` with any password replaced by "***", for messages and logs.
std::string redact_url(std::string_view url);

/// The PostgreSQL store for a PostgreSQL URL (is_postgres_url), else the SQLite store in that file.
Expected<std::unique_ptr<Store>, std::string> open_store(const std::string& url_or_path,
                                                         Durability durability = Durability::kFull);

}  // namespace assay::serve
