#include <string>
#include <vector>

#include "assay/plugins.hpp"
#include "commands.hpp"

namespace assay::app {

void add_plugins(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("plugins", "list the plugins found on the search path, and the files refused");
  struct Options {
    bool json = false;
    std::vector<std::string> dirs;
  };
  auto opts = std::make_shared<Options>();
  cmd->add_flag("--json", opts->json, "one JSON document for machines");
  cmd->add_option("--plugin-dir", opts->dirs, "load plugins from DIR first (repeatable)")->type_name("DIR");
  cmd->callback([&ctx, opts] {
    auto dirs = ctx.plugin_dirs;
    for (const auto& d : opts->dirs) dirs.emplace_back(d);
    auto registry = plugins::Registry::load(plugins::search_path(dirs));
    if (!plugins::write_listing(registry, opts->json, *ctx.out, *ctx.err)) throw ExitRequest{Exit::kProblems, ""};
  });
}

}  // namespace assay::app
