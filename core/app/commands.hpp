// The table of subcommands: one entry per `core/app/cmd_<name>.cpp`. `main` registers each
// with CLI11; `assay help` prints the table; a mistyped name gets the nearest entry.
#pragma once

#include <CLI/CLI.hpp>
#include <span>

#include "context.hpp"
#include "exit.hpp"

namespace assay::app {

struct Command {
  const char* name;
  const char* summary;
  void (*add)(CLI::App& app, Context& ctx);
};

std::span<const Command> commands();

// One per cmd_<name>.cpp: adds the subcommand, its options and its callback. A callback ends
// by throwing ExitRequest (for any code but 0) or returning (exit 0).
void add_help(CLI::App& app, Context& ctx);
void add_plugins(CLI::App& app, Context& ctx);
void add_types(CLI::App& app, Context& ctx);
void add_plugin_check(CLI::App& app, Context& ctx);
void add_new_plugin(CLI::App& app, Context& ctx);
void add_validate(CLI::App& app, Context& ctx);
void add_preview(CLI::App& app, Context& ctx);
void add_cohort(CLI::App& app, Context& ctx);
void add_take(CLI::App& app, Context& ctx);
void add_score(CLI::App& app, Context& ctx);
void add_report(CLI::App& app, Context& ctx);
void add_serve(CLI::App& app, Context& ctx);

}  // namespace assay::app
