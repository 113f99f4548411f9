// Presentation v1 building blocks (docs/formats.md) and response readers shared by the types.
#pragma once

#include <assay/sdk.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace device {

using assay::sdk::json;

/// {"presentation": 1, "prompt": ..., "material": [], "interactions": []}.
json presentation(const std::string& prompt);
json text_material(const std::string& text);
json table_material(const std::vector<std::string>& columns, const std::vector<std::vector<std::string>>& rows);
/// A choice interaction; `options` are (id, text) pairs.
json choice(const std::string& id, const std::string& prompt, const std::vector<std::pair<std::string, std::string>>& options,
            bool multiple = false);
/// The pass/fail options every verdict uses.
const std::vector<std::pair<std::string, std::string>>& pass_fail();

/// The single option id a choice response holds, or nullopt (absent, not an array, not one id).
std::optional<std::string> single_choice(const json& response, const std::string& id);
/// The text of `response[interaction][row][column]` in a table answer, or nullopt.
std::optional<std::string> table_cell(const json& response, const std::string& interaction, const std::string& row,
                                      const std::string& column);

/// "pass" / "fail".
inline const char* verdict_id(bool pass) { return pass ? "pass" : "fail"; }

}  // namespace device
