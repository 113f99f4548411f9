// Exam-day limits: every number staff can set is bounded, a deadline never passes the close, an
// internal error is logged under a reference the client sees, and a database holding values an
// earlier release let in is repaired at start.
#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>

#include "core/serve/harness.hpp"
#include "core/serve/sqlite_direct.hpp"

using namespace serve_test;

namespace {

const json kCampaign = {{"title", "March intake"},
                        {"assessment", "fixture-take-screening"},
                        {"opens", "2026-03-01T09:00:00Z"},
                        {"closes", "2026-03-01T17:00:00Z"}};

}  // namespace

TEST_CASE("every number and date staff can set is bounded, and a refused one poisons nothing", "[serve][limits]") {
  TestServer server;
  auto manager = server.staff();
  auto campaign = make_campaign(manager, "fixture-take-screening");
  auto candidate = invite(manager, campaign, "Ada");

  const json extremes = json::array({1000000000000LL, -1, 1.5, "60", 18446744073709551615ULL, nullptr});
  struct Field {
    const char* name;
    std::int64_t max;
  };
  for (auto [name, max] :
       {Field{"time_limit", assay::serve::limits::kMaxTimeLimitSeconds}, Field{"retakes", assay::serve::limits::kMaxRetakes},
        Field{"retention_days", assay::serve::limits::kMaxRetentionDays}}) {
    for (const auto& value : extremes) {
      if (value.is_null()) continue;
      CAPTURE(name, value.dump());
      json body = kCampaign;
      body[name] = value;
      auto r = manager.post("/api/campaigns", body);
      CHECK(r.status == 400);
      CHECK(r.body["message"] == fmt::format("member '{}': expected a whole number from 0 to {}", name, max));
    }
    json body = kCampaign;
    body[name] = max + 1;
    CHECK(manager.post("/api/campaigns", body).status == 400);
    body[name] = max;
    CHECK(manager.post("/api/campaigns", body).status == 201);
  }
  for (const auto& value : extremes) {
    if (value.is_null()) continue;
    CAPTURE(value.dump());
    auto r = manager.post(fmt::format("/api/candidates/{}/accommodation", candidate.id), {{"extra_time", value}});
    CHECK(r.status == 400);
    CHECK(r.body["message"] ==
          fmt::format("member 'extra_time': expected a whole number from 0 to {}", assay::serve::limits::kMaxExtraTimeSeconds));
  }
  for (auto [member, value, message] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"opens", "1969-12-31T00:00:00Z",
            "member 'opens': expected a time in the years 2000 to 2199, found \"1969-12-31T00:00:00Z\""},
           {"closes", "2300-01-01T00:00:00Z",
            "member 'closes': expected a time in the years 2000 to 2199, found \"2300-01-01T00:00:00Z\""},
           {"closes", "2026-03-01T07:59:59Z", "member 'closes': must come after 'opens'"}}) {
    json body = kCampaign;
    body[member] = value;
    auto r = manager.post("/api/campaigns", body);
    CHECK(r.status == 400);
    CHECK(r.body["message"] == message);
  }
  json past = kCampaign;
  past["opens"] = "2026-02-01T09:00:00Z";
  past["closes"] = "2026-02-01T17:00:00Z";
  CHECK(manager.post("/api/campaigns", past).body["message"] == "member 'closes': already past; a campaign closes in the future");

  // The largest accepted values still give times every page can show.
  CHECK(manager
            .post(fmt::format("/api/candidates/{}/accommodation", candidate.id),
                  {{"extra_time", assay::serve::limits::kMaxExtraTimeSeconds}})
            .status == 200);
  CHECK(manager.get("/api/campaigns").status == 200);
  CHECK(server.errors.empty());
}

TEST_CASE("a deadline never runs past the campaign's close, and the candidate is told so before starting", "[serve][limits]") {
  TestServer server;  // the clock reads 2026-03-01T08:00:00Z
  auto manager = server.staff();
  auto campaign = make_campaign(manager, "fixture-take-screening",
                                {{"opens", "2026-03-01T07:00:00Z"}, {"closes", "2026-03-01T08:01:05Z"}, {"time_limit", 600}});
  auto ada = invite(manager, campaign, "Ada");
  auto candidate = server.browser();

  auto info = candidate.get("/api/c/" + ada.token);
  REQUIRE(info.status == 200);
  CHECK(info.body["time_limit"] == 65);
  CHECK(info.body["rules"][0] ==
        "The campaign closes at 2026-03-01T08:01:05Z: you have 1 minute from the moment you start, not the full 10 minutes.");

  auto started = candidate.post("/api/c/" + ada.token + "/start");
  REQUIRE(started.status == 200);
  CHECK(started.body["remaining"] == 65);
  CHECK(started.body["deadline"] == "2026-03-01T08:01:05Z");

  // A day of extra time moves the deadline to the close, not past it.
  REQUIRE(manager.post(fmt::format("/api/candidates/{}/accommodation", ada.id), {{"extra_time", 86400}}).status == 200);
  CHECK(candidate.get("/api/c/" + ada.token + "/attempt").body["deadline"] == "2026-03-01T08:01:05Z");
}

TEST_CASE("an internal error is logged with a reference the client sees, never the details or a link token", "[serve][limits]") {
  TestServer server;
  auto manager = server.staff();
  auto campaign = make_campaign(manager, "fixture-take-screening");
  auto ada = invite(manager, campaign, "Ada");
  // What an earlier release could store: a deadline-like time no calendar holds.
  server.exec_sql("UPDATE campaigns SET closes = '-31821-09-02T14:01:12Z'");

  auto staff_view = manager.get("/api/campaigns");
  REQUIRE(staff_view.status == 500);
  auto reference = staff_view.body["reference"].get<std::string>();
  CHECK(reference.size() == 10);
  CHECK(staff_view.body["message"] == "something went wrong (reference " + reference + ")");
  CHECK(staff_view.text.find("database") == std::string::npos);

  auto candidate_view = server.browser().get("/api/c/" + ada.token);
  REQUIRE(candidate_view.status == 500);
  CHECK(candidate_view.text.find("-31821") == std::string::npos);

  std::lock_guard lock(server.errors_mu);
  REQUIRE(server.errors.size() == 2);
  CHECK(server.errors[0].starts_with("assay serve: internal error " + reference + ": GET /api/campaigns: "));
  CHECK(server.errors[0].find("-31821-09-02T14:01:12Z") != std::string::npos);
  CHECK(server.errors[1].find("GET /api/c/…: ") != std::string::npos);
  CHECK(server.errors[1].find(ada.token) == std::string::npos);
}

TEST_CASE("values out of range in an existing database are repaired at start, each repair reported", "[serve][limits]") {
  TestServer server;
  auto manager = server.staff();
  auto campaign = make_campaign(manager, "fixture-take-screening", {{"time_limit", 600}});
  auto ada = invite(manager, campaign, "Ada");
  server.clock.advance(std::chrono::hours(1));  // 09:00, the campaign is open
  auto candidate = server.browser();
  REQUIRE(candidate.post("/api/c/" + ada.token + "/start").status == 200);
  CHECK(server.store->repair_out_of_range().empty());

  server.exec_sql(
      "UPDATE campaigns SET time_limit = 1000000000000, retention_days = 99999999; "
      "UPDATE candidates SET extra_time = 1000000000000; "
      "UPDATE attempts SET deadline = '-31821-09-02T14:01:12Z'");
  auto repairs = server.store->repair_out_of_range();
  REQUIRE(repairs.size() == 3);
  CHECK(repairs[0].find("time limit 1000000000000 -> 86400 s") != std::string::npos);
  CHECK(repairs[0].find("retention 99999999 -> 3660 days") != std::string::npos);
  CHECK(repairs[1] == fmt::format("candidate {}: extra time 1000000000000 -> 86400 s", ada.id));
  CHECK(repairs[2].ends_with(": deadline -31821-09-02T14:01:12Z -> 2026-03-01T17:00:00Z"));
  CHECK(server.store->repair_out_of_range().empty());  // repaired once

  auto view = candidate.get("/api/c/" + ada.token + "/attempt");
  REQUIRE(view.status == 200);
  CHECK(view.body["deadline"] == "2026-03-01T17:00:00Z");
  CHECK(manager.get("/api/campaigns").status == 200);
}

TEST_CASE("links guessed from a candidate's address never stop that candidate from answering", "[serve][limits]") {
  TestServer server;  // every browser here comes from 127.0.0.1, as a test room behind one NAT
  auto manager = server.staff();
  auto campaign = make_campaign(manager, "fixture-take-screening");
  auto ada = invite(manager, campaign, "Ada");
  server.clock.advance(std::chrono::hours(1));
  auto candidate = server.browser(), guesser = server.browser();
  REQUIRE(candidate.post("/api/c/" + ada.token + "/start").status == 200);
  for (int i = 0; i < 25; ++i) guesser.get("/api/c/" + std::string(43, static_cast<char>('a' + i)));
  REQUIRE(guesser.get("/api/c/" + std::string(43, 'z')).status == 429);

  CHECK(candidate.put("/api/c/" + ada.token + "/answers/1", R"({"answer": ["ohm"]})").status == 200);
  CHECK(candidate.get("/api/c/" + ada.token).status == 200);
  CHECK(candidate.get("/api/c/" + ada.token + "/attempt").status == 200);
  CHECK(server.browser().get("/api/c/" + ada.token).status == 200);  // a reload in a fresh tab
}

TEST_CASE("a candidate who loses the browser is refused without a flag, and staff can hand the attempt on", "[serve][limits]") {
  TestServer server;
  auto manager = server.staff();
  auto campaign = make_campaign(manager, "fixture-take-screening");
  auto ada = invite(manager, campaign, "Ada");
  server.clock.advance(std::chrono::hours(1));
  auto first = server.browser();
  REQUIRE(first.post("/api/c/" + ada.token + "/start").status == 200);
  REQUIRE(first.put("/api/c/" + ada.token + "/answers/1", R"({"answer": ["ohm"]})").status == 200);
  auto flags = [&] { return manager.get(fmt::format("/api/campaigns/{}/candidates", campaign)).body[0]["flags"]; };

  // The same browser after a restart still holds its cookie: it returns, unflagged.
  server.clock.advance(std::chrono::minutes(3));
  CHECK(first.get("/api/c/" + ada.token + "/attempt").status == 200);
  // Another browser once the first has been quiet for over two minutes: refused, not flagged.
  server.clock.advance(std::chrono::minutes(3));
  auto second = server.browser();
  CHECK(second.post("/api/c/" + ada.token + "/start").body["error"] == "other_browser");
  CHECK(flags().empty());

  // Staff hand the attempt on: a new link, and the first browser to open it continues.
  CHECK(manager.post(fmt::format("/api/candidates/{}/hand-over", invite(manager, campaign, "Bob").id)).status == 409);
  auto handed = manager.post(fmt::format("/api/candidates/{}/hand-over", ada.id));
  REQUIRE(handed.status == 200);
  auto token = token_of(handed.body["link"].get<std::string>());
  CHECK(first.get("/api/c/" + ada.token).status == 404);                             // the old link is dead
  CHECK(second.get("/api/c/" + token + "/attempt").body["error"] == "handed_over");  // not claimed by reading
  auto resumed = second.post("/api/c/" + token + "/start");
  REQUIRE(resumed.status == 200);
  CHECK(resumed.body["items"][0]["answer"] == json{{"answer", json::array({"ohm"})}});
  CHECK(second.put("/api/c/" + token + "/answers/2", R"({"answer": ["ampere", "kelvin"]})").status == 200);
  CHECK(flags().empty());
  // Now a third browser while the second is active is a second browser, and flagged.
  auto third = server.browser();
  CHECK(third.post("/api/c/" + token + "/start").body["error"] == "other_browser");
  REQUIRE(flags().size() == 1);
  CHECK(flags()[0]["kind"] == "second_browser");
  auto log = manager.get(fmt::format("/api/campaigns/{}/log", campaign)).body;
  CHECK(std::any_of(log.begin(), log.end(), [](const json& e) { return e["action"] == "hand_over"; }));
}

TEST_CASE("failed sign-ins slow an account down, never keep out the browser its owner signed in with", "[serve][limits]") {
  TestServer server(false, {"127.0.0.1"});
  auto admin = server.staff();  // signed in: this browser carries the account's device mark
  admin.headers.emplace("X-Forwarded-For", "198.51.100.9");
  auto attacker = server.browser();
  attacker.headers.emplace("X-Forwarded-For", "203.0.113.7");
  auto wrong = json{{"username", "admin"}, {"password", "not-the-password"}};
  // Three failures are free; then one try per 1, 2, 4, 8, 16 ... seconds (at most 60).
  for (int i = 0; i < 7; ++i) {
    if (i > 0) server.clock.advance(std::chrono::seconds(16));
    REQUIRE(attacker.post("/api/login", wrong).status == 401);
  }
  auto slowed = attacker.post("/api/login", wrong);
  REQUIRE(slowed.status == 429);
  CHECK(slowed.body["error"] == "slowed_down");
  CHECK(slowed.headers.find("Retry-After")->second == "16");

  // A fresh browser with the right password waits like anyone else...
  auto fresh = server.browser();
  fresh.headers.emplace("X-Forwarded-For", "192.0.2.44");
  auto right = json{{"username", "admin"}, {"password", "password-admin"}};
  CHECK(fresh.post("/api/login", right).status == 429);
  // ...the owner's browser signs in at once...
  CHECK(admin.post("/api/login", right).status == 200);
  // ...and the account is never locked: once the delay passes, the right password works anywhere.
  server.clock.advance(std::chrono::seconds(16));
  CHECK(fresh.post("/api/login", right).status == 200);
}

TEST_CASE("a request that changes something from another site's page is refused, sign-in takes JSON only", "[serve][limits]") {
  TestServer server;
  auto manager = server.staff();
  const std::string own = "http://127.0.0.1:" + std::to_string(server.port);
  auto with = [&](Browser& b, const char* header, const std::string& value) {
    b.headers.erase(header);
    b.headers.emplace(header, value);
  };
  json campaign = kCampaign;
  for (const auto& origin :
       std::vector<std::string>{"http://evil.example", "null", "https://127.0.0.1:" + std::to_string(server.port)}) {
    CAPTURE(origin);
    with(manager, "Origin", origin);
    auto r = manager.post("/api/campaigns", campaign);
    CHECK(r.status == 403);
    CHECK(r.body["error"] == "origin");
    auto login = server.browser();
    with(login, "Origin", origin);
    CHECK(login.post("/api/login", {{"username", "admin"}, {"password", "password-admin"}}).status == 403);
  }
  manager.headers.erase("Origin");
  with(manager, "Sec-Fetch-Site", "cross-site");
  CHECK(manager.post("/api/campaigns", campaign).body["error"] == "origin");
  manager.headers.erase("Sec-Fetch-Site");
  // The server's own pages, and clients that are not browsers, go through.
  with(manager, "Origin", own);
  CHECK(manager.post("/api/campaigns", campaign).status == 201);
  manager.headers.erase("Origin");
  CHECK(manager.post("/api/campaigns", campaign).status == 201);
  CHECK(manager.get("/api/campaigns").status == 200);

  for (const char* type : {"text/plain", "application/x-www-form-urlencoded"}) {
    auto r = server.browser().send("POST", "/api/login", R"({"username": "admin", "password": "password-admin"})", type);
    CHECK(r.status == 415);
  }
}

TEST_CASE("staff see every item of a campaign's assessment, and an exclusion can be undone", "[serve][limits]") {
  TestServer server;
  auto manager = server.staff();
  auto campaign = make_campaign(manager, "fixture-take-screening");
  auto items = manager.get(fmt::format("/api/campaigns/{}/items", campaign)).body;
  REQUIRE(items.size() >= 2);
  const auto first = items[0]["id"].get<std::string>();
  CHECK(items[0]["excluded"].is_null());
  REQUIRE(
      manager.post(fmt::format("/api/campaigns/{}/exclusions", campaign), {{"item", first}, {"reason", "ambiguous"}}).status ==
      200);
  items = manager.get(fmt::format("/api/campaigns/{}/items", campaign)).body;
  CHECK(items[0]["excluded"]["reason"] == "ambiguous");
  CHECK(items[0]["excluded"]["by"] == "admin");
  auto undo = manager.send("DELETE", fmt::format("/api/campaigns/{}/exclusions/{}", campaign, first));
  CHECK(undo.status == 200);
  CHECK(undo.body["rescored"] == 0);
  CHECK(manager.get(fmt::format("/api/campaigns/{}/items", campaign)).body[0]["excluded"].is_null());
  CHECK(manager.send("DELETE", fmt::format("/api/campaigns/{}/exclusions/{}", campaign, first)).status == 404);
}

TEST_CASE("no one is invited into a closed campaign", "[serve][limits]") {
  TestServer server;
  auto manager = server.staff();
  auto campaign = make_campaign(manager, "fixture-take-screening");
  server.clock.advance(std::chrono::hours(10));  // past the 17:00 close
  auto invited = manager.post(fmt::format("/api/campaigns/{}/candidates", campaign), {{"name", "Late"}});
  CHECK(invited.status == 409);
  CHECK(invited.body["message"] == "this campaign has closed: invite candidates to an open one");
}

namespace {

/// A raw TCP connection to the test server.
int connect_to(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  timeval wait{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
  return fd;
}

}  // namespace

TEST_CASE("half a request is cut off after the transfer time, while a quiet connection stays open", "[serve][limits]") {
  TestServer server(false, {}, 0, nullptr, {}, [](assay::serve::ServerOptions& o) {
    o.transfer_timeout = std::chrono::seconds(1);
    o.idle_timeout = std::chrono::seconds(60);
  });
  int half = connect_to(server.port), quiet = connect_to(server.port);
  const std::string start = "GET /api/me HTTP/1.1\r\nHo";
  REQUIRE(::send(half, start.data(), start.size(), 0) == static_cast<ssize_t>(start.size()));
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  char buf[512];
  CHECK(::recv(half, buf, sizeof buf, 0) == 0);  // closed by the server
  const std::string request = "GET /api/me HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  REQUIRE(::send(quiet, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size()));
  auto n = ::recv(quiet, buf, sizeof buf, 0);
  REQUIRE(n > 0);
  CHECK(std::string(buf, static_cast<std::size_t>(n)).starts_with("HTTP/1.1 401"));
  ::close(half);
  ::close(quiet);
}

TEST_CASE("a candidate id is never given twice, not even after the newest candidate is deleted", "[serve][limits]") {
  TestServer server;
  auto manager = server.staff();
  auto campaign = make_campaign(manager, "fixture-take-screening");
  invite(manager, campaign, "Ada");
  auto ben = invite(manager, campaign, "Ben");
  REQUIRE(manager.send("DELETE", fmt::format("/api/candidates/{}", ben.id)).status == 204);
  auto cy = invite(manager, campaign, "Cy");
  CHECK(cy.id == ben.id + 1);
}
