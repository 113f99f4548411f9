// Two `assay serve` processes on one database act as one server: a request may land on either
// (no sticky sessions), a staff member signed in on one is signed in on both, rate limits count
// across them, a campaign change on one is seen at once by the other, and when one is killed
// mid-save its candidates go on through the other with no answer lost or written twice. On
// PostgreSQL, as docs/serve.md describes behind a load balancer; on SQLite, two processes on one
// file, which the same store code allows.
#include <atomic>

#include "child.hpp"

using namespace serve_test;

TEST_CASE("two servers on one database act as one", "[serve][several]") {
  store_test::Database database;
  // Started together on an empty database, each server prints a set-up link; either works, and
  // the first used closes set-up on both.
  Child a(database.location(), "2026-03-01T10:00:00Z");
  Child b(database.location(), "2026-03-01T10:00:00Z");
  auto token_a = setup_token(a), token_b = setup_token(b);
  auto admin = first_admin(a, token_a);
  Browser late(b.port);
  CHECK(late.post("/api/setup", {{"token", token_b}, {"username", "second"}, {"password", "password-second"}}).status == 404);

  // Signed in on one, signed in on both: the session and its CSRF token live in the database.
  auto on_b = [&](Browser& from) {
    Browser there(b.port);
    there.cookies_ = from.cookies_;
    there.csrf = from.csrf;
    return there;
  };
  auto admin_b = on_b(admin);
  REQUIRE(admin_b.get("/api/me").status == 200);
  REQUIRE(admin_b.post("/api/users", {{"username", "manager"}, {"role", "manager"}, {"password", "password-manager"}}).status ==
          201);
  Browser manager(a.port);
  manager.login("manager", "password-manager");  // an account made on b signs in on a

  // A campaign made on a is listed on b at once; candidates invited on b start on a.
  auto writers = started_writers(manager, a.port, 2);
  auto manager_b = on_b(manager);
  auto listed = manager_b.get("/api/campaigns");
  REQUIRE(listed.status == 200);
  REQUIRE(listed.body.size() == 1);
  auto campaign = listed.body.at(0).at("id").get<std::int64_t>();

  // A candidate's requests alternate between the servers; each sees the last save of the other.
  auto& w = *writers[0];
  for (int n = 1; n <= 6; ++n) {
    Browser candidate(n % 2 ? a.port : b.port);
    candidate.headers.emplace("Cookie", w.cookie);
    auto saved = candidate.put(fmt::format("/api/c/{}/answers/{}?revision={}", w.token, w.essay, n),
                               json{{"answer", fmt::format("version {}", n)}}.dump());
    REQUIRE(saved.status == 200);
    Browser other(n % 2 ? b.port : a.port);
    other.headers.emplace("Cookie", w.cookie);
    auto state = other.get("/api/c/" + w.token + "/attempt");
    REQUIRE(state.status == 200);
    CHECK(state.body.at("items").at(w.essay - 1).at("answer").at("answer") == fmt::format("version {}", n));
    CHECK(state.body.at("items").at(w.essay - 1).at("revision") == n);
  }

  // A campaign change on one is seen at once on the other: an item excluded on b is excluded on
  // a; a candidate revoked on a is refused on b.
  auto items = manager.get(fmt::format("/api/campaigns/{}/items", campaign));
  REQUIRE(items.status == 200);
  auto item = items.body.at(0).at("id").get<std::string>();
  REQUIRE(
      manager_b.post(fmt::format("/api/campaigns/{}/exclusions", campaign), {{"item", item}, {"reason", "ambiguous"}}).status ==
      200);
  auto excluded = manager.get(fmt::format("/api/campaigns/{}/items", campaign)).body.at(0);
  CAPTURE(excluded);
  CHECK(excluded.at("excluded").is_object());
  auto candidates = manager.get(fmt::format("/api/campaigns/{}/candidates", campaign));
  auto revoked_id = candidates.body.at(1).at("id").get<std::int64_t>();
  REQUIRE(manager.post(fmt::format("/api/candidates/{}/revoke", revoked_id)).status == 204);
  Browser revoked(b.port);
  revoked.headers.emplace("Cookie", writers[1]->cookie);
  CHECK(revoked.get("/api/c/" + writers[1]->token + "/attempt").status == 404);

  // Failed sign-ins from one address count on both servers: ten in all, then both refuse.
  int refused_at = 0;
  for (int i = 1; i <= 12 && refused_at == 0; ++i) {
    Browser stranger(i % 2 ? a.port : b.port);
    auto r = stranger.post("/api/login", {{"username", fmt::format("nobody-{}", i)}, {"password", "wrong"}});
    if (r.status == 429) refused_at = i;
  }
  CHECK(refused_at == 11);

  // Signed out on b, signed out on a.
  REQUIRE(admin_b.post("/api/logout").status == 204);
  CHECK(admin.get("/api/me").status == 401);
}

TEST_CASE("when one of two servers is killed mid-save its candidates go on through the other, losing nothing",
          "[serve][several][kill]") {
  store_test::Database database;
  Child a(database.location(), "2026-03-01T10:00:00Z");
  auto admin = first_admin(a);
  Child b(database.location(), "2026-03-01T10:00:00Z");
  constexpr int kCandidates = 8;
  auto writers = started_writers(admin, a.port, kCandidates);

  // Half the candidates save through a, half through b, each revision after the last
  // acknowledged. A save whose server is gone is sent again to the other server under the same
  // revision, as the browser does.
  std::atomic<bool> killed{false}, stop{false};
  std::atomic<long> total_acked{0}, after_kill{0};
  std::atomic<int> moved{0}, repeats{0}, refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kCandidates; ++i)
    threads.emplace_back([&, i, w = writers[static_cast<std::size_t>(i)].get()] {
      int port = i % 2 ? b.port : a.port;
      auto http = std::make_unique<httplib::Client>("127.0.0.1", port);
      http->set_keep_alive(true);
      httplib::Headers h{{"Cookie", w->cookie}};
      for (long n = 1; !stop; ++n) {
        w->in_flight = n;
        auto path = fmt::format("/api/c/{}/answers/{}?revision={}", w->token, w->essay, n);
        auto body = json{{"answer", fmt::format("version {}", n)}}.dump();
        auto r = http->Put(path.c_str(), h, body, "application/json");
        if (!r && port == a.port) {
          // Gone: the same save, to the other server.
          port = b.port;
          http = std::make_unique<httplib::Client>("127.0.0.1", port);
          ++moved;
          r = http->Put(path.c_str(), h, body, "application/json");
        }
        if (!r || r->status != 200) {
          ++refused;
          break;
        }
        w->acked = n;
        ++total_acked;
        if (killed) ++after_kill;
      }
    });
  while (total_acked < 200) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  a.kill9();
  killed = true;
  while (after_kill < 200) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  stop = true;
  for (auto& t : threads) t.join();
  CHECK(refused == 0);
  CHECK(moved == kCandidates / 2);

  // Every candidate's stored answer is the last acknowledged, under its own revision: nothing the
  // killed server acknowledged was lost, and the save repeated on b was written once.
  for (const auto& w : writers) {
    Browser candidate(b.port);
    candidate.headers.emplace("Cookie", w->cookie);
    auto state = candidate.get("/api/c/" + w->token + "/attempt");
    REQUIRE(state.status == 200);
    const auto& item = state.body.at("items").at(w->essay - 1);
    CAPTURE(w->acked.load(), item);
    CHECK(item.at("revision") == w->acked.load());
    CHECK(item.at("answer").at("answer") == fmt::format("version {}", w->acked.load()));
  }
}
