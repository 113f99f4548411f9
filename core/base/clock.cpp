#include "assay/clock.hpp"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

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

namespace {

/// The `n` digits at text[i...], or -1 when any is not a digit.
int digits_at(std::string_view text, std::size_t i, std::size_t n) {
  if (i + n > text.size()) return -1;
  int v = 0;
  for (std::size_t k = i; k < i + n; ++k) {
    if (text[k] < '0' || text[k] > '9') return -1;
    v = v * 10 + (text[k] - '0');
  }
  return v;
}

}  // namespace

bool parse_time(std::string_view text, TimePoint& out) {
  // RFC 3339 section 5.6, date-time: every field at its fixed width, "T" (or "t") between date
  // and time, optional fractional seconds (dropped: the engine keeps whole seconds), then "Z" (or
  // "z") or an offset "+hh:mm" / "-hh:mm", nothing around it.
  auto sep = [&](std::size_t i, char c) { return i < text.size() && text[i] == c; };
  int y = digits_at(text, 0, 4), mo = digits_at(text, 5, 2), d = digits_at(text, 8, 2);
  int h = digits_at(text, 11, 2), mi = digits_at(text, 14, 2), s = digits_at(text, 17, 2);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0) return false;
  if (!sep(4, '-') || !sep(7, '-') || !(sep(10, 'T') || sep(10, 't')) || !sep(13, ':') || !sep(16, ':')) return false;
  std::size_t i = 19;
  if (sep(i, '.')) {
    std::size_t start = ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    if (i == start) return false;
  }
  long offset = 0;  // seconds east of UTC
  if (sep(i, 'Z') || sep(i, 'z')) {
    ++i;
  } else if (sep(i, '+') || sep(i, '-')) {
    int oh = digits_at(text, i + 1, 2), om = digits_at(text, i + 4, 2);
    if (oh < 0 || om < 0 || !sep(i + 3, ':') || oh > 23 || om > 59) return false;
    offset = (text[i] == '-' ? -1 : 1) * (oh * 3600L + om * 60L);
    i += 6;
  } else {
    return false;
  }
  if (i != text.size()) return false;
  std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(mo)},
                                  std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 60) return false;  // 60: a leap second
  out = std::chrono::sys_days{ymd} + std::chrono::hours{h} + std::chrono::minutes{mi} + std::chrono::seconds{s} -
        std::chrono::seconds{offset};
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
