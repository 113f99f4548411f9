// Small dense linear algebra for the estimators: symmetric positive definite inverses.
#pragma once

#include <cstddef>
#include <limits>
#include <vector>

namespace assay::stats::detail {

/// A statistic that is undefined (an estimate that does not exist for this person or item).
inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// A row-major n x n matrix.
struct Square {
  std::size_t n = 0;
  std::vector<double> a;
  explicit Square(std::size_t size = 0) : n(size), a(size * size, 0.0) {}
  double& operator()(std::size_t r, std::size_t c) { return a[r * n + c]; }
  double operator()(std::size_t r, std::size_t c) const { return a[r * n + c]; }
};

/// The inverse of a symmetric positive definite matrix by Cholesky; false when it is not
/// positive definite (a pivot not above 0), leaving `out` unspecified.
bool invert_spd(const Square& m, Square& out);

}  // namespace assay::stats::detail
