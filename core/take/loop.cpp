// The terminal self-test: one item at a time, saved after every answer; in an exam, the clock
// read before every prompt. Answering an interaction is in answer.cpp, the end screen in
// end_screen.cpp.
#include <fmt/format.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>

#include <algorithm>
#include <cstdlib>
#include <istream>
#include <optional>
#include <ostream>

#include "assay/io.hpp"
#include "assay/model.hpp"
#include "assay/presentation.hpp"
#include "assay/scoring.hpp"
#include "assay/take.hpp"
#include "detail.hpp"

namespace assay::take {

using json = nlohmann::json;

namespace {

std::string mode_name(Mode m) { return m == Mode::kExam ? "exam" : "practice"; }

}  // namespace

namespace detail {

std::optional<std::int64_t> Runner::seconds_left() const {
  if (!session.attempt.deadline) return std::nullopt;
  return std::max<std::int64_t>(0, (*session.attempt.deadline - clock.now()).count());
}

std::string Runner::time_left() const {
  auto left = seconds_left();
  if (!left) return "";
  return fmt::format("{}:{:02} left", *left / 60, *left % 60);
}

void Runner::warn_if_due() {
  if (session.mode != Mode::kExam) return;
  auto left = seconds_left();
  if (!left || *left == 0) return;
  const char* warning = nullptr;
  if (*left <= 60 && !warned_1) {
    warned_1 = warned_5 = true;
    warning = "1 minute left: at the deadline your saved answers are submitted";
  } else if (*left <= 300 && !warned_5) {
    warned_5 = true;
    warning = "5 minutes left: at the deadline your saved answers are submitted";
  }
  if (warning != nullptr) screen.out() << "\n" << screen.yellow(screen.bold(warning)) << "\n";
}

Expected<bool, std::string> Runner::save() {
  auto written = io::try_write_atomic(attempt_file, to_json(session).dump() + "\n");
  if (!written) return written.error().format();
  return true;
}

namespace {

enum class Got { kLine, kEnd, kTimeUp };

}  // namespace

bool Runner::read(const std::string& prompt, std::string& line) {
  const bool timed = session.mode == Mode::kExam && session.attempt.deadline.has_value();
  // In an exam every prompt starts with the time left, after the prompt's own indent.
  auto shown = [&] {
    if (!timed) return prompt;
    auto lead = prompt.find_first_not_of(' ');
    if (lead == std::string::npos) lead = prompt.size();
    return prompt.substr(0, lead) + screen.dim("[" + time_left() + "] ") + prompt.substr(lead);
  };
  // One line from the terminal itself, its clock watched while it waits: woken four times a
  // second to give the warnings and to stop at the deadline. Lines typed ahead wait in `pending`.
  auto from_terminal = [&]() -> Got {
    for (;;) {
      if (auto nl = pending.find('\n'); nl != std::string::npos) {
        line = pending.substr(0, nl);
        pending.erase(0, nl + 1);
        return Got::kLine;
      }
      if (timed) {
        if (expired()) return Got::kTimeUp;
        bool warned = warned_1;
        bool warned5 = warned_5;
        warn_if_due();
        if (warned != warned_1 || warned5 != warned_5) screen.out() << shown() << std::flush;
      }
      pollfd p{options.input_fd, POLLIN, 0};
      int ready = ::poll(&p, 1, timed ? 250 : -1);
      if (ready < 0 && errno != EINTR) return Got::kEnd;
      if (ready <= 0) continue;
      char buf[4096];
      auto n = ::read(options.input_fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        if (pending.empty()) return Got::kEnd;
        line = std::move(pending);  // the last line, without its newline
        pending.clear();
        return Got::kLine;
      }
      pending.append(buf, static_cast<std::size_t>(n));
      // A line longer than any answer is not kept whole: its first bytes say how long it was.
      if (pending.size() > kMaxLine + 1 && pending.find('\n') == std::string::npos) {
        line = std::move(pending);
        pending.clear();
        std::string rest;
        while (true) {  // the rest of the line, dropped
          auto m = ::read(options.input_fd, buf, sizeof buf);
          if (m < 0 && errno == EINTR) continue;
          if (m <= 0) break;
          std::string_view got(buf, static_cast<std::size_t>(m));
          if (auto nl = got.find('\n'); nl != std::string_view::npos) {
            pending.assign(got.substr(nl + 1));
            break;
          }
        }
        return Got::kLine;
      }
    }
  };
  timed_out = false;
  for (;;) {
    if (timed) warn_if_due();
    screen.out() << shown() << std::flush;
    Got got = Got::kLine;
    if (options.input_fd >= 0) {
      got = from_terminal();
    } else if (!std::getline(in, line)) {
      got = Got::kEnd;
    }
    if (got != Got::kLine) {
      timed_out = got == Got::kTimeUp;
      screen.out() << "\n";
      return false;
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.size() <= kMaxLine) return true;
    screen.out() << fmt::format("that line is {} bytes long; an answer line takes at most {}: type it again\n", line.size(),
                                kMaxLine);
    line.clear();
    line.shrink_to_fit();
  }
}

void Runner::hold_after_deadline() {
  if (options.input_fd < 0) return;
  ::tcflush(options.input_fd, TCIFLUSH);
  pending.clear();
  session.attempt.deadline.reset();  // nothing is timed any more: the prompt below waits
  std::string line;
  read(screen.dim("press Enter to finish > "), line);
}

void Runner::page(const std::string& text) {
  std::vector<std::string_view> lines;
  std::string_view rest = text;
  while (!rest.empty()) {
    auto nl = rest.find('\n');
    lines.push_back(rest.substr(0, nl));
    rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
  }
  // A screenful leaves a row for the pager's prompt and one for the line typed.
  const std::size_t step = rows > 4 ? rows - 2 : 2;
  std::size_t top = 0;
  for (;;) {
    auto end = std::min(lines.size(), top + step);
    for (auto i = top; i < end; ++i) screen.out() << lines[i] << "\n";
    if (end >= lines.size()) return;
    std::string line;
    auto prompt = screen.dim(
        fmt::format("-- lines {}-{} of {}: Enter for more, 'b' back, 'q' to the question -- ", top + 1, end, lines.size()));
    if (!read(prompt, line)) return;
    if (line == "q" || line == "Q") return;
    if (line == "b" || line == "B") {
      top = top >= step ? top - step : 0;
    } else {
      top = end;
    }
  }
}

std::string Runner::review_line(std::size_t pos) {
  const auto& fi = session.attempt.form.items[pos];
  bool done = session.attempt.answers.count(fi.item_id) > 0;
  bool part = session.drafts.contains(fi.item_id);
  if (firsts.size() != session.attempt.form.items.size()) firsts.assign(session.attempt.form.items.size(), "\x01");
  if (firsts[pos] == "\x01") {
    // The item's question, or its first interaction's, on one line.
    std::string first;
    if (auto shown = prepared_at(pos).present(fi.seed); shown) {
      json p = json::parse(shown.value(), nullptr, false);
      if (p.is_object()) {
        first = p.value("prompt", "");
        if (first.empty() && p.contains("interactions") && p["interactions"].is_array() && !p["interactions"].empty() &&
            p["interactions"][0].is_object())
          first = p["interactions"][0].value("prompt", "");
      }
    }
    first = first.substr(0, first.find('\n'));
    firsts[pos] = first.empty() ? item_at(pos).id : first;
  }
  const auto* competency = loaded.assessment.find_competency(item_at(pos).competency);
  std::string what = (competency != nullptr ? competency->title : item_at(pos).competency) + " · " + firsts[pos];
  std::string status = part ? "part answered" : done ? "answered" : "not answered";
  std::string head = fmt::format("  {:>3}  {:<13} ", pos + 1, status);
  // Cut to the width, saying so; counted in code points, never inside one.
  std::size_t room = cols > presentation::text_width(head) + 1 ? cols - presentation::text_width(head) : 0;
  if (cols > 0 && presentation::text_width(what) > room) what = presentation::cut(what, room);
  std::string styled_status = part   ? screen.yellow(fmt::format("{:<13}", status))
                              : done ? fmt::format("{:<13}", status)
                                     : screen.yellow(fmt::format("{:<13}", status));
  return fmt::format("  {:>3}  {} {}", pos + 1, styled_status, what);
}

const model::Item& Runner::item_at(std::size_t pos) const {
  return loaded.assessment.items[static_cast<std::size_t>(loaded.assessment.item_index(session.attempt.form.items[pos].item_id))];
}
const plugins::PreparedItem& Runner::prepared_at(std::size_t pos) const {
  return loaded.prepared[static_cast<std::size_t>(loaded.assessment.item_index(session.attempt.form.items[pos].item_id))];
}

void Runner::show_feedback(std::size_t pos) {
  const auto& item = item_at(pos);
  const auto& prepared = prepared_at(pos);
  auto seed = session.attempt.form.items[pos].seed;
  auto it = session.attempt.answers.find(item.id);
  if (it == session.attempt.answers.end()) return;
  if (auto shown = prepared.present(seed); shown) {
    auto answer = presentation::readable_response(json::parse(shown.value(), nullptr, false), it->second);
    answer.pop_back();
    auto lines = presentation::wrap("your answer: " + answer, cols, "  ", "    ");
    lines.pop_back();
    screen.out() << screen.dim(lines) << "\n";
  }
  auto credits = prepared.score_verbose(seed, it->second);
  std::int64_t max = 0;
  if (!credits) {
    screen.out() << screen.red("  your answer could not be scored: " + credits.error().message) << "\n";
  } else {
    Fraction earned;
    bool rated = false;
    for (std::size_t j = 0; j < item.criteria.size(); ++j) {
      const auto& spec = item.criteria[j];
      const auto& criterion =
          prepared.type().criteria()[loaded.slots[static_cast<std::size_t>(loaded.assessment.item_index(item.id))][j]];
      if (criterion.rated) {
        rated = true;
        continue;
      }
      if (spec.points <= 0) continue;
      auto c = credits.value()[loaded.slots[static_cast<std::size_t>(loaded.assessment.item_index(item.id))][j]];
      max += spec.points;
      earned += Fraction::from_credit(c.numerator, c.denominator) * Fraction(spec.points);
    }
    if (max > 0) {
      bool full = earned == Fraction(max);
      std::string verdict = full               ? screen.green("correct")
                            : earned.is_zero() ? screen.red("not correct")
                                               : screen.yellow("partly correct");
      screen.out() << "  " << verdict << ": " + points_text(earned, Fraction(max)) << "\n";
    }
    if (rated) screen.out() << screen.dim("  a rater scores the written part of this item against the rubric") << "\n";
  }
  if (auto fb = prepared.feedback(seed, it->second); fb && !fb.value().empty()) {
    // The verdict line above already says correct or not: a plugin's own "correct: " or
    // "incorrect: " before its reason is not said twice.
    std::string text = fb.value();
    for (const char* said : {"correct: ", "incorrect: ", "not correct: ", "partly correct: "})
      if (text.rfind(said, 0) == 0 && max > 0) {
        text.erase(0, std::string_view(said).size());
        break;
      }
    screen.out() << presentation::wrap(text, cols, "  ", "  ");
  }
  if (!item.explanation.empty()) {
    // Wrapped under the text, "why: " set in bold afterwards.
    auto why = presentation::wrap(item.explanation, cols, "  why: ", "       ");
    screen.out() << "  " << screen.bold("why: ") << why.substr(7);
  }
  if (!item.source.empty()) {
    auto source = presentation::wrap("source: " + item.source, cols, "  ", "          ");
    source.pop_back();
    screen.out() << screen.dim(source) << "\n";
  }
}

Runner::Step Runner::show_item(std::size_t pos) {
  const auto& item = item_at(pos);
  const auto& fi = session.attempt.form.items[pos];
  const auto* competency = loaded.assessment.find_competency(item.competency);
  measure();
  std::string header = fmt::format("── item {} of {} · {}", pos + 1, session.attempt.form.items.size(),
                                   competency != nullptr ? competency->title : item.competency);
  if (auto left = time_left(); !left.empty()) header += " · " + left;
  screen.out() << "\n" << screen.bold(header) << "\n";
  auto shown = prepared_at(pos).present(fi.seed);
  if (!shown) {
    screen.out() << screen.red("  this item cannot be shown: " + shown.error().message) << "\n";
    return Step::kNext;
  }
  json presentation = json::parse(shown.value());
  model::add_figure_paths(presentation, loaded.assessment, item);  // the terminal says where to open them
  auto text = presentation::render_presentation(presentation, options.color, cols);
  if (rows > 0 && static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 4 > rows) {
    // Taller than the screen: the question and its material a screenful at a time, then the
    // question again, so it is on screen when the learner answers.
    page(text);
    json question = presentation;
    question.erase("material");
    screen.out() << "\n" << presentation::render_presentation(question, options.color, cols);
  } else {
    screen.out() << text;
  }
  bool answered = session.attempt.answers.count(item.id) > 0;
  if (answered && session.mode == Mode::kPractice) {
    screen.out() << screen.dim("  (answered; your feedback again:)") << "\n";
    show_feedback(pos);
    for (;;) {
      std::string line;
      if (!read(screen.dim(from_review ? "  press Enter for the review list, '<' to go back: "
                                       : "  press Enter to go on, '<' to go back: "),
                line))
        return timed_out ? Step::kReview : Step::kEof;
      switch (command_of(line)) {
        case Command::kHelp:
          screen.out() << help_text(cols);
          continue;
        case Command::kBack:
          return Step::kBack;
        case Command::kReview:
          return Step::kReview;
        case Command::kQuit:
          return Step::kQuit;
        default:
          return Step::kNext;
      }
    }
  }
  if (answered) {
    // As a person reads it, then in the keys typed; a new answer replaces it, '>' keeps it.
    const auto& answer = session.attempt.answers[item.id];
    auto shown = presentation::readable_response(presentation, answer);
    shown.pop_back();
    json saved = json::parse(answer, nullptr, false);
    std::string keys;
    for (const auto& interaction : presentation.at("interactions")) {
      auto it = saved.is_object() ? saved.find(interaction.value("id", "")) : saved.end();
      if (saved.is_object() && it != saved.end())
        keys += (keys.empty() ? "" : "; ") + presentation::keys_typed(interaction, presentation, *it);
    }
    auto line = presentation::wrap("your saved answer: " + shown + "\n(typed: " + keys + "; '>' keeps it)", cols, "  ", "    ");
    line.pop_back();
    screen.out() << screen.dim(line) << "\n";
  }

  // The parts answered when the learner last left this item part-way, kept until it is done.
  json earlier = session.drafts.value(item.id, json::object());
  if (!earlier.empty()) screen.out() << screen.dim("  you left this item part-way: what you answered then is kept") << "\n";
  // Until the plugin can read the answer: one it cannot (an unknown unit, a rule that does not
  // parse) is said so and asked again, never taken and lost (ABI 1.1, plugin.h).
  for (;;) {
    json response = json::object();
    auto keep_draft = [&] {
      json draft = earlier;
      draft.update(response);
      session.drafts[item.id] = std::move(draft);
    };
    for (const auto& interaction : presentation.at("interactions")) {
      if (expired()) return Step::kReview;
      const std::string id = interaction.at("id").get<std::string>();
      auto r = ask(interaction, presentation, earlier.contains(id) ? &earlier[id] : nullptr);
      if (timed_out) return Step::kReview;  // the deadline came while the prompt waited
      if (expired()) {
        // What was typed at this prompt came after the deadline; the parts given before it stay.
        screen.out() << screen.red("  time is up: this answer came after the deadline and is not kept") << "\n";
        return Step::kReview;
      }
      if (r.eof || r.command != Command::kNone) {
        // Leaving part-way keeps what was answered, a part-filled form or text included.
        bool partial = (r.value.is_object() || r.value.is_string()) && !r.value.empty() && r.value != json("");
        if (partial) response[id] = r.value;
        if (!response.empty()) keep_draft();
      }
      if (r.eof) return Step::kEof;
      switch (r.command) {
        case Command::kSkip:
          return Step::kNext;
        case Command::kBack:
          return Step::kBack;
        case Command::kReview:
          return Step::kReview;
        case Command::kQuit:
          return Step::kQuit;
        default:
          break;
      }
      response[id] = r.value;
      if (presentation.at("interactions").size() > 1) {
        // Saved at once: a terminal closed now ends the process before any later save.
        keep_draft();
        if (auto saved = save(); !saved) screen.out() << screen.red("  " + saved.error()) << "\n";
      }
    }
    auto read = prepared_at(pos).score_verbose(fi.seed, response.dump());
    if (!read && read.error().status == ASSAY_STATUS_INVALID_RESPONSE) {
      auto why = presentation::wrap("your answer cannot be read: " + read.error().message + "; answer again", cols, "  ", "    ");
      why.pop_back();
      screen.out() << screen.red(why) << "\n";
      earlier = json::object();
      continue;
    }
    session.attempt.answers[item.id] = response.dump();
    session.drafts.erase(item.id);
    if (session.mode == Mode::kPractice) show_feedback(pos);
    return Step::kNext;
  }
}

std::optional<std::size_t> Runner::review(bool& quit, bool& eof) {
  auto& items = session.attempt.form.items;
  for (;;) {
    measure();
    screen.out() << "\n" << screen.bold("review") << (time_left().empty() ? "" : " · " + time_left()) << "\n";
    std::size_t unanswered = 0, parts = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
      bool done = session.attempt.answers.count(items[i].item_id) > 0;
      bool part = session.drafts.contains(items[i].item_id);
      unanswered += done || part ? 0 : 1;
      parts += part ? 1 : 0;
      screen.out() << review_line(i) << "\n";
    }
    if (parts > 0) screen.out() << screen.dim("  (of an item part answered, the parts given are submitted)") << "\n";
    if (expired()) return std::nullopt;
    std::string line;
    std::string prompt = unanswered > 0
                             ? fmt::format("{} not answered. item number to go to, 's' to submit, ':quit' to leave >", unanswered)
                             : "item number to go to, 's' to submit, ':quit' to leave >";
    // Room for the time left that starts an exam's prompt ("[29:58 left] ").
    const std::size_t room = session.attempt.deadline && session.mode == Mode::kExam && cols > 30 ? cols - 14 : cols;
    prompt = presentation::wrap(prompt, room, "", "");
    prompt.back() = ' ';  // the cursor waits after the '>' of the last line
    if (!read(prompt, line)) {
      eof = !timed_out;  // at the deadline: submitted
      return std::nullopt;
    }
    auto c = command_of(line);
    if (c == Command::kQuit) {
      quit = true;
      return std::nullopt;
    }
    if (c == Command::kHelp) {
      screen.out() << help_text(cols);
      continue;
    }
    if (line == "s" || line == "S") {
      if (unanswered > 0) {
        std::string confirm;
        if (!read(fmt::format("submit with {} unanswered (they score 0)? y/n > ", unanswered), confirm)) {
          eof = !timed_out;
          return std::nullopt;
        }
        if (confirm != "y" && confirm != "Y") continue;
      }
      return std::nullopt;
    }
    if (c == Command::kReview) continue;
    try {
      std::size_t used = 0;
      std::size_t k = std::stoul(line, &used);
      if (used == line.size() && k >= 1 && k <= items.size()) return k - 1;
    } catch (const std::exception&) {
    }
    screen.out() << screen.red(fmt::format("  give an item number between 1 and {}, or 's'", items.size())) << "\n";
  }
}

Expected<Finished, std::string> Runner::go() {
  if (auto s = save(); !s) return s.error();
  auto n = session.attempt.form.items.size();
  Finished finished;
  finished.attempt_file = attempt_file;
  for (;;) {
    if (expired()) {
      screen.out() << "\n" << screen.red("time is up: your saved answers are submitted") << "\n";
      break;
    }
    if (session.position >= n) {
      bool quit = false, eof = false;
      auto next = review(quit, eof);
      if (quit || eof) {
        if (auto s = save(); !s) return s.error();
        screen.out() << presentation::wrap("saved; " + resume_hint(session.attempt.assessment_id), cols, "", "  ");
        return finished;
      }
      if (!next) {  // submit
        if (expired()) screen.out() << "\n" << screen.red("time is up: your saved answers are submitted") << "\n";
        break;
      }
      session.position = *next;
      from_review = true;
      continue;
    }
    auto step = show_item(session.position);
    switch (step) {
      case Step::kNext:
        // An item chosen from the review list goes back to the list, not on to the next item.
        session.position = from_review ? n : session.position + 1;
        break;
      case Step::kBack:
        from_review = false;
        session.position = session.position > 0 ? session.position - 1 : 0;
        break;
      case Step::kReview:
        session.position = n;
        break;
      case Step::kQuit:
      case Step::kEof:
        if (auto s = save(); !s) return s.error();
        screen.out() << presentation::wrap("saved; " + resume_hint(session.attempt.assessment_id), cols, "", "  ");
        return finished;
    }
    if (auto s = save(); !s) return s.error();
  }
  // The parts of items left part-way were saved as they were given (before any deadline): they
  // are submitted with the rest, over an earlier whole answer to the same item.
  for (const auto& [id, draft] : session.drafts.items()) {
    auto saved = session.attempt.answers.find(id);
    json merged = saved != session.attempt.answers.end() ? json::parse(saved->second, nullptr, false) : json::object();
    if (!merged.is_object()) merged = json::object();
    merged.update(draft);
    session.attempt.answers[id] = merged.dump();
  }
  session.drafts = json::object();
  // Submit: at the deadline when it has passed, otherwise now.
  const bool at_deadline = expired();
  auto now = clock.now();
  session.attempt.submitted = session.attempt.deadline && now > *session.attempt.deadline ? *session.attempt.deadline : now;
  auto result = scoring::score_attempt(loaded, session.attempt);
  fs::path result_file = options.data_dir / "results" / (session.attempt.attempt_id + ".json");
  std::error_code ec;
  fs::create_directories(result_file.parent_path(), ec);
  if (auto w = io::try_write_atomic(result_file, scoring::to_json(result).dump() + "\n"); !w) return w.error().format();
  session.position = n;
  if (auto s = save(); !s) return s.error();
  measure();
  screen.out() << end_screen(loaded, result, options.color, cols);
  screen.out() << screen.dim("result saved: " + result_file.string()) << "\n";
  if (at_deadline) hold_after_deadline();
  finished.submitted = true;
  finished.result_file = result_file;
  finished.result = std::move(result);
  return finished;
}

}  // namespace detail

fs::path default_data_dir() {
  if (const char* d = std::getenv("ASSAY_DATA_DIR"); d != nullptr && *d != '\0') return d;
  if (const char* x = std::getenv("XDG_DATA_HOME"); x != nullptr && *x != '\0') return fs::path(x) / "assay";
  if (const char* h = std::getenv("HOME"); h != nullptr && *h != '\0') return fs::path(h) / ".local" / "share" / "assay";
  return fs::current_path() / ".assay";
}

json to_json(const Session& s) {
  return json{{"take", 1},
              {"assessment_path", s.assessment_path.string()},
              {"mode", mode_name(s.mode)},
              {"competency", s.competency},
              {"position", s.position},
              {"drafts", s.drafts},
              {"attempt", delivery::to_json(s.attempt)}};
}

Expected<Session, std::string> try_session_from_json(const json& j) {
  if (!j.is_object() || j.value("take", 0) != 1) return std::string("not a saved take session (\"take\": 1 is missing)");
  Session s;
  s.assessment_path = j.value("assessment_path", "");
  s.mode = j.value("mode", "practice") == "exam" ? Mode::kExam : Mode::kPractice;
  s.position = j.value("position", std::size_t{0});
  if (auto c = j.find("competency"); c != j.end() && c->is_string()) s.competency = c->get<std::string>();
  if (auto d = j.find("drafts"); d != j.end() && d->is_object()) s.drafts = *d;
  if (!j.contains("attempt")) return std::string("attempt: missing");
  auto a = delivery::try_attempt_from_json(j["attempt"]);
  if (!a) return "attempt." + a.error().front();
  s.attempt = std::move(a.value());
  return s;
}

Expected<Finished, std::string> run(const model::LoadedAssessment& assessment, Session session, const Options& options,
                                    std::istream& in, std::ostream& out, const Clock& clock) {
  std::error_code ec;
  fs::create_directories(options.data_dir / "attempts", ec);
  if (ec)
    return fmt::format("{}: error: cannot create the data directory: {}", (options.data_dir / "attempts").string(), ec.message());
  fs::path file = options.data_dir / "attempts" / (session.attempt.attempt_id + ".json");
  detail::Runner runner{assessment, std::move(session), options, in, detail::Screen(out, options.color), clock, file};
  const auto& a = assessment.assessment;
  const auto& s = runner.session;
  std::string drill;
  if (const auto* c = a.find_competency(s.competency); c != nullptr) drill = " · drill: " + c->title;
  std::string timing = s.attempt.deadline         ? "time limit " + std::to_string(a.time_limit_seconds / 60) + " min"
                       : a.time_limit_seconds > 0 ? fmt::format("untimed ({} min as an exam)", a.time_limit_seconds / 60)
                                                  : "untimed";
  if (s.position > 0 || !s.attempt.answers.empty() || !s.drafts.empty()) {
    // Resumed: what it is and how far it got, before the item it stopped at.
    out << runner.screen.bold(a.title) << "\n";
    out << fmt::format("resumed · {}{} · {} of {} items answered · {}", mode_name(s.mode), drill, s.attempt.answers.size(),
                       s.attempt.form.items.size(), s.attempt.deadline ? runner.time_left() : timing)
        << "\n";
  } else {
    out << runner.screen.bold(a.title) << "\n";
    out << fmt::format("{}{} · {} items · {}", mode_name(s.mode), drill, s.attempt.form.items.size(), timing) << "\n";
    if (runner.session.mode == Mode::kExam) {
      runner.measure();
      auto notice = presentation::wrap(
          "the clock runs until you submit, even while you are away; at the deadline your saved answers are submitted",
          runner.cols, "", "");
      notice.pop_back();
      out << runner.screen.dim(notice) << "\n";
    }
    out << runner.screen.dim("type '?' at any prompt for help") << "\n";
  }
  return runner.go();
}

std::string resume_hint(const std::string& assessment_id) {
  return fmt::format("'assay take --resume {}' continues this attempt", assessment_id);
}

namespace {

/// A terminal dimension: from TIOCGWINSZ on `fd`, else the environment variable `variable`
/// (COLUMNS, LINES), else `fallback`.
std::size_t terminal_size(int fd, unsigned short winsize::*member, const char* variable, std::size_t fallback) {
  winsize ws{};
  if (fd >= 0 && ::ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.*member > 0) return ws.*member;
  if (const char* c = std::getenv(variable); c != nullptr && *c != '\0') {
    char* end = nullptr;
    auto n = std::strtol(c, &end, 10);
    if (*end == '\0' && n > 0 && n < 10000) return static_cast<std::size_t>(n);
  }
  return fallback;
}

}  // namespace

std::size_t terminal_height(int fd) { return terminal_size(fd, &winsize::ws_row, "LINES", 0); }

std::size_t terminal_width(int fd) { return terminal_size(fd, &winsize::ws_col, "COLUMNS", 80); }

}  // namespace assay::take
