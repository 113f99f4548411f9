#include "rate_limit.hpp"

#include <algorithm>
#include <chrono>

#include "http_util.hpp"

namespace assay::serve::detail {

TimePoint window_of(TimePoint t, std::int64_t seconds) {
  auto s = t.time_since_epoch().count();
  return TimePoint(std::chrono::seconds(s - s % seconds));
}

FailureLimit::FailureLimit(Store& store, TimePoint now, std::string key, std::int64_t max)
    : store_(store), key_(std::move(key)), window_(window_of(now)) {
  if (store_.count_hit(key_, window_, 0) < max) return;
  auto retry = (window_ + std::chrono::seconds(kRateWindowSeconds) - now).count();
  ApiError e{429, "rate_limited", "too many attempts from this address: try again later"};
  e.headers.emplace_back("Retry-After", std::to_string(std::max<std::int64_t>(1, retry)));
  throw e;
}

void FailureLimit::count() { store_.count_hit(key_, window_, 1); }

}  // namespace assay::serve::detail
