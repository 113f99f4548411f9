// Forms and attempts (docs/formats.md, "Forms" and "Attempt v1"): the engine draws each candidate's items from the attempt
// seed and records them, so scoring never recomputes a form.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "assay/clock.hpp"
#include "assay/diagnostic.hpp"
#include "assay/expected.hpp"

namespace assay::model {
struct Assessment;
}
namespace assay::io {
struct Line;
}

namespace assay::delivery {

/// One drawn item and the seed its plugin receives.
struct FormItem {
  std::string item_id;
  std::uint64_t seed = 0;
  friend bool operator==(const FormItem&, const FormItem&) = default;
};

/// The drawn items in the order the candidate sees them.
struct Form {
  std::vector<FormItem> items;
  friend bool operator==(const Form&, const Form&) = default;
};

/// The seed of a section's draw: mix64(attempt_seed XOR fnv1a64("section:" + section id)).
std::uint64_t section_seed(std::uint64_t attempt_seed, std::string_view section_id);

/// The form for `attempt_seed` (docs/formats.md, "Forms"). Sections in assessment order; in
/// each, `draw` items (all when 0 or at least the pool) chosen by a partial Fisher–Yates over the
/// pool in file order with an assay_rng seeded with section_seed(); the chosen items keep file
/// order unless the section shuffles, in which case they stay in drawn order. Each item's seed is
/// assay_item_seed(attempt_seed, item id). Same seed, same form, on every platform.
Form draw_form(const model::Assessment& assessment, std::uint64_t attempt_seed);

/// Attempt v1: one candidate's sitting of one assessment (docs/formats.md).
struct Attempt {
  std::string attempt_id;
  std::string candidate_id;
  std::string assessment_id;
  std::string assessment_version;
  std::string assessment_sha256;
  std::uint64_t seed = 0;
  Form form;
  /// Item id → response v1 document as JSON text, passed to the plugin unchanged (as it stands in
  /// the attempts line when read by parse_attempt_line).
  std::map<std::string, std::string> answers;
  /// Item id → criterion id → rubric level name.
  std::map<std::string, std::map<std::string, std::string>> ratings;
  std::optional<TimePoint> started;
  std::optional<TimePoint> deadline;  // none when untimed
  std::optional<TimePoint> submitted;
  std::string mode = "screening";  // "screening" or "practice": decides what the candidate may see

  friend bool operator==(const Attempt&, const Attempt&) = default;
};

/// A new attempt: the form drawn from `seed`, the assessment's identity and digest recorded,
/// started now (read from `clock`), the deadline from the assessment's time limit.
Attempt start_attempt(const model::Assessment& assessment, std::string attempt_id, std::string candidate_id, std::uint64_t seed,
                      const Clock& clock);

/// Attempt v1 as JSON (the order of members is fixed, so equal attempts give equal bytes).
nlohmann::json to_json(const Attempt& attempt);

/// Reads attempt v1. Errors are messages naming the member in key-path form
/// ("form[2].seed: expected a decimal string, found 12"), one per problem found.
Expected<Attempt, std::vector<std::string>> try_attempt_from_json(const nlohmann::json& j);

/// One line of an attempts JSON Lines file, read: the attempt, or why it was refused — a JSON
/// error ("FILE:LINE:COL: error: invalid JSON: ...") or the attempt v1 errors of
/// try_attempt_from_json.
struct AttemptLine {
  std::optional<Attempt> attempt;
  std::optional<Diagnostic> json_error;
  std::vector<std::string> errors;
};

/// Reads one attempts line. A well-formed attempt is read in one validating pass without a JSON
/// tree, each response kept as compact JSON text; any other line is read by the full reader, so
/// the outcome and every message are those of parse_json_line and try_attempt_from_json. Safe to
/// call from several threads at once.
AttemptLine parse_attempt_line(const std::string& file, const io::Line& line);

/// An unsigned 64-bit decimal string ("18446744073709551615"); nullopt for anything else.
std::optional<std::uint64_t> parse_seed(std::string_view text);

}  // namespace assay::delivery
