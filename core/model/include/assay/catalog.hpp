// Where assessments are found: the directories given, then ASSAY_ASSESSMENT_PATH, then the
// shipped ones (installed beside the binary, or the source tree's `assessments/` in a build).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "assay/diagnostic.hpp"
#include "assay/model.hpp"

namespace assay::catalog {

namespace fs = std::filesystem;

/// `given` when not empty; else ASSAY_ASSESSMENT_PATH (colon-separated) when set; else the
/// shipped directory: <exe>/../share/assay/assessments when it exists, then the compiled-in
/// install directory, then the source tree's assessments/.
std::vector<fs::path> assessment_dirs(const std::vector<fs::path>& given);

/// Every `*.toml` under `dirs` (recursively, sorted), skipping nothing else.
std::vector<fs::path> assessment_files(const std::vector<fs::path>& dirs);

struct Entry {
  fs::path path;
  model::Assessment assessment;
};

/// Loads every assessment file under `dirs`; files that fail to load are reported in `errors`.
std::vector<Entry> scan(const std::vector<fs::path>& dirs, Diagnostics* errors = nullptr);

/// What `assay validate` reports for every assessment file under `dirs`, plugin checks and
/// params against their types' schemas included (`assay serve` prints it at start).
Diagnostics validate_all(const std::vector<fs::path>& dirs, const plugins::Registry& registry);

}  // namespace assay::catalog
