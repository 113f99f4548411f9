// device-maintenance/pm-planning: an equipment inventory scored for the scheduled maintenance
// programme, with (optionally) the maintenance interval of each included device and the list of
// overdue high-risk devices in a work-order history.
//
// The scoring method (EM = function + physical risk + maintenance, after Fennigkoh & Smith 1989),
// its inclusion threshold, the EM bands that set the interval and the high-risk level are not
// confirmed from a published source, so every one of them is the item's param (the interval
// bands with their own source); nothing of the method is built in beyond the sum.
#pragma once

#include <assay/sdk.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "dates.hpp"
#include "decimal_math.hpp"

namespace device {

class PmPlanning {
 public:
  static constexpr const char* kName = "pm-planning";
  static constexpr const char* kSummary =
      "score an equipment inventory (function + physical risk + maintenance), decide inclusion in scheduled maintenance "
      "and the interval, and list the overdue high-risk devices";

  struct Device {
    std::string name;
    std::int64_t function = 0, risk = 0, maintenance = 0;
    std::int64_t em = 0;          // the key: function + risk + maintenance
    bool include = false;         // the key: em >= threshold
    std::int64_t months = 0;      // the key: the interval band's months (0 when not included or no bands)
    bool high_risk = false;       // the key: included and em >= high_risk
    std::optional<Date> last_pm;  // the latest completed PM in the history
    std::optional<Date> due;      // last_pm + months
    bool overdue = false;         // the key: high-risk and (no PM on record or as_of after due)
  };
  /// One row of the work-order history.
  struct Order {
    std::string wo, device;
    bool pm = true;  // a scheduled maintenance order; false for a repair
    Date completed;
  };
  struct Plan {
    std::vector<Device> devices;
    std::vector<Order> history;
  };
  /// An interval band: devices with EM >= from get `months` (the highest band reached applies).
  struct Band {
    std::int64_t from = 0, months = 0;
  };

  static assay::sdk::json schema();
  static std::vector<assay::sdk::Criterion> criteria();
  static std::vector<assay::sdk::Example> examples();
  static PmPlanning prepare(const assay::sdk::json& params);

  /// The inventory and history for `seed`, with the key derived from them.
  Plan plan(std::uint64_t seed) const;
  /// Whether a device name names life-support equipment (a ventilator, a defibrillator or AED, an
  /// anaesthesia machine, an infusion pump, ...), which never gets random scores nor falls below
  /// the threshold.
  static bool is_life_support(const std::string& name);
  std::vector<Device> inventory(std::uint64_t seed) const { return plan(seed).devices; }

  assay::sdk::json present(std::uint64_t seed) const;
  std::vector<assay::sdk::Credit> score(std::uint64_t seed, const assay::sdk::json& response) const;
  assay::sdk::json solve(std::uint64_t seed) const;
  std::string feedback(std::uint64_t seed, const assay::sdk::json& response) const;

 private:
  struct Span {
    std::int64_t min = 0, max = 0;
  };
  /// Per device row: the EM score, decision and interval in months (nullopt for '-'); the
  /// overdue list (nullopt when unanswered). Unanswered parts are absent; malformed cells and
  /// choices: sdk::ResponseError.
  struct Answer {
    std::map<std::string, Decimal> em;
    std::map<std::string, std::string> decision;
    std::map<std::string, std::optional<Decimal>> interval;
    std::optional<std::set<std::string>> overdue;
  };
  Answer read(const std::vector<Device>& inv, const assay::sdk::json& response) const;
  bool asks_intervals() const { return !bands_.empty(); }
  bool asks_overdue() const { return as_of_.has_value(); }

  std::string policy_;
  std::int64_t threshold_ = 0;
  std::vector<Device> fixed_;
  std::vector<Order> fixed_history_;
  std::vector<std::string> names_;
  std::vector<Device> table_;  // generated from a per-device-type score table instead of spans
  std::size_t count_ = 0;
  Span function_, risk_, maintenance_;
  std::vector<Band> bands_;  // ascending `from`; empty when intervals are not asked
  std::string interval_source_;
  std::int64_t high_risk_ = 0;
  std::optional<Date> as_of_;
  Span orders_, days_back_;  // generated history: orders per device, days before as_of
};

}  // namespace device
