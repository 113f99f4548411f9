#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "assay/fairness.hpp"

namespace stats = assay::stats;

TEST_CASE("selection rates follow the four-fifths rule with Fisher's exact test", "[stats][fairness]") {
  // Group a: 30 of 80 pass; group b: 70 of 120.
  stats::Matrix m;
  m.items = {"q"};
  m.max = {1};
  std::vector<std::string> group;
  for (int p = 0; p < 200; ++p) {
    const bool in_a = p < 80;
    const bool pass = in_a ? p < 30 : p < 80 + 70;
    m.persons.push_back(std::to_string(p));
    m.cells.push_back(pass ? 1 : 0);
    m.passed.push_back(pass ? 1 : 0);
    group.push_back(in_a ? "a" : "b");
  }
  stats::FairnessOptions options;
  options.min_group = 50;
  auto f = stats::fairness(m, group, m.passed, options);
  REQUIRE(f.rates.size() == 2);
  CHECK(f.reference == "b");  // the largest group
  const auto& a = f.rates[1];
  CHECK(a.group == "a");
  CHECK(a.rate == Approx(0.375));
  CHECK(a.impact_ratio == Approx(0.375 / (70.0 / 120)));
  CHECK(a.adverse_impact);
  // R: fisher.test(matrix(c(30, 70, 50, 50), 2))$p.value
  REQUIRE(a.p_value);
  CHECK(*a.p_value == Approx(0.00593734116601551).margin(1e-10));
  CHECK_FALSE(f.rates[0].adverse_impact);

  options.min_group = 100;  // group a has 80: figures, no flag
  auto small = stats::fairness(m, group, m.passed, options);
  CHECK_FALSE(small.rates[1].judged);
  CHECK_FALSE(small.rates[1].adverse_impact);
}

TEST_CASE("Mantel-Haenszel odds ratio and chi-square equal R's mantelhaen.test", "[stats][fairness][dif]") {
  // Three strata of the total score (1, 2, 3) on item q plus three matching items; per stratum
  // reference right/wrong and focal right/wrong as R's
  //   mantelhaen.test(array(c(20,10,15,15, 30,20,25,25, 12,18,8,22), dim = c(2,2,3)))
  // which gives the common odds ratio 1.70707070707071, X-squared 3.16539682539683 and
  // p 0.0752141550854807.
  struct Stratum {
    int ref_right, focal_right, ref_wrong, focal_wrong;
  };
  const Stratum strata[] = {{20, 10, 15, 15}, {30, 20, 25, 25}, {12, 18, 8, 22}};
  stats::Matrix m;
  m.items = {"q", "m1", "m2", "m3"};
  m.max = {1, 1, 1, 1};
  std::vector<std::string> group;
  auto add = [&](int total, bool right, const std::string& g, int count) {
    for (int c = 0; c < count; ++c) {
      const int rest = right ? total - 1 : total;
      m.persons.push_back(std::to_string(m.persons.size()));
      m.cells.push_back(right ? 1 : 0);
      for (int j = 0; j < 3; ++j) m.cells.push_back(j < rest ? 1 : 0);
      group.push_back(g);
    }
  };
  for (int s = 0; s < 3; ++s) {
    add(s + 1, true, "ref", strata[s].ref_right);
    add(s + 1, false, "ref", strata[s].ref_wrong);
    add(s + 1, true, "focal", strata[s].focal_right);
    add(s + 1, false, "focal", strata[s].focal_wrong);
  }
  stats::FairnessOptions options;
  options.min_group = 10;
  options.pass_percent = 50;
  options.reference = "ref";  // the groups are the same size
  auto f = stats::fairness(m, group, {}, options);
  CHECK(f.matching == "number right");
  REQUIRE(f.reference == "ref");
  const auto& d = f.dif.at(0);
  REQUIRE(d.item == "q");
  REQUIRE(d.alpha_mh);
  CHECK(*d.alpha_mh == Approx(1.70707070707071).margin(1e-9));
  CHECK(*d.chi_square == Approx(3.16539682539683).margin(1e-9));
  CHECK(*d.p_value == Approx(0.0752141550854807).margin(1e-9));
  CHECK(*d.delta_mh == Approx(-2.35 * std::log(1.70707070707071)).margin(1e-9));
  CHECK(d.ets == "A");  // not significant at 0.05
}

TEST_CASE("an item with a uniform DIF of one logit is classed C, and no other", "[stats][fairness][dif]") {
  // Two groups of 1,000 with the same ability distribution; item 7 is one logit harder for the focal group.
  const std::size_t k = 20;
  std::mt19937 rng(17);
  std::normal_distribution<double> ability(0, 1);
  std::uniform_real_distribution<double> u(0, 1);
  stats::Matrix m;
  for (std::size_t i = 0; i < k; ++i) m.items.push_back("q" + std::to_string(i)), m.max.push_back(1);
  std::vector<std::string> group;
  for (std::size_t p = 0; p < 2000; ++p) {
    const bool focal = p % 2;
    const double theta = ability(rng);
    m.persons.push_back(std::to_string(p));
    group.push_back(focal ? "focal" : "reference");
    for (std::size_t i = 0; i < k; ++i) {
      const double b = -2.0 + 4.0 * static_cast<double>(i) / static_cast<double>(k - 1) + (focal && i == 7 ? 1.0 : 0.0);
      m.cells.push_back(u(rng) < 1 / (1 + std::exp(b - theta)) ? 1 : 0);
    }
  }
  auto pooled = GENERATE(false, true);
  CAPTURE(pooled);
  if (pooled)  // each person misses a quarter of the items: matched on the Rasch WLE instead
    for (std::size_t p = 0; p < 2000; ++p)
      for (std::size_t i = 0; i < k; ++i)
        if ((p + i) % 4 == 0) m.cells[p * k + i] = stats::kNotPresented;
  stats::FairnessOptions options;
  options.pass_percent = 50;
  options.reference = "reference";
  auto f = stats::fairness(m, group, {}, options);
  CHECK(f.matching == (pooled ? "Rasch WLE, ten strata of equal size" : "number right"));
  REQUIRE(f.dif.size() == k);
  for (const auto& d : f.dif) {
    CAPTURE(d.item, d.delta_mh, d.se_delta);
    CHECK((d.ets == "C") == (d.item == "q7"));
  }
  CHECK(*f.dif[7].delta_mh < -1.5);  // harder for the focal group
}

TEST_CASE("a groups file names the line of each bad entry", "[stats][fairness]") {
  auto g = stats::read_groups("g.jsonl",
                              "{\"candidate_id\": \"c1\", \"sex\": \"f\"}\n"
                              "{\"candidate_id\": \"c2\"}\n"
                              "{\"sex\": \"m\"}\n"
                              "{\"candidate_id\": \"c3\", \"sex\": 2}\n"
                              "{\"candidate_id\": \"c1\", \"sex\": \"m\"}\n",
                              "sex");
  CHECK(g.group_of == std::map<std::string, std::string>{{"c1", "f"}});
  REQUIRE(g.errors.size() == 3);
  CHECK(g.errors[0].format() == "g.jsonl:3: error: expected a member \"candidate_id\" holding a non-empty string");
  CHECK(g.errors[1].format() == "g.jsonl:4: error: \"sex\": expected a string, found 2");
  CHECK(g.errors[2].format() == "g.jsonl:5: error: candidate 'c1' is listed twice");
}

TEST_CASE("items scored in partial credit get the standardised mean difference", "[stats][fairness][dif]") {
  // One 0..2 item, matched on the Rasch WLE (the design is not all 0/1): in each stratum the
  // focal group earns a quarter of the item's points less than the reference group.
  stats::Matrix m;
  m.items = {"task", "q1", "q2", "q3", "q4"};
  m.max = {2, 1, 1, 1, 1};
  std::vector<std::string> group;
  for (int p = 0; p < 800; ++p) {
    const bool focal = p % 2;
    const int level = (p / 20) % 5;  // 0..4 right of the four 0/1 items, the same for both groups
    m.persons.push_back(std::to_string(p));
    group.push_back(focal ? "focal" : "reference");
    // (p / 10) % 4 cycles within each level: the reference group earns 1 point three times in
    // four, the focal group once in four; nobody earns both points, so the item, dichotomised
    // at full points for the matching, leaves the strata alike for both groups.
    const bool point = ((p / 10) % 4 == 0) == focal;
    m.cells.push_back(point ? 1 : 0);
    for (int j = 0; j < 4; ++j) m.cells.push_back(j < level ? 1 : 0);
  }
  stats::FairnessOptions options;
  options.pass_percent = 50;
  options.reference = "reference";
  auto f = stats::fairness(m, group, {}, options);
  const auto& d = f.dif.at(0);
  REQUIRE(d.item == "task");
  CHECK(d.ets.empty());
  CHECK_FALSE(d.alpha_mh);
  REQUIRE(d.smd);
  CHECK(*d.smd == Approx(-0.25).margin(0.02));
  for (std::size_t i = 1; i < f.dif.size(); ++i) CHECK_FALSE(f.dif[i].smd);
}
