#include "access_rules.hpp"

#include <algorithm>

#include "synth.hpp"

namespace assay::ehr::access {

const std::vector<std::string>& rule_ids() {
  static const std::vector<std::string> v = {"no-care-relationship", "vip-record",         "coworker-record",
                                             "same-surname",         "btg-without-reason", "outside-shift"};
  return v;
}

std::string rule_text(const std::string& r) {
  if (r == "no-care-relationship")
    return "the user has no care relationship with the patient and no other rule below explains the access";
  if (r == "vip-record") return "the record is flagged VIP and the user has no care relationship with the patient";
  if (r == "coworker-record") return "the patient is a workforce member and the user has no care relationship with them";
  if (r == "same-surname") return "the user shares the patient's family name and has no care relationship with them";
  if (r == "btg-without-reason") return "break-the-glass was used without a documented reason";
  if (r == "outside-shift") return "the access (other than break-the-glass) falls outside the user's rostered shift";
  return r;
}

std::string hhmm(int m) { return synth::two(m / 60) + ":" + synth::two(m % 60); }

std::optional<int> parse_hhmm(const std::string& s) {
  if (s.size() != 5 || s[2] != ':') return std::nullopt;
  for (int i : {0, 1, 3, 4})
    if (s[static_cast<std::size_t>(i)] < '0' || s[static_cast<std::size_t>(i)] > '9') return std::nullopt;
  int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
  if (h > 23 || m > 59) return std::nullopt;
  return h * 60 + m;
}

bool Shift::contains(int minute, int grace) const {
  constexpr int kDay = 24 * 60;
  int len = end > start ? end - start : end + kDay - start;
  // Minutes since (start - grace), modulo a day, within the widened shift.
  int since = ((minute - (start - grace)) % kDay + kDay) % kDay;
  return since < len + 2 * grace;
}

std::string Shift::text() const { return hhmm(start) + "-" + hhmm(end); }

std::set<std::string> broken_rules(const Audit& audit, const Policy& policy, const Access& a) {
  auto active = [&](const char* r) { return std::find(policy.rules.begin(), policy.rules.end(), r) != policy.rules.end(); };
  std::set<std::string> out;
  auto staff = std::find_if(audit.staff.begin(), audit.staff.end(), [&](const Staff& s) { return s.id == a.user; });
  auto patient = std::find_if(audit.patients.begin(), audit.patients.end(), [&](const Patient& p) { return p.mrn == a.mrn; });
  if (staff == audit.staff.end() || patient == audit.patients.end()) return out;  // refused when prepared
  if (a.btg) {
    if (a.reason.find_first_not_of(" \t") == std::string::npos && active("btg-without-reason")) out.insert("btg-without-reason");
    return out;
  }
  if (!staff->shift.contains(a.minute, policy.grace_minutes) && active("outside-shift")) out.insert("outside-shift");
  bool related =
      std::find(audit.care_team.begin(), audit.care_team.end(), std::make_pair(a.user, a.mrn)) != audit.care_team.end();
  bool exempt = std::find(policy.exempt_roles.begin(), policy.exempt_roles.end(), staff->role) != policy.exempt_roles.end();
  if (related || exempt) return out;
  bool specific = false;
  if (staff->family == patient->family && active("same-surname")) out.insert("same-surname"), specific = true;
  if (patient->workforce && active("coworker-record")) out.insert("coworker-record"), specific = true;
  if (patient->vip && active("vip-record")) out.insert("vip-record"), specific = true;
  // The residual rule covers what the more specific ones would have, when they are not checked.
  if (!specific && active("no-care-relationship")) out.insert("no-care-relationship");
  return out;
}

namespace {

struct RoleTemplate {
  const char* role;
  const char* department;
  Shift shift;
};

const std::vector<RoleTemplate>& roles() {
  static const std::vector<RoleTemplate> v = {
      {"Physician", "Emergency", {7 * 60, 19 * 60}},
      {"Registered nurse", "Emergency", {19 * 60, 7 * 60}},
      {"Registered nurse", "4 West", {7 * 60, 19 * 60}},
      {"Physician", "Cardiology", {8 * 60, 18 * 60}},
      {"Unit clerk", "4 West", {8 * 60, 16 * 60 + 30}},
      {"Pharmacist", "Pharmacy", {7 * 60, 15 * 60 + 30}},
      {"HIM coder", "Health information", {8 * 60, 16 * 60 + 30}},
      {"Registered nurse", "ICU", {19 * 60, 7 * 60}},
  };
  return v;
}

const std::vector<std::string>& actions() {
  static const std::vector<std::string> v = {"VIEW chart", "VIEW results", "VIEW notes", "PRINT summary", "VIEW medications"};
  return v;
}

const std::vector<std::string>& btg_reasons() {
  static const std::vector<std::string> v = {"Code blue, resus bay 2, history needed",
                                             "Rapid response call on ward, covering physician",
                                             "Unresponsive arrival, allergy check", "Stroke alert, anticoagulant history"};
  return v;
}

int minute_in(sdk::Rng& rng, const Shift& s) {
  for (;;) {
    int m = static_cast<int>(rng.between(0, 24 * 60 - 1));
    if (s.contains(m, 0)) return m;
  }
}

int minute_outside(sdk::Rng& rng, const Shift& s, int grace) {
  for (;;) {
    int m = static_cast<int>(rng.between(0, 24 * 60 - 1));
    if (!s.contains(m, grace)) return m;
  }
}

}  // namespace

Audit generate(const Policy& policy, const GenOptions& opt, sdk::Rng& rng) {
  Audit audit;
  std::vector<std::string> surnames = synth::family_names();
  rng.shuffle(surnames);
  std::size_t next_surname = 0;
  std::set<std::string> ids;
  for (auto& t : roles()) {
    Staff s;
    do s.id = "u" + synth::digits(rng, 4);
    while (!ids.insert(s.id).second);
    s.family = surnames[next_surname++];
    s.given = rng.pick(rng.chance(1, 2) ? synth::given_names_female() : synth::given_names_male());
    s.role = t.role;
    s.department = t.department;
    s.shift = t.shift;
    audit.staff.push_back(s);
  }
  auto is_exempt = [&](const Staff& s) {
    return std::find(policy.exempt_roles.begin(), policy.exempt_roles.end(), s.role) != policy.exempt_roles.end();
  };
  // Patients: 0 is VIP, 1 a workforce member, 2 shares a staff member's family name.
  std::size_t surname_staff = rng.below(audit.staff.size());
  for (std::size_t k = 0; k < audit.staff.size() && is_exempt(audit.staff[surname_staff]); ++k)
    surname_staff = (surname_staff + 1) % audit.staff.size();
  std::set<std::string> mrns;
  for (int i = 0; i < 8; ++i) {
    Patient p;
    do p.mrn = synth::digits(rng, 7);
    while (!mrns.insert(p.mrn).second);
    p.family = i == 2 ? audit.staff[surname_staff].family : surnames[next_surname++];
    p.given = rng.pick(rng.chance(1, 2) ? synth::given_names_female() : synth::given_names_male());
    p.vip = i == 0;
    p.workforce = i == 1;
    audit.patients.push_back(p);
  }
  // Care teams: 2 or 3 staff per patient, never the namesake for patient 2.
  for (std::size_t i = 0; i < audit.patients.size(); ++i) {
    std::vector<std::size_t> order(audit.staff.size());
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
    rng.shuffle(order);
    int n = static_cast<int>(rng.between(2, 3));
    for (auto k : order) {
      if (n == 0) break;
      if (is_exempt(audit.staff[k]) || (i == 2 && k == surname_staff)) continue;
      audit.care_team.emplace_back(audit.staff[k].id, audit.patients[i].mrn);
      --n;
    }
  }
  auto team_of = [&](const std::string& mrn) {
    std::vector<std::size_t> out;
    for (std::size_t k = 0; k < audit.staff.size(); ++k)
      if (std::find(audit.care_team.begin(), audit.care_team.end(), std::make_pair(audit.staff[k].id, mrn)) !=
          audit.care_team.end())
        out.push_back(k);
    return out;
  };

  int total = static_cast<int>(rng.between(opt.min_lines, opt.max_lines));
  int violations = std::min(total, static_cast<int>(rng.between(opt.min_violations, opt.max_violations)));
  std::vector<Access> log;

  // Violations first: each must break exactly the rule it was drawn for.
  std::vector<std::string> pool = policy.rules;
  rng.shuffle(pool);
  for (int v = 0, made = 0; made < violations && v < violations * 20; ++v) {
    const std::string& rule = pool[static_cast<std::size_t>(made) % pool.size()];
    Access a;
    a.action = rng.pick(actions());
    std::size_t pi = rng.below(audit.patients.size());
    if (rule == "vip-record") pi = 0;
    if (rule == "coworker-record") pi = 1;
    if (rule == "same-surname") pi = 2;
    if (rule == "no-care-relationship") pi = 3 + rng.below(audit.patients.size() - 3);
    const Patient& p = audit.patients[pi];
    a.mrn = p.mrn;
    auto team = team_of(p.mrn);
    std::size_t si;
    if (rule == "outside-shift") {
      si = team[rng.below(team.size())];
      a.minute = minute_outside(rng, audit.staff[si].shift, policy.grace_minutes);
    } else {
      si = rule == "same-surname" ? surname_staff : rng.below(audit.staff.size());
      a.minute = minute_in(rng, audit.staff[si].shift);
      if (rule == "btg-without-reason") a.btg = true;
    }
    a.user = audit.staff[si].id;
    if (broken_rules(audit, policy, a) != std::set<std::string>{rule}) continue;
    log.push_back(a);
    ++made;
  }
  // Appropriate accesses: care-team work in shift, break-the-glass with a reason, exempt roles.
  while (static_cast<int>(log.size()) < total) {
    Access a;
    a.action = rng.pick(actions());
    const Patient& p = audit.patients[rng.below(audit.patients.size())];
    a.mrn = p.mrn;
    auto kind = rng.below(10);
    std::size_t si;
    if (kind == 0) {
      si = rng.below(audit.staff.size());
      a.btg = true;
      a.reason = rng.pick(btg_reasons());
    } else {
      auto team = team_of(p.mrn);
      si = team[rng.below(team.size())];
      if (kind == 1) {  // an exempt role, when the policy has one on the roster
        for (std::size_t k = 0; k < audit.staff.size(); ++k)
          if (is_exempt(audit.staff[k])) si = k;
      }
    }
    a.user = audit.staff[si].id;
    a.minute = minute_in(rng, audit.staff[si].shift);
    if (!broken_rules(audit, policy, a).empty()) continue;
    log.push_back(a);
  }
  std::stable_sort(log.begin(), log.end(), [](const Access& x, const Access& y) { return x.minute < y.minute; });
  audit.log = std::move(log);
  return audit;
}

}  // namespace assay::ehr::access
