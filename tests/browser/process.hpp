// Child processes for the browser tests: `assay serve` and chromedriver, each writing to a log
// file the test reads (the server prints its address and set-up link there).
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace browser_test {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

/// A child process, stopped (SIGTERM, then SIGKILL) when this goes out of scope.
class Child {
 public:
  Child(const std::vector<std::string>& argv, const fs::path& output) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, output.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    int rc = posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    REQUIRE(rc == 0);
  }
  ~Child() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    for (int i = 0; i < 50; ++i) {
      if (waitpid(pid_, nullptr, WNOHANG) == pid_) return;
      std::this_thread::sleep_for(100ms);
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

 private:
  pid_t pid_ = -1;
};

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Waits until `file` contains a match of `pattern`; returns the first group.
inline std::string wait_for_output(const fs::path& file, const std::regex& pattern, const char* what) {
  std::smatch m;
  for (int i = 0; i < 100; ++i) {
    std::string text = slurp(file);
    if (std::regex_search(text, m, pattern)) return m[1].str();
    std::this_thread::sleep_for(100ms);
  }
  FAIL("no " << what << " in " << file << ":\n" << slurp(file));
  return {};
}

}  // namespace browser_test
