#include "assay/types.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "assay/model.hpp"
#include "core/test_support.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using nlohmann::json;

namespace {

using assay::test::test_plugins;

const assay::plugins::ItemType& type(std::string_view name) {
  const auto* t = test_plugins().find_type(name);
  REQUIRE(t != nullptr);
  return *t;
}

const json& member(const json& list, std::string_view key, std::string_view value) {
  for (const auto& e : list)
    if (e.at(key) == value) return e;
  FAIL("no entry with " << key << " = " << value);
  static const json none;
  return none;
}

}  // namespace

TEST_CASE("every shipped type's TOML example passes validate in a minimal assessment", "[model][types]") {
  auto dir = fs::temp_directory_path() / ("assay-types-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::size_t checked = 0;
  for (const auto& p : test_plugins().plugins()) {
    for (const auto& t : p->item_types()) {
      CAPTURE(t->qualified_name());
      std::string item = assay::model::example_item_toml(*t);
      REQUIRE_FALSE(item.empty());
      std::string text = assay::model::minimal_assessment_toml(*t, item);
      CAPTURE(text);
      auto file = dir / (p->name() + "-" + t->name() + ".toml");
      std::ofstream(file, std::ios::binary) << text;
      auto report = assay::model::validate_file(file, test_plugins());
      std::string errors;
      for (const auto& d : report.diagnostics)
        if (d.severity == assay::Severity::kError) errors += d.format() + "\n";
      CHECK(errors == "");
      CHECK(report.items == 1);
      ++checked;
    }
  }
  fs::remove_all(dir);
  CHECK(checked >= 20);
}

TEST_CASE("a type's params come from its schema: type, required, default, description, secret", "[model][types]") {
  auto d = assay::model::describe_type(type("core-items/single-choice"));
  const auto& prompt = member(d["params"], "name", "prompt");
  CHECK(prompt["type"] == "string");
  CHECK(prompt["required"] == true);
  CHECK(prompt["secret"] == false);
  CHECK(prompt["description"] == "the question");
  const auto& correct = member(d["params"], "name", "correct");
  CHECK(correct["secret"] == true);
  CHECK(member(d["params"], "name", "unsafe")["type"] == "array of string");
  const auto& shuffle = member(d["params"], "name", "shuffle");
  CHECK(shuffle["required"] == false);
  CHECK(shuffle["default"] == true);
  CHECK(d["interactions"] == json::array({"choice"}));
  CHECK(d["example"]["toml"].get<std::string>().find("[item.params]\n") != std::string::npos);
}

TEST_CASE("a type's criteria say which are rated and which are safety criteria", "[model][types]") {
  auto choice = assay::model::describe_type(type("core-items/single-choice"));
  CHECK(member(choice["criteria"], "id", "safe")["safety"] == true);
  CHECK(member(choice["criteria"], "id", "correct")["safety"] == false);
  auto text = assay::model::describe_type(type("core-items/extended-text"));
  CHECK(member(text["criteria"], "id", "quality")["rated"] == true);
  std::string page = assay::model::type_markdown(text);
  CHECK_THAT(page, Contains("| `quality` | rated"));
  CHECK_THAT(assay::model::type_text(choice), Contains("correct (string; required, secret (never shown))"));
}

TEST_CASE("a type says whether it can generate its material and which key fields are shown", "[model][types]") {
  auto fields = assay::model::describe_type(type("ehr-admin/hl7-fields"));
  CHECK(fields["generated_material"] == true);
  CHECK(fields["shown_fields"] == json::array({"fields"}));
  CHECK_THAT(assay::model::type_text(fields), Contains("\nmaterial: can be generated from the item seed"));
  CHECK_THAT(assay::model::type_markdown(fields), Contains("The type can generate its material from the item seed"));
  auto choice = assay::model::describe_type(type("core-items/single-choice"));
  CHECK(choice["generated_material"] == false);
  CHECK(choice["shown_fields"] == json::array());
  CHECK_THAT(assay::model::type_text(choice), !Contains("material:"));
}

TEST_CASE("a type is found by its full name, a unique bare name, or refused with the nearest", "[model][types]") {
  auto full = assay::model::find_item_type(test_plugins(), "core-items/numeric");
  REQUIRE(full);
  CHECK((*full)->qualified_name() == "core-items/numeric");
  auto bare = assay::model::find_item_type(test_plugins(), "numeric");
  REQUIRE(bare);
  CHECK((*bare)->qualified_name() == "core-items/numeric");
  auto typo = assay::model::find_item_type(test_plugins(), "core-items/numerc");
  REQUIRE_FALSE(typo);
  CHECK(typo.error() ==
        "assay: error: unknown item type 'core-items/numerc'\n  hint: did you mean 'core-items/numeric'?\n"
        "  hint: 'assay types' lists the item types");
}
