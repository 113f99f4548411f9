// Response v1 checked against the interactions it answers (docs/formats.md, response.schema.json).
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "assay/json_schema.hpp"
#include "detail.hpp"

namespace assay::presentation {

namespace {

using json = nlohmann::json;

const json& response_schema() {
  static const json schema = builtin_schema("response");
  return schema;
}

}  // namespace

const nlohmann::json& value_schema(std::string_view type) {
  // Each $defs entry as a schema of its own, its references resolved in the same $defs.
  static const std::map<std::string, json, std::less<>> by_name = [] {
    std::map<std::string, json, std::less<>> out;
    const auto& defs = response_schema().at("$defs");
    for (const auto& [name, def] : defs.items()) out[name] = json{{"$defs", defs}, {"$ref", "#/$defs/" + name}};
    return out;
  }();
  auto it = by_name.find(type);
  return it != by_name.end() ? it->second : by_name.at("value");
}

const nlohmann::json& InteractionType::value_schema() const { return presentation::value_schema(name); }

std::string check_response(const nlohmann::json& response, const nlohmann::json& presentation) {
  if (!response.is_object()) return "an answer is a JSON object with one member per interaction";
  static const json none = json::array();
  auto listed = presentation.find("interactions");
  const json& interactions = listed != presentation.end() && listed->is_array() ? *listed : none;
  for (const auto& [key, value] : response.items()) {
    auto it = std::find_if(interactions.begin(), interactions.end(), [&key = key](const json& i) {
      auto id = i.find("id");
      return i.is_object() && id != i.end() && *id == key;
    });
    if (it == interactions.end()) return fmt::format("this item has no interaction '{}'", key);
    auto type = it->value("type", "");
    auto violations = validate_json(value_schema(type), value);
    if (!violations.empty())
      return fmt::format("interaction '{}' ({}): #{}: {}", key, type, violations.front().pointer, violations.front().message);
  }
  auto violations = validate_json(response_schema(), response);
  if (!violations.empty()) return fmt::format("#{}: {}", violations.front().pointer, violations.front().message);
  return "";
}

}  // namespace assay::presentation
