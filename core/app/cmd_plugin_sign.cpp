#include <fmt/format.h>

#include <ostream>
#include <string>

#include "assay/io.hpp"
#include "assay/plugins.hpp"
#include "commands.hpp"

namespace assay::app {

namespace {

struct SignOptions {
  std::string lib, key, new_key, comment, plugin, version;
};

void make_key(const SignOptions& o, Context& ctx) {
  auto key = plugins::write_new_key(o.new_key, o.comment);
  if (!key) throw ExitRequest{Exit::kIo, key.error()};
  *ctx.out << fmt::format(
      "wrote {}.key (secret: keep it off the machines that run plugins) and {}\n"
      "key {} ({})\n"
      "sign with:  assay plugin-sign LIB.so --key {}.key\n"
      "a hospital trusts it by copying {} into its trusted-keys directory\n",
      o.new_key, key.value().file.string(), key.value().id, key.value().comment, o.new_key, key.value().file.filename().string());
}

void sign(const SignOptions& o, Context& ctx) {
  auto secret = plugins::read_secret_key(o.key);
  if (!secret) throw ExitRequest{Exit::kProblems, secret.error()};
  auto bytes = io::try_read_file(o.lib);
  if (!bytes) throw ExitRequest{Exit::kIo, bytes.error().format()};
  std::string plugin = o.plugin, version = o.version;
  if (plugin.empty() || version.empty()) {
    // The name and version the plugin declares: loading runs its code, which the signer vouches for.
    auto loaded = plugins::try_load_plugin(o.lib);
    if (!loaded) {
      throw ExitRequest{Exit::kProblems,
                        loaded.error() + "\n  hint: give --plugin and --plugin-version to sign without loading it"};
    }
    if (plugin.empty()) plugin = loaded.value()->name();
    if (version.empty()) version = loaded.value()->version();
  }
  auto s = plugins::make_signature(bytes.value(), plugin, version, secret.value());
  util::wipe(secret.value());
  auto sig_file = plugins::signature_path(o.lib);
  auto written = io::try_write_atomic(sig_file, plugins::signature_json(s));
  if (!written) throw ExitRequest{Exit::kIo, written.error().format()};
  *ctx.out << fmt::format("signed {} ({} {}, SHA-256 {}) with key {}: {}\n", o.lib, s.plugin, s.version, s.sha256, s.key_id,
                          sig_file.string());
}

}  // namespace

void add_plugin_sign(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("plugin-sign", "sign a plugin library, or make a signing key (for plugin providers)");
  cmd->footer(
      "Signing writes LIB.so.sig beside the library: an Ed25519 signature of the file's SHA-256 and the plugin's name "
      "and version. A host that trusts the key's .pub file (--trusted-keys, --require-signed) loads only what was "
      "signed. Key making, trusting and rotation: docs/plugin-trust.md.");
  auto opts = std::make_shared<SignOptions>();
  auto* lib = cmd->add_option("LIB", opts->lib, "the plugin's shared library (.so)");
  auto* key = cmd->add_option("--key", opts->key, "the secret key file (made with --new-key)")->type_name("KEY");
  auto* new_key = cmd->add_option("--new-key", opts->new_key, "make a key pair: STEM.key (secret) and STEM.pub")
                      ->type_name("STEM")
                      ->excludes(lib)
                      ->excludes(key);
  cmd->add_option("--comment", opts->comment, "a name for the new key, shown wherever it is (default: STEM's name)")
      ->needs(new_key);
  cmd->add_option("--plugin", opts->plugin, "the plugin name to sign for (default: the one the library declares)")->needs(lib);
  cmd->add_option("--plugin-version", opts->version, "the version to sign for (default: the one the library declares)")
      ->needs(lib);
  cmd->callback([&ctx, opts] {
    if (!opts->new_key.empty()) return make_key(*opts, ctx);
    if (opts->lib.empty() || opts->key.empty()) {
      throw ExitRequest{Exit::kUsage,
                        "assay plugin-sign: error: give LIB and --key KEY, or --new-key STEM\n  hint: assay plugin-sign --help"};
    }
    sign(*opts, ctx);
  });
}

}  // namespace assay::app
