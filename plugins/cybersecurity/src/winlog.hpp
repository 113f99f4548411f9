// Windows Security event log material: events as one-line `key=value` records, a generator of
// hospital background activity with injected attack patterns, and the detection rules that
// derive a log-triage key from any log, generated or written by an author.
//
// Line format (one event per line):
//   2026-03-02T09:14:07Z EHR-APP01 EventID=4625 TargetUserName=jsmith TargetDomainName=HOSP ...
// Event ids, logon types and status codes follow Microsoft's Security auditing reference
// (4624, 4625, 4634, 4672, 4688, 4720, 4732, 4776, 1102; logon types 2, 3, 5, 10;
// Status 0xC000006D with Sub Status 0xC000006A / 0xC0000064).
#pragma once

#include <assay/sdk.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace assay::cyber::winlog {

struct Event {
  std::int64_t time = 0;  // seconds since 1970-01-01T00:00:00Z
  std::string host;
  int event_id = 0;
  std::vector<std::pair<std::string, std::string>> fields;  // in display order

  /// The field's value, or "" when absent.
  std::string_view field(std::string_view name) const;
  /// The line as shown: time, host, EventID, then the fields.
  std::string to_line() const;
};

/// "2026-03-02T09:14:07Z" <-> seconds since the epoch (UTC, proleptic Gregorian).
std::string format_time(std::int64_t t);
std::optional<std::int64_t> parse_time(std::string_view text);

/// Parses an author's log in the line format above; blank lines are skipped. On a malformed line
/// returns nullopt and sets `error` to "line N: ...".
std::optional<std::vector<Event>> try_parse_log(std::string_view text, std::string* error);

/// The attack patterns this module injects and detects.
enum class Pattern { kPasswordSpraying, kBruteForce, kPassTheHash, kAuditLogCleared, kNewLocalAdmin };

struct PatternInfo {
  Pattern pattern;
  std::string_view id;         // params name: "password-spraying"
  std::string_view technique;  // ATT&CK id
  std::string_view technique_name;
  bool technique_scored;  // false for indicators only (pass-the-hash)
};
const std::vector<PatternInfo>& patterns();
const PatternInfo* find_pattern(std::string_view id);
const PatternInfo& info(Pattern p);

/// Detection thresholds (item params).
struct Thresholds {
  int brute_force_failures = 10;  // 4625s against one account within the window
  int spray_accounts = 6;         // distinct accounts failing from one source within the window
  int window_seconds = 600;
};

struct Finding {
  Pattern pattern;
  std::vector<std::size_t> lines;  // indices into the log, ascending
};

/// Runs every detection rule over `log` (sorted by time):
/// - brute force (T1110.001): an account with >= brute_force_failures 4625 events within
///   window_seconds; the failures inside such a window are selected;
/// - password spraying (T1110.003): one IpAddress with 4625 events for >= spray_accounts
///   distinct accounts within window_seconds; those failures are selected;
/// - pass-the-hash indicators (T1550.002, MITRE CAR-2016-04-004): 4624 with LogonType 3,
///   AuthenticationPackageName NTLM, a local account (TargetDomainName equal to the host) and
///   not ANONYMOUS LOGON;
/// - audit log cleared (T1070.001): 1102;
/// - new local admin (T1136.001): a 4720 local account creation and a 4732 adding that account
///   to Administrators on the same host within window_seconds; both lines are selected.
std::vector<Finding> detect(const std::vector<Event>& log, const Thresholds& t);

/// What the generator produces, and which lines it injected for each pattern.
struct Generated {
  std::vector<Event> log;
  std::vector<std::pair<Pattern, std::vector<std::size_t>>> injected;
};

struct GeneratorSpec {
  std::vector<Pattern> inject;
  int background_min = 30;
  int background_max = 45;
  Thresholds thresholds;
};

/// Background activity of a hospital domain (logons, logoffs, privileged logons, process
/// creation, the odd mistyped password) plus the injected patterns, all drawn from `seed`.
Generated generate(const GeneratorSpec& spec, std::uint64_t seed);

}  // namespace assay::cyber::winlog
