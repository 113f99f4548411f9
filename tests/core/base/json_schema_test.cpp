#include "assay/json_schema.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using assay::validate_json;
using nlohmann::json;

const fs::path kFormats = fs::path(ASSAY_TEST_FIXTURES) / "formats";

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

json read_json(const fs::path& p) { return json::parse(read_text(p)); }

std::vector<fs::path> files_in(const fs::path& dir, const std::string& extension) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == extension) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

/// One line per violation, "#<pointer>: <message>", as the .expected files hold them.
std::string lines(const std::vector<assay::SchemaViolation>& violations) {
  std::string out;
  for (const auto& v : violations) out += "#" + v.pointer + ": " + v.message + "\n";
  return out;
}

std::string check(const json& schema, const json& instance) { return lines(validate_json(schema, instance)); }

/// The value schema of one interaction type: response.schema.json's $defs/<type>.
json value_schema(const std::string& type) {
  const json& response = assay::builtin_schema("response");
  return json{{"$defs", response["$defs"]}, {"$ref", "#/$defs/" + type}};
}

}  // namespace

TEST_CASE("the golden presentations and responses are valid", "[json-schema][formats]") {
  auto kind = GENERATE(as<std::string>{}, "presentation", "response");
  auto files = files_in(kFormats / kind / "valid", ".json");
  REQUIRE(files.size() >= 3);
  for (const auto& f : files) {
    CAPTURE(f.string());
    CHECK(check(assay::builtin_schema(kind), read_json(f)) == "");
  }
}

TEST_CASE("each invalid golden document is refused with the expected pointer and message", "[json-schema][formats]") {
  auto kind = GENERATE(as<std::string>{}, "presentation", "response");
  auto files = files_in(kFormats / kind / "invalid", ".json");
  REQUIRE(files.size() >= 7);
  for (const auto& f : files) {
    CAPTURE(f.string());
    auto expected = f;
    expected.replace_extension(".expected");
    REQUIRE(fs::exists(expected));
    CHECK(check(assay::builtin_schema(kind), read_json(f)) == read_text(expected));
  }
}

TEST_CASE("the golden presentation uses every material kind and every interaction type", "[json-schema][formats]") {
  json p = read_json(kFormats / "presentation/valid/every-interaction.json");
  std::vector<std::string> kinds, types;
  for (const auto& m : p["material"]) kinds.push_back(m["kind"]);
  for (const auto& i : p["interactions"]) types.push_back(i["type"]);
  for (const char* k : {"text", "code", "table", "lines", "image"}) {
    CAPTURE(k);
    CHECK(std::count(kinds.begin(), kinds.end(), k) >= 1);
  }
  for (const char* t : {"choice", "text", "extended-text", "numeric", "order", "match", "select-lines", "fields", "table"}) {
    CAPTURE(t);
    CHECK(std::count(types.begin(), types.end(), t) >= 1);
  }
}

TEST_CASE("every answer of the golden response fits the value schema of its interaction", "[json-schema][formats]") {
  json p = read_json(kFormats / "presentation/valid/every-interaction.json");
  json r = read_json(kFormats / "response/valid/every-interaction.json");
  std::size_t answered = 0;
  for (const auto& i : p["interactions"]) {
    std::string id = i["id"];
    CAPTURE(id);
    REQUIRE(r.contains(id));  // the golden response answers every interaction
    CHECK(check(value_schema(i["type"]), r[id]) == "");
    ++answered;
  }
  CHECK(answered == r.size());  // and nothing else
}

TEST_CASE("a value of the wrong shape for its interaction type is refused", "[json-schema][formats]") {
  auto [type, value, expected] = GENERATE(table<std::string, std::string, std::string>({
      {"choice", R"("pass")", "#: expected an array, found a string\n"},
      {"choice", R"(["pass", 2])", "#/1: expected a string, found an integer\n"},
      {"text", R"(["a"])", "#: expected a string, found an array\n"},
      {"extended-text", "42", "#: expected a string, found an integer\n"},
      {"numeric", R"("4.95")", "#: expected a table, found a string\n"},
      {"numeric", R"({"value": 4.95, "unit": "mA"})", "#/value: expected a string, found a float\n"},
      {"numeric", R"({"unit": "mA"})", "#: missing required member 'value'\n"},
      {"numeric", R"({"value": "5", "units": "mA"})", "#/units: unexpected member 'units'\n"},
      {"numeric", R"({"value": "4,95"})",
       "#/value: '4,95' does not match the pattern '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$'\n"},
      {"numeric", R"({"value": "5", "unit": ""})", "#/unit: expected at least 1 character, found 0\n"},
      {"order", R"({"a": 1})", "#: expected an array, found a table\n"},
      {"match", R"({"4624": 1})", "#/4624: expected a string, found an integer\n"},
      {"match", R"({"4624": ""})", "#/4624: expected at least 1 character, found 0\n"},
      {"select-lines", R"(["l1", null])", "#/1: expected a string, found nothing\n"},
      {"fields", R"({"pid-5": ["DOE"]})", "#/pid-5: expected a string, found an array\n"},
      {"table", R"({"r1": "over"})", "#/r1: expected a table, found a string\n"},
      {"table", R"({"r1": {"verdict": 1}})", "#/r1/verdict: expected a string, found an integer\n"},
  }));
  CAPTURE(type, value);
  CHECK(check(value_schema(type), json::parse(value)) == expected);
}

TEST_CASE("decimal strings in numeric answers follow the SDK's decimal syntax", "[json-schema][formats]") {
  auto [text, ok] = GENERATE(table<std::string, bool>({
      {"4.95", true},
      {"-3", true},
      {"+0.5", true},
      {".5", true},
      {"5.", true},
      {"1e3", true},
      {"2.5E-4", true},
      {"", false},
      {".", false},
      {"4,95", false},
      {" 4.95", false},
      {"4.95 ", false},
      {"1e", false},
      {"five", false},
      {"0x10", false},
      {"--1", false},
  }));
  CAPTURE(text);
  CHECK(validate_json(value_schema("numeric"), json{{"value", text}}).empty() == ok);
}

TEST_CASE("each keyword of the subset reports its own message", "[json-schema]") {
  SECTION("type, with a list of types and integers written as floats") {
    CHECK(check(json{{"type", "string"}}, 3) == "#: expected a string, found an integer\n");
    CHECK(check(json{{"type", "integer"}}, 2.5) == "#: expected an integer, found a float\n");
    CHECK(check(json{{"type", "integer"}}, 2.0) == "");  // 2020-12: a zero fraction is an integer
    CHECK(check(json{{"type", "number"}}, 2.5) == "");
    CHECK(check(json{{"type", {"string", "null", "boolean"}}}, json::array()) ==
          "#: expected a string, nothing or a boolean, found an array\n");
    CHECK(check(json{{"type", {"string", "null"}}}, nullptr) == "");
  }
  SECTION("enum and const") {
    CHECK(check(json{{"enum", {"a", "b"}}}, "x") == "#: 'x' is not one of 'a', 'b'\n");
    CHECK(check(json{{"enum", {1, 2}}}, 3) == "#: 3 is not one of 1, 2\n");
    CHECK(check(json{{"const", "text"}}, "txt") == "#: expected 'text', found 'txt'\n");
    CHECK(check(json{{"const", 1}}, 1) == "");
  }
  SECTION("required, properties and additionalProperties") {
    json s = {{"type", "object"},
              {"properties", {{"id", {{"type", "string"}}}}},
              {"required", {"id"}},
              {"additionalProperties", false}};
    CHECK(check(s, json::object()) == "#: missing required member 'id'\n");
    CHECK(check(s, json{{"id", "a"}, {"foo", 1}}) == "#/foo: unexpected member 'foo'\n");
    CHECK(check(s, json{{"id", 1}}) == "#/id: expected a string, found an integer\n");
    json open = {{"type", "object"}, {"additionalProperties", {{"type", "integer"}}}};
    CHECK(check(open, json{{"a", 1}, {"b", "2"}}) == "#/b: expected an integer, found a string\n");
  }
  SECTION("pointers escape '~' and '/' in member names (RFC 6901)") {
    json s = {{"additionalProperties", {{"type", "string"}}}};
    CHECK(check(s, json{{"a/b~c", 1}}) == "#/a~1b~0c: expected a string, found an integer\n");
  }
  SECTION("items, prefixItems, minItems and maxItems") {
    json s = {{"type", "array"},
              {"prefixItems", {{{"type", "string"}}}},
              {"items", {{"type", "integer"}}},
              {"minItems", 2},
              {"maxItems", 3}};
    CHECK(check(s, json{"a", 1, 2}) == "");
    CHECK(check(s, json{1, "b"}) == "#/0: expected a string, found an integer\n#/1: expected an integer, found a string\n");
    CHECK(check(s, json{"a"}) == "#: expected at least 2 items, found 1\n");
    CHECK(check(s, json{"a", 1, 2, 3}) == "#: expected at most 3 items, found 4\n");
    json closed = {{"prefixItems", {{{"type", "string"}}}}, {"items", false}};
    CHECK(check(closed, json{"a", "b"}) == "#: expected at most 1 item, found 2\n");
  }
  SECTION("minLength and maxLength count characters, not bytes") {
    json s = {{"minLength", 2}, {"maxLength", 3}};
    CHECK(check(s, "µA") == "");  // 3 bytes, 2 characters
    CHECK(check(s, "µ") == "#: expected at least 2 characters, found 1\n");
    CHECK(check(s, "µµµµ") == "#: expected at most 3 characters, found 4\n");
  }
  SECTION("pattern matches anywhere unless anchored") {
    CHECK(check(json{{"pattern", "^[a-z]+$"}}, "abc") == "");
    CHECK(check(json{{"pattern", "^[a-z]+$"}}, "ab1") == "#: 'ab1' does not match the pattern '^[a-z]+$'\n");
    CHECK(check(json{{"pattern", "[0-9]"}}, "ab1") == "");
  }
  SECTION("pattern matches in linear time, and long values are cut in messages") {
    // libstdc++'s std::regex recursed once per character here and died near 30,000 digits.
    std::string digits(1'000'000, '7');
    json decimal = {{"pattern", "^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$"}};
    CHECK(check(decimal, digits) == "");
    CHECK(check(decimal, digits + "x") == "#: '" + std::string(60, '7') + "... (1000001 bytes)' does not match the pattern '" +
                                              decimal["pattern"].get<std::string>() + "'\n");
  }
  SECTION("a pattern RE2 does not accept is reported with RE2's reason") {
    CHECK(check(json{{"pattern", "(?=a)"}}, "a") ==
          "#: the schema's pattern '(?=a)' is not a valid regular expression (invalid perl operator: (?=)\n");
  }
  SECTION("minProperties and maxProperties") {
    json s = {{"minProperties", 1}, {"maxProperties", 2}};
    CHECK(check(s, json{{"a", 1}}) == "");
    CHECK(check(s, json::object()) == "#: expected at least 1 member, found 0\n");
    CHECK(check(s, json{{"a", 1}, {"b", 2}, {"c", 3}}) == "#: expected at most 2 members, found 3\n");
  }
  SECTION("minimum and maximum, inclusive") {
    json s = {{"minimum", 0}, {"maximum", 10}};
    CHECK(check(s, 0) == "");
    CHECK(check(s, 10) == "");
    CHECK(check(s, -1) == "#: expected at least 0, found -1\n");
    CHECK(check(s, 10.5) == "#: expected at most 10, found 10.5\n");
    CHECK(check(json{{"minimum", 0}}, 18446744073709551615u) == "");
  }
  SECTION("allOf reports every failing part") {
    json s = {{"allOf", {{{"minLength", 2}}, {{"pattern", "^a"}}}}};
    CHECK(check(s, "b") == "#: expected at least 2 characters, found 1\n#: 'b' does not match the pattern '^a'\n");
  }
  SECTION("oneOf wants exactly one, anyOf at least one") {
    json both = {{"type", "integer"}};
    CHECK(check(json{{"oneOf", {both, {{"minimum", 0}}}}}, 3) == "#: matches 2 of the allowed forms, expected exactly one\n");
    CHECK(check(json{{"anyOf", {both, {{"minimum", 0}}}}}, 3) == "");
    CHECK(check(json{{"anyOf", {{{"type", "string"}}, {{"type", "array"}}}}}, 3) ==
          "#: expected a string or an array, found an integer\n");
  }
  SECTION("$ref resolves within the schema; a dangling one is reported") {
    json s = {{"$defs", {{"id", {{"type", "string"}}}}}, {"properties", {{"a", {{"$ref", "#/$defs/id"}}}}}};
    CHECK(check(s, json{{"a", "x"}}) == "");
    CHECK(check(s, json{{"a", 1}}) == "#/a: expected a string, found an integer\n");
    CHECK(check(json{{"$ref", "#/$defs/nothing"}}, 1) == "#: the schema's $ref '#/$defs/nothing' does not resolve\n");
  }
  SECTION("$ref names a built-in schema by its $id, whose own references resolve within it") {
    json s = {
        {"properties",
         {{"p", {{"$ref", "urn:assay:schema:presentation:1"}}}, {"d", {{"$ref", "urn:assay:schema:result:1#/$defs/display"}}}}}};
    CHECK(check(s, json{{"d", "12.5"}}) == "");
    CHECK(check(s, json{{"d", "12.55"}}) == "#/d: '12.55' does not match the pattern '^-?[0-9]+[.][0-9]$'\n");
    // presentation v1's interactions are "#/$defs/interaction" of that document, not of `s`.
    CHECK(check(s, json{{"p", {{"presentation", 1}, {"prompt", "?"}, {"interactions", {{{"type", "nope"}}}}}}}) != "");
    CHECK(check(json{{"$ref", "urn:assay:schema:nothing:1"}}, 1) ==
          "#: the schema's $ref 'urn:assay:schema:nothing:1' does not resolve\n");
  }
  SECTION("a self-referring schema stops instead of recursing for ever") {
    json s = {{"$defs", {{"loop", {{"$ref", "#/$defs/loop"}}}}}, {"$ref", "#/$defs/loop"}};
    CHECK(check(s, 1) == "#: the schema refers to itself without end\n");
  }
  SECTION("boolean schemas; validate_json skips the keywords check_schema refuses") {
    CHECK(check(true, 1) == "");
    CHECK(check(false, 1) == "#: no value is allowed here\n");
    CHECK(check(json{{"x-assay-secret", true}, {"format", "email"}}, "not an email") == "");
  }
  SECTION("exclusive bounds and multipleOf") {
    json s = {{"exclusiveMinimum", 0}, {"exclusiveMaximum", 10}};
    CHECK(check(s, 0.5) == "");
    CHECK(check(s, 0) == "#: expected more than 0, found 0\n");
    CHECK(check(s, 10) == "#: expected less than 10, found 10\n");
    CHECK(check(json{{"multipleOf", 5}}, 15) == "");
    CHECK(check(json{{"multipleOf", 5}}, -15) == "");
    CHECK(check(json{{"multipleOf", 5}}, 12) == "#: expected a multiple of 5, found 12\n");
    CHECK(check(json{{"multipleOf", 0.01}}, 0.07) == "");  // 7.000000000000001 hundredths
    CHECK(check(json{{"multipleOf", 0.01}}, 0.075) == "#: expected a multiple of 0.01, found 0.075\n");
  }
  SECTION("counts may be written as integer-valued floats") {
    CHECK(check(json{{"minLength", 2.0}}, "a") == "#: expected at least 2 characters, found 1\n");
    CHECK(check(json{{"maxItems", 1.0}}, json{1, 2}) == "#: expected at most 1 item, found 2\n");
    CHECK(check(json{{"minProperties", 1.0}}, json::object()) == "#: expected at least 1 member, found 0\n");
    CHECK(assay::check_schema(json{{"minLength", 2.0}}).empty());
    CHECK(assay::check_schema(json{{"minLength", 2.5}}).size() == 1);
  }
  SECTION("uniqueItems compares values, 1 and 1.0 alike") {
    json s = {{"uniqueItems", true}};
    CHECK(check(s, json{1, 2, "1", json{{"a", 1}}, json{{"a", 2}}}) == "");
    CHECK(check(s, json{"a", 1, 1.0}) == "#/2: expected unique items, found 1.0 again (first at [1])\n");
    CHECK(check(s, json{json{{"a", 1}}, "x", json{{"a", 1}}}) ==
          "#/2: expected unique items, found {\"a\":1} again (first at [0])\n");
    CHECK(check(json{{"uniqueItems", false}}, json{1, 1}) == "");
  }
  SECTION("patternProperties, and additionalProperties for the members neither names") {
    json s = {{"properties", {{"id", {{"type", "string"}}}}},
              {"patternProperties", {{"^x-", {{"type", "integer"}}}}},
              {"additionalProperties", false}};
    CHECK(check(s, json{{"id", "a"}, {"x-count", 1}}) == "");
    CHECK(check(s, json{{"x-count", "1"}}) == "#/x-count: expected an integer, found a string\n");
    CHECK(check(s, json{{"y", 1}}) == "#/y: unexpected member 'y'\n");
  }
  SECTION("not") {
    CHECK(check(json{{"not", {{"type", "string"}}}}, 1) == "");
    CHECK(check(json{{"not", {{"required", {"key"}}}}}, json{{"key", 1}}) == "#: member 'key' is not allowed here\n");
    CHECK(check(json{{"not", {{"const", "x"}}}}, "x") == "#: 'x' is not allowed here\n");
  }
  SECTION("$ref decodes ~0, ~1 and percent-encoding") {
    json s = {{"$defs", {{"a/b", {{"type", "string"}}}, {"c~d", {{"type", "integer"}}}, {"e%f", {{"type", "boolean"}}}}},
              {"properties",
               {{"x", {{"$ref", "#/$defs/a~1b"}}}, {"y", {{"$ref", "#/$defs/c~0d"}}}, {"z", {{"$ref", "#/$defs/e%25f"}}}}}};
    CHECK(assay::check_schema(s).empty());
    CHECK(check(s, json{{"x", "s"}, {"y", 1}, {"z", true}}) == "");
    CHECK(check(s, json{{"x", 1}, {"y", "s"}, {"z", 1}}) ==
          "#/x: expected a string, found an integer\n#/y: expected an integer, found a string\n"
          "#/z: expected a boolean, found an integer\n");
  }
  SECTION("unexpected members get the nearest declared property") {
    json s = {{"properties", {{"tolerance", {{"type", "string"}}}, {"unit", {{"type", "string"}}}}},
              {"additionalProperties", false}};
    auto v = validate_json(s, json{{"tolerence", "0.1"}});
    REQUIRE(v.size() == 1);
    CHECK(v[0].message == "unexpected member 'tolerence'");
    CHECK(v[0].hint == "did you mean 'tolerance'?");
    // A property the value already has is not suggested again.
    v = validate_json(s, json{{"tolerance", "0.1"}, {"tolerence", "0.2"}});
    REQUIRE(v.size() == 1);
    CHECK(v[0].hint == "");
    v = validate_json(json{{"enum", {"screening", "practice"}}}, "practise");
    REQUIRE(v.size() == 1);
    CHECK(v[0].hint == "did you mean 'practice'?");
  }
}

TEST_CASE("check_schema refuses what the validator would skip, and accepts annotations", "[json-schema]") {
  auto problems = [](const json& schema) { return lines(assay::check_schema(schema)); };
  CHECK(problems(json{{"$schema", "https://json-schema.org/draft/2020-12/schema"},
                      {"$id", "urn:example"},
                      {"title", "t"},
                      {"description", "d"},
                      {"default", 1},
                      {"examples", {1}},
                      {"$comment", "c"},
                      {"deprecated", false},
                      {"readOnly", false},
                      {"writeOnly", false},
                      {"x-assay-secret", true},
                      {"x-assay-anything", {{"format", 1}}},
                      {"type", "object"}}) == "");
  CHECK(problems(json{{"properties", {{"email", {{"type", "string"}, {"format", "email"}}}}}}) ==
        "#/properties/email/format: keyword 'format' is not implemented by this assay\n");
  CHECK(problems(json{{"minLenght", 1}}) ==
        "#/minLenght: keyword 'minLenght' is not implemented by this assay (did you mean 'minLength'?)\n");
  CHECK(problems(json{{"items", {{"contains", {{"const", 1}}}}}}) ==
        "#/items/contains: keyword 'contains' is not implemented by this assay\n");
  CHECK(problems(json{{"allOf", {{{"if", true}}}}}) == "#/allOf/0/if: keyword 'if' is not implemented by this assay\n");
  CHECK(problems(json{{"minLength", -1}}) == "#/minLength: expected a non-negative integer, found -1\n");
  CHECK(problems(json{{"pattern", "(?=a)"}}) ==
        "#/pattern: '(?=a)' is not a regular expression RE2 accepts (invalid perl operator: (?=)\n");
  CHECK(problems(json{{"patternProperties", {{"(", true}}}}) ==
        "#/patternProperties/(: '(' is not a regular expression RE2 accepts (missing ): ()\n");
  CHECK(problems(json{{"$ref", "#/$defs/none"}}) ==
        "#/$ref: '#/$defs/none' does not resolve: a $ref is '#' and a JSON Pointer into this schema, or a built-in schema's "
        "$id\n");
  CHECK(problems(json{{"type", "float"}}) ==
        "#/type: expected a type name or an array of them (null, boolean, object, array, number, integer, string)\n");
  CHECK(problems(json{{"multipleOf", 0}}) == "#/multipleOf: expected a number greater than 0, found 0\n");
  CHECK(problems(json{{"properties", {{"$ref", {{"type", "string"}}}}}}) == "");  // a property named $ref
  CHECK(problems(json("object")) == "#: expected a schema (a JSON object, true or false), found a string\n");
  // Every built-in schema is usable as written.
  for (const char* name : {"presentation", "response", "attempt", "result", "candidate"}) {
    CAPTURE(name);
    CHECK(problems(assay::builtin_schema(name)) == "");
  }
}

TEST_CASE("a schema whose $refs multiply paths is evaluated once per value, and finishes", "[json-schema]") {
  // Each level refers to the next twice, through allOf, anyOf and not: 2^40 paths.
  json defs = json::object();
  constexpr int kLevels = 40;
  for (int i = 0; i < kLevels; ++i) {
    std::string next = "#/$defs/l" + std::to_string(i + 1);
    json ref = {{"$ref", next}};
    json level;
    switch (i % 4) {
      case 0:
        level = {{"allOf", {ref, ref}}};
        break;
      case 1:
        level = {{"anyOf", {ref, {{"allOf", {ref}}}}}};
        break;
      case 2:
        level = {{"allOf", {{{"not", {{"not", ref}}}}, ref}}};
        break;
      default:
        level = {{"properties", {{"a", ref}}}, {"allOf", {ref, ref}}};
        break;
    }
    defs["l" + std::to_string(i)] = level;
  }
  defs["l" + std::to_string(kLevels)] = {{"type", "string"}};
  json schema = {{"$defs", defs}, {"$ref", "#/$defs/l0"}};
  REQUIRE(assay::check_schema(schema).empty());
  auto start = std::chrono::steady_clock::now();
  CHECK(check(schema, "text") == "");
  auto v = validate_json(schema, 1);
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(seconds < 5);
  REQUIRE_FALSE(v.empty());
  CHECK(v.size() < 10);  // one mistake, not one report per path
  CHECK(v.front().message != "the schema takes too many steps to check this value");
}

TEST_CASE("a schema that loops without consuming the value is reported, not followed", "[json-schema]") {
  json s = {{"$defs", {{"a", {{"allOf", {{{"$ref", "#/$defs/b"}}}}}}, {"b", {{"anyOf", {{{"$ref", "#/$defs/a"}}}}}}}},
            {"$ref", "#/$defs/a"}};
  CHECK(check(s, 1) == "#: the schema refers to itself without end\n");
  // A recursive schema that descends into the value is no loop.
  json tree = {{"$defs", {{"node", {{"type", "array"}, {"items", {{"$ref", "#/$defs/node"}}}}}}}, {"$ref", "#/$defs/node"}};
  CHECK(check(tree, json::parse("[[[]],[]]")) == "");
  CHECK(check(tree, json::parse("[[[1]]]")) == "#/0/0/0: expected an array, found an integer\n");
}

TEST_CASE("the built-in schemas are the files of sdk/schemas", "[json-schema]") {
  for (const auto& f : files_in(fs::path(ASSAY_SOURCE_DIR) / "sdk/schemas", ".json")) {
    std::string name = f.filename().string();
    name = name.substr(0, name.size() - std::string(".schema.json").size());
    CAPTURE(name);
    CHECK(assay::builtin_schema(name) == read_json(f));
  }
  CHECK(assay::builtin_schema("presentation")["properties"]["presentation"]["const"] == 1);
  CHECK_THROWS_AS(assay::builtin_schema("nope"), std::out_of_range);
}
