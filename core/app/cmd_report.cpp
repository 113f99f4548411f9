#include <fmt/format.h>

#include <memory>
#include <ostream>

#include "assay/catalog.hpp"
#include "assay/io.hpp"
#include "assay/model.hpp"
#include "assay/plugins.hpp"
#include "assay/report.hpp"
#include "commands.hpp"

namespace assay::app {

namespace {
struct ReportArgs {
  std::string results, html, candidate;
  std::vector<std::string> assessment_dirs;
};
}  // namespace

void add_report(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("report", "summarise results: ranking, pass rate, distribution, reasons; HTML");
  auto args = std::make_shared<ReportArgs>();
  cmd->add_option("RESULTS", args->results, "results written by 'assay score' (JSON Lines)")->required();
  cmd->add_option("--html", args->html, "also write a self-contained HTML report with charts")->type_name("FILE");
  cmd->add_option("--candidate", args->candidate, "one candidate's report with feedback and explanations")->type_name("ID");
  cmd->add_option("--assessments", args->assessment_dirs,
                  "find assessments here for --candidate (repeatable; default: the shipped ones)")
      ->type_name("DIR");
  cmd->callback([&ctx, args] {
    auto text = io::try_read_file(args->results);
    if (!text) throw ExitRequest{Exit::kIo, text.error().format()};
    auto read = report::read_results(args->results, text.value());
    *ctx.err << format_all(read.errors);

    if (!args->candidate.empty()) {
      std::vector<const scoring::ScoreResult*> mine;
      for (const auto& r : read.results)
        if (r.candidate_id == args->candidate) mine.push_back(&r);
      if (mine.empty())
        throw ExitRequest{Exit::kProblems, fmt::format("{}: error: no result for candidate '{}'\n  hint: 'assay report "
                                                       "{}' lists the candidates",
                                                       args->results, args->candidate, args->results)};
      std::vector<std::filesystem::path> dirs(args->assessment_dirs.begin(), args->assessment_dirs.end());
      auto entries = catalog::scan(catalog::assessment_dirs(dirs));
      auto registry = load_plugins(ctx);
      for (const auto* r : mine) {
        std::unique_ptr<model::LoadedAssessment> la;
        for (auto& e : entries) {
          if (e.assessment.id != r->assessment_id || e.assessment.version != r->assessment_version) continue;
          auto prepared = model::try_prepare_assessment(e.assessment, registry);
          if (prepared) la = std::make_unique<model::LoadedAssessment>(std::move(prepared.value()));
          break;
        }
        *ctx.out << report::candidate_text(*r, la.get(), ctx.color) << "\n";
      }
    } else {
      *ctx.out << report::summary_text(read.results, ctx.color);
    }
    if (!args->html.empty()) {
      if (auto w = io::try_write_atomic(args->html, report::summary_html(read.results)); !w)
        throw ExitRequest{Exit::kIo, w.error().format()};
    }
    if (!read.errors.empty()) throw ExitRequest{Exit::kProblems, ""};
  });
}

}  // namespace assay::app
