// Item type `segmentation-rules`: hospital VLANs and a first-match rule set with default deny.
//
//   mode "judge": the candidate is shown the networks, a rule set and flows (given in `flows`, or
//                 drawn from the seed), and says per flow whether it is allowed or denied.
//   mode "write": the candidate is shown the networks and a requirement, and writes the rule
//                 set (firewall.hpp's grammar); the plugin replays the secret `required` and
//                 `forbidden` flows through it.
// Flow endpoints name a network (a host in it is drawn from the seed) or give an address.
#pragma once

#include <assay/sdk.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "firewall.hpp"

namespace assay::cyber {

class SegmentationRules {
 public:
  static constexpr const char* kName = "segmentation-rules";
  static constexpr const char* kSummary = "judge flows against, or write, a first-match default-deny rule set for hospital VLANs";

  static sdk::json schema();
  static std::vector<sdk::Criterion> criteria();
  static std::vector<sdk::Example> examples();
  static SegmentationRules prepare(const sdk::json& params);

  sdk::json present(std::uint64_t seed) const;
  std::vector<sdk::Credit> score(std::uint64_t seed, const sdk::json& response) const;
  sdk::json solve(std::uint64_t seed) const;
  std::string feedback(std::uint64_t seed, const sdk::json& response) const;

  struct Network {
    std::string name;
    firewall::Cidr cidr;
    std::string description;
  };
  struct Endpoint {
    std::string network;  // empty when `address` is fixed
    std::uint32_t address = 0;
  };
  struct FlowSpec {
    firewall::Proto proto = firewall::Proto::kTcp;
    Endpoint from, to;
    int port = 0;
  };
  /// The concrete flows for `seed` with what each should get (true: allowed). Judge mode: the
  /// shown flows and the rule set's verdicts; write mode: required (true) and forbidden (false).
  std::vector<std::pair<firewall::Flow, bool>> cases(std::uint64_t seed) const;

 private:
  /// Write mode: the candidate's rule set, nullopt when unanswered; a rule set that does not parse
  /// is malformed, with the line at fault and the grammar.
  std::optional<std::vector<firewall::Rule>> written(const sdk::json& response) const;
  /// The name of the network holding `ip`, or "" when none does.
  std::string network_of(std::uint32_t ip) const;
  /// A flow for feedback: protocol, addresses and port, then the networks its ends belong to.
  std::string describe(const firewall::Flow& flow) const;

  bool judge_ = true;
  bool all_or_nothing_ = false;  ///< credit = "all-or-nothing": full credit only when every flow is right
  std::vector<Network> networks_;
  std::map<std::string, firewall::Cidr> by_name_;
  std::string context_, requirement_;
  std::vector<firewall::Rule> rules_;
  std::vector<FlowSpec> flows_, required_, forbidden_;
  std::int64_t flow_min_ = 6, flow_max_ = 8;
  std::vector<int> ports_ = {104, 11112, 2762, 2575, 443, 3389, 445, 22};
};

}  // namespace assay::cyber
