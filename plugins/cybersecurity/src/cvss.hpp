// CVSS v3.1 (FIRST, CVSS v3.1 Specification Document, §5–7 and Appendix A): vector strings,
// base and temporal scores, severity bands.
//
// The equations run in binary floating point exactly as the specification's reference calculator
// does, and every result goes through Appendix A's Roundup, which works on an integer (the value
// scaled by 100000 and rounded) so that binary noise such as 4.000000000000001 cannot push a
// score up a tenth. Scores come back as exact decimals with one decimal place.
#pragma once

#include <assay/sdk.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace assay::cyber::cvss {

using sdk::Decimal;

enum class Group { kBase, kTemporal, kEnvironmental };

/// One metric of the v3.1 vector: its abbreviation, group and allowed values in Table 15 order.
struct MetricDef {
  std::string_view abbr;
  std::string_view name;
  Group group;
  std::vector<std::string_view> values;
};

/// Every v3.1 metric, in the preferred order of the specification's Table 15.
const std::vector<MetricDef>& metrics();
/// The definition of `abbr`, or nullptr for a name that is not a v3.1 metric.
const MetricDef* find_metric(std::string_view abbr);
/// The eight base metrics in Table 15 order: AV AC PR UI S C I A.
const std::vector<std::string_view>& base_metrics();

/// A parsed, valid vector: a value for every metric (omitted temporal and environmental metrics
/// are "X", Not Defined).
class Vector {
 public:
  /// The value of `abbr` ("N"); "X" for an omitted optional metric.
  std::string_view get(std::string_view abbr) const;
  /// The canonical text: prefix, base metrics, then any defined optional metric, in Table 15
  /// order ("CVSS:3.1/AV:N/AC:L/...").
  std::string to_string() const;
  /// Whether any temporal metric is defined (not X).
  bool has_temporal() const;

  void set(std::string_view abbr, std::string_view value);

 private:
  std::vector<std::string> values_ = std::vector<std::string>(metrics().size(), "X");
};

/// Why a vector string was refused: a message starting "invalid vector" and the metric at fault
/// (empty when the fault is not one metric's, e.g. a missing prefix).
struct VectorError {
  std::string message;
  std::string metric;
};

/// A vector or the reason it was refused.
struct Parsed {
  std::optional<Vector> vector;
  VectorError error;
  explicit operator bool() const { return vector.has_value(); }
};

/// Parses a v3.1 vector string per §6: prefix "CVSS:3.1/", Metric:Value pairs separated by "/",
/// any order, every base metric present, no metric twice, values from the metric's list.
///
/// `forgiving` reads a vector as a candidate types it, for responses: white space anywhere and
/// a final '/' are dropped, metric names and values are read in any case (Table 15 writes them
/// in upper case; "av:n" can only mean "AV:N"), and a vector without the prefix is read as v3.1.
/// Another version's prefix ("CVSS:3.0/") is still refused. The vector read is canonical.
Parsed try_parse(std::string_view text, bool forgiving = false);

/// Appendix A: the smallest number with one decimal place that is >= x, computed as
/// `i = round(x * 100000)`; `i % 10000 == 0 ? i / 100000 : (floor(i / 10000) + 1) / 10`.
Decimal roundup(double x);

/// The base score (§7.1).
Decimal base_score(const Vector& v);
/// The temporal score (§7.2): Roundup(base × E × RL × RC).
Decimal temporal_score(const Vector& v);

/// The qualitative rating of §5 (Table 14): "none", "low", "medium", "high", "critical".
std::string severity(Decimal score);

}  // namespace assay::cyber::cvss
