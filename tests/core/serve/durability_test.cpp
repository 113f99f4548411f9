// An answer the server acknowledged survives `kill -9` of the server: candidates save answers
// from several threads, the child is killed mid-stream, restarted on the same database, and every
// acknowledged answer is read back. The server also stops cleanly on SIGTERM and outlives running
// out of file descriptors.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <atomic>

#include "child.hpp"

using namespace serve_test;

TEST_CASE("every acknowledged answer survives kill -9 of the server", "[serve][kill]") {
  store_test::Database database;  // SQLite, or PostgreSQL when the run is for it
  auto db = database.location();
  constexpr int kCandidates = 8;
  std::vector<std::unique_ptr<Writer>> writers;
  {
    Child server(db, "2026-03-01T10:00:00Z");
    auto admin = first_admin(server);
    writers = started_writers(admin, server.port, kCandidates);

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
  store_test::Database database;
  for (int sig : {SIGTERM, SIGINT}) {
    CAPTURE(sig);
    Child server(database.location(), "2026-03-01T10:00:00Z");
    Browser b(server.port);
    REQUIRE(b.get("/").status == 200);
    int idle = open_idle(server.port);  // a connection left open does not hold the server up
    REQUIRE(idle >= 0);
    int status = server.stop(sig);
    ::close(idle);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
  }
}

// Not in the sanitizer build: its runtime checks memory through a pipe of its own, which a
// process out of descriptors cannot open, and then reports sound objects as broken.
#ifndef __SANITIZE_ADDRESS__
TEST_CASE("a server out of file descriptors waits for one instead of spinning, then serves again", "[serve][sqlite]") {
  fs::path dir = fs::temp_directory_path() / ("assay-serve-files-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  Child server((dir / "serve.db").string(), "2026-03-01T10:00:00Z", 64);
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
