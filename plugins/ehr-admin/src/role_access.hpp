// role-access: a permission catalogue and a job description; the candidate grants the minimum
// necessary permissions (HIPAA Privacy Rule, 45 CFR 164.502(b) and 164.514(d)(2): identify the
// workforce members who need access to PHI, the categories they need, and limit access to
// those). With several role templates, one is drawn per seed. The key is the author's secret
// list of required, allowed and forbidden permissions per role.
#ifndef ASSAY_EHR_ROLE_ACCESS_HPP
#define ASSAY_EHR_ROLE_ACCESS_HPP

#include <assay/sdk.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace assay::ehr {

class RoleAccess {
 public:
  static constexpr const char* kName = "role-access";
  static constexpr const char* kSummary = "grant a new role the minimum necessary EHR permissions for its job";
  static sdk::json schema();
  static std::vector<sdk::Criterion> criteria();
  static std::vector<sdk::Example> examples();
  static RoleAccess prepare(const sdk::json& params);
  sdk::json present(std::uint64_t seed) const;
  std::vector<sdk::Credit> score(std::uint64_t seed, const sdk::json& response) const;
  sdk::json solve(std::uint64_t seed) const;
  std::string feedback(std::uint64_t seed, const sdk::json& response) const;

  struct Permission {
    std::string id, text;
  };
  struct Role {
    std::string id, title, description;
  };
  struct Key {
    std::set<std::string> required, allowed, forbidden;
    std::map<std::string, std::string> notes;  ///< per permission id, shown only in feedback
  };
  /// The role drawn for a seed (the only one when the item has one).
  const Role& role(std::uint64_t seed) const;
  const Key& key(std::uint64_t seed) const;

 private:
  /// The text of the permission with this id, as the candidate saw it (the id when unknown).
  std::string text_of(const std::string& id) const;
  std::vector<Permission> permissions_;
  std::vector<Role> roles_;
  std::map<std::string, Key> keys_;
  std::string prompt_;
};

}  // namespace assay::ehr

#endif
