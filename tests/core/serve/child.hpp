// The real `assay serve` binary as a child process, for the tests that kill it or run several
// of it on one database.
#pragma once

#include <fmt/format.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "harness.hpp"

namespace serve_test {

/// `assay serve` in a child process; its first output lines are read from a pipe.
class Child {
 public:
  /// `max_files`: when not 0, the child's limit on open file descriptors (soft and hard).
  /// `db`: what `--db` takes, an SQLite file or a PostgreSQL URL.
  Child(const std::string& db, const char* now, rlim_t max_files = 0) {
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
    auto first = line();  // "assay serve: listening on http://127.0.0.1:PORT (database ...)"
    auto colon = first.rfind(':', first.find(" (database"));
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

/// The token of the set-up link a server prints when it starts on a database without accounts.
inline std::string setup_token(Child& server) {
  server.line();  // "no account yet: ..."
  auto link = server.line();
  auto token = link.substr(link.find('#') + 1);
  token.erase(token.find_last_not_of("\r\n") + 1);
  return token;
}

/// The first administrator, made through the set-up link `token` (by default the one the first
/// server of an empty database prints), signed in from a new browser.
inline Browser first_admin(Child& server, std::string token = "") {
  if (token.empty()) token = setup_token(server);
  Browser admin(server.port);
  REQUIRE(admin.post("/api/setup", {{"token", token}, {"username", "admin"}, {"password", "password-admin"}}).status == 200);
  admin.login("admin", "password-admin");
  return admin;
}

/// A candidate saving answers to the extended-text item from a thread of its own.
struct Writer {
  std::string token, cookie;
  int essay = 0;                   // the position of the extended-text item
  std::atomic<long> acked{0};      // the last counter the server acknowledged
  std::atomic<long> in_flight{0};  // the counter sent last (acknowledged or not)
};

/// A campaign of fixture-take-screening open all day on 2026-03-01 with `n` candidates, each of
/// whom has started the attempt in a browser of its own on `port`.
inline std::vector<std::unique_ptr<Writer>> started_writers(Browser& admin, int port, int n) {
  auto campaign = admin.post("/api/campaigns", {{"title", "t"},
                                                {"assessment", "fixture-take-screening"},
                                                {"opens", "2026-03-01T09:00:00Z"},
                                                {"closes", "2026-03-01T17:00:00Z"}});
  REQUIRE(campaign.status == 201);
  std::vector<std::unique_ptr<Writer>> writers;
  for (int i = 0; i < n; ++i) {
    auto r = admin.post(fmt::format("/api/campaigns/{}/candidates", campaign.body["id"].get<int>()),
                        {{"name", fmt::format("c{}", i)}});
    REQUIRE(r.status == 201);
    auto w = std::make_unique<Writer>();
    w->token = token_of(r.body["link"].get<std::string>());
    Browser b(port);
    auto started = b.post("/api/c/" + w->token + "/start");
    REQUIRE(started.status == 200);
    w->cookie = "assay_attempt=" + b.cookies_.at("assay_attempt");
    for (const auto& item : started.body["items"])
      if (item["presentation"]["interactions"][0]["type"] == "extended-text") w->essay = item["n"].get<int>();
    REQUIRE(w->essay > 0);
    writers.push_back(std::move(w));
  }
  return writers;
}

}  // namespace serve_test
