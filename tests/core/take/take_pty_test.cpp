// `assay take` as a learner runs it: the real binary in a pseudo-terminal, typed at.
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using nlohmann::json;

namespace {

/// One `assay` process on a pseudo-terminal.
class Terminal {
 public:
  explicit Terminal(const std::vector<std::string>& args, const std::vector<std::string>& env = {}) {
    pid_ = forkpty(&fd_, nullptr, nullptr, nullptr);
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      for (const auto& e : env) putenv(const_cast<char*>(e.c_str()));
      std::vector<char*> argv;
      for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
  }
  ~Terminal() {
    if (pid_ > 0 && !exited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (fd_ >= 0) close(fd_);
  }

  /// Reads until `text` appears in the output (or 20 s pass, or the process ends).
  bool expect(const std::string& text) {
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (screen_.find(text, seen_) == std::string::npos) {
      if (std::chrono::steady_clock::now() > until || !pump(200)) return false;
    }
    seen_ = screen_.find(text, seen_) + text.size();
    return true;
  }
  void type(const std::string& line) {
    std::string s = line + "\r";
    REQUIRE(write(fd_, s.data(), s.size()) == static_cast<ssize_t>(s.size()));
  }
  /// Closes the terminal, as a learner closing the window does.
  void hang_up() {
    close(fd_);
    fd_ = -1;
  }
  int wait_exit() {
    while (fd_ >= 0 && pump(200)) {
    }
    int status = 0;
    waitpid(pid_, &status, 0);
    exited_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  const std::string& screen() const { return screen_; }

 private:
  bool pump(int timeout_ms) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, timeout_ms) <= 0) return true;
    char buf[4096];
    auto n = read(fd_, buf, sizeof buf);
    if (n <= 0) return false;
    screen_.append(buf, static_cast<std::size_t>(n));
    return true;
  }
  pid_t pid_ = -1;
  int fd_ = -1;
  bool exited_ = false;
  std::string screen_;
  std::size_t seen_ = 0;
};

std::string slurp(const fs::path& p) {
  std::ifstream f(p);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("assay-take-pty-" + std::to_string(getpid()));
  TempDir() {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
};

std::vector<std::string> take_args(const fs::path& data, std::vector<std::string> extra) {
  std::vector<std::string> args{ASSAY_TEST_ASSAY_BIN,
                                "--plugin-dir",
                                ASSAY_TEST_PLUGIN_DIR,
                                "take",
                                std::string(ASSAY_TEST_FIXTURES) + "/assessments/take-practice.toml",
                                "--data-dir",
                                data.string(),
                                "--seed",
                                "7"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

}  // namespace

TEST_CASE("a learner takes, leaves and resumes a practice attempt in a terminal, and assay score agrees", "[take][pty]") {
  TempDir tmp;
  const std::vector<std::string> env{"NO_COLOR=1", "ASSAY_TEST_NOW=2026-03-02T09:00:00Z"};
  {
    Terminal t(take_args(tmp.path, {}), env);
    REQUIRE(t.expect("item 1 of 7"));
    REQUIRE(t.expect("answer > "));
    t.type("A");
    REQUIRE(t.expect("why: The ohm is the SI unit"));
    REQUIRE(t.expect("answer > "));
    t.type("A C");
    REQUIRE(t.expect("item 3 of 7"));
    t.hang_up();  // the learner closes the terminal
    t.wait_exit();
  }
  {
    Terminal t({ASSAY_TEST_ASSAY_BIN, "--plugin-dir", ASSAY_TEST_PLUGIN_DIR, "take", "--resume", "--data-dir", tmp.path.string()},
               env);
    REQUIRE(t.expect("item 3 of 7"));
    const std::pair<const char*, const char*> steps[] = {
        {" > ", "5 mA"}, {" > ", "hertz"}, {" > ", "A B C"}, {" > ", "1A 2B"}, {"| ", "isolate and report it"}, {"| ", "."}};
    for (const auto& [prompt, line] : steps) {
      REQUIRE(t.expect(prompt));
      t.type(line);
    }
    REQUIRE(t.expect("review"));
    REQUIRE(t.expect("> "));
    t.type("s");
    REQUIRE(t.expect("result saved: "));
    REQUIRE(t.wait_exit() == 0);
    CHECK_THAT(t.screen(), Contains("competencies (weakest first)"));
  }
  // The saved result is what `assay score` gives for the same attempt.
  fs::path attempt_file, result_file;
  for (const auto& e : fs::directory_iterator(tmp.path / "attempts")) attempt_file = e.path();
  for (const auto& e : fs::directory_iterator(tmp.path / "results")) result_file = e.path();
  REQUIRE(fs::exists(result_file));
  json session = json::parse(slurp(attempt_file));
  { std::ofstream(tmp.path / "attempts.jsonl") << session["attempt"].dump() << "\n"; }
  std::string cmd = std::string(ASSAY_TEST_ASSAY_BIN) + " --plugin-dir " + ASSAY_TEST_PLUGIN_DIR + " score " +
                    (tmp.path / "attempts.jsonl").string() + " --out " + (tmp.path / "scored.jsonl").string() +
                    " --assessments " + ASSAY_TEST_FIXTURES + "/assessments > /dev/null";
  REQUIRE(std::system(cmd.c_str()) == 0);
  REQUIRE(json::parse(slurp(tmp.path / "scored.jsonl")) == json::parse(slurp(result_file)));
}

TEST_CASE("assay take refuses a screening and says how screenings are delivered", "[take][pty]") {
  TempDir tmp;
  Terminal t({ASSAY_TEST_ASSAY_BIN, "--plugin-dir", ASSAY_TEST_PLUGIN_DIR, "take",
              std::string(ASSAY_TEST_FIXTURES) + "/assessments/take-screening.toml", "--data-dir", tmp.path.string()},
             {"NO_COLOR=1"});
  REQUIRE(t.wait_exit() == 1);
  CHECK_THAT(t.screen(), Contains("is a screening: screenings are delivered through a hospital's campaigns"));
}
