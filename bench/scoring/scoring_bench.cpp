// Scoring throughput: a generated cohort of 10,000 candidates × 60 core-items responses,
// scored with score_all, against a parse-only pass over the same JSON Lines in the same run.
// The same cohort again with every plugin call in worker processes (Registry::isolate, as
// `assay score` runs), against the in-process figures of the same run, its results checked equal.
// Then each shipped assessment: its 10,000-candidate screening time.
//
//   bench_scoring PLUGIN_DIR ASSESSMENT_DIR [CANDIDATES]
#include <fmt/format.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "../core_items_toml.hpp"
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
  std::string t = bench::assessment_head("bench-core-items", "Benchmark: 60 core-items");
  for (int i = 0; i < 60; ++i) {
    switch (i % 3) {
      case 0:
        t += bench::item_head(i, "core-items/single-choice") +
             "prompt = \"Pick b\"\n"
             "options = [{id = \"a\", text = \"A\"}, {id = \"b\", text = \"B\"}, {id = \"c\", text = \"C\"}, {id = \"d\", text = "
             "\"D\"}]\n"
             "correct = \"b\"\n";
        break;
      case 1:
        t += bench::item_head(i, "core-items/multiple-choice") +
             "prompt = \"Pick a and c\"\n"
             "options = [{id = \"a\", text = \"A\"}, {id = \"b\", text = \"B\"}, {id = \"c\", text = \"C\"}, {id = \"d\", text = "
             "\"D\"}]\n"
             "correct = [\"a\", \"c\"]\npartial_credit = true\n";
        break;
      default:
        t += bench::item_head(i, "core-items/numeric") +
             "prompt = \"5 mA\"\nanswer = 5\ntolerance = 0.1\nunit = \"mA\"\nunits "
             "= [\"A\", \"uA\"]\n";
    }
    t += "[[item.criteria]]\nid = \"correct\"\npoints = 1\n";
  }
  return t;
}

double seconds_since(Steady::time_point t) { return std::chrono::duration<double>(Steady::now() - t).count(); }

/// CPU time of the whole process (every thread): on a busy machine this shows the work done
/// where the wall clock also shows the waiting.
double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

struct Figures {
  double parse_s = 1e9;  // reading the attempts (split, parse, attempt v1), as `assay score` does
  double total_s = 1e9;  // reading and scoring
  double parse_cpu = 1e9, total_cpu = 1e9;
  std::size_t responses = 0;
  double score_s() const { return total_s - parse_s; }
};

std::vector<delivery::Attempt> read_all(const std::string& jsonl) {
  auto parsed = scoring::read_attempts("bench", io::split_lines(jsonl), 0);
  std::vector<delivery::Attempt> attempts;
  attempts.reserve(parsed.size());
  for (auto& p : parsed) {
    if (!p.attempt) throw std::runtime_error("the generated cohort has a bad line");
    attempts.push_back(std::move(*p.attempt));
  }
  return attempts;
}

/// Parse-only, then parse + score, over the same text, with the batch's own functions on every
/// core. Best of three of each.
Figures measure(const model::LoadedAssessment& loaded, const std::string& jsonl) {
  Figures f;
  for (int round = 0; round < 3; ++round) {
    auto t0 = Steady::now();
    double c0 = cpu_seconds();
    auto attempts = read_all(jsonl);
    f.parse_s = std::min(f.parse_s, seconds_since(t0));
    f.parse_cpu = std::min(f.parse_cpu, cpu_seconds() - c0);

    auto t1 = Steady::now();
    double c1 = cpu_seconds();
    auto attempts2 = read_all(jsonl);
    std::vector<scoring::Job> jobs;
    jobs.reserve(attempts2.size());
    for (const auto& a : attempts2) jobs.push_back({&loaded, &a});
    auto results = scoring::score_all(jobs, {});
    f.total_s = std::min(f.total_s, seconds_since(t1));
    f.total_cpu = std::min(f.total_cpu, cpu_seconds() - c1);
    f.responses = 0;
    for (const auto& a : attempts2) f.responses += a.answers.size();
    if (results.size() != attempts2.size()) throw std::runtime_error("lost results");
  }
  return f;
}

/// The two fast paths beside their full counterparts, single-threaded, best of three: the attempt
/// line reader (simdjson, delivery/attempt_line.cpp) against nlohmann + try_attempt_from_json, and
/// the direct result writer (scoring/result_text.cpp) against to_json().dump(). Each fast path
/// stays only while these ratios justify it (the comments beside them cite this bench).
void fast_paths(const model::LoadedAssessment& loaded, const std::string& jsonl) {
  auto lines = io::split_lines(jsonl);
  double fast = 1e9, full = 1e9;
  for (int round = 0; round < 3; ++round) {
    auto t0 = Steady::now();
    std::size_t ok = 0;
    for (const auto& line : lines) ok += delivery::parse_attempt_line("bench", line).attempt.has_value();
    fast = std::min(fast, seconds_since(t0));
    auto t1 = Steady::now();
    std::size_t ok2 = 0;
    for (const auto& line : lines) ok2 += delivery::try_attempt_from_json(nlohmann::json::parse(line.text)).ok();
    full = std::min(full, seconds_since(t1));
    if (ok != ok2 || ok != lines.size()) throw std::runtime_error("the readers disagree");
  }
  fmt::print("  attempt reader      fast {:.3f} s, full {:.3f} s: the fast path takes {:.2f} x the time\n", fast, full,
             fast / full);

  std::vector<scoring::Job> jobs;
  auto attempts = read_all(jsonl);
  for (const auto& a : attempts) jobs.push_back({&loaded, &a});
  auto results = scoring::score_all(jobs, {});
  double direct = 1e9, tree = 1e9;
  std::size_t bytes = 0;
  for (int round = 0; round < 3; ++round) {
    auto t0 = Steady::now();
    std::string out;
    for (const auto& r : results) scoring::append_json_text(out, r);
    direct = std::min(direct, seconds_since(t0));
    auto t1 = Steady::now();
    std::string out2;
    for (const auto& r : results) out2 += scoring::to_json(r).dump();
    tree = std::min(tree, seconds_since(t1));
    if (out != out2) throw std::runtime_error("the result writers disagree");
    bytes = out.size();
  }
  fmt::print("  result writer       direct {:.3f} s, tree {:.3f} s ({:.1f} MB): the fast path takes {:.2f} x the time\n", direct,
             tree, bytes / 1e6, direct / tree);
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
  // Isolated while this is the only thread, as `assay score` does.
  auto isolated = plugins::Registry::load({argv[1]});
  isolated.isolate({});
  fs::path tmp = fs::temp_directory_path() / "assay-bench-core-items.toml";
  { std::ofstream(tmp) << core_items_assessment(); }
  auto loaded = model::try_load_and_prepare(tmp, registry);
  auto loaded_isolated = model::try_load_and_prepare(tmp, isolated);
  fs::remove(tmp);
  if (!loaded) {
    fmt::print(stderr, "{}", format_all(loaded.error()));
    return 1;
  }
  auto text = cohort_text(loaded.value(), n);
  auto f = measure(loaded.value(), text);
  fmt::print("core-items, {} candidates x 60 items ({} responses, {:.1f} MB of JSON Lines)\n", n, f.responses, text.size() / 1e6);
  fmt::print("  parse only          {:8.3f} s  {:>12.0f} responses/s\n", f.parse_s, f.responses / f.parse_s);
  fmt::print("  parse and score     {:8.3f} s  {:>12.0f} responses/s\n", f.total_s, f.responses / f.total_s);
  fmt::print("  scoring alone       {:8.3f} s  {:>12.0f} responses/s\n", f.score_s(), f.responses / f.score_s());
  fmt::print("  CPU time            parse {:.3f} s, parse and score {:.3f} s, scoring alone {:.3f} s\n", f.parse_cpu, f.total_cpu,
             f.total_cpu - f.parse_cpu);
  fmt::print("  parse and score     {:8.2f} x the parse-only pass (target <= 2)\n", f.total_s / f.parse_s);
  fast_paths(loaded.value(), text);
  fmt::print("  target              {} (>= 1,000,000 responses/s, parse and score)\n",
             f.responses / f.total_s >= 1e6 ? "met" : "missed");
  if (!loaded_isolated) throw std::runtime_error("the isolated registry could not prepare the assessment");
  auto iso = measure(loaded_isolated.value(), text);
  {
    auto a = read_all(text);
    std::vector<scoring::Job> ja, jb;
    for (const auto& x : a) {
      ja.push_back({&loaded.value(), &x});
      jb.push_back({&loaded_isolated.value(), &x});
    }
    std::string ra, rb;
    for (const auto& r : scoring::score_all(ja, {})) scoring::append_json_text(ra, r);
    for (const auto& r : scoring::score_all(jb, {})) scoring::append_json_text(rb, r);
    if (ra != rb) throw std::runtime_error("in-process and isolated scoring disagree");
  }
  fmt::print("\nthe same cohort, every plugin call in worker processes (results identical to in-process)\n");
  fmt::print("  parse and score     {:8.3f} s  {:>12.0f} responses/s  ({:.2f} x the in-process time)\n", iso.total_s,
             iso.responses / iso.total_s, iso.total_s / f.total_s);
  fmt::print("  scoring alone       {:8.3f} s  {:>12.0f} responses/s  ({:.2f} x the in-process time)\n", iso.score_s(),
             iso.responses / iso.score_s(), iso.score_s() / f.score_s());
  fmt::print("  target              {} (>= 1,000,000 responses/s, parse and score, isolated)\n",
             iso.responses / iso.total_s >= 1e6 ? "met" : "missed");
  fmt::print("\nshipped assessments, {} candidates each (target: under 60 s)\n", n);
  for (const auto& e : catalog::scan({argv[2]})) {
    auto l = model::try_prepare_assessment(e.assessment, registry);
    if (!l) continue;
    auto t = cohort_text(l.value(), n);
    auto g = measure(l.value(), t);
    fmt::print("  {:<40} {:7.3f} s  {:>10.0f} responses/s  (parse only {:.3f} s)\n", e.assessment.id, g.total_s,
               g.responses / g.total_s, g.parse_s);
  }
  return 0;
}
