// The `assay` command: builds the Context, registers the command table, and is the one place
// the process exits (exit codes: README.md).
#include <assay/plugin.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "assay/diagnostic.hpp"
#include "commands.hpp"

namespace {

[[noreturn]] void leave(assay::Exit code, const std::string& message) {
  if (!message.empty()) std::cerr << message << (message.back() == '\n' ? "" : "\n");
  std::cout.flush();
  std::exit(static_cast<int>(code));
}

}  // namespace

int main(int argc, char** argv) {
  using namespace assay;
  Context ctx;
  ctx.out = &std::cout;
  ctx.err = &std::cerr;
  ctx.clock = make_clock();
  ctx.out_is_terminal = isatty(STDOUT_FILENO) == 1;
  ctx.err_is_terminal = isatty(STDERR_FILENO) == 1;
  const char* no_color = std::getenv("NO_COLOR");
  ctx.color = ctx.out_is_terminal && (no_color == nullptr || *no_color == '\0');

  CLI::App app{"assay: skills assessments for hospital technology roles", "assay"};
  app.set_version_flag("--version", fmt::format("assay {} (plugin ABI {}.{})", ASSAY_VERSION, ASSAY_ABI_MAJOR, ASSAY_ABI_MINOR));
  app.require_subcommand(0, 1);
  app.fallthrough();
  std::vector<std::string> plugin_dirs;
  app.add_option("--plugin-dir", plugin_dirs, "load plugins from DIR first (repeatable)")
      ->type_name("DIR")
      ->allow_extra_args(false);  // one DIR per --plugin-dir: `--plugin-dir d plugins` runs `plugins`
  std::vector<std::string> names;
  for (const auto& c : app::commands()) {
    c.add(app, ctx);
    names.emplace_back(c.name);
  }
  app.parse_complete_callback([&] {
    for (const auto& d : plugin_dirs) ctx.plugin_dirs.emplace_back(d);
  });

  try {
    app.parse(argc, argv);
    if (app.get_subcommands().empty()) {
      std::cout << app.help();
      return static_cast<int>(Exit::kOk);
    }
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ExtrasError& e) {
    // The arguments nothing claimed: an option no command has, a stray word after a command,
    // or (usually) a mistyped command.
    auto extras = app.remaining(true);
    std::string word = extras.empty() ? std::string(argc > 1 ? argv[1] : "") : extras.front();
    std::string command = app.get_subcommands().empty() ? "" : app.get_subcommands().front()->get_name();
    std::string usage = "assay " + (command.empty() ? "" : command + " ") + "--help";
    if (!word.empty() && word[0] == '-') {
      leave(Exit::kUsage, "assay: error: unknown option '" + word + "'\n  hint: '" + usage + "' lists the options");
    }
    if (!command.empty()) {
      leave(Exit::kUsage, "assay: error: unexpected argument '" + word + "'\n  hint: '" + usage + "' lists what it takes");
    }
    std::string msg = "assay: error: unknown command '" + word + "'";
    if (auto near = nearest(word, names); !near.empty()) msg += "\n  hint: did you mean 'assay " + near + "'?";
    msg += "\n  hint: 'assay help' lists the commands";
    leave(Exit::kUsage, msg);
  } catch (const CLI::ParseError& e) {
    leave(Exit::kUsage, std::string("assay: error: ") + e.what() + "\n  hint: run with --help for the options");
  } catch (const ExitRequest& e) {
    leave(e.code, e.message);
  } catch (const std::exception& e) {
    leave(Exit::kInternal, std::string("assay: internal error: ") + e.what() +
                               "\n  hint: this is a bug in assay; please report it with the command that caused it");
  }
  std::cout.flush();
  return static_cast<int>(Exit::kOk);
}
