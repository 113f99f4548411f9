// The table of subcommands: one entry per `core/app/cmd_<name>.cpp`. `main` registers each
// with CLI11; `assay help` prints the table; a mistyped name gets the nearest entry.
#pragma once

#include <CLI/CLI.hpp>
#include <span>

#include "assay/plugins.hpp"
#include "assay/xapi.hpp"
#include "context.hpp"
#include "exit.hpp"

namespace assay::app {

struct Command {
  const char* name;
  const char* summary;
  void (*add)(CLI::App& app, Context& ctx);
};

std::span<const Command> commands();

/// Adds --trusted-keys, --require-signed and --plugin-lock to a command that loads plugins; they
/// fill `ctx` when the command line is parsed (plugin_options.cpp).
void add_trust_options(CLI::App& cmd, Context& ctx);

/// Applies a TOML file of `name = value` lines to the long options of `cmd` that the command line
/// did not give (config_file.cpp). Unknown names and sections are errors, with did-you-mean.
void apply_config(CLI::App& cmd, const std::string& file);

/// The registry a command works with: ctx.plugin_dirs (then `more_dirs`) first on the search path,
/// the trusted keys, --require-signed and the lock applied. Prints the key warnings; an unusable
/// trust setting (a missing keys directory, a bad lock) ends the command.
plugins::Registry load_plugins(const Context& ctx, const std::vector<std::filesystem::path>& more_dirs = {});

/// Refuses (a usage error of `command`, naming `option`) xAPI options without an http(s) home page
/// or with an activity base that is not an IRI.
void check_xapi_options(const std::string& command, const std::string& option, const xapi::Options& x);

// One per cmd_<name>.cpp: adds the subcommand, its options and its callback. A callback ends
// by throwing ExitRequest (for any code but 0) or returning (exit 0).
void add_help(CLI::App& app, Context& ctx);
void add_plugins(CLI::App& app, Context& ctx);
void add_types(CLI::App& app, Context& ctx);
void add_plugin_check(CLI::App& app, Context& ctx);
void add_plugin_sign(CLI::App& app, Context& ctx);
void add_new_plugin(CLI::App& app, Context& ctx);
void add_validate(CLI::App& app, Context& ctx);
void add_import(CLI::App& app, Context& ctx);
void add_export(CLI::App& app, Context& ctx);
void add_preview(CLI::App& app, Context& ctx);
void add_cohort(CLI::App& app, Context& ctx);
void add_take(CLI::App& app, Context& ctx);
void add_score(CLI::App& app, Context& ctx);
void add_report(CLI::App& app, Context& ctx);
void add_stats(CLI::App& app, Context& ctx);
void add_serve(CLI::App& app, Context& ctx);

}  // namespace assay::app
