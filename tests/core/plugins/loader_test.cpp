#include <catch2/catch.hpp>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>

#include "assay/plugins.hpp"
#include "core/plugins/staging.hpp"

using namespace assay::plugins;
using assay::test::StagingDir;

namespace {

std::string refusal_of(const fs::path& file) {
  auto r = try_load_plugin(file);
  REQUIRE_FALSE(r.ok());
  return r.error();
}

constexpr const char* kBuildHint =
    "  hint: build the plugin as a shared library: assay_add_plugin() or add_library(NAME MODULE ...) in CMake, or 'cc -shared'";
constexpr const char* kRebuildHint = "  hint: rebuild the plugin against this SDK (sdk/include/assay/plugin.h)";

}  // namespace

TEST_CASE("the loader refuses each broken plugin file with its own message", "[plugins][loader]") {
  auto [file, what, hint] = GENERATE(table<std::string, std::string, std::string>({
      {"empty.so", "not a shared library: the file is empty", kBuildHint},
      {"text.so", "not a shared library: expected an ELF header, found text \"This is a text file, cop\"", kBuildHint},
      {"object.so", "an ELF relocatable object (.o), not a shared library",
       "  hint: link it into a shared library: add_library(NAME MODULE ...) in CMake, or 'cc -shared'"},
      {"no_entry.so", "does not export the entry symbol 'assay_plugin_v1'",
       "  hint: define it with ASSAY_PLUGIN(...) from <assay/sdk.hpp>, or as the example in <assay/plugin.h> shows, with default "
       "visibility"},
      {"wrong_abi.so", "exports assay_abi_2, this assay loads assay_abi_1", kRebuildHint},
      {"null_table.so", "assay_plugin_v1() returned a null table",
       "  hint: return the address of a static assay_plugin_table_v1; an SDK plugin returns null when building its tables "
       "throws, so run the plugin's own tests"},
      {"small_table.so", "its plugin table is 16 bytes, ABI 1.0 needs at least 56", kRebuildHint},
  }));
  CAPTURE(file);
  StagingDir dir;
  auto path = dir.add(file);
  REQUIRE(refusal_of(path) == path.string() + ": error: refused: " + what + "\n" + hint);
}

TEST_CASE("the loader refuses a type whose params schema uses keywords the engine does not check", "[plugins][loader]") {
  StagingDir dir;
  auto path = dir.add("unchecked_schema.so");
  REQUIRE(
      refusal_of(path) ==
      path.string() +
          ": error: refused: item type 'yes-no': its params schema cannot be checked as written: '#/dependentRequired': "
          "keyword 'dependentRequired' is not implemented by this assay; '#/properties/prompt/format': keyword 'format' is "
          "not implemented by this assay\n"
          "  hint: use the keywords docs/plugins.md lists under \"Params and their schema\", and check anything else in prepare");
}

TEST_CASE("every shipped plugin's params schemas use only what the engine checks", "[plugins][loader]") {
  auto registry = Registry::load({fs::path(ASSAY_TEST_PLUGIN_DIR)});
  for (const auto& r : registry.refused()) FAIL(r.message);
  CHECK(registry.plugins().size() >= 4);
}

TEST_CASE("the loader refuses a plugin that others can overwrite", "[plugins][loader][trust]") {
  StagingDir dir;
  SECTION("the file is writable by others") {
    auto path = dir.add("good.so", "good.so", 0666);
    REQUIRE(refusal_of(path) == path.string() + ": error: refused: the file is writable by group or others (mode 0666)\n" +
                                    "  hint: if you trust it, run 'chmod go-w " + path.string() + "'");
  }
  SECTION("the file is writable by its group") {
    auto path = dir.add("good.so", "good.so", 0775);
    REQUIRE_THAT(refusal_of(path), Catch::Contains("the file is writable by group or others (mode 0775)"));
  }
  SECTION("its directory is writable by others") {
    auto path = dir.add("good.so");
    ::chmod(dir.path().c_str(), 0777);
    REQUIRE(refusal_of(path) == path.string() + ": error: refused: its directory '" + dir.path().string() +
                                    "' is writable by group or others (mode 0777)\n" +
                                    "  hint: if you trust that directory, run 'chmod go-w " + dir.path().string() +
                                    "', or move the plugin");
  }
  SECTION("a read-only file in a private directory loads") {
    auto path = dir.add("good.so", "good.so", 0444);
    REQUIRE(try_load_plugin(path).ok());
  }
}

TEST_CASE("a good plugin loads with its metadata and item types", "[plugins][loader]") {
  StagingDir dir;
  auto loaded = try_load_plugin(dir.add("good.so"));
  REQUIRE(loaded.ok());
  const Plugin& p = *loaded.value();
  CHECK(p.name() == "fixture-good");
  CHECK(p.version() == "1.0.0");
  CHECK(p.domain() == "testing");
  CHECK(p.abi_version() == ASSAY_ABI_VERSION);
  REQUIRE(p.item_types().size() == 1);
  const ItemType& t = *p.item_types()[0];
  CHECK(t.qualified_name() == "fixture-good/yes-no");
  CHECK(t.secret_params() == std::vector<std::string>{"answer"});
  REQUIRE(t.n_criteria() == 1);
  CHECK(t.criteria()[0].id == "correct");
  CHECK_FALSE(t.criteria()[0].rated);
  CHECK_FALSE(t.criteria()[0].safety);
  CHECK(p.find_type("yes-no") == &t);
  CHECK(p.find_type("no-such") == nullptr);
}

TEST_CASE("calls into a prepared item go through the host's wrappers", "[plugins][loader][calls]") {
  StagingDir dir;
  auto loaded = try_load_plugin(dir.add("good.so"));
  REQUIRE(loaded.ok());
  const ItemType& t = *loaded.value()->item_types()[0];

  SECTION("prepare reports refused params with the plugin's message and pointer") {
    auto r = t.prepare(R"({"prompt":"p","answer":"maybe"})");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().status == ASSAY_STATUS_INVALID_PARAMS);
    CHECK(r.error().message == "expected \"yes\" or \"no\"");
    CHECK(r.error().pointer == "/answer");
  }

  auto item = t.prepare(R"({"prompt":"p","answer":"yes"})");
  REQUIRE(item.ok());

  SECTION("present writes the presentation, the same bytes for the same seed") {
    auto a = item->present(7), b = item->present(7);
    REQUIRE(a.ok());
    CHECK(a.value() == b.value());
    auto doc = nlohmann::json::parse(a.value());
    CHECK(doc["presentation"] == 1);
    CHECK(doc["interactions"][0]["id"] == "answer");
  }
  SECTION("score writes one exact credit per criterion") {
    auto right = item->score_verbose(7, R"({"answer":["yes"]})");
    auto wrong = item->score_verbose(7, R"({"answer":["no"]})");
    REQUIRE(right.ok());
    REQUIRE(wrong.ok());
    CHECK(right.value()[0].numerator == 1);
    CHECK(right.value()[0].denominator == 1);
    CHECK(wrong.value()[0].numerator == 0);
    std::vector<assay_credit> credits(1);
    CHECK(item->score(7, R"({"answer":["yes"]})", credits) == ASSAY_STATUS_OK);
    CHECK(credits[0].numerator == 1);
    CHECK(item->score(7, "{}", credits) == ASSAY_STATUS_INVALID_RESPONSE);
  }
  SECTION("score_batch scores each entry with its own status") {
    std::vector<std::uint64_t> seeds{1, 2, 3};
    std::vector<std::string_view> responses{R"({"answer":["yes"]})", R"({"answer":["no"]})", "{}"};
    std::vector<assay_credit> credits(3);
    std::vector<assay_status> statuses(3);
    REQUIRE(item->score_batch(seeds, responses, credits, statuses) == ASSAY_STATUS_OK);
    CHECK(statuses == std::vector<assay_status>{ASSAY_STATUS_OK, ASSAY_STATUS_OK, ASSAY_STATUS_INVALID_RESPONSE});
    CHECK(credits[0].numerator == 1);
    CHECK(credits[1].numerator == 0);
  }
  SECTION("solve and feedback write through the host's sink") {
    CHECK(item->solve(7).value() == R"({"answer":["yes"]})");
    CHECK(item->feedback(7, R"({"answer":["no"]})").value() == "wrong");
    auto bad = item->feedback(7, "{}");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().status == ASSAY_STATUS_INVALID_RESPONSE);
  }
  SECTION("a moved-from item releases nothing twice") {
    PreparedItem moved = std::move(item.value());
    CHECK(moved.present(1).ok());
  }
}

TEST_CASE("an SDK exception in prepare becomes an error naming the item type", "[plugins][loader][calls]") {
  StagingDir dir;
  auto loaded = try_load_plugin(dir.add("throws_in_prepare.so"));
  REQUIRE(loaded.ok());
  auto r = loaded.value()->item_types()[0]->prepare(R"({"answer":"x"})");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().status == ASSAY_STATUS_INTERNAL);
  CHECK(r.error().message == "item type 'throws': cannot compile the params");
}

TEST_CASE("good plugins load beside broken ones", "[plugins][registry]") {
  StagingDir dir;
  for (const char* f : {"empty.so", "text.so", "object.so", "no_entry.so", "wrong_abi.so", "null_table.so", "small_table.so",
                        "good.so", "unsolvable.so", "throws_in_prepare.so"}) {
    dir.add(f);
  }
  auto r = Registry::load({dir.path()});
  std::vector<std::string> loaded, refused;
  for (const auto& p : r.plugins()) loaded.push_back(p->name());
  for (const auto& f : r.refused()) refused.push_back(f.path.filename().string());
  CHECK(loaded == std::vector<std::string>{"fixture-good", "fixture-throws", "fixture-unsolvable"});
  CHECK(refused == std::vector<std::string>{"empty.so", "no_entry.so", "null_table.so", "object.so", "small_table.so", "text.so",
                                            "wrong_abi.so"});
  CHECK(r.shadowed().empty());
  CHECK(r.find_type("fixture-good/yes-no") != nullptr);
  CHECK(r.find_type("fixture-good/other") == nullptr);
  CHECK(r.find_type("yes-no") == nullptr);
}

TEST_CASE("the first file of a name on the search path wins", "[plugins][registry]") {
  StagingDir first, second;
  SECTION("a later file of the same name is shadowed and never loaded") {
    auto a = first.add("good.so", "x.so");
    auto b = second.add("unsolvable.so", "x.so");
    auto r = Registry::load({first.path(), second.path()});
    REQUIRE(r.plugins().size() == 1);
    CHECK(r.plugins()[0]->path() == a);
    REQUIRE(r.shadowed().size() == 1);
    CHECK(r.shadowed()[0].path == b);
    CHECK(r.shadowed()[0].by == a);
    CHECK(r.refused().empty());
  }
  SECTION("a refused file does not shadow the next one") {
    auto a = first.add("text.so", "x.so");
    auto b = second.add("good.so", "x.so");
    auto r = Registry::load({first.path(), second.path()});
    REQUIRE(r.plugins().size() == 1);
    CHECK(r.plugins()[0]->path() == b);
    CHECK(r.shadowed().empty());
    REQUIRE(r.refused().size() == 1);
    CHECK(r.refused()[0].path == a);
  }
  SECTION("a directory listed twice is searched once") {
    first.add("good.so");
    auto r = Registry::load({first.path(), first.path() / "."});
    CHECK(r.plugins().size() == 1);
    CHECK(r.shadowed().empty());
    CHECK(r.searched().size() == 1);
  }
}

TEST_CASE("two plugins declaring one name: the second is refused naming both files", "[plugins][registry]") {
  StagingDir first, second;
  auto a = first.add("good.so");
  auto b = second.add("duplicate_name.so");
  auto r = Registry::load({first.path(), second.path()});
  REQUIRE(r.plugins().size() == 1);
  CHECK(r.plugins()[0]->path() == a);
  REQUIRE(r.refused().size() == 1);
  CHECK(r.refused()[0].message == b.string() + ": error: refused: declares the plugin name 'fixture-good', already loaded from " +
                                      a.string() + "\n  hint: remove one of the two files, or give one plugin another name");
}

TEST_CASE("the search path puts --plugin-dir first, then ASSAY_PLUGIN_PATH, then the binary's and install directories",
          "[plugins][registry]") {
  StagingDir a, b, c;
  ::setenv("ASSAY_PLUGIN_PATH", (b.path().string() + "::" + c.path().string() + ":" + a.path().string()).c_str(), 1);
  auto dirs = search_path({a.path()});
  ::unsetenv("ASSAY_PLUGIN_PATH");
  REQUIRE(dirs.size() >= 4);
  CHECK(dirs[0] == a.path());
  CHECK(dirs[1] == b.path());
  CHECK(dirs[2] == c.path());  // the empty entry and the repeated `a` are dropped
  CHECK(dirs[3].filename() == "plugins");
  CHECK(dirs.back() == fs::path(ASSAY_INSTALL_PLUGIN_DIR_FOR_TESTS));
}

TEST_CASE("the plugins listing names loaded, shadowed and refused files", "[plugins][registry]") {
  StagingDir first, second;
  auto good = first.add("good.so");
  auto shadowed = second.add("good.so");
  auto text = second.add("text.so");
  auto r = Registry::load({first.path(), second.path()});
  std::ostringstream out, err;
  SECTION("as text") {
    CHECK_FALSE(write_listing(r, false, out, err));
    CHECK(out.str() == "fixture-good 1.0.0 (ABI 1.1) " + good.string() + "\n  item types: yes-no\n  unsigned\nshadowed: " +
                           shadowed.string() + " (by " + good.string() + ")\n");
    CHECK(err.str() == r.refused()[0].message + "\n");
  }
  SECTION("as JSON") {
    CHECK_FALSE(write_listing(r, true, out, err));
    auto doc = nlohmann::json::parse(out.str());
    CHECK(doc["plugins"][0]["name"] == "fixture-good");
    CHECK(doc["plugins"][0]["abi"] == "1.1");
    CHECK(doc["plugins"][0]["item_types"] == nlohmann::json::array({"yes-no"}));
    CHECK(doc["shadowed"][0]["path"] == shadowed.string());
    CHECK(doc["refused"][0]["path"] == text.string());
    CHECK(err.str().empty());
  }
}

TEST_CASE("the host reads the safety flag of a 1.1 plugin's criteria", "[plugins][loader][safety]") {
  // The shipped device-maintenance plugin declares 'safe-overall' a safety criterion and keeps
  // 'overall' (right either way) an accuracy one.
  auto registry = Registry::load({fs::path(ASSAY_TEST_PLUGIN_DIR)});
  const ItemType* type = registry.find_type("device-maintenance/electrical-safety");
  REQUIRE(type != nullptr);
  bool safe_overall = false, overall = true;
  for (const auto& c : type->criteria()) {
    if (c.id == "safe-overall") safe_overall = c.safety;
    if (c.id == "overall") overall = c.safety;
  }
  CHECK(safe_overall);
  CHECK_FALSE(overall);
}
