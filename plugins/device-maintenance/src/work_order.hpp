// device-maintenance/work-order: a completed CMMS work order as named fields; the technician
// finds what is missing or inconsistent. Each finding is a rule defined here and selected by the
// item's params; the key is these rules run over the order's fields, so an author's own order and
// a generated one are keyed the same way.
#pragma once

#include <assay/sdk.hpp>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "dates.hpp"

namespace device {

class WorkOrder {
 public:
  static constexpr const char* kName = "work-order";
  static constexpr const char* kSummary = "find what is missing or inconsistent in a completed CMMS work order";

  /// The order's fields, as text; "" is a field left empty.
  struct Fields {
    std::string wo_number, asset_tag, device, kind, opened, test_date, return_to_service, technician, electrical_safety,
        performance, labor_hours, work_done;
  };
  /// A check over the fields. `safety`: a finding that means a device may be in use unproven.
  struct Rule {
    const char* id;
    const char* text;
    bool safety;
  };

  /// Every rule the plugin knows, in the order they are presented.
  static const std::vector<Rule>& rules();
  /// The rule ids that hold for `f` among `selected` (all rules when empty), in rules() order.
  static std::vector<std::string> findings(const Fields& f, const std::set<std::string>& selected = {});

  static assay::sdk::json schema();
  static std::vector<assay::sdk::Criterion> criteria();
  static std::vector<assay::sdk::Example> examples();
  static WorkOrder prepare(const assay::sdk::json& params);

  Fields order(std::uint64_t seed) const;

  assay::sdk::json present(std::uint64_t seed) const;
  std::vector<assay::sdk::Credit> score(std::uint64_t seed, const assay::sdk::json& response) const;
  assay::sdk::json solve(std::uint64_t seed) const;
  std::string feedback(std::uint64_t seed, const assay::sdk::json& response) const;

 private:
  struct Span {
    std::int64_t min = 0, max = 0;
  };
  /// The problems a response claims ("none" alone is none). A problem that is not offered, or
  /// "none" beside problems, is malformed.
  std::set<std::string> claims(const assay::sdk::json& response) const;

  std::set<std::string> selected_;
  std::optional<Fields> fixed_;
  std::vector<std::string> devices_, technicians_;
  Date from_, to_;
  Span defects_;
};

}  // namespace device
