// Keys, signatures and locks (assay/plugin_trust.hpp).
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "assay/io.hpp"
#include "assay/plugin_trust.hpp"
#include "assay/sha256.hpp"
#include "detail.hpp"

#ifndef ASSAY_INSTALL_TRUSTED_KEYS_DIR
#define ASSAY_INSTALL_TRUSTED_KEYS_DIR "/usr/local/etc/assay/trusted-keys"
#endif

namespace assay::plugins {

using nlohmann::json;

namespace {

constexpr std::string_view kPublicTag = "assay-ed25519";
constexpr std::string_view kSecretTag = "assay-ed25519-secret";
constexpr std::string_view kSignatureFormat = "assay plugin signature 1";
constexpr std::string_view kLockFormat = "assay plugin lock 1";

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
  return std::string(s);
}

/// "TAG BASE64 COMMENT" (the first line that is not blank or a # comment) → the decoded bytes.
template <std::size_t N>
Expected<std::pair<std::array<std::uint8_t, N>, std::string>, std::string> read_key_line(const fs::path& file,
                                                                                         std::string_view tag,
                                                                                         std::string_view what) {
  auto text = io::try_read_file(file);
  if (!text) return text.error().format();
  for (const auto& line : io::split_lines(text.value())) {
    std::string l = trim(line.text);
    if (l.empty() || l[0] == '#') continue;
    auto sp1 = l.find(' ');
    std::string first = l.substr(0, sp1);
    std::string rest = sp1 == std::string::npos ? "" : trim(std::string_view(l).substr(sp1 + 1));
    auto sp2 = rest.find(' ');
    std::string b64 = rest.substr(0, sp2);
    std::string comment = sp2 == std::string::npos ? "" : trim(std::string_view(rest).substr(sp2 + 1));
    auto bytes = first == tag ? util::base64_decode(b64) : std::nullopt;
    if (!bytes || bytes->size() != N) {
      return fmt::format("{}:{}: error: not {}: expected '{} BASE64 COMMENT' with a {}-byte key", file.string(), line.number,
                         what, tag, N);
    }
    std::pair<std::array<std::uint8_t, N>, std::string> out;
    std::copy(bytes->begin(), bytes->end(), out.first.begin());
    util::wipe(*bytes);
    out.second = comment;
    return out;
  }
  return fmt::format("{}: error: not {}: the file has no key line", file.string(), what);
}

}  // namespace

fs::path signature_path(const fs::path& library) {
  fs::path p = library;
  p += ".sig";
  return p;
}

std::string signed_text(std::string_view plugin, std::string_view version, std::string_view sha256) {
  return fmt::format("{}\n{}\n{}\n{}\n", kSignatureFormat, plugin, version, sha256);
}

std::string key_id(const util::Ed25519PublicKey& key) {
  util::Sha256 h;
  h.update(key.data(), key.size());
  return h.hex().substr(0, 16);
}

std::vector<fs::path> trusted_key_dirs(const std::vector<fs::path>& given) {
  std::vector<fs::path> dirs = given;
  for (auto& d : detail::env_dirs("ASSAY_TRUSTED_KEYS")) dirs.push_back(std::move(d));
  dirs.emplace_back(ASSAY_INSTALL_TRUSTED_KEYS_DIR);
  return dirs;
}

Expected<PublicKey, std::string> read_public_key(const fs::path& file) {
  auto line = read_key_line<32>(file, kPublicTag, "an assay public key");
  if (!line) return line.error();
  PublicKey k;
  k.key = line.value().first;
  k.comment = line.value().second;
  k.id = key_id(k.key);
  k.file = file;
  return k;
}

Expected<util::Ed25519SecretKey, std::string> read_secret_key(const fs::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) return fmt::format("{}: error: cannot read: {}", file.string(), std::strerror(errno));
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return fmt::format("{}: error: the secret key may be read by group or others (mode {:04o})\n  hint: run 'chmod 600 {}'",
                       file.string(), st.st_mode & 07777, file.string());
  }
  auto line = read_key_line<64>(file, kSecretTag, "an assay secret key");
  if (!line) return line.error();
  return line.value().first;
}

Expected<PublicKey, std::string> write_new_key(const fs::path& stem, std::string_view comment) {
  fs::path secret = stem, pub = stem;
  secret += ".key";
  pub += ".pub";
  for (const auto& f : {secret, pub}) {
    std::error_code ec;
    if (fs::exists(f, ec)) {
      return fmt::format(
          "{}: error: already exists; a key is never replaced\n  hint: choose another name, or remove the old "
          "key once nothing is signed with it",
          f.string());
    }
  }
  auto keys = util::ed25519_generate();
  std::string comment_text = comment.empty() ? stem.filename().string() : std::string(comment);
  std::string secret_text = fmt::format("# assay plugin signing key: keep it secret; its public half is {}\n{} {} {}\n",
                                        pub.filename().string(), kSecretTag, util::base64_encode(keys.secret_key), comment_text);
  util::wipe(keys.secret_key);
  int fd = ::open(secret.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return fmt::format("{}: error: cannot write: {}", secret.string(), std::strerror(errno));
  bool ok = ::write(fd, secret_text.data(), secret_text.size()) == static_cast<ssize_t>(secret_text.size());
  ok = ::fsync(fd) == 0 && ok;
  ::close(fd);
  util::wipe({reinterpret_cast<std::uint8_t*>(secret_text.data()), secret_text.size()});
  if (!ok) {
    fs::remove(secret);
    return fmt::format("{}: error: cannot write the key", secret.string());
  }
  PublicKey k;
  k.key = keys.public_key;
  k.id = key_id(k.key);
  k.comment = comment_text;
  k.file = pub;
  auto written = io::try_write_atomic(
      pub, fmt::format("# assay plugin signing key {}: trust it by copying this file into a trusted-keys directory\n{} {} {}\n",
                       k.id, kPublicTag, util::base64_encode(k.key), comment_text));
  if (!written) return written.error().format();
  return k;
}

Signature make_signature(std::string_view library_bytes, std::string_view plugin, std::string_view version,
                         const util::Ed25519SecretKey& secret_key) {
  Signature s{std::string(plugin), std::string(version), util::sha256_hex(library_bytes), "", {}};
  s.key_id = key_id(util::ed25519_public_of(secret_key));
  s.signature = util::ed25519_sign(signed_text(s.plugin, s.version, s.sha256), secret_key);
  return s;
}

std::string signature_json(const Signature& s) {
  json doc = {{"format", kSignatureFormat}, {"plugin", s.plugin}, {"version", s.version},
              {"sha256", s.sha256},         {"key", s.key_id},    {"signature", util::base64_encode(s.signature)}};
  return doc.dump(2) + "\n";
}

Expected<Signature, std::string> read_signature(const fs::path& file) {
  auto text = io::try_read_file(file);
  if (!text) return text.error().format();
  json doc = json::parse(text.value(), nullptr, false);
  auto str = [&](const char* k) -> std::string {
    return doc.is_object() && doc.contains(k) && doc[k].is_string() ? doc[k].get<std::string>() : "";
  };
  if (str("format") != kSignatureFormat) {
    return fmt::format("{}: error: not an assay plugin signature (expected a JSON object with \"format\": \"{}\")", file.string(),
                       kSignatureFormat);
  }
  Signature s{str("plugin"), str("version"), str("sha256"), str("key"), {}};
  auto sig = util::base64_decode(str("signature"));
  if (s.plugin.empty() || s.sha256.size() != 64 || s.key_id.empty() || !sig || sig->size() != s.signature.size()) {
    return fmt::format("{}: error: the signature lacks its plugin, sha256, key or a 64-byte signature", file.string());
  }
  std::copy(sig->begin(), sig->end(), s.signature.begin());
  return s;
}

Provenance check_signature(const fs::path& library, std::string_view sha256, const std::vector<PublicKey>& keys) {
  Provenance p;
  p.sha256 = std::string(sha256);
  fs::path sig_file = signature_path(library);
  std::error_code ec;
  if (!fs::exists(sig_file, ec)) return p;
  auto sig = read_signature(sig_file);
  if (!sig) {
    p.state = Provenance::Signed::kInvalid;
    p.problem = sig.error();
    return p;
  }
  p.key_id = sig.value().key_id;
  p.signed_plugin = sig.value().plugin;
  p.signed_version = sig.value().version;
  auto key = std::find_if(keys.begin(), keys.end(), [&](const PublicKey& k) { return k.id == sig.value().key_id; });
  if (key == keys.end()) {
    p.state = Provenance::Signed::kByUnknownKey;
    return p;
  }
  p.key_comment = key->comment;
  if (sig.value().sha256 != sha256) {
    p.state = Provenance::Signed::kInvalid;
    p.problem =
        fmt::format("the file changed after it was signed (its SHA-256 is {}, the signature's {})", sha256, sig.value().sha256);
    return p;
  }
  if (!util::ed25519_verify(signed_text(sig.value().plugin, sig.value().version, sig.value().sha256), sig.value().signature,
                            key->key)) {
    p.state = Provenance::Signed::kInvalid;
    p.problem = fmt::format("the signature does not verify with key {} ({})", key->id, key->file.string());
    return p;
  }
  p.state = Provenance::Signed::kByTrustedKey;
  return p;
}

std::string lock_json(const std::vector<LockEntry>& entries) {
  json doc = {{"format", kLockFormat}, {"plugins", json::array()}};
  for (const auto& e : entries)
    doc["plugins"].push_back({{"name", e.name}, {"version", e.version}, {"sha256", e.sha256}, {"file", e.file}});
  return doc.dump(2) + "\n";
}

Expected<std::vector<LockEntry>, std::string> read_lock(const fs::path& file) {
  auto text = io::try_read_file(file);
  if (!text) return text.error().format();
  json doc = json::parse(text.value(), nullptr, false);
  if (!doc.is_object() || doc.value("format", json()) != kLockFormat || !doc.contains("plugins") || !doc["plugins"].is_array()) {
    return fmt::format(
        "{}: error: not an assay plugin lock (expected \"format\": \"{}\" and a \"plugins\" array)\n  hint: "
        "write one with 'assay plugins --lock FILE'",
        file.string(), kLockFormat);
  }
  std::vector<LockEntry> entries;
  for (const auto& p : doc["plugins"]) {
    auto str = [&](const char* k) { return p.is_object() && p.contains(k) && p[k].is_string() ? p[k].get<std::string>() : ""; };
    LockEntry e{str("name"), str("version"), str("sha256"), str("file")};
    if (e.name.empty() || e.sha256.size() != 64) {
      return fmt::format("{}: error: plugin [{}] of the lock lacks its name or sha256", file.string(), entries.size());
    }
    entries.push_back(std::move(e));
  }
  return entries;
}

Expected<TrustPolicy, std::string> load_trust(const TrustOptions& options, std::vector<std::string>& warnings) {
  TrustPolicy policy;
  policy.require_signed = options.require_signed;
  const auto dirs = trusted_key_dirs(options.key_dirs);
  for (std::size_t i = 0; i < dirs.size(); ++i) {
    const auto& dir = dirs[i];
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
      if (i < options.key_dirs.size()) return fmt::format("{}: error: no such trusted-keys directory", dir.string());
      continue;
    }
    if (auto mode = detail::others_may_write(dir)) {
      warnings.push_back(fmt::format("{}: warning: trusted-keys directory skipped: group or others may write it (mode {:04o})",
                                     dir.string(), *mode));
      continue;
    }
    std::vector<fs::path> files;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
      if (it->path().extension() == ".pub") files.push_back(it->path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      if (auto mode = detail::others_may_write(f)) {
        warnings.push_back(
            fmt::format("{}: warning: key skipped: group or others may write it (mode {:04o})", f.string(), *mode));
        continue;
      }
      auto key = read_public_key(f);
      if (!key) return key.error();
      if (std::none_of(policy.keys.begin(), policy.keys.end(), [&](const PublicKey& k) { return k.id == key.value().id; }))
        policy.keys.push_back(std::move(key.value()));
    }
  }
  if (!options.lock_file.empty()) {
    auto lock = read_lock(options.lock_file);
    if (!lock) return lock.error();
    policy.lock = std::move(lock.value());
    policy.lock_file = options.lock_file;
  }
  return policy;
}

namespace {

/// A sealed in-memory file holding `bytes`: what is loaded is what was checked.
Expected<int, std::string> memory_copy(const fs::path& file, std::string_view bytes) {
  int fd = ::memfd_create(file.filename().c_str(), MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) return fmt::format("cannot hold the checked bytes in memory: {}", std::strerror(errno));
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n <= 0) {
      ::close(fd);
      return fmt::format("cannot hold the checked bytes in memory: {}", std::strerror(errno));
    }
    done += static_cast<std::size_t>(n);
  }
  ::fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL);
  return fd;
}

std::string trusted_keys_hint() {
  return fmt::format(
      "if you trust its provider, copy their public key (.pub) into a trusted-keys directory (--trusted-keys DIR, "
      "ASSAY_TRUSTED_KEYS, or {})",
      ASSAY_INSTALL_TRUSTED_KEYS_DIR);
}

}  // namespace

Expected<detail::Checked, std::string> detail::check_file(const fs::path& file, const TrustPolicy& policy) {
  Checked checked;
  std::error_code ec;
  const bool verify = policy.require_signed || policy.lock.has_value();
  if (!verify && !fs::exists(signature_path(file), ec)) return checked;
  auto bytes = io::try_read_file(file);
  if (!bytes) return refusal(file, "cannot read the file", bytes.error().message);
  const std::string sha = util::sha256_hex(bytes.value());
  checked.provenance = check_signature(file, sha, policy.keys);
  const auto& p = checked.provenance;
  if (policy.lock) {
    const auto& lock = *policy.lock;
    auto entry = std::find_if(lock.begin(), lock.end(), [&](const LockEntry& e) { return e.sha256 == sha; });
    if (entry == lock.end()) {
      auto same_file =
          std::find_if(lock.begin(), lock.end(), [&](const LockEntry& e) { return e.file == file.filename().string(); });
      std::string what =
          same_file == lock.end()
              ? fmt::format("not in the plugin lock {} (its SHA-256 is {})", policy.lock_file.string(), sha)
              : fmt::format("the plugin lock {} pins {} {} with SHA-256 {}; this file's is {}", policy.lock_file.string(),
                            same_file->name, same_file->version, same_file->sha256, sha);
      return refusal(file, what,
                     fmt::format("if this file is meant to be here, check it, then write the lock again with 'assay plugins "
                                 "--lock {}'",
                                 policy.lock_file.string()));
    }
    checked.locked = *entry;
  }
  if (policy.require_signed) {
    switch (p.state) {
      case Provenance::Signed::kNo:
        return refusal(file, fmt::format("not signed: signatures are required and there is no {}", signature_path(file).string()),
                       fmt::format("its provider signs it with 'assay plugin-sign {} --key KEY'", file.filename().string()));
      case Provenance::Signed::kByUnknownKey:
        return refusal(file, fmt::format("signed by key {}, which is not trusted", p.key_id), trusted_keys_hint());
      case Provenance::Signed::kInvalid:
        return refusal(file, fmt::format("its signature is not valid: {}", p.problem),
                       "the file is not what its provider signed: install it again from the provider");
      case Provenance::Signed::kByTrustedKey:
        break;
    }
  }
  if (verify) {
    auto fd = memory_copy(file, bytes.value());
    if (!fd) return refusal(file, fd.error(), "");
    checked.memory_fd = fd.value();
  }
  return checked;
}

std::string detail::check_identity(const fs::path& file, const Checked& checked, std::string_view name,
                                   std::string_view version) {
  const auto& p = checked.provenance;
  if (p.state == Provenance::Signed::kByTrustedKey && (p.signed_plugin != name || p.signed_version != version)) {
    return refusal(file,
                   fmt::format("it declares plugin '{}' version '{}', its signature was made for '{}' version '{}'", name,
                               version, p.signed_plugin, p.signed_version),
                   "the file is not what its provider signed: install it again from the provider");
  }
  if (checked.locked && (checked.locked->name != name || checked.locked->version != version)) {
    return refusal(file,
                   fmt::format("it declares plugin '{}' version '{}', the lock pins these bytes as '{}' version '{}'", name,
                               version, checked.locked->name, checked.locked->version),
                   "write the lock again with 'assay plugins --lock FILE' after checking the plugin");
  }
  return "";
}

}  // namespace assay::plugins
