#include "assay/twopl.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>

#include "linalg.hpp"

namespace assay::stats {

namespace {

using detail::kNaN;

double logistic(double z) { return 1.0 / (1.0 + std::exp(-z)); }

}  // namespace

TwoPlFit fit_2pl(const Binary& data, const TwoPlOptions& options) {
  const std::size_t n_items = data.items, n_persons = data.persons;
  TwoPlFit fit;
  for (auto* v : {&fit.a, &fit.se_a, &fit.d, &fit.se_d, &fit.b, &fit.se_b}) v->assign(n_items, kNaN);
  fit.eap.assign(n_persons, kNaN);
  fit.se_eap.assign(n_persons, kNaN);

  auto selection = fitted_items(data);
  const auto& fitted = selection.fitted;
  const auto& seen = selection.seen;
  const auto& right = selection.right;
  fit.left_out = selection.left_out;
  const std::size_t k = fitted.size();
  if (k == 0) return fit;

  // Distinct response rows with their counts: cells of the fitted items, -1 not presented.
  std::map<std::vector<signed char>, double> count_of;
  {
    std::vector<signed char> row(k);
    for (std::size_t p = 0; p < n_persons; ++p) {
      for (std::size_t a = 0; a < k; ++a) row[a] = data.at(p, fitted[a]);
      count_of[row] += 1;
    }
  }
  std::vector<const std::vector<signed char>*> rows;
  std::vector<double> counts;
  for (const auto& [row, c] : count_of) rows.push_back(&row), counts.push_back(c);
  const std::size_t n_rows = rows.size();

  const std::size_t q_n = static_cast<std::size_t>(std::max(options.quadrature_points, 3));
  std::vector<double> node(q_n), log_weight(q_n);
  {
    double total = 0;
    for (std::size_t q = 0; q < q_n; ++q) {
      node[q] = -6.0 + 12.0 * static_cast<double>(q) / static_cast<double>(q_n - 1);
      total += std::exp(-node[q] * node[q] / 2);
    }
    for (std::size_t q = 0; q < q_n; ++q) log_weight[q] = -node[q] * node[q] / 2 - std::log(total);
  }

  // Start: slopes 1, intercepts from the log odds of the proportion right.
  std::vector<double> a(k, 1.0), d(k);
  for (std::size_t j = 0; j < k; ++j) {
    const double pr = static_cast<double>(right[fitted[j]]) / static_cast<double>(seen[fitted[j]]);
    d[j] = std::log(pr / (1 - pr));
  }

  // Each row as the items it got right and the items it was not presented: the E-step starts
  // every row from the sum over all items of log(1 - P) and corrects only those, about half the
  // work of a pass over every cell.
  std::vector<std::size_t> ones_at(n_rows + 1, 0), missing_at(n_rows + 1, 0);
  std::vector<std::uint32_t> ones, missing;
  for (std::size_t r = 0; r < n_rows; ++r) {
    const auto& row = *rows[r];
    for (std::size_t j = 0; j < k; ++j) {
      if (row[j] > 0) ones.push_back(static_cast<std::uint32_t>(j));
      if (row[j] < 0) missing.push_back(static_cast<std::uint32_t>(j));
    }
    ones_at[r + 1] = ones.size();
    missing_at[r + 1] = missing.size();
  }

  std::vector<double> diff(k * q_n), lq(k * q_n);  // log P - log(1 - P) = a theta + d, and log(1 - P)
  std::vector<double> base(q_n);
  std::vector<double> post(n_rows * q_n);  // posterior weights per row and node
  auto e_step = [&]() {
    std::copy(log_weight.begin(), log_weight.end(), base.begin());
    for (std::size_t j = 0; j < k; ++j)
      for (std::size_t q = 0; q < q_n; ++q) {
        const double z = a[j] * node[q] + d[j];
        diff[j * q_n + q] = z;
        lq[j * q_n + q] = -std::log1p(std::exp(-std::abs(z))) - std::max(0.0, z);  // log(1 / (1 + e^z))
        base[q] += lq[j * q_n + q];
      }
    double loglik = 0;
    for (std::size_t r = 0; r < n_rows; ++r) {
      double* __restrict w = &post[r * q_n];
      std::copy(base.begin(), base.end(), w);
      for (std::size_t u = missing_at[r]; u < missing_at[r + 1]; ++u) {
        const double* __restrict l = &lq[missing[u] * q_n];
        for (std::size_t q = 0; q < q_n; ++q) w[q] -= l[q];
      }
      for (std::size_t u = ones_at[r]; u < ones_at[r + 1]; ++u) {
        const double* __restrict l = &diff[ones[u] * q_n];
        for (std::size_t q = 0; q < q_n; ++q) w[q] += l[q];
      }
      const double top = *std::max_element(w, w + q_n);
      double sum = 0;
      for (std::size_t q = 0; q < q_n; ++q) sum += (w[q] = std::exp(w[q] - top));
      for (std::size_t q = 0; q < q_n; ++q) w[q] /= sum;
      loglik += counts[r] * (top + std::log(sum));
    }
    return loglik;
  };

  std::vector<double> nq(k * q_n), rq(k * q_n);  // expected presented and right per item and node
  std::vector<double> all(q_n);
  for (int it = 1; it <= options.max_iterations; ++it) {
    fit.log_likelihood = e_step();
    std::fill(rq.begin(), rq.end(), 0.0);
    std::fill(all.begin(), all.end(), 0.0);
    std::vector<double> gone(k * q_n, 0.0);
    for (std::size_t r = 0; r < n_rows; ++r) {
      const double* __restrict w = &post[r * q_n];
      const double c = counts[r];
      for (std::size_t q = 0; q < q_n; ++q) all[q] += c * w[q];
      for (std::size_t u = missing_at[r]; u < missing_at[r + 1]; ++u) {
        double* __restrict g = &gone[missing[u] * q_n];
        for (std::size_t q = 0; q < q_n; ++q) g[q] += c * w[q];
      }
      for (std::size_t u = ones_at[r]; u < ones_at[r + 1]; ++u) {
        double* __restrict rr = &rq[ones[u] * q_n];
        for (std::size_t q = 0; q < q_n; ++q) rr[q] += c * w[q];
      }
    }
    for (std::size_t j = 0; j < k; ++j)
      for (std::size_t q = 0; q < q_n; ++q) nq[j * q_n + q] = all[q] - gone[j * q_n + q];
    // M-step: each item's (a, d) by Newton on its expected complete-data log-likelihood.
    double change = 0;
    for (std::size_t j = 0; j < k; ++j) {
      double aj = a[j], dj = d[j];
      for (int step = 0; step < 25; ++step) {
        double ga = 0, gd = 0, haa = 0, had = 0, hdd = 0;
        for (std::size_t q = 0; q < q_n; ++q) {
          const double pr = logistic(aj * node[q] + dj);
          const double res = rq[j * q_n + q] - nq[j * q_n + q] * pr;
          const double w = nq[j * q_n + q] * pr * (1 - pr);
          ga += res * node[q];
          gd += res;
          haa += w * node[q] * node[q];
          had += w * node[q];
          hdd += w;
        }
        const double det = haa * hdd - had * had;
        if (!(det > 0)) break;
        double sa = (hdd * ga - had * gd) / det, sd = (haa * gd - had * ga) / det;
        const double big = std::max(std::abs(sa), std::abs(sd));
        if (big > 1) sa /= big, sd /= big;
        aj += sa;
        dj += sd;
        if (big < 1e-10) break;
      }
      change = std::max({change, std::abs(aj - a[j]), std::abs(dj - d[j])});
      a[j] = aj;
      d[j] = dj;
    }
    fit.iterations = it;
    if (change < options.tolerance) {
      fit.converged = true;
      break;
    }
  }
  fit.log_likelihood = e_step();

  for (std::size_t j = 0; j < k; ++j) {
    fit.a[fitted[j]] = a[j];
    fit.d[fitted[j]] = d[j];
    fit.b[fitted[j]] = -d[j] / a[j];
  }

  if (options.standard_errors) {
    // Louis (1982): observed information = E[-complete-data Hessian] - Cov(complete-data score),
    // both under each row's posterior. Parameters ordered a_0, d_0, a_1, d_1, ...
    const std::size_t m = 2 * k;
    detail::Square info(m);
    std::vector<double> mean_s(m), s(m);
    std::vector<double> prob(k * q_n);
    for (std::size_t j = 0; j < k; ++j)
      for (std::size_t q = 0; q < q_n; ++q) prob[j * q_n + q] = logistic(a[j] * node[q] + d[j]);
    for (std::size_t r = 0; r < n_rows; ++r) {
      const double* w = &post[r * q_n];
      const auto& row = *rows[r];
      const double c = counts[r];
      std::fill(mean_s.begin(), mean_s.end(), 0.0);
      for (std::size_t q = 0; q < q_n; ++q) {
        if (w[q] < 1e-300) continue;
        for (std::size_t j = 0; j < k; ++j) {
          if (row[j] < 0) {
            s[2 * j] = s[2 * j + 1] = 0;
            continue;
          }
          const double pr = prob[j * q_n + q];
          const double res = row[j] - pr;
          s[2 * j] = res * node[q];
          s[2 * j + 1] = res;
          const double v = c * w[q] * pr * (1 - pr);
          info(2 * j, 2 * j) += v * node[q] * node[q];
          info(2 * j, 2 * j + 1) += v * node[q];
          info(2 * j + 1, 2 * j) += v * node[q];
          info(2 * j + 1, 2 * j + 1) += v;
        }
        for (std::size_t u = 0; u < m; ++u) {
          if (s[u] == 0) continue;
          mean_s[u] += w[q] * s[u];
          const double cu = c * w[q] * s[u];
          for (std::size_t v = 0; v < m; ++v) info(u, v) -= cu * s[v];
        }
      }
      for (std::size_t u = 0; u < m; ++u) {
        if (mean_s[u] == 0) continue;
        for (std::size_t v = 0; v < m; ++v) info(u, v) += c * mean_s[u] * mean_s[v];
      }
    }
    detail::Square cov;
    if (detail::invert_spd(info, cov))
      for (std::size_t j = 0; j < k; ++j) {
        const std::size_t i = fitted[j];
        fit.se_a[i] = std::sqrt(cov(2 * j, 2 * j));
        fit.se_d[i] = std::sqrt(cov(2 * j + 1, 2 * j + 1));
        // b = -d / a by the delta method
        const double gb_a = d[j] / (a[j] * a[j]), gb_d = -1 / a[j];
        fit.se_b[i] = std::sqrt(gb_a * gb_a * cov(2 * j, 2 * j) + 2 * gb_a * gb_d * cov(2 * j, 2 * j + 1) +
                                gb_d * gb_d * cov(2 * j + 1, 2 * j + 1));
      }
  }

  // EAP per person from the posterior of their row.
  std::map<const std::vector<signed char>*, std::size_t> row_index;
  for (std::size_t r = 0; r < n_rows; ++r) row_index[rows[r]] = r;
  std::vector<double> eap(n_rows), psd(n_rows);
  for (std::size_t r = 0; r < n_rows; ++r) {
    double m1 = 0, m2 = 0;
    for (std::size_t q = 0; q < q_n; ++q) m1 += post[r * q_n + q] * node[q], m2 += post[r * q_n + q] * node[q] * node[q];
    eap[r] = m1;
    psd[r] = std::sqrt(std::max(0.0, m2 - m1 * m1));
  }
  double sum = 0, sum2 = 0, var_post = 0, n = 0;
  std::vector<signed char> row(k);
  for (std::size_t p = 0; p < n_persons; ++p) {
    bool any = false;
    for (std::size_t j = 0; j < k; ++j) {
      row[j] = static_cast<signed char>(data.at(p, fitted[j]));
      any = any || row[j] >= 0;
    }
    if (!any) continue;
    const std::size_t r = row_index.at(&count_of.find(row)->first);
    fit.eap[p] = eap[r];
    fit.se_eap[p] = psd[r];
    sum += eap[r];
    sum2 += eap[r] * eap[r];
    var_post += psd[r] * psd[r];
    n += 1;
  }
  if (n > 1) {
    const double mean = sum / n, v = sum2 / n - mean * mean;
    fit.marginal_reliability = v / (v + var_post / n);
  }
  return fit;
}

}  // namespace assay::stats
