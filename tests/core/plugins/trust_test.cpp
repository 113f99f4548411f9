#include <sys/stat.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "assay/io.hpp"
#include "assay/plugins.hpp"
#include "assay/sha256.hpp"
#include "core/plugins/staging.hpp"

using namespace assay;
using namespace assay::plugins;
using assay::test::StagingDir;

namespace {

/// A signing key made in `dir`, and the policy that trusts it.
struct Provider {
  StagingDir keys;
  util::Ed25519SecretKey secret{};
  PublicKey pub;

  Provider() {
    auto made = write_new_key(keys.path() / "provider", "Example Training Ltd");
    REQUIRE(made.ok());
    pub = made.value();
    auto read = read_secret_key(keys.path() / "provider.key");
    REQUIRE(read.ok());
    secret = read.value();
  }
  /// Writes LIB.sig for the file as it is now.
  void sign(const fs::path& lib, std::string_view plugin = "fixture-good", std::string_view version = "1.0.0") const {
    auto bytes = io::try_read_file(lib);
    REQUIRE(bytes.ok());
    REQUIRE(
        io::try_write_atomic(signature_path(lib), signature_json(make_signature(bytes.value(), plugin, version, secret))).ok());
  }
  TrustPolicy requiring() const { return TrustPolicy{{pub}, true, std::nullopt, {}}; }
};

/// Changes one byte of the file inside its plugin name, keeping it a loadable library.
void change_one_byte(const fs::path& lib) {
  auto bytes = io::try_read_file(lib).value();
  auto at = bytes.find("fixture-good");
  REQUIRE(at != std::string::npos);
  bytes[at + 1] = 'y';  // "fyxture-good"
  // A new file renamed over the old, as an install replaces one: a library this process has
  // loaded from the old file stays mapped, unchanged.
  fs::path next = lib;
  next += ".new";
  std::ofstream(next, std::ios::binary | std::ios::trunc) << bytes;
  fs::permissions(next, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec | fs::perms::others_read |
                            fs::perms::others_exec);
  fs::rename(next, lib);
}

std::string refusal(const fs::path& lib, const TrustPolicy& policy) {
  auto loaded = try_load_plugin(lib, policy);
  REQUIRE_FALSE(loaded.ok());
  return loaded.error();
}

}  // namespace

TEST_CASE("a plugin signed by a trusted key loads from the very bytes that were checked", "[plugins][trust]") {
  Provider provider;
  StagingDir dir;
  auto lib = dir.add("good.so");
  provider.sign(lib);
  auto loaded = try_load_plugin(lib, provider.requiring());
  REQUIRE(loaded.ok());
  const auto& p = loaded.value()->provenance();
  CHECK(p.state == Provenance::Signed::kByTrustedKey);
  CHECK(p.key_id == provider.pub.id);
  CHECK(p.key_comment == "Example Training Ltd");
  CHECK(p.sha256 == util::sha256_hex(io::try_read_file(lib).value()));
  // What runs is a sealed in-memory copy, not the file that could change after the check.
  std::ifstream maps("/proc/self/maps");
  std::stringstream text;
  text << maps.rdbuf();
  CHECK(text.str().find("/memfd:good.so") != std::string::npos);
}

TEST_CASE("signatures are required: unsigned, untrusted, changed and forged files are refused by name and reason",
          "[plugins][trust]") {
  Provider provider, stranger;
  StagingDir dir;
  auto lib = dir.add("good.so");
  const std::string prefix = lib.string() + ": error: refused: ";

  SECTION("no signature") {
    CHECK(refusal(lib, provider.requiring()) ==
          prefix + "not signed: signatures are required and there is no " + lib.string() +
              ".sig\n  hint: its provider signs it with 'assay plugin-sign good.so --key KEY'");
  }
  SECTION("a key that is not trusted") {
    stranger.sign(lib);
    CHECK(refusal(lib, provider.requiring()).starts_with(prefix + "signed by key " + stranger.pub.id + ", which is not trusted"));
  }
  SECTION("one byte changed after signing") {
    provider.sign(lib);
    change_one_byte(lib);
    CHECK(refusal(lib, provider.requiring())
              .starts_with(prefix + "its signature is not valid: the file changed after it was signed"));
  }
  SECTION("a signature file whose hash was edited to match the changed file") {
    provider.sign(lib);
    change_one_byte(lib);
    auto sig = read_signature(signature_path(lib)).value();
    sig.sha256 = util::sha256_hex(io::try_read_file(lib).value());
    REQUIRE(io::try_write_atomic(signature_path(lib), signature_json(sig)).ok());
    CHECK(refusal(lib, provider.requiring()) ==
          prefix + "its signature is not valid: the signature does not verify with key " + provider.pub.id + " (" +
              provider.pub.file.string() +
              ")\n  hint: the file is not what its provider signed: install it again from the provider");
  }
  SECTION("signed for another plugin name or version than the table declares") {
    provider.sign(lib, "fixture-good", "2.0.0");
    CHECK(refusal(lib, provider.requiring()) ==
          prefix +
              "it declares plugin 'fixture-good' version '1.0.0', its signature was made for 'fixture-good' version '2.0.0'\n"
              "  hint: the file is not what its provider signed: install it again from the provider");
  }
  SECTION("an unreadable signature") {
    std::ofstream(signature_path(lib)) << "{\"format\": \"something else\"}";
    CHECK(refusal(lib, provider.requiring())
              .starts_with(prefix + "its signature is not valid: " + signature_path(lib).string() +
                           ": error: not an assay plugin signature"));
  }
}

TEST_CASE("without --require-signed a signature is reported, not enforced", "[plugins][trust]") {
  Provider provider, stranger;
  StagingDir dir;
  auto lib = dir.add("good.so");
  TrustPolicy trusting{{provider.pub}, false, std::nullopt, {}};
  auto state = [&] {
    auto loaded = try_load_plugin(lib, trusting);
    REQUIRE(loaded.ok());
    return loaded.value()->provenance().state;
  };
  CHECK(state() == Provenance::Signed::kNo);
  stranger.sign(lib);
  CHECK(state() == Provenance::Signed::kByUnknownKey);
  provider.sign(lib);
  CHECK(state() == Provenance::Signed::kByTrustedKey);
  change_one_byte(lib);
  CHECK(state() == Provenance::Signed::kInvalid);

  auto registry = Registry::load({dir.path()}, trusting);
  std::ostringstream out, err;
  write_listing(registry, false, out, err);
  CHECK(out.str().find("  signature NOT VALID: the file changed after it was signed") != std::string::npos);
}

TEST_CASE("a lock pins each plugin's name, version and bytes", "[plugins][trust]") {
  StagingDir dir;
  auto lib = dir.add("good.so");
  const std::string sha = util::sha256_hex(io::try_read_file(lib).value());
  auto lock_file = dir.path() / "plugins.lock";
  REQUIRE(io::try_write_atomic(lock_file, lock_json({{"fixture-good", "1.0.0", sha, "good.so"}})).ok());
  auto entries = read_lock(lock_file);
  REQUIRE(entries.ok());
  TrustPolicy locked{{}, false, entries.value(), lock_file};
  const std::string prefix = lib.string() + ": error: refused: ";

  CHECK(try_load_plugin(lib, locked).ok());
  SECTION("changed bytes") {
    change_one_byte(lib);
    CHECK(refusal(lib, locked)
              .starts_with(prefix + "the plugin lock " + lock_file.string() + " pins fixture-good 1.0.0 with SHA-256 " + sha +
                           "; this file's is "));
  }
  SECTION("a file the lock does not list") {
    auto other = dir.add("abi_1_0.so");
    CHECK(refusal(other, locked).starts_with(other.string() + ": error: refused: not in the plugin lock " + lock_file.string()));
  }
  SECTION("the same bytes locked under another name") {
    REQUIRE(io::try_write_atomic(lock_file, lock_json({{"other", "1.0.0", sha, "good.so"}})).ok());
    TrustPolicy renamed{{}, false, read_lock(lock_file).value(), lock_file};
    CHECK(refusal(lib, renamed)
              .starts_with(
                  prefix +
                  "it declares plugin 'fixture-good' version '1.0.0', the lock pins these bytes as 'other' version '1.0.0'"));
  }
  SECTION("a file that is not a lock") {
    std::ofstream(lock_file) << "[]";
    CHECK(read_lock(lock_file).error().starts_with(lock_file.string() + ": error: not an assay plugin lock"));
  }
}

TEST_CASE("keys: never replaced, secret keys kept private, key directories anyone may write are skipped", "[plugins][trust]") {
  Provider provider;
  const auto& dir = provider.keys.path();
  CHECK(write_new_key(dir / "provider", "").error().starts_with((dir / "provider.key").string() + ": error: already exists"));

  ::chmod((dir / "provider.key").c_str(), 0644);
  CHECK(read_secret_key(dir / "provider.key").error() ==
        (dir / "provider.key").string() +
            ": error: the secret key may be read by group or others (mode 0644)\n  hint: run 'chmod 600 " +
            (dir / "provider.key").string() + "'");

  std::vector<std::string> warnings;
  auto policy = load_trust({{dir}, true, {}}, warnings);
  REQUIRE(policy.ok());
  REQUIRE(policy.value().keys.size() >= 1);
  CHECK(policy.value().keys.front().id == provider.pub.id);
  CHECK(warnings.empty());

  ::chmod((dir / "provider.pub").c_str(), 0666);
  policy = load_trust({{dir}, true, {}}, warnings);
  REQUIRE(policy.ok());
  CHECK(std::none_of(policy.value().keys.begin(), policy.value().keys.end(),
                     [&](const PublicKey& k) { return k.id == provider.pub.id; }));
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0] == (dir / "provider.pub").string() + ": warning: key skipped: group or others may write it (mode 0666)");

  ::chmod((dir / "provider.pub").c_str(), 0644);
  std::ofstream(dir / "broken.pub") << "# a comment\nassay-ed25519 not-base64 someone\n";
  CHECK(load_trust({{dir}, true, {}}, warnings).error() ==
        (dir / "broken.pub").string() +
            ":2: error: not an assay public key: expected 'assay-ed25519 BASE64 COMMENT' with a 32-byte key");
  CHECK(load_trust({{dir / "missing"}, true, {}}, warnings).error() ==
        (dir / "missing").string() + ": error: no such trusted-keys directory");
}
