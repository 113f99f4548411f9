#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "assay/model.hpp"

namespace fs = std::filesystem;
using assay::model::Decimal;
using assay::model::Kind;
using assay::model::VersionRange;
using Catch::Matchers::Contains;
using nlohmann::json;

namespace {

const fs::path kFixtures = ASSAY_TEST_FIXTURES;

/// A scratch directory per test, removed afterwards.
struct ModelDir {
  fs::path path;
  explicit ModelDir(const std::string& name) : path(fs::temp_directory_path() / ("assay-model-" + name)) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~ModelDir() { fs::remove_all(path); }
  fs::path write(const std::string& name, const std::string& text) const {
    fs::create_directories((path / name).parent_path());
    std::ofstream(path / name, std::ios::binary) << text;
    return path / name;
  }
};

// A minimal, valid assessment whose one item's params are `params` (TOML lines).
std::string with_params(const std::string& params) {
  return R"(schema = 1
[assessment]
id = "t"
title = "T"
version = "1"
kind = "screening"
[outcome]
pass_percent = 50
[[competency]]
id = "c"
title = "C"
[[section]]
id = "s"
title = "S"
[[item]]
id = "i"
section = "s"
competency = "c"
type = "p/t"
[[item.criteria]]
id = "correct"
points = 1
[item.params]
)" + params;
}

}  // namespace

TEST_CASE("the basic fixture loads with every field in place", "[model]") {
  auto result = assay::model::try_load_assessment(kFixtures / "assessments/basic.toml");
  INFO(assay::format_all(result ? assay::Diagnostics{} : result.error()));
  REQUIRE(result.ok());
  const auto& a = result.value();
  CHECK(a.id == "fixture-basic");
  CHECK(a.kind == Kind::kPractice);
  CHECK(a.roles == std::vector<std::string>{"biomedical-technician"});
  CHECK(a.time_limit_seconds == 20 * 60);
  REQUIRE(a.requirements.size() == 1);
  CHECK(a.requirements[0].plugin == "core-items");
  CHECK(a.requirements[0].range == ">=1.0, <2");
  CHECK(a.outcome.pass_percent == Decimal(70));
  REQUIRE(a.outcome.levels.size() == 2);
  // 69.95 is exact: not 69.9500000000000028421709430404007434844970703125.
  CHECK(a.outcome.levels[1].min_percent == *Decimal::parse("69.95"));
  CHECK(a.outcome.levels[1].min_percent < Decimal(70));
  REQUIRE(a.competencies.size() == 2);
  CHECK(a.competencies[0].min_percent == Decimal(50));
  CHECK_FALSE(a.competencies[1].min_percent.has_value());
  REQUIRE(a.sections.size() == 1);
  CHECK(a.sections[0].draw == 2);
  CHECK(a.sections[0].shuffle);
  REQUIRE(a.items.size() == 3);
  const auto& numeric = a.items[2];
  CHECK(numeric.type == "core-items/numeric");
  CHECK(numeric.weight == Decimal(2));
  CHECK(numeric.critical);
  REQUIRE(numeric.criteria.size() == 1);
  CHECK(numeric.criteria[0].points == 2);
  CHECK(numeric.criteria[0].critical);
  CHECK(json::parse(numeric.params_json) ==
        json::parse(R"({"prompt": "A 10 V source drives a 2 kilohm resistor. What current flows?",
                        "answer": 5, "tolerance": "0.1", "unit": "mA", "units": ["A", "uA"]})"));
  CHECK(a.sha256.size() == 64);
}

TEST_CASE("the source map gives the line and column of each value", "[model]") {
  auto a = assay::model::try_load_assessment(kFixtures / "assessments/basic.toml").value();
  // Hand-counted in tests/fixtures/assessments/basic.toml.
  auto pos = a.source_map.find("item[2].criteria[0].points");
  CHECK(pos.line == 80);
  CHECK(pos.column == 10);
  pos = a.source_map.find("item[2].params.units[1]");
  CHECK(pos.line == 77);
  CHECK(pos.column == 15);
  SECTION("an unrecorded path falls back to its nearest recorded ancestor") {
    pos = a.source_map.find("item[2].params.units[7].x");
    CHECK(pos.line == 77);
    CHECK(pos.column == 9);
  }
}

TEST_CASE("params convert to JSON by the documented rules", "[model][params]") {
  ModelDir dir("params");
  auto path = dir.write("a.toml", with_params(R"(tenth = 0.1
third = 0.3333333333333333
big = 9223372036854775807
negative = -9223372036854775808
huge = 1e300
flag = true
when = 2026-03-01T09:00:00Z
offset = 2026-03-01T09:00:00.250+01:30
local = 2026-03-01T09:00:00
day = 2026-03-01
clock = 07:32:00
nested = { list = [1, 2.5, "x"] }
)"));
  auto a = assay::model::try_load_assessment(path);
  INFO(assay::format_all(a ? assay::Diagnostics{} : a.error()));
  REQUIRE(a.ok());
  auto params = json::parse(a->items[0].params_json);
  CHECK(params["tenth"] == "0.1");  // shortest round-trip text, as a JSON string
  CHECK(params["third"] == "0.3333333333333333");
  CHECK(params["big"] == INT64_MAX);
  CHECK(params["negative"] == INT64_MIN);
  CHECK(params["huge"] == "1e+300");
  CHECK(params["flag"] == true);
  CHECK(params["when"] == "2026-03-01T09:00:00Z");
  CHECK(params["offset"] == "2026-03-01T09:00:00.25+01:30");
  CHECK(params["local"] == "2026-03-01T09:00:00");
  CHECK(params["day"] == "2026-03-01");
  CHECK(params["clock"] == "07:32:00");
  CHECK(params["nested"] == json::parse(R"({"list": [1, "2.5", "x"]})"));
}

TEST_CASE("file includes are replaced by the file's content and covered by the digest", "[model][params]") {
  ModelDir dir("include");
  dir.write("data/msg.hl7", "MSH|^~\\&|LAB\r");
  auto path = dir.write("a.toml", with_params("message = { file = \"data/msg.hl7\" }\n"));
  auto first = assay::model::try_load_assessment(path);
  REQUIRE(first.ok());
  CHECK(json::parse(first->items[0].params_json)["message"] == "MSH|^~\\&|LAB\r");
  REQUIRE(first->included_files.size() == 1);

  SECTION("changing only the included file changes the digest") {
    dir.write("data/msg.hl7", "MSH|^~\\&|LAB2\r");
    auto second = assay::model::try_load_assessment(path);
    REQUIRE(second.ok());
    CHECK(second->sha256 != first->sha256);
  }
  SECTION("loading twice gives the same digest") { CHECK(assay::model::try_load_assessment(path)->sha256 == first->sha256); }
  SECTION("a missing file is reported at its key") {
    auto missing = dir.write("b.toml", with_params("message = { file = \"nope.hl7\" }\n"));
    auto r = assay::model::try_load_assessment(missing);
    REQUIRE_FALSE(r.ok());
    REQUIRE(r.error().size() == 1);
    CHECK(r.error()[0].line == 24);
    CHECK_THAT(r.error()[0].message, Contains("item 'i': item[0].params.message.file: cannot read file \"nope.hl7\""));
  }
}

TEST_CASE("the digest is the SHA-256 of the TOML bytes when nothing is included", "[model]") {
  ModelDir dir("digest");
  std::string text = with_params("x = 1\n");
  auto path = dir.write("a.toml", text);
  auto a = assay::model::try_load_assessment(path);
  REQUIRE(a.ok());
  // Computed independently: `sha256sum` of the same bytes.
  std::ofstream(dir.path / "copy.txt", std::ios::binary) << text;
  std::string cmd = "sha256sum '" + (dir.path / "copy.txt").string() + "' > '" + (dir.path / "sum.txt").string() + "'";
  REQUIRE(std::system(cmd.c_str()) == 0);
  std::ifstream sum(dir.path / "sum.txt");
  std::string expected;
  sum >> expected;
  CHECK(a->sha256 == expected);
}

TEST_CASE("version ranges accept and refuse versions as documented", "[model][version]") {
  auto [range, version, ok] = GENERATE(table<std::string, std::string, bool>({
      {">=1.0", "1.0.0", true},   {">=1.0", "0.9.9", false},    {">=1.0, <2", "1.9.3", true}, {">=1.0, <2", "2.0.0", false},
      {"^1.2", "1.2.0", true},    {"^1.2", "1.9.0", true},      {"^1.2", "1.1.9", false},     {"^1.2", "2.0.0", false},
      {"^0.3", "0.3.5", true},    {"^0.3", "0.4.0", false},     {"~1.2", "1.2.9", true},      {"~1.2", "1.3.0", false},
      {"=1.0.3", "1.0.3", true},  {"=1.0.3", "1.0.4", false},   {"1.0.3", "1.0.3", true},     {">1.0", "1.0.0", false},
      {"<=1.0", "1.0.0", true},   {">=1.4", "1.4.0-rc1", true},  // suffixes are ignored
      {">=1.0", "banana", false},
  }));
  CAPTURE(range, version);
  auto r = VersionRange::parse(range);
  REQUIRE(r.ok());
  CHECK(r->satisfied_by(version) == ok);
}

TEST_CASE("version ranges outside the grammar are refused with a message", "[model][version]") {
  auto [range, message] = GENERATE(table<std::string, std::string>({
      {">=1.x", "expected a version like 1.2.3 after '>=', found \">=1.x\""},
      {"", "expected a version range like \">=1.0\", found an empty string"},
      {">=1.0,", "expected a version like 1.2.3, found \"\""},
      {"1.2.3.4", "expected a version like 1.2.3, found \"1.2.3.4\""},
  }));
  CAPTURE(range);
  auto r = VersionRange::parse(range);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error() == message);
}

TEST_CASE("JSON Pointers become key paths in the TOML notation", "[model][pointer]") {
  auto params = json::parse(R"({"readings": [{"value_uA": 1}, {}, {"value_uA": 2}], "0": {"a/b": 1}, "odd key": 3})");
  auto [pointer, path] = GENERATE(table<std::string, std::string>({
      {"/readings/2/value_uA", "item[3].params.readings[2].value_uA"},
      {"", "item[3].params"},
      {"/0/a~1b", "item[3].params.0.\"a/b\""},
      {"/odd key", "item[3].params.\"odd key\""},
      {"/missing/4", "item[3].params.missing[4]"},
  }));
  CAPTURE(pointer);
  CHECK(assay::model::pointer_to_key_path("item[3].params", pointer, params) == path);
}
