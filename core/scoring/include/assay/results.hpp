// Result v1: what scoring one attempt gives (docs/formats.md). The full view is for the
// organisation; candidate_view() is what a candidate may see.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "assay/expected.hpp"
#include "assay/fraction.hpp"

namespace assay::scoring {

enum class ItemStatus {
  kScored,      // answered and scored
  kUnanswered,  // no response: scores 0
  kInvalid,     // the plugin refused the response as malformed: scores 0
  kExcluded,    // excluded through the overlay: counts for no one
  kFailed,      // the plugin failed to score it (an error inside the plugin, not the candidate's): scores 0
};

/// "scored", "unanswered", "invalid", "excluded", "failed".
const char* to_string(ItemStatus status);

enum class Outcome { kPass, kFail, kPending };
/// "pass", "fail", "pending".
const char* to_string(Outcome outcome);

struct CriterionResult {
  std::string id;
  std::int64_t points = 0;  // as the author gave them (negative for a penalty)
  bool critical = false;
  bool rated = false;
  std::optional<Fraction> credit;  // the plugin's credit, or the rater's level over the points;
                                   // none while a rated criterion awaits its rating
  std::string level;               // rated criteria: the level given
  Fraction earned;                 // credit × points (0 while pending)
};

struct ItemResult {
  std::string id;
  std::string title;  // the item's title for staff ("" when it has none); full view only
  std::string section;
  std::string competency;
  std::string type;  // "plugin/type"
  std::uint64_t seed = 0;
  ItemStatus status = ItemStatus::kScored;
  bool critical = false;
  Fraction weight{1};
  std::vector<CriterionResult> criteria;
  Fraction raw;           // sum of the criteria's earned points, floored at 0 unless negative marking
  Fraction points;        // raw × weight (0 when excluded)
  Fraction max;           // positive criterion points × weight (0 when excluded)
  bool pending = false;   // a rated criterion awaits its rating
  std::string exclusion;  // the reason, when excluded
  std::string response;   // the response v1 text scored ("" when unanswered); full view only
  std::string feedback;   // the plugin's feedback (reports fill it; never in the candidate view)
};

/// A section's or competency's total over the items on the form that count.
struct Total {
  std::string id;
  std::string title;
  Fraction points;
  Fraction max;
  Fraction percent;                     // 100 × points / max; 0 when max is 0
  std::optional<Fraction> min_percent;  // competencies with a minimum
};

/// One reason for the outcome (or one problem with the attempt's input), as a code plus text.
struct Reason {
  std::string code;        // below_pass_mark, competency_below_minimum, critical_missed; or for
                           // problems: response_not_on_form, invalid_response, scoring_failed, unknown_level
  std::string text;        // one lowercase sentence for people
  std::string item;        // when the reason concerns an item
  std::string criterion;   // ... a criterion of it
  std::string competency;  // ... a competency
};

struct Exclusion {
  std::string item;
  std::string reason;
};

struct ScoreResult {
  std::string attempt_id;
  std::string candidate_id;
  std::string assessment_id;
  std::string assessment_version;
  std::string assessment_sha256;
  std::string assessment_title;
  std::string mode = "screening";
  std::map<std::string, std::string> plugins;  // plugin name → version, for the items scored
  std::vector<ItemResult> items;               // form order
  std::vector<Total> sections;                 // assessment order, those on the form
  std::vector<Total> competencies;             // assessment order, those on the form
  Fraction points;
  Fraction max;
  Fraction percent;
  Fraction pass_percent;
  Outcome outcome = Outcome::kPending;
  std::string level;             // the performance level reached; "" when none or not passed
  std::vector<Reason> reasons;   // why it failed (empty on a pass)
  std::vector<Reason> problems;  // input problems found and handled (each item scored 0)
  std::vector<Reason> pending;   // rated criteria awaiting a rating
  std::vector<Exclusion> excluded;
};

/// Result v1, full view, members in a fixed order (equal results give equal bytes).
nlohmann::json to_json(const ScoreResult& result);

/// The candidate's view: the full view without criteria, feedback, rater levels or anything
/// that names a criterion (a critical_missed reason keeps only its item).
nlohmann::json candidate_view(const ScoreResult& result);

/// to_json(result).dump(), written straight into text without building a JSON tree: the same
/// bytes. Like dump(), throws nlohmann::json::type_error on a string that is not UTF-8.
std::string to_json_text(const ScoreResult& result);
/// to_json_text appended to `out`.
void append_json_text(std::string& out, const ScoreResult& result);
/// candidate_view(result).dump(), written the same way.
std::string candidate_view_text(const ScoreResult& result);

/// Reads a result v1 document (full view). Errors name the member in key-path form.
Expected<ScoreResult, std::vector<std::string>> try_result_from_json(const nlohmann::json& j);

}  // namespace assay::scoring
