#include "assay/diagnostic.hpp"

#include <algorithm>

namespace assay {

std::string Diagnostic::format() const {
  std::string out;
  if (!file.empty()) {
    out += file;
    if (line > 0) {
      out += ':' + std::to_string(line);
      if (column > 0) out += ':' + std::to_string(column);
    }
    out += ": ";
  }
  out += severity == Severity::kError ? "error: " : "warning: ";
  out += message;
  for (const auto& h : hints) out += "\n  hint: " + h;
  return out;
}

Diagnostic error_at(std::string file, std::string message, std::vector<std::string> hints) {
  Diagnostic d;
  d.file = std::move(file);
  d.message = std::move(message);
  d.hints = std::move(hints);
  return d;
}

Diagnostic error_at_line(std::string file, std::size_t line, std::string message, std::vector<std::string> hints) {
  Diagnostic d = error_at(std::move(file), std::move(message), std::move(hints));
  d.line = static_cast<int>(line);
  return d;
}

std::string in_quotes(std::string_view s) { return "'" + std::string(s) + "'"; }

std::size_t error_count(const Diagnostics& diagnostics) {
  return static_cast<std::size_t>(
      std::count_if(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& d) { return d.severity == Severity::kError; }));
}

std::string format_all(const Diagnostics& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics) out += d.format() + '\n';
  return out;
}

namespace {
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}
}  // namespace

std::string nearest(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const auto& c : candidates) {
    auto d = edit_distance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

}  // namespace assay
