#include <fmt/format.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <ostream>

#include "assay/angoff.hpp"
#include "assay/fairness.hpp"
#include "assay/io.hpp"
#include "assay/report.hpp"
#include "assay/stats.hpp"
#include "commands.hpp"

namespace assay::app {

namespace {
struct StatsArgs {
  std::string results, matrix, model = "none", groups, group_by;
  std::size_t min_group = 100;
  std::string reference;
  std::size_t min_n = 30;
  double pass_percent = -1;
  bool json = false;
  std::string angoff, html;
};
}  // namespace

void add_stats(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("stats", "item analysis, reliability, Rasch and 2PL calibration over results or a matrix");
  auto args = std::make_shared<StatsArgs>();
  auto* results = cmd->add_option("RESULTS", args->results, "results written by 'assay score' (JSON Lines)");
  auto* matrix = cmd->add_option("--matrix", args->matrix,
                                 "a persons x items CSV instead: header of item ids, 0/1 or points, empty = not presented")
                     ->type_name("FILE");
  results->excludes(matrix);
  auto* angoff = cmd->add_option("--angoff", args->angoff,
                                 "standard setting: a judges x items CSV of the probability that a minimally competent "
                                 "candidate gets each item right; prints the recommended pass mark")
                     ->type_name("RATINGS.csv");
  angoff->excludes(results);
  angoff->excludes(matrix);
  cmd->add_option("--min-n", args->min_n, "fewest candidates presented with an item for its figures (default 30)")
      ->check(CLI::Range(std::size_t{2}, std::size_t{1000000000}));
  cmd->add_option("--model", args->model, "calibrate: none (default), rasch (CML) or 2pl (MML)")
      ->check(CLI::IsMember({"none", "rasch", "2pl"}));
  cmd->add_option("--pass-percent", args->pass_percent, "the pass mark in percent (default: the results' own)")
      ->check(CLI::Range(0.0, 100.0));
  auto* groups = cmd->add_option("--groups", args->groups,
                                 "group membership, JSON Lines {\"candidate_id\", FIELD: group}: selection rates and DIF")
                     ->type_name("FILE");
  auto* group_by = cmd->add_option("--group-by", args->group_by, "the member of --groups to compare by")->type_name("FIELD");
  groups->needs(group_by);
  group_by->needs(groups);
  cmd->add_option("--min-group", args->min_group, "fewest candidates in a group for a flag (default 100)");
  cmd->add_option("--reference-group", args->reference, "the DIF reference group (default: the largest)")->type_name("GROUP");
  cmd->add_flag("--json", args->json, "write stats v1 (docs/formats.md), one JSON object per line, per assessment");
  cmd->add_option("--html", args->html,
                  "also write the item analysis as a self-contained HTML page: items and flags, reliability, curves")
      ->type_name("FILE")
      ->excludes(angoff);
  cmd->callback([&ctx, args] {
    if (!args->angoff.empty()) {
      auto text = io::try_read_file(args->angoff);
      if (!text) throw ExitRequest{Exit::kIo, text.error().format()};
      auto m = stats::try_read_matrix(args->angoff, text.value());
      if (!m) throw ExitRequest{Exit::kProblems, m.error().format()};
      auto a = stats::angoff(m.value(), args->angoff);
      if (!a) throw ExitRequest{Exit::kProblems, a.error().format()};
      *ctx.out << (args->json ? stats::to_json(a.value()).dump() + "\n" : stats::to_text(a.value()));
      return;
    }
    if (args->results.empty() && args->matrix.empty())
      throw ExitRequest{Exit::kUsage,
                        "error: give a results file or --matrix FILE.csv\n  hint: 'assay stats --help' shows the options"};
    stats::Options options;
    options.min_n = args->min_n;
    options.model = args->model == "rasch" ? stats::Model::kRasch
                    : args->model == "2pl" ? stats::Model::k2pl
                                           : stats::Model::kNone;
    if (args->pass_percent >= 0) options.pass_percent = args->pass_percent;

    std::vector<stats::Cohort> cohorts;
    Diagnostics errors;
    const std::string& file = args->matrix.empty() ? args->results : args->matrix;
    auto text = io::try_read_file(file);
    if (!text) throw ExitRequest{Exit::kIo, text.error().format()};
    if (!args->matrix.empty()) {
      auto m = stats::try_read_matrix(file, text.value());
      if (!m) throw ExitRequest{Exit::kProblems, m.error().format()};
      cohorts.push_back(stats::Cohort{"", "", file, std::move(m.value())});
    } else {
      auto read = stats::read_results(file, text.value());
      cohorts = std::move(read.cohorts);
      errors = std::move(read.errors);
      *ctx.err << format_all(errors);
      if (cohorts.empty()) throw ExitRequest{Exit::kProblems, fmt::format("{}: error: no results to analyse", file)};
    }
    stats::Groups groups;
    if (!args->groups.empty()) {
      auto gtext = io::try_read_file(args->groups);
      if (!gtext) throw ExitRequest{Exit::kIo, gtext.error().format()};
      groups = stats::read_groups(args->groups, gtext.value(), args->group_by);
      *ctx.err << format_all(groups.errors);
      errors.insert(errors.end(), groups.errors.begin(), groups.errors.end());
    }
    std::vector<stats::Analysis> analyses;
    for (std::size_t c = 0; c < cohorts.size(); ++c) {
      auto analysis = stats::analyse(cohorts[c].matrix, options);
      const auto& co = cohorts[c];
      analysis.title =
          co.assessment_id.empty() ? co.title : fmt::format("{} {} ({})", co.assessment_id, co.assessment_version, co.title);
      std::optional<stats::Fairness> fair;
      if (!args->groups.empty()) {
        std::vector<std::string> group;
        for (const auto& person : co.matrix.persons) {
          auto it = groups.group_of.find(person);
          group.push_back(it == groups.group_of.end() ? "" : it->second);
        }
        stats::FairnessOptions fo;
        fo.min_group = args->min_group;
        fo.reference = args->reference;
        if (auto pass = options.pass_percent ? options.pass_percent : co.matrix.pass_percent) fo.pass_percent = *pass;
        fair = stats::fairness(co.matrix, group, options.pass_percent ? std::vector<int>{} : co.matrix.passed, fo);
        fair->field = args->group_by;
      }
      if (args->json) {
        auto j = stats::to_json(analysis, true);
        if (fair) j["groups"] = stats::to_json(*fair);
        *ctx.out << j.dump() << "\n";
      } else {
        *ctx.out << (c ? "\n" : "") << stats::to_text(analysis) << (fair ? stats::to_text(*fair) : "");
      }
      if (!args->html.empty()) analyses.push_back(std::move(analysis));
    }
    if (!args->html.empty()) {
      if (auto w = io::try_write_atomic(args->html, report::stats_html(analyses)); !w)
        throw ExitRequest{Exit::kIo, w.error().format()};
    }
    if (!errors.empty()) throw ExitRequest{Exit::kProblems, ""};
  });
}

}  // namespace assay::app
