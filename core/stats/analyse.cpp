// Classical item analysis, distractors, flags and reliability (docs/formats.md, "Stats v1").
#include <algorithm>
#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/fisher_f.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>

#include "assay/rasch.hpp"
#include "assay/stats.hpp"
#include "assay/twopl.hpp"

#include "linalg.hpp"

namespace assay::stats {

namespace {

// The thresholds of the flags, documented in docs/formats.md.
constexpr double kTooEasy = 0.90;         // facility above
constexpr double kTooHard = 0.20;         // facility below
constexpr double kNonFunctioning = 0.05;  // a distractor chosen by fewer
constexpr double kGroupShare = 0.27;      // upper and lower groups (Kelley 1939)
using detail::kNaN;

double pearson(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  if (x.size() < 2) return std::nan("");
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < x.size(); ++i) mx += x[i], my += y[i];
  mx /= n, my /= n;
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  if (sxx <= 0 || syy <= 0) return std::nan("");
  return sxy / std::sqrt(sxx * syy);
}

std::optional<double> finite(double v) {
  if (std::isfinite(v)) return v;
  return std::nullopt;
}

// Cronbach's alpha from the item variances and the total's variance.
double alpha_of(double k, double sum_item_var, double total_var) {
  if (k < 2 || total_var <= 0) return std::nan("");
  return k / (k - 1) * (1 - sum_item_var / total_var);
}

void options_and_flags(const Matrix& m, std::size_t i, const std::vector<double>& rest, ItemStats& out) {
  const auto& chosen = m.choices[i];
  struct Acc {
    std::size_t n = 0;
    double credit = 0, rest = 0, rest2 = 0;
    std::size_t rest_n = 0;
    double var() const {  // sample variance of the choosers' rest scores
      const double n = static_cast<double>(rest_n);
      return rest_n > 1 ? (rest2 - rest * rest / n) / (n - 1) : 0.0;
    }
  };
  std::map<std::string, Acc> acc;
  for (std::size_t p = 0; p < m.rows(); ++p) {
    if (!m.presented(p, i) || chosen[p].empty()) continue;
    auto& a = acc[chosen[p]];
    ++a.n;
    a.credit += m.at(p, i) / m.max[i];
    if (!std::isnan(rest[p])) a.rest += rest[p], a.rest2 += rest[p] * rest[p], ++a.rest_n;
  }
  if (acc.empty()) return;
  // The key is the option whose choosers earned the most of the item's points.
  std::string key;
  double best = -1;
  for (const auto& [id, a] : acc)
    if (a.credit / static_cast<double>(a.n) > best) best = a.credit / static_cast<double>(a.n), key = id;
  for (const auto& [id, a] : acc) {
    OptionStats o;
    o.id = id;
    o.n = a.n;
    o.share = static_cast<double>(a.n) / static_cast<double>(out.n);
    o.mean_rest = a.rest_n ? a.rest / static_cast<double>(a.rest_n) : std::nan("");
    o.key = id == key;
    o.functioning = o.key || o.share >= kNonFunctioning;
    out.options.push_back(o);
  }
  if (!out.judged) return;
  const auto key_it = std::find_if(out.options.begin(), out.options.end(), [](const OptionStats& o) { return o.key; });
  const Acc& k = acc.at(key);
  bool miskey = false, non_functioning = false;
  for (const auto& o : out.options) {
    if (o.key) continue;
    if (!o.functioning) non_functioning = true;
    // A possible miskey: the distractor's choosers outscore the key's on the other items, beyond
    // chance (Welch's t-test, one-sided at 0.05), so a handful of lucky choosers raise no flag.
    const Acc& d = acc.at(o.id);
    if (!o.functioning || d.rest_n < 2 || k.rest_n < 2 || !(o.mean_rest > key_it->mean_rest)) continue;
    const double vd = d.var() / double(d.rest_n), vk = k.var() / double(k.rest_n);
    if (vd + vk <= 0) {
      miskey = true;
      continue;
    }
    const double t = (o.mean_rest - key_it->mean_rest) / std::sqrt(vd + vk);
    const double df = (vd + vk) * (vd + vk) / (vd * vd / double(d.rest_n - 1) + vk * vk / double(k.rest_n - 1));
    if (boost::math::cdf(boost::math::complement(boost::math::students_t(df), t)) < 0.05) miskey = true;
  }
  if (miskey) out.flags.push_back("possible_miskey");
  if (non_functioning) out.flags.push_back("non_functioning_distractor");
}

// The test information function and the conditional SEM at the pass mark of a typical form: the
// median number L of fitted items presented to a person, each with the average information of the
// items fitted, so I_form(theta) = L / k x sum of the item informations. The ability at the pass
// mark is where the expected proportion right over the items fitted reaches the pass percent.
void scale_at_cut(const Matrix& m, const std::vector<double>& slope, const std::vector<double>& intercept,
                  const std::vector<std::size_t>& fitted_item, const std::optional<double>& pass, Reliability& rel) {
  const std::size_t k = slope.size();
  if (k == 0) return;
  std::vector<std::size_t> per_person;
  for (std::size_t p = 0; p < m.rows(); ++p) {
    std::size_t n = 0;
    for (auto i : fitted_item) n += m.presented(p, i) ? 1 : 0;
    if (n) per_person.push_back(n);
  }
  if (per_person.empty()) return;
  std::nth_element(per_person.begin(), per_person.begin() + static_cast<long>(per_person.size() / 2), per_person.end());
  rel.typical_form_items = per_person[per_person.size() / 2];
  const double scale = static_cast<double>(rel.typical_form_items) / static_cast<double>(k);
  auto info = [&](double theta) {
    double sum = 0;
    for (std::size_t j = 0; j < k; ++j) {
      const double p = 1 / (1 + std::exp(-(slope[j] * theta + intercept[j])));
      sum += slope[j] * slope[j] * p * (1 - p);
    }
    return scale * sum;
  };
  for (int g = -8; g <= 8; ++g) rel.test_information.emplace_back(g * 0.5, info(g * 0.5));
  if (!pass) return;
  const double target = *pass / 100.0;
  double lo = -10, hi = 10;
  auto expected = [&](double theta) {
    double sum = 0;
    for (std::size_t j = 0; j < k; ++j) sum += 1 / (1 + std::exp(-(slope[j] * theta + intercept[j])));
    return sum / static_cast<double>(k);
  };
  if (target <= expected(lo) || target >= expected(hi)) return;
  for (int it = 0; it < 200; ++it) {
    const double mid = (lo + hi) / 2;
    (expected(mid) < target ? lo : hi) = mid;
  }
  rel.theta_cut = (lo + hi) / 2;
  rel.model_csem_at_cut = 1 / std::sqrt(info(*rel.theta_cut));
}

}  // namespace

Analysis analyse(const Matrix& m, const Options& options) {
  Analysis an;
  const std::size_t n = m.rows(), k = m.cols();
  an.persons = n;
  an.min_n = options.min_n;
  an.complete = m.complete();
  an.model = options.model;
  an.dichotomous = true;
  for (std::size_t p = 0; p < n; ++p)
    for (std::size_t i = 0; i < k; ++i)
      if (m.presented(p, i) && (m.max[i] != 1 || (m.at(p, i) != 0 && m.at(p, i) != 1))) an.dichotomous = false;

  // Each person's points and maximum over the items presented to them.
  std::vector<double> total(n, 0.0), most(n, 0.0);
  for (std::size_t p = 0; p < n; ++p)
    for (std::size_t i = 0; i < k; ++i)
      if (m.presented(p, i)) total[p] += m.at(p, i), most[p] += m.max[i];

  // Complete designs: variances for alpha and alpha if deleted (n - 1 denominators, as psych).
  std::vector<double> item_var(k, 0.0), cov_total(k, 0.0);
  double total_var = 0, sum_item_var = 0;
  if (an.complete && n >= 2) {
    const double mt = std::accumulate(total.begin(), total.end(), 0.0) / static_cast<double>(n);
    for (std::size_t p = 0; p < n; ++p) total_var += (total[p] - mt) * (total[p] - mt);
    total_var /= static_cast<double>(n - 1);
    for (std::size_t i = 0; i < k; ++i) {
      double mi = 0;
      for (std::size_t p = 0; p < n; ++p) mi += m.at(p, i);
      mi /= static_cast<double>(n);
      for (std::size_t p = 0; p < n; ++p) {
        item_var[i] += (m.at(p, i) - mi) * (m.at(p, i) - mi);
        cov_total[i] += (m.at(p, i) - mi) * (total[p] - mt);
      }
      item_var[i] /= static_cast<double>(n - 1);
      cov_total[i] /= static_cast<double>(n - 1);
      sum_item_var += item_var[i];
    }
  }

  std::vector<double> rest(n);
  for (std::size_t i = 0; i < k; ++i) {
    ItemStats it;
    it.id = m.items[i];
    it.max = m.max[i];
    std::vector<std::size_t> who;
    for (std::size_t p = 0; p < n; ++p)
      if (m.presented(p, i)) who.push_back(p);
    it.n = who.size();
    it.judged = it.n >= std::max<std::size_t>(options.min_n, 2);
    // The rest score: the proportion of points on the other items the person was presented.
    for (std::size_t p = 0; p < n; ++p) {
      const double other = most[p] - (m.presented(p, i) ? m.max[i] : 0.0);
      rest[p] = other > 0 ? (total[p] - (m.presented(p, i) ? m.at(p, i) : 0.0)) / other : std::nan("");
    }
    if (it.judged) {
      std::vector<double> x, r;
      double sum = 0;
      for (auto p : who) {
        sum += m.at(p, i) / m.max[i];
        if (std::isnan(rest[p])) continue;
        x.push_back(m.at(p, i));
        r.push_back(rest[p]);
      }
      it.facility = sum / static_cast<double>(it.n);
      it.r_it = finite(pearson(x, r));
      // Upper and lower 27 % by the proportion of points on everything presented; ties are
      // broken by the order of the persons in the input, so the result is deterministic.
      std::vector<std::size_t> order = who;
      std::stable_sort(order.begin(), order.end(),
                       [&](std::size_t a, std::size_t b) { return total[a] / most[a] < total[b] / most[b]; });
      const auto g = std::max<std::size_t>(1, static_cast<std::size_t>(std::floor(kGroupShare * double(it.n) + 0.5)));
      double low = 0, high = 0;
      for (std::size_t j = 0; j < g; ++j) {
        low += m.at(order[j], i) / m.max[i];
        high += m.at(order[order.size() - 1 - j], i) / m.max[i];
      }
      it.discrimination = (high - low) / static_cast<double>(g);
      if (an.complete && k >= 3) {
        const double var_without = total_var - 2 * cov_total[i] + item_var[i];
        it.alpha_if_deleted = finite(alpha_of(double(k - 1), sum_item_var - item_var[i], var_without));
      }
      if (*it.facility > kTooEasy) it.flags.push_back("too_easy");
      if (*it.facility < kTooHard) it.flags.push_back("too_hard");
      if (it.r_it && *it.r_it < 0) it.flags.push_back("negative_discrimination");
    } else {
      it.flags.push_back("too_few_to_judge");
    }
    if (!m.choices.empty() && !m.choices[i].empty()) options_and_flags(m, i, rest, it);
    an.items.push_back(std::move(it));
  }

  // Criteria of performance tasks: the same figures on the criterion's points, against the rest
  // score without the whole item.
  for (const auto& c : m.criteria) {
    CriterionStats cs;
    cs.item = m.items[c.item];
    cs.id = c.id;
    cs.max = c.max;
    std::vector<std::size_t> who;
    for (std::size_t p = 0; p < n; ++p)
      if (!std::isnan(c.earned[p])) who.push_back(p);
    cs.n = who.size();
    cs.judged = cs.n >= std::max<std::size_t>(options.min_n, 2) && c.max > 0;
    if (!cs.judged) {
      cs.flags.push_back("too_few_to_judge");
      an.criteria.push_back(std::move(cs));
      continue;
    }
    std::vector<double> x, r;
    double sum = 0;
    for (auto p : who) {
      sum += c.earned[p] / c.max;
      const bool on = m.presented(p, c.item);
      const double other = most[p] - (on ? m.max[c.item] : 0.0);
      if (other <= 0) continue;
      x.push_back(c.earned[p]);
      r.push_back((total[p] - (on ? m.at(p, c.item) : 0.0)) / other);
    }
    cs.facility = sum / static_cast<double>(cs.n);
    cs.r_it = finite(pearson(x, r));
    std::vector<std::size_t> order = who;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return total[a] / most[a] < total[b] / most[b]; });
    const auto g = std::max<std::size_t>(1, static_cast<std::size_t>(std::floor(kGroupShare * double(cs.n) + 0.5)));
    double low = 0, high = 0;
    for (std::size_t j = 0; j < g; ++j) {
      low += c.earned[order[j]] / c.max;
      high += c.earned[order[order.size() - 1 - j]] / c.max;
    }
    cs.discrimination = (high - low) / static_cast<double>(g);
    if (*cs.facility > kTooEasy) cs.flags.push_back("too_easy");
    if (*cs.facility < kTooHard) cs.flags.push_back("too_hard");
    if (cs.r_it && *cs.r_it < 0) cs.flags.push_back("negative_discrimination");
    an.criteria.push_back(std::move(cs));
  }

  // Reliability of the total on a complete design.
  auto& rel = an.reliability;
  const std::optional<double> pass = options.pass_percent ? options.pass_percent : m.pass_percent;
  if (!an.complete) {
    rel.note = "pooled forms: alpha needs every person to see every item; --model rasch gives the person separation reliability";
  } else if (n < std::max<std::size_t>(options.min_n, 2) || k < 2) {
    rel.note = "too few persons or items to judge";
  } else if (total_var <= 0) {
    rel.note = "every person has the same total: no variance to judge reliability by";
  } else {
    const double a = alpha_of(double(k), sum_item_var, total_var);
    rel.alpha = a;
    // Feldt (1965): (1 - alpha) / (1 - alpha_hat) follows F(n - 1, (n - 1)(k - 1)).
    boost::math::fisher_f f(double(n - 1), double((n - 1) * (k - 1)));
    const double g = 1 - options.ci_level;
    rel.alpha_ci = std::pair{1 - (1 - a) * boost::math::quantile(f, 1 - g / 2), 1 - (1 - a) * boost::math::quantile(f, g / 2)};
    rel.sem = std::sqrt(total_var) * std::sqrt(std::max(0.0, 1 - a));
    if (pass) {
      const double max_total = std::accumulate(m.max.begin(), m.max.end(), 0.0);
      const double cut = *pass / 100.0 * max_total;
      rel.cut = cut;
      if (an.dichotomous) {
        const double kk = double(k);
        // Lord (1955, 1957) binomial error model: CSEM(x) = sqrt(x (k - x) / (k - 1)).
        rel.csem_at_cut = std::sqrt(std::max(0.0, cut * (kk - cut) / (kk - 1)));
        // Subkoviak (1976): true proportions by Kelley's regression with KR-21, binomial error;
        // the chance of the same decision on two parallel administrations, averaged.
        const double mean = std::accumulate(total.begin(), total.end(), 0.0) / double(n);
        const double kr21 = kk / (kk - 1) * (1 - mean * (kk - mean) / (kk * total_var));
        const double r = std::clamp(kr21, 0.0, 1.0);
        const double c = std::ceil(cut - 1e-9);  // fewest right answers that pass
        double sum = 0;
        for (std::size_t p = 0; p < n; ++p) {
          const double tau = std::clamp(r * total[p] / kk + (1 - r) * mean / kk, 0.0, 1.0);
          double pp;
          if (c <= 0)
            pp = 1;
          else if (c > kk)
            pp = 0;
          else
            pp = boost::math::cdf(boost::math::complement(boost::math::binomial(kk, tau), c - 1));
          sum += pp * pp + (1 - pp) * (1 - pp);
        }
        rel.decision_consistency = sum / double(n);
      } else {
        rel.note = "the conditional SEM and decision consistency need 0/1 items (binomial error model)";
      }
    } else {
      rel.note = "no pass mark: give --pass-percent for the conditional SEM and decision consistency";
    }
  }

  if (options.model != Model::kNone) {
    // Dichotomised: full points is 1, anything less 0.
    Binary bin;
    bin.persons = n;
    bin.items = k;
    bin.cells.resize(n * k);
    for (std::size_t p = 0; p < n; ++p)
      for (std::size_t i = 0; i < k; ++i) bin.cells[p * k + i] = !m.presented(p, i) ? -1 : (m.at(p, i) >= m.max[i] ? 1 : 0);
    ModelSummary s;
    std::vector<double> slope, intercept;  // P = 1 / (1 + exp(-(slope theta + intercept)))
    std::vector<std::size_t> fitted_item;
    if (options.model == Model::kRasch) {
      auto fit = fit_rasch(bin);
      s.converged = fit.converged;
      s.iterations = fit.iterations;
      s.log_likelihood = fit.log_likelihood;
      for (std::size_t i = 0; i < k; ++i) {
        an.items[i].left_out = fit.left_out[i];
        // An item too few saw is in the fit (it links the forms) but its estimate is not shown.
        if (fit.left_out[i].empty() && an.items[i].judged)
          an.items[i].model =
              ModelItem{fit.b[i], fit.se_b[i], std::nullopt, std::nullopt, finite(fit.infit[i]), finite(fit.outfit[i])};
      }
      for (std::size_t p = 0; p < n; ++p)
        if (!std::isnan(fit.theta[p]))
          an.persons_estimated.push_back({m.persons[p], fit.theta[p], fit.se_theta[p], fit.eap[p], fit.se_eap[p]});
      s.persons = an.persons_estimated.size();
      an.eap_prior_mean = fit.prior_mean;
      an.eap_prior_sd = fit.prior_sd;
      if (std::count(fit.left_out.begin(), fit.left_out.end(), "") >= 2) rel.person_separation = fit.person_separation;
      for (std::size_t i = 0; i < k; ++i)
        if (fit.left_out[i].empty()) slope.push_back(1.0), intercept.push_back(-fit.b[i]), fitted_item.push_back(i);
    } else {
      auto fit = fit_2pl(bin);
      s.converged = fit.converged;
      s.iterations = fit.iterations;
      s.log_likelihood = fit.log_likelihood;
      for (std::size_t i = 0; i < k; ++i) {
        an.items[i].left_out = fit.left_out[i];
        if (fit.left_out[i].empty() && an.items[i].judged)
          an.items[i].model = ModelItem{fit.b[i], fit.se_b[i], fit.a[i], fit.se_a[i], std::nullopt, std::nullopt};
      }
      for (std::size_t p = 0; p < n; ++p)
        if (!std::isnan(fit.eap[p])) an.persons_estimated.push_back({m.persons[p], kNaN, kNaN, fit.eap[p], fit.se_eap[p]});
      s.persons = an.persons_estimated.size();
      rel.marginal_reliability = fit.marginal_reliability;
      for (std::size_t i = 0; i < k; ++i)
        if (fit.left_out[i].empty()) slope.push_back(fit.a[i]), intercept.push_back(fit.d[i]), fitted_item.push_back(i);
    }
    for (const auto& it : an.items) s.items += it.model ? 1 : 0;
    an.fit = s;
    scale_at_cut(m, slope, intercept, fitted_item, pass, rel);
  }
  return an;
}

}  // namespace assay::stats
