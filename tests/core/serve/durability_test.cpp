// The real `assay serve` binary as a child process. An answer the server acknowledged survives
// `kill -9` of the server: candidates save answers from several threads, the child is killed
// mid-stream, restarted on the same database, and every acknowledged answer is read back. The
// server also stops cleanly on SIGTERM and outlives running out of file descriptors.
#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <sstream>

#include "harness.hpp"

using namespace serve_test;

namespace {

/// `assay serve` in a child process; its first output lines are read from a pipe.
class Child {
 public:
  /// `max_files`: when not 0, the child's limit on open file descriptors (soft and hard).
  Child(const fs::path& db, const char* now, rlim_t max_files = 0) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      ::dup2(fds[1], 1);
      ::close(fds[0]);
      ::close(fds[1]);
      ::setenv("ASSAY_TEST_NOW", now, 1);
      if (max_files != 0) {
        rlimit files{max_files, max_files};
        ::setrlimit(RLIMIT_NOFILE, &files);
      }
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
  /// Sends `sig` and waits for the child; its wait status.
  int stop(int sig) {
    ::kill(pid_, sig);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }
  /// User plus system CPU time the child has used so far, in clock ticks.
  long cpu_ticks() const {
    std::ifstream stat(fmt::format("/proc/{}/stat", pid_));
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    std::istringstream fields(text.substr(text.rfind(')') + 2));  // after "pid (comm) "
    std::string field;
    long utime = 0, stime = 0;
    for (int i = 3; fields >> field; ++i) {
      if (i == 14) utime = std::stol(field);
      if (i == 15) {
        stime = std::stol(field);
        break;
      }
    }
    return utime + stime;
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

namespace {

/// A TCP connection to 127.0.0.1:`port` that sends nothing; -1 when it cannot be made.
int open_idle(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<std::uint16_t>(port));
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

TEST_CASE("assay serve stops cleanly on SIGTERM and SIGINT", "[serve]") {
  fs::path dir = fs::temp_directory_path() / ("assay-serve-stop-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (int sig : {SIGTERM, SIGINT}) {
    CAPTURE(sig);
    Child server(dir / "serve.db", "2026-03-01T10:00:00Z");
    Browser b(server.port);
    REQUIRE(b.get("/").status == 200);
    int idle = open_idle(server.port);  // a connection left open does not hold the server up
    REQUIRE(idle >= 0);
    int status = server.stop(sig);
    ::close(idle);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
  }
  fs::remove_all(dir);
}

// Not in the sanitizer build: its runtime checks memory through a pipe of its own, which a
// process out of descriptors cannot open, and then reports sound objects as broken.
#ifndef __SANITIZE_ADDRESS__
TEST_CASE("a server out of file descriptors waits for one instead of spinning, then serves again", "[serve]") {
  fs::path dir = fs::temp_directory_path() / ("assay-serve-files-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  Child server(dir / "serve.db", "2026-03-01T10:00:00Z", 64);
  // More idle connections than the server may hold open: the rest wait in the listen backlog.
  std::vector<int> idle;
  for (int i = 0; i < 100; ++i) {
    int fd = open_idle(server.port);
    REQUIRE(fd >= 0);
    idle.push_back(fd);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  long before = server.cpu_ticks();
  std::this_thread::sleep_for(std::chrono::seconds(1));
  long used = server.cpu_ticks() - before;
  // A server retrying accept() at once would use the whole second (100 ticks); waiting, almost none.
  CAPTURE(used);
  REQUIRE(used < 30);
  for (int fd : idle) ::close(fd);
  Browser b(server.port);
  REQUIRE(b.get("/").status == 200);
  REQUIRE(server.stop(SIGTERM) == 0);
  fs::remove_all(dir);
}
#endif
