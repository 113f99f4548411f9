// What a candidate or learner reads of a shipped item (its presentation, the plugin's feedback,
// the explanation and the source shown after submission) carries no author's note: no reference
// to the item's params, no "not confirmed" research note (issue 16, point 7).
#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <filesystem>
#include <string>
#include <vector>

#include "assay/model.hpp"
#include "assay/plugins.hpp"
#include "core/test_support.hpp"

namespace fs = std::filesystem;

namespace {

using assay::test::test_plugins;

std::vector<std::string> shipped_files() {
  std::vector<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(fs::path(ASSAY_SOURCE_DIR) / "assessments"))
    if (e.path().extension() == ".toml") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Phrases that speak to an author, not to a candidate.
const std::vector<std::string> kAuthorNotes = {"params",   "not confirmed", "unverified", "public copy", "the paper",
                                               "(limits)", "todo",          "fixme",      "item's own",  "the author"};

}  // namespace

TEST_CASE("no author's note reaches a candidate in a shipped item's text", "[model][content]") {
  auto file = GENERATE(from_range(shipped_files()));
  CAPTURE(file);
  auto loaded = assay::model::try_load_and_prepare(file, test_plugins());
  REQUIRE(loaded.ok());
  const auto& a = loaded->assessment;
  for (std::size_t i = 0; i < a.items.size(); ++i) {
    const auto& item = a.items[i];
    const auto& prepared = loaded->prepared[i];
    std::vector<std::pair<std::string, std::string>> texts = {{"explanation", item.explanation}, {"source", item.source}};
    for (std::uint64_t seed : {1, 2, 3}) {
      auto shown = prepared.present(seed);
      REQUIRE(shown.ok());
      texts.emplace_back("presentation", shown.value());
      // Feedback on the key, and on an empty answer, where the type accepts one.
      if (auto key = prepared.solve(seed); key.ok())
        if (auto fb = prepared.feedback(seed, key.value()); fb.ok()) texts.emplace_back("feedback on the key", fb.value());
      if (auto fb = prepared.feedback(seed, "{}"); fb.ok()) texts.emplace_back("feedback on no answer", fb.value());
    }
    for (const auto& [what, text] : texts) {
      std::string t = lower(text);
      for (const auto& note : kAuthorNotes) {
        CAPTURE(item.id, what, note, text);
        CHECK(t.find(note) == std::string::npos);
      }
    }
  }
}
