#include "assay/rasch.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>

#include "linalg.hpp"

namespace assay::stats {

namespace {

using detail::kNaN;

// The persons sharing one set of presented (fitted) items, counted by raw score.
struct Pattern {
  std::vector<std::uint32_t> items;  // indices into the fitted items
  std::vector<double> count;         // count[r]: persons with raw score r
};

// gamma without items `skip` and `skip2` (out of range: none), by the summation algorithm, which
// is numerically stable.
void esf_into(const std::vector<double>& eps, std::size_t skip, std::vector<double>& g, std::size_t skip2 = SIZE_MAX) {
  std::size_t m = 0;
  g.assign(eps.size() + 1, 0.0);
  g[0] = 1.0;
  for (std::size_t i = 0; i < eps.size(); ++i) {
    if (i == skip || i == skip2) continue;
    ++m;
    for (std::size_t r = m; r >= 1; --r) g[r] += eps[i] * g[r - 1];
  }
}

struct Totals {
  std::vector<double> expected;  // per fitted item: sum over persons of E[x | r]
  detail::Square info;           // sum of Cov(x | r)
  double log_gamma = 0;          // sum over persons of log gamma_r
};

Totals accumulate(const std::vector<Pattern>& patterns, const std::vector<double>& b, bool want_info) {
  const std::size_t k = b.size();
  Totals t;
  t.expected.assign(k, 0.0);
  if (want_info) t.info = detail::Square(k);
  std::vector<double> eps, g, gij;
  std::vector<std::vector<double>> gi;
  for (const auto& p : patterns) {
    const std::size_t m = p.items.size();
    eps.resize(m);
    for (std::size_t a = 0; a < m; ++a) eps[a] = std::exp(-b[p.items[a]]);
    esf_into(eps, m, g);
    gi.resize(m);
    for (std::size_t a = 0; a < m; ++a) esf_into(eps, a, gi[a]);
    for (std::size_t r = 1; r < m; ++r) {
      const double n = p.count[r];
      if (n == 0) continue;
      t.log_gamma += n * std::log(g[r]);
      for (std::size_t a = 0; a < m; ++a) {
        const double pi = eps[a] * gi[a][r - 1] / g[r];
        t.expected[p.items[a]] += n * pi;
        if (want_info) t.info(p.items[a], p.items[a]) += n * pi * (1 - pi);
      }
    }
    if (!want_info) continue;
    for (std::size_t a = 0; a < m; ++a)
      for (std::size_t c = a + 1; c < m; ++c) {
        // gamma^(ac)_{r-1} = (gamma^(c)_r - gamma^(a)_r) / (eps_a - eps_c) (Fischer): from the
        // first-order functions, in O(1) per score. Close parameters would cancel: then sum afresh.
        const bool close = std::abs(eps[a] - eps[c]) < 1e-3 * std::max(eps[a], eps[c]);
        if (close) {
          esf_into(eps, a, gij, c);
        } else {
          gij.assign(m, 0.0);
          for (std::size_t r = 0; r + 1 < m; ++r) gij[r] = (gi[c][r + 1] - gi[a][r + 1]) / (eps[a] - eps[c]);
        }
        double s = 0;
        for (std::size_t r = 2; r < m; ++r) {
          const double n = p.count[r];
          if (n == 0) continue;
          const double pa = eps[a] * gi[a][r - 1] / g[r];
          const double pc = eps[c] * gi[c][r - 1] / g[r];
          s += n * (eps[a] * eps[c] * gij[r - 2] / g[r] - pa * pc);
        }
        // Persons with score 1 have Cov = -pa pc (both cannot be right).
        if (p.count[1] != 0) s -= p.count[1] * (eps[a] * gi[a][0] / g[1]) * (eps[c] * gi[c][0] / g[1]);
        t.info(p.items[a], p.items[c]) += s;
        t.info(p.items[c], p.items[a]) += s;
      }
  }
  return t;
}

struct Moments {
  double expected = 0, info = 0, third = 0;  // sum P, sum P(1-P), sum P(1-P)(1-2P)
};

Moments moments(double theta, const std::vector<double>& bs) {
  Moments m;
  for (double bi : bs) {
    const double p = 1.0 / (1.0 + std::exp(bi - theta));
    m.expected += p;
    m.info += p * (1 - p);
    m.third += p * (1 - p) * (1 - 2 * p);
  }
  return m;
}

// Solves f(theta) = 0 for an increasing-then-decreasing-free f by bisection on [-30, 30]
// refined by Newton steps that stay inside the bracket.
template <class F>
double solve(F&& f) {
  double lo = -30, hi = 30;
  double x = 0;
  for (int it = 0; it < 200; ++it) {
    auto [fx, dfx] = f(x);
    if (fx > 0)
      lo = x;
    else
      hi = x;  // f decreases in theta
    double next = (dfx < 0) ? x - fx / dfx : (lo + hi) / 2;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (std::abs(next - x) < 1e-12) return next;
    x = next;
  }
  return x;
}

// Maximum likelihood: sum P = r (0 < r < number of items).
double ml_theta(double r, const std::vector<double>& bs) {
  return solve([&](double th) {
    auto m = moments(th, bs);
    return std::pair{r - m.expected, -m.info};
  });
}

// Warm's weighted likelihood: r - sum P + J / (2 I) = 0; finite for every score.
double wle_theta(double r, const std::vector<double>& bs) {
  return solve([&](double th) {
    auto m = moments(th, bs);
    double d4 = 0;
    for (double bi : bs) {
      const double p = 1.0 / (1.0 + std::exp(bi - th));
      d4 += p * (1 - p) * (1 - 6 * p + 6 * p * p);
    }
    const double f = r - m.expected + m.third / (2 * m.info);
    const double df = -m.info + (d4 * m.info - m.third * m.third) / (2 * m.info * m.info);
    return std::pair{f, df};
  });
}

}  // namespace

std::vector<double> elementary_symmetric(const std::vector<double>& eps) {
  std::vector<double> g;
  esf_into(eps, eps.size(), g);
  return g;
}

namespace {

// EAP person estimates, which depend on a person's items only through the pattern of items
// presented and the raw score: the log-likelihood at theta is r theta - sum log(1 + e^(theta - b))
// up to a constant. The prior N(mean, sd^2) is estimated by EM: each cycle sets the mean and
// variance to those of the persons' posteriors (Bock and Aitkin 1981, for the latent distribution).
// Integrals are sums over a fixed grid 0.1 logit apart, so each likelihood is computed once: the
// grid spans the WLEs' mean +- 7 of their SDs (which exceed the prior's: they add the error) and
// 4 logits beyond the lowest and highest WLE.
void eap_estimates(const std::vector<Pattern>& patterns, const std::vector<double>& b,
                   const std::vector<std::size_t>& person_pattern, const std::vector<std::size_t>& person_score, RaschFit& fit) {
  constexpr double kStep = 0.1;
  double n = 0, mean = 0, var = 0, lowest = 0, highest = 0;
  for (double t : fit.theta) {
    if (std::isnan(t)) continue;
    lowest = n == 0 ? t : std::min(lowest, t);
    highest = n == 0 ? t : std::max(highest, t);
    n += 1, mean += t;
  }
  if (n == 0) return;
  mean /= n;
  for (double t : fit.theta)
    if (!std::isnan(t)) var += (t - mean) * (t - mean);
  var = std::max(var / n, 0.01);
  const double from = std::min(mean - 7 * std::sqrt(var), lowest - 4), to = std::max(mean + 7 * std::sqrt(var), highest + 4);
  const auto nodes = static_cast<std::size_t>(std::ceil((to - from) / kStep)) + 1;
  std::vector<double> theta(nodes);
  for (std::size_t k = 0; k < nodes; ++k) theta[k] = from + kStep * static_cast<double>(k);

  // The likelihood of each (pattern, score) present on the grid, scaled to a largest value of 1.
  struct Case {
    std::size_t pattern, score;
    double count;
  };
  std::vector<Case> cases;
  std::vector<std::vector<std::size_t>> case_of(patterns.size());
  std::vector<double> lik, base(nodes);
  for (std::size_t q = 0; q < patterns.size(); ++q) {
    const auto& pat = patterns[q];
    const std::size_t m = pat.items.size();
    case_of[q].assign(m + 1, SIZE_MAX);
    for (std::size_t k = 0; k < nodes; ++k) {
      base[k] = 0;
      for (auto a : pat.items) {
        const double x = theta[k] - b[a];
        base[k] -= x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
      }
    }
    for (std::size_t r = 0; r <= m; ++r) {
      if (pat.count[r] == 0) continue;
      case_of[q][r] = cases.size();
      cases.push_back({q, r, pat.count[r]});
      double top = -std::numeric_limits<double>::infinity();
      for (std::size_t k = 0; k < nodes; ++k) top = std::max(top, base[k] + static_cast<double>(r) * theta[k]);
      for (std::size_t k = 0; k < nodes; ++k) lik.push_back(std::exp(base[k] + static_cast<double>(r) * theta[k] - top));
    }
  }

  std::vector<double> prior(nodes), post_mean(cases.size()), post_var(cases.size());
  auto posteriors = [&] {
    for (std::size_t k = 0; k < nodes; ++k) prior[k] = std::exp(-(theta[k] - mean) * (theta[k] - mean) / (2 * var));
    double sum1 = 0, sum2 = 0;
    for (std::size_t c = 0; c < cases.size(); ++c) {
      const double* l = &lik[c * nodes];
      double w0 = 0, w1 = 0, w2 = 0;
      for (std::size_t k = 0; k < nodes; ++k) {
        const double w = prior[k] * l[k];
        w0 += w, w1 += w * theta[k], w2 += w * theta[k] * theta[k];
      }
      const double mu = w1 / w0;
      post_mean[c] = mu;
      post_var[c] = std::max(0.0, w2 / w0 - mu * mu);
      sum1 += cases[c].count * mu;
      sum2 += cases[c].count * (post_var[c] + mu * mu);
    }
    return std::pair{sum1 / n, sum2 / n};
  };
  for (int it = 0; it < 2000; ++it) {
    auto [m1, m2] = posteriors();
    const double next_var = std::max(m2 - m1 * m1, 1e-4);
    const bool done = std::abs(m1 - mean) < 1e-10 && std::abs(std::sqrt(next_var) - std::sqrt(var)) < 1e-10;
    mean = m1, var = next_var;
    if (done) {
      fit.eap_converged = true;
      break;
    }
  }
  posteriors();  // at the prior estimated
  fit.prior_mean = mean;
  fit.prior_sd = std::sqrt(var);
  for (std::size_t p = 0; p < person_pattern.size(); ++p) {
    const std::size_t q = person_pattern[p];
    if (q == SIZE_MAX) continue;
    const std::size_t c = case_of[q][person_score[p]];
    fit.eap[p] = post_mean[c];
    fit.se_eap[p] = std::sqrt(post_var[c]);
  }
}

}  // namespace

FittedItems fitted_items(const Binary& data) {
  FittedItems out;
  auto& seen = out.seen;
  auto& right = out.right;
  seen.assign(data.items, 0);
  right.assign(data.items, 0);
  for (std::size_t p = 0; p < data.persons; ++p)
    for (std::size_t i = 0; i < data.items; ++i) {
      const int x = data.at(p, i);
      if (x < 0) continue;
      ++seen[i];
      right[i] += static_cast<std::size_t>(x);
    }
  out.index.assign(data.items, -1);
  out.left_out.assign(data.items, "");
  for (std::size_t i = 0; i < data.items; ++i) {
    if (seen[i] == 0)
      out.left_out[i] = "not_presented";
    else if (right[i] == seen[i])
      out.left_out[i] = "all_correct";
    else if (right[i] == 0)
      out.left_out[i] = "none_correct";
    else {
      out.index[i] = static_cast<std::int64_t>(out.fitted.size());
      out.fitted.push_back(i);
    }
  }
  return out;
}

RaschFit fit_rasch(const Binary& data, const RaschOptions& options) {
  const std::size_t n_items = data.items, n_persons = data.persons;
  RaschFit fit;
  fit.b.assign(n_items, kNaN);
  fit.se_b.assign(n_items, kNaN);
  fit.infit.assign(n_items, kNaN);
  fit.outfit.assign(n_items, kNaN);
  fit.theta.assign(n_persons, kNaN);
  fit.se_theta.assign(n_persons, kNaN);
  fit.eap.assign(n_persons, kNaN);
  fit.se_eap.assign(n_persons, kNaN);

  auto selection = fitted_items(data);
  const auto& fitted = selection.fitted;
  const auto& index = selection.index;
  const auto& seen = selection.seen;
  const auto& right = selection.right;
  fit.left_out = selection.left_out;
  const std::size_t k = fitted.size();
  if (k < 2) return fit;

  // Patterns of presented fitted items, with their score counts; the sufficient statistics.
  std::map<std::vector<std::uint32_t>, std::size_t> pattern_of;
  std::vector<Pattern> patterns;
  std::vector<std::size_t> person_pattern(n_persons, SIZE_MAX);
  std::vector<std::size_t> person_score(n_persons, 0);
  std::vector<double> s(k, 0.0);  // item totals over persons with a non-extreme score
  std::vector<std::uint32_t> key;
  for (std::size_t p = 0; p < n_persons; ++p) {
    key.clear();
    std::size_t r = 0;
    for (std::size_t i = 0; i < n_items; ++i) {
      const int x = data.at(p, i);
      if (x < 0 || index[i] < 0) continue;
      key.push_back(static_cast<std::uint32_t>(index[i]));
      r += static_cast<std::size_t>(x);
    }
    if (key.empty()) continue;
    auto [it, added] = pattern_of.try_emplace(key, patterns.size());
    if (added) patterns.push_back(Pattern{key, std::vector<double>(key.size() + 1, 0.0)});
    patterns[it->second].count[r] += 1;
    person_pattern[p] = it->second;
    person_score[p] = r;
    if (r > 0 && r < key.size())
      for (std::size_t i = 0; i < n_items; ++i)
        if (index[i] >= 0 && data.at(p, i) > 0) s[static_cast<std::size_t>(index[i])] += 1;
  }

  // Start from the centred log odds, then Newton-Raphson with the sum-zero constraint: the
  // information has the null vector 1, so (I + 1 1^T) delta = gradient keeps sum(b) = 0 and
  // (I + 1 1^T)^-1 - 1 1^T / k^2 is the covariance of the constrained estimates.
  std::vector<double> b(k);
  double mean = 0;
  for (std::size_t a = 0; a < k; ++a) {
    const double n = static_cast<double>(seen[fitted[a]]), rr = static_cast<double>(right[fitted[a]]);
    b[a] = std::log((n - rr) / rr);
    mean += b[a] / static_cast<double>(k);
  }
  for (double& v : b) v -= mean;
  detail::Square inv;
  Totals t;
  for (int it = 1; it <= options.max_iterations; ++it) {
    t = accumulate(patterns, b, true);
    detail::Square h = t.info;
    for (auto& v : h.a) v += 1.0;
    if (!detail::invert_spd(h, inv)) break;
    double largest = 0;
    std::vector<double> step(k, 0.0);
    for (std::size_t a = 0; a < k; ++a) {
      for (std::size_t c = 0; c < k; ++c) step[a] += inv(a, c) * (t.expected[c] - s[c]);
      largest = std::max(largest, std::abs(step[a]));
    }
    const double damp = largest > 2.0 ? 2.0 / largest : 1.0;  // no leap beyond two logits
    for (std::size_t a = 0; a < k; ++a) b[a] += damp * step[a];
    fit.iterations = it;
    if (largest < options.tolerance) {
      fit.converged = true;
      break;
    }
  }
  t = accumulate(patterns, b, true);
  {
    detail::Square h = t.info;
    for (auto& v : h.a) v += 1.0;
    if (detail::invert_spd(h, inv))
      for (std::size_t a = 0; a < k; ++a) fit.se_b[fitted[a]] = std::sqrt(inv(a, a) - 1.0 / double(k * k));
  }
  fit.log_likelihood = -t.log_gamma;
  for (std::size_t a = 0; a < k; ++a) fit.log_likelihood -= s[a] * b[a];
  for (std::size_t a = 0; a < k; ++a) fit.b[fitted[a]] = b[a];

  // Person estimates per pattern and score: ML (for the fit statistics) and WLE.
  std::vector<std::vector<double>> ml(patterns.size()), wle(patterns.size()), wle_se(patterns.size());
  for (std::size_t q = 0; q < patterns.size(); ++q) {
    const auto& pat = patterns[q];
    std::vector<double> bs;
    for (auto a : pat.items) bs.push_back(b[a]);
    const std::size_t m = bs.size();
    ml[q].assign(m + 1, kNaN);
    wle[q].assign(m + 1, kNaN);
    wle_se[q].assign(m + 1, kNaN);
    for (std::size_t r = 0; r <= m; ++r) {
      if (pat.count[r] == 0) continue;
      if (r > 0 && r < m) ml[q][r] = ml_theta(static_cast<double>(r), bs);
      wle[q][r] = wle_theta(static_cast<double>(r), bs);
      wle_se[q][r] = 1.0 / std::sqrt(moments(wle[q][r], bs).info);
    }
  }

  std::vector<double> sq(k, 0.0), var(k, 0.0), zsq(k, 0.0), used(k, 0.0);
  double sum = 0, sum2 = 0, err2 = 0, persons = 0;
  for (std::size_t p = 0; p < n_persons; ++p) {
    const std::size_t q = person_pattern[p];
    if (q == SIZE_MAX) continue;
    const std::size_t r = person_score[p];
    fit.theta[p] = wle[q][r];
    fit.se_theta[p] = wle_se[q][r];
    sum += fit.theta[p];
    sum2 += fit.theta[p] * fit.theta[p];
    err2 += fit.se_theta[p] * fit.se_theta[p];
    persons += 1;
    const double th = ml[q][r];
    if (std::isnan(th)) continue;  // extreme scores have no finite ML estimate
    for (std::size_t i = 0; i < n_items; ++i) {
      const int x = data.at(p, i);
      if (x < 0 || index[i] < 0) continue;
      const auto a = static_cast<std::size_t>(index[i]);
      const double pr = 1.0 / (1.0 + std::exp(b[a] - th));
      const double w = pr * (1 - pr);
      const double e2 = (x - pr) * (x - pr);
      sq[a] += e2;
      var[a] += w;
      zsq[a] += e2 / w;
      used[a] += 1;
    }
  }
  for (std::size_t a = 0; a < k; ++a) {
    if (used[a] == 0) continue;
    fit.infit[fitted[a]] = sq[a] / var[a];
    fit.outfit[fitted[a]] = zsq[a] / used[a];
  }
  if (persons > 1) {
    const double m = sum / persons, v = sum2 / persons - m * m;
    // 0 when the error variance exceeds the observed, as Winsteps reports it
    fit.person_separation = v > 0 ? std::max(0.0, (v - err2 / persons) / v) : 0.0;
  }
  eap_estimates(patterns, b, person_pattern, person_score, fit);
  return fit;
}

}  // namespace assay::stats
