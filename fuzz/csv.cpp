// The CSV reader of the staff import (io::parse_csv, core/serve/staff_import.cpp) on any bytes,
// and the writer on what it read: written and read back, every record keeps its fields, and a
// second round changes nothing (the first may add the "'" that defuses a formula).
#include <string>
#include <vector>

#include "assay/io.hpp"
#include "harness.hpp"

namespace {

using Rows = std::vector<std::vector<std::string>>;

Rows round_trip(const Rows& rows) {
  assay::io::CsvWriter writer;
  for (const auto& row : rows) writer.row(row);
  return assay::io::parse_csv(writer.text());
}

}  // namespace

ASSAY_FUZZ_TARGET(csv) {
  Rows rows = assay::io::parse_csv(assay::fuzz::as_text(data, size));
  Rows once = round_trip(rows);
  ASSAY_FUZZ_CHECK(once.size() == rows.size(), "a record was lost or added by writing and reading back");
  for (std::size_t i = 0; i < rows.size(); ++i)
    ASSAY_FUZZ_CHECK(once[i].size() == rows[i].size(), "record " + std::to_string(i) + " changed its number of fields");
  ASSAY_FUZZ_CHECK(round_trip(once) == once, "a second round of writing and reading changed the records");
}
