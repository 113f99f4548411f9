// The evidence behind a campaign's scores in the server: item analysis for managers, and adverse
// impact for administrators only, from a voluntary self-identification form a candidate may fill
// in after submitting. The answers to that form never reach a result, an export, a candidate's
// record or a manager, and go with the candidate when they are deleted.
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "core/plugins/staging.hpp"
#include "harness.hpp"

using namespace serve_test;
using Catch::Matchers::Contains;

namespace {

/// Starts the candidate, answers `right` of the three items right and the rest wrong, submits.
std::string sit(TestServer& server, const std::string& token, int right, Browser& b) {
  auto started = b.post("/api/c/" + token + "/start");
  REQUIRE(started.status == 200);
  for (int n = 1; n <= 3; ++n)
    REQUIRE(
        b.put(fmt::format("/api/c/{}/answers/{}", token, n), n <= right ? R"({"answer":["b"]})" : R"({"answer":["a"]})").status ==
        200);
  (void)server;
  return token;
}

}  // namespace

TEST_CASE("item analysis for managers and adverse impact for administrators, from self-identification kept apart",
          "[serve][evidence]") {
  assay::test::StagingDir assessments;
  std::ofstream(assessments.path() / "three.toml") << three_choice_assessment();
  TestServer server(false, {}, 0, nullptr, {assessments.path()});
  auto admin = server.staff();
  auto manager = server.browser();
  manager.login("manager", "password-manager");
  auto rater = server.browser();
  rater.login("rater", "password-rater");

  const json form =
      json::array({{{"id", "region"}, {"label", "Region"}, {"options", {"sntnl-north", "sntnl-south", "sntnl-east"}}}});
  // A form that is not one is refused, naming what is wrong.
  auto bad = manager.post("/api/campaigns",
                          {{"title", "x"},
                           {"assessment", "fixture-evidence"},
                           {"opens", "2026-03-01T09:00:00Z"},
                           {"closes", "2026-03-01T17:00:00Z"},
                           {"self_identification", json::array({{{"id", "Not An Id"}, {"label", "x"}, {"options", {"a"}}}})}});
  CHECK(bad.status == 400);
  CHECK_THAT(bad.body.at("message").get<std::string>(), Contains("lowercase letters"));
  auto campaign = make_campaign(manager, "fixture-evidence", {{"self_identification", form}});
  auto shown = manager.get(fmt::format("/api/campaigns/{}", campaign)).body.at("self_identification");
  CHECK(shown.at(0).at("options").back() == "Decline to answer");  // always offered
  server.clock.advance(std::chrono::hours(1));                     // the campaign opens at 09:00

  // 6 north (all pass), 6 south (2 pass), 2 east (too few to show), 1 declines, 1 does not answer.
  struct Who {
    const char* region;
    int right;
  };
  std::vector<Who> who;
  for (int i = 0; i < 6; ++i) who.push_back({"sntnl-north", 3});
  for (int i = 0; i < 6; ++i) who.push_back({"sntnl-south", i < 2 ? 2 : 1});
  for (int i = 0; i < 2; ++i) who.push_back({"sntnl-east", 3});
  who.push_back({"Decline to answer", 3});
  who.push_back({nullptr, 0});
  std::vector<Invite> invited;
  for (std::size_t i = 0; i < who.size(); ++i) {
    auto inv = invite(manager, campaign, fmt::format("Candidate {}", i));
    invited.push_back(inv);
    auto b = server.browser();
    sit(server, inv.token, who[i].right, b);
    auto path = "/api/c/" + inv.token + "/self-identification";
    // Offered only once the attempt is submitted.
    CHECK(b.get(path).status == 409);
    CHECK(b.send("PUT", path, json{{"region", "sntnl-north"}}.dump()).status == 409);
    REQUIRE(b.post("/api/c/" + inv.token + "/submit").status == 200);
    auto offered = b.get(path);
    REQUIRE(offered.status == 200);
    CHECK(offered.body.at("questions") == shown);
    CHECK(offered.body.at("answered") == false);
    if (who[i].region == nullptr) continue;
    CHECK(b.send("PUT", path, json{{"region", "somewhere else"}}.dump()).status == 400);
    CHECK(b.send("PUT", path, json{{"height", "tall"}}.dump()).status == 400);
    REQUIRE(b.send("PUT", path, json{{"region", who[i].region}}.dump()).status == 204);
    CHECK(b.get(path).body.at("answered") == true);
    // Another browser holding the link cannot read or write it.
    auto other = server.browser();
    CHECK(other.get(path).status == 409);
  }

  // Item analysis: managers (and administrators), not raters.
  auto analysis = manager.get(fmt::format("/api/campaigns/{}/statistics", campaign));
  REQUIRE(analysis.status == 200);
  CHECK(analysis.body.at("candidates") == who.size());
  REQUIRE(analysis.body.at("analysis").at("items").size() == 3);
  CHECK(rater.get(fmt::format("/api/campaigns/{}/statistics", campaign)).status == 403);
  CHECK(manager.get(fmt::format("/api/campaigns/{}/statistics?model=magic", campaign)).status == 400);

  // Adverse impact: administrators only.
  auto impact_path = fmt::format("/api/campaigns/{}/adverse-impact?min_group=2", campaign);
  CHECK(manager.get(impact_path).status == 403);
  CHECK(rater.get(impact_path).status == 403);
  auto impact = admin.get(impact_path);
  REQUIRE(impact.status == 200);
  CAPTURE(impact.body);
  CHECK(impact.body.at("field") == "region");
  CHECK(impact.body.at("declined") == 1);
  CHECK(impact.body.at("in_groups_too_small_to_show") == 2);
  std::map<std::string, json> rate;
  for (const auto& r : impact.body.at("fairness").at("selection")) rate[r.at("group").get<std::string>()] = r;
  REQUIRE(rate.size() == 2);  // east is too small to show
  CHECK(rate.at("sntnl-north").at("n") == 6);
  CHECK(rate.at("sntnl-north").at("passed") == 6);
  CHECK(rate.at("sntnl-south").at("n") == 6);
  CHECK(rate.at("sntnl-south").at("passed") == 2);
  CHECK(rate.at("sntnl-south").at("impact_ratio").get<double>() == Approx(2.0 / 6.0));
  CHECK(rate.at("sntnl-south").at("adverse_impact") == true);
  CHECK(impact.body.at("fairness").at("unknown") == 4);  // east, declined, not answered

  // What else staff read never carries the answers (the campaign itself shows the form's options).
  for (const auto& path :
       {fmt::format("/api/campaigns/{}/results", campaign), fmt::format("/api/campaigns/{}/results.csv", campaign),
        fmt::format("/api/campaigns/{}/results.jsonl", campaign), fmt::format("/api/campaigns/{}/report.html", campaign),
        fmt::format("/api/campaigns/{}/candidates", campaign), fmt::format("/api/campaigns/{}/log", campaign),
        fmt::format("/api/campaigns/{}/statistics", campaign)}) {
    auto r = admin.get(path);
    CAPTURE(path);
    REQUIRE(r.status == 200);
    CHECK(r.text.find("sntnl-north") == std::string::npos);
  }
  auto results = manager.get(fmt::format("/api/campaigns/{}/results", campaign));
  for (const auto& entry : results.body.at("ranking")) {
    auto attempt = manager.get(fmt::format("/api/attempts/{}", entry.at("attempt_id").get<std::string>()));
    CHECK(attempt.text.find("sntnl-") == std::string::npos);
  }

  // Deleting a candidate deletes their answers to the form.
  REQUIRE(manager.send("DELETE", fmt::format("/api/candidates/{}", invited[0].id)).status == 204);
  auto after = admin.get(impact_path);
  for (const auto& r : after.body.at("fairness").at("selection"))
    if (r.at("group") == "sntnl-north") CHECK(r.at("n") == 5);
  auto rows = server.store->self_identifications(campaign);
  CHECK(rows.size() == who.size() - 2);  // the deleted one and the one who never answered
}

TEST_CASE("a campaign may ask no self-identification questions", "[serve][evidence]") {
  assay::test::StagingDir assessments;
  std::ofstream(assessments.path() / "three.toml") << three_choice_assessment();
  TestServer server(false, {}, 0, nullptr, {assessments.path()});
  auto admin = server.staff();
  auto campaign = make_campaign(admin, "fixture-evidence", {{"self_identification", json::array()}});
  server.clock.advance(std::chrono::hours(1));
  auto inv = invite(admin, campaign, "Ada");
  auto b = server.browser();
  sit(server, inv.token, 3, b);
  REQUIRE(b.post("/api/c/" + inv.token + "/submit").status == 200);
  auto offered = b.get("/api/c/" + inv.token + "/self-identification");
  REQUIRE(offered.status == 200);
  CHECK(offered.body.at("questions").empty());
  CHECK(b.send("PUT", "/api/c/" + inv.token + "/self-identification", "{}").status == 404);
  CHECK(admin.get(fmt::format("/api/campaigns/{}/adverse-impact", campaign)).status == 404);

  // By default, the EEO-1 categories, each question with "Decline to answer".
  auto eeo = make_campaign(admin, "fixture-evidence");
  auto form = admin.get(fmt::format("/api/campaigns/{}", eeo)).body.at("self_identification");
  REQUIRE(form.size() == 2);
  CHECK(form.at(0).at("id") == "race_ethnicity");
  CHECK(form.at(0).at("options").size() == 8);
  CHECK(form.at(1).at("id") == "sex");
  CHECK(form.at(1).at("options") == json({"Female", "Male", "Decline to answer"}));
}
