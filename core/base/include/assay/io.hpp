// Files the engine reads and writes: atomic writes, JSON Lines input, CSV output and input.
#pragma once

#include <cstddef>
#include <filesystem>
#include <iosfwd>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "assay/diagnostic.hpp"
#include "assay/expected.hpp"

namespace assay::io {

namespace fs = std::filesystem;

/// Replaces `path` with `content` atomically: the bytes go to a temporary file in the same
/// directory, which is flushed to disk (fsync) and renamed over `path`; the directory is then
/// synced. A reader sees the old file or the new one, never a part. The new file keeps the mode
/// of the one it replaces (0666 minus the umask for a new file). On failure nothing is left
/// behind and the error names the path and the system's reason ("PATH: error: cannot write:
/// No such file or directory"). Returns the number of bytes written.
Expected<std::size_t, Diagnostic> try_write_atomic(const fs::path& path, std::string_view content);

/// The whole file as bytes; the error names the path and the system's reason.
Expected<std::string, Diagnostic> try_read_file(const fs::path& path);

/// One non-blank line of a JSON Lines file.
struct Line {
  std::size_t number = 0;  // 1-based
  std::string text;        // without the line ending (a trailing CR is removed too)
};

/// Splits JSON Lines text into its non-blank lines, keeping their numbers.
std::vector<Line> split_lines(std::string_view text);

/// Parses one line. A bad line becomes "FILE:LINE:COL: error: invalid JSON: ..." (the column is
/// 1-based, in bytes); a line that is not UTF-8 ("invalid line: expected UTF-8 text, found bytes
/// 0xC0 0x80", at the first bad byte) and a value that is not an object are refused the same way.
Expected<nlohmann::json, Diagnostic> parse_json_line(const std::string& file, const Line& line);

struct JsonLines {
  std::vector<std::pair<std::size_t, nlohmann::json>> values;  // line number, object
  Diagnostics errors;                                          // one per bad line, in order
};

/// Reads every line of a JSON Lines text: good lines are kept, each bad one is reported with its
/// number and skipped, so one broken line never costs the others.
JsonLines read_json_lines(const std::string& file, std::string_view text);

/// CSV per RFC 4180 in UTF-8: fields separated by commas, records ended by CRLF, a field quoted
/// when it holds a comma, a quote, CR or LF (quotes doubled). A field starting with '=', '+', '-',
/// '@', tab or CR is prefixed with "'" so a spreadsheet never reads it as a formula, unless the
/// whole field is a plain decimal number ("-2.5"), which a spreadsheet cannot run.
class CsvWriter {
 public:
  /// `byte_order_mark`: start with the UTF-8 BOM, which spreadsheets need to read UTF-8.
  explicit CsvWriter(bool byte_order_mark = true);
  void row(const std::vector<std::string>& fields);
  const std::string& text() const { return text_; }
  /// One field as it is written.
  static std::string field(std::string_view value);

 private:
  std::string text_;
};

/// One record of a CSV text.
struct CsvRecord {
  std::size_t line = 0;  // 1-based: the line of the text the record starts on
  std::vector<std::string> fields;
  bool operator==(const CsvRecord&) const = default;
};

/// The records of a CSV text (RFC 4180, as the writer above writes it and spreadsheets export
/// it): fields separated by commas; a quoted field may hold commas, line breaks and doubled
/// quotes; records end with LF or CRLF. A leading UTF-8 BOM is dropped, and so is a CR outside
/// quotes; a line with nothing on it is no record (a line holding only "" is one empty field).
/// Lines are counted as a text editor does (every LF), so a quoted field over several lines moves
/// the next record's number on by as many.
/// The text must be UTF-8 (assay::valid_utf8): otherwise the error is at the first byte that is
/// not ("expected UTF-8 text in field 2, found bytes 0xC0 0x80", its line and column as an
/// editor shows them, a hint) and no record is returned. Nothing else is refused: a quote left open runs to
/// the end of the text, and a quote inside an unquoted field opens a quoted part there. Callers
/// check each record's field count.
Expected<std::vector<CsvRecord>, Diagnostic> try_parse_csv(std::string_view text);

}  // namespace assay::io
