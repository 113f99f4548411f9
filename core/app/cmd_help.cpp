#include <fmt/format.h>

#include <ostream>

#include "commands.hpp"

namespace assay::app {

void add_help(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("help", "show the commands and what they do");
  cmd->callback([&ctx] {
    *ctx.out << "usage: assay <command> [options]\n\ncommands:\n";
    for (const auto& c : commands()) *ctx.out << fmt::format("  {:<14} {}\n", c.name, c.summary);
    *ctx.out << "\nrun 'assay <command> --help' for a command's options\n";
  });
}

}  // namespace assay::app
