#include "mpi_records.hpp"

#include <algorithm>
#include <optional>

#include "synth.hpp"

namespace assay::ehr::mpi {

const std::vector<std::string>& variation_kinds() {
  static const std::vector<std::string> v = {"transposed-date", "nickname", "typo"};
  return v;
}

std::string nickname(const std::string& given) {
  static const std::map<std::string, std::string> kNick = {
      {"William", "Bill"},  {"Robert", "Bob"},      {"Elizabeth", "Liz"}, {"Katherine", "Kate"}, {"Margaret", "Peggy"},
      {"Michael", "Mike"},  {"Thomas", "Tom"},      {"Patricia", "Pat"},  {"James", "Jim"},      {"Daniel", "Dan"},
      {"Nicholas", "Nick"}, {"Benjamin", "Ben"},    {"Samuel", "Sam"},    {"Victoria", "Vicky"}, {"Rebecca", "Becky"},
      {"Edward", "Ted"},    {"Charles", "Charlie"}, {"Susan", "Sue"},     {"Kenneth", "Ken"},    {"Peter", "Pete"}};
  auto it = kNick.find(given);
  return it == kNick.end() ? "" : it->second;
}

namespace {

struct Person {
  std::string family, given, sex, zip;
  synth::Date dob;
};

bool has_nickname_person(const Person& p) { return !nickname(p.given).empty(); }

// A date with day and month swapped, or else the day's two digits swapped; none when neither
// gives another real date (a duplicate then varies otherwise). Always the same year. Swapping year digits
// (1984 and 1948) would move a birth by decades, or into the future: a registration clerk does
// not call that the same person (issue 16).
std::optional<synth::Date> transpose(const synth::Date& d) {
  synth::Date t = d;
  if (d.day <= 12 && d.day != d.month) {
    std::swap(t.day, t.month);
    return t;
  }
  int swapped = (d.day % 10) * 10 + d.day / 10;
  if (swapped != d.day && swapped >= 1 && swapped <= synth::days_in_month(d.year, d.month)) {
    t.day = swapped;
    return t;
  }
  return std::nullopt;  // no transposition: another day would be a different date, not a slip a clerk recognises
}

std::string typo(const std::string& s, sdk::Rng& rng) {
  std::string t = s;
  for (int tries = 0; tries < 10 && t == s; ++tries) {
    auto i = 1 + rng.below(s.size() - 2);  // keep the first and last letters
    if (rng.chance(1, 2) && s[i] != s[i + 1]) {
      t = s;
      std::swap(t[i], t[i + 1]);
    } else if (s.size() > 4) {
      t = s.substr(0, i) + s.substr(i + 1);
    }
  }
  return t;
}

}  // namespace

Material generate(const GenOptions& opt, sdk::Rng& rng) {
  std::vector<std::string> surnames = synth::family_names();
  rng.shuffle(surnames);
  int n = static_cast<int>(rng.between(opt.min_persons, opt.max_persons));
  std::vector<Person> people;
  std::set<std::string> zips;
  for (int i = 0; i < n; ++i) {
    Person p;
    p.family = surnames[static_cast<std::size_t>(i)];
    p.sex = rng.chance(1, 2) ? "F" : "M";
    p.given = rng.pick(p.sex == "F" ? synth::given_names_female() : synth::given_names_male());
    p.dob = synth::random_date(rng, 1935, 2015);
    p.zip = synth::digits(rng, 5);
    people.push_back(p);
  }
  std::vector<Record> records;
  std::set<std::string> mrns;
  auto new_mrn = [&]() {
    std::string m;
    do m = synth::digits(rng, 7);
    while (!mrns.insert(m).second);
    return m;
  };
  std::set<std::string> created_dates;
  // A record is created after its patient is born: never in the birth year or before.
  auto new_created = [&](int birth_year) {
    std::string c;
    do c = synth::random_date(rng, std::max(2005, birth_year + 1), 2025).iso();
    while (!created_dates.insert(c).second);
    return c;
  };
  std::vector<int> person_of;
  auto add = [&](const Person& p, int who) {
    auto birth_year = people[static_cast<std::size_t>(who)].dob.year;  // the true date, not a transposed one
    records.push_back({"", new_mrn(), p.family, p.given, p.dob.iso(), p.sex, p.zip, new_created(birth_year)});
    person_of.push_back(who);
  };
  for (int i = 0; i < n; ++i) add(people[static_cast<std::size_t>(i)], i);
  if (opt.twins) {
    // The twin: same family name, birth date and address, another given name: not a duplicate.
    const Person& a = people[0];
    Person t = a;
    t.sex = rng.chance(1, 2) ? "F" : "M";
    do t.given = rng.pick(t.sex == "F" ? synth::given_names_female() : synth::given_names_male());
    while (t.given == a.given || nickname(a.given) == t.given);
    people.push_back(t);
    add(t, static_cast<int>(people.size()) - 1);
  }
  std::set<int> namesakes;
  if (opt.namesakes) {
    // A father and son: same family and given name, sex and address, born a generation apart.
    // Different people, whom a registration clerk keeps apart (or sends to review), never merges.
    Person sr;
    sr.family = surnames[static_cast<std::size_t>(n) % surnames.size()];
    sr.sex = "M";
    sr.given = rng.pick(synth::given_names_male());
    sr.dob = synth::random_date(rng, 1940, 1968);
    sr.zip = synth::digits(rng, 5);
    Person jr = sr;
    jr.dob = synth::random_date(rng, sr.dob.year + 20, sr.dob.year + 38);
    people.push_back(sr);
    add(sr, static_cast<int>(people.size()) - 1);
    namesakes.insert(static_cast<int>(people.size()) - 1);
    people.push_back(jr);
    add(jr, static_cast<int>(people.size()) - 1);
    namesakes.insert(static_cast<int>(people.size()) - 1);
  }
  int dups = static_cast<int>(rng.between(opt.min_duplicates, opt.max_duplicates));
  for (int d = 0; d < dups; ++d) {
    auto who = static_cast<int>(rng.below(static_cast<std::uint64_t>(n)));
    Person p = people[static_cast<std::size_t>(who)];
    std::vector<std::string> kinds = opt.variations;
    if (!has_nickname_person(p)) kinds.erase(std::remove(kinds.begin(), kinds.end(), "nickname"), kinds.end());
    if (!transpose(p.dob)) kinds.erase(std::remove(kinds.begin(), kinds.end(), "transposed-date"), kinds.end());
    if (kinds.empty()) kinds = {"typo"};
    const std::string& kind = rng.pick(kinds);
    if (kind == "transposed-date") p.dob = *transpose(p.dob);
    if (kind == "nickname") p.given = nickname(p.given);
    if (kind == "typo") p.family = typo(p.family, rng);
    add(p, who);
  }
  // Shuffle, then number the records in their shown order.
  std::vector<std::size_t> order(records.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  rng.shuffle(order);
  Material m;
  std::map<int, std::vector<std::string>> groups;
  for (std::size_t k = 0; k < order.size(); ++k) {
    Record r = records[order[k]];
    r.id = "r" + std::to_string(k + 1);
    groups[person_of[order[k]]].push_back(r.id);
    if (namesakes.count(person_of[order[k]])) m.review.insert(r.id);
    m.records.push_back(r);
  }
  for (auto& [who, ids] : groups)
    if (ids.size() > 1) m.truth.push_back(ids);
  return m;
}

std::set<Pair> pairs_of(const Truth& groups) {
  std::set<Pair> out;
  for (auto& g : groups)
    for (std::size_t i = 0; i < g.size(); ++i)
      for (std::size_t j = i + 1; j < g.size(); ++j) out.insert(std::minmax(g[i], g[j]));
  return out;
}

std::string survivor(const std::vector<Record>& records, const std::vector<std::string>& group, bool earliest) {
  const Record* best = nullptr;
  for (auto& id : group) {
    auto it = std::find_if(records.begin(), records.end(), [&](const Record& r) { return r.id == id; });
    if (it == records.end()) continue;
    if (best == nullptr || (earliest ? it->created < best->created : it->created > best->created) ||
        (it->created == best->created && it->id < best->id))
      best = &*it;
  }
  return best == nullptr ? "" : best->id;
}

}  // namespace assay::ehr::mpi
