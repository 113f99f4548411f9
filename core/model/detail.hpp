// Internals shared by the loader and the validator.
#pragma once

#include <filesystem>
#include <vector>

#include "assay/model.hpp"

namespace assay::model::detail {

struct LoadState {
  Assessment assessment;
  Diagnostics diagnostics;
  std::vector<bool> item_ok;    // item[i] was read without error: its criteria checks may run
  std::vector<bool> params_ok;  // item[i]'s type and params were read without error: its params checks may run
  bool unreadable = false;      // the file itself could not be read
};

/// Reads the TOML file and the files it includes; records every error, never stops at the first.
LoadState load(const std::filesystem::path& path);

/// Checks that need only the file: ids, references, draw counts, totals, blueprint. `item_ok`
/// (empty: all) says which items were read without error; the others skip checks their errors
/// would only repeat.
void check_structure(const Assessment& a, const std::vector<bool>& item_ok, Diagnostics& out);

/// Checks that need the plugins: every params mistake of every item against its type's schema,
/// then the plugin's prepare. `item_ok` and `params_ok` (empty: all) say which items were read
/// without error, and which had their type and params read without error: an item's other
/// mistakes (an unknown key) do not hide its params mistakes. With `keep`, the prepared items
/// are moved into it.
void check_plugins(const Assessment& a, const std::vector<bool>& item_ok, const std::vector<bool>& params_ok,
                   const plugins::Registry& registry, Diagnostics& out, LoadedAssessment* keep);

/// Warnings, not errors: a criterion marked critical (or an item marked critical) that an
/// over-cautious answer can lose, because its type does not declare it a safety criterion
/// (ASSAY_CRITERION_SAFETY). Screenings only, where a critical miss fails the candidate. Only
/// `assay validate` reports them; loading does not.
void check_critical_safety(const Assessment& a, const std::vector<bool>& item_ok, const plugins::Registry& registry,
                           Diagnostics& out);

/// The outline's own checks (errors): unique area ids, weights that add up to 100, every `area`
/// naming an area, and every item in an area once an outline is declared.
void check_outline(const Assessment& a, Diagnostics& out);

/// Warnings, not errors: each area whose possible share of the points (outline_shares) leaves
/// its target ± tolerance. Only `assay validate` reports them.
void check_outline_shares(const Assessment& a, const std::vector<AreaShare>& shares, Diagnostics& out);

/// "item 'x': " for diagnostics about item[i] (empty when the item has no id).
std::string item_scope(const Assessment& a, std::size_t index);

/// A key path's element: idx("item", 2) is "item[2]".
inline std::string idx(const std::string& base, std::size_t i) { return base + "[" + std::to_string(i) + "]"; }

/// A diagnostic at the position the source map records for `key_path`.
Diagnostic at(const Assessment& a, const std::string& key_path, std::string message, std::vector<std::string> hints = {});

/// Orders diagnostics by line and column, keeping the order of equal positions.
void sort_by_position(Diagnostics& d);

}  // namespace assay::model::detail
