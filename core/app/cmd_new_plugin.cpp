#include <fmt/format.h>
#include <fmt/ranges.h>
#include <ostream>
#include <string>
#include <vector>

#include "assay/new_plugin.hpp"
#include "commands.hpp"

namespace assay::app {

void add_new_plugin(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("new-plugin", "write a plugin project to build out of tree (for plugin authors)");
  cmd->footer(
      "The project builds against an installed Assay (find_package(Assay)), in Release unless told\n"
      "otherwise, and its CTest runs `assay plugin-check` on the plugin; its README says how to\n"
      "build, check, install and sign it.");
  auto request = std::make_shared<plugincheck::NewPlugin>();
  auto dir = std::make_shared<std::string>();
  cmd->add_option("NAME", request->name, "the plugin's name, kebab-case (my-plugin)")->required();
  cmd->add_option("--type", request->types, "an item type to start, kebab-case (repeatable; default reading-check)")
      ->type_name("TYPE")
      ->allow_extra_args(false);
  cmd->add_option("--dir", *dir, "write the project into DIR, new or empty (default ./NAME)")->type_name("DIR");
  cmd->callback([&ctx, request, dir] {
    request->dir = *dir;
    auto project = plugincheck::try_new_plugin(*request);
    if (!project) {
      using Kind = plugincheck::NewPluginError::Kind;
      auto kind = project.error().kind;
      throw ExitRequest{kind == Kind::kName     ? Exit::kUsage
                        : kind == Kind::kExists ? Exit::kProblems
                                                : Exit::kIo,
                        project.error().message};
    }
    const auto& p = project.value();
    *ctx.out << fmt::format("wrote plugin project '{}' into {}: {}\n", request->name, p.dir.string(), fmt::join(p.files, ", "));
    *ctx.out << fmt::format("  next: cmake -S {0} -B {0}/build -DCMAKE_PREFIX_PATH=<where Assay is installed>\n", p.dir.string());
    *ctx.out << fmt::format("        cmake --build {0}/build && ctest --test-dir {0}/build\n", p.dir.string());
  });
}

}  // namespace assay::app
