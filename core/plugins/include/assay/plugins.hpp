// The engine's side of the plugin boundary: finding, inspecting, loading and calling plugins.
//
// Loading is two-phase. Before any plugin code runs, a file is inspected: its ELF header (a
// shared object for this machine), its exports (boost::dll::library_info: `assay_plugin_v1` and
// `assay_abi_1`), and its trust (neither the file nor its directory writable by others). Only
// then is it loaded and its table checked (`abi_version`, `struct_size`, then the rest). A file
// that fails any step is refused with a message naming it; the others load regardless.
// Libraries stay loaded until exit.
//
// Isolation: after Registry::isolate, every call into plugin code for an item prepared from then
// on (prepare, present, score, score_batch, solve, feedback) runs in a pool of worker processes
// (isolation.cpp). A crash or a hang costs that call alone: it comes back as an internal error
// naming the item type, the function and the signal or the time limit, and the worker is
// replaced. `assay score` and `assay serve` isolate; preview, take and tests call in-process.
#pragma once

#include <assay/plugin.h>

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "assay/expected.hpp"
#include "assay/plugin_trust.hpp"

namespace assay::plugins {

namespace fs = std::filesystem;

struct Criterion {
  std::string id;
  std::string description;
  bool rated = false;
  bool safety = false;  // ASSAY_CRITERION_SAFETY (ABI 1.1): lost only by the unsafe error
};

/// What a plugin function reported when it failed.
/// The name of a status code, for people and for results: "ok", "invalid params", "invalid
/// response", "internal error", "unsupported", "unknown status".
const char* status_name(assay_status status);

/// An example's malformed responses (ABI 1.1): none when the plugin was built against ABI 1.0.
std::span<const assay_malformed_response_v1* const> malformed_responses(const assay_example_v1& example);

/// How a process ended by a signal is named in messages: "signal 11 (SIGSEGV)".
std::string signal_text(int signal);

struct CallError {
  assay_status status = ASSAY_STATUS_INTERNAL;
  std::string message;
  std::string pointer;         // RFC 6901 into the params; empty when none
  bool plugin_message = true;  // false when the plugin wrote none and `message` is the host's
};

class Plugin;
class ItemType;
class Registry;

namespace detail {
class Pool;
struct Remote;
}  // namespace detail

/// Where the calls of an isolated registry run.
struct IsolationOptions {
  unsigned workers = 0;         // the most worker processes at once; 0: one per core
  double timeout_seconds = 10;  // one call's time limit; past it the worker is stopped
  /// `workers`, or the number of cores when it is 0.
  unsigned worker_count() const;
};

/// A prepared item: move-only owner of a plugin handle; the destructor calls `release`.
/// All const member functions are safe to call concurrently.
class PreparedItem {
 public:
  PreparedItem(const ItemType* type, assay_handle* handle) : type_(type), handle_(handle) {}
  /// An item prepared in the worker processes of an isolated registry.
  PreparedItem(const ItemType* type, std::shared_ptr<const detail::Remote> remote);
  PreparedItem(PreparedItem&& other) noexcept;
  PreparedItem& operator=(PreparedItem&& other) noexcept;
  PreparedItem(const PreparedItem&) = delete;
  PreparedItem& operator=(const PreparedItem&) = delete;
  ~PreparedItem();

  const ItemType& type() const { return *type_; }
  /// The plugin's presentation, with the material added by add_material after the plugin's own.
  Expected<std::string, CallError> present(std::uint64_t seed) const;
  /// Material the engine shows after the plugin's on every presentation (a JSON array of
  /// material objects: an item's figures); "[]" or "" adds nothing.
  void add_material(std::string json_array) { added_material_ = std::move(json_array); }
  /// Writes one credit per criterion of the type into `credits` (size n_criteria).
  assay_status score(std::uint64_t seed, std::string_view response, std::span<assay_credit> credits) const;
  /// Like score, with the plugin's message on failure (preview, diagnostics; not the hot path).
  Expected<std::vector<assay_credit>, CallError> score_verbose(std::uint64_t seed, std::string_view response) const;
  /// Batch form: credits has n * n_criteria entries, statuses n.
  assay_status score_batch(std::span<const std::uint64_t> seeds, std::span<const std::string_view> responses,
                           std::span<assay_credit> credits, std::span<assay_status> statuses) const;
  Expected<std::string, CallError> solve(std::uint64_t seed) const;
  Expected<std::string, CallError> feedback(std::uint64_t seed, std::string_view response) const;

 private:
  const ItemType* type_;
  assay_handle* handle_ = nullptr;
  std::shared_ptr<const detail::Remote> remote_;  // set when the calls run in worker processes
  std::string added_material_;
};

/// One item type of a loaded plugin. Lives as long as its Plugin.
class ItemType {
 public:
  ItemType(const Plugin* plugin, const assay_item_type_v1* raw);
  const Plugin& plugin() const { return *plugin_; }
  const assay_item_type_v1& raw() const { return *raw_; }
  const std::string& name() const { return name_; }             // "single-choice"
  const std::string& qualified_name() const { return qname_; }  // "core-items/single-choice"
  const std::string& summary() const { return summary_; }
  const std::string& params_schema_text() const { return schema_; }
  /// The params schema, parsed (the loader refused any type whose schema check_schema faults).
  const nlohmann::json& params_schema() const { return *parsed_schema_; }
  /// Top-level params marked "x-assay-secret" in the schema.
  const std::vector<std::string>& secret_params() const { return secret_; }
  const std::vector<Criterion>& criteria() const { return criteria_; }
  std::size_t n_criteria() const { return criteria_.size(); }

  /// Calls the plugin's prepare on a params JSON object.
  Expected<PreparedItem, CallError> prepare(std::string_view params_json) const;

 private:
  const Plugin* plugin_;
  const assay_item_type_v1* raw_;
  std::string name_, qname_, summary_, schema_;
  std::shared_ptr<const nlohmann::json> parsed_schema_;  // shared_ptr: json is incomplete here
  std::vector<std::string> secret_;
  std::vector<Criterion> criteria_;
};

/// A loaded plugin library and its metadata.
class Plugin {
 public:
  ~Plugin();
  Plugin(const Plugin&) = delete;
  Plugin& operator=(const Plugin&) = delete;

  const std::string& name() const { return name_; }
  const std::string& version() const { return version_; }
  const std::string& domain() const { return domain_; }
  const std::string& description() const { return description_; }
  const fs::path& path() const { return path_; }
  std::uint32_t abi_version() const { return abi_; }
  const std::vector<std::unique_ptr<ItemType>>& item_types() const { return types_; }
  const ItemType* find_type(std::string_view name) const;
  /// Its signature as it stood at load time, and the SHA-256 of the bytes loaded when read.
  const Provenance& provenance() const { return provenance_; }

  struct Impl;  // holds the boost::dll library

 private:
  friend Expected<std::unique_ptr<Plugin>, std::string> try_load_plugin(const fs::path& file, const TrustPolicy& policy);
  friend class Registry;
  friend class ItemType;
  Plugin() = default;
  std::unique_ptr<Impl> impl_;
  detail::Pool* pool_ = nullptr;  // the registry's worker processes once it is isolated
  std::string name_, version_, domain_, description_;
  fs::path path_;
  std::uint32_t abi_ = 0;
  std::vector<std::unique_ptr<ItemType>> types_;
  Provenance provenance_;
};

/// Inspects (ELF header, exports, trust), checks the file against the policy's signatures and
/// lock (assay/plugin_trust.hpp), and then loads it. The error is the full user-facing message:
/// "PATH: error: refused: ...\n  hint: ...".
Expected<std::unique_ptr<Plugin>, std::string> try_load_plugin(const fs::path& file, const TrustPolicy& policy = {});

/// Inspection only, runs no plugin code: "" when the file may be loaded, else the message.
std::string inspect_plugin_file(const fs::path& file);

struct Refused {
  fs::path path;
  std::string message;  // full user-facing message
};
struct Shadowed {
  fs::path path;
  fs::path by;
};

/// The search path: each --plugin-dir, then ASSAY_PLUGIN_PATH (colon-separated), then
/// `plugins/` next to the running binary, then the install directory.
std::vector<fs::path> search_path(const std::vector<fs::path>& plugin_dirs);

/// All plugins found on a search path. The first file of a name wins; later ones are shadowed
/// (refused files do not count). Two plugins declaring one name: the second is refused.
class Registry {
 public:
  static Registry load(const std::vector<fs::path>& search_path, const TrustPolicy& policy = {});

  const std::vector<std::unique_ptr<Plugin>>& plugins() const { return plugins_; }
  const std::vector<Refused>& refused() const { return refused_; }
  const std::vector<Shadowed>& shadowed() const { return shadowed_; }
  const std::vector<fs::path>& searched() const { return searched_; }
  const Plugin* find(std::string_view plugin_name) const;
  /// "plugin/type" → the type, or nullptr.
  const ItemType* find_type(std::string_view qualified_name) const;

  /// From now on, items prepared through this registry run every plugin call in worker processes
  /// (see the top of this file). Call it before the process starts threads: the processes are
  /// forked from this one. Throws std::runtime_error when the first process cannot start.
  void isolate(const IsolationOptions& options);
  bool isolated() const { return pool_ != nullptr; }

 private:
  std::shared_ptr<detail::Pool> pool_;
  std::vector<std::unique_ptr<Plugin>> plugins_;
  std::vector<Refused> refused_;
  std::vector<Shadowed> shadowed_;
  std::vector<fs::path> searched_;
};

/// What `assay plugins` prints: the loaded plugins (name, version, ABI, item types, path) and
/// the shadowed files on `out`, the refusals on `err`; with `as_json`, one JSON document on
/// `out`. Returns false when any file was refused.
bool write_listing(const Registry& registry, bool as_json, std::ostream& out, std::ostream& err);

}  // namespace assay::plugins
