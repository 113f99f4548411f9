// What `assay types` prints: each item type described from its own contract (the params
// schema, the criteria, the first example), for authors (text), tools (JSON) and the generated
// reference pages under docs/types/ (Markdown).
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "assay/expected.hpp"
#include "assay/plugins.hpp"

namespace assay::model {

/// One line per loaded item type: "plugin/type  summary".
std::string types_listing(const plugins::Registry& registry);
/// The same as JSON: an array of {"type", "plugin", "summary"}.
nlohmann::json types_listing_json(const plugins::Registry& registry);

/// The type named "plugin/type", or a bare "type" that only one plugin declares. The error is
/// the user-facing message, with the nearest name.
Expected<const plugins::ItemType*, std::string> find_item_type(const plugins::Registry& registry, std::string_view name);

/// Everything known about one type: {"type", "plugin", "plugin_version", "summary", "params": [{"name",
/// "type", "required", "default"?, "description", "secret"}], "criteria": [{"id", "description",
/// "rated", "safety"}], "interactions": [...], "example": {"name", "toml"}}. "interactions" lists
/// the interaction types of the first example's presentation (empty when it cannot be shown);
/// "example" is absent when the type has none.
nlohmann::json describe_type(const plugins::ItemType& type);

/// describe_type as text for a terminal, and as a Markdown reference page.
std::string type_text(const nlohmann::json& description);
std::string type_markdown(const nlohmann::json& description);

/// The `[[item]]` table of the type's first example: id, section "main", competency "main",
/// type, params, and one criterion entry per declared criterion (1 point; rated ones with two
/// levels). Empty when the type has no example.
std::string example_item_toml(const plugins::ItemType& type);

/// A whole assessment around `item_toml` (kind practice, one section "main", one competency
/// "main", the item's plugin required at its loaded version): what `assay validate` should pass.
std::string minimal_assessment_toml(const plugins::ItemType& type, std::string_view item_toml);

}  // namespace assay::model
