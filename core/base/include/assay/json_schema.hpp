// A JSON Schema (2020-12) validator for the keywords Assay's own schemas and plugins' params
// schemas use (docs/plugins.md, "Params and their schema"):
//
//   type, enum, const, required, properties, patternProperties, additionalProperties, items,
//   prefixItems, minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf, minLength,
//   maxLength (code points), minItems, maxItems, minProperties, maxProperties, uniqueItems,
//   pattern (RE2), allOf, anyOf, oneOf, not, $ref and $defs.
//
// $ref is "#" plus a JSON Pointer into the same document (~0, ~1 and percent-encoding decoded),
// or a built-in schema's $id ("urn:assay:schema:presentation:1", optionally followed by
// "#/$defs/..."). Annotation keywords (title, description, default, examples, $comment,
// deprecated, readOnly, writeOnly, $schema, $id) and the engine's own "x-assay-*" keywords are
// accepted. validate_json skips any other keyword; check_schema names it, so that a plugin
// whose schema uses one is refused instead of being checked less than its author meant.
//
// Evaluation is linear in the schema times the value: a $ref is evaluated once per value it
// applies to, however many paths lead to it, and a bounded number of steps ends any schema.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace assay {

struct SchemaViolation {
  std::string pointer;  // RFC 6901 pointer into the instance ("" = the whole document)
  std::string message;  // "expected a string, found an integer"
  std::string hint;     // "did you mean 'tolerance'?"; empty when there is none
};

/// Every violation of `schema` by `instance`; empty when valid. Keywords check_schema would
/// refuse are skipped.
std::vector<SchemaViolation> validate_json(const nlohmann::json& schema, const nlohmann::json& instance);

/// What keeps `schema` from being checked as written: each keyword the validator does not
/// implement, each keyword value it cannot use (a negative minLength, a pattern RE2 refuses, a
/// $ref that does not resolve). `pointer` points into the schema. Empty when the schema is usable.
std::vector<SchemaViolation> check_schema(const nlohmann::json& schema);

/// The schema shipped in sdk/schemas/<name>.schema.json ("presentation", "response", "attempt",
/// "result", "candidate"), compiled into the binary. Throws std::out_of_range for an unknown name.
const nlohmann::json& builtin_schema(const std::string& name);

}  // namespace assay
