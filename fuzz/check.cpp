// What every harness links: the failed-check report.
#include <cstdio>
#include <cstdlib>

#include "harness.hpp"

namespace assay::fuzz {

void check_failed(const char* file, int line, const char* condition, std::string_view detail) {
  std::fprintf(stderr, "%s:%d: fuzz check failed: %s\n  %.*s\n", file, line, condition, static_cast<int>(detail.size()),
               detail.data());
  std::fflush(stderr);
  std::abort();
}

}  // namespace assay::fuzz
