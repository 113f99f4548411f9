#include "assay/catalog.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <system_error>

namespace assay::catalog {

namespace {
fs::path exe_dir() {
  std::error_code ec;
  auto p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : p.parent_path();
}
}  // namespace

std::vector<fs::path> assessment_dirs(const std::vector<fs::path>& given) {
  if (!given.empty()) return given;
  std::vector<fs::path> out;
  if (const char* env = std::getenv("ASSAY_ASSESSMENT_PATH"); env != nullptr && *env != '\0') {
    std::string s = env;
    std::size_t start = 0;
    while (start <= s.size()) {
      auto colon = s.find(':', start);
      auto part = s.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
      if (!part.empty()) out.emplace_back(part);
      if (colon == std::string::npos) break;
      start = colon + 1;
    }
    return out;
  }
  std::error_code ec;
  for (fs::path candidate : {exe_dir() / ".." / "share" / "assay" / "assessments", fs::path(ASSAY_INSTALL_ASSESSMENT_DIR),
                             fs::path(ASSAY_SOURCE_ASSESSMENT_DIR)}) {
    if (fs::is_directory(candidate, ec)) return {fs::weakly_canonical(candidate, ec)};
  }
  return out;
}

std::vector<fs::path> assessment_files(const std::vector<fs::path>& dirs) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& d : dirs) {
    if (fs::is_regular_file(d, ec)) {
      out.push_back(d);
      continue;
    }
    for (auto it = fs::recursive_directory_iterator(d, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_regular_file(ec) && it->path().extension() == ".toml") out.push_back(it->path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<Entry> scan(const std::vector<fs::path>& dirs, Diagnostics* errors) {
  std::vector<Entry> out;
  for (const auto& f : assessment_files(dirs)) {
    auto a = model::try_load_assessment(f);
    if (!a) {
      if (errors != nullptr) errors->insert(errors->end(), a.error().begin(), a.error().end());
      continue;
    }
    out.push_back({f, std::move(a.value())});
  }
  return out;
}

Diagnostics validate_all(const std::vector<fs::path>& dirs, const plugins::Registry& registry) {
  Diagnostics out;
  for (const auto& f : assessment_files(dirs)) {
    auto report = model::validate_file(f, registry);
    out.insert(out.end(), report.diagnostics.begin(), report.diagnostics.end());
  }
  return out;
}

}  // namespace assay::catalog
