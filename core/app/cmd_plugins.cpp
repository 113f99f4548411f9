#include <fmt/format.h>

#include <ostream>
#include <string>
#include <vector>

#include "assay/io.hpp"
#include "assay/plugins.hpp"
#include "assay/sha256.hpp"
#include "commands.hpp"

namespace assay::app {

namespace {

/// The loaded plugins as a lock: each one's name, version and the SHA-256 of its file.
std::string lock_of(const plugins::Registry& registry) {
  std::vector<plugins::LockEntry> entries;
  for (const auto& p : registry.plugins()) {
    std::string sha = p->provenance().sha256;
    if (sha.empty()) {
      auto bytes = io::try_read_file(p->path());
      if (!bytes) throw ExitRequest{Exit::kIo, bytes.error().format()};
      sha = util::sha256_hex(bytes.value());
    }
    entries.push_back({p->name(), p->version(), sha, p->path().filename().string()});
  }
  return plugins::lock_json(entries);
}

}  // namespace

void add_plugins(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("plugins", "list the plugins found on the search path, and the files refused");
  struct Options {
    bool json = false;
    std::vector<std::string> dirs;
    std::string lock;
  };
  auto opts = std::make_shared<Options>();
  cmd->add_flag("--json", opts->json, "one JSON document for machines");
  cmd->add_option("--plugin-dir", opts->dirs, "load plugins from DIR first (repeatable)")->type_name("DIR");
  cmd->add_option("--lock", opts->lock,
                  "write the loaded plugins' names, versions and SHA-256 to FILE, for --plugin-lock (docs/plugin-trust.md)")
      ->type_name("FILE");
  cmd->callback([&ctx, opts] {
    auto registry = load_plugins(ctx, {opts->dirs.begin(), opts->dirs.end()});
    bool clean = plugins::write_listing(registry, opts->json, *ctx.out, *ctx.err);
    if (!opts->lock.empty()) {
      auto written = io::try_write_atomic(opts->lock, lock_of(registry));
      if (!written) throw ExitRequest{Exit::kIo, written.error().format()};
      *ctx.err << fmt::format("{}: locked {} plugin{}{}\n", opts->lock, registry.plugins().size(),
                              registry.plugins().size() == 1 ? "" : "s", clean ? "" : " (the refused files are not in the lock)");
    }
    if (!clean) throw ExitRequest{Exit::kProblems, ""};
  });
}

}  // namespace assay::app
