// The assessment model: one TOML file per assessment, loaded into plain data, then checked
// against the plugins (docs/authoring.md).
//
//   try_load_assessment(path)            TOML -> Assessment; every error of the file at once
//   validate_assessment(a, registry)     cross-references, blueprint, plugin prepare
//   try_prepare_assessment(a, registry)  the same, keeping the prepared items for scoring
//
// Nothing compared here is binary floating point: percentages and weights are exact decimals,
// points are 64-bit integers.
#pragma once

#include <assay/sdk/decimal.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "assay/diagnostic.hpp"
#include "assay/expected.hpp"
#include "assay/fraction.hpp"
#include "assay/plugins.hpp"

namespace assay::model {

using Decimal = sdk::Decimal;

enum class Kind { kScreening, kPractice };

/// "screening" / "practice".
std::string_view to_string(Kind kind);

/// A position in a source file (1-based line and column; 0 when unknown).
struct SourcePos {
  std::string file;
  int line = 0;
  int column = 0;
};

/// Key paths ("item[3].criteria[0].points", "item[3].params.readings[2].value_uA") to the
/// position of their value in the TOML file. A key path is dotted with 0-based indices.
class SourceMap {
 public:
  void add(std::string key_path, SourcePos pos) { map_.insert_or_assign(std::move(key_path), std::move(pos)); }
  /// The position of `key_path`, or of its nearest recorded ancestor, or of nothing (line 0).
  SourcePos find(std::string_view key_path) const;
  std::size_t size() const { return map_.size(); }

 private:
  std::map<std::string, SourcePos, std::less<>> map_;
};

/// A plugin requirement: `requires = { core-items = ">=1.0, <2" }`.
struct Requirement {
  std::string plugin;
  std::string range;  // version-range text, see VersionRange
};

/// A version range: comparators joined by commas (all must hold). Each comparator is
/// `>=V`, `>V`, `<=V`, `<V`, `=V` (or bare `V`), `^V` (same major, at least V; for 0.x the same
/// minor), or `~V` (same major.minor, at least V). V is 1 to 3 dot-separated numbers; missing
/// parts are 0. Pre-release and build suffixes of the plugin's version (`-rc1`, `+abc`) are
/// ignored when comparing.
class VersionRange {
 public:
  /// The range, or a message saying what is wrong ("expected a version after '>=', found ...").
  static Expected<VersionRange, std::string> parse(std::string_view text);
  /// Whether `version` ("1.2.3") satisfies every comparator; false for an unparsable version.
  bool satisfied_by(std::string_view version) const;
  const std::string& text() const { return text_; }

 private:
  enum class Op { kEq, kGe, kGt, kLe, kLt, kCaret, kTilde };
  struct Comparator {
    Op op;
    std::uint64_t v[3];
  };
  std::vector<Comparator> comparators_;
  std::string text_;
};

struct Competency {
  std::string id;
  std::string title;
  std::string framework;               // optional reference, e.g. "NICE DCWF 511"; "" when absent
  std::optional<Decimal> min_percent;  // conjunctive minimum, 0..100
};

struct Section {
  std::string id;
  std::string title;
  std::int64_t draw = 0;  // items drawn per candidate; 0 = all items of the pool
  bool shuffle = false;   // present the drawn items in a seeded random order
  std::string area;       // the outline area of its items ([[outline]] id); "" = none
};

/// A content area of the assessment's outline (`[[outline]]`): the share of a form's points the
/// author aims for, with a tolerance, and the public content outline the area follows.
struct OutlineArea {
  std::string id;
  std::string title;
  Decimal weight{0};     // target share of a form's maximum points, percent (0..100)
  Decimal tolerance{0};  // allowed distance from the target, in percentage points
  std::string source;    // the public outline (exam code, version, domain) or the hospital's reason
};

/// A rubric level of a rated criterion: a rater picks one; it earns `points`.
struct RubricLevel {
  std::string name;
  std::int64_t points = 0;
  std::string descriptor;
};

struct CriterionSpec {
  std::string id;                   // one of the criteria the item type declares
  std::int64_t points = 0;          // may be negative (a penalty)
  bool critical = false;            // less than full credit fails the screening
  std::vector<RubricLevel> levels;  // rated criteria only, best first as written
};

/// A picture shown with an item (`[[item.figure]]`): a PNG, JPEG, GIF or WebP file beside the
/// TOML, shown after the plugin's material. The engine's, not the plugin's: any item type has them.
struct Figure {
  std::string file;        // as written: relative to the TOML file's folder
  std::string alt;         // what the picture shows, for a screen reader and the terminal
  std::string caption;     // shown under it; may be empty
  std::string media_type;  // "image/png", "image/jpeg", "image/gif" or "image/webp", from the bytes
  std::string bytes;
};

struct Item {
  std::string id;
  std::string title;  // for staff: results, reports and reasons name the item by it ("" = its id)
  std::string section;
  std::string competency;
  std::string type;  // "plugin/type"
  std::vector<CriterionSpec> criteria;
  bool critical = false;  // any shortfall on the item fails the screening
  Decimal weight{1};
  std::string source;       // where the facts come from
  std::string explanation;  // shown to learners after submission
  std::string params_json;  // params as a JSON object (docs/authoring.md, conversion rules)
  std::string area;         // the outline area ([[outline]] id); "" = its section's
  std::vector<Figure> figures;

  /// Sum of the positive criterion points (the item's maximum before weight).
  std::int64_t max_points() const;
};

struct PerformanceLevel {
  std::string name;
  Decimal min_percent;
};

struct Outcome {
  Decimal pass_percent;
  std::vector<PerformanceLevel> levels;  // highest first
  bool allow_negative = false;           // item totals may go below 0
};

struct Assessment {
  std::int64_t schema = 1;
  std::string id;
  std::string title;
  std::string version;
  Kind kind = Kind::kScreening;
  std::vector<std::string> roles;
  std::int64_t time_limit_seconds = 0;  // 0 = untimed
  std::string description;
  std::vector<Requirement> requirements;
  std::vector<Competency> competencies;
  std::vector<Section> sections;
  std::vector<Item> items;
  std::vector<OutlineArea> outline;  // empty: no content outline declared
  Outcome outcome;

  std::filesystem::path path;                         // the TOML file as given to the loader
  std::string sha256;                                 // lowercase hex over the TOML bytes, then each included file's bytes
  std::vector<std::filesystem::path> included_files;  // in inclusion order
  SourceMap source_map;

  const Item* find_item(std::string_view item_id) const;
  const Section* find_section(std::string_view section_id) const;
  const Competency* find_competency(std::string_view competency_id) const;
  const OutlineArea* find_area(std::string_view area_id) const;
  /// The outline area item[i] counts for: its own `area`, else its section's; "" when neither.
  std::string_view area_of(const Item& item) const;
  /// Index into `items`, or -1.
  std::ptrdiff_t item_index(std::string_view item_id) const;
};

/// "image/png", "image/jpeg", "image/gif" or "image/webp" from a picture's first bytes; "" for
/// anything else (SVG among them: it can carry scripts).
std::string media_type_of_picture(std::string_view bytes);

/// The presentation material the engine adds after the plugin's for the item's figures: a JSON
/// array of `{"kind": "image", "figure": K, "media_type", "alt", "caption"}` (K from 1).
std::string figure_material(const Item& item);

/// For a reader on the machine that holds the assessment (`take`, `preview`): each `image`
/// material of `presentation` gains `path`, where its file is. Never for a presentation sent on.
void add_figure_paths(nlohmann::json& presentation, const Assessment& assessment, const Item& item);

/// Reads and checks one TOML file. On failure, every error found in the file (syntax, types,
/// unknown keys, missing keys, include errors), each with file:line:col and key path.
Expected<Assessment> try_load_assessment(const std::filesystem::path& path);

/// An assessment with each item prepared by its plugin, ready for delivery and scoring.
struct LoadedAssessment {
  Assessment assessment;
  std::vector<plugins::PreparedItem> prepared;  // prepared[i] belongs to assessment.items[i]
  /// slots[i][j]: index, in the type's declared criteria (the order of the plugin's credits),
  /// of assessment.items[i].criteria[j].
  std::vector<std::vector<std::size_t>> slots;
};

/// Cross-reference and blueprint checks (as try_load_assessment makes them), then the plugin
/// checks: each item's type exists, its plugin is required at a version it satisfies, its
/// criteria are those the type declares, and its plugin's prepare accepts its params. Every
/// finding, sorted by position; empty when the assessment is sound. Items are prepared and
/// released again.
Diagnostics validate_assessment(const Assessment& assessment, const plugins::Registry& registry);

/// validate_assessment, keeping the prepared items. Errors as validate_assessment's.
Expected<LoadedAssessment> try_prepare_assessment(Assessment assessment, const plugins::Registry& registry);

/// try_load_assessment then try_prepare_assessment.
Expected<LoadedAssessment> try_load_and_prepare(const std::filesystem::path& path, const plugins::Registry& registry);

/// The range of one outline area's share of the points over every form the sections' draws can
/// make (docs/authoring.md, "Content outline"): exact fractions from 0 to 1.
struct AreaShare {
  std::size_t area = 0;          // index into Assessment::outline
  Fraction min;                  // the smallest share any form gives the area
  Fraction max;                  // the largest
  bool within_tolerance = true;  // [min, max] lies inside weight ± tolerance (percent)
};

/// Each outline area's exact minimum and maximum share of a form's maximum points (item points ×
/// weight), in outline order. Empty when the assessment declares no outline or when its items,
/// sections or areas do not fit together (validation reports that).
std::vector<AreaShare> outline_shares(const Assessment& assessment);

/// "outline 'Electrical safety': 18.2%-27.3% of points (target 25% ± 5%)": the minimum rounded
/// down and the maximum rounded up to one place, so the range shown is never narrower than it is.
std::string describe_share(const Assessment& assessment, const AreaShare& share);

/// Everything `assay validate` reports about one file: load, structure and plugin checks in one
/// run (plugin checks skip items that already have errors).
struct FileReport {
  Diagnostics diagnostics;
  bool unreadable = false;  // the file could not be read at all
  std::size_t items = 0;
  std::string sha256;                // the assessment's digest (see Assessment::sha256); empty when the file did not parse
  std::vector<std::string> outline;  // describe_share of each outline area; empty when not computed
};
FileReport validate_file(const std::filesystem::path& path, const plugins::Registry& registry);

/// What `assay preview` shows of one item.
struct PreviewOptions {
  std::uint64_t seed = 1;               // the item seed the plugin receives
  bool key = false;                     // also show the solved response (the key)
  std::optional<std::string> response;  // also score this response v1 document
  bool color = false;
};

/// The item as the candidate sees it for that seed, then the key and the credit per criterion
/// when asked. Errors: an unknown item id (with the nearest), a response that is not JSON, or a
/// plugin call that fails (with the plugin's message).
Expected<std::string> preview_item(const LoadedAssessment& assessment, std::string_view item_id, const PreviewOptions& options);

/// "item[3].params" + "/readings/2/value_uA" -> "item[3].params.readings[2].value_uA", using
/// `params` to tell array indices from object keys. Keys that are not bare words are quoted.
std::string pointer_to_key_path(std::string_view prefix, std::string_view pointer, const nlohmann::json& params);

}  // namespace assay::model
