// `assay take` as a learner runs it: the real binary in a pseudo-terminal, typed at.
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <assay/sdk.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "assay/clock.hpp"
#include "assay/model.hpp"
#include "assay/plugins.hpp"
#include "assay/presentation.hpp"
#include "assay/take.hpp"
#include "core/test_support.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using nlohmann::json;

namespace {

using assay::test::slurp;

/// One `assay` process on a pseudo-terminal.
class Terminal {
 public:
  /// A terminal `columns` wide; 0 leaves its size unset (TIOCGWINSZ then gives 0 columns), so
  /// the width comes from COLUMNS. `rows` tall: by default tall enough that no item is paged.
  explicit Terminal(const std::vector<std::string>& args, const std::vector<std::string>& env = {}, unsigned short columns = 80,
                    unsigned short rows = 200) {
    winsize size{};
    size.ws_row = rows;
    size.ws_col = columns;
    pid_ = forkpty(&fd_, nullptr, nullptr, columns > 0 ? &size : nullptr);
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
  /// Reads until one of `texts` appears; returns its index, or -1 after 20 s or at the end.
  int expect_any(const std::vector<std::string>& texts) {
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    for (;;) {
      std::size_t best = std::string::npos;
      int which = -1;
      for (std::size_t i = 0; i < texts.size(); ++i) {
        auto at = screen_.find(texts[i], seen_);
        if (at < best) {
          best = at;
          which = static_cast<int>(i);
        }
      }
      if (which >= 0) {
        seen_ = best + texts[static_cast<std::size_t>(which)].size();
        return which;
      }
      if (std::chrono::steady_clock::now() > until || !pump(200)) return -1;
    }
  }
  void type(const std::string& line) {
    std::string s = line + "\r";
    REQUIRE(write(fd_, s.data(), s.size()) == static_cast<ssize_t>(s.size()));
  }
  /// Reads until the program waits at a prompt (a last line ending in "> ", ": " or "-- ", and
  /// nothing new for 300 ms; at most 20 s); returns that line.
  std::string settle() {
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    auto last_line = [&] {
      auto nl = screen_.rfind('\n');
      return nl == std::string::npos ? screen_ : screen_.substr(nl + 1);
    };
    auto at_prompt = [&] {
      auto line = last_line();
      auto ends = [&](std::string_view end) {
        return line.size() >= end.size() && line.compare(line.size() - end.size(), end.size(), end) == 0;
      };
      return ends("> ") || ends(": ") || ends("-- ");
    };
    for (;;) {
      auto before = screen_.size();
      if (!pump(300) || std::chrono::steady_clock::now() > until) break;
      if (screen_.size() == before && at_prompt()) break;
    }
    seen_ = screen_.size();
    return last_line();
  }
  /// Types Ctrl-C: the terminal sends SIGINT to the process.
  void interrupt() { REQUIRE(write(fd_, "\x03", 1) == 1); }
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

struct PtyDir {
  fs::path path = fs::temp_directory_path() / ("assay-take-pty-" + std::to_string(getpid()));
  PtyDir() {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~PtyDir() { fs::remove_all(path); }
};

/// The one file in `dir`.
fs::path only_file(const fs::path& dir) {
  std::vector<fs::path> found;
  for (const auto& e : fs::directory_iterator(dir)) found.push_back(e.path());
  REQUIRE(found.size() == 1);
  return found[0];
}

/// What `assay score` gives for the attempt saved in the take session file `session_file`.
json score_with_cli(const fs::path& tmp, const fs::path& session_file, const fs::path& assessments) {
  json session = json::parse(slurp(session_file));
  { std::ofstream(tmp / "attempts.jsonl") << session["attempt"].dump() << "\n"; }
  std::string cmd = std::string(ASSAY_TEST_ASSAY_BIN) + " --plugin-dir " + ASSAY_TEST_PLUGIN_DIR + " score " +
                    (tmp / "attempts.jsonl").string() + " --out " + (tmp / "scored.jsonl").string() + " --assessments " +
                    assessments.string() + " > /dev/null";
  REQUIRE(std::system(cmd.c_str()) == 0);
  return json::parse(slurp(tmp / "scored.jsonl"));
}

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

/// A practice assessment of domain interactions, written to `dir`: fields to fill from a fixed
/// HL7 message, and lines to select in a generated Windows log followed by a technique choice
/// that may be left empty.
fs::path domain_assessment(const fs::path& dir) {
  fs::path file = dir / "take-domain.toml";
  std::ofstream(file) << R"(schema = 1

[assessment]
id = "take-domain"
title = "Domain interactions"
version = "1.0"
kind = "practice"
roles = ["ehr-administrator", "cybersecurity-analyst"]
requires = { ehr-admin = ">=1.0", cybersecurity = ">=1.0" }

[outcome]
pass_percent = 70

[[competency]]
id = "hl7"
title = "HL7 interfaces"

[[competency]]
id = "logs"
title = "Log analysis"

[[section]]
id = "all"
title = "All"

[[item]]
id = "fields"
section = "all"
competency = "hl7"
type = "ehr-admin/hl7-fields"
source = "HL7 Version 2.5.1 Chapter 2 (Control): escape sequences"
explanation = "\\T\\ decodes to & and \\S\\ to ^; processing ID T means a training message."
[item.params]
message = "MSH|^~\\&|PASCORE|STMARYS|EHR|STMARYS|20260110142200||ADT^A08^ADT_A01|UPD40021|T|2.5.1\rEVN|A08|20260110142200\rPID|1||5512093^^^STMARYS^MR||Moreau\\S\\Larsen^Alice||19900304|F|||Unit 3 \\T\\ 4, 18 Station Road^^Fairview^^22310\rPV1|1|O|CLINIC^12^A^STMARYS\r"
fields = [{ id = "street", name = "street" }, { id = "family", path = "PID-5.1", label = "Patient's family name, decoded" }, { id = "processing", name = "processing-id" }]
[[item.criteria]]
id = "correct"
points = 3

[[item]]
id = "log"
section = "all"
competency = "logs"
type = "cybersecurity/log-triage"
source = "Microsoft Learn, Windows security auditing event 4625"
explanation = "Password guessing is many 4625s against one account in a short window."
[item.params]
context = "Domain controller log."
patterns = ["brute-force"]
thresholds = { brute_force_failures = 6, window_seconds = 300 }
background_events = { min = 10, max = 12 }
[[item.criteria]]
id = "lines"
points = 3
[[item.criteria]]
id = "technique"
points = 2
)";
  return file;
}

/// The presentation of item `item_id` as drawn in the attempt saved in `session_file`.
json presented(const fs::path& assessment, const fs::path& session_file, const std::string& item_id) {
  static const auto registry = assay::plugins::Registry::load({ASSAY_TEST_PLUGIN_DIR});
  auto loaded = assay::model::try_load_and_prepare(assessment, registry);
  REQUIRE(loaded.ok());
  json session = json::parse(slurp(session_file));
  for (const auto& entry : session["attempt"]["form"]) {
    if (entry["item"] != item_id) continue;
    auto index = static_cast<std::size_t>(loaded->assessment.item_index(item_id));
    auto shown = loaded->prepared[index].present(std::stoull(entry["seed"].get<std::string>()));
    REQUIRE(shown.ok());
    return json::parse(shown.value());
  }
  FAIL("item '" << item_id << "' is not in the form");
  return {};
}

}  // namespace

TEST_CASE("a learner takes, leaves and resumes a practice attempt in a terminal, and assay score agrees", "[take][pty]") {
  PtyDir tmp;
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
  fs::path result_file = only_file(tmp.path / "results");
  REQUIRE(score_with_cli(tmp.path, only_file(tmp.path / "attempts"), fs::path(ASSAY_TEST_FIXTURES) / "assessments") ==
          json::parse(slurp(result_file)));
}

TEST_CASE("an answer the plugin cannot read is said so and asked again, never taken", "[take][pty][malformed]") {
  PtyDir tmp;
  const std::vector<std::string> env{"NO_COLOR=1", "ASSAY_TEST_NOW=2026-03-02T09:00:00Z"};
  Terminal t({ASSAY_TEST_ASSAY_BIN, "--plugin-dir", ASSAY_TEST_PLUGIN_DIR, "take",
              std::string(ASSAY_TEST_FIXTURES) + "/take-malformed/cvss.toml", "--data-dir", tmp.path.string()},
             env);
  REQUIRE(t.expect("item 1 of 1"));
  // A metric value that does not exist: every part is typed, and the item cannot read the vector.
  for (const char* line : {"CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", "7.5", "D"}) {
    REQUIRE(t.expect(" > "));
    t.type(line);
  }
  REQUIRE(t.expect("your answer cannot be read: vector: "));
  REQUIRE(t.expect("answer again"));
  CHECK_THAT(t.screen(), !Contains("correct"));  // no verdict on what could not be read
  for (const char* line : {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", "7.5", "D"}) {
    REQUIRE(t.expect(" > "));
    t.type(line);
  }
  REQUIRE(t.expect("correct: 7 of 7 points"));
  t.hang_up();
  t.wait_exit();
}

TEST_CASE("an exam in a terminal runs out of time without sleeping and submits the saved answers at the deadline",
          "[take][pty][exam]") {
  PtyDir tmp;
  // The test clock moves on a minute at every read: the fixture's 10-minute limit runs out after a
  // few items, however fast the keystrokes come.
  Terminal t(take_args(tmp.path, {"--mode", "exam"}), {"NO_COLOR=1", "ASSAY_TEST_NOW=2026-03-02T09:00:00Z+60s"});
  REQUIRE(t.expect("exam · 7 items · time limit 10 min"));
  REQUIRE(t.expect("the clock runs until you submit, even while you are away"));
  // Valid answers to the seven items in form order; "A B C" is a valid (if wrong) order.
  const std::vector<std::string> answers{"A", "A C", "5 mA", "hertz", "A B C", "1A 2B", "isolate it"};
  const std::string time_up = "time is up: your saved answers are submitted";
  std::size_t typed = 0;
  for (; typed < answers.size(); ++typed) {
    int seen = t.expect_any({" left\r\n", time_up});
    REQUIRE(seen >= 0);
    if (seen == 1) break;
    // The item is shown; the clock may run out before its prompt.
    seen = t.expect_any({" > ", "| ", time_up});
    REQUIRE(seen >= 0);
    if (seen == 2) break;
    t.type(answers[typed]);
    if (typed + 1 == answers.size()) t.type(".");
  }
  REQUIRE(typed > 0);
  REQUIRE(typed < answers.size());  // the deadline came first
  REQUIRE(t.expect("result saved: "));
  // Keys typed after the submission are the result screen's, not the shell's: it waits for Enter.
  REQUIRE(t.expect("press Enter to finish > "));
  t.type("echo this must not reach the shell");
  REQUIRE(t.wait_exit() == 0);

  // No feedback before the end screen: the first verdict or explanation comes after the deadline.
  const std::string& screen = t.screen();
  auto end = screen.find(time_up);
  REQUIRE(end != std::string::npos);
  CHECK(screen.substr(0, end).find("why: ") == std::string::npos);
  CHECK(screen.substr(0, end).find("correct: ") == std::string::npos);
  CHECK(screen.substr(0, end).find("source: ") == std::string::npos);
  CHECK_THAT(screen.substr(end), Contains("review of the items you missed"));

  // The attempt is submitted at its deadline, with the answers saved before it and no others.
  json session = json::parse(slurp(only_file(tmp.path / "attempts")));
  const json& attempt = session["attempt"];
  REQUIRE(attempt["deadline"].is_string());
  REQUIRE(attempt["submitted"] == attempt["deadline"]);
  REQUIRE(attempt["answers"].size() >= 1);
  REQUIRE(attempt["answers"].size() <= typed);
  REQUIRE(attempt["answers"]["single"] == json::parse(R"({"answer": ["ohm"]})"));

  // And the saved result is what `assay score` gives for that attempt.
  json result = json::parse(slurp(only_file(tmp.path / "results")));
  REQUIRE(result["outcome"] == "fail");
  REQUIRE(score_with_cli(tmp.path, only_file(tmp.path / "attempts"), fs::path(ASSAY_TEST_FIXTURES) / "assessments") == result);
}

TEST_CASE("assay take refuses a screening and says how screenings are delivered", "[take][pty]") {
  PtyDir tmp;
  Terminal t({ASSAY_TEST_ASSAY_BIN, "--plugin-dir", ASSAY_TEST_PLUGIN_DIR, "take",
              std::string(ASSAY_TEST_FIXTURES) + "/assessments/take-screening.toml", "--data-dir", tmp.path.string()},
             {"NO_COLOR=1"});
  REQUIRE(t.wait_exit() == 1);
  CHECK_THAT(t.screen(), Contains("is a screening: screenings are delivered through a hospital's campaigns"));
}

TEST_CASE("a learner fills HL7 fields and selects log lines in a terminal, bad input asked again", "[take][pty][domain]") {
  PtyDir tmp;
  fs::path assessment = domain_assessment(tmp.path);
  Terminal t({ASSAY_TEST_ASSAY_BIN, "--plugin-dir", ASSAY_TEST_PLUGIN_DIR, "take", assessment.string(), "--data-dir",
              tmp.path.string(), "--seed", "11"},
             {"NO_COLOR=1", "ASSAY_TEST_NOW=2026-03-02T09:00:00Z"});

  SECTION("fields: help and a blank field at a field prompt") {
    REQUIRE(t.expect("item 1 of 2 · HL7 interfaces"));
    REQUIRE(t.expect("PID|1||5512093^^^STMARYS^MR||Moreau\\S\\Larsen^Alice"));  // the message, escapes as sent
    REQUIRE(t.expect("Street address: "));
    t.type("Unit 3 & 4, 18 Station Road");
    REQUIRE(t.expect("Patient's family name, decoded: "));
    t.type("?");  // help, then the same field again
    REQUIRE(t.expect("commands at any prompt"));
    REQUIRE(t.expect("Patient's family name, decoded: "));
    t.type("Moreau^Larsen");
    REQUIRE(t.expect("Processing ID: "));
    t.type("");  // left blank: not filled, not an error
    // \T\ is the subcomponent separator (&) and \S\ the component separator (^), decoded
    // after splitting (HL7 v2.5.1 chapter 2): two of the three fields are right.
    REQUIRE(t.expect("partly correct: 2 of 3 points"));
    REQUIRE(t.expect("Processing ID: not answered; MSH-11.1 holds 'T'"));
    REQUIRE(t.expect("item 2 of 2"));
    t.type(":quit");
    REQUIRE(t.wait_exit() == 0);
    json session = json::parse(slurp(only_file(tmp.path / "attempts")));
    REQUIRE(session["attempt"]["answers"]["fields"] ==
            json::parse(R"({"fields": {"street": "Unit 3 & 4, 18 Station Road", "family": "Moreau^Larsen"}})"));
  }

  SECTION("select lines: bad numbers and ranges, then an empty choice confirmed") {
    REQUIRE(t.expect("Street address: "));
    t.type(">");  // skip the fields
    REQUIRE(t.expect("item 2 of 2 · Log analysis"));
    REQUIRE(t.expect("(select lines of material 2 by number, or '-' for none)"));
    REQUIRE(t.expect("(choose one or more letters, or '-' for none)"));
    REQUIRE(t.expect("Select every line that is part of an attack or an indicator of one > "));
    t.type("0");
    REQUIRE(t.expect("'0' is not a line number or range between 1 and "));
    t.type("5-2");
    REQUIRE(t.expect("'5-2' is not a line number or range between 1 and "));
    t.type("three");
    REQUIRE(t.expect("'three' is not a line number or range between 1 and "));
    t.type("-");  // none, then not confirmed: asked again
    REQUIRE(t.expect("no line selected: is that your answer? y/n > "));
    t.type("n");
    REQUIRE(t.expect("not answered yet"));
    REQUIRE(t.expect("an indicator of one > "));
    t.type("2 4-5");
    REQUIRE(t.expect("(choose none for a benign log) > "));
    t.type("-");
    REQUIRE(t.expect("no option selected: is that your answer? y/n > "));
    t.type("y");
    REQUIRE(t.expect("why: Password guessing"));  // practice feedback follows the answer
    REQUIRE(t.expect("review"));
    t.type(":quit");
    REQUIRE(t.wait_exit() == 0);
    fs::path session_file = only_file(tmp.path / "attempts");
    json shown = presented(assessment, session_file, "log");
    const json& lines = shown["material"][1]["lines"];
    REQUIRE(lines.size() >= 5);
    json expected = {{"lines", {lines[1]["id"], lines[3]["id"], lines[4]["id"]}}, {"technique", json::array()}};
    json session = json::parse(slurp(session_file));
    REQUIRE(session["attempt"]["answers"]["log"] == expected);
    REQUIRE_FALSE(session["attempt"]["answers"].contains("fields"));  // skipped, not lost: it was never given
  }
}

TEST_CASE("a narrow terminal gets prompts and feedback wrapped to its width", "[take][pty][wrap]") {
  PtyDir tmp;
  // The width comes from the terminal (TIOCGWINSZ), or from COLUMNS when the terminal has none.
  auto [columns, env_columns] = GENERATE(table<unsigned short, std::string>({{40, "COLUMNS=200"}, {0, "COLUMNS=40"}}));
  CAPTURE(columns, env_columns);
  Terminal t(take_args(tmp.path, {}), {"NO_COLOR=1", "ASSAY_TEST_NOW=2026-03-02T09:00:00Z", env_columns}, columns);
  REQUIRE(t.expect("answer > "));
  t.type("A");
  // 40 columns: "  why: " and the words that fit, the rest under the text.
  REQUIRE(t.expect("  why: The ohm is the SI unit of\r\n       electrical resistance.\r\n"));
  REQUIRE(t.expect("  source: SI Brochure, 9th edition (BIPM\r\n          2019), table 4\r\n"));
  REQUIRE(t.expect("answer > "));
  t.type("A C");
  REQUIRE(t.expect("A 10 V source drives a 2 kilohm\r\nresistor. What current flows?\r\n"));
  REQUIRE(t.expect(" > "));
  t.type(":quit");
  REQUIRE(t.wait_exit() == 0);
}

TEST_CASE("an item left part-way keeps the parts answered, even when the terminal closes", "[take][pty][resume]") {
  PtyDir tmp;
  fs::path assessment = domain_assessment(tmp.path);
  const std::vector<std::string> env{"NO_COLOR=1", "ASSAY_TEST_NOW=2026-03-02T09:00:00Z"};
  const std::vector<std::string> resume{ASSAY_TEST_ASSAY_BIN, "--plugin-dir", ASSAY_TEST_PLUGIN_DIR, "take",
                                        "--resume",           "--data-dir",   tmp.path.string()};
  Terminal t({ASSAY_TEST_ASSAY_BIN, "--plugin-dir", ASSAY_TEST_PLUGIN_DIR, "take", assessment.string(), "--data-dir",
              tmp.path.string(), "--seed", "11"},
             env);

  SECTION("the lines of a log item, then the terminal closes") {
    REQUIRE(t.expect("Street address: "));
    t.type(">");
    REQUIRE(t.expect("an indicator of one > "));
    t.type("2 4-5");
    REQUIRE(t.expect("(choose none for a benign log) > "));
    t.hang_up();
    t.wait_exit();
    fs::path session_file = only_file(tmp.path / "attempts");
    json shown = presented(assessment, session_file, "log");
    const json& lines = shown["material"][1]["lines"];
    json chosen = {lines[1]["id"], lines[3]["id"], lines[4]["id"]};
    REQUIRE(json::parse(slurp(session_file))["drafts"]["log"] == json({{"lines", chosen}}));

    Terminal again(resume, env);
    REQUIRE(again.expect("item 2 of 2"));
    REQUIRE(again.expect("you left this item part-way: what you answered then is kept"));
    bool kept = again.expect("kept from before: 2 4 5");
    INFO("the resumed screen:\n" << again.screen());
    REQUIRE(kept);
    REQUIRE(again.expect("an indicator of one > "));
    again.type("");  // Enter keeps it
    REQUIRE(again.expect("(choose none for a benign log) > "));
    again.type("-");
    REQUIRE(again.expect("y/n > "));
    again.type("y");
    REQUIRE(again.expect("review"));
    again.type(":quit");
    REQUIRE(again.wait_exit() == 0);
    json session = json::parse(slurp(session_file));
    REQUIRE(session["attempt"]["answers"]["log"] == json({{"lines", chosen}, {"technique", json::array()}}));
    REQUIRE(session["drafts"].empty());  // done: no longer a draft
  }

  SECTION("a form filled part-way, then the terminal closes") {
    // Past the form as shown ("Street address: ____"), to the prompts themselves.
    REQUIRE(t.expect("Processing ID: ____"));
    REQUIRE(t.expect("Street address: "));
    t.type("Unit 3 & 4, 18 Station Road");
    REQUIRE(t.expect("Patient's family name, decoded: "));
    t.hang_up();
    REQUIRE(t.wait_exit() == 0);
    json session = json::parse(slurp(only_file(tmp.path / "attempts")));
    REQUIRE(session["drafts"]["fields"] == json::parse(R"({"fields": {"street": "Unit 3 & 4, 18 Station Road"}})"));
  }

  SECTION("a form filled part-way, then left") {
    REQUIRE(t.expect("Street address: "));
    t.type("Unit 3 & 4, 18 Station Road");
    REQUIRE(t.expect("Patient's family name, decoded: "));
    t.type(":quit");
    REQUIRE(t.wait_exit() == 0);

    Terminal again(resume, env);
    REQUIRE(again.expect("kept from before: Street address: Unit 3 & 4, 18 Station Road"));
    REQUIRE(again.expect("keep it? y/n > "));
    again.type("y");
    // The form goes on at the first empty field: the street is not asked again.
    REQUIRE(again.expect_any({"Street address: ", "Patient's family name, decoded: "}) == 1);
    again.type("Moreau^Larsen");
    REQUIRE(again.expect("Processing ID: "));
    again.type("T");
    // MSH-11 of the fixed message is T; \S\ and \T\ decode to ^ and &: all three are right.
    REQUIRE(again.expect("correct: 3 of 3 points"));
    REQUIRE(again.expect("item 2 of 2"));
    again.type(":quit");
    REQUIRE(again.wait_exit() == 0);
    json session = json::parse(slurp(only_file(tmp.path / "attempts")));
    REQUIRE(
        session["attempt"]["answers"]["fields"] ==
        json::parse(R"({"fields": {"street": "Unit 3 & 4, 18 Station Road", "family": "Moreau^Larsen", "processing": "T"}})"));
  }
}

namespace {

/// A clock that stands still until the test moves it.
class StillClock : public assay::Clock {
 public:
  explicit StillClock(assay::TimePoint t) : now_(t) {}
  assay::TimePoint now() const override { return now_; }
  void set(assay::TimePoint t) { now_ = t; }

 private:
  assay::TimePoint now_;
};

/// Input given one line at a time; just before line `at` is read, the clock jumps to `then`.
class LinesThenLate : public std::streambuf {
 public:
  LinesThenLate(std::vector<std::string> lines, std::size_t at, StillClock& clock, assay::TimePoint then)
      : lines_(std::move(lines)), at_(at), clock_(clock), then_(then) {}

 protected:
  int_type underflow() override {
    if (next_ >= lines_.size()) return traits_type::eof();
    if (next_ == at_) clock_.set(then_);
    current_ = lines_[next_++] + "\n";
    setg(current_.data(), current_.data(), current_.data() + current_.size());
    return traits_type::to_int_type(current_[0]);
  }

 private:
  std::vector<std::string> lines_;
  std::size_t at_, next_ = 0;
  StillClock& clock_;
  assay::TimePoint then_;
  std::string current_;
};

}  // namespace

TEST_CASE("at an exam's deadline the parts of an item given before it are submitted, not those after", "[take][exam]") {
  PtyDir tmp;
  static const auto registry = assay::plugins::Registry::load({ASSAY_TEST_PLUGIN_DIR});
  auto loaded = assay::model::try_load_and_prepare(domain_assessment(tmp.path), registry);
  REQUIRE(loaded.ok());
  assay::TimePoint start;
  REQUIRE(assay::parse_time("2026-03-02T09:00:00Z", start));
  StillClock clock(start);
  assay::take::Session session;
  session.attempt = assay::delivery::start_attempt(loaded->assessment, "take-exam", "learner", 11, clock);
  session.attempt.deadline = start + std::chrono::minutes(10);
  session.assessment_path = loaded->assessment.path;
  session.mode = assay::take::Mode::kExam;
  // The form, then the log's lines before the deadline; its technique comes a second after it.
  LinesThenLate input({"Unit 3 & 4, 18 Station Road", "Moreau^Larsen", "T", "2", "-"}, 4, clock,
                      start + std::chrono::minutes(10) + std::chrono::seconds(1));
  std::istream in(&input);
  std::ostringstream out;
  auto done = assay::take::run(*loaded, std::move(session), {assay::take::Mode::kExam, tmp.path, false, 0}, in, out, clock);
  REQUIRE(done.ok());
  REQUIRE(done->submitted);
  const std::string& screen = out.str();
  CHECK_THAT(screen, Catch::Matchers::Contains("time is up: this answer came after the deadline and is not kept"));

  json saved = json::parse(slurp(done->attempt_file));
  const json& answers = saved["attempt"]["answers"];
  json shown = presented(tmp.path / "take-domain.toml", done->attempt_file, "log");
  json second_line = shown["material"][1]["lines"][1]["id"];
  REQUIRE(answers["log"] == json({{"lines", {second_line}}}));
  REQUIRE(answers["fields"]["fields"]["processing"] == "T");
  REQUIRE(saved["drafts"].empty());
  REQUIRE(saved["attempt"]["submitted"] == "2026-03-02T09:10:00Z");
  // The result scores what was submitted: the lines part, the technique left empty.
  const auto& log = done->result->items.at(1);
  REQUIRE(log.id == "log");
  REQUIRE(json::parse(log.response) == answers["log"]);
}

TEST_CASE("':review' and '?' work at every prompt, and an item opened from the review list goes back to it",
          "[take][pty][navigation]") {
  PtyDir tmp;
  const std::vector<std::string> env{"NO_COLOR=1", "ASSAY_TEST_NOW=2026-03-02T09:00:00Z"};
  Terminal t(take_args(tmp.path, {}), env);
  REQUIRE(t.expect("answer > "));
  t.type("A");
  REQUIRE(t.expect("item 2 of 7"));
  REQUIRE(t.expect(" > "));
  t.type(":review");
  // Each item with its competency and the first line of its question, answered or not.
  REQUIRE(t.expect("    1  answered      SI units · Which SI unit measures electrical resistance?"));
  REQUIRE(t.expect("    2  not answered  SI units · "));
  REQUIRE(t.expect("to leave > "));
  t.type("1");
  // An answered item shows its feedback; the prompt under it takes the commands too.
  REQUIRE(t.expect("press Enter for the review list, '<' to go back: "));
  t.type("?");
  REQUIRE(t.expect("commands at any prompt:"));
  REQUIRE(t.expect("press Enter for the review list, '<' to go back: "));
  t.type("");
  REQUIRE(t.expect("review\r\n"));  // back to the list, not on to item 2
  REQUIRE(t.expect("to leave > "));
  t.type("2");
  REQUIRE(t.expect("item 2 of 7"));
  REQUIRE(t.expect(" > "));
  t.type("A C");
  REQUIRE(t.expect("review\r\n"));  // answered: the list again, not item 3
  REQUIRE(t.expect("    2  answered "));
  REQUIRE(t.expect("to leave > "));
  t.type("1");
  REQUIRE(t.expect("press Enter for the review list, '<' to go back: "));
  t.type(":review");
  REQUIRE(t.expect("to leave > "));
  t.type(":quit");
  REQUIRE(t.expect("saved; 'assay take --resume fixture-take' continues this attempt"));
  REQUIRE(t.wait_exit() == 0);
}

TEST_CASE("resuming names the assessment and shows its title; assessments are found by id, role or file",
          "[take][pty][navigation]") {
  PtyDir tmp;
  const std::vector<std::string> env{"NO_COLOR=1", "ASSAY_TEST_NOW=2026-03-02T09:00:00Z"};
  fs::path domain = domain_assessment(tmp.path);
  const std::string fixtures = std::string(ASSAY_TEST_FIXTURES) + "/assessments";
  auto assay = [&](std::vector<std::string> extra) {
    std::vector<std::string> args{ASSAY_TEST_ASSAY_BIN, "--plugin-dir",    ASSAY_TEST_PLUGIN_DIR, "take",
                                  "--data-dir",         tmp.path.string(), "--assessments",       fixtures,
                                  "--assessments",      tmp.path.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  {
    // By role: one practice assessment has the role 'biomedical-technician'.
    Terminal t(assay({"biomedical-technician", "--seed", "7"}), env);
    REQUIRE(t.expect("Fixture: every interaction"));
    REQUIRE(t.expect("answer > "));
    t.type("A");
    REQUIRE(t.expect(" > "));
    t.type(":quit");
    REQUIRE(t.wait_exit() == 0);
  }
  {
    // Then another assessment, by id, left after its first answer: the newer attempt.
    Terminal t(assay({"take-domain", "--seed", "3"}), env);
    REQUIRE(t.expect("Domain interactions"));
    REQUIRE(t.expect(" > "));
    t.type(":quit");
    REQUIRE(t.wait_exit() == 0);
  }
  {
    Terminal t(assay({"--resume", "fixture-take"}), env);
    REQUIRE(t.expect("Fixture: every interaction\r\nresumed · practice · 1 of 7 items answered"));
    REQUIRE(t.expect("item 2 of 7"));
    REQUIRE(t.expect(" > "));
    t.type(":quit");
    REQUIRE(t.wait_exit() == 0);
  }
  {
    // The assessment named as the argument does the same.
    Terminal t(assay({"fixture-take", "--resume"}), env);
    REQUIRE(t.expect("resumed · practice · 1 of 7 items answered"));
    REQUIRE(t.expect(" > "));
    t.type(":quit");
    REQUIRE(t.wait_exit() == 0);
  }
  {
    Terminal t(assay({"fixture-takes"}), env);
    REQUIRE(t.expect("no assessment 'fixture-takes' found; did you mean 'fixture-take'?"));
    REQUIRE(t.expect("the practice assessments are:"));
    REQUIRE(t.expect("take-domain  (Domain interactions)"));
    REQUIRE(t.wait_exit() != 0);
  }
  {
    // A role with two practice assessments asks which.
    fs::path second = tmp.path / "second.toml";
    std::string text = slurp(domain);
    text.replace(text.find("take-domain"), 11, "take-domain-2");
    std::ofstream(second) << text;
    Terminal t(assay({"ehr-administrator"}), env);
    REQUIRE(t.expect("role 'ehr-administrator' has 2 practice assessments: name one"));
    REQUIRE(t.wait_exit() != 0);
  }
}

TEST_CASE("a competency is named by id or title, and an unknown one is answered with those there are",
          "[take][pty][navigation]") {
  PtyDir tmp;
  const std::vector<std::string> env{"NO_COLOR=1", "ASSAY_TEST_NOW=2026-03-02T09:00:00Z"};
  {
    Terminal t(take_args(tmp.path, {"--competency", "unitz"}), env);
    REQUIRE(t.expect("no competency 'unitz' in 'fixture-take'; did you mean 'units'?"));
    REQUIRE(t.expect("units  (SI units)"));
    REQUIRE(t.expect("practice  (Safe practice)"));
    REQUIRE(t.wait_exit() != 0);
  }
  {
    Terminal t(take_args(tmp.path, {"--competency", "safe PRACTICE"}), env);
    REQUIRE(t.expect("practice · drill: Safe practice · "));
    REQUIRE(t.expect(" · Safe practice"));
    REQUIRE(t.expect(" > "));
    t.type(":quit");
    REQUIRE(t.wait_exit() == 0);
  }
}

TEST_CASE("Ctrl-C says where the answers are saved and how to go on", "[take][pty][navigation]") {
  PtyDir tmp;
  Terminal t(take_args(tmp.path, {}), {"NO_COLOR=1", "ASSAY_TEST_NOW=2026-03-02T09:00:00Z"});
  REQUIRE(t.expect("answer > "));
  t.type("A");
  REQUIRE(t.expect("item 2 of 7"));
  REQUIRE(t.expect(" > "));
  t.interrupt();
  REQUIRE(t.expect("left: your answers so far are saved in " + (tmp.path / "attempts").string()));
  REQUIRE(t.expect("'assay take --resume fixture-take' continues this attempt"));
  REQUIRE(t.wait_exit() == 130);
  json session = json::parse(slurp(only_file(tmp.path / "attempts")));
  REQUIRE(session["attempt"]["answers"]["single"] == json::parse(R"({"answer": ["ohm"]})"));
}

TEST_CASE("an exam shows the time left at every prompt, warns at 5 and 1 minutes, and submits while the learner thinks",
          "[take][pty][exam]") {
  PtyDir tmp;
  // 20 s pass at every read of the clock, also while the prompt waits: the 10 minutes run out
  // with nothing typed after the first answer.
  Terminal t(take_args(tmp.path, {"--mode", "exam"}), {"NO_COLOR=1", "ASSAY_TEST_NOW=2026-03-02T09:00:00Z+20s"});
  REQUIRE(t.expect("exam · 7 items · time limit 10 min"));
  REQUIRE(t.expect(" left] answer > "));
  t.type("A");
  REQUIRE(t.expect(" left] answer > "));
  REQUIRE(t.expect("5 minutes left: at the deadline your saved answers are submitted"));
  REQUIRE(t.expect("1 minute left: at the deadline your saved answers are submitted"));
  REQUIRE(t.expect("time is up: your saved answers are submitted"));
  REQUIRE(t.expect("result saved: "));
  REQUIRE(t.expect("press Enter to finish > "));
  t.type("rm -rf ~");
  REQUIRE(t.wait_exit() == 0);
  json session = json::parse(slurp(only_file(tmp.path / "attempts")));
  REQUIRE(session["attempt"]["submitted"] == session["attempt"]["deadline"]);
  REQUIRE(session["attempt"]["answers"].size() == 1);
}

TEST_CASE("material taller than the screen is paged, then the question is shown again; wide lines fold at separators",
          "[take][pty][wrap]") {
  PtyDir tmp;
  fs::path assessment = domain_assessment(tmp.path);
  // 40 columns, 12 rows: the log item (a dozen lines and their question) does not fit.
  Terminal t({ASSAY_TEST_ASSAY_BIN, "--plugin-dir", ASSAY_TEST_PLUGIN_DIR, "take", assessment.string(), "--data-dir",
              tmp.path.string(), "--seed", "11"},
             {"NO_COLOR=1", "ASSAY_TEST_NOW=2026-03-02T09:00:00Z"}, 40, 12);
  int pages = 0;
  for (;;) {
    int seen = t.expect_any({"'q' to the question -- ", "field 1"});
    REQUIRE(seen >= 0);
    if (seen == 1) break;
    ++pages;
    t.type(pages == 1 ? "b" : "");  // 'b' at the top stays at the top
  }
  REQUIRE(pages >= 2);
  const std::string fields_screen = t.screen();
  REQUIRE(t.expect(" > "));
  t.type(">");
  REQUIRE(t.expect("'q' to the question -- "));
  t.type("q");
  // The question again, then its prompt: nothing of it scrolled away.
  REQUIRE(t.expect("Select every line"));
  REQUIRE(t.expect(" > "));
  t.type(":quit");
  REQUIRE(t.wait_exit() == 0);
  // No line wider than the terminal: material folded at separators, marked "↪".
  std::istringstream lines(t.screen());
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    CAPTURE(line);
    CHECK(assay::presentation::text_width(line) <= 40);
  }
  CHECK_THAT(fields_screen, Contains("  ↪ "));
}

TEST_CASE("every shipped practice set fits an 80x24 terminal: no line wider, material paged and folded at separators",
          "[take][pty][wrap][content]") {
  auto practice = GENERATE(std::string("biomed-tech-practice"), std::string("cybersecurity-analyst-practice"),
                           std::string("ehr-administrator-practice"));
  CAPTURE(practice);
  PtyDir tmp;
  Terminal t({ASSAY_TEST_ASSAY_BIN, "--plugin-dir", ASSAY_TEST_PLUGIN_DIR, "take", practice, "--assessments",
              std::string(ASSAY_SOURCE_DIR) + "/assessments", "--data-dir", tmp.path.string(), "--seed", "3"},
             {"NO_COLOR=1", "ASSAY_TEST_NOW=2026-03-02T09:00:00Z"}, 80, 24);
  // Every item seen and skipped, every page of its material turned; then the review list.
  std::size_t items = 0;
  for (std::size_t step = 0;; ++step) {
    REQUIRE(step < 2000);
    auto prompt = t.settle();
    INFO("waiting at: " << prompt);
    REQUIRE(!prompt.empty());
    if (prompt.find("to leave >") != std::string::npos) break;
    if (prompt.find("'q' to the question -- ") != std::string::npos) {
      t.type("");
      continue;
    }
    ++items;
    t.type(">");
  }
  t.type(":quit");
  REQUIRE(t.wait_exit() == 0);
  REQUIRE(items >= 10);
  std::istringstream lines(t.screen());
  std::size_t folded = 0;
  std::string previous;
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    CAPTURE(line);
    CHECK(assay::presentation::text_width(line) <= 80);
    // A continuation follows a piece that ends at a separator, or one that filled the line
    // because a single token was wider than the room.
    if (line.find("↪") != std::string::npos && line.find("↪") < 6) {
      ++folded;
      CAPTURE(previous);
      bool at_separator = !previous.empty() && std::string_view(" \t|^~&,;/=#$*!").find(previous.back()) != std::string::npos;
      CHECK((at_separator || assay::presentation::text_width(previous) >= 76));
    }
    if (line.rfind("-- lines", 0) != 0) previous = line;
  }
  INFO("continuation lines seen: " << folded);
}
