// assay/sdk/item.hpp — what an item type class declares besides its behaviour: its criteria, its
// worked examples, and the JSON Schema of its params.
#ifndef ASSAY_SDK_ITEM_HPP
#define ASSAY_SDK_ITEM_HPP

#include <assay/sdk/credit.hpp>
#include <assay/sdk/params.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace assay::sdk {

/// One thing an item type scores; `rated` ones are scored by a person against a rubric.
/// `safety` ones (ABI 1.1) earn full credit unless the response makes the unsafe error, so an
/// over-cautious answer never loses them: only these should be marked critical by authors.
struct Criterion {
  std::string id;
  std::string description;
  bool rated = false;
  bool safety = false;
};

/// A response to a worked example and the credits it earns.
struct ExampleResponse {
  std::string label;
  json response;
  std::vector<Credit> expected;  // one per criterion, in declaration order
};

/// A response that cannot be read as an answer for the example's params (ABI 1.1): `score`
/// must throw ResponseError for it with a message the candidate can act on.
struct MalformedResponse {
  std::string label;  // "unknown unit"
  json response;
};

/// A worked example `assay plugin-check` runs: params, a seed, responses with their credits and
/// responses that are malformed for these params.
struct Example {
  std::string name;
  json params;
  json alt_secret = json::object();  // members replacing secret params for the key-flip check
  std::uint64_t seed = 1;
  std::vector<ExampleResponse> responses;
  std::vector<MalformedResponse> malformed = {};
};

/// A JSON Schema object for a params table: `properties` and `required`, no other members.
inline json object_schema(json properties, std::vector<std::string> required = {}) {
  return json{{"$schema", "https://json-schema.org/draft/2020-12/schema"},
              {"type", "object"},
              {"properties", std::move(properties)},
              {"required", std::move(required)},
              {"additionalProperties", false}};
}

/// Marks a property schema as secret (part of the answer key).
inline json secret(json property_schema) {
  property_schema["x-assay-secret"] = true;
  return property_schema;
}

/// Declares that `present` draws material from the item seed ("x-assay-material": "generated"
/// at the schema's root): `assay plugin-check` then requires an example whose material changes
/// with the seed. An annotation, so it needs no newer ABI.
inline json generated_material(json params_schema) {
  params_schema["x-assay-material"] = "generated";
  return params_schema;
}

/// Declares response fields (interaction ids) whose solved values the candidate is meant to see
/// in the material, such as a field to copy out of a shown message ("x-assay-shown" at the
/// schema's root): the key-leak heuristic of `assay plugin-check` does not report them.
inline json shown_material(json params_schema, std::vector<std::string> fields) {
  params_schema["x-assay-shown"] = std::move(fields);
  return params_schema;
}

}  // namespace assay::sdk

#endif  // ASSAY_SDK_ITEM_HPP
