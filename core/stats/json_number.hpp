// A statistic as JSON: null where it is undefined (no value, or not a finite number).
#pragma once

#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>

namespace assay::stats::detail {

inline nlohmann::json number(const std::optional<double>& v) {
  if (!v || !std::isfinite(*v)) return nullptr;
  return *v;
}

}  // namespace assay::stats::detail
