// access-audit: an EHR access log with the staff roster and care relationships; the candidate
// flags the inappropriate accesses and names the rule each breaks. The key comes from
// access::broken_rules over the material.
#ifndef ASSAY_EHR_ACCESS_AUDIT_HPP
#define ASSAY_EHR_ACCESS_AUDIT_HPP

#include <assay/sdk.hpp>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "access_rules.hpp"

namespace assay::ehr {

class AccessAudit {
 public:
  static constexpr const char* kName = "access-audit";
  static constexpr const char* kSummary = "flag inappropriate EHR accesses in a log and name the rule each breaks";
  static sdk::json schema();
  static std::vector<sdk::Criterion> criteria();
  static std::vector<sdk::Example> examples();
  static AccessAudit prepare(const sdk::json& params);
  sdk::json present(std::uint64_t seed) const;
  std::vector<sdk::Credit> score(std::uint64_t seed, const sdk::json& response) const;
  sdk::json solve(std::uint64_t seed) const;
  std::string feedback(std::uint64_t seed, const sdk::json& response) const;

  access::Audit audit(std::uint64_t seed) const;
  /// Line id ("a1", ...) → the rules that access breaks, for every inappropriate access.
  std::map<std::string, std::set<std::string>> key(std::uint64_t seed) const;

 private:
  std::optional<access::Audit> fixed_;
  access::Policy policy_;
  access::GenOptions gen_;
  std::string prompt_;
  std::map<std::string, std::string> notes_;  ///< secret: per line id, shown only in feedback
};

}  // namespace assay::ehr

#endif
