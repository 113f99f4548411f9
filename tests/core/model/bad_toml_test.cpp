// Each tests/fixtures/bad-toml/<case>.toml is pinned to the exact text `assay validate` prints for
// it, in <case>.expected (paths relative to the fixture folder, the plugin folder as <plugins>).
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "assay/catalog.hpp"
#include "assay/model.hpp"
#include "assay/plugins.hpp"
#include "core/test_support.hpp"

namespace fs = std::filesystem;

namespace {

using assay::test::test_plugins;

using assay::test::slurp;

const fs::path kBad = fs::path(ASSAY_TEST_FIXTURES) / "bad-toml";

std::vector<std::string> cases() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(kBad))
    if (e.path().extension() == ".toml") names.push_back(e.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::string validate_text(const std::string& name) {
  auto report = assay::model::validate_file(kBad / (name + ".toml"), test_plugins());
  std::string text = assay::format_all(report.diagnostics);
  const std::string prefix = kBad.string() + "/";
  for (auto at = text.find(prefix); at != std::string::npos; at = text.find(prefix)) text.erase(at, prefix.size());
  // A plugin's file is named by where this build put it: printed as <plugins>.
  const std::string plugins = fs::path(ASSAY_TEST_PLUGIN_DIR).string();
  for (auto at = text.find(plugins); at != std::string::npos; at = text.find(plugins, at))
    text.replace(at, plugins.size(), "<plugins>");
  return text;
}

}  // namespace

TEST_CASE("each bad TOML fixture reports exactly its expected messages", "[model][bad-toml]") {
  REQUIRE(test_plugins().find_type("core-items/single-choice") != nullptr);
  auto name = GENERATE(from_range(cases()));
  CAPTURE(name);
  REQUIRE(fs::exists(kBad / (name + ".expected")));
  std::string expected = slurp(kBad / (name + ".expected"));
  REQUIRE_FALSE(expected.empty());
  CHECK(validate_text(name) == expected);
}

TEST_CASE("the bad TOML corpus covers every validation rule", "[model][bad-toml]") {
  auto have = cases();
  for (const char* rule : {"unknown-key", "wrong-type", "missing-key", "duplicate-id", "unknown-reference", "bad-draw",
                           "syntax-error", "include-outside", "blueprint", "unknown-type", "unknown-criterion", "params-pointer",
                           "version-mismatch", "bad-range", "many-errors", "params-schema", "critical-not-safety", "outline",
                           // the engine's one UTF-8 check, on the TOML file and on a file it includes
                           "utf8-overlong", "utf8-surrogate", "utf8-truncated", "utf8-above-max", "include-overlong",
                           "include-surrogate", "include-truncated", "include-above-max"}) {
    CAPTURE(rule);
    CHECK(std::find(have.begin(), have.end(), rule) != have.end());
  }
}

TEST_CASE("the basic fixture passes validation with the core-items plugin", "[model][bad-toml]") {
  auto report = assay::model::validate_file(fs::path(ASSAY_TEST_FIXTURES) / "assessments/basic.toml", test_plugins());
  INFO(assay::format_all(report.diagnostics));
  // Its numeric item is critical, which numeric cannot make a safety criterion; a practice
  // assessment fails no one, so validate does not warn about it (critical-not-safety does).
  CHECK(report.diagnostics.empty());
  CHECK(report.items == 3);
  auto loaded = assay::model::try_load_and_prepare(fs::path(ASSAY_TEST_FIXTURES) / "assessments/basic.toml", test_plugins());
  REQUIRE(loaded.ok());
  REQUIRE(loaded->prepared.size() == 3);
  REQUIRE(loaded->slots.size() == 3);
  CHECK(loaded->slots[2] == std::vector<std::size_t>{0});
  CHECK(loaded->prepared[2].type().qualified_name() == "core-items/numeric");
}

TEST_CASE("every params mistake of every item is reported in one run, at its line, with did-you-mean", "[model][params]") {
  auto report = assay::model::validate_file(kBad / "params-schema.toml", test_plugins());
  std::vector<const assay::Diagnostic*> params;
  for (const auto& d : report.diagnostics)
    if (d.message.find(".params") != std::string::npos) params.push_back(&d);
  INFO(assay::format_all(report.diagnostics));
  // Ten mistakes across three items, and the unknown item key that must not hide them.
  REQUIRE(params.size() == 10);
  CHECK(report.diagnostics.size() == 11);
  std::set<std::string> items;
  for (const auto* d : params) {
    CHECK(d->line > 0);
    CHECK(d->column > 0);
    items.insert(d->message.substr(0, d->message.find(':')));
  }
  CHECK(items == std::set<std::string>{"item 'unit-resistance'", "item 'ohm-current'", "item 'unit-symbol'"});
  auto with = [&](const std::string& text) {
    return std::find_if(params.begin(), params.end(),
                        [&](const assay::Diagnostic* d) { return d->message.find(text) != std::string::npos; });
  };
  auto tolerence = with("item[1].params.tolerence: unexpected member 'tolerence'");
  REQUIRE(tolerence != params.end());
  CHECK((*tolerence)->line == 46);
  CHECK((*tolerence)->hints == std::vector<std::string>{"did you mean 'tolerance'?"});
  auto shufle = with("item[0].params.shufle");
  REQUIRE(shufle != params.end());
  CHECK((*shufle)->hints == std::vector<std::string>{"did you mean 'shuffle'?"});
}

TEST_CASE("params the schema refuses are not prepared; params it accepts still meet the plugin's checks", "[model][params]") {
  // params-pointer: a duplicate option id, which no schema keyword says, comes from prepare.
  auto report = assay::model::validate_file(kBad / "params-pointer.toml", test_plugins());
  REQUIRE(report.diagnostics.size() == 1);
  CHECK_THAT(report.diagnostics[0].message, Catch::Contains("duplicate option id"));
}

TEST_CASE("validate_all reports the params mistakes of every file under the assessment folders", "[model][params][catalog]") {
  auto dir = fs::temp_directory_path() / ("assay-validate-all-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "drafts");
  fs::copy_file(kBad / "params-schema.toml", dir / "drafts" / "params-schema.toml");
  fs::copy_file(fs::path(ASSAY_TEST_FIXTURES) / "assessments" / "basic.toml", dir / "basic.toml");
  auto problems = assay::catalog::validate_all({dir}, test_plugins());
  fs::remove_all(dir);
  INFO(assay::format_all(problems));
  REQUIRE(problems.size() == 11);
  for (const auto& d : problems) CHECK(d.file == (dir / "drafts" / "params-schema.toml").string());
}
