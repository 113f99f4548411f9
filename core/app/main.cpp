// The `assay` command: builds the Context, registers the command table, and is the one place
// the process exits (exit codes: README.md).
#include <assay/plugin.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "assay/diagnostic.hpp"
#include "commands.hpp"

namespace {

[[noreturn]] void leave(assay::Exit code, const std::string& message) {
  if (!message.empty()) std::cerr << message << (message.back() == '\n' ? "" : "\n");
  std::cout.flush();
  std::exit(static_cast<int>(code));
}

std::string unknown_command(const std::string& word, const std::vector<std::string>& names) {
  std::string msg = "assay: error: unknown command '" + word + "'";
  if (auto near = assay::nearest(word, names); !near.empty()) msg += "\n  hint: did you mean 'assay " + near + "'?";
  msg += "\n  hint: 'assay help' lists the commands";
  return msg;
}

/// The first argument that is not an option or the DIR of a global --plugin-dir: the command.
std::string first_word(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--plugin-dir") {
      ++i;
      continue;
    }
    if (a.starts_with("-")) continue;
    return std::string(a);
  }
  return "";
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
  app.add_option("--plugin-dir", "load plugins from DIR first (repeatable)")
      ->type_name("DIR")
      ->allow_extra_args(false)  // one DIR per --plugin-dir: `--plugin-dir d plugins` runs `plugins`
      ->take_all()
      ->each([&ctx](const std::string& d) { ctx.plugin_dirs.emplace_back(d); });
  std::vector<std::string> names;
  for (const auto& c : app::commands()) {
    c.add(app, ctx);
    names.emplace_back(c.name);
  }
  // Every command that loads plugins lists --plugin-dir in its own help; before or after the
  // command name it means the same. (`plugins` and `types` declare their own.)
  // (`each`, not a bound vector: `serve --config` may add to them after the command line.)
  for (const char* name : {"plugins", "types", "validate", "preview", "take", "score", "report", "cohort", "serve"}) {
    CLI::App* sub = app.get_subcommand(name);
    if (sub->get_option_no_throw("--plugin-dir") == nullptr)
      sub->add_option("--plugin-dir", "load plugins from DIR first (repeatable)")
          ->type_name("DIR")
          ->take_all()
          ->each([&ctx](const std::string& d) { ctx.plugin_dirs.emplace_back(d); });
    app::add_trust_options(*sub, ctx);
  }

  // "assay nosuch --help": CLI11 would print the general help; the mistyped command comes first.
  if (std::string word = first_word(argc, argv);
      !word.empty() && word != "--" && std::find(names.begin(), names.end(), word) == names.end())
    leave(Exit::kUsage, unknown_command(word, names));

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
    leave(Exit::kUsage, unknown_command(word, names));
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
