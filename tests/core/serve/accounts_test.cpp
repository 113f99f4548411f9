// assay serve: password resets, HTTPS with --tls-cert/--tls-key, and retakes.
#include <fmt/format.h>

#include <algorithm>
#include <catch2/catch.hpp>

#include "harness.hpp"

using namespace serve_test;
using Catch::Matchers::Contains;

TEST_CASE("the administrator resets a password and the account's sessions end", "[serve]") {
  TestServer server;
  auto admin = server.staff();
  auto manager = server.browser();
  manager.login("manager", "password-manager");
  REQUIRE(manager.get("/api/me").status == 200);
  auto r = admin.post("/api/users/manager/password", {{"password", "a-new-password"}});
  REQUIRE(r.status == 204);
  REQUIRE(manager.get("/api/me").status == 401);  // the old session ended
  REQUIRE(server.browser().post("/api/login", {{"username", "manager"}, {"password", "password-manager"}}).status == 401);
  auto again = server.browser();
  again.login("manager", "a-new-password");
  REQUIRE(admin.post("/api/users/nobody/password", {{"password", "a-new-password"}}).status == 404);
}

TEST_CASE("staff accounts are disabled, enabled, given another role and deleted, never the last administrator",
          "[serve][accounts]") {
  TestServer server;
  auto admin = server.staff();
  auto manager = server.browser();
  manager.login("manager", "password-manager");
  const json manager_password = {{"username", "manager"}, {"password", "password-manager"}};

  // Disabled: the sessions end and signing in is refused (said only with the right password).
  auto disabled = admin.post("/api/users/manager/disable");
  REQUIRE(disabled.status == 200);
  CHECK(disabled.body["disabled"] == true);
  CHECK(manager.get("/api/me").status == 401);
  auto refused = server.browser().post("/api/login", manager_password);
  CHECK(refused.status == 403);
  CHECK(refused.body["message"] == "this account is disabled: ask an administrator");
  CHECK(server.browser().post("/api/login", {{"username", "manager"}, {"password", "a-wrong-password"}}).status == 401);
  REQUIRE(admin.post("/api/users/manager/enable").status == 200);
  CHECK(server.browser().post("/api/login", manager_password).status == 200);

  // The last enabled administrator cannot be demoted, disabled or deleted...
  for (auto r : {admin.post("/api/users/admin/role", {{"role", "manager"}}), admin.post("/api/users/admin/disable"),
                 admin.send("DELETE", "/api/users/admin")}) {
    CHECK(r.status == 409);
    CHECK(r.body["error"] == "last_administrator");
  }
  // ...until another account is one.
  REQUIRE(admin.post("/api/users/manager/role", {{"role", "administrator"}}).body["role"] == "administrator");
  CHECK(admin.post("/api/users/admin/role", {{"role", "rater"}}).status == 200);
  CHECK(admin.get("/api/users").status == 403);  // a rater now: the role applies at once
  auto promoted = server.browser();
  promoted.login("manager", "password-manager");
  CHECK(promoted.send("DELETE", "/api/users/rater").status == 204);
  auto users = promoted.get("/api/users").body;
  CHECK(users.size() == 2);
  CHECK(promoted.post("/api/users/manager/disable").body["error"] == "last_administrator");
  CHECK(promoted.post("/api/users/nobody/disable").status == 404);

  auto log = promoted.get("/api/users-log").body;
  std::vector<std::string> actions;
  for (const auto& e : log) actions.push_back(e["action"].get<std::string>());
  for (const char* action : {"disable_user", "enable_user", "change_role", "delete_user"})
    CHECK(std::find(actions.begin(), actions.end(), action) != actions.end());
}

TEST_CASE("over HTTPS the server answers and marks its cookies Secure", "[serve]") {
  TestServer server(/*tls=*/true);
  auto b = server.browser();
  REQUIRE(b.post("/api/setup", {{"token", server.setup_token}, {"username", "admin"}, {"password", "password-admin"}}).status ==
          200);
  auto r = b.post("/api/login", {{"username", "admin"}, {"password", "password-admin"}});
  REQUIRE(r.status == 200);
  REQUIRE_THAT(r.headers.find("Set-Cookie")->second, Contains("; Secure"));
  b.csrf = r.body["csrf"].get<std::string>();
  auto c = b.post("/api/campaigns/1/candidates", {{"name", "x"}});
  REQUIRE(c.status == 404);  // no campaign yet: the route ran, over TLS
}

TEST_CASE("a campaign with a retake lets a candidate start once more after submitting", "[serve]") {
  TestServer server;
  auto manager = server.staff();
  auto campaign = manager.post("/api/campaigns", {{"title", "t"},
                                                  {"assessment", "fixture-take-screening"},
                                                  {"opens", "2026-03-01T09:00:00Z"},
                                                  {"closes", "2026-03-01T17:00:00Z"},
                                                  {"retakes", 1}});
  REQUIRE(campaign.status == 201);
  auto invited = manager.post(fmt::format("/api/campaigns/{}/candidates", campaign.body["id"].get<int>()), {{"name", "n"}});
  auto token = token_of(invited.body["link"].get<std::string>());
  server.clock.advance(std::chrono::hours(1));
  auto b = server.browser();
  for (int sitting = 1; sitting <= 2; ++sitting) {
    CAPTURE(sitting);
    REQUIRE(b.post("/api/c/" + token + "/start").status == 200);
    REQUIRE(b.post("/api/c/" + token + "/submit").status == 200);
  }
  auto third = b.post("/api/c/" + token + "/start");
  REQUIRE(third.status == 409);
  REQUIRE(third.body["message"] == "this link has been used: the attempt was submitted");
  REQUIRE(server.store->attempts_of(invited.body["candidate"]["id"].get<int>()).size() == 2);
}

TEST_CASE("deleting a candidate removes their data and attempts, and the log never names them", "[serve]") {
  TestServer server;
  auto manager = server.staff();
  auto campaign = manager.post("/api/campaigns", {{"title", "t"},
                                                  {"assessment", "fixture-take-screening"},
                                                  {"opens", "2026-03-01T09:00:00Z"},
                                                  {"closes", "2026-03-01T17:00:00Z"}});
  auto id = campaign.body["id"].get<int>();
  auto invited = manager.post(fmt::format("/api/campaigns/{}/candidates", id),
                              {{"name", "Florence Nightingale"}, {"email", "fn@example.org"}});
  auto token = token_of(invited.body["link"].get<std::string>());
  auto candidate = invited.body["candidate"]["id"].get<int>();
  server.clock.advance(std::chrono::hours(1));
  auto b = server.browser();
  REQUIRE(b.post("/api/c/" + token + "/start").status == 200);
  REQUIRE(b.put("/api/c/" + token + "/answers/1", R"({"answer": ["ohm"]})").status == 200);
  REQUIRE(b.post("/api/c/" + token + "/signals", {{"kind", "paste"}}).status == 204);
  REQUIRE(b.post("/api/c/" + token + "/submit").status == 200);
  auto attempt_id = server.store->attempts_of(candidate).at(0).attempt.attempt_id;

  REQUIRE(manager.send("DELETE", fmt::format("/api/candidates/{}", candidate)).status == 204);
  REQUIRE(manager.get(fmt::format("/api/campaigns/{}/candidates", id)).body.empty());
  REQUIRE(manager.get(fmt::format("/api/campaigns/{}/results", id)).body["ranking"].empty());
  REQUIRE_FALSE(server.store->attempt(attempt_id));
  REQUIRE_FALSE(server.store->result(attempt_id));
  REQUIRE(server.store->signals(attempt_id).empty());
  REQUIRE(b.get("/api/c/" + token).status == 404);
  auto log = manager.get(fmt::format("/api/campaigns/{}/log", id)).text;
  REQUIRE_THAT(log, Contains("personal data and attempts deleted"));
  REQUIRE(log.find("Florence") == std::string::npos);
}

TEST_CASE("a campaign's attempts are purged once its retention period after closing has run out", "[serve]") {
  TestServer server;
  auto manager = server.staff();
  auto campaign = manager.post("/api/campaigns", {{"title", "t"},
                                                  {"assessment", "fixture-take-screening"},
                                                  {"opens", "2026-03-01T09:00:00Z"},
                                                  {"closes", "2026-03-01T17:00:00Z"},
                                                  {"retention_days", 30}});
  REQUIRE(campaign.body["retention_days"] == 30);
  auto id = campaign.body["id"].get<int>();
  auto invited = manager.post(fmt::format("/api/campaigns/{}/candidates", id), {{"name", "n"}});
  auto token = token_of(invited.body["link"].get<std::string>());
  server.clock.advance(std::chrono::hours(1));
  auto b = server.browser();
  REQUIRE(b.post("/api/c/" + token + "/start").status == 200);
  REQUIRE(b.post("/api/c/" + token + "/submit").status == 200);
  // Closed at 17:00 on 1 March; 30 days later is 17:00 on 31 March.
  server.clock.advance(std::chrono::hours(8) + std::chrono::days(30) - std::chrono::seconds(1));
  REQUIRE(manager.get("/api/campaigns").status == 401);  // a staff session lasts 12 hours
  manager.login("admin", "password-admin");
  manager.get("/api/campaigns");
  REQUIRE(manager.get(fmt::format("/api/campaigns/{}/candidates", id)).body.size() == 1);
  server.clock.advance(std::chrono::seconds(1));
  manager.get("/api/campaigns");
  REQUIRE(manager.get(fmt::format("/api/campaigns/{}/candidates", id)).body.empty());
  REQUIRE(manager.get(fmt::format("/api/campaigns/{}/log", id)).body.back()["detail"] ==
          "retention period of 30 days ended: 1 candidates' data and attempts deleted");
}
