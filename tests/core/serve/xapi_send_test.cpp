// `assay serve --xapi-endpoint`: each final result goes to a learning record store as xAPI
// statements, from an outbox in the database. Against a small LRS of the test's own on loopback
// that accepts, refuses with 400, is down, or answers too slowly: every statement arrives, none
// is stored twice, a refused one is kept and not sent again, and a rescore sends nothing new.
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "assay/xapi.hpp"
#include "core/plugins/staging.hpp"
#include "harness.hpp"

using namespace serve_test;
using namespace std::chrono_literals;

namespace {

/// A learning record store that keeps statements by id, as the xAPI specification asks: the
/// same statement again is accepted and stored once; another under a stored id is a conflict.
class FakeLrs {
 public:
  enum class Mode { kAccept, kRefuse, kUnauthorized, kSlow };

  FakeLrs() { start(); }
  ~FakeLrs() { stop(); }

  /// Up, on the same port as before once it has one.
  void start() {
    server_ = std::make_unique<httplib::Server>();
    server_->Put("/xapi/statements", [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); });
    if (port_ == 0)
      port_ = server_->bind_to_any_port("127.0.0.1");
    else
      REQUIRE(server_->bind_to_port("127.0.0.1", port_));
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    while (!server_->is_running()) std::this_thread::sleep_for(5ms);
  }
  /// Down: the port refuses connections until start().
  void stop() {
    if (!server_) return;
    server_->stop();
    thread_.join();
    server_.reset();
  }
  void mode(Mode m) {
    std::lock_guard lock(mu_);
    mode_ = m;
  }
  int port() const { return port_; }
  std::map<std::string, std::string> stored() {
    std::lock_guard lock(mu_);
    return stored_;
  }
  std::map<std::string, int> puts() {
    std::lock_guard lock(mu_);
    return puts_;
  }
  bool headers_ok() {
    std::lock_guard lock(mu_);
    return headers_ok_;
  }

 private:
  void handle(const httplib::Request& req, httplib::Response& res) {
    auto id = req.get_param_value("statementId");
    Mode mode;
    {
      std::lock_guard lock(mu_);
      mode = mode_;
      ++puts_[id];
      headers_ok_ = headers_ok_ && req.get_header_value("X-Experience-API-Version") == "1.0.3" &&
                    req.get_header_value("Authorization") == "Basic bHJzLXVzZXI6bHJzLXNlY3JldA==";  // lrs-user:lrs-secret
    }
    if (mode == Mode::kRefuse || mode == Mode::kUnauthorized) {
      res.status = mode == Mode::kRefuse ? 400 : 401;
      res.set_content("statement refused by the test LRS", "text/plain");
      return;
    }
    if (mode == Mode::kSlow) std::this_thread::sleep_for(1500ms);
    std::lock_guard lock(mu_);
    auto [it, added] = stored_.emplace(id, req.body);
    res.status = added || it->second == req.body ? 204 : 409;
  }

  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mu_;
  Mode mode_ = Mode::kAccept;
  std::map<std::string, std::string> stored_;
  std::map<std::string, int> puts_;
  bool headers_ok_ = true;
};

/// Waits up to 10 s for `done`.
template <class F>
bool eventually(F done) {
  for (int i = 0; i < 500; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return done();
}

}  // namespace

TEST_CASE("final results reach the learning record store once, whether it is up, down, refusing or slow", "[serve][xapi]") {
  assay::test::StagingDir assessments;
  std::ofstream(assessments.path() / "three.toml") << three_choice_assessment();
  FakeLrs lrs;
  REQUIRE(lrs.port() > 0);
  TestServer server(false, {}, 0, nullptr, {assessments.path()}, [&](assay::serve::ServerOptions& o) {
    o.xapi.endpoint = fmt::format("http://127.0.0.1:{}/xapi/", lrs.port());
    o.xapi.username = "lrs-user";
    o.xapi.password = "lrs-secret";
    o.xapi.home_page = "https://careers.example-hospital.org";
    o.xapi.poll = 20ms;
    o.xapi.retry = 30s;
    o.xapi.timeout = 1s;
  });
  auto admin = server.staff();
  auto campaign = make_campaign(admin, "fixture-evidence");
  server.clock.advance(1h);
  auto sit = [&](const std::string& name, int right) {
    auto inv = invite(admin, campaign, name);
    auto b = server.browser();
    REQUIRE(b.post("/api/c/" + inv.token + "/start").status == 200);
    for (int n = 1; n <= 3; ++n)
      REQUIRE(b.put(fmt::format("/api/c/{}/answers/{}", inv.token, n), n <= right ? R"({"answer":["b"]})" : R"({"answer":["a"]})")
                  .status == 200);
    REQUIRE(b.post("/api/c/" + inv.token + "/submit").status == 200);
    return inv;
  };

  // Up: the statement arrives, valid, with the LRS's credentials and version header.
  sit("Ada", 3);
  REQUIRE(eventually([&] { return lrs.stored().size() == 1; }));
  auto first = nlohmann::json::parse(lrs.stored().begin()->second);
  CHECK(assay::xapi::check_statement(first).empty());
  CHECK(first.at("verb").at("id") == "http://adlnet.gov/expapi/verbs/passed");
  CHECK(first.at("actor").at("account").at("homePage") == "https://careers.example-hospital.org");
  CHECK(lrs.headers_ok());
  CHECK(eventually([&] { return server.store->outbox_counts().sent == 1; }));

  // Down: kept in the outbox and tried again later, with nothing lost.
  lrs.stop();
  sit("Grace", 1);
  REQUIRE(eventually([&] {
    bool logged = false;
    std::lock_guard lock(server.errors_mu);
    for (const auto& e : server.errors) logged = logged || e.find("tried again in 30 s") != std::string::npos;
    return logged;
  }));
  CHECK(server.store->outbox_counts().waiting == 1);
  lrs.start();
  std::this_thread::sleep_for(200ms);
  CHECK(lrs.stored().size() == 1);  // not before its time
  server.clock.advance(31s);
  REQUIRE(eventually([&] { return lrs.stored().size() == 2; }));

  // Credentials the LRS no longer takes (401, a password changed): the LRS's set-up is at fault,
  // not the statement, which waits for it to be put right.
  lrs.mode(FakeLrs::Mode::kUnauthorized);
  sit("Mary", 3);
  REQUIRE(eventually([&] { return lrs.puts().size() == 3; }));
  std::this_thread::sleep_for(100ms);
  CHECK(server.store->outbox_counts().refused == 0);
  CHECK(server.store->outbox_counts().waiting == 1);
  lrs.mode(FakeLrs::Mode::kAccept);
  server.clock.advance(31s);
  REQUIRE(eventually([&] { return lrs.stored().size() == 3; }));

  // Refused for good (400): kept with the LRS's answer, never sent again.
  lrs.mode(FakeLrs::Mode::kRefuse);
  sit("Hedy", 3);
  REQUIRE(eventually([&] { return server.store->outbox_counts().refused == 1; }));
  auto puts_before = lrs.puts();
  server.clock.advance(2h);
  std::this_thread::sleep_for(300ms);
  CHECK(lrs.puts() == puts_before);

  // Slow (an answer after the sender gave up): sent again later, stored once.
  lrs.mode(FakeLrs::Mode::kSlow);
  sit("Katherine", 2);
  REQUIRE(eventually([&] { return lrs.stored().size() == 4; }));  // it did arrive, late
  lrs.mode(FakeLrs::Mode::kAccept);
  server.clock.advance(31s);
  REQUIRE(eventually([&] { return server.store->outbox_counts().sent == 4; }));
  CHECK(lrs.stored().size() == 4);
  int repeated = 0;
  for (const auto& [id, n] : lrs.puts()) repeated += n > 1 ? 1 : 0;
  CHECK(repeated == 2);  // Mary's (401, then taken) and Katherine's (late), each stored once

  // A rescore (an item excluded) sends nothing new: the LRS keeps the first final result.
  auto items = admin.get(fmt::format("/api/campaigns/{}/items", campaign));
  REQUIRE(admin
              .post(fmt::format("/api/campaigns/{}/exclusions", campaign),
                    {{"item", items.body.at(0).at("id")}, {"reason", "ambiguous"}})
              .status == 200);
  server.clock.advance(2h);
  std::this_thread::sleep_for(300ms);
  CHECK(lrs.stored().size() == 4);
  auto counts = server.store->outbox_counts();
  CHECK(counts.sent == 4);
  CHECK(counts.refused == 1);
  CHECK(counts.waiting == 0);
}
