#include "winlog.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <numeric>
#include <set>

namespace assay::cyber::winlog {

namespace {

// Days since 1970-01-01. A day past the month's end (parse_time takes 2026-02-31) counts on into
// the next month, as std::chrono::sys_days does for a valid year and month.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  auto ymd = std::chrono::year{static_cast<int>(y)} / std::chrono::month{m} / std::chrono::day{d};
  return std::chrono::sys_days{ymd}.time_since_epoch().count();
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool is_local_source(std::string_view ip) { return ip.empty() || ip == "-" || ip == "127.0.0.1" || ip == "::1"; }

// Indices of `log` selected by `keep`, ordered by time (stable).
std::vector<std::size_t> by_time(const std::vector<Event>& log, bool (*keep)(const Event&)) {
  std::vector<std::size_t> idx;
  for (std::size_t i = 0; i < log.size(); ++i) {
    if (keep(log[i])) idx.push_back(i);
  }
  std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return log[a].time < log[b].time; });
  return idx;
}

// Marks every event of `group` (time-ordered) that lies in a window of `window` seconds whose
// events satisfy `enough`.
template <class Enough>
void mark_windows(const std::vector<Event>& log, const std::vector<std::size_t>& group, std::int64_t window, Enough enough,
                  std::set<std::size_t>& out) {
  for (std::size_t i = 0; i < group.size(); ++i) {
    std::size_t j = i;
    while (j < group.size() && log[group[j]].time - log[group[i]].time <= window) ++j;
    std::vector<std::size_t> in(group.begin() + static_cast<std::ptrdiff_t>(i), group.begin() + static_cast<std::ptrdiff_t>(j));
    if (enough(in)) out.insert(in.begin(), in.end());
  }
}

}  // namespace

std::string_view Event::field(std::string_view name) const {
  for (const auto& [k, v] : fields) {
    if (k == name) return v;
  }
  return {};
}

std::string Event::to_line() const {
  std::string out = format_time(time) + " " + host + " EventID=" + std::to_string(event_id);
  for (const auto& [k, v] : fields) {
    out += " " + k + "=";
    if (v.find(' ') != std::string::npos) {
      out += "\"" + v + "\"";
    } else {
      out += v;
    }
  }
  return out;
}

std::string format_time(std::int64_t t) {
  auto time = std::chrono::sys_seconds{std::chrono::seconds{t}};
  auto day = std::chrono::floor<std::chrono::days>(time);
  std::chrono::year_month_day ymd{day};
  std::chrono::hh_mm_ss hms{time - day};
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02lld:%02lld:%02lldZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), static_cast<long long>(hms.hours().count()),
                static_cast<long long>(hms.minutes().count()), static_cast<long long>(hms.seconds().count()));
  return buf;
}

std::optional<std::int64_t> parse_time(std::string_view s) {
  // YYYY-MM-DDTHH:MM:SSZ
  if (s.size() != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z')
    return std::nullopt;
  auto num = [&](std::size_t pos, std::size_t len) -> std::optional<int> {
    int v = 0;
    for (std::size_t i = pos; i < pos + len; ++i) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  auto y = num(0, 4), mo = num(5, 2), d = num(8, 2), h = num(11, 2), mi = num(14, 2), se = num(17, 2);
  if (!y || !mo || !d || !h || !mi || !se) return std::nullopt;
  if (*mo < 1 || *mo > 12 || *d < 1 || *d > 31 || *h > 23 || *mi > 59 || *se > 59) return std::nullopt;
  return days_from_civil(*y, static_cast<unsigned>(*mo), static_cast<unsigned>(*d)) * 86400 + *h * 3600 + *mi * 60 + *se;
}

std::optional<std::vector<Event>> try_parse_log(std::string_view text, std::string* error) {
  std::vector<Event> out;
  std::size_t line_no = 0;
  auto fail = [&](const std::string& message) -> std::optional<std::vector<Event>> {
    if (error != nullptr) *error = "line " + std::to_string(line_no) + ": " + message;
    return std::nullopt;
  };
  while (!text.empty()) {
    ++line_no;
    auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(' ') == std::string_view::npos) continue;
    // Tokens separated by spaces; a value may be quoted to hold spaces.
    std::vector<std::string> tokens;
    std::size_t i = 0;
    while (i < line.size()) {
      while (i < line.size() && line[i] == ' ') ++i;
      if (i >= line.size()) break;
      std::string tok;
      while (i < line.size() && line[i] != ' ') {
        if (line[i] == '"') {
          auto close = line.find('"', i + 1);
          if (close == std::string_view::npos) return fail("unterminated quote");
          tok += line.substr(i + 1, close - i - 1);
          i = close + 1;
        } else {
          tok += line[i++];
        }
      }
      tokens.push_back(tok);
    }
    if (tokens.size() < 3) return fail("expected '<time> <host> EventID=<id> key=value ...'");
    Event e;
    auto t = parse_time(tokens[0]);
    if (!t) return fail("expected a time like 2026-03-02T09:14:07Z, found '" + tokens[0] + "'");
    e.time = *t;
    e.host = tokens[1];
    if (tokens[2].rfind("EventID=", 0) != 0) return fail("expected EventID=<id> after the host, found '" + tokens[2] + "'");
    auto id_text = tokens[2].substr(8);
    if (id_text.empty() || id_text.size() > 6 || id_text.find_first_not_of("0123456789") != std::string::npos) {
      return fail("expected a numeric event id, found '" + id_text + "'");
    }
    e.event_id = std::stoi(id_text);
    for (std::size_t k = 3; k < tokens.size(); ++k) {
      auto eq = tokens[k].find('=');
      if (eq == std::string::npos || eq == 0) return fail("expected key=value, found '" + tokens[k] + "'");
      e.fields.emplace_back(tokens[k].substr(0, eq), tokens[k].substr(eq + 1));
    }
    out.push_back(std::move(e));
  }
  if (out.empty()) {
    if (error != nullptr) *error = "the log has no events";
    return std::nullopt;
  }
  return out;
}

const std::vector<PatternInfo>& patterns() {
  static const std::vector<PatternInfo> all = {
      {Pattern::kPasswordSpraying, "password-spraying", "T1110.003", "Brute Force: Password Spraying", true},
      {Pattern::kBruteForce, "brute-force", "T1110.001", "Brute Force: Password Guessing", true},
      {Pattern::kPassTheHash, "pass-the-hash", "T1550.002", "Use Alternate Authentication Material: Pass the Hash", false},
      {Pattern::kAuditLogCleared, "audit-log-cleared", "T1070.001", "Indicator Removal: Clear Windows Event Logs", true},
      {Pattern::kNewLocalAdmin, "new-local-admin", "T1136.001", "Create Account: Local Account", true},
  };
  return all;
}

const PatternInfo* find_pattern(std::string_view id) {
  for (const auto& p : patterns()) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

const PatternInfo& info(Pattern p) {
  for (const auto& i : patterns()) {
    if (i.pattern == p) return i;
  }
  throw std::logic_error("winlog: unknown pattern");
}

std::vector<Finding> detect(const std::vector<Event>& log, const Thresholds& t) {
  std::vector<Finding> out;
  auto add = [&](Pattern p, const std::set<std::size_t>& lines) {
    if (!lines.empty()) out.push_back({p, std::vector<std::size_t>(lines.begin(), lines.end())});
  };
  auto failures = by_time(log, [](const Event& e) { return e.event_id == 4625; });

  {  // password spraying: one source, many accounts
    std::map<std::string, std::vector<std::size_t>> by_source;
    for (auto i : failures) {
      auto ip = log[i].field("IpAddress");
      if (!is_local_source(ip)) by_source[std::string(ip)].push_back(i);
    }
    std::set<std::size_t> hits;
    for (const auto& [ip, group] : by_source) {
      mark_windows(
          log, group, t.window_seconds,
          [&](const std::vector<std::size_t>& in) {
            std::set<std::string> accounts;
            for (auto i : in) accounts.insert(lower(log[i].field("TargetUserName")));
            return static_cast<int>(accounts.size()) >= t.spray_accounts;
          },
          hits);
    }
    add(Pattern::kPasswordSpraying, hits);
  }
  {  // brute force: one account, many failures
    std::map<std::string, std::vector<std::size_t>> by_account;
    for (auto i : failures) by_account[lower(log[i].field("TargetUserName"))].push_back(i);
    std::set<std::size_t> hits;
    for (const auto& [account, group] : by_account) {
      mark_windows(
          log, group, t.window_seconds,
          [&](const std::vector<std::size_t>& in) { return static_cast<int>(in.size()) >= t.brute_force_failures; }, hits);
    }
    add(Pattern::kBruteForce, hits);
  }
  {  // pass-the-hash indicators (CAR-2016-04-004)
    std::set<std::size_t> hits;
    for (std::size_t i = 0; i < log.size(); ++i) {
      const auto& e = log[i];
      if (e.event_id == 4624 && e.field("LogonType") == "3" && e.field("AuthenticationPackageName") == "NTLM" &&
          lower(e.field("TargetDomainName")) == lower(e.host) && e.field("TargetUserName") != "ANONYMOUS LOGON") {
        hits.insert(i);
      }
    }
    add(Pattern::kPassTheHash, hits);
  }
  {  // audit log cleared
    std::set<std::size_t> hits;
    for (std::size_t i = 0; i < log.size(); ++i) {
      if (log[i].event_id == 1102) hits.insert(i);
    }
    add(Pattern::kAuditLogCleared, hits);
  }
  {  // a local account created and made an administrator
    std::set<std::size_t> hits;
    for (std::size_t g = 0; g < log.size(); ++g) {
      const auto& added = log[g];
      if (added.event_id != 4732 || lower(added.field("TargetUserName")) != "administrators") continue;
      for (std::size_t c = 0; c < log.size(); ++c) {
        const auto& created = log[c];
        if (created.event_id == 4720 && lower(created.host) == lower(added.host) &&
            lower(created.field("TargetDomainName")) == lower(created.host) &&
            lower(created.field("TargetUserName")) == lower(added.field("MemberName")) && created.time <= added.time &&
            added.time - created.time <= t.window_seconds) {
          hits.insert(c);
          hits.insert(g);
        }
      }
    }
    add(Pattern::kNewLocalAdmin, hits);
  }
  return out;
}

namespace {

struct Person {
  std::string user;
  std::string workstation;
  std::string ip;
};

const std::vector<Person>& staff() {
  static const std::vector<Person> all = {
      {"jsmith", "WS-ICU-04", "10.20.4.14"},    {"mgarcia", "WS-ED-11", "10.20.2.31"},   {"akhan", "WS-RAD-02", "10.20.6.12"},
      {"lchen", "WS-LAB-07", "10.20.8.27"},     {"dpatel", "WS-PHARM-01", "10.20.9.11"}, {"rnguyen", "WS-ONC-03", "10.20.5.13"},
      {"swilliams", "WS-ICU-09", "10.20.4.19"}, {"tbrown", "WS-ADM-05", "10.20.1.15"},   {"kjohnson", "WS-ED-02", "10.20.2.22"},
      {"emartin", "WS-CARD-06", "10.20.7.16"},  {"hlee", "WS-NICU-01", "10.20.3.11"},    {"ogarcia", "WS-SURG-08", "10.20.10.18"},
      {"pwright", "WS-PEDS-03", "10.20.11.13"}, {"vsingh", "WS-HIM-02", "10.20.12.12"},
  };
  return all;
}

const std::vector<std::string> kServers = {"EHR-APP01", "PACS01", "FILE01", "LAB-IF01", "DC01"};
const std::vector<std::string> kAdmins = {"adm.tbrown", "adm.vsingh"};
const std::vector<std::string> kProcesses = {R"(C:\Program Files\EHR Client\ehrclient.exe)", R"(C:\Windows\System32\svchost.exe)",
                                             R"(C:\Program Files\PACS Viewer\viewer.exe)", R"(C:\Windows\explorer.exe)",
                                             R"(C:\Program Files\Microsoft Office\root\Office16\OUTLOOK.EXE)"};
const std::vector<std::string> kAttackSources = {"10.30.7.44", "10.30.9.201", "172.16.40.23", "10.40.2.77"};
const std::vector<std::string> kBruteTargets = {"pacs.admin", "svc_labinterface", "radiology.pc", "ehr.support"};
const std::vector<std::string> kNewAccounts = {"supp0rt", "helpdesk2", "backup_adm", "sysmaint"};

using Fields = std::vector<std::pair<std::string, std::string>>;

Fields logon(const std::string& user, const std::string& domain, int type, const std::string& ip, const std::string& package) {
  return {{"TargetUserName", user},
          {"TargetDomainName", domain},
          {"LogonType", std::to_string(type)},
          {"IpAddress", ip},
          {"AuthenticationPackageName", package}};
}

Fields failure(const std::string& user, const std::string& domain, int type, const std::string& ip, const std::string& sub) {
  return {{"TargetUserName", user}, {"TargetDomainName", domain}, {"LogonType", std::to_string(type)},  {"IpAddress", ip},
          {"Status", "0xC000006D"}, {"SubStatus", sub},           {"AuthenticationPackageName", "NTLM"}};
}

}  // namespace

Generated generate(const GeneratorSpec& spec, std::uint64_t seed) {
  sdk::Rng rng(seed);
  const std::int64_t start = days_from_civil(2026, 3, 2) * 86400 + 7 * 3600 + rng.between(0, 3 * 3600);
  const std::int64_t span = 2 * 3600;
  struct Tagged {
    Event e;
    int tag;  // -1 background, else index into spec.inject
  };
  std::vector<Tagged> events;
  auto push = [&](std::int64_t t, const std::string& host, int id, Fields f, int tag) {
    events.push_back({Event{t, host, id, std::move(f)}, tag});
  };
  std::map<std::string, int> mistypes;
  std::set<std::string> created;  // background accounts already created in this log

  auto n = rng.between(spec.background_min, spec.background_max);
  for (std::int64_t k = 0; k < n; ++k) {
    auto t = start + rng.between(0, span);
    const auto& p = rng.pick(staff());
    switch (rng.below(11)) {
      case 0:
        push(t, p.workstation, 4624, logon(p.user, "HOSP", 2, "127.0.0.1", "Kerberos"), -1);
        break;
      case 1:
        push(t, rng.pick(kServers), 4624, logon(p.user, "HOSP", 3, p.ip, "Kerberos"), -1);
        break;
      case 2:
        push(t, rng.pick(kServers), 4624, logon(p.user, "HOSP", 3, p.ip, "NTLM"), -1);
        break;
      case 3:
        push(t, rng.pick(kServers), 4624, logon("ANONYMOUS LOGON", "NT AUTHORITY", 3, p.ip, "NTLM"), -1);
        break;
      case 4:
        push(t, rng.pick(kServers), 4624, logon("SYSTEM", "NT AUTHORITY", 5, "-", "Negotiate"), -1);
        break;
      case 5: {
        const auto& admin = rng.pick(kAdmins);
        auto host = rng.pick(kServers);
        push(t, host, 4624, logon(admin, "HOSP", 10, "10.20.1.15", "Kerberos"), -1);
        push(t, host, 4672, {{"SubjectUserName", admin}, {"SubjectDomainName", "HOSP"}}, -1);
        break;
      }
      case 6:
        push(t, p.workstation, 4634, {{"TargetUserName", p.user}, {"TargetDomainName", "HOSP"}, {"LogonType", "2"}}, -1);
        break;
      case 7:
        push(t, p.workstation, 4688,
             {{"SubjectUserName", p.user}, {"SubjectDomainName", "HOSP"}, {"NewProcessName", rng.pick(kProcesses)}}, -1);
        break;
      case 8:
        if (mistypes[p.user] < 2) {  // a mistyped password, never enough to look like an attack
          ++mistypes[p.user];
          push(t, p.workstation, 4625, failure(p.user, "HOSP", 2, "127.0.0.1", "0xC000006A"), -1);
          break;
        }
        [[fallthrough]];
      case 9:
        push(t, "DC01", 4776, {{"TargetUserName", p.user}, {"Workstation", p.workstation}, {"Status", "0x0"}}, -1);
        break;
      default: {  // the service desk adds a new starter to an application group
        std::string user = "new." + p.user;
        if (!created.insert(user).second) {  // an account exists once: log the validation instead
          push(t, "DC01", 4776, {{"TargetUserName", p.user}, {"Workstation", p.workstation}, {"Status", "0x0"}}, -1);
          break;
        }
        push(t, "DC01", 4720, {{"TargetUserName", user}, {"TargetDomainName", "HOSP"}, {"SubjectUserName", "adm.tbrown"}}, -1);
        push(t + rng.between(20, 90), "DC01", 4732,
             {{"MemberName", user},
              {"TargetUserName", "EHR Users"},
              {"TargetDomainName", "HOSP"},
              {"SubjectUserName", "adm.tbrown"}},
             -1);
        break;
      }
    }
  }

  const auto& th = spec.thresholds;
  std::vector<std::string> sources = kAttackSources;
  rng.shuffle(sources);
  std::size_t next_source = 0;
  for (std::size_t k = 0; k < spec.inject.size(); ++k) {
    int tag = static_cast<int>(k);
    auto t0 = start + rng.between(0, span - th.window_seconds);
    switch (spec.inject[k]) {
      case Pattern::kPasswordSpraying: {
        const auto& ip = sources[next_source++ % sources.size()];
        std::vector<Person> people = staff();
        rng.shuffle(people);
        auto count = std::min<std::int64_t>(th.spray_accounts + rng.between(0, 4), static_cast<std::int64_t>(people.size()));
        auto gap = std::max<std::int64_t>(1, (th.window_seconds / 2) / count);
        for (std::int64_t i = 0; i < count; ++i) {
          auto sub = rng.chance(1, 5) ? "0xC0000064" : "0xC000006A";
          auto user = std::string(sub) == "0xC0000064" ? people[static_cast<std::size_t>(i)].user + "2"
                                                       : people[static_cast<std::size_t>(i)].user;
          push(t0 + i * gap + rng.between(0, gap - 1 > 0 ? gap - 1 : 0), "DC01", 4625, failure(user, "HOSP", 3, ip, sub), tag);
        }
        break;
      }
      case Pattern::kBruteForce: {
        const auto& ip = sources[next_source++ % sources.size()];
        const auto& user = rng.pick(kBruteTargets);
        auto host = rng.pick(kServers);
        auto count = th.brute_force_failures + rng.between(0, 5);
        auto gap = std::max<std::int64_t>(1, (th.window_seconds / 2) / count);
        for (std::int64_t i = 0; i < count; ++i) {
          push(t0 + i * gap, host, 4625, failure(user, "HOSP", rng.chance(1, 2) ? 3 : 10, ip, "0xC000006A"), tag);
        }
        break;
      }
      case Pattern::kPassTheHash: {
        const auto& from = rng.pick(staff());
        auto count = rng.between(1, 3);
        std::vector<std::string> hosts = kServers;
        hosts.pop_back();  // no local accounts on the domain controller
        rng.shuffle(hosts);
        for (std::int64_t i = 0; i < count; ++i) {
          const auto& host = hosts[static_cast<std::size_t>(i)];
          push(t0 + i * rng.between(30, 240), host, 4624, logon("Administrator", host, 3, from.ip, "NTLM"), tag);
        }
        break;
      }
      case Pattern::kAuditLogCleared: {
        auto host = rng.pick(kServers);
        push(t0, host, 1102,
             {{"SubjectUserName", rng.chance(1, 2) ? "Administrator" : "adm.vsingh"}, {"SubjectDomainName", host}}, tag);
        break;
      }
      case Pattern::kNewLocalAdmin: {
        std::vector<std::string> hosts = kServers;
        hosts.pop_back();
        auto host = rng.pick(hosts);
        const auto& user = rng.pick(kNewAccounts);
        push(t0, host, 4720, {{"TargetUserName", user}, {"TargetDomainName", host}, {"SubjectUserName", "Administrator"}}, tag);
        push(t0 + rng.between(15, std::min<std::int64_t>(300, th.window_seconds)), host, 4732,
             {{"MemberName", user},
              {"TargetUserName", "Administrators"},
              {"TargetDomainName", "Builtin"},
              {"SubjectUserName", "Administrator"}},
             tag);
        break;
      }
    }
  }

  std::stable_sort(events.begin(), events.end(), [](const Tagged& a, const Tagged& b) { return a.e.time < b.e.time; });
  Generated out;
  std::vector<std::vector<std::size_t>> lines(spec.inject.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (events[i].tag >= 0) lines[static_cast<std::size_t>(events[i].tag)].push_back(i);
    out.log.push_back(std::move(events[i].e));
  }
  for (std::size_t k = 0; k < spec.inject.size(); ++k) out.injected.emplace_back(spec.inject[k], std::move(lines[k]));
  return out;
}

}  // namespace assay::cyber::winlog
