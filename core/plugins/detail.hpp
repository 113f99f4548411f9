// Internals of the plugin loader shared by its .cpp files and by plugin-check.
#pragma once

#include <assay/plugin.h>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "assay/expected.hpp"
#include "assay/plugin_trust.hpp"

namespace assay::plugins::detail {

// The sizes of the ABI 1.0 structs: a plugin compiled against 1.0 has at least these. A newer
// host may grow the structs; it still accepts anything that covers the 1.0 fields.
inline constexpr std::size_t kTableV10Size = offsetof(assay_plugin_table_v1, n_item_types) + sizeof(size_t);
inline constexpr std::size_t kItemTypeV10Size = offsetof(assay_item_type_v1, release) + sizeof(void (*)(assay_handle*));
inline constexpr std::size_t kCriterionV10Size = offsetof(assay_criterion_v1, description) + sizeof(const char*);
inline constexpr std::size_t kExampleV10Size = offsetof(assay_example_v1, n_responses) + sizeof(size_t);
inline constexpr std::size_t kExampleResponseV10Size =
    offsetof(assay_example_response_v1, expected_credits) + sizeof(const assay_credit*);
// ABI 1.1 appended the malformed responses to an example.
inline constexpr std::size_t kExampleV11Size = offsetof(assay_example_v1, n_malformed) + sizeof(size_t);
inline constexpr std::size_t kMalformedV11Size = offsetof(assay_malformed_response_v1, response_json) + sizeof(const char*);

/// The hint of every refusal that a plugin built against another SDK would mend.
inline constexpr std::string_view kRebuildHint = "rebuild the plugin against this SDK (sdk/include/assay/plugin.h)";

/// "PATH: error: refused: WHAT\n  hint: HINT" (no hint line when `hint` is empty).
std::string refusal(const std::filesystem::path& file, std::string_view what, std::string_view hint);

/// The permission bits (mode & 07777) of a file or directory that group or others may write,
/// else nullopt (also when it cannot be read: the caller's next step reports that).
std::optional<unsigned> others_may_write(const std::filesystem::path& path);

/// The directories of a colon-separated environment variable, in order (empty entries skipped).
std::vector<std::filesystem::path> env_dirs(const char* variable);

/// A text sink that collects into a std::string; never lets an exception reach the plugin.
struct StringSink {
  std::string text;
  bool failed = false;
  assay_sink sink();
};

/// An assay_error whose two sinks collect into strings.
struct ErrorSink {
  StringSink message, pointer;
  assay_error error();
};

/// A file checked against a trust policy before any of its code runs (trust.cpp).
struct Checked {
  Provenance provenance;
  std::optional<LockEntry> locked;  // the lock's entry for these bytes
  int memory_fd = -1;               // a sealed in-memory copy of the checked bytes: load this, not the file
};

/// Reads the file when the policy or a signature beside it asks for it, and refuses it when the
/// policy is not met (the full refusal message).
Expected<Checked, std::string> check_file(const std::filesystem::path& file, const TrustPolicy& policy);

/// After loading: "" when the table's name and version are those the signature and the lock state.
std::string check_identity(const std::filesystem::path& file, const Checked& checked, std::string_view name,
                           std::string_view version);

}  // namespace assay::plugins::detail
