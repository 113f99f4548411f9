// How many seeds a property test walks.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdlib>

namespace assay::test {

/// `n`, or n / ASSAY_TEST_SEED_DIVISOR (at least 20) when that is set. The sanitizer pass sets it
/// (Makefile, test-sanitize): it runs the same code several times slower, and the plain pass
/// walks every seed.
inline std::size_t seed_count(std::size_t n) {
  static const std::size_t divisor = [] {
    const char* v = std::getenv("ASSAY_TEST_SEED_DIVISOR");
    auto d = v != nullptr ? std::strtoul(v, nullptr, 10) : 1ul;
    return d == 0 ? std::size_t{1} : static_cast<std::size_t>(d);
  }();
  return std::max(std::min<std::size_t>(n, 20), n / divisor);
}

}  // namespace assay::test
