// Diagnostics: every message a user sees about their input, in one shape.
//
//   FILE:LINE:COL: error: WHAT: expected X, found Y
//     hint: what to do
//
// Lowercase, no final period, values quoted; key paths dotted with 0-based indices in brackets.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace assay {

enum class Severity { kError, kWarning };

struct Diagnostic {
  std::string file;     // empty when the message concerns no file
  int line = 0;         // 1-based; 0 when unknown
  int column = 0;       // 1-based; 0 when unknown
  std::string message;  // without the "error: " prefix
  std::vector<std::string> hints;
  Severity severity = Severity::kError;

  /// The compiler-format text, hints on following lines, no trailing newline.
  std::string format() const;
};

using Diagnostics = std::vector<Diagnostic>;

/// Shorthand for a diagnostic without a position.
Diagnostic error_at(std::string file, std::string message, std::vector<std::string> hints = {});
/// Shorthand for a diagnostic on a line of `file` (1-based), without a column.
Diagnostic error_at_line(std::string file, std::size_t line, std::string message, std::vector<std::string> hints = {});

/// `s` in single quotes, as messages quote ids and values: 'pv-defib'.
std::string in_quotes(std::string_view s);

/// How many of `diagnostics` are errors (the rest are warnings, which fail nothing).
std::size_t error_count(const Diagnostics& diagnostics);

/// Formats all, one per line (hints included), each ending with a newline.
std::string format_all(const Diagnostics& diagnostics);

/// "did you mean 'X'" support: the candidate nearest to `word` by edit distance, or "" when
/// none is close enough to be a plausible typo.
std::string nearest(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace assay
