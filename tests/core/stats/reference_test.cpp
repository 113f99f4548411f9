// The stats module against the reference implementations: psych and eRm in R, whose outputs
// tests/fixtures/stats/make_reference.R wrote beside the matrices. Tolerances are absolute, as
// issue 17 sets them: classical figures 1e-4, Rasch CML difficulties and standard errors 1e-3,
// 2PL parameters 1e-2. The Rasch EAPs are held to 1e-4 of make_eap_reference.R's: both integrate
// a smooth posterior (a fixed grid here, adaptive quadrature there) to far better than that, and
// they agree to about 3e-6; the margin covers the two optimisers' stopping rules.
#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>

#include "assay/io.hpp"
#include "assay/rasch.hpp"
#include "assay/stats.hpp"
#include "assay/twopl.hpp"

using nlohmann::json;
namespace stats = assay::stats;

namespace {

constexpr double kClassical = 1e-4;
constexpr double kRasch = 1e-3;
constexpr double k2pl = 1e-2;
constexpr double kEap = 1e-4;

std::string fixture(const std::string& name) { return std::string(ASSAY_TEST_FIXTURES) + "/stats/" + name; }

stats::Matrix matrix(const std::string& name) {
  auto text = assay::io::try_read_file(fixture(name + ".csv"));
  REQUIRE(text.ok());
  auto m = stats::try_read_matrix(name + ".csv", text.value());
  REQUIRE(m.ok());
  return std::move(m.value());
}

json expected(const std::string& name) {
  auto text = assay::io::try_read_file(fixture(name + ".expected.json"));
  REQUIRE(text.ok());
  return json::parse(text.value());
}

stats::Analysis analysis(const std::string& name, stats::Model model = stats::Model::kNone) {
  stats::Options options;
  options.pass_percent = 60;  // as make_reference.R
  options.min_n = 2;          // raschdat2 has 25 persons
  options.model = model;
  return stats::analyse(matrix(name), options);
}

stats::Binary binary(const stats::Matrix& m) {
  stats::Binary b;
  b.persons = m.rows();
  b.items = m.cols();
  for (std::size_t p = 0; p < m.rows(); ++p)
    for (std::size_t i = 0; i < m.cols(); ++i) b.cells.push_back(static_cast<signed char>(m.presented(p, i) ? m.at(p, i) : -1));
  return b;
}

}  // namespace

TEST_CASE("classical figures of a complete design equal psych::alpha's", "[stats][reference]") {
  auto name = GENERATE(as<std::string>{}, "lsat6", "lsat7", "raschdat1", "raschdat3");
  CAPTURE(name);
  auto want = expected(name).at("classical");
  auto got = analysis(name);
  REQUIRE(got.complete);
  REQUIRE(got.items.size() == want.at("items").size());
  for (std::size_t i = 0; i < got.items.size(); ++i) {
    const auto& g = got.items[i];
    const auto& w = want.at("items")[i];
    CAPTURE(g.id);
    REQUIRE(g.id == w.at("id").get<std::string>());
    REQUIRE(g.n == w.at("n").get<std::size_t>());
    CHECK(*g.facility == Approx(w.at("facility").get<double>()).margin(kClassical));
    CHECK(*g.r_it == Approx(w.at("r_it").get<double>()).margin(kClassical));
    CHECK(*g.alpha_if_deleted == Approx(w.at("alpha_if_deleted").get<double>()).margin(kClassical));
    CHECK(*g.discrimination == Approx(w.at("discrimination").get<double>()).margin(kClassical));
  }
  const auto& r = got.reliability;
  CHECK(*r.alpha == Approx(want.at("alpha").get<double>()).margin(kClassical));
  CHECK(r.alpha_ci->first == Approx(want.at("alpha_ci")[0].get<double>()).margin(kClassical));
  CHECK(r.alpha_ci->second == Approx(want.at("alpha_ci")[1].get<double>()).margin(kClassical));
  CHECK(*r.sem == Approx(want.at("sem").get<double>()).margin(kClassical));
  CHECK(*r.cut == Approx(want.at("cut").get<double>()).margin(kClassical));
  CHECK(*r.csem_at_cut == Approx(want.at("csem_at_cut").get<double>()).margin(kClassical));
  CHECK(*r.decision_consistency == Approx(want.at("decision_consistency").get<double>()).margin(kClassical));
}

TEST_CASE("pooled designs use each item's candidates and the rest score as a proportion", "[stats][reference]") {
  auto name = GENERATE(as<std::string>{}, "raschdat2", "raschdat4", "lsat7");
  CAPTURE(name);
  auto want = expected(name).at("pooled");
  auto got = analysis(name);
  REQUIRE(got.items.size() == want.size());
  for (std::size_t i = 0; i < got.items.size(); ++i) {
    const auto& g = got.items[i];
    const auto& w = want[i];
    CAPTURE(g.id);
    REQUIRE(g.n == w.at("n").get<std::size_t>());
    CHECK(*g.facility == Approx(w.at("facility").get<double>()).margin(kClassical));
    CHECK(*g.r_it == Approx(w.at("r_it").get<double>()).margin(kClassical));
    CHECK(*g.discrimination == Approx(w.at("discrimination").get<double>()).margin(kClassical));
  }
  if (!got.complete) {
    CHECK_FALSE(got.reliability.alpha);
    CHECK_FALSE(got.items[0].alpha_if_deleted);
  }
}

TEST_CASE("Rasch CML difficulties and standard errors equal eRm::RM's", "[stats][reference][rasch]") {
  auto name = GENERATE(as<std::string>{}, "lsat6", "lsat7", "raschdat1", "raschdat2", "raschdat3", "raschdat4");
  CAPTURE(name);
  auto want = expected(name).at("rasch");
  auto got = analysis(name, stats::Model::kRasch);
  REQUIRE(got.fit);
  CHECK(got.fit->converged);
  CHECK(got.fit->log_likelihood == Approx(want.at("loglik").get<double>()).margin(kRasch));
  REQUIRE(got.items.size() == want.at("b").size());
  for (std::size_t i = 0; i < got.items.size(); ++i) {
    const auto& g = got.items[i];
    CAPTURE(g.id);
    REQUIRE(g.model);
    CHECK(g.model->b == Approx(want.at("b")[i].get<double>()).margin(kRasch));
    CHECK(g.model->se_b == Approx(want.at("se_b")[i].get<double>()).margin(kRasch));
  }
}

TEST_CASE("the Rasch scale's ability and SEM at the pass mark follow from eRm's difficulties", "[stats][reference][rasch]") {
  auto name = GENERATE(as<std::string>{}, "lsat6", "lsat7", "raschdat1", "raschdat3");
  CAPTURE(name);
  auto want = expected(name).at("rasch");
  auto got = analysis(name, stats::Model::kRasch);
  const auto& r = got.reliability;
  CHECK(r.typical_form_items == got.items.size());
  REQUIRE(r.theta_cut);
  CHECK(*r.theta_cut == Approx(want.at("theta_cut").get<double>()).margin(kRasch));
  CHECK(*r.model_csem_at_cut == Approx(want.at("csem_at_cut").get<double>()).margin(kRasch));
  REQUIRE(r.test_information.size() == 17);
  CHECK(r.test_information.front().first == -4.0);
}

TEST_CASE("Rasch infit and outfit mean squares equal eRm::itemfit's", "[stats][reference][rasch]") {
  auto name = GENERATE(as<std::string>{}, "lsat6", "lsat7", "raschdat1", "raschdat2", "raschdat3", "raschdat4");
  CAPTURE(name);
  auto want = expected(name).at("rasch");
  auto got = analysis(name, stats::Model::kRasch);
  for (std::size_t i = 0; i < got.items.size(); ++i) {
    const auto& g = got.items[i];
    CAPTURE(g.id);
    REQUIRE(g.model);
    CHECK(*g.model->infit == Approx(want.at("infit")[i].get<double>()).margin(kRasch));
    CHECK(*g.model->outfit == Approx(want.at("outfit")[i].get<double>()).margin(kRasch));
  }
}

TEST_CASE("2PL MML estimates and standard errors equal a direct maximisation of the marginal likelihood",
          "[stats][reference][2pl]") {
  auto name = GENERATE(as<std::string>{}, "lsat6", "lsat7", "raschdat3", "raschdat4");
  CAPTURE(name);
  auto want = expected(name).at("twopl");
  auto fit = stats::fit_2pl(binary(matrix(name)));
  REQUIRE(fit.converged);
  CHECK(fit.log_likelihood == Approx(want.at("loglik").get<double>()).margin(k2pl));
  for (std::size_t i = 0; i < fit.a.size(); ++i) {
    CAPTURE(i);
    CHECK(fit.a[i] == Approx(want.at("a")[i].get<double>()).margin(k2pl));
    CHECK(fit.d[i] == Approx(want.at("d")[i].get<double>()).margin(k2pl));
    CHECK(fit.se_a[i] == Approx(want.at("se_a")[i].get<double>()).margin(k2pl));
    CHECK(fit.se_d[i] == Approx(want.at("se_d")[i].get<double>()).margin(k2pl));
  }
  // EAPs and their posterior SDs of persons spread over the rows, and the EAP reliability.
  for (std::size_t j = 0; j < want.at("eap_persons").size(); ++j) {
    const auto p = want.at("eap_persons")[j].get<std::size_t>();
    CAPTURE(p);
    CHECK(fit.eap[p] == Approx(want.at("eap")[j].get<double>()).margin(k2pl));
    CHECK(fit.se_eap[p] == Approx(want.at("se_eap")[j].get<double>()).margin(k2pl));
  }
  CHECK(fit.marginal_reliability == Approx(want.at("marginal_reliability").get<double>()).margin(k2pl));
  if (want.contains("theta_cut")) {
    auto got = analysis(name, stats::Model::k2pl);
    REQUIRE(got.reliability.theta_cut);
    CHECK(*got.reliability.theta_cut == Approx(want.at("theta_cut").get<double>()).margin(k2pl));
    CHECK(*got.reliability.model_csem_at_cut == Approx(want.at("csem_at_cut").get<double>()).margin(k2pl));
  }
}

TEST_CASE("2PL MML on LSAT-7 gives mirt's published estimates", "[stats][reference][2pl]") {
  // mirt(expand.table(LSAT7), 1): slopes a1 and intercepts d as mirt's own tests hold them
  // (philchalmers/mirt, tests of dichotomous models, tolerance 1e-2).
  const std::vector<double> a = {0.988, 1.081, 1.706, 0.7651, 0.7358};
  const std::vector<double> d = {1.8561, 0.808, 1.8043, 0.486, 1.8545};
  auto fit = stats::fit_2pl(binary(matrix("lsat7")));
  REQUIRE(fit.converged);
  for (std::size_t i = 0; i < a.size(); ++i) {
    CAPTURE(i);
    CHECK(fit.a[i] == Approx(a[i]).margin(k2pl));
    CHECK(fit.d[i] == Approx(d[i]).margin(k2pl));
    CHECK(fit.b[i] == Approx(-d[i] / a[i]).margin(k2pl));
  }
  CHECK(fit.marginal_reliability > 0);
  CHECK(fit.marginal_reliability < 1);
}

TEST_CASE("Rasch EAPs, their posterior SDs and the prior equal an independent computation in R",
          "[stats][reference][rasch][eap]") {
  auto name = GENERATE(as<std::string>{}, "lsat7", "raschdat1", "raschdat4");
  CAPTURE(name);
  auto text = assay::io::try_read_file(fixture(name + ".eap.json"));
  REQUIRE(text.ok());
  auto want = json::parse(text.value());
  auto fit = stats::fit_rasch(binary(matrix(name)));
  REQUIRE(fit.converged);
  CHECK(fit.eap_converged);
  CHECK(fit.prior_mean == Approx(want.at("prior_mean").get<double>()).margin(kEap));
  CHECK(fit.prior_sd == Approx(want.at("prior_sd").get<double>()).margin(kEap));
  std::size_t with_eap = 0;
  for (double e : fit.eap) with_eap += std::isnan(e) ? 0 : 1;
  REQUIRE(with_eap == want.at("persons").size());
  for (const auto& w : want.at("persons")) {
    const auto p = w.at("row").get<std::size_t>();
    CAPTURE(p);
    CHECK(fit.eap[p] == Approx(w.at("eap").get<double>()).margin(kEap));
    CHECK(fit.se_eap[p] == Approx(w.at("se").get<double>()).margin(kEap));
  }
}
