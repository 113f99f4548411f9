// device-maintenance/performance-verification: analyser measurements against settings
// (defibrillator energy, infusion pump volume, NIBP and SpO2 simulators); the candidate computes
// each error and judges it against the tolerance.
#pragma once

#include <assay/sdk.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "decimal_math.hpp"
#include "tolerance.hpp"

namespace device {

class PerformanceVerification {
 public:
  static constexpr const char* kName = "performance-verification";
  static constexpr const char* kSummary =
      "compute the error of each analyser measurement against its setting and judge it within tolerance";

  enum class Device { kDefibrillator, kInfusionPump, kNibp, kSpo2 };

  /// One measurement point with its key.
  struct Point {
    std::vector<std::string> cells;  // the material row
    Decimal measured;                // defibrillator J, NIBP mmHg, SpO2 %; infusion: 60 × volume (mL·min/h)
    Decimal reference;               // the setting; infusion: rate × minutes (same unit as measured)
    Decimal error;                   // the key: measured − reference, or the flow error % rounded to places
    bool pass = false;
  };

  static assay::sdk::json schema();
  static std::vector<assay::sdk::Criterion> criteria();
  static std::vector<assay::sdk::Example> examples();
  static PerformanceVerification prepare(const assay::sdk::json& params);

  std::vector<Point> points(std::uint64_t seed) const;
  /// Whether a candidate's error is right for `point` (exact for differences; within one unit of
  /// the last asked decimal for percentages).
  bool error_ok(const Point& point, Decimal answer) const;

  assay::sdk::json present(std::uint64_t seed) const;
  std::vector<assay::sdk::Credit> score(std::uint64_t seed, const assay::sdk::json& response) const;
  assay::sdk::json solve(std::uint64_t seed) const;
  std::string feedback(std::uint64_t seed, const assay::sdk::json& response) const;

 private:
  /// Per point (row id): the error given, in the error's unit, and the verdict; the overall
  /// verdict. Unanswered parts are absent; malformed cells and choices: sdk::ResponseError.
  struct Answer {
    std::map<std::string, Decimal> errors;
    std::map<std::string, std::string> verdicts;
    std::optional<std::string> overall;
  };
  Answer read(const std::vector<Point>& points, const assay::sdk::json& response) const;

  struct Setting {
    Decimal value;    // J, mmHg, % ; infusion: rate mL/h
    Decimal minutes;  // infusion only
    std::optional<Decimal> fixed_reading;
  };
  Point make_point(const Setting& s, Decimal reading) const;
  /// The reading generated at setting `s` for the deviation `dev` (not a fixed point).
  Decimal reading_at(const Setting& s, Decimal dev) const;

  Device device_ = Device::kDefibrillator;
  std::string equipment_;
  std::string specification_;
  std::vector<Setting> settings_;
  std::optional<Range> deviation_;
  Tolerance tolerance_;
  int places_ = 1;
};

}  // namespace device
