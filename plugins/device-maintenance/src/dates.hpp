// Civil dates for maintenance records: ISO 8601 calendar dates (YYYY-MM-DD) in the proleptic
// Gregorian calendar, counted as days since 1970-01-01 (std::chrono::sys_days).
#pragma once

#include <assay/sdk.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace device {

struct Date {
  std::int64_t days = 0;  // days since 1970-01-01

  friend bool operator==(Date a, Date b) { return a.days == b.days; }
  friend bool operator!=(Date a, Date b) { return a.days != b.days; }
  friend bool operator<(Date a, Date b) { return a.days < b.days; }
  friend bool operator<=(Date a, Date b) { return a.days <= b.days; }
  friend bool operator>(Date a, Date b) { return a.days > b.days; }
  friend bool operator>=(Date a, Date b) { return a.days >= b.days; }
};

/// The date of `year`-`month`-`day`; the caller checks the day exists (see parse_date).
Date make_date(std::int64_t year, unsigned month, unsigned day);
/// "YYYY-MM-DD", exactly ten characters, the day existing in that month (leap years included).
std::optional<Date> parse_date(std::string_view text);
std::string to_string(Date d);
/// `d` plus `months` calendar months; a day past the end of the target month becomes its last
/// day (2025-01-31 + 1 month = 2025-02-28).
Date add_months(Date d, std::int64_t months);
inline Date add_days(Date d, std::int64_t days) { return Date{d.days + days}; }

/// Reads a date param, refused with the pointer when it is not a YYYY-MM-DD date.
Date read_date(const assay::sdk::Params& p);

}  // namespace device
