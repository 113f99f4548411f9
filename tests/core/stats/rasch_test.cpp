#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "assay/rasch.hpp"

namespace stats = assay::stats;

TEST_CASE("elementary symmetric functions are the sums of products of subsets", "[stats][rasch]") {
  // (1 + x)(1 + 2x)(1 + 3x) = 1 + 6x + 11x^2 + 6x^3
  auto g = stats::elementary_symmetric({1, 2, 3});
  REQUIRE(g.size() == 4);
  CHECK(g[0] == Approx(1));
  CHECK(g[1] == Approx(6));
  CHECK(g[2] == Approx(11));
  CHECK(g[3] == Approx(6));
}

namespace {

// Persons x items simulated from the Rasch model with the given difficulties.
stats::Binary simulate(std::size_t persons, const std::vector<double>& b, unsigned seed, double missing = 0) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> ability(0, 1);
  std::uniform_real_distribution<double> u(0, 1);
  stats::Binary x;
  x.persons = persons;
  x.items = b.size();
  for (std::size_t p = 0; p < persons; ++p) {
    const double theta = ability(rng);
    for (double bi : b) {
      const double pr = 1 / (1 + std::exp(bi - theta));
      const bool right = u(rng) < pr;
      x.cells.push_back(u(rng) < missing ? -1 : static_cast<signed char>(right));
    }
  }
  return x;
}

}  // namespace

TEST_CASE("CML recovers simulated difficulties within their standard errors", "[stats][rasch]") {
  const std::vector<double> b = {-1.5, -0.5, 0, 0.5, 1.5, -1, 1};
  auto missing = GENERATE(0.0, 0.4);
  CAPTURE(missing);
  auto fit = stats::fit_rasch(simulate(3000, b, 7, missing));
  REQUIRE(fit.converged);
  for (std::size_t i = 0; i < b.size(); ++i) {
    CAPTURE(i);
    CHECK(std::abs(fit.b[i] - b[i]) < 4 * fit.se_b[i]);
    CHECK(fit.se_b[i] > 0.02);
    CHECK(fit.se_b[i] < 0.15);
    // Data that fit: mean squares in the range usually read as productive (0.7 to 1.3); with ML
    // person estimates on seven items they run below 1 (eRm's agree: reference_test.cpp).
    CHECK(fit.infit[i] > 0.7);
    CHECK(fit.infit[i] < 1.3);
    CHECK(fit.outfit[i] > 0.7);
    CHECK(fit.outfit[i] < 1.3);
  }
  double sum = 0;
  for (double v : fit.b) sum += v;
  CHECK(sum == Approx(0).margin(1e-9));
}

TEST_CASE("items all or none got right are reported and left out of the fit", "[stats][rasch]") {
  auto x = simulate(200, {-1, 0, 1, 0.5}, 3);
  x.items = 6;
  std::vector<signed char> wide;
  for (std::size_t p = 0; p < x.persons; ++p) {
    for (std::size_t i = 0; i < 4; ++i) wide.push_back(x.cells[p * 4 + i]);
    wide.push_back(1);  // item 4: everyone right
    wide.push_back(0);  // item 5: no one right
  }
  x.cells = wide;
  auto fit = stats::fit_rasch(x);
  REQUIRE(fit.converged);
  CHECK(fit.left_out[4] == "all_correct");
  CHECK(fit.left_out[5] == "none_correct");
  CHECK(std::isnan(fit.b[4]));
  CHECK(fit.b[0] + fit.b[1] + fit.b[2] + fit.b[3] == Approx(0).margin(1e-9));
}

TEST_CASE("person WLEs solve Warm's weighted likelihood equation, extreme scores included", "[stats][rasch]") {
  auto x = simulate(500, {-1, -0.5, 0, 0.5, 1}, 11);
  auto fit = stats::fit_rasch(x);
  REQUIRE(fit.converged);
  for (std::size_t p = 0; p < x.persons; ++p) {
    const double th = fit.theta[p];
    REQUIRE(std::isfinite(th));
    double r = 0, info = 0, third = 0, expected = 0;
    for (std::size_t i = 0; i < x.items; ++i) {
      r += x.at(p, i);
      const double pr = 1 / (1 + std::exp(fit.b[i] - th));
      expected += pr;
      info += pr * (1 - pr);
      third += pr * (1 - pr) * (1 - 2 * pr);
    }
    CAPTURE(p, r);
    REQUIRE(r - expected + third / (2 * info) == Approx(0).margin(1e-8));
    REQUIRE(fit.se_theta[p] == Approx(1 / std::sqrt(info)));
  }
  CHECK(fit.person_separation > 0);
  CHECK(fit.person_separation < 1);
}

TEST_CASE("CML stays accurate on long tests, where the second-order functions span many magnitudes", "[stats][rasch]") {
  std::vector<double> b;
  for (int i = 0; i < 80; ++i) b.push_back(-2.5 + 5.0 * i / 79.0);
  double mean = 0;
  for (double v : b) mean += v / 80;
  for (double& v : b) v -= mean;
  auto fit = stats::fit_rasch(simulate(2000, b, 23));
  REQUIRE(fit.converged);
  for (std::size_t i = 0; i < b.size(); ++i) {
    CAPTURE(i);
    REQUIRE(std::isfinite(fit.se_b[i]));
    CHECK(std::abs(fit.b[i] - b[i]) < 4 * fit.se_b[i]);
  }
}

TEST_CASE("Rasch EAPs use a normal prior estimated from the persons", "[stats][rasch][eap]") {
  // Abilities drawn from N(0, 1): the prior's estimate finds them, pooled forms alike.
  auto missing = GENERATE(0.0, 0.3);
  CAPTURE(missing);
  auto x = simulate(2000, {-1.5, -1, -0.5, 0, 0.5, 1, 1.5, 0.25, -0.25, 0.75}, 11, missing);
  auto fit = stats::fit_rasch(x);
  REQUIRE(fit.converged);
  CHECK(fit.eap_converged);
  // On the CML scale the difficulties sum to 0: abilities of mean 0 sit at minus their mean, 0.075.
  CHECK(fit.prior_mean == Approx(-0.075).margin(0.1));
  CHECK(fit.prior_sd == Approx(1).margin(0.1));
  double n = 0, eap = 0, eap2 = 0, post_var = 0, wle = 0, wle2 = 0;
  for (std::size_t p = 0; p < x.persons; ++p) {
    if (std::isnan(fit.eap[p])) continue;
    n += 1;
    eap += fit.eap[p], eap2 += fit.eap[p] * fit.eap[p], post_var += fit.se_eap[p] * fit.se_eap[p];
    wle += fit.theta[p], wle2 += fit.theta[p] * fit.theta[p];
    CHECK(fit.se_eap[p] > 0);
    CHECK(fit.se_eap[p] < fit.se_theta[p]);  // the prior adds information
  }
  // The EM's fixed point: the persons' posteriors average to the prior.
  CHECK(eap / n == Approx(fit.prior_mean).margin(1e-6));
  CHECK(eap2 / n - (eap / n) * (eap / n) + post_var / n == Approx(fit.prior_sd * fit.prior_sd).margin(1e-6));
  // Shrunk towards the prior's mean: the EAPs vary less than the WLEs.
  CHECK(eap2 / n - (eap / n) * (eap / n) < wle2 / n - (wle / n) * (wle / n));
}

TEST_CASE("a person presented no item fitted has no EAP", "[stats][rasch][eap]") {
  stats::Binary x;
  x.persons = 4;
  x.items = 3;
  x.cells = {1, 0, 1, 0, 1, 0, 1, 1, 0, -1, -1, -1};
  auto fit = stats::fit_rasch(x);
  CHECK(std::isnan(fit.eap[3]));
  CHECK(std::isnan(fit.se_eap[3]));
  CHECK_FALSE(std::isnan(fit.eap[0]));
}
