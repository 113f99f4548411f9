// The server calls its plugins in worker processes: a plugin that crashes while scoring a
// submission costs that item of that attempt, reported as the software's failure, and the server
// goes on serving every other candidate.
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "core/plugins/fixture_assessment.hpp"
#include "core/plugins/staging.hpp"
#include "harness.hpp"

using namespace serve_test;
using Catch::Matchers::Contains;

TEST_CASE("a plugin that crashes scoring a submission costs that item, and the server serves on", "[serve][isolation]") {
  assay::test::StagingDir plugins, assessments;
  plugins.add("crash_in_score.so");
  std::ofstream(assessments.path() / "crash.toml")
      << assay::test::yes_no_assessment("fixture-serve-crash", "screening", "fixture-crash-in-score", {{"broken", "yes"}}, true);
  auto registry = assay::plugins::Registry::load({plugins.path(), ASSAY_TEST_PLUGIN_DIR});
  registry.isolate({2, 10});
  TestServer server(false, {}, 0, &registry, {assessments.path()});
  server.staff();
  auto manager = server.browser();
  manager.login("manager", "password-manager");
  auto created = manager.post("/api/campaigns", {{"title", "March intake"},
                                                 {"assessment", "fixture-serve-crash"},
                                                 {"opens", "2026-03-01T07:00:00Z"},
                                                 {"closes", "2026-03-01T17:00:00Z"}});
  REQUIRE(created.status == 201);
  auto campaign = created.body.at("id").get<std::int64_t>();
  for (const char* name : {"Ada", "Grace"}) {
    auto r = manager.post(fmt::format("/api/campaigns/{}/candidates", campaign), {{"name", name}, {"email", ""}});
    REQUIRE(r.status == 201);
    auto token = token_of(r.body.at("link").get<std::string>());
    auto b = server.browser();
    auto started = b.post("/api/c/" + token + "/start");
    REQUIRE(started.status == 200);
    std::size_t n = 0;
    for (const auto& item : started.body.at("items")) {
      ++n;
      bool yes_no = item.at("presentation").at("prompt") == "Answer yes or no";
      auto answer = json{{"answer", json::array({yes_no ? "yes" : "ohm"})}};
      REQUIRE(b.put(fmt::format("/api/c/{}/answers/{}", token, n), answer.dump()).status == 200);
    }
    auto submitted = b.post("/api/c/" + token + "/submit");
    CAPTURE(submitted.text);
    REQUIRE(submitted.status == 200);  // the crash is not the candidate's: the submission is received
  }
  REQUIRE(server.browser().get("/").status == 200);  // still serving

  auto results = manager.get(fmt::format("/api/campaigns/{}/results.jsonl", campaign));
  REQUIRE(results.status == 200);
  std::stringstream in(results.text);
  int lines = 0;
  for (std::string line; std::getline(in, line); ++lines) {
    auto r = json::parse(line);
    for (const auto& item : r.at("items")) CHECK(item.at("status") == (item.at("id") == "broken" ? "failed" : "scored"));
    bool named = false;
    for (const auto& p : r.at("problems"))
      named = named ||
              p.at("text").get<std::string>().find("score crashed its worker process (signal 11 (SIGSEGV))") != std::string::npos;
    CHECK(named);
  }
  CHECK(lines == 2);
}
