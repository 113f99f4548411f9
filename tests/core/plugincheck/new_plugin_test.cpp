#include "assay/new_plugin.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "core/plugins/staging.hpp"
#include "core/test_support.hpp"

using namespace assay::plugincheck;
using assay::test::StagingDir;
namespace fs = std::filesystem;

namespace {

using assay::test::slurp;

}  // namespace

TEST_CASE("new-plugin writes the template under the author's names, one class per type", "[new-plugin]") {
  StagingDir dir;
  NewPlugin request{"infusion-checks", {"pump-rate", "dose-limit"}, dir.path() / "project"};
  auto project = try_new_plugin(request);
  REQUIRE(project.ok());
  CHECK(project->files == std::vector<std::string>{"CMakeLists.txt", "README.md", "src/plugin.cpp", "src/pump_rate.cpp",
                                                   "src/dose_limit.cpp", "src/pump_rate.hpp", "src/dose_limit.hpp"});
  auto root = dir.path() / "project";
  auto cmake = slurp(root / "CMakeLists.txt");
  CHECK_THAT(cmake, Catch::Contains("project(infusion_checks VERSION 0.1.0 LANGUAGES CXX)") &&
                        Catch::Contains("assay_add_plugin(NAME infusion-checks SOURCES src/pump_rate.cpp src/dose_limit.cpp)") &&
                        Catch::Contains("set(CMAKE_BUILD_TYPE Release CACHE STRING") &&
                        Catch::Contains("plugin-check $<TARGET_FILE:infusion_checks>"));
  auto entry = slurp(root / "src/plugin.cpp");
  CHECK_THAT(entry, Catch::Contains("#include \"pump_rate.hpp\"\n#include \"dose_limit.hpp\"\n") &&
                        Catch::Contains("ASSAY_PLUGIN(\"infusion-checks\", \"0.1.0\"") &&
                        Catch::Contains("infusion_checks::PumpRate, infusion_checks::DoseLimit)"));
  auto header = slurp(root / "src/dose_limit.hpp");
  CHECK_THAT(header, Catch::Contains("namespace infusion_checks {") && Catch::Contains("class DoseLimit {") &&
                         Catch::Contains("kName = \"dose-limit\""));
  CHECK_THAT(slurp(root / "src/dose_limit.cpp"),
             Catch::Contains("#include \"dose_limit.hpp\"") && Catch::Contains("DoseLimit DoseLimit::prepare("));
  CHECK_THAT(slurp(root / "README.md"), Catch::Contains("# infusion-checks") &&
                                            Catch::Contains("assay plugin-sign build/libinfusion_checks.so --key KEY") &&
                                            Catch::Contains("ctest --test-dir build"));
  // Nothing of the template's own names is left.
  for (const auto& f : project->files) {
    CAPTURE(f);
    auto text = slurp(root / f);
    for (const char* old : {"example-plugin", "example_plugin", "namespace example", "example::", "ReadingCheck", "reading_check",
                            "reading-check"}) {
      CAPTURE(old);
      CHECK(text.find(old) == std::string::npos);
    }
  }
}

TEST_CASE("new-plugin without a type writes the template's type into ./NAME", "[new-plugin]") {
  StagingDir dir;
  auto cwd = fs::current_path();
  fs::current_path(dir.path());
  auto project = try_new_plugin(NewPlugin{"my-plugin", {}, {}});
  fs::current_path(cwd);
  REQUIRE(project.ok());
  CHECK(project->dir == "my-plugin");
  CHECK(fs::exists(dir.path() / "my-plugin/src/reading_check.hpp"));
  CHECK_THAT(slurp(dir.path() / "my-plugin/src/plugin.cpp"), Catch::Contains("my_plugin::ReadingCheck)"));
}

TEST_CASE("new-plugin refuses a name that cannot name a project, and writes nothing", "[new-plugin]") {
  auto [name, types, message] = GENERATE(table<std::string, std::vector<std::string>, std::string>({
      {"My_Plugin",
       {},
       "assay: error: plugin name 'My_Plugin': expected kebab-case: lowercase letters and digits in words joined by '-', "
       "starting with a letter\n  hint: did you mean 'my-plugin'?"},
      {"3d-print",
       {},
       "assay: error: plugin name '3d-print': expected kebab-case: lowercase letters and digits in words joined by '-', "
       "starting with a letter\n  hint: for example 'my-plugin'"},
      {"my--plugin", {}, "assay: error: plugin name 'my--plugin': expected kebab-case"},
      {"class", {}, "assay: error: plugin name 'class': its C++ namespace would be 'class', which is reserved"},
      {"my-plugin",
       {"Pump rate"},
       "assay: error: item type 'Pump rate': expected kebab-case: lowercase letters and digits in words joined by '-', "
       "starting with a letter\n  hint: did you mean 'pump-rate'?"},
      {"my-plugin", {"plugin"}, "assay: error: item type 'plugin': src/plugin.cpp is the plugin's entry point"},
      {"my-plugin", {"pump-rate", "pump-rate"}, "assay: error: item type 'pump-rate' is given twice"},
  }));
  CAPTURE(name, types);
  StagingDir dir;
  auto project = try_new_plugin(NewPlugin{name, types, dir.path() / "project"});
  REQUIRE_FALSE(project.ok());
  CHECK(project.error().kind == NewPluginError::Kind::kName);
  CHECK_THAT(project.error().message, Catch::StartsWith(message));
  CHECK_FALSE(fs::exists(dir.path() / "project"));
}

TEST_CASE("new-plugin refuses a directory that is not empty and leaves it alone", "[new-plugin]") {
  StagingDir dir;
  std::ofstream(dir.path() / "notes.txt") << "mine";
  auto project = try_new_plugin(NewPlugin{"my-plugin", {}, dir.path()});
  REQUIRE_FALSE(project.ok());
  CHECK(project.error().kind == NewPluginError::Kind::kExists);
  CHECK_THAT(project.error().message, Catch::Contains("exists and is not empty"));
  CHECK(slurp(dir.path() / "notes.txt") == "mine");
  CHECK_FALSE(fs::exists(dir.path() / "CMakeLists.txt"));
  SECTION("an empty directory is used") {
    fs::remove(dir.path() / "notes.txt");
    REQUIRE(try_new_plugin(NewPlugin{"my-plugin", {}, dir.path()}).ok());
    CHECK(fs::exists(dir.path() / "CMakeLists.txt"));
  }
}
