// Item type `patch-priority`: the candidate reads an inventory of hospital assets with one
// vulnerability finding each (a CVSS v3.1 vector, whether it is known to be exploited, the
// asset's exposure and clinical criticality, whether the manufacturer lets the hospital patch
// it), orders the remediation by the item's stated policy and chooses compensating controls for
// the assets that cannot be patched.
//
// The inventory is generated from the seed (counts in `generate`) or given in `inventory`. The
// order key is the policy (`policy`, shown to the candidate) applied by the plugin to the base
// scores it computes itself with cvss.cpp; the vectors are shown, the scores never are. The
// controls key comes from the hospital's rules (`control_rules`, secret): each control is
// required always, when the asset is exposed (not segmented), when the vulnerable service is not
// needed clinically, optional, or forbidden (patching a device the manufacturer does not let the
// hospital patch).
//
// Scoring:
//   order    pairwise agreement: of the pairs of findings the policy puts in a strict order, the
//            fraction the candidate's order puts the same way round (pairs the policy ties are
//            not counted, so any order of tied findings is right);
//   controls over every (unpatchable finding, control) pair: (required chosen − not required
//            chosen) / required, at least 0; choosing a forbidden control for any of them gives 0.
#pragma once

#include <assay/sdk.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cvss.hpp"

namespace assay::cyber {

class PatchPriority {
 public:
  static constexpr const char* kName = "patch-priority";
  static constexpr const char* kSummary =
      "order vulnerability remediation by a stated policy and choose compensating controls for unpatchable devices";

  static sdk::json schema();
  static std::vector<sdk::Criterion> criteria();
  static std::vector<sdk::Example> examples();
  static PatchPriority prepare(const sdk::json& params);

  sdk::json present(std::uint64_t seed) const;
  std::vector<sdk::Credit> score(std::uint64_t seed, const sdk::json& response) const;
  sdk::json solve(std::uint64_t seed) const;
  std::string feedback(std::uint64_t seed, const sdk::json& response) const;

  enum class Exposure { kInternet, kInternal, kSegmented };  // most exposed first
  enum class Criticality { kHigh, kMedium, kLow };           // most critical first
  enum class PolicyKey { kKnownExploited, kExposure, kCvss, kCriticality };
  enum class Rule { kAlways, kIfExposed, kIfServiceUnneeded, kOptional, kForbidden };

  struct Finding {
    std::string id;
    std::string asset;
    std::string kind;  // "server", "workstation", "medical-device"
    std::string vulnerability;
    cvss::Vector vector;
    bool known_exploited = false;
    Exposure exposure = Exposure::kInternal;
    Criticality criticality = Criticality::kMedium;
    bool patchable = true;
    bool service_needed = true;  // meaningful for unpatchable findings
  };
  struct Control {
    std::string id;
    std::string text;
  };

  /// The inventory shown for `seed`.
  std::vector<Finding> inventory(std::uint64_t seed) const;
  /// Finding ids in the policy's order (ties keep inventory order).
  std::vector<std::string> key_order(std::uint64_t seed) const;
  /// Per unpatchable finding id, the controls the rules require.
  std::map<std::string, std::set<std::string>> key_controls(std::uint64_t seed) const;
  /// -1, 0 or 1: whether the policy puts `a` before, level with, or after `b`.
  int compare(const Finding& a, const Finding& b) const;

 private:
  /// The controls a response chooses for an unpatchable finding; one that is not offered is
  /// malformed.
  std::set<std::string> chosen_controls(const sdk::json& response, const std::string& finding) const;

  std::vector<PolicyKey> policy_;
  std::optional<std::vector<Finding>> fixed_;
  struct Range {
    std::int64_t min, max;
  };
  Range findings_{6, 8}, unpatchable_{1, 3};
  std::int64_t exploited_percent_ = 30;
  std::vector<Control> controls_;
  std::map<std::string, Rule> rules_;
};

}  // namespace assay::cyber
