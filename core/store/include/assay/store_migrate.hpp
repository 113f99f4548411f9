// Moving a screening server from SQLite to PostgreSQL without losing a row (docs/serve.md,
// "Moving from SQLite to PostgreSQL").
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "assay/expected.hpp"

namespace assay::serve {

/// One table as copied: its rows and the SHA-256 of their values in key order, the same on both sides.
struct CopiedTable {
  std::string name;
  std::int64_t rows = 0;
  std::string sha256;
};

/// Copies the SQLite database `from` (brought to the current schema first, as a server start would)
/// into the PostgreSQL database `to_url`, which must hold no rows, in one transaction: every table,
/// then the counts and a digest per table compared on both sides before it commits. Errors are full
/// user-facing messages (a non-empty target, a mismatch, a database error); nothing is written then.
Expected<std::vector<CopiedTable>, std::string> copy_sqlite_to_postgres(const std::filesystem::path& from,
                                                                        const std::string& to_url);

}  // namespace assay::serve
