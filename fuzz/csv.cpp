// The CSV reader of the staff import (io::try_parse_csv, core/serve/staff_import.cpp) on any
// bytes, and the writer on what it read: text that is not UTF-8 is refused with a line, and what
// is read, written and read back keeps every record and its fields; a second round changes
// nothing (the first may add the "'" that defuses a formula).
#include <string>
#include <vector>

#include "assay/io.hpp"
#include "harness.hpp"

namespace {

using Rows = std::vector<std::vector<std::string>>;

Rows fields_of(const std::vector<assay::io::CsvRecord>& records) {
  Rows rows;
  rows.reserve(records.size());
  for (const auto& r : records) rows.push_back(r.fields);
  return rows;
}

Rows round_trip(const Rows& rows) {
  assay::io::CsvWriter writer;
  for (const auto& row : rows) writer.row(row);
  auto read = assay::io::try_parse_csv(writer.text());
  ASSAY_FUZZ_CHECK(read.ok(), "the writer wrote text its reader refuses: " + (read.ok() ? "" : read.error().message));
  return fields_of(read.value());
}

}  // namespace

ASSAY_FUZZ_TARGET(csv) {
  auto read = assay::io::try_parse_csv(assay::fuzz::as_text(data, size));
  if (!read.ok()) {
    ASSAY_FUZZ_CHECK(read.error().line >= 1, "a refusal names no line");
    return;
  }
  Rows rows = fields_of(read.value());
  Rows once = round_trip(rows);
  ASSAY_FUZZ_CHECK(once.size() == rows.size(), "a record was lost or added by writing and reading back");
  for (std::size_t i = 0; i < rows.size(); ++i)
    ASSAY_FUZZ_CHECK(once[i].size() == rows[i].size(), "record " + std::to_string(i) + " changed its number of fields");
  ASSAY_FUZZ_CHECK(round_trip(once) == once, "a second round of writing and reading changed the records");
}
