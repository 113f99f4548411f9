#include <fmt/format.h>
#include <unistd.h>

#include <csignal>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>

#include "assay/catalog.hpp"
#include "assay/io.hpp"
#include "assay/model.hpp"
#include "assay/plugins.hpp"
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
  bool resume = false;
  bool history = false;
};

[[noreturn]] void problem(Exit code, const std::string& message) { throw ExitRequest{code, message}; }

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

/// The practice assessments found, as a menu; returns the chosen file.
std::filesystem::path choose(Context& ctx, const std::vector<catalog::Entry>& practice) {
  *ctx.out << "practice assessments:\n";
  for (std::size_t i = 0; i < practice.size(); ++i) {
    const auto& a = practice[i].assessment;
    std::string roles;
    for (const auto& r : a.roles) roles += (roles.empty() ? "" : ", ") + r;
    *ctx.out << fmt::format("  {}) {}{}  · {} items · {}\n", i + 1, a.title, roles.empty() ? "" : " (" + roles + ")",
                            a.items.size(),
                            a.time_limit_seconds > 0 ? std::to_string(a.time_limit_seconds / 60) + " min" : "untimed");
  }
  for (;;) {
    *ctx.out << "choose a number > " << std::flush;
    std::string line;
    if (!std::getline(std::cin, line)) problem(Exit::kOk, "");
    try {
      auto k = std::stoul(line);
      if (k >= 1 && k <= practice.size()) return practice[k - 1].path;
    } catch (const std::exception&) {
    }
    *ctx.out << fmt::format("  give a number between 1 and {}\n", practice.size());
  }
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
  cmd->add_flag("--resume", args->resume, "continue the last attempt left unfinished");
  cmd->add_flag("--history", args->history, "show past results and the trend per competency");
  cmd->callback([&ctx, args] {
    std::filesystem::path data_dir = args->data_dir.empty() ? take::default_data_dir() : std::filesystem::path(args->data_dir);
    if (args->history) {
      *ctx.out << take::history(data_dir, ctx.color);
      return;
    }
    auto registry = plugins::Registry::load(plugins::search_path(ctx.plugin_dirs));
    take::Session session;
    std::filesystem::path file;
    if (args->resume) {
      auto open = take::newest_open_session(data_dir);
      if (!open)
        problem(Exit::kProblems,
                "assay: error: no unfinished attempt to resume in " + data_dir.string() + "\n  hint: 'assay take' starts one");
      auto text = io::try_read_file(*open);
      if (!text) problem(Exit::kIo, text.error().format());
      auto s = take::try_session_from_json(nlohmann::json::parse(text.value(), nullptr, false));
      if (!s) problem(Exit::kProblems, fmt::format("{}: error: {}", open->string(), s.error()));
      session = std::move(s.value());
      file = session.assessment_path;
    } else {
      std::vector<std::filesystem::path> given(args->assessment_dirs.begin(), args->assessment_dirs.end());
      if (!args->assessment.empty() && std::filesystem::is_regular_file(args->assessment)) {
        file = args->assessment;
      } else {
        auto entries = catalog::scan(catalog::assessment_dirs(given));
        std::vector<catalog::Entry> practice;
        for (auto& e : entries) {
          if (!args->assessment.empty() && e.assessment.id == args->assessment) file = e.path;
          if (e.assessment.kind == model::Kind::kPractice) practice.push_back(std::move(e));
        }
        if (!args->assessment.empty() && file.empty())
          problem(Exit::kProblems,
                  fmt::format("assay: error: no assessment '{}' found\n  hint: 'assay take' with no argument lists them",
                              args->assessment));
        if (file.empty()) {
          if (practice.empty()) problem(Exit::kProblems, "assay: error: no practice assessments found");
          file = choose(ctx, practice);
        }
      }
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
        if (a.find_competency(args->competency) == nullptr)
          problem(Exit::kUsage, fmt::format("assay: error: --competency: no competency '{}' in '{}'", args->competency, a.id));
        // Practising one competency draws on its whole pool, not only this form's share.
        auto& items = session.attempt.form.items;
        items.clear();
        for (const auto& item : a.items)
          if (item.competency == args->competency)
            items.push_back({item.id, assay_item_seed(seed, item.id.data(), item.id.size())});
      }
      session.assessment_path = std::filesystem::absolute(file);
      session.mode = args->mode == "exam" ? take::Mode::kExam : take::Mode::kPractice;
    }
    take::Options options{session.mode, data_dir, ctx.color};
    options.width = take::terminal_width(STDOUT_FILENO);
    if (ctx.out_is_terminal) options.terminal_fd = STDOUT_FILENO;
    save_on_hang_up();
    auto finished = take::run(loaded.value(), std::move(session), options, std::cin, *ctx.out, *ctx.clock);
    if (!finished) problem(Exit::kIo, finished.error());
  });
}

}  // namespace assay::app
