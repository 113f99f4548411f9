// Adverse impact (four-fifths rule with Fisher's exact test) and Mantel-Haenszel DIF with the
// ETS A/B/C classification (docs/formats.md, "Stats v1").
#include "assay/fairness.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/hypergeometric.hpp>
#include <cmath>
#include <nlohmann/json.hpp>

#include "assay/io.hpp"
#include "assay/rasch.hpp"
#include "json_number.hpp"

namespace assay::stats {

namespace {

using detail::number;
using nlohmann::json;

// Fisher's exact test of a 2 x 2 table [[a, b], [c, d]], two-sided: the probability of every
// table with the same margins no more likely than this one.
double fisher_exact(std::size_t a, std::size_t b, std::size_t c, std::size_t d) {
  const std::uint64_t r1 = a + b, c1 = a + c, n = a + b + c + d;
  boost::math::hypergeometric_distribution<double> h(r1, c1, n);
  const double observed = boost::math::pdf(h, a);
  const std::uint64_t lo = c1 + r1 > n ? c1 + r1 - n : 0, hi = std::min(r1, c1);
  double p = 0;
  for (std::uint64_t x = lo; x <= hi; ++x) {
    const double px = boost::math::pdf(h, x);
    if (px <= observed * (1 + 1e-7)) p += px;
  }
  return std::min(1.0, p);
}

}  // namespace

Groups read_groups(const std::string& file, std::string_view text, const std::string& field) {
  Groups out;
  auto lines = io::read_json_lines(file, text);
  out.errors = lines.errors;
  for (const auto& [line, j] : lines.values) {
    auto id = j.find("candidate_id");
    if (id == j.end() || !id->is_string() || id->get<std::string>().empty()) {
      out.errors.push_back(error_at_line(file, line, "expected a member \"candidate_id\" holding a non-empty string"));
      continue;
    }
    auto g = j.find(field);
    if (g == j.end() || g->is_null()) continue;
    if (!g->is_string()) {
      out.errors.push_back(error_at_line(file, line, fmt::format("\"{}\": expected a string, found {}", field, g->dump())));
      continue;
    }
    if (g->get<std::string>().empty()) continue;
    if (!out.group_of.emplace(id->get<std::string>(), g->get<std::string>()).second)
      out.errors.push_back(error_at_line(file, line, fmt::format("candidate '{}' is listed twice", id->get<std::string>())));
  }
  std::sort(out.errors.begin(), out.errors.end(), [](const Diagnostic& a, const Diagnostic& b) { return a.line < b.line; });
  return out;
}

Fairness fairness(const Matrix& m, const std::vector<std::string>& group, const std::vector<int>& passed_in,
                  const FairnessOptions& options) {
  Fairness f;
  const std::size_t n = m.rows(), k = m.cols();
  std::vector<double> total(n, 0.0), most(n, 0.0);
  for (std::size_t p = 0; p < n; ++p)
    for (std::size_t i = 0; i < k; ++i)
      if (m.presented(p, i)) total[p] += m.at(p, i), most[p] += m.max[i];
  std::vector<int> passed = passed_in;
  if (passed.empty()) {
    passed.assign(n, -1);
    if (options.pass_percent >= 0)
      for (std::size_t p = 0; p < n; ++p)
        if (most[p] > 0) passed[p] = 100 * total[p] / most[p] >= options.pass_percent - 1e-12 ? 1 : 0;
  }

  // Groups in order of size (largest first: the reference), then name.
  std::map<std::string, std::size_t> size;
  for (std::size_t p = 0; p < n; ++p) {
    if (group[p].empty())
      ++f.unknown;
    else
      ++size[group[p]];
  }
  if (size.empty()) return f;
  std::vector<std::string> names;
  for (const auto& [g, s] : size) names.push_back(g);
  std::stable_sort(names.begin(), names.end(), [&](const auto& a, const auto& b) { return size[a] > size[b]; });
  if (!options.reference.empty() && size.count(options.reference))
    std::stable_partition(names.begin(), names.end(), [&](const auto& g) { return g == options.reference; });
  f.reference = names.front();

  // Selection rates and the four-fifths rule against the group with the highest rate.
  for (const auto& g : names) {
    GroupRate r;
    r.group = g;
    for (std::size_t p = 0; p < n; ++p)
      if (group[p] == g && passed[p] >= 0) ++r.n, r.passed += static_cast<std::size_t>(passed[p]);
    r.rate = r.n ? static_cast<double>(r.passed) / static_cast<double>(r.n) : 0.0;
    f.rates.push_back(r);
  }
  const auto best =
      std::max_element(f.rates.begin(), f.rates.end(), [](const auto& a, const auto& b) { return a.rate < b.rate; });
  const GroupRate top = *best;
  for (auto& r : f.rates) {
    r.impact_ratio = top.rate > 0 ? r.rate / top.rate : 1.0;
    if (r.group != top.group && r.n && top.n) r.p_value = fisher_exact(r.passed, r.n - r.passed, top.passed, top.n - top.passed);
    r.judged = r.n >= options.min_group && top.n >= options.min_group;
    r.adverse_impact = r.judged && r.impact_ratio < 0.8;
  }

  // Matching: the number right on a complete 0/1 design; otherwise the Rasch WLE (which puts
  // candidates of different forms on one scale) cut into ten strata of equal size.
  bool dichotomous = true;
  for (std::size_t p = 0; p < n && dichotomous; ++p)
    for (std::size_t i = 0; i < k; ++i)
      if (m.presented(p, i) && (m.max[i] != 1 || (m.at(p, i) != 0 && m.at(p, i) != 1))) dichotomous = false;
  std::vector<long> stratum(n, -1);
  if (m.complete() && dichotomous) {
    f.matching = "number right";
    for (std::size_t p = 0; p < n; ++p) stratum[p] = std::lround(total[p]);
  } else {
    f.matching = "Rasch WLE, ten strata of equal size";
    Binary bin;
    bin.persons = n;
    bin.items = k;
    for (std::size_t p = 0; p < n; ++p)
      for (std::size_t i = 0; i < k; ++i)
        bin.cells.push_back(static_cast<signed char>(!m.presented(p, i) ? -1 : (m.at(p, i) >= m.max[i] ? 1 : 0)));
    auto fit = fit_rasch(bin);
    std::vector<std::size_t> order;
    for (std::size_t p = 0; p < n; ++p)
      if (!std::isnan(fit.theta[p])) order.push_back(p);
    std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return fit.theta[a] < fit.theta[b]; });
    for (std::size_t j = 0; j < order.size(); ++j) stratum[order[j]] = static_cast<long>(10 * j / order.size());
    // Equal estimates share a stratum: the estimate, not the input order, decides.
    for (std::size_t j = 1; j < order.size(); ++j)
      if (fit.theta[order[j]] == fit.theta[order[j - 1]]) stratum[order[j]] = stratum[order[j - 1]];
  }

  for (std::size_t i = 0; i < k; ++i) {
    bool item01 = true;
    for (std::size_t p = 0; p < n; ++p)
      if (m.presented(p, i) && m.at(p, i) != 0 && m.at(p, i) != m.max[i]) item01 = false;
    if (!item01) {
      for (std::size_t gi = 1; gi < names.size(); ++gi) {
        DifItem d;
        d.item = m.items[i];
        d.focal = names[gi];
        struct Sum {
          double ref_n = 0, ref_points = 0, focal_n = 0, focal_points = 0;
        };
        std::map<long, Sum> sums;
        for (std::size_t p = 0; p < n; ++p) {
          if (!m.presented(p, i) || stratum[p] < 0) continue;
          auto& su = sums[stratum[p]];
          if (group[p] == f.reference)
            ++d.n_reference, su.ref_n += 1, su.ref_points += m.at(p, i) / m.max[i];
          else if (group[p] == d.focal)
            ++d.n_focal, su.focal_n += 1, su.focal_points += m.at(p, i) / m.max[i];
        }
        double weight = 0, diff = 0;
        for (const auto& [st, su] : sums) {
          if (su.ref_n == 0 || su.focal_n == 0) continue;
          weight += su.focal_n;
          diff += su.focal_n * (su.focal_points / su.focal_n - su.ref_points / su.ref_n);
        }
        if (weight > 0 && d.n_reference >= options.min_group && d.n_focal >= options.min_group) d.smd = diff / weight;
        f.dif.push_back(d);
      }
      continue;
    }
    for (std::size_t gi = 1; gi < names.size(); ++gi) {
      DifItem d;
      d.item = m.items[i];
      d.focal = names[gi];
      struct Cell {
        double a = 0, b = 0, c = 0, dd = 0;  // reference right, wrong; focal right, wrong
      };
      std::map<long, Cell> cells;
      for (std::size_t p = 0; p < n; ++p) {
        if (!m.presented(p, i) || stratum[p] < 0) continue;
        const bool right = m.at(p, i) >= m.max[i];
        if (group[p] == f.reference) {
          ++d.n_reference;
          (right ? cells[stratum[p]].a : cells[stratum[p]].b) += 1;
        } else if (group[p] == d.focal) {
          ++d.n_focal;
          (right ? cells[stratum[p]].c : cells[stratum[p]].dd) += 1;
        }
      }
      double num = 0, den = 0, sum_a = 0, sum_e = 0, sum_v = 0;
      double rbg_pr = 0, rbg_ps_qr = 0, rbg_qs = 0;  // Robins, Breslow and Greenland (1986)
      for (const auto& [s, c] : cells) {
        const double nr = c.a + c.b, nf = c.c + c.dd, t = nr + nf;
        if (nr == 0 || nf == 0) continue;  // a stratum with one group says nothing
        const double m1 = c.a + c.c, m0 = c.b + c.dd;
        const double r = c.a * c.dd / t, q = c.b * c.c / t;
        num += r;
        den += q;
        const double pp = (c.a + c.dd) / t, qq = (c.b + c.c) / t;
        rbg_pr += pp * r;
        rbg_ps_qr += pp * q + qq * r;
        rbg_qs += qq * q;
        sum_a += c.a;
        sum_e += nr * m1 / t;
        if (t > 1) sum_v += nr * nf * m1 * m0 / (t * t * (t - 1));
      }
      if (num > 0 && den > 0 && d.n_reference >= options.min_group && d.n_focal >= options.min_group) {
        const double alpha = num / den;
        d.alpha_mh = alpha;
        d.delta_mh = -2.35 * std::log(alpha);
        const double var_ln = rbg_pr / (2 * num * num) + rbg_ps_qr / (2 * num * den) + rbg_qs / (2 * den * den);
        d.se_delta = 2.35 * std::sqrt(var_ln);
        if (sum_v > 0) {
          const double dev = std::max(0.0, std::abs(sum_a - sum_e) - 0.5);
          d.chi_square = dev * dev / sum_v;
          d.p_value = boost::math::cdf(boost::math::complement(boost::math::chi_squared(1), *d.chi_square));
        }
        // ETS (Zwick 2012): A when |delta| < 1 or not significant at 0.05; C when |delta| >= 1.5 and
        // significantly above 1 (one-sided 0.05); B otherwise.
        const double ad = std::abs(*d.delta_mh);
        const bool significant = d.p_value && *d.p_value < 0.05;
        if (ad < 1.0 || !significant)
          d.ets = "A";
        else if (ad >= 1.5 && (ad - 1.0) / *d.se_delta > 1.645)
          d.ets = "C";
        else
          d.ets = "B";
      }
      f.dif.push_back(d);
    }
  }
  return f;
}

json to_json(const Fairness& f) {
  json rates = json::array(), dif = json::array();
  for (const auto& r : f.rates)
    rates.push_back({{"group", r.group},
                     {"n", r.n},
                     {"passed", r.passed},
                     {"rate", r.rate},
                     {"impact_ratio", r.impact_ratio},
                     {"p_value", number(r.p_value)},
                     {"judged", r.judged},
                     {"adverse_impact", r.adverse_impact}});
  for (const auto& d : f.dif)
    dif.push_back({{"item", d.item},
                   {"focal", d.focal},
                   {"n_reference", d.n_reference},
                   {"n_focal", d.n_focal},
                   {"alpha_mh", number(d.alpha_mh)},
                   {"delta_mh", number(d.delta_mh)},
                   {"se_delta", number(d.se_delta)},
                   {"chi_square", number(d.chi_square)},
                   {"p_value", number(d.p_value)},
                   {"ets", d.ets.empty() ? json(nullptr) : json(d.ets)},
                   {"smd", number(d.smd)}});
  return {{"field", f.field},     {"reference", f.reference},      {"matching", f.matching},
          {"unknown", f.unknown}, {"selection", std::move(rates)}, {"dif", std::move(dif)}};
}

std::string to_text(const Fairness& f) {
  std::string out = fmt::format("\nSelection rates by {} (four-fifths rule, 29 CFR 1607.4(D))\n", f.field);
  std::size_t w = 5;
  for (const auto& r : f.rates) w = std::max(w, r.group.size());
  out += fmt::format("  {:<{}}  {:>6}  {:>6}  {:>6}  {:>6}  {:>8}\n", "group", w, "n", "passed", "rate", "ratio", "p");
  for (const auto& r : f.rates) {
    const char* status = r.adverse_impact ? "  adverse impact" : (r.judged ? "" : "  too few to judge");
    out += fmt::format("  {:<{}}  {:>6}  {:>6}  {:>6.3f}  {:>6.3f}  {:>8}{}\n", r.group, w, r.n, r.passed, r.rate, r.impact_ratio,
                       r.p_value ? fmt::format("{:.4f}", *r.p_value) : "-", status);
  }
  if (f.unknown) out += fmt::format("  {} candidates without a group are left out\n", f.unknown);
  out += fmt::format("\nDIF (Mantel-Haenszel against '{}', matched on {}; ETS A/B/C)\n", f.reference, f.matching);
  bool any = false;
  for (const auto& d : f.dif) {
    if (d.ets != "B" && d.ets != "C") continue;
    any = true;
    out += fmt::format("  {} ({}): delta {:.2f} (SE {:.2f}), class {}\n", d.item, d.focal, *d.delta_mh, *d.se_delta, d.ets);
  }
  if (!any) out += "  no item classed B or C\n";
  return out;
}

}  // namespace assay::stats
