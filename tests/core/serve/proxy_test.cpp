// assay serve behind reverse proxies and under guessing: the client address rate limits count
// against, per-address link-guessing limits, and links and cookies that follow X-Forwarded-Proto
// only from a trusted proxy.
#include <fmt/format.h>

#include <catch2/catch.hpp>

#include "harness.hpp"

using namespace serve_test;
using Catch::Matchers::Contains;

namespace {

/// Guesses 20 unknown links from `b`: the last guess this window allows.
void guess_twenty(Browser& b) {
  for (int i = 0; i < 20; ++i) REQUIRE(b.get("/api/c/" + std::string(43, static_cast<char>('a' + i))).status == 404);
}

}  // namespace

TEST_CASE("guessing candidate links is rate-limited per address, in the database", "[serve]") {
  TestServer server;
  auto manager = server.staff();
  auto campaign = make_campaign(manager, "fixture-take-screening");
  auto c = invite(manager, campaign, "c");
  server.clock.advance(std::chrono::hours(1));
  auto b = server.browser();
  guess_twenty(b);
  const std::string unknown = "/api/c/" + std::string(43, 'z');
  auto limited = b.get(unknown);
  REQUIRE(limited.status == 429);
  REQUIRE(limited.headers.count("Retry-After") == 1);
  // A real link is never refused for the guesses made from its address.
  REQUIRE(b.get("/api/c/" + c.token).status == 200);
  server.clock.advance(std::chrono::minutes(10));
  REQUIRE(b.get(unknown).status == 404);
}

TEST_CASE("the client address is the right-most forwarded one that is not a trusted proxy", "[serve][proxy]") {
  const std::vector<std::string> trusted = {"127.0.0.1", "10.0.0.2", "2001:db8::1"};
  auto [peer, forwarded_for, client] = GENERATE_REF(table<std::string, std::string, std::string>({
      {"198.51.100.4", "203.0.113.7", "198.51.100.4"},  // not a proxy: the header is ignored
      {"127.0.0.1", "", "127.0.0.1"},                   // a proxy that forwards nothing
      {"127.0.0.1", "203.0.113.7", "203.0.113.7"},
      {"127.0.0.1", "198.51.100.9, 203.0.113.7", "203.0.113.7"},           // the client wrote the left part
      {"127.0.0.1", "198.51.100.9,203.0.113.7, 10.0.0.2", "203.0.113.7"},  // two proxies
      {"127.0.0.1", "10.0.0.2, 127.0.0.1", "10.0.0.2"},                    // only proxies: the left-most
      {"::ffff:127.0.0.1", "2001:db8:0:0:0:0:0:5", "2001:db8::5"},         // dual-stack peer, IPv6 client
      {"127.0.0.1", "2001:DB8::1, 203.0.113.7", "203.0.113.7"},
      {"127.0.0.1", "not-an-address", "not-an-address"},  // still counted, never trusted
  }));
  CAPTURE(peer, forwarded_for);
  REQUIRE(assay::serve::client_address(peer, forwarded_for, trusted) == client);
}

TEST_CASE("trusted proxies are exact IPv4 or IPv6 addresses", "[serve][proxy]") {
  auto [text, canonical] = GENERATE(table<std::string, std::string>({
      {"127.0.0.1", "127.0.0.1"},
      {"0:0:0:0:0:0:0:1", "::1"},
      {"::ffff:192.0.2.1", "192.0.2.1"},
      {"10.0.0.0/8", ""},
      {"localhost", ""},
      {"127.0.0.1:80", ""},
      {" 127.0.0.1", ""},
      {"", ""},
  }));
  CAPTURE(text);
  REQUIRE(assay::serve::canonical_address(text) == canonical);
}

TEST_CASE("behind a trusted proxy each forwarded client has its own link-guessing counter", "[serve][proxy]") {
  TestServer server(false, {"127.0.0.1"});
  auto manager = server.staff();
  auto campaign = make_campaign(manager, "fixture-take-screening");
  auto c = invite(manager, campaign, "c");
  server.clock.advance(std::chrono::hours(1));
  auto guesser = server.browser();
  guesser.headers.emplace("X-Forwarded-For", "203.0.113.7");
  guess_twenty(guesser);
  const std::string unknown = "/api/c/" + std::string(43, 'z');
  REQUIRE(guesser.get(unknown).status == 429);

  auto candidate = server.browser();
  candidate.headers.emplace("X-Forwarded-For", "198.51.100.9");
  REQUIRE(candidate.get(unknown).status == 404);  // a counter of its own
  REQUIRE(candidate.get("/api/c/" + c.token).status == 200);

  // The guesser writes the candidate's address first: the proxy appends the real one.
  auto forger = server.browser();
  forger.headers.emplace("X-Forwarded-For", "198.51.100.9, 203.0.113.7");
  REQUIRE(forger.get(unknown).status == 429);
  REQUIRE(candidate.get(unknown).status == 404);
}

TEST_CASE("without a trusted proxy a forged X-Forwarded-For does not escape the limit", "[serve][proxy]") {
  TestServer server;
  auto manager = server.staff();
  auto campaign = make_campaign(manager, "fixture-take-screening");
  auto c = invite(manager, campaign, "c");
  server.clock.advance(std::chrono::hours(1));
  auto guesser = server.browser();
  guesser.headers.emplace("X-Forwarded-For", "203.0.113.7");
  guess_twenty(guesser);
  auto forged = server.browser();
  forged.headers.emplace("X-Forwarded-For", "198.51.100.9");
  forged.headers.emplace("X-Forwarded-Proto", "https");
  auto r = forged.get("/api/c/" + std::string(43, 'z'));
  REQUIRE(r.status == 429);
  REQUIRE(r.body["message"] == "too many attempts from this address: try again later");
}

TEST_CASE("links and cookies follow X-Forwarded-Proto only from a trusted proxy", "[serve][proxy]") {
  bool trusted = GENERATE(true, false);
  CAPTURE(trusted);
  TestServer server(false, trusted ? std::vector<std::string>{"127.0.0.1"} : std::vector<std::string>{});
  server.staff();
  auto manager = server.browser();
  manager.headers.emplace("X-Forwarded-For", "198.51.100.9");
  manager.headers.emplace("X-Forwarded-Proto", "https");
  auto login = manager.post("/api/login", {{"username", "manager"}, {"password", "password-manager"}});
  REQUIRE(login.status == 200);
  manager.csrf = login.body.at("csrf").get<std::string>();
  auto cookie = login.headers.find("Set-Cookie")->second;
  auto campaign = make_campaign(manager, "fixture-take-screening");
  auto link = manager.post(fmt::format("/api/campaigns/{}/candidates", campaign), {{"name", "n"}, {"email", "n@example.org"}})
                  .body.at("link")
                  .get<std::string>();
  auto base = fmt::format("://127.0.0.1:{}/c/", server.port);
  if (trusted) {
    REQUIRE_THAT(cookie, Contains("; Secure"));
    REQUIRE(link.rfind("https" + base, 0) == 0);
  } else {
    REQUIRE_THAT(cookie, !Contains("Secure"));
    REQUIRE(link.rfind("http" + base, 0) == 0);
  }
}
