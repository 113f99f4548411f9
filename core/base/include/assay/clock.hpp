// The one way the engine reads wall-clock time, so time limits are tested without sleeping.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

namespace assay {

using TimePoint = std::chrono::sys_seconds;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

/// The system clock, unless the test-only override ASSAY_TEST_NOW is set: an RFC 3339 UTC time
/// ("2026-03-01T09:00:00Z"), optionally followed by "+Ns" meaning "advance N seconds on each
/// read". Documented in docs/testing.md ("Time in tests"); never set it in production.
std::unique_ptr<Clock> make_clock();

/// A clock tests move by hand.
class FakeClock : public Clock {
 public:
  explicit FakeClock(TimePoint start) : now_(start) {}
  TimePoint now() const override { return now_; }
  void advance(std::chrono::seconds by) { now_ += by; }
  void set(TimePoint t) { now_ = t; }

 private:
  TimePoint now_;
};

/// RFC 3339 UTC text ("2026-03-01T09:00:00Z"), whole seconds.
std::string format_time(TimePoint t);
/// The one reader of a time (RFC 3339 section 5.6 date-time): fixed-width fields, "Z" or an offset
/// such as "+01:00" (converted to UTC), optional fractional seconds (dropped), every field range
/// checked (a 30 February, hour 24 and minute 60 are refused). False on anything else: a leading
/// or trailing space, a one-digit field, a missing zone.
bool parse_time(std::string_view text, TimePoint& out);

}  // namespace assay
