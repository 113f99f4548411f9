// The EHR access-audit rules: which accesses to a patient record are inappropriate and why.
// Break-the-glass maps to the HIPAA emergency access procedure (45 CFR 164.312(a)(2)(ii)) with
// audit controls (164.312(b)) and after-the-fact review; care relationships and role exemptions
// are local policy, so they come from the material and params, never from this code.
#ifndef ASSAY_EHR_ACCESS_RULES_HPP
#define ASSAY_EHR_ACCESS_RULES_HPP

#include <assay/sdk.hpp>

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace assay::ehr::access {

/// The rule ids, in the order the policy text lists them.
const std::vector<std::string>& rule_ids();
/// One sentence per rule for the policy text a candidate reads.
std::string rule_text(const std::string& rule);

struct Shift {
  int start = 7 * 60, end = 19 * 60;  ///< minutes after midnight; end < start wraps past midnight
  bool contains(int minute, int grace) const;
  std::string text() const;  ///< "07:00-19:00"
};

struct Staff {
  std::string id, family, given, role, department;
  Shift shift;
};

struct Patient {
  std::string mrn, family, given;
  bool vip = false;
  bool workforce = false;  ///< the patient is a member of the hospital's workforce
};

struct Access {
  int minute = 0;  ///< minutes after midnight
  std::string user, mrn, action;
  bool btg = false;
  std::string reason;  ///< the break-the-glass reason, empty when none was given
};

struct Policy {
  std::vector<std::string> rules = rule_ids();  ///< the rules the item checks
  std::vector<std::string> exempt_roles;        ///< roles with a standing basis (e.g. coding), local policy
  int grace_minutes = 0;                        ///< tolerance around a shift, local policy
};

struct Audit {
  std::vector<Staff> staff;
  std::vector<Patient> patients;
  std::vector<std::pair<std::string, std::string>> care_team;  ///< (user id, MRN)
  std::vector<Access> log;                                     ///< in time order
};

/// The rules access `a` breaks under `policy` (empty: appropriate).
///   btg-without-reason    a break-the-glass access with no documented reason
///   outside-shift         any other access outside the user's shift (beyond the grace)
///   and, for a non-break-the-glass access by a user with no care relationship to the patient and
///   no exempt role:
///   same-surname          the user and the patient share a family name
///   coworker-record       the patient is a workforce member
///   vip-record            the patient is flagged VIP
///   no-care-relationship  none of the three above
/// A break-the-glass access with a reason is appropriate here (it goes to after-the-fact review).
std::set<std::string> broken_rules(const Audit& audit, const Policy& policy, const Access& a);

/// Generation bounds (all from params).
struct GenOptions {
  int min_lines = 14, max_lines = 18;
  int min_violations = 3, max_violations = 5;
};

/// A generated audit; every injected violation breaks exactly one rule of `policy.rules`.
Audit generate(const Policy& policy, const GenOptions& opt, sdk::Rng& rng);

std::string hhmm(int minute);
std::optional<int> parse_hhmm(const std::string& s);

}  // namespace assay::ehr::access

#endif
