// The search path and the registry of loaded plugins; `assay plugins` prints it.
#include <fmt/format.h>
#include <algorithm>
#include <boost/dll/runtime_symbol_info.hpp>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <thread>

#include "assay/plugins.hpp"
#include "detail.hpp"
#include "pool.hpp"

#ifndef ASSAY_INSTALL_PLUGIN_DIR
#define ASSAY_INSTALL_PLUGIN_DIR "/usr/local/lib/assay/plugins"
#endif

namespace assay::plugins {

namespace {

/// The same directory spelled twice is searched once.
void append_unique(std::vector<fs::path>& dirs, const fs::path& dir) {
  if (dir.empty()) return;
  std::error_code ec;
  fs::path key = fs::weakly_canonical(dir, ec);
  if (ec) key = fs::absolute(dir).lexically_normal();
  for (const auto& d : dirs) {
    std::error_code ec2;
    fs::path other = fs::weakly_canonical(d, ec2);
    if (ec2) other = fs::absolute(d).lexically_normal();
    if (other == key) return;
  }
  dirs.push_back(dir);
}

}  // namespace

std::vector<fs::path> detail::env_dirs(const char* variable) {
  std::vector<fs::path> dirs;
  const char* env = std::getenv(variable);
  std::string_view rest(env != nullptr ? env : "");
  while (!rest.empty()) {
    auto colon = rest.find(':');
    if (auto d = rest.substr(0, colon); !d.empty()) dirs.emplace_back(std::string(d));
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  return dirs;
}

std::vector<fs::path> search_path(const std::vector<fs::path>& plugin_dirs) {
  std::vector<fs::path> dirs;
  for (const auto& d : plugin_dirs) append_unique(dirs, d);
  for (const auto& d : detail::env_dirs("ASSAY_PLUGIN_PATH")) append_unique(dirs, d);
  boost::dll::fs::error_code ec;
  auto exe = boost::dll::program_location(ec);
  if (!ec) {
    fs::path exe_dir = fs::path(exe.string()).parent_path();
    append_unique(dirs, exe_dir / "plugins");
    append_unique(dirs, (exe_dir / ".." / "lib" / "assay" / "plugins").lexically_normal());
  }
  append_unique(dirs, fs::path(ASSAY_INSTALL_PLUGIN_DIR));
  return dirs;
}

Registry Registry::load(const std::vector<fs::path>& search_path, const TrustPolicy& policy) {
  Registry r;
  for (const auto& d : search_path) append_unique(r.searched_, d);
  std::map<std::string, fs::path> winners;  // file name -> the file that loaded under it
  for (const auto& dir : r.searched_) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) continue;
    std::vector<fs::path> files;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      std::error_code ec2;
      if (it->path().extension() == ".so" && fs::is_regular_file(it->path(), ec2)) files.push_back(it->path());
    }
    std::sort(files.begin(), files.end(), [](const fs::path& a, const fs::path& b) { return a.filename() < b.filename(); });
    for (const auto& file : files) {
      auto name = file.filename().string();
      if (auto w = winners.find(name); w != winners.end()) {
        r.shadowed_.push_back(Shadowed{file, w->second});
        continue;
      }
      auto loaded = try_load_plugin(file, policy);
      if (!loaded) {
        r.refused_.push_back(Refused{file, loaded.error()});
        continue;
      }
      if (const Plugin* first = r.find(loaded.value()->name())) {
        r.refused_.push_back(Refused{file, detail::refusal(file,
                                                           fmt::format("declares the plugin name '{}', already loaded from {}",
                                                                       first->name(), first->path().string()),
                                                           "remove one of the two files, or give one plugin another name")});
        continue;
      }
      winners.emplace(name, file);
      r.plugins_.push_back(std::move(loaded.value()));
    }
  }
  return r;
}

unsigned IsolationOptions::worker_count() const {
  return workers != 0 ? workers : std::max(1u, std::thread::hardware_concurrency());
}

void Registry::isolate(const IsolationOptions& options) {
  if (pool_) return;
  std::vector<const ItemType*> types;
  for (const auto& p : plugins_)
    for (const auto& t : p->item_types()) types.push_back(t.get());
  // The pool forks before any plugin learns of it: the workers call their plugins in-process.
  pool_ = std::make_shared<detail::Pool>(std::move(types), options);
  for (auto& p : plugins_) p->pool_ = pool_.get();
}

const Plugin* Registry::find(std::string_view plugin_name) const {
  for (const auto& p : plugins_) {
    if (p->name() == plugin_name) return p.get();
  }
  return nullptr;
}

const ItemType* Registry::find_type(std::string_view qualified_name) const {
  auto slash = qualified_name.find('/');
  if (slash == std::string_view::npos) return nullptr;
  const Plugin* p = find(qualified_name.substr(0, slash));
  return p != nullptr ? p->find_type(qualified_name.substr(slash + 1)) : nullptr;
}

namespace {

std::string abi_text(std::uint32_t abi) { return fmt::format("{}.{}", abi >> 16, abi & 0xffffu); }

const char* signed_state(Provenance::Signed s) {
  switch (s) {
    case Provenance::Signed::kByTrustedKey:
      return "trusted";
    case Provenance::Signed::kByUnknownKey:
      return "untrusted key";
    case Provenance::Signed::kInvalid:
      return "invalid";
    case Provenance::Signed::kNo:
      break;
  }
  return "none";
}

std::string signature_text(const Provenance& p) {
  switch (p.state) {
    case Provenance::Signed::kByTrustedKey:
      return fmt::format("signed by trusted key {}{}", p.key_id, p.key_comment.empty() ? "" : " (" + p.key_comment + ")");
    case Provenance::Signed::kByUnknownKey:
      return fmt::format("signed by key {}, not trusted here", p.key_id);
    case Provenance::Signed::kInvalid:
      return "signature NOT VALID: " + p.problem;
    case Provenance::Signed::kNo:
      break;
  }
  return "unsigned";
}

}  // namespace

bool write_listing(const Registry& registry, bool as_json, std::ostream& out, std::ostream& err) {
  if (as_json) {
    nlohmann::json doc = {{"searched", nlohmann::json::array()},
                          {"plugins", nlohmann::json::array()},
                          {"shadowed", nlohmann::json::array()},
                          {"refused", nlohmann::json::array()}};
    for (const auto& d : registry.searched()) doc["searched"].push_back(d.string());
    for (const auto& p : registry.plugins()) {
      nlohmann::json types = nlohmann::json::array();
      for (const auto& t : p->item_types()) types.push_back(t->name());
      doc["plugins"].push_back({{"name", p->name()},
                                {"version", p->version()},
                                {"abi", abi_text(p->abi_version())},
                                {"domain", p->domain()},
                                {"item_types", types},
                                {"path", p->path().string()},
                                {"signature",
                                 {{"state", signed_state(p->provenance().state)},
                                  {"key", p->provenance().key_id},
                                  {"key_comment", p->provenance().key_comment},
                                  {"problem", p->provenance().problem}}}});
    }
    for (const auto& s : registry.shadowed()) doc["shadowed"].push_back({{"path", s.path.string()}, {"by", s.by.string()}});
    for (const auto& f : registry.refused()) doc["refused"].push_back({{"path", f.path.string()}, {"message", f.message}});
    out << doc.dump(2) << '\n';
    return registry.refused().empty();
  }
  if (registry.plugins().empty()) {
    out << "no plugins loaded; searched:\n";
    for (const auto& d : registry.searched()) out << "  " << d.string() << '\n';
  }
  for (const auto& p : registry.plugins()) {
    std::string types;
    for (const auto& t : p->item_types()) types += (types.empty() ? "" : ", ") + t->name();
    out << fmt::format("{} {} (ABI {}) {}\n  item types: {}\n  {}\n", p->name(), p->version(), abi_text(p->abi_version()),
                       p->path().string(), types.empty() ? "none" : types, signature_text(p->provenance()));
  }
  for (const auto& s : registry.shadowed()) out << fmt::format("shadowed: {} (by {})\n", s.path.string(), s.by.string());
  for (const auto& f : registry.refused()) err << f.message << '\n';
  return registry.refused().empty();
}

}  // namespace assay::plugins
