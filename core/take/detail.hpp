// What the parts of the terminal self-test share: styles, the commands typed at any prompt, and
// the session runner. The loop is in loop.cpp, answering an interaction in answer.cpp.
#pragma once

#include <fmt/format.h>

#include <iosfwd>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "assay/model.hpp"
#include "assay/style.hpp"
#include "assay/take.hpp"

namespace assay::take::detail {

using json = nlohmann::json;

class Screen : public Style {
 public:
  Screen(std::ostream& out, bool color) : Style{color}, out_(out) {}
  std::ostream& out() { return out_; }

 private:
  std::ostream& out_;
};

/// What a line typed at a prompt asks for.
enum class Command { kNone, kHelp, kSkip, kBack, kReview, kQuit };

Command command_of(const std::string& line);

/// The help '?' shows: how to answer each interaction type, then the commands; each description
/// wrapped to `cols` under its own column.
std::string help_text(std::size_t cols);

/// One take of an assessment in the terminal, from the first item shown to the end screen.
struct Runner {
  const model::LoadedAssessment& loaded;
  Session session;
  const Options& options;
  std::istream& in;
  Screen screen;
  const Clock& clock;
  fs::path attempt_file;
  std::size_t cols = 0;  // prose is wrapped to this width (0: not wrapped)

  std::size_t rows = 0;  // the terminal's height (0: unknown; material is not paged)
  /// Lines typed ahead of the one being read, when reading the terminal itself (Options::input_fd).
  std::string pending{};
  /// The prompt being read returned because the exam's time ran out, not because of a line.
  bool timed_out = false;
  /// The warnings of the minutes left already given (5, then 1).
  bool warned_5 = false, warned_1 = false;
  /// The item shown was chosen from the review list: once it is answered (or Enter pressed on it),
  /// the list comes back instead of the next item.
  bool from_review = false;
  /// The first line of each item's prompt, by form position, as the review list shows it.
  std::vector<std::string> firsts{};

  void measure() {
    cols = options.terminal_fd >= 0 ? terminal_width(options.terminal_fd) : options.width;
    rows = options.terminal_fd >= 0 ? terminal_height(options.terminal_fd) : options.height;
  }

  bool expired() const {
    return session.mode == Mode::kExam && session.attempt.deadline && clock.now() >= *session.attempt.deadline;
  }

  std::string time_left() const;
  /// Seconds to the deadline (0 when passed), or nullopt when untimed.
  std::optional<std::int64_t> seconds_left() const;

  Expected<bool, std::string> save();

  /// Reads one line of at most kMaxLine bytes (a longer one is refused and asked again); false at
  /// the end of input (the terminal closed) or, in an exam, when the time runs out while the
  /// learner is at the prompt (`timed_out`). In an exam the prompt starts with the time left, and
  /// the warnings at 5 and 1 minutes left come before it or while it waits.
  static constexpr std::size_t kMaxLine = 64 * 1024;
  bool read(const std::string& prompt, std::string& line);

  /// In an exam with a deadline: the warning of the minutes left, once each, when due.
  void warn_if_due();

  /// After an exam submitted at its deadline: what was typed meanwhile is dropped, and the result
  /// screen stays until Enter, so no keystroke lands in the shell.
  void hold_after_deadline();

  /// Text longer than the screen, shown a screenful at a time (Enter: more, 'b': back, 'q': on).
  void page(const std::string& text);

  /// "  3  answered      Electrical safety · What is the SI unit of …", cut to the width with "…".
  std::string review_line(std::size_t pos);

  const model::Item& item_at(std::size_t pos) const;
  const plugins::PreparedItem& prepared_at(std::size_t pos) const;

  /// The answer to one interaction, or the command that interrupted it.
  struct Read {
    Command command = Command::kNone;
    json value;
    bool eof = false;
  };

  /// Reads the answer to one interaction; `kept`, when given, is the learner's earlier answer to
  /// it, kept when they left the item part-way: Enter (or 'y' where Enter means a blank) keeps it.
  /// When a command or the end of input interrupts, `value` holds what was given so far.
  Read ask(const json& interaction, const json& presentation, const json* kept = nullptr);

  /// Practice mode: the item's credit, the plugin's feedback, the explanation and its source.
  void show_feedback(std::size_t pos);

  enum class Step { kNext, kBack, kReview, kQuit, kEof };

  Step show_item(std::size_t pos);

  /// The review screen. Returns the position to go to, or nullopt to submit; sets `quit`.
  std::optional<std::size_t> review(bool& quit, bool& eof);

  Expected<Finished, std::string> go();
};

}  // namespace assay::take::detail
