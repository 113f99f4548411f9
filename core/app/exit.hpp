// Exit codes of the `assay` command (README.md, "Exit codes"). Only core/app exits.
#pragma once

#include <string>

namespace assay {

enum class Exit : int {
  kOk = 0,        // done (a candidate failing an assessment is a result, not an error)
  kProblems = 1,  // problems found in the input: validation errors, rejected lines, refused plugins
  kUsage = 2,     // unknown subcommand or option
  kIo = 3,        // a file could not be read or written
  kInternal = 4,  // a bug: the message asks for a report
};

/// Thrown by commands to leave with a message (printed to stderr) and an exit code.
struct ExitRequest {
  Exit code;
  std::string message;  // may be empty
};

/// Leaves the command with `message` and `code`.
[[noreturn]] inline void problem(Exit code, const std::string& message) { throw ExitRequest{code, message}; }

}  // namespace assay
