#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "assay/plugins.hpp"
#include "assay/types.hpp"
#include "commands.hpp"

namespace assay::app {

void add_types(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("types", "list the item types, or describe one: params, criteria, a TOML example");
  struct Options {
    std::string type;
    bool json = false;
    bool markdown = false;
    std::vector<std::string> dirs;
  };
  auto opts = std::make_shared<Options>();
  cmd->add_option("TYPE", opts->type, "the item type to describe: plugin/type (or a type only one plugin declares)");
  auto* json_flag = cmd->add_flag("--json", opts->json, "one JSON document for tools");
  cmd->add_flag("--markdown", opts->markdown, "the type's reference page (docs/types/)")->excludes(json_flag);
  cmd->add_option("--plugin-dir", opts->dirs, "load plugins from DIR first (repeatable)")
      ->type_name("DIR")
      ->allow_extra_args(false);  // one DIR each: `types --plugin-dir d TYPE` describes TYPE
  cmd->callback([&ctx, opts] {
    auto registry = load_plugins(ctx, {opts->dirs.begin(), opts->dirs.end()});
    if (opts->type.empty()) {
      if (opts->markdown)
        throw ExitRequest{Exit::kUsage, "assay: error: --markdown describes one type\n  hint: assay types TYPE --markdown"};
      if (opts->json)
        *ctx.out << model::types_listing_json(registry).dump(2) << '\n';
      else
        *ctx.out << model::types_listing(registry);
      return;
    }
    auto type = model::find_item_type(registry, opts->type);
    if (!type) throw ExitRequest{Exit::kProblems, type.error()};
    auto description = model::describe_type(**type);
    if (opts->json)
      *ctx.out << description.dump(2) << '\n';
    else if (opts->markdown)
      *ctx.out << model::type_markdown(description);
    else
      *ctx.out << model::type_text(description);
  });
}

}  // namespace assay::app
