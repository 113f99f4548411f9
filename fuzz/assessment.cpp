// The TOML loader and validator (core/model) on any bytes, with the shipped plugins: what
// `assay validate` runs on a file. The input is written to a scratch folder of its own (the loader
// reads files, and resolves `{ file = ... }` includes beside them). Every finding names the file;
// a file with none loads and prepares, and one with findings does not.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "assay/model.hpp"
#include "harness.hpp"
#include "shipped_plugins.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path& scratch_file() {
  static const fs::path file = [] {
    std::string dir = (fs::temp_directory_path() / "assay-fuzz-XXXXXX").string();
    if (mkdtemp(dir.data()) == nullptr) std::abort();
    return fs::path(dir) / "assessment.toml";
  }();
  return file;
}

}  // namespace

ASSAY_FUZZ_TARGET(assessment) {
  const auto& registry = assay::fuzz::shipped_plugins();
  const fs::path& file = scratch_file();
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  auto report = assay::model::validate_file(file, registry);
  ASSAY_FUZZ_CHECK(!report.unreadable, "the scratch file could not be read");
  for (const auto& d : report.diagnostics) {
    ASSAY_FUZZ_CHECK(d.file == file.string(), "a finding about another file: " + d.file + ": " + d.message);
    ASSAY_FUZZ_CHECK(!d.message.empty(), "a finding without a message");
  }
  (void)assay::format_all(report.diagnostics);
  auto loaded = assay::model::try_load_and_prepare(file, registry);
  // Warnings (a critical criterion that is not a safety criterion) fail nothing: only errors
  // stop a file from loading.
  ASSAY_FUZZ_CHECK(loaded.ok() == (assay::error_count(report.diagnostics) == 0),
                   loaded ? "validate reports " + assay::format_all(report.diagnostics) + " but the file loads"
                          : "validate reports no error but loading fails: " + assay::format_all(loaded.error()));
}
