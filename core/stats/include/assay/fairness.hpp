// Adverse impact and differential item functioning by group (`assay stats --groups FILE
// --group-by FIELD`). Group membership comes from its own file and goes only into these
// aggregates: it never enters results or anything a candidate or rater sees.
#pragma once

#include <cstddef>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "assay/diagnostic.hpp"
#include "assay/stats.hpp"

namespace assay::stats {

/// candidate_id -> group, from JSON Lines {"candidate_id": "...", "<field>": "<group>"}. A line
/// without the field (or with it null or "") leaves that candidate out; a line that is not a JSON
/// object, lacks a string candidate_id, gives a non-string group or repeats a candidate is an
/// error naming the line.
struct Groups {
  std::map<std::string, std::string> group_of;
  Diagnostics errors;
};
Groups read_groups(const std::string& file, std::string_view text, const std::string& field);

struct FairnessOptions {
  std::size_t min_group = 100;  // smaller groups get figures but no flag
  double pass_percent = -1;     // a pass is percent >= this, when the matrix holds no outcomes
  std::string reference;        // the DIF reference group; "" for the largest (ties: first by name)
};

/// Selection (pass) rate of one group and the four-fifths rule (29 CFR 1607.4(D)).
struct GroupRate {
  std::string group;
  std::size_t n = 0, passed = 0;
  double rate = 0;
  double impact_ratio = 0;        // rate / the highest group's rate
  std::optional<double> p_value;  // Fisher's exact test, two-sided, against the highest group
  bool judged = false;            // n >= min_group, and so is the highest group
  bool adverse_impact = false;    // judged and impact_ratio < 0.8
};

/// Mantel-Haenszel DIF of one 0/1 item for one focal group against the reference group.
struct DifItem {
  std::string item, focal;
  std::size_t n_reference = 0, n_focal = 0;
  std::optional<double> alpha_mh;    // common odds ratio, reference over focal
  std::optional<double> delta_mh;    // ETS delta scale: -2.35 ln alpha_mh (negative: harder for the focal group)
  std::optional<double> se_delta;    // 2.35 x the Robins-Breslow-Greenland SE of ln alpha_mh
  std::optional<double> chi_square;  // MH chi-square with continuity correction
  std::optional<double> p_value;
  std::string ets;  // "A", "B", "C"; "" when not judged (a group below min_group, no stratum with both)
  /// Items scored in partial credit instead: the standardised mean difference (Dorans and Kulick
  /// 1986), focal minus reference mean proportion of points per stratum weighted by the focal
  /// group's share; no ETS class.
  std::optional<double> smd;
};

struct Fairness {
  std::string field;
  std::string reference;  // FairnessOptions::reference, or the largest group
  std::string matching;   // how candidates were matched for DIF
  std::vector<GroupRate> rates;
  std::vector<DifItem> dif;
  std::size_t unknown = 0;  // persons without a group
};

/// `group` per person of `m` ("" unknown); `passed` per person (1 pass, 0 fail, -1 unknown), or
/// empty to judge by options.pass_percent on the proportion of points presented.
Fairness fairness(const Matrix& m, const std::vector<std::string>& group, const std::vector<int>& passed,
                  const FairnessOptions& options);

nlohmann::json to_json(const Fairness& f);
std::string to_text(const Fairness& f);

}  // namespace assay::stats
