// The JSON Schema validator (core/base) on any bytes. Without a NUL byte the input is an instance,
// checked against every built-in schema; with one, a schema before it and an instance after it.
// Every violation points into the instance.
#include <nlohmann/json.hpp>

#include "assay/json_schema.hpp"
#include "harness.hpp"

namespace {

using json = nlohmann::json;

void validate(const json& schema, const json& instance) {
  for (const auto& v : assay::validate_json(schema, instance)) {
    ASSAY_FUZZ_CHECK(!v.message.empty(), "a violation without a message at " + v.pointer);
    ASSAY_FUZZ_CHECK(v.pointer.empty() || v.pointer[0] == '/', "not a JSON pointer: " + v.pointer);
    try {
      (void)instance.at(json::json_pointer(v.pointer));
    } catch (const json::exception& e) {
      ASSAY_FUZZ_CHECK(false, "the pointer " + v.pointer + " names nothing in the instance (" + v.message + ")");
    }
  }
}

}  // namespace

ASSAY_FUZZ_TARGET(json_schema) {
  auto [first, rest] = assay::fuzz::cut(assay::fuzz::as_text(data, size), '\0');
  if (rest.data() == nullptr) {
    json instance = json::parse(first, nullptr, false);
    if (instance.is_discarded()) return;
    for (const char* name : {"presentation", "response", "attempt", "result", "candidate"})
      validate(assay::builtin_schema(name), instance);
    return;
  }
  json schema = json::parse(first, nullptr, false);
  json instance = json::parse(rest, nullptr, false);
  if (schema.is_discarded() || instance.is_discarded()) return;
  validate(schema, instance);
}
