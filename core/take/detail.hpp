// What the parts of the terminal self-test share: styles, the commands typed at any prompt, and
// the session runner. The loop is in loop.cpp, answering an interaction in answer.cpp.
#pragma once

#include <fmt/format.h>

#include <iosfwd>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

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

  void measure() { cols = options.terminal_fd >= 0 ? terminal_width(options.terminal_fd) : options.width; }

  bool expired() const {
    return session.mode == Mode::kExam && session.attempt.deadline && clock.now() >= *session.attempt.deadline;
  }

  std::string time_left() const;

  Expected<bool, std::string> save();

  /// Reads one line of at most kMaxLine bytes (a longer one is refused and asked again); false at
  /// the end of input (the terminal closed).
  static constexpr std::size_t kMaxLine = 64 * 1024;
  bool read(const std::string& prompt, std::string& line);

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
