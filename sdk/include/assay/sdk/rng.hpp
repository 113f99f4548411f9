// assay/sdk/rng.hpp — the portable generator every item draws its randomness from.
#ifndef ASSAY_SDK_RNG_HPP
#define ASSAY_SDK_RNG_HPP

#include <assay/plugin.h>

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <utility>
#include <vector>

namespace assay::sdk {

/// The portable generator (SplitMix64, plugin.h). Same draws on every platform.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : r_(assay_rng_seed(seed)) {}
  std::uint64_t next() { return assay_rng_next(&r_); }
  /// Uniform in [0, n).
  std::uint64_t below(std::uint64_t n) { return assay_rng_below(&r_, n); }
  /// Uniform in [lo, hi], inclusive.
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    if (hi <= lo) return lo;
    auto span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo) + 1;
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(lo) + (span == 0 ? next() : below(span)));
  }
  /// True with probability num/den.
  bool chance(std::uint64_t num, std::uint64_t den) { return below(den) < num; }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    if (v.empty()) throw std::logic_error("Rng::pick on an empty list");
    return v[below(v.size())];
  }
  /// Fisher–Yates, from the back.
  template <class T>
  void shuffle(std::vector<T>& v) {
    for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[below(i)]);
  }

 private:
  assay_rng r_;
};

}  // namespace assay::sdk

#endif  // ASSAY_SDK_RNG_HPP
