// What json_schema.cpp (validating a value) and json_schema_check.cpp (checking a schema) share:
// the keywords the validator implements, $ref resolution, compiled patterns and the words of
// its messages. Internal to the base module.
#pragma once

#include <re2/re2.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace assay::schema_internal {

using json = nlohmann::json;

/// Deeper than this, a schema or a value is refused rather than followed.
inline constexpr int kMaxDepth = 128;

/// The validation keywords the validator implements; anything else in a schema is refused.
inline constexpr std::string_view kValidationKeywords[] = {"type",
                                                           "enum",
                                                           "const",
                                                           "required",
                                                           "properties",
                                                           "patternProperties",
                                                           "additionalProperties",
                                                           "items",
                                                           "prefixItems",
                                                           "minimum",
                                                           "maximum",
                                                           "exclusiveMinimum",
                                                           "exclusiveMaximum",
                                                           "multipleOf",
                                                           "minLength",
                                                           "maxLength",
                                                           "minItems",
                                                           "maxItems",
                                                           "minProperties",
                                                           "maxProperties",
                                                           "uniqueItems",
                                                           "pattern",
                                                           "allOf",
                                                           "anyOf",
                                                           "oneOf",
                                                           "not",
                                                           "$ref",
                                                           "$defs"};
inline constexpr std::string_view kAnnotationKeywords[] = {"title",      "description", "default",   "examples", "$comment",
                                                           "deprecated", "readOnly",    "writeOnly", "$schema",  "$id"};

inline bool listed(std::string_view word, std::span<const std::string_view> words) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

/// The kind of a JSON value in the words users see ("a string", "an object").
const char* found_kind(const json& j);

/// A value as a message quotes it: a string in quotes, anything else as JSON, cut when long.
std::string show(const json& v);

/// A count keyword's value (2 or 2.0), when it is a non-negative integer.
std::optional<std::size_t> as_count(const json& j);

/// A pattern compiled once by RE2; `re` null when RE2 does not accept it (`error` says why).
struct CompiledPattern {
  std::unique_ptr<RE2> re;
  std::string error;
};
const CompiledPattern& compiled(const std::string& pattern);

/// Where a $ref leads: the document it is in and the schema it names (null when it does not resolve).
struct Target {
  const json* document = nullptr;
  const json* schema = nullptr;
};
Target resolve_ref(const json& root, const std::string& ref);

}  // namespace assay::schema_internal
