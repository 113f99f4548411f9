#include "assay/angoff.hpp"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

namespace assay::stats {

Expected<Angoff, Diagnostic> angoff(const Matrix& r, const std::string& file) {
  Angoff a;
  a.items = r.items;
  for (std::size_t j = 0; j < r.rows(); ++j) {
    double sum = 0;
    std::size_t n = 0;
    for (std::size_t i = 0; i < r.cols(); ++i) {
      if (!r.presented(j, i)) continue;
      double p = r.at(j, i);
      if (p > 1)
        return error_at(file, fmt::format("judge '{}', item '{}': expected a probability from 0 to 1, found {}", r.persons[j],
                                          r.items[i], p));
      sum += p;
      ++n;
    }
    if (n == 0) return error_at(file, fmt::format("judge '{}' rated no item", r.persons[j]));
    a.judges.push_back(r.persons[j]);
    a.judge_cut.push_back(100 * sum / static_cast<double>(n));
  }
  if (a.judges.empty()) return error_at(file, "no judge's ratings");
  for (std::size_t i = 0; i < r.cols(); ++i) {
    double sum = 0, sq = 0;
    std::size_t n = 0;
    for (std::size_t j = 0; j < r.rows(); ++j)
      if (r.presented(j, i)) {
        sum += r.at(j, i);
        sq += r.at(j, i) * r.at(j, i);
        ++n;
      }
    double mean = n ? sum / static_cast<double>(n) : 0;
    a.item_mean.push_back(mean);
    a.item_sd.push_back(n > 1 ? std::sqrt(std::max(0.0, (sq - static_cast<double>(n) * mean * mean) / static_cast<double>(n - 1)))
                              : 0);
  }
  double sum = 0;
  for (double c : a.judge_cut) sum += c;
  const auto k = static_cast<double>(a.judge_cut.size());
  a.cut = sum / k;
  if (a.judge_cut.size() > 1) {
    double ss = 0;
    for (double c : a.judge_cut) ss += (c - a.cut) * (c - a.cut);
    a.sd = std::sqrt(ss / (k - 1));
    a.se = a.sd / std::sqrt(k);
  }
  return a;
}

std::string to_text(const Angoff& a) {
  std::string out = "Angoff standard setting\n\njudge                 cut %\n";
  for (std::size_t j = 0; j < a.judges.size(); ++j) out += fmt::format("{:<20} {:>6.1f}\n", a.judges[j], a.judge_cut[j]);
  out += "\nitem                  mean estimate   spread\n";
  for (std::size_t i = 0; i < a.items.size(); ++i)
    out += fmt::format("{:<20} {:>14.2f} {:>8.2f}\n", a.items[i], a.item_mean[i], a.item_sd[i]);
  out += fmt::format("\nrecommended pass mark: {:.1f} % (standard error {:.1f} %, {} judge{})\n", a.cut, a.se, a.judges.size(),
                     a.judges.size() == 1 ? "" : "s");
  out += fmt::format("to adopt it, set pass_percent = {:.1f} under [outcome] in the assessment; assay never changes it for you\n",
                     a.cut);
  return out;
}

nlohmann::json to_json(const Angoff& a) {
  nlohmann::json judges = nlohmann::json::array(), items = nlohmann::json::array();
  for (std::size_t j = 0; j < a.judges.size(); ++j) judges.push_back({{"judge", a.judges[j]}, {"cut_percent", a.judge_cut[j]}});
  for (std::size_t i = 0; i < a.items.size(); ++i)
    items.push_back({{"id", a.items[i]}, {"mean", a.item_mean[i]}, {"sd", a.item_sd[i]}});
  return {{"angoff", {{"cut_percent", a.cut}, {"sd", a.sd}, {"se", a.se}, {"judges", judges}, {"items", items}}}};
}

}  // namespace assay::stats
