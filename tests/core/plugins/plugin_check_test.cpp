#include <algorithm>
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
  // load, metadata, then prepare, examples, malformed, solve, determinism, threads, key-flip, key-leak, presentation
  CHECK(report.checks == 11);
  CHECK(report.warnings.empty());
  // Every check is listed with its status; generated-material is skipped, since yes-no declares none.
  REQUIRE(report.runs.size() == 12);
  CHECK(report.runs[0].check == "load");
  CHECK(report.runs[0].status == "passed");
  const auto& last = report.runs.back();
  CHECK(last.check == "generated-material");
  CHECK(last.item_type == "yes-no");
  CHECK(last.status == "skipped");
  CHECK_THAT(last.reason, Catch::Contains("does not declare \"x-assay-material\": \"generated\""));
}

TEST_CASE("plugin-check names a key that present shows, as a heuristic", "[plugin-check][key-leak]") {
  StagingDir dir;
  auto path = dir.add("leaks_key.so");
  auto report = run_plugin_check(path, quick());
  REQUIRE(report.findings.size() == 1);
  const auto& f = report.findings[0];
  CHECK(f.check == "key-leak");
  CHECK(f.item_type == "sum");
  CHECK(f.example == "two readings");
  CHECK_THAT(f.message, Catch::StartsWith("heuristic: the solved response's 'answer' (\"") &&
                            Catch::EndsWith("appears in what present shows on 10 of 10 seeds: present may show the key"));
  CHECK_THAT(f.text, Catch::Contains("\n  hint: a heuristic: if candidates are meant to see this value") &&
                         Catch::Contains("\"x-assay-shown\": [\"FIELD\"]"));
  // The material is generated from the seed, as the type declares.
  auto generated =
      std::find_if(report.runs.begin(), report.runs.end(), [](const CheckRun& r) { return r.check == "generated-material"; });
  REQUIRE(generated != report.runs.end());
  CHECK(generated->status == "passed");
}

TEST_CASE("plugin-check fails a type that declares generated material and has fixed examples only",
          "[plugin-check][generated-material]") {
  StagingDir dir;
  auto path = dir.add("fixed_examples_only.so");
  auto report = run_plugin_check(path, quick());
  REQUIRE(report.findings.size() == 1);
  const auto& f = report.findings[0];
  CHECK(f.check == "generated-material");
  CHECK(f.item_type == "yes-no");
  CHECK(f.example.empty());
  CHECK(f.text == path.string() +
                      ": error: yes-no: the type declares generated material, but every example shows the same material "
                      "for every seed: the determinism, seed and thread checks then prove nothing about how material is "
                      "generated, and a key that depends on the generated values is never checked\n"
                      "  hint: add an example whose params leave the material to the seed (a range to draw from rather than "
                      "fixed values)");
}

TEST_CASE("plugin-check refuses a misspelt material or shown-field annotation", "[plugin-check][metadata]") {
  StagingDir dir;
  auto path = dir.add("bad_annotations.so");
  auto report = run_plugin_check(path, quick());
  CHECK(texts(report) ==
        std::vector<std::string>{
            path.string() + ": error: yes-no: \"x-assay-material\": expected \"generated\" or \"fixed\", found \"sometimes\"",
            path.string() + ": error: yes-no: \"x-assay-shown\": expected an array of response field names, found \"answer\""});
  CHECK(report.findings[0].check == "metadata");
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
  CHECK(report.checks == 10);  // no malformed responses to run
  auto malformed = std::find_if(report.runs.begin(), report.runs.end(), [](const CheckRun& r) { return r.check == "malformed"; });
  REQUIRE(malformed != report.runs.end());
  CHECK(malformed->status == "skipped");
  CHECK(malformed->reason == "the example declares no malformed responses");
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
    CHECK(out.str() == report.findings[0].text + "\n" + path.string() +
                           ": plugin-check failed: 1 finding in 11 checks\n"
                           "  ran: load, metadata, prepare, examples, malformed, solve, determinism, threads, key-flip, key-leak "
                           "(a heuristic), presentation\n"
                           "  skipped: generated-material: the type does not declare \"x-assay-material\": \"generated\"\n");
  }
  SECTION("as JSON, each check with its status") {
    write_report(report, true, out);
    auto doc = nlohmann::json::parse(out.str());
    CHECK(doc["ok"] == false);
    CHECK(doc["summary"] == nlohmann::json{{"ran", 11}, {"passed", 10}, {"failed", 1}, {"skipped", 1}});
    REQUIRE(doc["checks"].size() == 12);
    CHECK(doc["checks"][0] == nlohmann::json{{"check", "load"}, {"item_type", ""}, {"example", ""}, {"status", "passed"}});
    auto solve = doc["checks"][5];
    CHECK(solve == nlohmann::json{{"check", "solve"}, {"item_type", "yes-no"}, {"example", "answer-yes"}, {"status", "failed"}});
    CHECK(doc["checks"][9]["check"] == "key-leak");
    CHECK(doc["checks"][9]["heuristic"] == true);
    CHECK(doc["checks"][11]["status"] == "skipped");
    CHECK(doc["checks"][11]["reason"] == "the type does not declare \"x-assay-material\": \"generated\"");
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
  CHECK_THAT(ok.out, Catch::StartsWith(good.string() + ": plugin-check passed: 11 checks, no findings\n  ran: load, "));
  auto bad = run_assay("plugin-check --timeout 1 " + crash.string());
  CHECK(bad.code == 1);
  CHECK_THAT(bad.out, Catch::Contains("crash: signal 11 (SIGSEGV) in score (check 'examples')"));
  // The checks after the crash are listed as skipped, with the reason.
  CHECK_THAT(bad.out, Catch::Contains("  skipped: malformed, solve, determinism, threads, key-flip, key-leak (a heuristic), "
                                      "presentation: check 'examples' crashed or hung\n"));
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
