// device-maintenance/troubleshooting: a fault report and candidate actions; the technician
// chooses which actions to take and orders them.
#pragma once

#include <assay/sdk.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "action_order.hpp"

namespace device {

class Troubleshooting {
 public:
  static constexpr const char* kName = "troubleshooting";
  static constexpr const char* kSummary = "choose and order the actions for a reported equipment fault (safety first)";

  static assay::sdk::json schema();
  static std::vector<assay::sdk::Criterion> criteria();
  static std::vector<assay::sdk::Example> examples();
  static Troubleshooting prepare(const assay::sdk::json& params);

  /// The action ids in the order presented for `seed` (shuffled unless the item fixes the order).
  std::vector<std::string> presented(std::uint64_t seed) const;
  /// The actions a response takes, in order: its "order" minus its "skip". nullopt when "order"
  /// is not a permutation of the actions.
  std::optional<std::vector<std::string>> taken(const assay::sdk::json& response) const;
  const OrderRules& rules() const { return rules_; }

  assay::sdk::json present(std::uint64_t seed) const;
  std::vector<assay::sdk::Credit> score(std::uint64_t seed, const assay::sdk::json& response) const;
  assay::sdk::json solve(std::uint64_t seed) const;
  std::string feedback(std::uint64_t seed, const assay::sdk::json& response) const;

 private:
  std::string text_of(const std::string& id) const;
  /// The author's reason for an action, or `fallback`.
  std::string reason(const std::string& id, const char* fallback) const;

  std::string equipment_;
  std::string fault_;
  std::vector<std::pair<std::string, std::string>> actions_;  // (id, text) as written
  bool shuffle_ = true;
  OrderRules rules_;
  std::map<std::string, std::string> reasons_;  ///< secret: per action id, shown only in feedback
};

}  // namespace device
