// check_schema: a plugin's params schema walked keyword by keyword, each one the validator does not
// implement refused by name (json_schema.cpp validates values against it).
#include <algorithm>
#include <assay/sdk/params.hpp>
#include <string>
#include <vector>

#include "assay/diagnostic.hpp"
#include "assay/json_schema.hpp"
#include "json_schema_internal.hpp"

namespace assay {

namespace {

using namespace schema_internal;

/// check_schema's walk over one schema and its subschemas.
class SchemaCheck {
 public:
  explicit SchemaCheck(const json& root) : root_(root) {}

  void walk(const json& s, const std::string& ptr, int depth = 0) {
    if (depth > kMaxDepth) {
      add(ptr, "the schema nests more than " + std::to_string(kMaxDepth) + " levels deep");
      return;
    }
    if (s.is_boolean()) return;
    if (!s.is_object()) {
      add(ptr, std::string("expected a schema (a JSON object, true or false), found ") + found_kind(s));
      return;
    }
    for (auto it = s.begin(); it != s.end(); ++it) {
      const std::string& k = it.key();
      const json& val = *it;
      std::string at = sdk::pointer_join(ptr, k);
      if (k.starts_with("x-assay-") || listed(k, kAnnotationKeywords)) continue;
      if (!listed(k, kValidationKeywords)) {
        std::vector<std::string> known(std::begin(kValidationKeywords), std::end(kValidationKeywords));
        std::string message = "keyword '" + k + "' is not implemented by this assay";
        if (auto near = nearest(k, known); !near.empty()) message += " (did you mean '" + near + "'?)";
        add(at, message);
        continue;
      }
      if (k == "type") {
        auto known_type = [](const json& t) {
          if (!t.is_string()) return false;
          const auto& n = t.get_ref<const std::string&>();
          return n == "null" || n == "object" || n == "array" || n == "string" || n == "boolean" || n == "integer" ||
                 n == "number";
        };
        bool ok = known_type(val) || (val.is_array() && !val.empty() && std::all_of(val.begin(), val.end(), known_type));
        if (!ok) add(at, "expected a type name or an array of them (null, boolean, object, array, number, integer, string)");
      } else if (k == "enum") {
        if (!val.is_array()) add(at, std::string("expected an array, found ") + found_kind(val));
      } else if (k == "required") {
        if (!val.is_array() || !std::all_of(val.begin(), val.end(), [](const json& x) { return x.is_string(); }))
          add(at, "expected an array of strings");
      } else if (k == "properties" || k == "patternProperties" || k == "$defs") {
        if (!val.is_object()) {
          add(at, std::string("expected an object of schemas, found ") + found_kind(val));
          continue;
        }
        for (auto p = val.begin(); p != val.end(); ++p) {
          if (k == "patternProperties") pattern(sdk::pointer_join(at, p.key()), p.key());
          walk(*p, sdk::pointer_join(at, p.key()), depth + 1);
        }
      } else if (k == "additionalProperties" || k == "items" || k == "not") {
        walk(val, at, depth + 1);
      } else if (k == "prefixItems" || k == "allOf" || k == "anyOf" || k == "oneOf") {
        if (!val.is_array() || val.empty()) {
          add(at, std::string("expected a non-empty array of schemas, found ") + found_kind(val));
          continue;
        }
        for (std::size_t i = 0; i < val.size(); ++i) walk(val[i], at + "/" + std::to_string(i), depth + 1);
      } else if (k == "minimum" || k == "maximum" || k == "exclusiveMinimum" || k == "exclusiveMaximum") {
        if (!val.is_number()) add(at, std::string("expected a number, found ") + found_kind(val));
      } else if (k == "multipleOf") {
        if (!val.is_number() || val.get<double>() <= 0) add(at, "expected a number greater than 0, found " + show(val));
      } else if (k == "minLength" || k == "maxLength" || k == "minItems" || k == "maxItems" || k == "minProperties" ||
                 k == "maxProperties") {
        if (!as_count(val)) add(at, "expected a non-negative integer, found " + show(val));
      } else if (k == "uniqueItems") {
        if (!val.is_boolean()) add(at, std::string("expected true or false, found ") + found_kind(val));
      } else if (k == "pattern") {
        if (!val.is_string())
          add(at, std::string("expected a string, found ") + found_kind(val));
        else
          pattern(at, val.get_ref<const std::string&>());
      } else if (k == "$ref") {
        if (!val.is_string())
          add(at, std::string("expected a string, found ") + found_kind(val));
        else if (resolve_ref(root_, val.get_ref<const std::string&>()).schema == nullptr)
          add(at, "'" + val.get<std::string>() +
                      "' does not resolve: a $ref is '#' and a JSON Pointer into this schema, or a built-in schema's $id");
      }
    }
  }

  std::vector<SchemaViolation> problems;

 private:
  void add(const std::string& ptr, std::string message) { problems.push_back({ptr, std::move(message), ""}); }

  void pattern(const std::string& ptr, const std::string& text) {
    const auto& c = compiled(text);
    if (!c.re) add(ptr, "'" + text + "' is not a regular expression RE2 accepts (" + c.error + ")");
  }

  const json& root_;
};

}  // namespace

std::vector<SchemaViolation> check_schema(const nlohmann::json& schema) {
  SchemaCheck c(schema);
  c.walk(schema, "");
  return std::move(c.problems);
}

}  // namespace assay
