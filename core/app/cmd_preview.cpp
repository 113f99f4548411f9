#include <ostream>
#include <string>

#include "assay/delivery.hpp"
#include "assay/model.hpp"
#include "assay/plugins.hpp"
#include "commands.hpp"

namespace assay::app {

void add_preview(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("preview", "show an item as a candidate sees it, for a given seed");
  struct Options {
    std::string file, item, seed = "1", response;
    bool key = false;
  };
  auto opts = std::make_shared<Options>();
  cmd->add_option("FILE", opts->file, "the assessment (TOML)")->required();
  cmd->add_option("ITEM", opts->item, "the item id")->required();
  cmd->add_option("--seed", opts->seed, "the item seed, an unsigned 64-bit integer (default 1)")->type_name("N");
  cmd->add_flag("--key", opts->key, "also show the key: the plugin's solved response");
  cmd->add_option("--response", opts->response, "also score this response v1 JSON, per criterion")->type_name("JSON");
  cmd->callback([&ctx, opts, cmd] {
    auto seed = delivery::parse_seed(opts->seed);
    if (!seed)
      throw ExitRequest{Exit::kUsage, "assay: error: --seed: expected an unsigned 64-bit integer, found \"" + opts->seed +
                                          "\"\n  hint: for example --seed 42"};
    auto registry = load_plugins(ctx);
    auto report = model::validate_file(opts->file, registry);
    if (report.unreadable || error_count(report.diagnostics) > 0) {
      *ctx.err << format_all(report.diagnostics);
      throw ExitRequest{report.unreadable ? Exit::kIo : Exit::kProblems, ""};
    }
    auto loaded = model::try_load_and_prepare(opts->file, registry);
    if (!loaded) throw ExitRequest{Exit::kProblems, format_all(loaded.error())};
    model::PreviewOptions po;
    po.seed = *seed;
    po.key = opts->key;
    if (cmd->count("--response") > 0) po.response = opts->response;
    po.color = ctx.color;
    auto text = model::preview_item(loaded.value(), opts->item, po);
    if (!text) throw ExitRequest{Exit::kProblems, format_all(text.error())};
    *ctx.out << text.value();
  });
}

}  // namespace assay::app
