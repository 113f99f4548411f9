#include "assay/clock.hpp"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace assay {

namespace {
class SystemClock : public Clock {
 public:
  TimePoint now() const override { return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()); }
};

class TestClock : public Clock {
 public:
  TestClock(TimePoint start, long step) : start_(start), step_(step) {}
  TimePoint now() const override {
    auto n = reads_.fetch_add(1);
    return start_ + std::chrono::seconds(step_ * n);
  }

 private:
  TimePoint start_;
  long step_;
  mutable std::atomic<long> reads_{0};
};
}  // namespace

std::string format_time(TimePoint t) {
  auto days = std::chrono::floor<std::chrono::days>(t);
  std::chrono::year_month_day ymd{days};
  std::chrono::hh_mm_ss hms{t - days};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
  return buf;
}

bool parse_time(const std::string& text, TimePoint& out) {
  int y, mo, d, h, mi, s;
  char z = 0;
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c%n", &y, &mo, &d, &h, &mi, &s, &z, &consumed) != 7) return false;
  if (z != 'Z' || static_cast<std::size_t>(consumed) != text.size()) return false;
  std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(mo)},
                                  std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 60) return false;
  out = std::chrono::sys_days{ymd} + std::chrono::hours{h} + std::chrono::minutes{mi} + std::chrono::seconds{s};
  return true;
}

std::unique_ptr<Clock> make_clock() {
  if (const char* v = std::getenv("ASSAY_TEST_NOW"); v != nullptr && *v != '\0') {
    std::string text = v;
    long step = 0;
    if (auto plus = text.find('+'); plus != std::string::npos) {
      step = std::strtol(text.c_str() + plus + 1, nullptr, 10);
      text.resize(plus);
    }
    TimePoint start;
    if (parse_time(text, start)) return std::make_unique<TestClock>(start, step);
  }
  return std::make_unique<SystemClock>();
}

}  // namespace assay
