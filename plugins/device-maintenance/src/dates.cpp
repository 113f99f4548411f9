#include "dates.hpp"

#include <chrono>
#include <string>
#include <utility>

namespace device {

namespace chrono = std::chrono;

namespace {

// std::chrono::year holds -32767..32767; Date counts days in 64 bits. The Gregorian calendar
// repeats every 400 years (146097 days), so a date is split into whole cycles, counted here, and
// a remainder chrono works on.
constexpr std::int64_t kCycleYears = 400;
constexpr std::int64_t kCycleDays = 146097;
constexpr std::int64_t kCycleMonths = kCycleYears * 12;

constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - (a % b < 0 ? 1 : 0); }

/// `d` as whole cycles after 1970-01-01 and a date within the cycle that starts there.
std::pair<std::int64_t, chrono::year_month_day> split(Date d) {
  auto cycles = floor_div(d.days, kCycleDays);
  return {cycles, chrono::year_month_day{chrono::sys_days{chrono::days{d.days - cycles * kCycleDays}}}};
}

Date join(std::int64_t cycles, chrono::year_month_day ymd) {
  return Date{chrono::sys_days{ymd}.time_since_epoch().count() + cycles * kCycleDays};
}

}  // namespace

Date make_date(std::int64_t year, unsigned month, unsigned day) {
  auto cycles = floor_div(year, kCycleYears);
  auto y = chrono::year{static_cast<int>(year - cycles * kCycleYears)};
  // A day past the month's end counts on into the next month, as chrono's sys_days does.
  return join(cycles, y / chrono::month{month} / chrono::day{day});
}

std::optional<Date> parse_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto digits = [&](std::size_t from, std::size_t n) -> std::optional<unsigned> {
    unsigned v = 0;
    for (std::size_t i = from; i < from + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
      v = v * 10 + static_cast<unsigned>(s[i] - '0');
    }
    return v;
  };
  auto y = digits(0, 4), m = digits(5, 2), d = digits(8, 2);
  if (!y || !m || !d) return std::nullopt;
  chrono::year_month_day ymd{chrono::year{static_cast<int>(*y)}, chrono::month{*m}, chrono::day{*d}};
  if (!ymd.ok()) return std::nullopt;  // month 1-12, the day existing in it (leap years included)
  return join(0, ymd);
}

std::string to_string(Date d) {
  auto [cycles, ymd] = split(d);
  auto year = static_cast<int>(ymd.year()) + cycles * kCycleYears;
  auto pad = [](std::int64_t v, int width) {
    std::string s = std::to_string(v);
    return std::string(static_cast<std::size_t>(width) > s.size() ? static_cast<std::size_t>(width) - s.size() : 0, '0') + s;
  };
  return pad(year, 4) + "-" + pad(static_cast<unsigned>(ymd.month()), 2) + "-" + pad(static_cast<unsigned>(ymd.day()), 2);
}

Date add_months(Date d, std::int64_t months) {
  auto [cycles, ymd] = split(d);
  auto more_cycles = floor_div(months, kCycleMonths);
  ymd += chrono::months{months - more_cycles * kCycleMonths};
  if (!ymd.ok()) ymd = ymd.year() / ymd.month() / chrono::last;  // 01-31 + 1 month: the last of February
  return join(cycles + more_cycles, ymd);
}

Date read_date(const assay::sdk::Params& p) {
  auto text = p.str();
  auto d = parse_date(text);
  if (!d) p.fail("expected a date as YYYY-MM-DD, found \"" + text + "\"");
  return *d;
}

}  // namespace device
