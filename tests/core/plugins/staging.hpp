// Copies plugin fixtures into private directories with the modes a test wants: the build tree's
// own modes are not the test's business, and git keeps no write bits for others.
#pragma once

#include <sys/stat.h>

#include <unistd.h>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>

namespace assay::test {

namespace fs = std::filesystem;

inline fs::path fixture(const std::string& file) { return fs::path(ASSAY_PLUGIN_FIXTURES) / file; }

/// A fresh directory (mode 0755) removed at the end of the test.
class StagingDir {
 public:
  StagingDir() {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() / ("assay-plugins-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(path_);
    fs::create_directories(path_);
    ::chmod(path_.c_str(), 0755);
  }
  ~StagingDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  StagingDir(const StagingDir&) = delete;
  StagingDir& operator=(const StagingDir&) = delete;

  const fs::path& path() const { return path_; }
  /// Writes `bytes` as `name` (folders made as needed); its path.
  fs::path write(const std::string& name, const std::string& bytes) const {
    fs::create_directories((path_ / name).parent_path());
    std::ofstream(path_ / name, std::ios::binary) << bytes;
    return path_ / name;
  }

  /// Copies fixture `file` in as `as` (default: the same name) with `mode`.
  fs::path add(const std::string& file, const std::string& as = "", mode_t mode = 0755) const {
    fs::path to = path_ / (as.empty() ? file : as);
    fs::copy_file(fixture(file), to, fs::copy_options::overwrite_existing);
    ::chmod(to.c_str(), mode);
    return to;
  }

 private:
  fs::path path_;
};

}  // namespace assay::test
