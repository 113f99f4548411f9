// A small JSON Schema validator for the subset Assay's own schemas and plugins' params schemas
// use: type, enum, const, properties, required, additionalProperties, items, prefixItems,
// minItems, maxItems, minProperties, maxProperties, minLength, maxLength, pattern (RE2), minimum, maximum, oneOf, anyOf, allOf,
// $ref to "#/$defs/..." and to a built-in schema by its $id ("urn:assay:schema:presentation:1",
// optionally followed by "#/$defs/..."). Unknown keywords are ignored, as the specification says.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace assay {

struct SchemaViolation {
  std::string pointer;  // RFC 6901 pointer into the instance ("" = the whole document)
  std::string message;  // "expected a string, found an integer"
};

/// Every violation of `schema` by `instance`; empty when valid.
std::vector<SchemaViolation> validate_json(const nlohmann::json& schema, const nlohmann::json& instance);

/// The schema shipped in sdk/schemas/<name>.schema.json ("presentation", "response", "attempt",
/// "result", "candidate"), compiled into the binary. Throws std::out_of_range for an unknown name.
const nlohmann::json& builtin_schema(const std::string& name);

}  // namespace assay
