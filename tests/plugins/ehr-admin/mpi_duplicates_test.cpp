#include <catch2/catch.hpp>

#include <cstdlib>
#include <map>
#include <set>

#include "mpi_duplicates.hpp"
#include "properties.hpp"

using assay::ehr::MpiDuplicates;
using assay::sdk::Credit;
using assay::sdk::json;
namespace mpi = assay::ehr::mpi;

namespace {

json rows(std::initializer_list<std::pair<const char*, const char*>> groups, std::initializer_list<const char*> survivors = {}) {
  json r = json::object();
  for (auto& [id, g] : groups) r[id]["group"] = g;
  for (auto* s : survivors) r[s]["survivor"] = "yes";
  return json{{"records", r}};
}

int differences(const mpi::Record& a, const mpi::Record& b) {
  return (a.family != b.family) + (a.given != b.given) + (a.dob != b.dob);
}

}  // namespace

TEST_CASE("mpi-duplicates scores pairs for precision and recall", "[ehr][mpi-duplicates]") {
  auto ex = MpiDuplicates::examples()[0];  // truth: {r1, r2} (nickname), {r4, r5} (typo + transposed date); r3 is a twin
  auto item = MpiDuplicates::prepare(ex.params);
  auto [response, expected] = GENERATE_COPY(table<json, std::vector<Credit>>(
      {{rows({{"r1", "x"}, {"r2", "x"}, {"r4", "y"}, {"r5", "y"}}, {"r1", "r5"}), {{1, 1}, {1, 1}, {1, 1}, {1, 1}}},
       {rows({{"r1", "x"}, {"r2", "x"}}), {{1, 1}, {1, 2}, {0, 2}, {1, 1}}},
       {rows({{"r1", "x"}, {"r2", "x"}, {"r3", "x"}}, {"r1"}),
        {{1, 3}, {1, 2}, {1, 2}, {1, 1}}},                                    // twin merged in: 3 pairs, 1 true
       {rows({{"r1", "x"}, {"r3", "x"}}), {{0, 1}, {0, 2}, {0, 2}, {1, 1}}},  // the twin alone
       {rows({{"r1", "x"}, {"r2", "x"}, {"r4", "x"}, {"r5", "x"}}), {{2, 6}, {2, 2}, {0, 2}, {1, 1}}},  // one big group: 6 pairs
       {rows({{"r1", "x"}, {"r2", "x"}, {"r4", "y"}, {"r5", "y"}}, {"r1", "r2", "r5"}),
        {{1, 1}, {1, 1}, {1, 2}, {1, 1}}},                                      // two survivors in one group
       {rows({{"r1", " X "}, {"r2", "x"}}), {{1, 1}, {1, 2}, {0, 2}, {1, 1}}},  // labels trimmed, case folded
       {rows({{"r1", ""}, {"r2", ""}}), {{0, 1}, {0, 2}, {0, 2}, {1, 1}}},      // blank labels group nothing
       {json::object(), {{0, 1}, {0, 2}, {0, 2}, {1, 1}}}}));
  CAPTURE(response.dump());
  REQUIRE(item.score(ex.seed, response) == expected);
}

TEST_CASE("mpi-duplicates follows the survivor policy param", "[ehr][mpi-duplicates]") {
  auto params = MpiDuplicates::examples()[0].params;
  params["survivor"] = "latest-created";
  auto item = MpiDuplicates::prepare(params);
  REQUIRE(item.score(1, rows({{"r1", "x"}, {"r2", "x"}, {"r4", "y"}, {"r5", "y"}}, {"r2", "r4"}))[2] == Credit::full());
  REQUIRE_THAT(item.present(1)["prompt"].get<std::string>(), Catch::Matchers::Contains("created latest"));
}

TEST_CASE("mpi-duplicates refuses bad params with the key path", "[ehr][mpi-duplicates]") {
  auto fixed = MpiDuplicates::examples()[0].params;
  auto with = [](json p, const std::string& ptr, json v) {
    p[json::json_pointer(ptr)] = std::move(v);
    return p;
  };
  json no_truth = fixed;
  no_truth.erase("truth");
  auto [params, pointer, message] = GENERATE_COPY(table<json, std::string, std::string>(
      {{with(fixed, "/truth/0/1", "r9"), "/truth/0/1", "no record with id \"r9\""},
       {with(fixed, "/truth/1/0", "r1"), "/truth/1/0", "record \"r1\" is in two groups"},
       {with(fixed, "/truth/1", json::array({"r4"})), "/truth/1", "expected a group of at least two record ids"},
       {with(fixed, "/records/2/id", "r1"), "/records/2/id", "duplicate record id \"r1\""},
       {with(fixed, "/records/0/dob", "12/04/1967"), "/records/0/dob", "expected a date as \"YYYY-MM-DD\", found \"12/04/1967\""},
       {with(fixed, "/twins", false), "/twins", "'twins' shapes generated records; remove it or remove 'records'"},
       {no_truth, "", "missing required key 'truth' (the duplicate groups of the fixed records)"},
       {json{{"truth", json::array()}}, "/truth", "'truth' goes with fixed 'records'; generated records carry their own"},
       {json{{"persons", {{"min", 2}, {"max", 5}}}}, "/persons/min", "expected 3 to 20, found 2"},
       {json{{"variations", {"soundex"}}}, "/variations/0",
        "expected one of 'transposed-date', 'nickname', 'typo', found \"soundex\""},
       {json{{"survivor", "oldest"}}, "/survivor", "expected one of 'earliest-created', 'latest-created', found \"oldest\""}}));
  CAPTURE(params.dump());
  auto [ptr, msg] = ehr_test::refusal<MpiDuplicates>(params);
  REQUIRE(ptr == pointer);
  REQUIRE(msg == message);
}

TEST_CASE("generated MPI truth is consistent with the records shown", "[ehr][mpi-duplicates][property]") {
  auto item = MpiDuplicates::prepare(json{{"persons", {{"min", 6}, {"max", 8}}}, {"duplicates", {{"min", 2}, {"max", 4}}}});
  int twins_seen = 0;
  for (auto seed : ehr_test::seeds(300)) {
    CAPTURE(seed);
    auto m = item.material(seed);
    std::map<std::string, const mpi::Record*> by_id;
    std::set<std::string> mrns;
    for (auto& r : m.records) {
      by_id[r.id] = &r;
      REQUIRE(mrns.insert(r.mrn).second);  // every record has its own MRN
    }
    std::map<std::string, int> group_of;
    for (std::size_t g = 0; g < m.truth.size(); ++g)
      for (auto& id : m.truth[g]) group_of[id] = static_cast<int>(g);
    auto pairs = mpi::pairs_of(m.truth);
    REQUIRE(pairs.size() >= 1);
    for (auto& [a, b] : pairs) {
      auto &x = *by_id[a], &y = *by_id[b];
      CAPTURE(a, b);
      REQUIRE(x.zip == y.zip);
      REQUIRE(x.sex == y.sex);
      // Two copies of one person differ by at most one variation each from the original.
      REQUIRE(differences(x, y) <= 2);
      if (x.given != y.given) REQUIRE((mpi::nickname(x.given) == y.given || mpi::nickname(y.given) == x.given));
    }
    // No record is created before its patient is born (a mistyped birth date aside).
    for (auto& r : m.records) {
      bool dob_mistyped = false;
      if (auto g = group_of.find(r.id); g != group_of.end()) {
        for (auto& other : m.truth[static_cast<std::size_t>(g->second)]) dob_mistyped |= by_id[other]->dob != r.dob;
      }
      CAPTURE(r.id, r.dob, r.created);
      if (!dob_mistyped) REQUIRE(r.created.substr(0, 4) > r.dob.substr(0, 4));
    }
    // The twin: same family name, birth date and ZIP, different given names, not one person.
    for (auto& x : m.records)
      for (auto& y : m.records) {
        if (x.id >= y.id || x.family != y.family || x.dob != y.dob || x.zip != y.zip) continue;
        if (x.given == y.given || mpi::nickname(x.given) == y.given || mpi::nickname(y.given) == x.given) continue;
        ++twins_seen;
        REQUIRE_FALSE(pairs.count({x.id, y.id}));
      }
  }
  REQUIRE(twins_seen >= 300);
}

TEST_CASE("mpi-duplicates keeps its properties over many seeds", "[ehr][mpi-duplicates][property]") {
  ehr_test::check_properties<MpiDuplicates>(json::object(), json::object());
  ehr_test::check_properties<MpiDuplicates>(json{{"variations", {"typo"}}, {"twins", false}, {"survivor", "latest-created"}},
                                            json::object());
  auto ex = MpiDuplicates::examples()[0];
  ehr_test::check_properties<MpiDuplicates>(ex.params, ex.alt_secret, 5);
}

TEST_CASE("mpi-duplicates examples earn the credits they declare", "[ehr][mpi-duplicates]") {
  ehr_test::check_examples<MpiDuplicates>();
}

TEST_CASE("a duplicate's birth date keeps its year, and no birth date lies in the future", "[ehr][mpi-duplicates][property]") {
  // Swapping year digits (1984 and 1948) moves a birth by decades, or past today (2015 and
  // 2051): a registration clerk does not call that one person.
  auto item = MpiDuplicates::prepare(
      json{{"persons", {{"min", 6}, {"max", 8}}}, {"duplicates", {{"min", 3}, {"max", 4}}}, {"variations", {"transposed-date"}}});
  int transposed = 0;
  for (auto seed : ehr_test::seeds(300)) {
    CAPTURE(seed);
    auto m = item.material(seed);
    std::map<std::string, const mpi::Record*> by_id;
    for (auto& r : m.records) {
      by_id[r.id] = &r;
      REQUIRE(r.dob.substr(0, 4) <= "2025");
    }
    for (auto& [a, b] : mpi::pairs_of(m.truth)) {
      auto &x = *by_id[a], &y = *by_id[b];
      CAPTURE(x.dob, y.dob);
      REQUIRE(x.dob.substr(0, 4) == y.dob.substr(0, 4));
      if (x.dob == y.dob) continue;
      ++transposed;
      // A transposition a clerk recognises: day and month swapped, or the day's digits swapped;
      // never simply another day (28 for 22), which is another date.
      const std::string xm = x.dob.substr(5, 2), xd = x.dob.substr(8, 2), ym = y.dob.substr(5, 2), yd = y.dob.substr(8, 2);
      const bool months_swapped = xm == yd && xd == ym;
      const bool digits_swapped = xm == ym && xd[0] == yd[1] && xd[1] == yd[0];
      CHECK((months_swapped || digits_swapped));
    }
  }
  REQUIRE(transposed >= 300);
}

TEST_CASE("namesakes a generation apart are two people, never one", "[ehr][mpi-duplicates][property]") {
  auto item = MpiDuplicates::prepare(
      json{{"persons", {{"min", 5}, {"max", 6}}}, {"duplicates", {{"min", 1}, {"max", 2}}}, {"namesakes", true}});
  for (auto seed : ehr_test::seeds(200)) {
    CAPTURE(seed);
    auto m = item.material(seed);
    auto pairs = mpi::pairs_of(m.truth);
    int namesakes = 0;
    for (auto& x : m.records)
      for (auto& y : m.records) {
        if (x.id >= y.id || x.family != y.family || x.given != y.given || x.zip != y.zip) continue;
        int years = std::abs(std::stoi(x.dob.substr(0, 4)) - std::stoi(y.dob.substr(0, 4)));
        if (years < 18) continue;
        ++namesakes;
        REQUIRE_FALSE(pairs.count({x.id, y.id}));  // keyed as two people: merging them is wrong
      }
    REQUIRE(namesakes == 1);
  }
}

TEST_CASE("mpi-duplicates credits sending a father and son to review, not merging them", "[ehr][mpi-duplicates]") {
  auto item = MpiDuplicates::prepare(
      json{{"persons", {{"min", 5}, {"max", 6}}}, {"duplicates", {{"min", 1}, {"max", 2}}}, {"namesakes", true}});
  for (auto seed : ehr_test::seeds(50)) {
    CAPTURE(seed);
    auto m = item.material(seed);
    REQUIRE(m.review.size() == 2);
    json solved = item.solve(seed);
    auto c = item.score(seed, solved);
    REQUIRE(c.size() == 4);
    CHECK(c[3] == Credit::full());
    // Merging the pair instead costs precision and the review criterion.
    json merged = solved;
    for (auto& id : m.review) {
      merged["records"][id].erase("review");
      merged["records"][id]["group"] = "namesakes";
    }
    auto cm = item.score(seed, merged);
    CHECK(cm[0] != Credit::full());
    CHECK(cm[3] == Credit::none());
    CHECK_THAT(item.feedback(seed, merged), Catch::Matchers::Contains("send both to review, never merge them"));
  }
}

TEST_CASE("mpi-duplicates feedback says what two records share and how they differ", "[ehr][mpi-duplicates][feedback]") {
  auto ex = MpiDuplicates::examples()[0];  // Bill/William Dawson; Henry Dawson a twin; Kowalski/Kowalksi, date swapped
  auto item = MpiDuplicates::prepare(ex.params);
  auto text = item.feedback(ex.seed, ex.responses[1].response);  // the twin merged in, the typo missed
  using Catch::Matchers::Contains;
  CHECK_THAT(text, Contains("r4 and r5 are the same person; not grouped (same given name, sex and ZIP; family names Kowalski "
                            "and Kowalksi and birth dates 1980-11-03 and 1980-03-11 (day and month swapped, same year): a "
                            "registration slip, not a second person)"));
  CHECK_THAT(text, Contains("r1 and r3 were grouped but are different people (same family name, birth date, sex and ZIP; "
                            "given names William and Henry): twins share a birth date and a family name"));
}
