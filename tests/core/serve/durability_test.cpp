// An answer the server acknowledged survives `kill -9` of the server: the real `assay serve`
// binary runs as a child process, candidates save answers from several threads, the child is
// killed mid-stream, restarted on the same database, and every acknowledged answer is read back.
#include <fmt/format.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <mutex>

#include "harness.hpp"

using namespace serve_test;

namespace {

/// `assay serve` in a child process; its first output lines are read from a pipe.
class Child {
 public:
  Child(const fs::path& db, const char* now) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      ::dup2(fds[1], 1);
      ::close(fds[0]);
      ::close(fds[1]);
      ::setenv("ASSAY_TEST_NOW", now, 1);
      std::string fixtures = std::string(ASSAY_TEST_FIXTURES) + "/assessments";
      ::execl(ASSAY_TEST_ASSAY_BIN, ASSAY_TEST_ASSAY_BIN, "--plugin-dir", ASSAY_TEST_PLUGIN_DIR, "serve", "--listen",
              "127.0.0.1:0", "--db", db.c_str(), "--assessments", fixtures.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(fds[1]);
    out_ = ::fdopen(fds[0], "r");
    auto first = line();
    auto colon = first.rfind(':');
    REQUIRE(colon != std::string::npos);
    port = std::stoi(first.substr(colon + 1));
  }
  ~Child() {
    kill9();
    if (out_ != nullptr) std::fclose(out_);
  }
  std::string line() {
    char buf[512];
    REQUIRE(std::fgets(buf, sizeof buf, out_) != nullptr);
    return buf;
  }
  void kill9() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  int port = 0;

 private:
  pid_t pid_ = -1;
  FILE* out_ = nullptr;
};

struct Writer {
  std::string token, cookie;
  int essay = 0;                   // the position of the extended-text item
  std::atomic<long> acked{0};      // the last counter the server acknowledged
  std::atomic<long> in_flight{0};  // the counter sent last (acknowledged or not)
};

}  // namespace

TEST_CASE("every acknowledged answer survives kill -9 of the server", "[serve][kill]") {
  fs::path dir = fs::temp_directory_path() / ("assay-serve-kill-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto db = dir / "serve.db";
  constexpr int kCandidates = 8;
  std::vector<std::unique_ptr<Writer>> writers;
  {
    Child server(db, "2026-03-01T10:00:00Z");
    server.line();  // "no account yet: ..."
    auto link = server.line();
    auto setup_token = link.substr(link.find('#') + 1);
    setup_token.erase(setup_token.find_last_not_of("\r\n") + 1);
    Browser admin(server.port);
    REQUIRE(admin.post("/api/setup", {{"token", setup_token}, {"username", "admin"}, {"password", "password-admin"}}).status ==
            200);
    admin.login("admin", "password-admin");
    auto campaign = admin.post("/api/campaigns", {{"title", "t"},
                                                  {"assessment", "fixture-take-screening"},
                                                  {"opens", "2026-03-01T09:00:00Z"},
                                                  {"closes", "2026-03-01T17:00:00Z"}});
    REQUIRE(campaign.status == 201);
    for (int i = 0; i < kCandidates; ++i) {
      auto r = admin.post(fmt::format("/api/campaigns/{}/candidates", campaign.body["id"].get<int>()),
                          {{"name", fmt::format("c{}", i)}});
      REQUIRE(r.status == 201);
      auto w = std::make_unique<Writer>();
      w->token = token_of(r.body["link"].get<std::string>());
      Browser b(server.port);
      auto started = b.post("/api/c/" + w->token + "/start");
      REQUIRE(started.status == 200);
      w->cookie = "assay_attempt=" + b.cookies_.at("assay_attempt");
      for (const auto& item : started.body["items"])
        if (item["presentation"]["interactions"][0]["type"] == "extended-text") w->essay = item["n"].get<int>();
      REQUIRE(w->essay > 0);
      writers.push_back(std::move(w));
    }

    // Each writer saves ever newer answers as fast as the server acknowledges them.
    std::atomic<bool> stop{false};
    std::atomic<long> total_acked{0};
    std::vector<std::thread> threads;
    for (auto& w : writers) {
      threads.emplace_back([&, w = w.get(), port = server.port] {
        httplib::Client http("127.0.0.1", port);
        http.set_keep_alive(true);
        httplib::Headers h{{"Cookie", w->cookie}};
        auto path = fmt::format("/api/c/{}/answers/{}", w->token, w->essay);
        for (long n = 1; !stop; ++n) {
          w->in_flight = n;
          auto r = http.Put(path.c_str(), h, json{{"answer", fmt::format("version {}", n)}}.dump(), "application/json");
          if (!r || r->status != 200) break;  // the server is gone
          w->acked = n;
          ++total_acked;
        }
      });
    }
    while (total_acked < 200) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    server.kill9();
    stop = true;
    for (auto& t : threads) t.join();
    REQUIRE(total_acked >= 200);
  }

  // Restarted on the same database, the server gives each browser back its last answer.
  Child server(db, "2026-03-01T10:05:00Z");
  for (const auto& w : writers) {
    httplib::Client http("127.0.0.1", server.port);
    auto r = http.Get(("/api/c/" + w->token + "/attempt").c_str(), httplib::Headers{{"Cookie", w->cookie}});
    REQUIRE(r);
    REQUIRE(r->status == 200);
    auto state = json::parse(r->body);
    auto saved = state["items"][w->essay - 1]["answer"]["answer"].get<std::string>();
    long version = std::stol(saved.substr(saved.find(' ') + 1));
    CAPTURE(w->acked.load(), w->in_flight.load(), saved);
    // The acknowledged answer, or the one sent after it whose reply the kill cut off.
    REQUIRE(version >= w->acked);
    REQUIRE(version <= w->in_flight);
  }
  server.kill9();
  fs::remove_all(dir);
}
