// Answering one interaction in the terminal: the commands typed at any prompt, the help, and the
// keyboard entry of each interaction type (assay/presentation.hpp) on this terminal.
#include <ostream>

#include "assay/presentation.hpp"
#include "detail.hpp"

namespace assay::take::detail {

namespace {

constexpr const char* kCommands =
    "commands at any prompt:\n"
    "  ?         this help\n"
    "  >         skip this item (come back to it from the review)\n"
    "  <         go back to the previous item\n"
    "  :review   the list of items, answered and not, and submitting\n"
    "  :quit     leave; your answers are saved ('assay take --resume' continues)\n";

/// The help before wrapping: what to type for each interaction type, from the table, then the commands.
std::string help_lines() {
  std::string out = "answering:\n";
  for (const auto& type : presentation::interaction_types())
    for (const auto& line : type.help) out += fmt::format("  {:<15}{}\n", line.keys, line.text);
  return out + kCommands;
}

/// The terminal as an interaction's keyboard entry sees it. A command typed at any of its prompts
/// ends the entry and is kept in `read`; '?' shows the help and asks again.
class TerminalKeyboard : public presentation::Keyboard {
 public:
  TerminalKeyboard(Runner& runner, Runner::Read& read) : runner_(runner), read_(read) {}

  bool read(const std::string& prompt, std::string& line) override {
    for (;;) {
      if (!runner_.read(prompt, line)) {
        read_.eof = true;
        return false;
      }
      auto c = command_of(line);
      if (c == Command::kHelp) {
        runner_.screen.out() << help_text(runner_.cols);
        continue;
      }
      if (c != Command::kNone) {
        read_.command = c;
        return false;
      }
      return true;
    }
  }
  void write(const std::string& text) override { runner_.screen.out() << text; }
  bool color() const override { return runner_.screen.color; }
  std::size_t width() const override { return runner_.cols; }

 private:
  Runner& runner_;
  Runner::Read& read_;
};

}  // namespace

Command command_of(const std::string& line) {
  std::string s = line;
  s.erase(0, s.find_first_not_of(" \t"));
  s.erase(s.find_last_not_of(" \t\r") + 1);
  if (s == "?") return Command::kHelp;
  if (s == ">") return Command::kSkip;
  if (s == "<") return Command::kBack;
  if (s == ":review" || s == ":r") return Command::kReview;
  if (s == ":quit" || s == ":q") return Command::kQuit;
  return Command::kNone;
}

std::string help_text(std::size_t cols) {
  static const std::string lines = help_lines();
  std::string out;
  std::string_view help = lines;
  while (!help.empty()) {
    auto nl = help.find('\n');
    std::string line(help.substr(0, nl));
    help.remove_prefix(nl + 1);
    // The description starts after the first run of two spaces that follows a word.
    auto word = line.find_first_not_of(' ');
    auto gap = line.find("  ", word);
    auto column = gap == std::string::npos ? std::string::npos : line.find_first_not_of(' ', gap);
    if (column == std::string::npos) {
      out += line + "\n";
      continue;
    }
    out += presentation::wrap(line.substr(column), cols, line.substr(0, column), std::string(column, ' '));
  }
  return out;
}

Runner::Read Runner::ask(const json& interaction, const json& presentation, const json* kept) {
  if (kept != nullptr) {
    auto shown =
        presentation::wrap("kept from before: " + presentation::keys_typed(interaction, presentation, *kept), cols, "  ", "    ");
    shown.pop_back();
    screen.out() << screen.dim(shown) << "\n";
  }
  Read r;
  TerminalKeyboard keyboard(*this, r);
  r.value = presentation::enter_answer(interaction, presentation, kept, keyboard);
  return r;
}

}  // namespace assay::take::detail
