#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "assay/io.hpp"
#include "core/test_support.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

using assay::test::slurp;

struct ScratchDir {
  fs::path path;
  ScratchDir() {
    path = fs::temp_directory_path() / ("assay-io-test-" + std::to_string(::getpid()));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~ScratchDir() { fs::remove_all(path); }
  std::size_t count() const { return static_cast<std::size_t>(std::distance(fs::directory_iterator(path), {})); }
};

}  // namespace

TEST_CASE("atomic writes replace a file whole and leave nothing behind", "[io][atomic]") {
  ScratchDir dir;
  fs::path file = dir.path / "results.jsonl";

  SECTION("a new file gets the content and the umask's mode") {
    auto r = assay::io::try_write_atomic(file, "one\n");
    REQUIRE(r.ok());
    REQUIRE(r.value() == 4);
    REQUIRE(slurp(file) == "one\n");
    REQUIRE(dir.count() == 1);
    mode_t mask = ::umask(0);
    ::umask(mask);
    REQUIRE((fs::status(file).permissions() & fs::perms::all) == static_cast<fs::perms>(0666 & ~mask));
  }
  SECTION("an existing file is replaced and keeps its mode") {
    { std::ofstream(file) << "old content that is longer\n"; }
    fs::permissions(file, static_cast<fs::perms>(0640));
    REQUIRE(assay::io::try_write_atomic(file, "new\n").ok());
    REQUIRE(slurp(file) == "new\n");
    REQUIRE((fs::status(file).permissions() & fs::perms::all) == static_cast<fs::perms>(0640));
    REQUIRE(dir.count() == 1);
  }
  SECTION("a directory that does not exist is an error naming the path") {
    fs::path bad = dir.path / "missing" / "out.csv";
    auto r = assay::io::try_write_atomic(bad, "x");
    REQUIRE_FALSE(r.ok());
    REQUIRE(r.error().format() == bad.string() + ": error: cannot write: No such file or directory");
    REQUIRE_FALSE(fs::exists(bad));
  }
  SECTION("a failed rename removes the temporary file") {
    fs::create_directory(file);  // a non-empty directory cannot be replaced by a file
    { std::ofstream(file / "inside") << "x"; }
    auto r = assay::io::try_write_atomic(file, "data");
    REQUIRE_FALSE(r.ok());
    REQUIRE_THAT(r.error().format(), StartsWith(file.string() + ": error: cannot replace the file: "));
    REQUIRE(dir.count() == 1);
  }
}

TEST_CASE("reading a missing file names it", "[io]") {
  auto r = assay::io::try_read_file("/nonexistent/attempts.jsonl");
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.error().format() == "/nonexistent/attempts.jsonl: error: cannot read: No such file or directory");
}
