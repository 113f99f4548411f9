// Choosing the back end from --db: a PostgreSQL URL or an SQLite file.
#include <fmt/format.h>

#include "assay/store.hpp"
#include "assay/store_migrate.hpp"

namespace assay::serve {

bool is_postgres_url(std::string_view text) { return text.starts_with("postgresql://") || text.starts_with("postgres://"); }

std::string redact_url(std::string_view url) {
  auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  auto authority = scheme + 3;
  auto end = url.find_first_of("/?", authority);
  auto at = url.rfind('@', end == std::string_view::npos ? url.size() : end);
  if (at == std::string_view::npos || at < authority) return std::string(url);
  auto colon = url.find(':', authority);
  if (colon == std::string_view::npos || colon > at) return std::string(url);
  return std::string(url.substr(0, colon + 1)) + "***" + std::string(url.substr(at));
}

#if !ASSAY_WITH_POSTGRES
Expected<std::unique_ptr<Store>, std::string> open_postgres_store(const std::string& url, const PostgresOptions&) {
  return fmt::format(
      "{}: error: this assay was built without PostgreSQL\n  hint: rebuild with -DASSAY_WITH_POSTGRES=ON (libpq-dev), or give "
      "--db a file for SQLite",
      redact_url(url));
}

int postgres_schema_version() { return 0; }

Expected<std::vector<CopiedTable>, std::string> copy_sqlite_to_postgres(const std::filesystem::path&, const std::string& to_url) {
  return fmt::format(
      "{}: error: this assay was built without PostgreSQL\n  hint: rebuild with -DASSAY_WITH_POSTGRES=ON (libpq-dev)",
      redact_url(to_url));
}
#endif

Expected<std::unique_ptr<Store>, std::string> open_store(const std::string& url_or_path, Durability durability) {
  if (is_postgres_url(url_or_path)) {
    PostgresOptions options;
    options.durability = durability;
    return open_postgres_store(url_or_path, options);
  }
  return open_sqlite_store(url_or_path, durability);
}

}  // namespace assay::serve
