#include "log_triage.hpp"

#include <algorithm>
#include <cctype>

#include "response.hpp"

namespace assay::cyber {

namespace {

using sdk::json;

std::string line_id(std::size_t index) { return "l" + std::to_string(index + 1); }

std::vector<std::string> pattern_ids() {
  std::vector<std::string> out;
  for (const auto& p : winlog::patterns()) out.emplace_back(p.id);
  return out;
}

std::string fixed_example_log() {
  return "2026-03-02T08:00:05Z WS-ED-11 EventID=4624 TargetUserName=mgarcia TargetDomainName=HOSP LogonType=2 "
         "IpAddress=127.0.0.1 AuthenticationPackageName=Kerberos\n"
         "2026-03-02T08:01:10Z PACS01 EventID=4625 TargetUserName=pacs.admin TargetDomainName=HOSP LogonType=3 "
         "IpAddress=10.30.7.44 Status=0xC000006D SubStatus=0xC000006A AuthenticationPackageName=NTLM\n"
         "2026-03-02T08:01:20Z PACS01 EventID=4625 TargetUserName=pacs.admin TargetDomainName=HOSP LogonType=3 "
         "IpAddress=10.30.7.44 Status=0xC000006D SubStatus=0xC000006A AuthenticationPackageName=NTLM\n"
         "2026-03-02T08:01:30Z PACS01 EventID=4625 TargetUserName=pacs.admin TargetDomainName=HOSP LogonType=3 "
         "IpAddress=10.30.7.44 Status=0xC000006D SubStatus=0xC000006A AuthenticationPackageName=NTLM\n"
         "2026-03-02T08:01:40Z PACS01 EventID=4625 TargetUserName=pacs.admin TargetDomainName=HOSP LogonType=3 "
         "IpAddress=10.30.7.44 Status=0xC000006D SubStatus=0xC000006A AuthenticationPackageName=NTLM\n"
         "2026-03-02T08:01:50Z PACS01 EventID=4625 TargetUserName=pacs.admin TargetDomainName=HOSP LogonType=3 "
         "IpAddress=10.30.7.44 Status=0xC000006D SubStatus=0xC000006A AuthenticationPackageName=NTLM\n"
         "2026-03-02T08:05:00Z FILE01 EventID=4624 TargetUserName=Administrator TargetDomainName=FILE01 LogonType=3 "
         "IpAddress=10.20.4.14 AuthenticationPackageName=NTLM\n"
         "2026-03-02T08:06:00Z FILE01 EventID=4624 TargetUserName=\"ANONYMOUS LOGON\" TargetDomainName=\"NT AUTHORITY\" "
         "LogonType=3 IpAddress=10.20.4.14 AuthenticationPackageName=NTLM\n"
         "2026-03-02T08:07:00Z WS-ICU-04 EventID=4625 TargetUserName=jsmith TargetDomainName=HOSP LogonType=2 "
         "IpAddress=127.0.0.1 Status=0xC000006D SubStatus=0xC000006A AuthenticationPackageName=NTLM\n";
}

}  // namespace

json LogTriage::schema() {
  json range = {{"type", "object"},
                {"properties", {{"min", {{"type", "integer"}}}, {"max", {{"type", "integer"}}}}},
                {"additionalProperties", false}};
  // The log lines are drawn from the item seed.
  return sdk::generated_material(sdk::object_schema(
      {{"patterns",
        {{"type", "array"},
         {"items", {{"enum", pattern_ids()}}},
         {"description", "attack patterns injected into the generated log (none: a benign log)"}}},
       {"background_events", range},
       {"log", {{"type", "string"}, {"description", "an author's log instead of a generated one, one event per line"}}},
       {"thresholds",
        {{"type", "object"},
         {"properties",
          {{"brute_force_failures", {{"type", "integer"}, {"minimum", 5}}},
           {"spray_accounts", {{"type", "integer"}, {"minimum", 3}}},
           {"window_seconds", {{"type", "integer"}, {"minimum", 60}, {"maximum", 3600}}}}},
         {"additionalProperties", false}}},
       {"context", {{"type", "string"}, {"description", "text shown above the log"}}},
       {"ask_technique", {{"type", "boolean"}, {"description", "ask for the ATT&CK techniques (default true)"}}}},
      {}));
}

std::vector<sdk::Criterion> LogTriage::criteria() {
  return {{"lines", "suspicious lines selected: (right - wrong) / lines in the key, at least 0"},
          {"technique", "ATT&CK techniques named: (right - wrong) / techniques in the key; T1550.002 is not scored"},
          {"none-missed",
           "suspicious lines selected, out of the lines in the key (full when there are none); a safety criterion: "
           "selecting a benign line too never loses it, only leaving an attack's line unselected",
           false, true}};
}

LogTriage LogTriage::prepare(const json& params) {
  sdk::Params p(params);
  static const std::vector<std::string> known = {"patterns",   "background_events", "log",
                                                 "thresholds", "context",           "ask_technique"};
  for (const auto& [key, value] : p.members()) {
    if (std::find(known.begin(), known.end(), key) == known.end()) value.fail("unknown parameter '" + key + "'");
  }
  LogTriage item;
  if (auto c = p.find("context")) item.context_ = c->str();
  if (auto a = p.find("ask_technique")) item.ask_technique_ = a->boolean();
  if (auto t = p.find("thresholds")) {
    auto read = [&](const char* name, int lo, int hi, int& out) {
      if (auto v = t->find(name)) {
        auto n = v->integer();
        if (n < lo || n > hi)
          v->fail("expected an integer from " + std::to_string(lo) + " to " + std::to_string(hi) + ", found " +
                  std::to_string(n));
        out = static_cast<int>(n);
      }
    };
    for (const auto& [key, value] : t->members()) {
      if (key != "brute_force_failures" && key != "spray_accounts" && key != "window_seconds")
        value.fail("unknown threshold '" + key + "'");
    }
    read("brute_force_failures", 5, 100, item.spec_.thresholds.brute_force_failures);
    read("spray_accounts", 3, 10, item.spec_.thresholds.spray_accounts);
    read("window_seconds", 60, 3600, item.spec_.thresholds.window_seconds);
  }
  if (auto l = p.find("log")) {
    if (auto pat = p.find("patterns")) pat->fail("give either 'log' or 'patterns', not both");
    if (auto bg = p.find("background_events")) bg->fail("'background_events' applies to generated logs only");
    std::string error;
    item.fixed_ = winlog::try_parse_log(l->str(), &error);
    if (!item.fixed_) l->fail(error);
    return item;
  }
  if (auto pat = p.find("patterns")) {
    for (const auto& e : pat->items()) {
      auto id = e.str();
      const auto* info = winlog::find_pattern(id);
      if (info == nullptr) {
        std::string list;
        for (const auto& name : pattern_ids()) list += (list.empty() ? "'" : ", '") + name + "'";
        e.fail("unknown attack pattern '" + id + "' (expected one of " + list + ")");
      }
      if (std::find(item.spec_.inject.begin(), item.spec_.inject.end(), info->pattern) != item.spec_.inject.end()) {
        e.fail("attack pattern '" + id + "' is listed twice");
      }
      item.spec_.inject.push_back(info->pattern);
    }
  } else {
    p.fail("missing required key 'patterns' (or 'log' for an author's log)");
  }
  if (auto bg = p.find("background_events")) {
    auto lo = bg->at("min").integer(), hi = bg->at("max").integer();
    if (lo < 0 || lo > 400) bg->at("min").fail("expected an integer from 0 to 400, found " + std::to_string(lo));
    if (hi < lo || hi > 400) bg->at("max").fail("expected an integer from min to 400, found " + std::to_string(hi));
    item.spec_.background_min = static_cast<int>(lo);
    item.spec_.background_max = static_cast<int>(hi);
  }
  return item;
}

std::vector<winlog::Event> LogTriage::log(std::uint64_t seed) const {
  if (fixed_) return *fixed_;
  return winlog::generate(spec_, seed).log;
}

LogTriage::Key LogTriage::key(std::uint64_t seed) const {
  Key k;
  k.findings = winlog::detect(log(seed), spec_.thresholds);
  for (const auto& f : k.findings) {
    for (auto i : f.lines) k.lines.insert(line_id(i));
    const auto& info = winlog::info(f.pattern);
    if (info.technique_scored) k.techniques.emplace(info.technique);
  }
  return k;
}

json LogTriage::present(std::uint64_t seed) const {
  const auto& t = spec_.thresholds;
  std::string text = context_.empty() ? "" : context_ + "\n";
  text += "Detection policy: brute force is " + std::to_string(t.brute_force_failures) +
          " or more failed logons against one account within " + std::to_string(t.window_seconds) +
          " seconds; password spraying is failed logons for " + std::to_string(t.spray_accounts) +
          " or more accounts from one network source within " + std::to_string(t.window_seconds) + " seconds.";
  json lines = json::array();
  auto events = log(seed);
  for (std::size_t i = 0; i < events.size(); ++i) lines.push_back({{"id", line_id(i)}, {"text", events[i].to_line()}});
  json interactions = json::array();
  interactions.push_back({{"id", "lines"},
                          {"type", "select-lines"},
                          {"prompt", "Select every line that is part of an attack or an indicator of one"},
                          {"material", 1}});
  if (ask_technique_) {
    json options = json::array();
    for (const auto& p : winlog::patterns()) {
      options.push_back(
          {{"id", std::string(p.technique)}, {"text", std::string(p.technique) + " " + std::string(p.technique_name)}});
    }
    sdk::Rng rng(seed ^ 0x5eed0f7ec4u);  // an independent stream for the option order
    std::vector<json> shuffled(options.begin(), options.end());
    rng.shuffle(shuffled);
    interactions.push_back({{"id", "technique"},
                            {"type", "choice"},
                            {"prompt", "Which ATT&CK techniques does the log show? (choose none for a benign log)"},
                            {"multiple", true},
                            {"min", 0},
                            {"options", shuffled}});
  }
  return {{"presentation", 1},
          {"prompt", "Triage this Windows Security log from the hospital domain."},
          {"material", json::array({{{"kind", "text"}, {"text", text}}, {{"kind", "lines"}, {"lines", lines}}})},
          {"interactions", interactions}};
}

namespace {

std::set<std::string> scored_choices(const std::set<std::string>& chosen) {
  std::set<std::string> out;
  for (const auto& c : chosen) {
    const auto* unscored = winlog::find_pattern("pass-the-hash");
    if (c != unscored->technique) out.insert(c);
  }
  return out;
}

}  // namespace

LogTriage::Answer LogTriage::read(std::uint64_t seed, const json& response) const {
  // A line that is not in the log, or a technique that is not offered, cannot be an answer.
  std::set<std::string> lines, techniques;
  auto n = log(seed).size();
  for (std::size_t i = 0; i < n; ++i) lines.insert(line_id(i));
  for (const auto& p : winlog::patterns()) techniques.emplace(p.technique);
  Answer a;
  a.lines = ids_answer(response, "lines", lines, "selected lines", "line");
  if (ask_technique_) a.techniques = ids_answer(response, "technique", techniques, "techniques", "technique");
  return a;
}

std::vector<sdk::Credit> LogTriage::score(std::uint64_t seed, const json& response) const {
  auto a = read(seed, response);
  auto k = key(seed);
  std::uint64_t found = 0;
  for (const auto& l : k.lines) found += a.lines.count(l);
  sdk::Credit none_missed = k.lines.empty() ? sdk::Credit::full() : sdk::Credit::fraction(found, k.lines.size());
  std::vector<sdk::Credit> credits = {selection_credit(k.lines, a.lines), sdk::Credit::full(), none_missed};
  if (ask_technique_) credits[1] = selection_credit(k.techniques, scored_choices(a.techniques));
  return credits;
}

json LogTriage::solve(std::uint64_t seed) const {
  auto k = key(seed);
  json out = {{"lines", json::array()}};
  for (const auto& f : k.findings) {
    for (auto i : f.lines) out["lines"].push_back(line_id(i));
  }
  if (ask_technique_) out["technique"] = json(std::vector<std::string>(k.techniques.begin(), k.techniques.end()));
  return out;
}

namespace {

std::string lower_text(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

/// What makes a pattern's lines an attack (or an indicator of one), in the detection policy's terms.
std::string pattern_reason(winlog::Pattern p, const winlog::Thresholds& t) {
  auto window = std::to_string(t.window_seconds) + " seconds";
  switch (p) {
    case winlog::Pattern::kBruteForce:
      return "failed logons (4625) against one account, " + std::to_string(t.brute_force_failures) + " or more within " + window +
             ": someone is guessing that account's password";
    case winlog::Pattern::kPasswordSpraying:
      return "failed logons (4625) for " + std::to_string(t.spray_accounts) +
             " or more accounts from one network source within " + window + ": one password tried against many accounts";
    case winlog::Pattern::kPassTheHash:
      return "a network logon (type 3) by NTLM to a local account of the host itself (TargetDomainName is the host), not "
             "ANONYMOUS LOGON: the pass-the-hash indicator (MITRE CAR-2016-04-004)";
    case winlog::Pattern::kAuditLogCleared:
      return "event 1102, the security log cleared: an attacker hiding their tracks";
    case winlog::Pattern::kNewLocalAdmin:
      return "a local account created (4720) and added to Administrators (4732) on the same host within " + window +
             ": an attacker keeping a way back in";
  }
  return "";
}

/// Why a line no pattern selects is ordinary activity, by its event.
std::string why_benign(const winlog::Event& e) {
  switch (e.event_id) {
    case 4625:
      return "a failed logon for " + std::string(e.field("TargetUserName")) +
             " that is not part of enough failures against one account, or for enough accounts from one source, within the "
             "window to meet the policy: a mistyped password";
    case 4624:
      if (e.field("TargetUserName") == "ANONYMOUS LOGON")
        return "an anonymous network logon, which the pass-the-hash indicator excludes";
      if (lower_text(e.field("TargetDomainName")) != lower_text(e.host))
        return "a logon with a domain account (" + std::string(e.field("TargetDomainName")) +
               "): ordinary; the pass-the-hash indicator is an NTLM network logon to an account local to the host";
      return "a logon that is not an NTLM network logon (type 3): ordinary";
    case 4634:
      return "a logoff: ordinary activity";
    case 4672:
      return "special privileges assigned at an administrator's logon: expected for an admin account";
    case 4688:
      return "a process started by a user: ordinary activity";
    case 4776:
      return "a domain controller validating credentials: ordinary activity";
    case 4720:
      return "an account created by the service desk and not made a local administrator: ordinary";
    case 4732:
      return "a member added to an application group, not a new local account made an administrator: ordinary";
    default:
      return "no pattern of the detection policy includes this event";
  }
}

std::string technique_text(const std::string& id) {
  for (const auto& p : winlog::patterns())
    if (p.technique == id) return std::string(p.technique) + " " + std::string(p.technique_name);
  return id;
}

}  // namespace

std::string LogTriage::feedback(std::uint64_t seed, const json& response) const {
  auto a = read(seed, response);
  auto k = key(seed);
  auto events = log(seed);
  const auto& chosen = a.lines;
  std::string out;
  for (const auto& f : k.findings) {
    const auto& info = winlog::info(f.pattern);
    std::size_t found = 0;
    std::string missed;
    for (auto i : f.lines) {
      if (chosen.count(line_id(i)) != 0) {
        ++found;
      } else {
        missed += (missed.empty() ? "" : ", ") + line_id(i);
      }
    }
    out += std::string(info.technique_name) + " (" + std::string(info.technique) + "): you selected " + std::to_string(found) +
           " of " + std::to_string(f.lines.size()) + " lines" +
           (missed.empty() ? "" : "; missed " + missed + " (the unsafe error: an attack's trace left unreported)") +
           (info.technique_scored ? "" : " (indicators only: confirm with the host before calling it an attack)") + "\n";
    // Why these lines belong to the attack, so a missed line can be recognised next time.
    if (!missed.empty()) out += "  why these lines: " + pattern_reason(f.pattern, spec_.thresholds) + "\n";
  }
  // Lines selected that no pattern includes, in log order, grouped by why each is ordinary.
  std::vector<std::pair<std::string, std::string>> benign;  // (reason, line ids)
  for (std::size_t i = 0; i < events.size(); ++i) {
    auto id = line_id(i);
    if (chosen.count(id) == 0 || k.lines.count(id) != 0) continue;
    auto why = why_benign(events[i]);
    auto it = std::find_if(benign.begin(), benign.end(), [&](const auto& b) { return b.first == why; });
    if (it == benign.end()) {
      benign.emplace_back(why, id);
    } else {
      it->second += ", " + id;
    }
  }
  if (!benign.empty()) {
    out += "selected, but not part of an attack (over-cautious, not unsafe):\n";
    for (const auto& [why, ids] : benign) out += "  " + ids + ": " + why + "\n";
  }
  if (k.findings.empty()) out += "the log shows no attack pattern\n";
  if (ask_technique_) {
    auto named = scored_choices(a.techniques);
    for (const auto& t : named) {
      if (k.techniques.count(t) != 0) continue;
      const winlog::PatternInfo* info = nullptr;
      for (const auto& p : winlog::patterns())
        if (p.technique == t) info = &p;
      out += "you named " + technique_text(t) + ", which this log does not show" +
             (info ? ": it would take " + pattern_reason(info->pattern, spec_.thresholds) : std::string()) + "\n";
    }
    for (const auto& f : k.findings) {
      const auto& info = winlog::info(f.pattern);
      if (!info.technique_scored || named.count(std::string(info.technique)) != 0) continue;
      std::string lines;
      for (auto i : f.lines) lines += (lines.empty() ? "" : ", ") + line_id(i);
      out += technique_text(std::string(info.technique)) + " was not named: lines " + lines + " show it\n";
    }
  }
  return out;
}

std::vector<sdk::Example> LogTriage::examples() {
  std::vector<sdk::Example> out;
  {
    sdk::Example ex;
    ex.name = "an author's log with a brute force and a pass-the-hash indicator";
    ex.params = {{"log", fixed_example_log()}, {"thresholds", {{"brute_force_failures", 5}, {"window_seconds", 300}}}};
    ex.seed = 3;
    using sdk::Credit;
    ex.responses = {{"the key",
                     {{"lines", {"l2", "l3", "l4", "l5", "l6", "l7"}}, {"technique", {"T1110.001"}}},
                     {Credit::full(), Credit::full(), Credit::full()}},
                    {"naming pass the hash is not scored",
                     {{"lines", {"l2", "l3", "l4", "l5", "l6", "l7"}}, {"technique", {"T1110.001", "T1550.002"}}},
                     {Credit::full(), Credit::full(), Credit::full()}},
                    {"the anonymous logon is not an indicator",
                     {{"lines", {"l2", "l3", "l4", "l5", "l6", "l7", "l8"}}, {"technique", {"T1110.003"}}},
                     {Credit{5, 6}, Credit::none(), Credit::full()}},
                    {"one attack line missed",
                     {{"lines", {"l2", "l3", "l4", "l5", "l6"}}, {"technique", {"T1110.001"}}},
                     {Credit{5, 6}, Credit::full(), Credit{5, 6}}},
                    {"nothing selected", json::object(), {Credit::none(), Credit::none(), Credit::none()}}};
    ex.malformed = {{"a line the log does not have", {{"lines", {"l2", "l3", "l99"}}}},
                    {"a technique named by its name, not one of the options", {{"technique", {"Brute Force"}}}}};
    out.push_back(ex);
  }
  {
    sdk::Example ex;
    ex.name = "a generated log with password spraying and a cleared audit log";
    ex.params = {{"patterns", {"password-spraying", "audit-log-cleared"}}, {"background_events", {{"min", 20}, {"max", 30}}}};
    ex.seed = 42;
    auto item = prepare(ex.params);
    auto solved = item.solve(ex.seed);
    json techniques_only = {{"technique", solved["technique"]}};
    ex.responses = {
        {"the key", solved, {sdk::Credit::full(), sdk::Credit::full(), sdk::Credit::full()}},
        {"techniques without lines", techniques_only, {sdk::Credit::none(), sdk::Credit::full(), sdk::Credit::none()}}};
    out.push_back(ex);
  }
  return out;
}

}  // namespace assay::cyber
