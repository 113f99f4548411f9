// What the import tests share: an imported assessment written as TOML, loaded as every command
// loads one, and the exact credit its items give a response.
#pragma once

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numeric>

#include "assay/import.hpp"
#include "assay/model.hpp"
#include "assay/plugins.hpp"

inline std::string reduced(const assay_credit& c) {
  auto g = std::gcd(c.numerator, c.denominator);
  return std::to_string(c.numerator / g) + "/" + std::to_string(c.denominator / g);
}

struct LoadedImport {
  assay::interchange::Imported in;
  assay::model::LoadedAssessment la;

  void load(assay::interchange::Imported imported, const std::string& source) {
    namespace fs = std::filesystem;
    in = std::move(imported);
    fs::path dir = fs::temp_directory_path() / ("assay-import-test-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    fs::path file = dir / "bank.toml";
    for (auto& item : in.items)  // pictures beside the assessment, as `assay import` writes them
      for (std::size_t k = 0; k < item.figures.size(); ++k) {
        item.figures[k].file = item.id + "-" + std::to_string(k + 1) + ".picture";
        std::ofstream(dir / item.figures[k].file, std::ios::binary) << item.figures[k].bytes;
      }
    std::ofstream(file) << assay::interchange::assessment_toml(in, "bank", "Bank", source);
    static auto registry = assay::plugins::Registry::load({fs::path(ASSAY_TEST_PLUGIN_DIR)});
    auto loaded = assay::model::try_load_and_prepare(file, registry);
    fs::remove_all(dir);
    if (!loaded) FAIL(assay::format_all(loaded.error()));
    la = std::move(loaded.value());
  }

  std::string credit(const std::string& id, const nlohmann::json& response) const {
    auto index = la.assessment.item_index(id);
    REQUIRE(index >= 0);
    auto c = la.prepared[static_cast<std::size_t>(index)].score_verbose(1, response.dump());
    REQUIRE(c.ok());
    return reduced(c.value().at(0));
  }
};
