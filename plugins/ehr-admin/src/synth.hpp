// Synthetic people, dates and identifiers for generated material. Every name here is invented
// material drawn from common given names and surnames; no record describes a real patient.
#ifndef ASSAY_EHR_SYNTH_HPP
#define ASSAY_EHR_SYNTH_HPP

#include <assay/sdk.hpp>

#include <string>
#include <vector>

namespace assay::ehr::synth {

struct Date {
  int year = 2000, month = 1, day = 1;
  std::string hl7() const;  ///< YYYYMMDD
  std::string iso() const;  ///< YYYY-MM-DD
  friend bool operator==(const Date& a, const Date& b) { return a.year == b.year && a.month == b.month && a.day == b.day; }
  friend bool operator!=(const Date& a, const Date& b) { return !(a == b); }
};

/// Days in `month` (1-12) of `year` (0-9999), February 29 in leap years.
int days_in_month(int year, int month);
Date random_date(sdk::Rng& rng, int from_year, int to_year);
/// A random string of `n` decimal digits (the first one non-zero).
std::string digits(sdk::Rng& rng, int n);
std::string two(int v);  ///< zero-padded to two digits

const std::vector<std::string>& family_names();
const std::vector<std::string>& given_names_female();
const std::vector<std::string>& given_names_male();
const std::vector<std::string>& cities();
const std::vector<std::string>& streets();

}  // namespace assay::ehr::synth

#endif
