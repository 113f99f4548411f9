// device-maintenance/pm-planning: an equipment inventory scored for the scheduled maintenance
// programme. The scoring method (EM = function + physical risk + maintenance, after Fennigkoh &
// Smith 1989) and its inclusion threshold are not confirmed from the paper, so the threshold is
// the item's param and the score ranges are the item's too; nothing of the method is built in
// beyond the sum.
#pragma once

#include <assay/sdk.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "decimal_math.hpp"

namespace device {

class PmPlanning {
 public:
  static constexpr const char* kName = "pm-planning";
  static constexpr const char* kSummary =
      "score an equipment inventory (function + physical risk + maintenance) and decide inclusion in scheduled maintenance";

  struct Device {
    std::string name;
    std::int64_t function = 0, risk = 0, maintenance = 0;
    std::int64_t em = 0;   // the key: function + risk + maintenance
    bool include = false;  // the key: em >= threshold
  };

  static assay::sdk::json schema();
  static std::vector<assay::sdk::Criterion> criteria();
  static std::vector<assay::sdk::Example> examples();
  static PmPlanning prepare(const assay::sdk::json& params);

  std::vector<Device> inventory(std::uint64_t seed) const;

  assay::sdk::json present(std::uint64_t seed) const;
  std::vector<assay::sdk::Credit> score(std::uint64_t seed, const assay::sdk::json& response) const;
  assay::sdk::json solve(std::uint64_t seed) const;
  std::string feedback(std::uint64_t seed, const assay::sdk::json& response) const;

 private:
  struct Span {
    std::int64_t min = 0, max = 0;
  };
  std::string policy_;
  std::int64_t threshold_ = 0;
  std::vector<Device> fixed_;
  std::vector<std::string> names_;
  std::size_t count_ = 0;
  Span function_, risk_, maintenance_;
};

}  // namespace device
