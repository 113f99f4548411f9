#include "synth.hpp"

#include <chrono>

namespace assay::ehr::synth {

std::string two(int v) { return (v < 10 ? "0" : "") + std::to_string(v); }

std::string Date::hl7() const { return std::to_string(year) + two(month) + two(day); }
std::string Date::iso() const { return std::to_string(year) + "-" + two(month) + "-" + two(day); }

int days_in_month(int y, int m) {
  auto last = std::chrono::year{y} / std::chrono::month{static_cast<unsigned>(m)} / std::chrono::last;
  return static_cast<int>(static_cast<unsigned>(last.day()));
}

Date random_date(sdk::Rng& rng, int from_year, int to_year) {
  Date d;
  d.year = static_cast<int>(rng.between(from_year, to_year));
  d.month = static_cast<int>(rng.between(1, 12));
  d.day = static_cast<int>(rng.between(1, days_in_month(d.year, d.month)));
  return d;
}

std::string digits(sdk::Rng& rng, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += static_cast<char>('0' + (i == 0 ? rng.between(1, 9) : rng.between(0, 9)));
  return s;
}

const std::vector<std::string>& family_names() {
  static const std::vector<std::string> v = {"Abbott",  "Alvarez",   "Bennett",  "Brennan",   "Castillo",  "Chen",    "Dawson",
                                             "Delgado", "Ellison",   "Farrow",   "Fischer",   "Garrity",   "Hale",    "Hartmann",
                                             "Ingram",  "Jansen",    "Kowalski", "Larsen",    "Lindqvist", "Moreau",  "Nakamura",
                                             "Novak",   "Okafor",    "Oyelaran", "Petrov",    "Quinlan",   "Ramirez", "Santos",
                                             "Tanaka",  "Underwood", "Varga",    "Whitfield", "Yilmaz",    "Zeller"};
  return v;
}
const std::vector<std::string>& given_names_female() {
  static const std::vector<std::string> v = {"Alice",  "Beatrice", "Clara", "Diana",     "Elena",     "Fiona",    "Grace",
                                             "Hannah", "Irene",    "Julia", "Katherine", "Laura",     "Margaret", "Nora",
                                             "Olivia", "Rebecca",  "Susan", "Victoria",  "Elizabeth", "Patricia"};
  return v;
}
const std::vector<std::string>& given_names_male() {
  static const std::vector<std::string> v = {"Aaron", "Benjamin", "Charles", "Daniel",  "Edward", "Francis", "George",
                                             "Henry", "Isaac",    "James",   "Kenneth", "Lucas",  "Michael", "Nicholas",
                                             "Oscar", "Peter",    "Robert",  "Samuel",  "Thomas", "William"};
  return v;
}
const std::vector<std::string>& cities() {
  static const std::vector<std::string> v = {"Springfield", "Riverton", "Lakeside", "Fairview",
                                             "Georgetown",  "Milford",  "Ashland",  "Clinton"};
  return v;
}
const std::vector<std::string>& streets() {
  static const std::vector<std::string> v = {"Mill Lane",    "Harbour Road",  "Oak Street",  "Station Road",
                                             "Cedar Avenue", "Church Street", "Maple Drive", "Elm Court"};
  return v;
}

}  // namespace assay::ehr::synth
