// An item's pictures ([[item.figure]]): read beside the TOML, checked, covered by the digest, and
// shown after the plugin's material whatever the item's type.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "assay/model.hpp"
#include "assay/plugins.hpp"
#include "assay/presentation.hpp"
#include "core/plugins/staging.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using nlohmann::json;

using assay::test::StagingDir;

namespace {

const std::string kPngBytes = std::string("\x89PNG\r\n\x1a\n", 8) + "the rest of a picture";

// One single-choice item whose [[item.figure]] tables are `figures` (TOML lines).
std::string with_figures(const std::string& figures) {
  return R"(schema = 1
[assessment]
id = "t"
title = "T"
version = "1"
kind = "practice"
requires = { core-items = ">=1.0" }
[outcome]
pass_percent = 50
[[competency]]
id = "c"
title = "C"
[[section]]
id = "s"
title = "S"
[[item]]
id = "i"
section = "s"
competency = "c"
type = "core-items/single-choice"
)" + figures +
         R"([item.params]
prompt = "Which waveform does the strip show?"
options = [{ id = "a", text = "Sinus rhythm" }, { id = "b", text = "Ventricular fibrillation" }]
correct = "b"
shuffle = false
[[item.criteria]]
id = "correct"
points = 1
)";
}

const std::string kOneFigure = R"([[item.figure]]
file = "pictures/strip.png"
alt = "An ECG strip: a chaotic baseline with no QRS complexes"
caption = "Lead II, 25 mm/s"
)";

std::string first_error(const fs::path& toml) {
  auto a = assay::model::try_load_assessment(toml);
  REQUIRE_FALSE(a.ok());
  REQUIRE_FALSE(a.error().empty());
  return a.error()[0].message + " | " + (a.error()[0].hints.empty() ? "" : a.error()[0].hints[0]);
}

}  // namespace

TEST_CASE("a figure is read beside the TOML with its type from its bytes, and the digest covers it", "[model][figure]") {
  StagingDir dir;
  dir.write("pictures/strip.png", kPngBytes);
  auto toml = dir.write("a.toml", with_figures(kOneFigure));
  auto first = assay::model::try_load_assessment(toml);
  REQUIRE(first.ok());
  REQUIRE(first->items[0].figures.size() == 1);
  const auto& f = first->items[0].figures[0];
  CHECK(f.file == "pictures/strip.png");
  CHECK(f.media_type == "image/png");
  CHECK(f.bytes == kPngBytes);
  CHECK(f.caption == "Lead II, 25 mm/s");

  dir.write("pictures/strip.png", kPngBytes + "!");
  auto second = assay::model::try_load_assessment(toml);
  REQUIRE(second.ok());
  CHECK(second->sha256 != first->sha256);  // a changed picture is a changed assessment
}

TEST_CASE("the kinds of picture are told from their first bytes, never from the name", "[model][figure]") {
  using assay::model::media_type_of_picture;
  CHECK(media_type_of_picture(kPngBytes) == "image/png");
  CHECK(media_type_of_picture("\xff\xd8\xff\xe0 JFIF") == "image/jpeg");
  CHECK(media_type_of_picture("GIF89a....") == "image/gif");
  CHECK(media_type_of_picture(std::string_view("RIFF\x10\0\0\0WEBPVP8 ", 16)) == "image/webp");
  CHECK(media_type_of_picture("<svg xmlns=\"http://www.w3.org/2000/svg\"><script/></svg>").empty());
  CHECK(media_type_of_picture(std::string_view("RIFF\x10\0\0\0WAVEfmt ", 16)).empty());
  CHECK(media_type_of_picture("\x89PN").empty());
}

TEST_CASE("a figure that cannot be shown is refused at its key, with why", "[model][figure]") {
  StagingDir dir;
  dir.write("pictures/strip.png", kPngBytes);
  dir.write("pictures/vector.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
  dir.write("pictures/big.png", kPngBytes + std::string((2u << 20), 'x'));
  StagingDir outside;
  outside.write("secret.png", kPngBytes);

  auto error_of = [&](const std::string& figure) { return first_error(dir.write("a.toml", with_figures(figure))); };
  CHECK_THAT(error_of("[[item.figure]]\nfile = \"pictures/strip.png\"\n"),
             Contains("item[0].figure[0].alt: expected a string, found nothing"));
  CHECK_THAT(error_of("[[item.figure]]\nfile = \"pictures/strip.png\"\nalt = \"  \"\n"),
             Contains("item[0].figure[0].alt: expected a text saying what the picture shows"));
  CHECK_THAT(error_of("[[item.figure]]\nfile = \"pictures/vector.svg\"\nalt = \"x\"\n"),
             Contains("item[0].figure[0].file: expected a PNG, JPEG, GIF or WebP picture") && Contains("SVG"));
  CHECK_THAT(error_of("[[item.figure]]\nfile = \"pictures/big.png\"\nalt = \"x\"\n"),
             Contains("item[0].figure[0].file: file \"pictures/big.png\" is 2097181 bytes, more than the 2097152"));
  const std::string escape = fs::relative(outside.path() / "secret.png", dir.path()).string();
  REQUIRE(escape.rfind("../", 0) == 0);
  CHECK_THAT(error_of("[[item.figure]]\nfile = \"" + escape + "\"\nalt = \"x\"\n"),
             Contains("expected a file in the assessment's folder or below it"));
  CHECK_THAT(error_of("[[item.figure]]\nfile = \"pictures/none.png\"\nalt = \"x\"\n"),
             Contains("item[0].figure[0].file: cannot read file \"pictures/none.png\""));
  CHECK_THAT(error_of("[[item.figure]]\nfile = \"pictures/strip.png\"\nalt = \"x\"\ncaptoin = \"y\"\n"),
             Contains("unknown key 'captoin'") && Contains("did you mean 'caption'?"));
}

TEST_CASE("figures are shown after the plugin's material, and the terminal says where to open them", "[model][figure]") {
  StagingDir dir;
  dir.write("pictures/strip.png", kPngBytes);
  auto toml = dir.write("a.toml",
                        with_figures(kOneFigure + "[[item.figure]]\nfile = \"pictures/strip.png\"\nalt = \"The same strip\"\n"));
  static auto registry = assay::plugins::Registry::load({fs::path(ASSAY_TEST_PLUGIN_DIR)});
  auto loaded = assay::model::try_load_and_prepare(toml, registry);
  if (!loaded) FAIL(assay::format_all(loaded.error()));
  auto shown = loaded->prepared[0].present(1);
  REQUIRE(shown.ok());
  json p = json::parse(shown.value());
  REQUIRE(p["material"].size() == 2);
  CHECK(p["material"][0] == json({{"kind", "image"},
                                  {"figure", 1},
                                  {"media_type", "image/png"},
                                  {"alt", "An ECG strip: a chaotic baseline with no QRS complexes"},
                                  {"caption", "Lead II, 25 mm/s"}}));
  CHECK(p["material"][1]["figure"] == 2);
  CHECK_FALSE(p["material"][1].contains("caption"));
  CHECK(p["prompt"] == "Which waveform does the strip show?");  // the plugin's own presentation is kept

  assay::model::add_figure_paths(p, loaded->assessment, loaded->assessment.items[0]);
  const std::string path = (dir.path() / "pictures/strip.png").string();
  CHECK(p["material"][0]["path"] == path);
  auto text = assay::presentation::render_presentation(p, false, 200);
  CHECK_THAT(text, Contains("[picture 1]") && Contains("An ECG strip: a chaotic baseline with no QRS complexes") &&
                       Contains("Lead II, 25 mm/s") && Contains("open " + path + " to see it") && Contains("[picture 2]"));
}
