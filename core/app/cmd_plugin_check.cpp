#include <string>

#include "assay/plugin_check.hpp"
#include "commands.hpp"

namespace assay::app {

void add_plugin_check(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("plugin-check", "check that a plugin keeps the plugin contract (for plugin authors)");
  struct Options {
    std::string lib;
    bool json = false;
    plugincheck::Options check;
  };
  auto opts = std::make_shared<Options>();
  cmd->add_option("LIB", opts->lib, "the plugin's shared library (.so)")->required();
  cmd->add_flag("--json", opts->json, "one JSON document for machines");
  cmd->add_option("--timeout", opts->check.timeout_seconds, "seconds each check may run before it counts as a hang")
      ->type_name("SECONDS")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--seeds", opts->check.seeds, "seeds for the score(solve(seed)) and key-leak checks")
      ->type_name("N")
      ->check(CLI::PositiveNumber);
  cmd->callback([&ctx, opts] {
    auto report = plugincheck::run_plugin_check(opts->lib, opts->check);
    plugincheck::write_report(report, opts->json, *ctx.out);
    if (!report.clean()) throw ExitRequest{Exit::kProblems, ""};
  });
}

}  // namespace assay::app
