// The value each interaction type takes in response v1 (docs/formats.md, response.schema.json).
#include <map>

#include "assay/json_schema.hpp"
#include "presentation/detail.hpp"

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

}  // namespace assay::presentation
