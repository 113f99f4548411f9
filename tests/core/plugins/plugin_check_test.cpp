#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "assay/plugin_check.hpp"
#include "assay/plugins.hpp"
#include "core/plugins/staging.hpp"

using namespace assay::plugincheck;
using assay::test::StagingDir;

namespace {

Options quick() {
  Options o;
  o.timeout_seconds = 1;
  o.seeds = 10;
  return o;
}

std::vector<std::string> texts(const Report& r) {
  std::vector<std::string> out;
  for (const auto& f : r.findings) out.push_back(f.text);
  return out;
}

struct Run {
  int code;
  std::string out;
};

/// Runs the real `assay` binary; stdout captured, stderr dropped.
Run run_assay(const std::string& args) {
  std::string cmd = std::string(ASSAY_BINARY) + " " + args + " 2>/dev/null";
  Run r{-1, ""};
  FILE* p = ::popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) r.out.append(buf, n);
  int status = ::pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

}  // namespace

TEST_CASE("plugin-check passes a plugin that keeps the contract", "[plugin-check]") {
  StagingDir dir;
  auto report = run_plugin_check(dir.add("good.so"), quick());
  CHECK(texts(report).empty());
  CHECK(report.plugin_name == "fixture-good");
  // load, metadata, then prepare, examples, malformed, solve, determinism, threads, key-flip, presentation
  CHECK(report.checks == 10);
  CHECK(report.warnings.empty());
}

TEST_CASE("plugin-check names the problem of each broken plugin", "[plugin-check]") {
  auto [file, check, message] = GENERATE(table<std::string, std::string, std::string>({
      {"crash_in_score.so", "examples", "yes-no example 'answer-yes': crash: signal 11 (SIGSEGV) in score (check 'examples')"},
      {"hang_in_present.so", "determinism",
       "yes-no example 'answer-yes': hang: present did not return within 1 s (check 'determinism')"},
      {"secret_shapes_present.so", "key-flip",
       "yes-no example 'answer-yes': present changes when the secret params are swapped for the alternative set (seed 7): "
       "secret params must not shape the material"},
      {"unsolvable.so", "solve",
       "yes-no example 'answer-yes': score(solve(seed)) is not full credit on 10 of 10 seeds; first, seed 7: criterion "
       "'correct' earned 0/1"},
      {"throws_in_prepare.so", "prepare", "throws example 'any': prepare failed: item type 'throws': cannot compile the params"},
      {"malformed_scored.so", "malformed",
       "yes-no example 'answer-yes': malformed response 'not an option' was scored (0/1) instead of refused as malformed"},
      {"malformed_silent.so", "malformed",
       "yes-no example 'answer-yes': malformed response 'not an option' was refused without a message: the candidate is not "
       "told what to fix"},
  }));
  CAPTURE(file);
  StagingDir dir;
  auto path = dir.add(file);
  auto report = run_plugin_check(path, quick());
  REQUIRE(texts(report) == std::vector<std::string>{path.string() + ": error: " + message});
  CHECK(report.findings[0].check == check);
}

TEST_CASE("a plugin built against ABI 1.0 still loads, scores and passes, with a warning", "[plugin-check][abi]") {
  StagingDir dir;
  auto path = dir.add("abi_1_0.so");
  auto report = run_plugin_check(path, quick());
  CHECK(texts(report).empty());
  CHECK(report.checks == 9);  // no malformed responses to run
  REQUIRE(report.warnings.size() == 1);
  CHECK_THAT(report.warnings[0], Catch::Contains("yes-no: built against ABI 1.0, which declares no malformed responses"));
  auto registry = assay::plugins::Registry::load({dir.path()});
  REQUIRE(registry.refused().empty());
  const auto* plugin = registry.find("fixture-abi-1-0");
  REQUIRE(plugin != nullptr);
  CHECK(plugin->abi_version() == 0x00010000u);
  // Its criterion carries bit 2, which meant nothing in ABI 1.0: not a safety criterion.
  CHECK_FALSE(plugin->find_type("yes-no")->criteria()[0].safety);
  auto item = plugin->find_type("yes-no")->prepare(R"({"prompt":"p","answer":"yes"})");
  REQUIRE(item.ok());
  auto credits = item.value().score_verbose(1, R"({"answer":["yes"]})");
  REQUIRE(credits.ok());
  CHECK(credits.value()[0].numerator == 1);
}

TEST_CASE("plugin-check reports a refused file as its finding", "[plugin-check]") {
  StagingDir dir;
  auto path = dir.add("wrong_abi.so");
  auto report = run_plugin_check(path, quick());
  REQUIRE(report.findings.size() == 1);
  CHECK(report.findings[0].check == "load");
  CHECK(report.findings[0].text == path.string() +
                                       ": error: refused: exports assay_abi_2, this assay loads assay_abi_1\n"
                                       "  hint: rebuild the plugin against this SDK (sdk/include/assay/plugin.h)");
}

TEST_CASE("plugin-check names a params schema keyword the engine would not check", "[plugin-check]") {
  StagingDir dir;
  auto path = dir.add("unchecked_schema.so");
  auto report = run_plugin_check(path, quick());
  REQUIRE(report.findings.size() == 1);
  CHECK(report.findings[0].check == "load");
  CHECK_THAT(report.findings[0].text, Catch::Contains("item type 'yes-no'") &&
                                          Catch::Contains("'#/properties/prompt/format': keyword 'format' is not implemented"));
}

TEST_CASE("plugin-check prints each finding and a summary", "[plugin-check]") {
  StagingDir dir;
  auto path = dir.add("unsolvable.so");
  auto report = run_plugin_check(path, quick());
  std::ostringstream out;
  SECTION("as text") {
    write_report(report, false, out);
    CHECK(out.str() == report.findings[0].text + "\n" + path.string() + ": plugin-check failed: 1 finding in 10 checks\n");
  }
  SECTION("as JSON") {
    write_report(report, true, out);
    auto doc = nlohmann::json::parse(out.str());
    CHECK(doc["ok"] == false);
    CHECK(doc["checks"] == 10);
    CHECK(doc["findings"][0]["check"] == "solve");
    CHECK(doc["findings"][0]["item_type"] == "yes-no");
    CHECK(doc["findings"][0]["example"] == "answer-yes");
  }
}

TEST_CASE("assay plugin-check exits 1 on findings and 0 when clean", "[plugin-check][cli]") {
  StagingDir dir;
  auto good = dir.add("good.so");
  auto crash = dir.add("crash_in_score.so");
  auto ok = run_assay("plugin-check " + good.string());
  CHECK(ok.code == 0);
  CHECK(ok.out == good.string() + ": plugin-check passed: 10 checks, no findings\n");
  auto bad = run_assay("plugin-check --timeout 1 " + crash.string());
  CHECK(bad.code == 1);
  CHECK_THAT(bad.out, Catch::Contains("crash: signal 11 (SIGSEGV) in score (check 'examples')"));
}

TEST_CASE("assay plugins exits 1 when a file was refused", "[plugins][cli]") {
  StagingDir dir;
  dir.add("good.so");
  auto clean = run_assay("--plugin-dir " + dir.path().string() + " plugins --json");
  CHECK(clean.code == 0);
  auto doc = nlohmann::json::parse(clean.out);
  CHECK(doc["plugins"][0]["name"] == "fixture-good");
  dir.add("text.so");
  auto refused = run_assay("plugins --plugin-dir " + dir.path().string());
  CHECK(refused.code == 1);
  CHECK_THAT(refused.out, Catch::Contains("fixture-good 1.0.0 (ABI 1.1)"));
}
