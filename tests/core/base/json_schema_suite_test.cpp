// The official JSON-Schema-Test-Suite (draft 2020-12) for every keyword the validator implements
// (tests/fixtures/json-schema-test-suite/README.md). Each case asserts the suite's `valid`; each
// group also passes check_schema, so a group that needs an unimplemented keyword cannot pass
// unnoticed. The groups skipped are listed below, each with its reason.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <string_view>

#include "assay/json_schema.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kSuite = fs::path(ASSAY_TEST_FIXTURES) / "json-schema-test-suite" / "draft2020-12";

struct Skip {
  std::string_view file;
  std::string_view group;  // the group's "description"
  std::string_view why;
};

// Every group skipped, and why. Nothing else is skipped.
constexpr Skip kSkipped[] = {
    // Properties declared together with keywords Assay does not implement (refused at load).
    {"additionalProperties", "additionalProperties with propertyNames", "propertyNames is not implemented"},
    {"additionalProperties", "dependentSchemas with additionalProperties", "dependentSchemas is not implemented"},
    {"not", "collect annotations inside a 'not', even if collection is disabled", "unevaluatedProperties is not implemented"},
    {"ref", "ref creates new scope when adjacent to keywords", "unevaluatedProperties is not implemented"},
    {"ref", "ref to if", "if/then/else is not implemented"},
    {"ref", "ref to then", "if/then/else is not implemented"},
    {"ref", "ref to else", "if/then/else is not implemented"},
    // RE2 is not ECMA-262: it has no \p{Letter} long names (it has \pL and \p{L}).
    {"pattern", "pattern with Unicode property escape requires unicode mode", "RE2 has no long Unicode class names"},
    {"patternProperties", "patternProperties with Unicode property escape", "RE2 has no long Unicode class names"},
    // Remote references: the validator resolves only "#..." and Assay's built-in schemas.
    {"ref", "remote ref, containing refs itself", "$ref to the remote 2020-12 meta-schema"},
    // $id changes the base URI of the references inside it: not implemented ($id is an annotation).
    {"ref", "Recursive references between schemas", "$id-based resolution"},
    {"ref", "refs with relative uris and defs", "$id-based resolution"},
    {"ref", "relative refs with absolute uris and defs", "$id-based resolution"},
    {"ref", "$id must be resolved against nearest parent, not just immediate parent", "$id-based resolution"},
    {"ref", "order of evaluation: $id and $ref", "$id-based resolution"},
    {"ref", "order of evaluation: $id and $anchor and $ref", "$id-based resolution and $anchor"},
    {"ref", "order of evaluation: $id and $ref on nested schema", "$id-based resolution"},
    {"ref", "simple URN base URI with $ref via the URN", "$id-based resolution"},
    {"ref", "simple URN base URI with JSON pointer", "$id-based resolution"},
    {"ref", "URN base URI with NSS", "$id-based resolution"},
    {"ref", "URN base URI with r-component", "$id-based resolution"},
    {"ref", "URN base URI with q-component", "$id-based resolution"},
    {"ref", "URN base URI with URN and JSON pointer ref", "$id-based resolution"},
    {"ref", "URN base URI with URN and anchor ref", "$id-based resolution and $anchor"},
    {"ref", "URN ref with nested pointer ref", "$id-based resolution"},
    {"ref", "ref with absolute-path-reference", "$id-based resolution"},
    {"ref", "$id with file URI still resolves pointers - *nix", "$id-based resolution"},
    {"ref", "$id with file URI still resolves pointers - windows", "$id-based resolution"},
};

bool skipped(std::string_view file, std::string_view group) {
  return std::any_of(std::begin(kSkipped), std::end(kSkipped), [&](const Skip& s) { return s.file == file && s.group == group; });
}

json read_suite_json(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return json::parse(s.str());
}

std::string violation_lines(const std::vector<assay::SchemaViolation>& violations) {
  std::string out;
  for (const auto& v : violations) out += "#" + v.pointer + ": " + v.message + "\n";
  return out;
}

void run_suite_file(const std::string& name) {
  const fs::path file = kSuite / (name + ".json");
  REQUIRE(fs::exists(file));
  const json groups = read_suite_json(file);
  std::size_t ran = 0, left = 0;
  for (const auto& group : groups) {
    std::string description = group.at("description");
    CAPTURE(name, description);
    if (skipped(name, description)) {
      ++left;
      continue;
    }
    const json& schema = group.at("schema");
    CHECK(violation_lines(assay::check_schema(schema)) == "");
    for (const auto& t : group.at("tests")) {
      std::string test = t.at("description");
      const json& data = t.at("data");
      bool valid = t.at("valid");
      CAPTURE(test, data.dump());
      auto violations = assay::validate_json(schema, data);
      INFO(violation_lines(violations));
      CHECK(violations.empty() == valid);
      ++ran;
    }
  }
  // Every listed skip names a group of its file: the list cannot hide a renamed group.
  std::size_t listed = static_cast<std::size_t>(
      std::count_if(std::begin(kSkipped), std::end(kSkipped), [&](const Skip& s) { return s.file == name; }));
  CHECK(left == listed);
  CHECK(ran > 0);
}

}  // namespace

#define ASSAY_SUITE_FILE(keyword) \
  TEST_CASE("JSON-Schema-Test-Suite 2020-12: " keyword, "[json-schema][json-schema-suite]") { run_suite_file(keyword); }

ASSAY_SUITE_FILE("additionalProperties")
ASSAY_SUITE_FILE("allOf")
ASSAY_SUITE_FILE("anyOf")
ASSAY_SUITE_FILE("boolean_schema")
ASSAY_SUITE_FILE("const")
ASSAY_SUITE_FILE("default")
ASSAY_SUITE_FILE("enum")
ASSAY_SUITE_FILE("exclusiveMaximum")
ASSAY_SUITE_FILE("exclusiveMinimum")
ASSAY_SUITE_FILE("infinite-loop-detection")
ASSAY_SUITE_FILE("items")
ASSAY_SUITE_FILE("maxItems")
ASSAY_SUITE_FILE("maxLength")
ASSAY_SUITE_FILE("maxProperties")
ASSAY_SUITE_FILE("maximum")
ASSAY_SUITE_FILE("minItems")
ASSAY_SUITE_FILE("minLength")
ASSAY_SUITE_FILE("minProperties")
ASSAY_SUITE_FILE("minimum")
ASSAY_SUITE_FILE("multipleOf")
ASSAY_SUITE_FILE("not")
ASSAY_SUITE_FILE("oneOf")
ASSAY_SUITE_FILE("pattern")
ASSAY_SUITE_FILE("patternProperties")
ASSAY_SUITE_FILE("prefixItems")
ASSAY_SUITE_FILE("properties")
ASSAY_SUITE_FILE("ref")
ASSAY_SUITE_FILE("required")
ASSAY_SUITE_FILE("type")
ASSAY_SUITE_FILE("uniqueItems")
