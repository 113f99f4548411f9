// assay/sdk/credit.hpp — exact credit on one criterion, as a plugin's score() returns it.
#ifndef ASSAY_SDK_CREDIT_HPP
#define ASSAY_SDK_CREDIT_HPP

#include <algorithm>
#include <cstdint>

namespace assay::sdk {

/// Exact credit on one criterion. `num <= den`, `den >= 1`.
struct Credit {
  std::uint64_t num = 0;
  std::uint64_t den = 1;
  static constexpr Credit full() { return {1, 1}; }
  static constexpr Credit none() { return {0, 1}; }
  static constexpr Credit of(bool ok) { return {ok ? 1u : 0u, 1}; }
  /// `num` of `den`, clamped to [0, 1]; a zero denominator gives none().
  static constexpr Credit fraction(std::uint64_t n, std::uint64_t d) {
    if (d == 0) return none();
    return {std::min(n, d), d};
  }
  /// Equal as fractions (1/2 == 2/4), cross-multiplied in 128 bits so no product overflows.
  friend constexpr bool operator==(Credit a, Credit b) {
    __extension__ typedef unsigned __int128 Wide;
    return static_cast<Wide>(a.num) * b.den == static_cast<Wide>(b.num) * a.den;
  }
};

}  // namespace assay::sdk

#endif  // ASSAY_SDK_CREDIT_HPP
