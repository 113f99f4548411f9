#include "access_audit.hpp"

#include <algorithm>

#include "common.hpp"

namespace assay::ehr {

using sdk::json;

namespace {

const char* kAuditPrompt =
    "Audit the EHR access log below against the access policy. Select every inappropriate access and, for each one, choose the "
    "rule it breaks.";

std::string line_id(std::size_t i) { return "a" + std::to_string(i + 1); }

access::Shift read_shift(const sdk::Params& p) {
  auto s = p.str();
  auto dash = s.find('-');
  std::optional<int> a, b;
  if (dash != std::string::npos) {
    a = access::parse_hhmm(s.substr(0, dash));
    b = access::parse_hhmm(s.substr(dash + 1));
  }
  if (!a || !b || *a == *b) p.fail("expected a shift as \"HH:MM-HH:MM\" with different ends, found \"" + s + "\"");
  return {*a, *b};
}

access::Audit read_audit(const sdk::Params& p) {
  access::Audit a;
  std::set<std::string> users, mrns;
  for (auto& [k, v] : p.members())
    if (k != "staff" && k != "patients" && k != "care_team" && k != "log") v.fail("unknown key '" + k + "'");
  for (auto& s : p.at("staff").items()) {
    access::Staff st;
    st.id = s.at("id").str();
    if (st.id.empty() || !users.insert(st.id).second)
      s.at("id").fail("expected a unique, non-empty user id, found \"" + st.id + "\"");
    st.family = s.at("family").str();
    st.given = s.at("given").str();
    st.role = s.at("role").str();
    st.department = s.at("department").str();
    st.shift = read_shift(s.at("shift"));
    a.staff.push_back(st);
  }
  for (auto& s : p.at("patients").items()) {
    access::Patient pt;
    pt.mrn = s.at("mrn").str();
    if (pt.mrn.empty() || !mrns.insert(pt.mrn).second)
      s.at("mrn").fail("expected a unique, non-empty MRN, found \"" + pt.mrn + "\"");
    pt.family = s.at("family").str();
    pt.given = s.at("given").str();
    if (auto v = s.find("vip")) pt.vip = v->boolean();
    if (auto w = s.find("workforce")) pt.workforce = w->boolean();
    a.patients.push_back(pt);
  }
  auto check_user = [&](const sdk::Params& q) {
    auto u = q.str();
    if (!users.count(u)) q.fail("no staff member with id \"" + u + "\"");
    return u;
  };
  auto check_mrn = [&](const sdk::Params& q) {
    auto m = q.str();
    if (!mrns.count(m)) q.fail("no patient with MRN \"" + m + "\"");
    return m;
  };
  for (auto& c : p.at("care_team").items()) a.care_team.emplace_back(check_user(c.at("user")), check_mrn(c.at("mrn")));
  int last = -1;
  for (auto& l : p.at("log").items()) {
    access::Access x;
    auto t = access::parse_hhmm(l.at("time").str());
    if (!t) l.at("time").fail("expected a time as \"HH:MM\", found \"" + l.at("time").str() + "\"");
    if (*t < last) l.at("time").fail("the log must be in time order");
    last = x.minute = *t;
    x.user = check_user(l.at("user"));
    x.mrn = check_mrn(l.at("mrn"));
    x.action = l.has("action") ? l.at("action").str() : "VIEW chart";
    if (auto b = l.find("btg")) x.btg = b->boolean();
    if (auto r = l.find("reason")) {
      x.reason = r->str();
      if (!x.btg) r->fail("a reason is only recorded for a break-the-glass access (btg = true)");
    }
    a.log.push_back(x);
  }
  if (a.log.empty()) p.at("log").fail("expected at least one access");
  return a;
}

}  // namespace

json AccessAudit::schema() {
  json staff = {{"type", "object"},
                {"properties",
                 {{"id", {{"type", "string"}}},
                  {"family", {{"type", "string"}}},
                  {"given", {{"type", "string"}}},
                  {"role", {{"type", "string"}}},
                  {"department", {{"type", "string"}}},
                  {"shift", {{"type", "string"}, {"description", "HH:MM-HH:MM; an end before the start wraps past midnight"}}}}},
                {"required", {"id", "family", "given", "role", "department", "shift"}},
                {"additionalProperties", false}};
  json patient = {{"type", "object"},
                  {"properties",
                   {{"mrn", {{"type", "string"}}},
                    {"family", {{"type", "string"}}},
                    {"given", {{"type", "string"}}},
                    {"vip", {{"type", "boolean"}}},
                    {"workforce", {{"type", "boolean"}}}}},
                  {"required", {"mrn", "family", "given"}},
                  {"additionalProperties", false}};
  json link = {{"type", "object"},
               {"properties", {{"user", {{"type", "string"}}}, {"mrn", {{"type", "string"}}}}},
               {"required", {"user", "mrn"}},
               {"additionalProperties", false}};
  json entry = {{"type", "object"},
                {"properties",
                 {{"time", {{"type", "string"}}},
                  {"user", {{"type", "string"}}},
                  {"mrn", {{"type", "string"}}},
                  {"action", {{"type", "string"}}},
                  {"btg", {{"type", "boolean"}}},
                  {"reason", {{"type", "string"}}}}},
                {"required", {"time", "user", "mrn"}},
                {"additionalProperties", false}};
  json audit = {{"type", "object"},
                {"properties",
                 {{"staff", {{"type", "array"}, {"items", staff}}},
                  {"patients", {{"type", "array"}, {"items", patient}}},
                  {"care_team", {{"type", "array"}, {"items", link}}},
                  {"log", {{"type", "array"}, {"items", entry}}}}},
                {"required", {"staff", "patients", "care_team", "log"}},
                {"additionalProperties", false}};
  // The access log can be generated from the item seed.
  return sdk::generated_material(sdk::object_schema(
      {{"prompt", {{"type", "string"}}},
       {"rules", {{"type", "array"}, {"items", {{"enum", access::rule_ids()}}}, {"minItems", 1}}},
       {"exempt_roles", {{"type", "array"}, {"items", {{"type", "string"}}}}},
       {"grace_minutes", {{"type", "integer"}, {"minimum", 0}, {"maximum", 120}}},
       {"lines", range_schema(6, 40)},
       {"violations", range_schema(0, 20)},
       {"audit", audit},
       {"notes", sdk::secret({{"type", "object"},
                              {"additionalProperties", {{"type", "string"}}},
                              {"description", "per line id (a1, a2, ...), a note shown only in feedback"}})}}));
}

std::vector<sdk::Criterion> AccessAudit::criteria() {
  return {{"detection",
           "inappropriate accesses flagged: hits / (hits + misses + false alarms); an accuracy criterion (mark reported "
           "critical, not this)"},
          {"rules", "flagged inappropriate accesses whose broken rule is named, out of all inappropriate accesses"},
          {"reported",
           "inappropriate accesses flagged, out of all inappropriate accesses (full when there are none); a safety "
           "criterion: flagging an appropriate access never loses it",
           false, true}};
}

AccessAudit AccessAudit::prepare(const json& params) {
  sdk::Params p(params);
  AccessAudit item;
  static const std::set<std::string> kKnown = {"prompt", "rules",      "exempt_roles", "grace_minutes",
                                               "lines",  "violations", "audit",        "notes"};
  for (auto& [k, v] : p.members())
    if (!kKnown.count(k)) v.fail("unknown parameter '" + k + "'");
  item.prompt_ = p.has("prompt") ? p.at("prompt").str() : kAuditPrompt;
  if (auto r = p.find("rules")) item.policy_.rules = r->id_list(access::rule_ids(), "rule");
  if (auto e = p.find("exempt_roles")) item.policy_.exempt_roles = e->strings();
  if (auto g = p.find("grace_minutes")) {
    auto v = g->integer();
    if (v < 0 || v > 120) g->fail("expected 0 to 120 minutes, found " + std::to_string(v));
    item.policy_.grace_minutes = static_cast<int>(v);
  }
  if (auto a = p.find("audit")) {
    for (auto k : {"lines", "violations"})
      if (p.has(k)) p.at(k).fail(std::string("'") + k + "' shapes generated logs; remove it or remove 'audit'");
    item.fixed_ = read_audit(*a);
  } else {
    read_range(p, "lines", 6, 40, item.gen_.min_lines, item.gen_.max_lines);
    read_range(p, "violations", 0, 20, item.gen_.min_violations, item.gen_.max_violations);
    if (item.gen_.max_violations > item.gen_.min_lines - 2) {
      (p.has("violations") ? p.at("violations") : p.at("lines"))
          .fail("at most " + std::to_string(item.gen_.min_lines - 2) + " violations fit in " +
                std::to_string(item.gen_.min_lines) + " lines with two appropriate accesses");
    }
    // The generated roster has eight staff; keep at least four without a standing basis.
    sdk::Rng probe(0);
    auto roster = access::generate(access::Policy{}, access::GenOptions{}, probe).staff;
    auto exempt = std::count_if(roster.begin(), roster.end(), [&](const access::Staff& s) {
      return std::find(item.policy_.exempt_roles.begin(), item.policy_.exempt_roles.end(), s.role) !=
             item.policy_.exempt_roles.end();
    });
    if (exempt > 4)
      p.at("exempt_roles").fail("exempts " + std::to_string(exempt) + " of the 8 generated staff; at most 4 may be exempt");
  }
  if (auto n = p.find("notes")) {
    for (auto& [k, v] : n->members()) item.notes_[k] = v.str();
  }
  return item;
}

access::Audit AccessAudit::audit(std::uint64_t seed) const {
  if (fixed_) return *fixed_;
  sdk::Rng rng(seed);
  return access::generate(policy_, gen_, rng);
}

std::map<std::string, std::set<std::string>> AccessAudit::key(std::uint64_t seed) const {
  auto a = audit(seed);
  std::map<std::string, std::set<std::string>> out;
  for (std::size_t i = 0; i < a.log.size(); ++i) {
    auto r = access::broken_rules(a, policy_, a.log[i]);
    if (!r.empty()) out[line_id(i)] = r;
  }
  return out;
}

json AccessAudit::present(std::uint64_t seed) const {
  auto a = audit(seed);
  std::string policy = "Access policy. An access is inappropriate when it breaks one of these rules:\n";
  for (auto& r : policy_.rules) policy += "- " + r + ": " + access::rule_text(r) + "\n";
  policy += "A break-the-glass access with a documented reason goes to after-the-fact review and is not flagged here.";
  if (!policy_.exempt_roles.empty()) {
    policy += "\nThese roles have a standing basis to open any record (no care relationship needed): ";
    for (std::size_t i = 0; i < policy_.exempt_roles.size(); ++i) policy += (i ? ", " : "") + policy_.exempt_roles[i];
    policy += ".";
  }
  if (policy_.grace_minutes > 0)
    policy += "\nShifts are taken to extend " + std::to_string(policy_.grace_minutes) + " minutes either side.";

  json staff_rows = json::array();
  for (auto& s : a.staff) staff_rows.push_back({s.id, s.family + ", " + s.given, s.role, s.department, s.shift.text()});
  json patient_rows = json::array(), team_rows = json::array();
  for (auto& pt : a.patients) {
    std::string flags;
    if (pt.vip) flags = "VIP";
    if (pt.workforce) flags += std::string(flags.empty() ? "" : ", ") + "workforce member";
    patient_rows.push_back({pt.mrn, pt.family + ", " + pt.given, flags});
    std::string team;
    for (auto& [u, m] : a.care_team)
      if (m == pt.mrn) team += (team.empty() ? "" : ", ") + u;
    team_rows.push_back({pt.mrn, team});
  }
  json lines = json::array(), rows = json::array();
  for (std::size_t i = 0; i < a.log.size(); ++i) {
    auto& x = a.log[i];
    std::string text = access::hhmm(x.minute) + "  " + x.user + "  " + x.action + "  MRN " + x.mrn;
    if (x.btg) text += "  BREAK-THE-GLASS reason: " + (x.reason.empty() ? std::string("(none)") : "\"" + x.reason + "\"");
    lines.push_back({{"id", line_id(i)}, {"text", text}});
    rows.push_back(
        {{"id", line_id(i)}, {"label", line_id(i) + "  " + access::hhmm(x.minute) + "  " + x.user + "  MRN " + x.mrn}});
  }
  json options = options_of(policy_.rules);
  json material =
      json::array({json{{"kind", "text"}, {"text", policy}},
                   json{{"kind", "table"}, {"columns", {"User", "Name", "Role", "Department", "Shift"}}, {"rows", staff_rows}},
                   json{{"kind", "table"}, {"columns", {"MRN", "Patient", "Flags"}}, {"rows", patient_rows}},
                   json{{"kind", "table"}, {"columns", {"MRN", "Care team (users)"}}, {"rows", team_rows}},
                   json{{"kind", "lines"}, {"lines", lines}}});
  json interactions = json::array(
      {json{{"id", "flagged"}, {"type", "select-lines"}, {"prompt", "Inappropriate accesses"}, {"material", 4}},
       table_interaction("rules", rows, json::array({json{{"id", "rule"}, {"label", "Rule broken"}, {"options", options}}}),
                         "For each access you flag, the rule it breaks")});
  return presentation(prompt_, material, interactions);
}

namespace {

struct AuditAnswer {
  std::set<std::string> flagged;
  std::map<std::string, std::string> rule;
};

AuditAnswer read_audit_answer(const json& response) {
  AuditAnswer a;
  a.flagged = selected_lines(response, "flagged");
  for (auto& [row, rule] : table_column(response, "rules", "rule", "a rule id")) {
    a.rule[row] = rule;
    a.flagged.insert(row);  // naming a rule flags the line
  }
  return a;
}

}  // namespace

std::vector<sdk::Credit> AccessAudit::score(std::uint64_t seed, const json& response) const {
  const json checked = checked_response(present(seed), response);
  auto k = key(seed);
  auto a = read_audit_answer(checked);
  std::uint64_t hits = 0, false_alarms = 0, named = 0;
  for (auto& id : a.flagged) {
    auto it = k.find(id);
    if (it == k.end()) {
      ++false_alarms;
      continue;
    }
    ++hits;
    auto r = a.rule.find(id);
    if (r != a.rule.end() && it->second.count(r->second)) ++named;
  }
  std::uint64_t misses = k.size() - hits;
  sdk::Credit detection =
      (hits + misses + false_alarms) == 0 ? sdk::Credit::full() : sdk::Credit::fraction(hits, hits + misses + false_alarms);
  sdk::Credit rules = k.empty() ? sdk::Credit::of(a.flagged.empty()) : sdk::Credit::fraction(named, k.size());
  // Only a miss (a violation left unreported) loses the safety criterion; false alarms do not.
  sdk::Credit reported = k.empty() ? sdk::Credit::full() : sdk::Credit::fraction(hits, k.size());
  return {detection, rules, reported};
}

json AccessAudit::solve(std::uint64_t seed) const { return flagged_and_named(key(seed), "rules", "rule"); }

namespace {

/// The facts of one access a reviewer weighs: who, their role and shift, the patient's flags, the
/// care relationship and break-the-glass.
struct Facts {
  const access::Staff* staff = nullptr;
  const access::Patient* patient = nullptr;
  bool related = false, exempt = false, on_shift = true;
};

Facts facts_of(const access::Audit& au, const access::Policy& policy, const access::Access& x) {
  Facts f;
  for (auto& s : au.staff)
    if (s.id == x.user) f.staff = &s;
  for (auto& p : au.patients)
    if (p.mrn == x.mrn) f.patient = &p;
  f.related = std::find(au.care_team.begin(), au.care_team.end(), std::make_pair(x.user, x.mrn)) != au.care_team.end();
  if (f.staff) {
    f.exempt = std::find(policy.exempt_roles.begin(), policy.exempt_roles.end(), f.staff->role) != policy.exempt_roles.end();
    f.on_shift = f.staff->shift.contains(x.minute, policy.grace_minutes);
  }
  return f;
}

std::string who(const Facts& f) {
  return f.staff->given + " " + f.staff->family + " (" + f.staff->role + ", " + f.staff->department + ")";
}

std::string shift_text(const Facts& f, const access::Policy& policy) {
  return f.staff->shift.text() +
         (policy.grace_minutes > 0 ? " (with " + std::to_string(policy.grace_minutes) + " minutes either side)" : std::string());
}

/// Why an access breaks `rule`, from the facts.
std::string why_broken(const std::string& rule, const Facts& f, const access::Access& x, const access::Policy& policy) {
  std::string patient = f.patient->given + " " + f.patient->family;
  if (rule == "btg-without-reason") return "break-the-glass was used and no reason was documented";
  if (rule == "outside-shift")
    return "the access at " + access::hhmm(x.minute) + " falls outside " + who(f) + "'s shift " + shift_text(f, policy);
  std::string basis = who(f) + " is not on " + patient + "'s care team";
  if (rule == "same-surname") return basis + " and shares the family name " + f.patient->family;
  if (rule == "coworker-record") return basis + ", and the patient is a workforce member";
  if (rule == "vip-record") return basis + ", and the record is flagged VIP";
  return basis + ", and no role exemption applies";
}

/// Why an access breaks no rule: the basis the policy accepts.
std::string why_appropriate(const Facts& f, const access::Access& x, const access::Policy& policy) {
  if (x.btg) return "break-the-glass with a documented reason (\"" + x.reason + "\") goes to after-the-fact review, not here";
  std::string basis = f.related  ? who(f) + " is on the patient's care team"
                      : f.exempt ? who(f) + " has a role with a standing basis under the policy"
                                 : who(f) + " breaks none of the rules this audit checks";
  return basis + (f.on_shift ? ", and the access falls within the shift " + shift_text(f, policy) : std::string());
}

}  // namespace

std::string AccessAudit::feedback(std::uint64_t seed, const json& response) const {
  const json checked = checked_response(present(seed), response);
  auto au = audit(seed);
  auto k = key(seed);
  auto a = read_audit_answer(checked);
  std::string out;
  for (std::size_t i = 0; i < au.log.size(); ++i) {
    auto id = line_id(i);
    auto it = k.find(id);
    bool flagged = a.flagged.count(id) > 0;
    const auto& x = au.log[i];
    auto f = facts_of(au, policy_, x);
    std::string what = id + " (" + access::hhmm(x.minute) + " " + x.user + ", MRN " + x.mrn + "): ";
    if (it == k.end()) {
      if (flagged)
        out += what + "flagged, but the access is appropriate under the policy: " + why_appropriate(f, x, policy_) +
               " (over-cautious, not unsafe)\n";
    } else {
      std::string rules, why;
      for (auto& r : it->second) {
        rules += (rules.empty() ? "" : " or ") + r;
        why += (why.empty() ? "" : "; ") + why_broken(r, f, x, policy_);
      }
      if (!flagged) {
        out += what + "missed, the unsafe error: a violation that must be reported; it breaks " + rules + ": " + why + "\n";
      } else {
        auto r = a.rule.find(id);
        if (r == a.rule.end()) {
          out += what + "flagged; no rule named (it breaks " + rules + ": " + why + ")\n";
        } else if (!it->second.count(r->second)) {
          // The rule named does not describe this access: say why not, and which one does.
          bool needs_no_relationship = r->second == "no-care-relationship" || r->second == "vip-record" ||
                                       r->second == "coworker-record" || r->second == "same-surname";
          std::string not_this = r->second == "btg-without-reason" ? "it is not a break-the-glass access"
                                 : x.btg ? "a break-the-glass access is judged only by whether a reason was documented"
                                 : r->second == "outside-shift"
                                     ? "the access falls within " + who(f) + "'s shift " + shift_text(f, policy_)
                                 : needs_no_relationship && f.related  ? who(f) + " is on the patient's care team"
                                 : needs_no_relationship && f.exempt   ? who(f) + " has a role with a standing basis"
                                 : r->second == "no-care-relationship" ? "a more specific rule describes it"
                                 : r->second == "vip-record"           ? "the record is not flagged VIP"
                                 : r->second == "coworker-record"      ? "the patient is not a workforce member"
                                 : r->second == "same-surname"         ? "the user and the patient do not share a family name"
                                                                       : "that rule does not describe this access";
          out += what + "flagged, but it breaks " + rules + ", not " + r->second + " (" + not_this + "): " + why + "\n";
        } else {
          out += what + "correct\n";
        }
      }
    }
    auto n = notes_.find(id);
    if (n != notes_.end()) out += "  note: " + n->second + "\n";
  }
  if (out.empty()) out = "no inappropriate access in this log, and none flagged\n";
  return out;
}

std::vector<sdk::Example> AccessAudit::examples() {
  json audit = {
      {"staff", json::array({json{{"id", "u1001"},
                                  {"family", "Hale"},
                                  {"given", "Nora"},
                                  {"role", "Registered nurse"},
                                  {"department", "4 West"},
                                  {"shift", "07:00-19:00"}},
                             json{{"id", "u1002"},
                                  {"family", "Okafor"},
                                  {"given", "Peter"},
                                  {"role", "Physician"},
                                  {"department", "Emergency"},
                                  {"shift", "19:00-07:00"}},
                             json{{"id", "u1003"},
                                  {"family", "Varga"},
                                  {"given", "Irene"},
                                  {"role", "HIM coder"},
                                  {"department", "Health information"},
                                  {"shift", "08:00-16:30"}}})},
      {"patients", json::array({json{{"mrn", "5550001"}, {"family", "Tanaka"}, {"given", "Laura"}},
                                json{{"mrn", "5550002"}, {"family", "Brennan"}, {"given", "Oscar"}, {"vip", true}},
                                json{{"mrn", "5550003"}, {"family", "Hale"}, {"given", "George"}}})},
      {"care_team", json::array({json{{"user", "u1001"}, {"mrn", "5550001"}}, json{{"user", "u1002"}, {"mrn", "5550002"}}})},
      {"log", json::array({json{{"time", "02:10"}, {"user", "u1002"}, {"mrn", "5550002"}},                 // a1 appropriate
                           json{{"time", "09:15"}, {"user", "u1001"}, {"mrn", "5550003"}},                 // a2 same surname
                           json{{"time", "10:40"}, {"user", "u1003"}, {"mrn", "5550002"}},                 // a3 exempt coder
                           json{{"time", "11:05"}, {"user", "u1001"}, {"mrn", "5550002"}},                 // a4 VIP
                           json{{"time", "12:30"}, {"user", "u1002"}, {"mrn", "5550001"}, {"btg", true}},  // a5 no reason
                           json{{"time", "21:45"}, {"user", "u1001"}, {"mrn", "5550001"}}})}};             // a6 off shift
  sdk::Example fixed;
  fixed.name = "a hand-checked log with every rule";
  fixed.params = {
      {"audit", audit}, {"exempt_roles", {"HIM coder"}}, {"notes", {{"a4", "VIP records are restricted to the care team"}}}};
  fixed.alt_secret = {{"notes", json::object()}};
  fixed.seed = 3;
  fixed.responses = {
      {"every violation flagged and named",
       {{"flagged", {"a2", "a4", "a5", "a6"}},
        {"rules",
         {{"a2", {{"rule", "same-surname"}}},
          {"a4", {{"rule", "vip-record"}}},
          {"a5", {{"rule", "btg-without-reason"}}},
          {"a6", {{"rule", "outside-shift"}}}}}},
       {sdk::Credit::full(), sdk::Credit::full(), sdk::Credit::full()}},
      {"the coder flagged too, two rules wrong",
       {{"flagged", {"a2", "a3", "a4", "a5", "a6"}},
        {"rules",
         {{"a2", {{"rule", "no-care-relationship"}}},
          {"a4", {{"rule", "vip-record"}}},
          {"a5", {{"rule", "btg-without-reason"}}},
          {"a6", {{"rule", "no-care-relationship"}}}}}},
       {sdk::Credit::fraction(4, 5), sdk::Credit::fraction(2, 4), sdk::Credit::full()}},
      {"one violation missed",
       {{"flagged", {"a2", "a4", "a5"}},
        {"rules",
         {{"a2", {{"rule", "same-surname"}}}, {"a4", {{"rule", "vip-record"}}}, {"a5", {{"rule", "btg-without-reason"}}}}}},
       {sdk::Credit::fraction(3, 4), sdk::Credit::fraction(3, 4), sdk::Credit::fraction(3, 4)}},
  };
  fixed.malformed = {{"a line the log does not have", {{"flagged", {"a2", "a60"}}}},
                     {"a rule that is not in the policy", {{"rules", {{"a2", {{"rule", "snooping"}}}}}}}};
  sdk::Example gen;
  gen.name = "a generated log";
  gen.params = {{"lines", {{"min", 12}, {"max", 16}}},
                {"violations", {{"min", 3}, {"max", 5}}},
                {"grace_minutes", 15},
                {"notes", json::object()}};
  gen.alt_secret = {{"notes", {{"a1", "a note"}}}};
  gen.seed = 11;
  gen.responses = {{"nothing flagged", json::object(), {sdk::Credit::none(), sdk::Credit::none(), sdk::Credit::none()}}};
  return {fixed, gen};
}

}  // namespace assay::ehr
