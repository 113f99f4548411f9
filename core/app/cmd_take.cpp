#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <csignal>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>

#include "assay/catalog.hpp"
#include "assay/io.hpp"
#include "assay/model.hpp"
#include "assay/plugins.hpp"
#include "assay/presentation.hpp"
#include "assay/take.hpp"
#include "commands.hpp"

namespace assay::app {

namespace {

struct TakeArgs {
  std::string assessment;
  std::string mode = "practice";
  std::string competency;
  std::string data_dir;
  std::vector<std::string> assessment_dirs;
  std::uint64_t seed = 0;
  std::string resume_name;
  bool resume = false;
  bool history = false;
};

extern "C" void on_hang_up(int) {}

/// A closed terminal (SIGHUP) ends `assay take` the way end of input does, answers typed so far
/// saved, instead of killing it: the handler does nothing, and without SA_RESTART the read
/// waiting for the learner fails, as every later read of the hung-up terminal does.
void save_on_hang_up() {
  struct sigaction action {};
  action.sa_handler = on_hang_up;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;
  sigaction(SIGHUP, &action, nullptr);
}

/// The message Ctrl-C prints, made before the take starts: a signal handler may only write it.
std::string interrupt_message;

extern "C" void on_interrupt(int) {
  auto written = ::write(STDOUT_FILENO, interrupt_message.data(), interrupt_message.size());
  (void)written;
  ::_exit(130);
}

/// Ctrl-C leaves as ':quit' does, saying where the answers given are kept and how to go on; the
/// attempt on disk is whole (it is written atomically after every answer).
void say_where_on_interrupt(const std::filesystem::path& attempt_file, const std::string& assessment_id) {
  interrupt_message =
      fmt::format("\nleft: your answers so far are saved in {}\n{}\n", attempt_file.string(), take::resume_hint(assessment_id));
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
}

std::string timing(const model::Assessment& a) {
  return a.time_limit_seconds > 0 ? fmt::format("untimed, or {} min as an exam", a.time_limit_seconds / 60) : "untimed";
}

/// The practice assessments found, as a menu; returns the chosen file.
std::filesystem::path choose(Context& ctx, const std::vector<catalog::Entry>& practice, std::size_t cols) {
  *ctx.out << "practice assessments:\n";
  for (std::size_t i = 0; i < practice.size(); ++i) {
    const auto& a = practice[i].assessment;
    std::string roles;
    for (const auto& r : a.roles) roles += (roles.empty() ? "" : ", ") + r;
    auto head = fmt::format("  {}) ", i + 1);
    *ctx.out << presentation::wrap(fmt::format("{}{} · {} · {} items · {}", a.title,
                                               roles.empty() ? "" : " (role: " + roles + ")", a.id, a.items.size(), timing(a)),
                                   cols, head, std::string(head.size(), ' '));
  }
  for (;;) {
    *ctx.out << "choose a number > " << std::flush;
    std::string line;
    if (!std::getline(std::cin, line)) problem(Exit::kOk, "");
    try {
      std::size_t used = 0;
      auto k = std::stoul(line, &used);
      if (used == line.size() && k >= 1 && k <= practice.size()) return practice[k - 1].path;
    } catch (const std::exception&) {
    }
    *ctx.out << fmt::format("  give a number between 1 and {}\n", practice.size());
  }
}

/// The assessment a learner names: a file, an assessment id, or a role whose practice assessment
/// it is. An unknown name is answered with the names there are and the nearest of them.
std::filesystem::path find_assessment(const std::string& name, const std::vector<catalog::Entry>& entries) {
  if (std::filesystem::is_regular_file(name)) return name;
  std::vector<const catalog::Entry*> by_role;
  for (const auto& e : entries) {
    if (e.assessment.id == name) return e.path;
    if (e.assessment.kind == model::Kind::kPractice &&
        std::find(e.assessment.roles.begin(), e.assessment.roles.end(), name) != e.assessment.roles.end())
      by_role.push_back(&e);
  }
  if (by_role.size() == 1) return by_role.front()->path;
  std::string list;
  std::vector<std::string> names;
  for (const auto& e : entries) {
    if (e.assessment.kind != model::Kind::kPractice) continue;
    if (!by_role.empty() && std::find(by_role.begin(), by_role.end(), &e) == by_role.end()) continue;
    names.push_back(e.assessment.id);
    for (const auto& r : e.assessment.roles) names.push_back(r);
    list += fmt::format("\n    {}  ({})", e.assessment.id, e.assessment.title);
  }
  if (!by_role.empty())
    problem(Exit::kUsage, fmt::format("assay: error: role '{}' has {} practice assessments: name one\n  hint: they are:{}", name,
                                      by_role.size(), list));
  auto near = nearest(name, names);
  problem(Exit::kProblems, fmt::format("assay: error: no assessment '{}' found{}\n  hint: the practice assessments are:{}", name,
                                       near.empty() ? "" : "; did you mean '" + near + "'?", list));
}

/// The competency a learner names, by id or by title (any case); unknown: the ones there are.
std::string find_competency(const std::string& name, const model::Assessment& a) {
  auto lower = [](std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  std::vector<std::string> names;
  std::string list;
  for (const auto& c : a.competencies) {
    if (c.id == name || lower(c.title) == lower(name)) return c.id;
    names.push_back(c.id);
    list += fmt::format("\n    {}  ({})", c.id, c.title);
  }
  auto near = nearest(name, names);
  if (near.empty()) {
    std::vector<std::string> titles;
    for (const auto& c : a.competencies) titles.push_back(lower(c.title));
    if (auto t = nearest(lower(name), titles); !t.empty())
      for (const auto& c : a.competencies)
        if (lower(c.title) == t) near = c.id;
  }
  problem(Exit::kUsage, fmt::format("assay: error: --competency: no competency '{}' in '{}'{}\n  hint: its competencies are:{}",
                                    name, a.id, near.empty() ? "" : "; did you mean '" + near + "'?", list));
}

}  // namespace

void add_take(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<TakeArgs>();
  auto* cmd = app.add_subcommand("take", "practise an assessment in the terminal, with feedback or as a timed exam");
  cmd->add_option("assessment", args->assessment, "a practice assessment: its TOML file or its id (default: a menu)");
  cmd->add_option("--mode", args->mode, "practice (feedback after each item) or exam (timed, results at the end)")
      ->check(CLI::IsMember({"practice", "exam"}))
      ->capture_default_str();
  cmd->add_option("--competency", args->competency, "practise only the items of this competency");
  cmd->add_option("--seed", args->seed, "the attempt seed (default: random)");
  cmd->add_option("--data-dir", args->data_dir, "where attempts and results are kept (default: ~/.local/share/assay)");
  cmd->add_option("--assessments", args->assessment_dirs, "look for assessments here (repeatable)");
  auto* resume =
      cmd->add_option("--resume", args->resume_name, "continue the last attempt left unfinished (of this assessment, when named)")
          ->expected(0, 1);
  cmd->add_flag("--history", args->history, "show past results and the trend per competency");
  cmd->callback([&ctx, args, resume] {
    std::filesystem::path data_dir = args->data_dir.empty() ? take::default_data_dir() : std::filesystem::path(args->data_dir);
    if (args->history) {
      *ctx.out << take::history(data_dir, ctx.color);
      return;
    }
    args->resume = resume->count() > 0;
    auto registry = load_plugins(ctx);
    take::Session session;
    std::filesystem::path file;
    std::vector<std::filesystem::path> given(args->assessment_dirs.begin(), args->assessment_dirs.end());
    const std::size_t cols = take::terminal_width(STDOUT_FILENO);
    if (args->resume) {
      // The attempt of the assessment named (by --resume NAME or the argument), else the newest.
      std::string name = !args->resume_name.empty() ? args->resume_name : args->assessment;
      std::string id;
      if (!name.empty()) {
        auto path = find_assessment(name, catalog::scan(catalog::assessment_dirs(given)));
        auto found = model::try_load_assessment(path);
        id = found ? found->id : name;
      }
      auto open = take::newest_open_session(data_dir, id);
      if (!open)
        problem(Exit::kProblems,
                fmt::format("assay: error: no unfinished attempt{} to resume in {}\n  hint: 'assay take{}' starts one",
                            id.empty() ? "" : " of '" + id + "'", data_dir.string(), id.empty() ? "" : " " + id));
      auto text = io::try_read_file(*open);
      if (!text) problem(Exit::kIo, text.error().format());
      auto s = take::try_session_from_json(nlohmann::json::parse(text.value(), nullptr, false));
      if (!s) problem(Exit::kProblems, fmt::format("{}: error: {}", open->string(), s.error()));
      session = std::move(s.value());
      file = session.assessment_path;
    } else if (!args->assessment.empty()) {
      file = find_assessment(args->assessment, catalog::scan(catalog::assessment_dirs(given)));
    } else {
      std::vector<catalog::Entry> practice;
      for (auto& e : catalog::scan(catalog::assessment_dirs(given)))
        if (e.assessment.kind == model::Kind::kPractice) practice.push_back(std::move(e));
      if (practice.empty()) problem(Exit::kProblems, "assay: error: no practice assessments found");
      file = choose(ctx, practice, cols);
    }
    auto loaded = model::try_load_and_prepare(file, registry);
    if (!loaded) problem(Exit::kProblems, format_all(loaded.error()));
    const auto& a = loaded->assessment;
    if (a.kind == model::Kind::kScreening)
      problem(Exit::kProblems,
              fmt::format("{}: error: '{}' is a screening: screenings are delivered through a hospital's campaigns, "
                          "not practised with assay take\n  hint: 'assay take' with no argument lists the practice assessments",
                          file.string(), a.id));
    if (args->resume) {
      if (session.attempt.assessment_sha256 != a.sha256)
        problem(Exit::kProblems, fmt::format("{}: error: the assessment changed since this attempt started (digest {}, now {})",
                                             file.string(), session.attempt.assessment_sha256, a.sha256));
    } else {
      std::uint64_t seed = args->seed;
      if (seed == 0) seed = (static_cast<std::uint64_t>(std::random_device{}()) << 32) ^ std::random_device{}();
      auto now = ctx.clock->now();
      std::string id = fmt::format("{}-{}-{:x}", a.id, format_time(now).substr(0, 10), seed & 0xffffff);
      session.attempt = delivery::start_attempt(a, id, "learner", seed, *ctx.clock);
      session.attempt.mode = "practice";
      if (args->mode == "practice") session.attempt.deadline.reset();  // practice mode is untimed
      if (!args->competency.empty()) {
        session.competency = find_competency(args->competency, a);
        // Practising one competency draws on its whole pool, not only this form's share.
        auto& items = session.attempt.form.items;
        items.clear();
        for (const auto& item : a.items)
          if (item.competency == session.competency)
            items.push_back({item.id, assay_item_seed(seed, item.id.data(), item.id.size())});
      }
      session.assessment_path = std::filesystem::absolute(file);
      session.mode = args->mode == "exam" ? take::Mode::kExam : take::Mode::kPractice;
    }
    take::Options options{session.mode, data_dir, ctx.color};
    options.width = cols;
    if (ctx.out_is_terminal) options.terminal_fd = STDOUT_FILENO;
    if (::isatty(STDIN_FILENO) == 1) options.input_fd = STDIN_FILENO;
    save_on_hang_up();
    say_where_on_interrupt(data_dir / "attempts" / (session.attempt.attempt_id + ".json"), session.attempt.assessment_id);
    auto finished = take::run(loaded.value(), std::move(session), options, std::cin, *ctx.out, *ctx.clock);
    if (!finished) problem(Exit::kIo, finished.error());
  });
}

}  // namespace assay::app
