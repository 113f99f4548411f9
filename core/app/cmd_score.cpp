#include <fmt/format.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <ostream>
#include <stdexcept>

#include "assay/plugins.hpp"
#include "assay/scoring.hpp"
#include "assay/xapi.hpp"
#include "commands.hpp"

namespace assay::app {

namespace {

struct ScoreArgs {
  std::string attempts, out, csv, exclusions_file, ratings_file;
  std::string xapi, xapi_home, xapi_activity_base;
  bool xapi_items = false;
  std::vector<std::string> assessment_dirs, excludes;
  bool accept_changed = false;
  unsigned threads = 0;
  double plugin_timeout = 10;
};

// "scoring [#########           ] 450/1000" on one line, redrawn when the bar moves.
class ProgressBar {
 public:
  explicit ProgressBar(std::ostream& err) : err_(err) {}
  void operator()(std::size_t done, std::size_t total) {
    constexpr std::size_t kWidth = 30;
    std::size_t filled = total == 0 ? kWidth : done * kWidth / total;
    std::lock_guard lock(mutex_);
    if (filled == last_ && done != total) return;
    last_ = filled;
    err_ << fmt::format("\rscoring [{}{}] {}/{}", std::string(filled, '#'), std::string(kWidth - filled, ' '), done, total)
         << std::flush;
    shown_ = true;
  }
  void clear() {
    if (shown_) err_ << "\r\033[K" << std::flush;
  }

 private:
  std::ostream& err_;
  std::mutex mutex_;
  std::size_t last_ = static_cast<std::size_t>(-1);
  bool shown_ = false;
};

// The statements of every result, one per line; the options checked first, as a usage error.
std::function<std::string(const std::vector<scoring::ScoreResult>&, const std::vector<const delivery::Attempt*>&)> xapi_writer(
    const ScoreArgs& args) {
  xapi::Options x{args.xapi_home, args.xapi_activity_base, args.xapi_items};
  check_xapi_options("assay score", "--xapi", x);
  return [x](const std::vector<scoring::ScoreResult>& results, const std::vector<const delivery::Attempt*>& attempts) {
    std::string out;
    for (std::size_t i = 0; i < results.size(); ++i)
      for (const auto& s : xapi::statements(results[i], *attempts[i], x)) out += s.dump() + "\n";
    return out;
  };
}

}  // namespace

void add_score(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("score", "score attempts (JSON Lines) into results and a CSV summary");
  auto args = std::make_shared<ScoreArgs>();
  cmd->add_option("ATTEMPTS", args->attempts, "attempts, one attempt v1 per line")->required();
  cmd->add_option("--out,-o", args->out, "write the results here (result v1, one per line, input order)")
      ->required()
      ->type_name("FILE");
  cmd->add_option("--csv", args->csv, "also write a summary: one row per candidate, one column per competency")
      ->type_name("FILE");
  cmd->add_option("--xapi", args->xapi, "also write xAPI 1.0.3 statements, one per line (docs/formats.md)")->type_name("FILE");
  cmd->add_option("--xapi-home", args->xapi_home,
                  "with --xapi: the home page of the system whose candidate ids these are (the actor's account)")
      ->type_name("URL");
  cmd->add_option("--xapi-activity-base", args->xapi_activity_base,
                  "with --xapi: where assessment activity IRIs live (default: --xapi-home)")
      ->type_name("IRI");
  cmd->add_flag("--xapi-items", args->xapi_items, "with --xapi: also one \"answered\" statement per item");
  cmd->add_option("--assessments", args->assessment_dirs, "find assessments here (repeatable; default: the shipped ones)")
      ->type_name("DIR");
  cmd->add_flag("--accept-changed", args->accept_changed,
                "score lines whose assessment changed since delivery, with the current file");
  cmd->add_option("--exclude", args->excludes, "exclude an item for everyone, with the reason (repeatable)")
      ->type_name("ID=REASON");
  cmd->add_option("--exclusions", args->exclusions_file, "exclusions, one {\"item\", \"reason\"} per line")->type_name("FILE");
  cmd->add_option("--ratings", args->ratings_file, "raters' levels, one {\"attempt_id\", \"ratings\"} per line")
      ->type_name("FILE");
  cmd->add_option("--threads", args->threads, "worker threads, and plugin worker processes (default: one per core)")
      ->type_name("N");
  cmd->add_option("--plugin-timeout", args->plugin_timeout,
                  "seconds one plugin call may take; past it the call fails and the item is reported (default: 10)")
      ->type_name("SECONDS")
      ->check(CLI::Range(0.001, 86400.0));
  cmd->callback([&ctx, args] {
    scoring::BatchOptions o;
    o.attempts = args->attempts;
    o.out = args->out;
    if (!args->csv.empty()) o.csv = args->csv;
    for (const auto& d : args->assessment_dirs) o.assessment_dirs.emplace_back(d);
    o.accept_changed = args->accept_changed;
    for (const auto& e : args->excludes) {
      auto ex = scoring::parse_exclusion(e);
      if (!ex)
        throw ExitRequest{Exit::kUsage, "assay score: error: --exclude: expected ID=REASON, found '" + e +
                                            "'\n  hint: --exclude es-leakage-01=\"key cites the wrong limit\""};
      o.exclusions.push_back(*ex);
    }
    if (!args->exclusions_file.empty()) o.exclusions_file = args->exclusions_file;
    if (!args->ratings_file.empty()) o.ratings_file = args->ratings_file;
    o.threads = args->threads;
    if (!args->xapi.empty()) o.exports.push_back({args->xapi, xapi_writer(*args)});
    auto bar = std::make_shared<ProgressBar>(*ctx.err);
    if (ctx.err_is_terminal) o.progress = [bar](std::size_t done, std::size_t total) { (*bar)(done, total); };

    auto registry = load_plugins(ctx);
    // Every plugin call in worker processes: a plugin that crashes or hangs costs its items,
    // which are reported, and not the batch.
    try {
      registry.isolate({args->threads, args->plugin_timeout});
    } catch (const std::runtime_error& e) {
      throw ExitRequest{Exit::kIo, fmt::format("assay score: error: {}", e.what())};
    }
    auto summary = scoring::run_batch(o, registry, *ctx.err);
    bar->clear();
    if (summary.io_failed) throw ExitRequest{Exit::kIo, ""};
    *ctx.out << fmt::format("scored {} of {} attempts: {} pass, {} fail, {} pending", summary.scored, summary.lines, summary.pass,
                            summary.fail, summary.pending);
    if (summary.rejected > 0) *ctx.out << fmt::format("; {} rejected", summary.rejected);
    if (summary.failed_items > 0)
      *ctx.out << fmt::format("; {} {} could not be scored", summary.failed_items, summary.failed_items == 1 ? "item" : "items");
    *ctx.out << "\n";
    if (summary.input_problems || summary.failed_items > 0) throw ExitRequest{Exit::kProblems, ""};
  });
}

}  // namespace assay::app
