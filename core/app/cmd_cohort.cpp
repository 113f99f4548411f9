#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <ostream>

#include "assay/cohort.hpp"
#include "assay/io.hpp"
#include "assay/model.hpp"
#include "assay/plugins.hpp"
#include "commands.hpp"

namespace assay::app {

void add_cohort(CLI::App& app, Context& ctx) {
  struct Args {
    std::string file, out, start = "2026-03-02T08:00:00Z";
    std::size_t candidates = 200;
    std::uint64_t seed = 1;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("cohort", "generate synthetic candidates' attempts for an assessment (seeded)");
  cmd->add_option("assessment", args->file, "the assessment's TOML file")->required();
  cmd->add_option("--out,-o", args->out, "write the attempts here (JSON Lines); default: standard output");
  cmd->add_option("--candidates,-n", args->candidates, "how many candidates")->capture_default_str();
  cmd->add_option("--seed", args->seed, "the generator's seed")->capture_default_str();
  cmd->add_option("--start", args->start, "when the first candidate starts (RFC 3339 UTC)")->capture_default_str();
  cmd->callback([&ctx, args] {
    TimePoint start;
    if (!parse_time(args->start, start))
      throw ExitRequest{Exit::kUsage,
                        fmt::format("assay: error: --start: expected an RFC 3339 UTC time, found \"{}\"", args->start)};
    auto registry = load_plugins(ctx);
    auto loaded = model::try_load_and_prepare(args->file, registry);
    if (!loaded) throw ExitRequest{Exit::kProblems, format_all(loaded.error())};
    auto attempts = cohort::generate(loaded.value(), {args->candidates, args->seed, start});
    if (!attempts) throw ExitRequest{Exit::kProblems, fmt::format("{}: error: {}", args->file, attempts.error())};
    std::string text;
    for (const auto& a : attempts.value()) text += delivery::to_json(a).dump() + '\n';
    if (args->out.empty()) {
      *ctx.out << text;
      return;
    }
    auto written = io::try_write_atomic(args->out, text);
    if (!written) throw ExitRequest{Exit::kIo, written.error().format()};
    if (ctx.err_is_terminal) *ctx.err << fmt::format("wrote {} attempts to {}\n", attempts->size(), args->out);
  });
}

}  // namespace assay::app
