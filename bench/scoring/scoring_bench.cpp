// Scoring throughput: a generated cohort of 10,000 candidates × 60 core-items responses,
// scored with score_all, against a parse-only pass over the same JSON Lines in the same run.
// Then each shipped assessment: its 10,000-candidate screening time.
//
//   bench_scoring PLUGIN_DIR ASSESSMENT_DIR [CANDIDATES]
#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "assay/catalog.hpp"
#include "assay/cohort.hpp"
#include "assay/delivery.hpp"
#include "assay/io.hpp"
#include "assay/model.hpp"
#include "assay/plugins.hpp"
#include "assay/scoring.hpp"

namespace fs = std::filesystem;
using Steady = std::chrono::steady_clock;
using namespace assay;

namespace {

/// 60 items: single choice, multiple choice and numeric in turn.
std::string core_items_assessment() {
  std::string t = R"(schema = 1
[assessment]
id = "bench-core-items"
title = "Benchmark: 60 core-items"
version = "1"
kind = "screening"
requires = { core-items = ">=1.0" }
[outcome]
pass_percent = 70
[[competency]]
id = "c"
title = "Everything"
[[section]]
id = "s"
title = "All"
)";
  for (int i = 0; i < 60; ++i) {
    t += fmt::format("[[item]]\nid = \"i{}\"\nsection = \"s\"\ncompetency = \"c\"\n", i);
    switch (i % 3) {
      case 0:
        t += "type = \"core-items/single-choice\"\n[item.params]\nprompt = \"Pick b\"\n"
             "options = [{id = \"a\", text = \"A\"}, {id = \"b\", text = \"B\"}, {id = \"c\", text = \"C\"}, {id = \"d\", text = "
             "\"D\"}]\n"
             "correct = \"b\"\n";
        break;
      case 1:
        t += "type = \"core-items/multiple-choice\"\n[item.params]\nprompt = \"Pick a and c\"\n"
             "options = [{id = \"a\", text = \"A\"}, {id = \"b\", text = \"B\"}, {id = \"c\", text = \"C\"}, {id = \"d\", text = "
             "\"D\"}]\n"
             "correct = [\"a\", \"c\"]\npartial_credit = true\n";
        break;
      default:
        t += "type = \"core-items/numeric\"\n[item.params]\nprompt = \"5 mA\"\nanswer = 5\ntolerance = 0.1\nunit = \"mA\"\nunits "
             "= [\"A\", \"uA\"]\n";
    }
    t += "[[item.criteria]]\nid = \"correct\"\npoints = 1\n";
  }
  return t;
}

double seconds_since(Steady::time_point t) { return std::chrono::duration<double>(Steady::now() - t).count(); }

struct Figures {
  double parse_s = 0, score_s = 0;
  std::size_t responses = 0;
};

/// Parse-only, then parse + score, over the same text. Best of three of each.
Figures measure(const model::LoadedAssessment& loaded, const std::string& jsonl) {
  Figures f;
  f.parse_s = f.score_s = 1e9;
  for (int round = 0; round < 3; ++round) {
    auto t0 = Steady::now();
    auto lines = io::read_json_lines("bench", jsonl);
    std::vector<delivery::Attempt> attempts;
    attempts.reserve(lines.values.size());
    for (auto& [n, j] : lines.values) attempts.push_back(std::move(delivery::try_attempt_from_json(j).value()));
    f.parse_s = std::min(f.parse_s, seconds_since(t0));

    auto t1 = Steady::now();
    auto lines2 = io::read_json_lines("bench", jsonl);
    std::vector<delivery::Attempt> attempts2;
    attempts2.reserve(lines2.values.size());
    for (auto& [n, j] : lines2.values) attempts2.push_back(std::move(delivery::try_attempt_from_json(j).value()));
    std::vector<scoring::Job> jobs;
    for (const auto& a : attempts2) jobs.push_back({&loaded, &a});
    auto results = scoring::score_all(jobs, {});
    f.score_s = std::min(f.score_s, seconds_since(t1));
    f.responses = 0;
    for (const auto& a : attempts2) f.responses += a.answers.size();
    if (results.size() != attempts2.size()) throw std::runtime_error("lost results");
  }
  return f;
}

std::string cohort_text(const model::LoadedAssessment& loaded, std::size_t n) {
  auto attempts = cohort::generate(loaded, {n, 20260302, {}});
  if (!attempts) throw std::runtime_error(attempts.error());
  std::string text;
  for (const auto& a : attempts.value()) text += delivery::to_json(a).dump() + '\n';
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    fmt::print(stderr, "usage: bench_scoring PLUGIN_DIR ASSESSMENT_DIR [CANDIDATES]\n");
    return 2;
  }
  std::size_t n = argc > 3 ? std::stoul(argv[3]) : 10000;
  auto registry = plugins::Registry::load({argv[1]});
  fs::path tmp = fs::temp_directory_path() / "assay-bench-core-items.toml";
  { std::ofstream(tmp) << core_items_assessment(); }
  auto loaded = model::try_load_and_prepare(tmp, registry);
  fs::remove(tmp);
  if (!loaded) {
    fmt::print(stderr, "{}", format_all(loaded.error()));
    return 1;
  }
  auto text = cohort_text(loaded.value(), n);
  auto f = measure(loaded.value(), text);
  fmt::print("core-items, {} candidates x 60 items ({} responses, {:.1f} MB of JSON Lines)\n", n, f.responses, text.size() / 1e6);
  fmt::print("  parse only          {:8.3f} s  {:>12.0f} responses/s\n", f.parse_s, f.responses / f.parse_s);
  fmt::print("  parse and score     {:8.3f} s  {:>12.0f} responses/s\n", f.score_s, f.responses / f.score_s);
  fmt::print("  scoring cost        {:8.2f} x the parse-only pass (target <= 2)\n", f.score_s / f.parse_s);
  fmt::print("  target              {} (>= 1,000,000 responses/s)\n", f.responses / f.score_s >= 1e6 ? "met" : "missed");

  fmt::print("\nshipped assessments, {} candidates each (target: under 60 s)\n", n);
  for (const auto& e : catalog::scan({argv[2]})) {
    auto l = model::try_prepare_assessment(e.assessment, registry);
    if (!l) continue;
    auto t = cohort_text(l.value(), n);
    auto g = measure(l.value(), t);
    fmt::print("  {:<40} {:7.3f} s  {:>10.0f} responses/s  (parse only {:.3f} s)\n", e.assessment.id, g.score_s,
               g.responses / g.score_s, g.parse_s);
  }
  return 0;
}
