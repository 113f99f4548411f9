// Failures counted per client address in the store, so every server process sees the same
// counts, over fixed windows of ten minutes: wrong passwords, unknown candidate links.
#pragma once

#include <cstdint>
#include <string>

#include "assay/clock.hpp"
#include "assay/store.hpp"

namespace assay::serve::detail {

constexpr std::int64_t kRateWindowSeconds = 600;
constexpr std::int64_t kMaxUnknownLinks = 20;  // per address and window
constexpr std::int64_t kMaxFailedLogins = 10;  // per address and window

/// The start of the window of `seconds` that holds `t`.
TimePoint window_of(TimePoint t, std::int64_t seconds = kRateWindowSeconds);

/// One request's check against a limit, and the failure it may count.
class FailureLimit {
 public:
  /// Refuses with 429 rate_limited, and a Retry-After of the seconds left in the window, when
  /// `key` already has `max` failures in the window of `now`.
  FailureLimit(Store& store, TimePoint now, std::string key, std::int64_t max);
  /// Counts one failure, in the window the check was made in.
  void count();

 private:
  Store& store_;
  std::string key_;
  TimePoint window_;
};

}  // namespace assay::serve::detail
