// An item's pictures in the screening server: the presentation names each picture by number, and
// the browser holding the attempt fetches its bytes; no one else does, and no path is sent.
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "core/plugins/staging.hpp"
#include "harness.hpp"

using namespace serve_test;

namespace {

const std::string kPng = std::string("\x89PNG\r\n\x1a\n", 8) + "a small picture";

const std::string kAssessment = screening_header("fixture-figures", "Fixture: a picture", 50) + R"([[item]]
id = "strip"
section = "s"
competency = "c"
type = "core-items/single-choice"
[[item.figure]]
file = "pictures/secret-name-ventricular-fibrillation.png"
alt = "An ECG strip with a chaotic baseline"
[item.params]
prompt = "Which rhythm does the strip show?"
options = [ { id = "a", text = "Sinus rhythm" }, { id = "b", text = "Ventricular fibrillation" } ]
correct = "b"
shuffle = false
[[item.criteria]]
id = "correct"
points = 1
)";

}  // namespace

TEST_CASE("a candidate's browser fetches the pictures of its items and nothing else does", "[serve][figure]") {
  assay::test::StagingDir assessments;
  assessments.write("pictures/secret-name-ventricular-fibrillation.png", kPng);
  assessments.write("figures.toml", kAssessment);
  TestServer server(false, {}, 0, nullptr, {assessments.path()});
  auto admin = server.staff();
  auto manager = server.browser();
  manager.login("manager", "password-manager");
  auto campaign = make_campaign(manager, "fixture-figures");
  server.clock.advance(std::chrono::hours(1));
  auto ada = invite(manager, campaign, "Ada");
  auto b = server.browser();
  REQUIRE(b.post("/api/c/" + ada.token + "/start").status == 200);

  auto state = b.get("/api/c/" + ada.token + "/attempt");
  REQUIRE(state.status == 200);
  const auto& material = state.body.at("items").at(0).at("presentation").at("material");
  REQUIRE(material.size() == 1);
  CHECK(material[0] ==
        json({{"kind", "image"}, {"figure", 1}, {"media_type", "image/png"}, {"alt", "An ECG strip with a chaotic baseline"}}));
  CHECK(state.text.find("secret-name") == std::string::npos);  // the file's name can tell the answer

  auto picture = b.get("/api/c/" + ada.token + "/figures/1/1");
  CHECK(picture.status == 200);
  CHECK(picture.text == kPng);
  CHECK(picture.headers.find("Content-Type")->second == "image/png");
  CHECK(picture.headers.find("X-Content-Type-Options")->second == "nosniff");

  CHECK(b.get("/api/c/" + ada.token + "/figures/1/2").status == 404);
  CHECK(b.get("/api/c/" + ada.token + "/figures/1/0").status == 404);
  CHECK(b.get("/api/c/" + ada.token + "/figures/2/1").status == 404);
  CHECK(b.get("/api/c/" + ada.token + "/figures/x/1").status == 404);
  // Another browser with the link, and a guessed link, get no picture.
  auto other = server.browser();
  CHECK(other.get("/api/c/" + ada.token + "/figures/1/1").status == 409);
  CHECK(other.get("/api/c/" + std::string(43, 'A') + "/figures/1/1").status == 404);
  // Before the attempt starts there is nothing to show.
  auto ben = invite(manager, campaign, "Ben");
  CHECK(server.browser().get("/api/c/" + ben.token + "/figures/1/1").status == 409);
  (void)admin;
}
