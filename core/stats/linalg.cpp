#include "linalg.hpp"

#include <cmath>

namespace assay::stats::detail {

bool invert_spd(const Square& m, Square& out) {
  const std::size_t n = m.n;
  Square l(n);  // m = l l^T, l lower triangular
  for (std::size_t j = 0; j < n; ++j) {
    double d = m(j, j);
    for (std::size_t k = 0; k < j; ++k) d -= l(j, k) * l(j, k);
    if (!(d > 0)) return false;
    l(j, j) = std::sqrt(d);
    for (std::size_t i = j + 1; i < n; ++i) {
      double s = m(i, j);
      for (std::size_t k = 0; k < j; ++k) s -= l(i, k) * l(j, k);
      l(i, j) = s / l(j, j);
    }
  }
  // inv(l), lower triangular, then inv(m) = inv(l)^T inv(l).
  Square li(n);
  for (std::size_t j = 0; j < n; ++j) {
    li(j, j) = 1.0 / l(j, j);
    for (std::size_t i = j + 1; i < n; ++i) {
      double s = 0;
      for (std::size_t k = j; k < i; ++k) s -= l(i, k) * li(k, j);
      li(i, j) = s / l(i, i);
    }
  }
  out = Square(n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j <= i; ++j) {
      double s = 0;
      for (std::size_t k = i; k < n; ++k) s += li(k, i) * li(k, j);
      out(i, j) = s;
      out(j, i) = s;
    }
  return true;
}

}  // namespace assay::stats::detail
