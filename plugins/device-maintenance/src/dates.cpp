#include "dates.hpp"

namespace device {

namespace {

struct Civil {
  std::int64_t year;
  unsigned month, day;
};

Civil civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {m <= 2 ? y + 1 : y, m, d};
}

bool leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned last_day(std::int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDays[m - 1];
}

}  // namespace

Date make_date(std::int64_t year, unsigned month, unsigned day) {
  const std::int64_t y = month <= 2 ? year - 1 : year;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return Date{era * 146097 + static_cast<std::int64_t>(doe) - 719468};
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
  if (!y || !m || !d || *m < 1 || *m > 12 || *d < 1 || *d > last_day(*y, *m)) return std::nullopt;
  return make_date(*y, *m, *d);
}

std::string to_string(Date d) {
  auto c = civil_from_days(d.days);
  auto pad = [](std::int64_t v, int width) {
    std::string s = std::to_string(v);
    return std::string(static_cast<std::size_t>(width) > s.size() ? static_cast<std::size_t>(width) - s.size() : 0, '0') + s;
  };
  return pad(c.year, 4) + "-" + pad(c.month, 2) + "-" + pad(c.day, 2);
}

Date add_months(Date d, std::int64_t months) {
  auto c = civil_from_days(d.days);
  std::int64_t index = c.year * 12 + (c.month - 1) + months;
  std::int64_t year = index >= 0 ? index / 12 : (index - 11) / 12;
  auto month = static_cast<unsigned>(index - year * 12 + 1);
  unsigned day = std::min(c.day, last_day(year, month));
  return make_date(year, month, day);
}

Date read_date(const assay::sdk::Params& p) {
  auto text = p.str();
  auto d = parse_date(text);
  if (!d) p.fail("expected a date as YYYY-MM-DD, found \"" + text + "\"");
  return *d;
}

}  // namespace device
