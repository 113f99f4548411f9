// The options that say which plugin files a command trusts, and the registry they give.
#include <fmt/format.h>

#include <ostream>

#include "commands.hpp"

namespace assay::app {

void add_trust_options(CLI::App& cmd, Context& ctx) {
  cmd.add_option("--trusted-keys", "trust the plugin signing keys (*.pub) in DIR (repeatable)")
      ->type_name("DIR")
      ->allow_extra_args(false)
      ->take_all()
      ->each([&ctx](const std::string& dir) { ctx.trusted_key_dirs.emplace_back(dir); });
  cmd.add_flag("--require-signed", ctx.require_signed, "load only plugins signed by a trusted key")
      ->envname("ASSAY_REQUIRE_SIGNED");
  cmd.add_option("--plugin-lock", ctx.plugin_lock,
                 "load only plugins whose name, version and SHA-256 FILE lists (written by 'assay plugins --lock')")
      ->type_name("FILE")
      ->envname("ASSAY_PLUGIN_LOCK");
}

plugins::Registry load_plugins(const Context& ctx, const std::vector<std::filesystem::path>& more_dirs) {
  plugins::TrustOptions options{ctx.trusted_key_dirs, ctx.require_signed, ctx.plugin_lock};
  std::vector<std::string> warnings;
  auto policy = plugins::load_trust(options, warnings);
  for (const auto& w : warnings) *ctx.err << w << '\n';
  if (!policy) throw ExitRequest{Exit::kProblems, policy.error()};
  auto dirs = ctx.plugin_dirs;
  dirs.insert(dirs.end(), more_dirs.begin(), more_dirs.end());
  return plugins::Registry::load(plugins::search_path(dirs), policy.value());
}

}  // namespace assay::app
