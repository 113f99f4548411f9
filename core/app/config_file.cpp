// `serve --config FILE`: a command's long options from a TOML file.
#include <fmt/format.h>

#include <string>
#include <vector>

#include "assay/diagnostic.hpp"
#include "commands.hpp"

namespace assay::app {

void apply_config(CLI::App& cmd, const std::string& file) {
  std::vector<CLI::ConfigItem> items;
  try {
    items = CLI::ConfigTOML().from_file(file);
  } catch (const CLI::Error& e) {
    throw ExitRequest{Exit::kIo, fmt::format("{}: error: cannot read the configuration: {}", file, e.what())};
  }
  std::vector<std::string> names;
  for (const CLI::Option* o : cmd.get_options()) {
    if (o->get_configurable() && !o->get_lnames().empty()) names.push_back(o->get_lnames().front());
  }
  for (const auto& item : items) {
    if (!item.parents.empty() || item.name == "++" || item.name == "--") {
      throw ExitRequest{Exit::kUsage, fmt::format("{}: error: sections are not read here: write 'name = value' lines for "
                                                  "'assay {}' at the top of the file",
                                                  file, cmd.get_name())};
    }
    CLI::Option* option = cmd.get_option_no_throw("--" + item.name);
    if (option == nullptr || !option->get_configurable()) {
      std::string msg = fmt::format("{}: error: '{}' is not an option of 'assay {}'", file, item.name, cmd.get_name());
      if (auto near = nearest(item.name, names); !near.empty()) msg += fmt::format("\n  hint: did you mean '{}'?", near);
      throw ExitRequest{Exit::kUsage, msg + fmt::format("\n  hint: 'assay {} --help' lists the options", cmd.get_name())};
    }
    if (option->count() > 0) continue;  // the command line wins
    try {
      option->add_result(item.inputs);
      option->run_callback();
    } catch (const CLI::Error& e) {
      throw ExitRequest{Exit::kUsage, fmt::format("{}: error: {}: {}", file, item.name, e.what())};
    }
  }
}

}  // namespace assay::app
