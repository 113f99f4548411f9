// Which plugin files a host trusts: signatures by trusted keys, and locks.
//
// A provider signs a plugin library with an Ed25519 key (`assay plugin-sign LIB.so --key KEY`):
// the detached signature LIB.so.sig covers the file's SHA-256 and the plugin's name and version
// as the signer states them. A hospital trusts a provider by putting the provider's public key
// (a `.pub` file) in a trusted-keys directory. With `require_signed`, a file is read once, its
// bytes are checked against a signature by a trusted key before any of its code runs, and those
// same bytes (not the file, which could change in between) are what is loaded; a table that
// names another plugin or version than the signature is refused after loading. A lock (written
// by `assay plugins --lock FILE`) pins each plugin's name, version and SHA-256 the same way.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "assay/ed25519.hpp"
#include "assay/expected.hpp"

namespace assay::plugins {

namespace fs = std::filesystem;

/// A public key: one line `assay-ed25519 BASE64 COMMENT` in a `.pub` file.
struct PublicKey {
  util::Ed25519PublicKey key{};
  std::string id;  // the first 16 hex digits of the key's SHA-256: how signatures name their key
  std::string comment;
  fs::path file;  // where it was read from; empty for a key made in memory
};

/// What LIB.so.sig holds (a JSON document).
struct Signature {
  std::string plugin, version, sha256, key_id;
  util::Ed25519Signature signature{};
};

/// One plugin of a lock file.
struct LockEntry {
  std::string name, version, sha256, file;
};

struct TrustPolicy {
  std::vector<PublicKey> keys;
  bool require_signed = false;
  std::optional<std::vector<LockEntry>> lock;
  fs::path lock_file;
};

/// How a loaded plugin's signature stood when it was loaded.
struct Provenance {
  enum class Signed { kNo, kByTrustedKey, kByUnknownKey, kInvalid };
  Signed state = Signed::kNo;
  std::string key_id, key_comment;
  std::string signed_plugin, signed_version;  // as the signature states them
  std::string problem;                        // kInvalid: why
  std::string sha256;                         // of the bytes loaded; empty when the file was not read
};

/// "LIB.so.sig" beside "LIB.so".
fs::path signature_path(const fs::path& library);

/// The bytes a signature covers: a fixed header, the plugin's name, its version and the file's
/// SHA-256 (lowercase hex), one per line.
std::string signed_text(std::string_view plugin, std::string_view version, std::string_view sha256);

/// The trusted-keys directories: those given, then ASSAY_TRUSTED_KEYS (colon-separated), then
/// the install's (`etc/assay/trusted-keys` under the install prefix).
std::vector<fs::path> trusted_key_dirs(const std::vector<fs::path>& given);

struct TrustOptions {
  std::vector<fs::path> key_dirs;  // as given: trusted_key_dirs() adds the others
  bool require_signed = false;
  fs::path lock_file;  // empty: no lock
};

/// Reads every `.pub` file of the trusted-keys directories and the lock. A directory given on the
/// command line that does not exist, an unreadable lock or a malformed key is an error; a key
/// file or directory that others may write is skipped with a warning (anyone could add a key).
Expected<TrustPolicy, std::string> load_trust(const TrustOptions& options, std::vector<std::string>& warnings);

Expected<PublicKey, std::string> read_public_key(const fs::path& file);
/// A secret key file (`assay-ed25519-secret BASE64 COMMENT`); refused when group or others may read it.
Expected<util::Ed25519SecretKey, std::string> read_secret_key(const fs::path& file);
/// The key id of a public key.
std::string key_id(const util::Ed25519PublicKey& key);

/// Writes STEM.key (mode 0600) and STEM.pub; refuses to replace either. Returns the public key.
Expected<PublicKey, std::string> write_new_key(const fs::path& stem, std::string_view comment);

/// Signs a library's bytes for the plugin name and version the signer states.
Signature make_signature(std::string_view library_bytes, std::string_view plugin, std::string_view version,
                         const util::Ed25519SecretKey& secret_key);

std::string signature_json(const Signature& signature);
Expected<Signature, std::string> read_signature(const fs::path& file);

/// Checks `bytes` (the library's, with SHA-256 `sha256`) against LIB.so.sig and the keys.
Provenance check_signature(const fs::path& library, std::string_view sha256, const std::vector<PublicKey>& keys);

std::string lock_json(const std::vector<LockEntry>& entries);
Expected<std::vector<LockEntry>, std::string> read_lock(const fs::path& file);

}  // namespace assay::plugins
