// The one way the engine reads wall-clock time, so time limits are tested without sleeping.
#pragma once

#include <chrono>
#include <memory>
#include <string>

namespace assay {

using TimePoint = std::chrono::sys_seconds;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

/// The system clock, unless the test-only override ASSAY_TEST_NOW is set: an RFC 3339 UTC time
/// ("2026-03-01T09:00:00Z"), optionally followed by "+Ns" meaning "advance N seconds on each
/// read". Documented in docs/testing.md; never set it in production.
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

/// RFC 3339 UTC text ("2026-03-01T09:00:00Z") and back; parse returns false on bad text.
std::string format_time(TimePoint t);
bool parse_time(const std::string& text, TimePoint& out);

}  // namespace assay
