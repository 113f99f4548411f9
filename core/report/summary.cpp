#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "assay/io.hpp"
#include "assay/report.hpp"
#include "assay/style.hpp"
#include "group.hpp"

namespace assay::report {

using scoring::Outcome;
using scoring::ScoreResult;

Results read_results(const std::string& file, std::string_view text) {
  Results out;
  auto lines = io::read_json_lines(file, text);
  out.errors = lines.errors;
  for (auto& [line, j] : lines.values) {
    auto r = scoring::try_result_from_json(j);
    if (!r) {
      Diagnostic d = error_at_line(file, line,
                                   "invalid result: " + r.error().front() +
                                       (r.error().size() > 1 ? fmt::format(" (and {} more)", r.error().size() - 1) : ""));
      d.column = 1;
      d.hints.push_back("'assay report' reads the full results 'assay score' writes");
      out.errors.push_back(d);
      continue;
    }
    out.results.push_back(std::move(r.value()));
  }
  // Keep the file's order in `errors` with the JSON errors first is fine: both are by line.
  std::sort(out.errors.begin(), out.errors.end(), [](const Diagnostic& a, const Diagnostic& b) { return a.line < b.line; });
  return out;
}

std::vector<std::size_t> distribution(const std::vector<const ScoreResult*>& results) {
  std::vector<std::size_t> bins(10, 0);
  for (const auto* r : results) {
    if (r->outcome == Outcome::kPending) continue;
    std::size_t bin = 0;
    for (std::size_t b = 1; b < 10; ++b)
      if (r->percent >= Fraction(static_cast<std::int64_t>(b * 10))) bin = b;
    ++bins[bin];
  }
  return bins;
}

namespace {

/// Candidate ids in order, the numbers in them compared by value: "c-9" before "c-10". Ids that
/// differ only in leading zeros ("c-01", "c-1") are ordered by their text.
bool id_before(std::string_view a, std::string_view b) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  auto number = [&](std::string_view s, std::size_t& k) {
    auto start = k;
    while (k < s.size() && digit(s[k])) ++k;
    auto n = s.substr(start, k - start);
    while (n.size() > 1 && n.front() == '0') n.remove_prefix(1);
    return n;
  };
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (digit(a[i]) && digit(b[j])) {
      auto x = number(a, i), y = number(b, j);
      if (x.size() != y.size()) return x.size() < y.size();
      if (x != y) return x < y;
    } else {
      if (a[i] != b[j]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]);
      ++i, ++j;
    }
  }
  if ((i == a.size()) != (j == b.size())) return i == a.size();
  return a < b;
}

}  // namespace

std::vector<std::size_t> rank(const std::vector<const ScoreResult*>& results) {
  std::vector<std::size_t> order(results.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
    const auto& a = *results[x];
    const auto& b = *results[y];
    if (a.percent != b.percent) return a.percent > b.percent;
    return id_before(a.candidate_id, b.candidate_id);
  });
  return order;
}

namespace detail {

std::vector<Group> group(const std::vector<ScoreResult>& results) {
  std::vector<Group> groups;
  for (const auto& r : results) {
    auto it = std::find_if(groups.begin(), groups.end(),
                           [&](const Group& g) { return g.id == r.assessment_id && g.version == r.assessment_version; });
    if (it == groups.end()) {
      groups.push_back({r.assessment_id, r.assessment_version, r.assessment_title, {}});
      it = groups.end() - 1;
    }
    it->results.push_back(&r);
  }
  return groups;
}

std::vector<FailureCount> failures(const Group& g) {
  std::vector<FailureCount> out;
  for (const auto* r : g.results) {
    for (const auto& p : r->problems) {
      if (p.code != "scoring_failed") continue;
      auto it = std::find_if(out.begin(), out.end(), [&](const FailureCount& f) { return f.text == p.text; });
      if (it == out.end()) {
        out.push_back({p.item, p.text, 0});
        it = out.end() - 1;
      }
      ++it->count;
    }
  }
  return out;
}

std::vector<FailureCount> malformed(const Group& g) {
  std::vector<FailureCount> out;
  for (const auto* r : g.results) {
    for (const auto& p : r->problems) {
      if (p.code != "invalid_response") continue;
      auto it = std::find_if(out.begin(), out.end(), [&](const FailureCount& f) { return f.item == p.item; });
      if (it == out.end()) {
        out.push_back({p.item, "", 0});
        it = out.end() - 1;
      }
      ++it->count;
    }
  }
  return out;
}

OutcomeCount outcome_count(const Group& g) {
  OutcomeCount n;
  for (const auto* r : g.results) {
    n.pass += r->outcome == Outcome::kPass;
    n.fail += r->outcome == Outcome::kFail;
    n.pending += r->outcome == Outcome::kPending;
  }
  return n;
}

std::vector<CompetencyAverage> competency_averages(const Group& g) {
  std::vector<CompetencyAverage> out;
  for (const auto* r : g.results) {
    if (r->outcome == Outcome::kPending) continue;  // its figures are not final
    for (const auto& c : r->competencies) {
      if (c.max.is_zero()) continue;  // nothing counted for it on this form
      auto it = std::find_if(out.begin(), out.end(), [&](const CompetencyAverage& a) { return a.id == c.id; });
      if (it == out.end()) {
        out.push_back({c.id, c.title, Fraction(0), 0, c.min_percent});
        it = out.end() - 1;
      }
      it->sum += c.percent;
      ++it->count;
    }
  }
  return out;
}

std::vector<ReasonCount> reason_counts(const Group& g) {
  std::vector<ReasonCount> out;
  for (const auto* r : g.results) {
    for (const auto& reason : r->reasons) {
      // An item is named by its title when it has one, so that HR can read the list.
      std::string item = reason.item;
      for (const auto& it : r->items)
        if (it.id == reason.item && !it.title.empty()) item = it.title + " (" + it.id + ")";
      std::string subject = !reason.competency.empty()  ? reason.competency
                            : !reason.criterion.empty() ? item + " / " + reason.criterion
                                                        : item;
      auto it = std::find_if(out.begin(), out.end(),
                             [&](const ReasonCount& c) { return c.code == reason.code && c.subject == subject; });
      if (it == out.end()) {
        out.push_back({reason.code, subject, 0});
        it = out.end() - 1;
      }
      ++it->count;
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const ReasonCount& a, const ReasonCount& b) { return a.count > b.count; });
  return out;
}

std::string percent_of(std::size_t part, std::size_t whole) {
  return Fraction::percent(Fraction(static_cast<std::int64_t>(part)), Fraction(static_cast<std::int64_t>(whole))).to_decimal(1);
}

}  // namespace detail

std::string summary_text(const std::vector<ScoreResult>& results, bool color) {
  const Style style{color};
  std::string out;
  if (results.empty()) return "no results\n";
  for (const auto& g : detail::group(results)) {
    auto n = detail::outcome_count(g);
    out += style.bold(fmt::format("{} ({} {})", g.title.empty() ? g.id : g.title, g.id, g.version)) + "\n";
    out += fmt::format("{} candidates: {} pass, {} fail, {} pending; pass rate {}% of those decided\n\n", g.results.size(),
                       n.pass, n.fail, n.pending, n.decided() == 0 ? "-" : detail::percent_of(n.pass, n.decided()));

    out += style.bold("Ranking") + "\n";
    auto ranked = rank(g.results);
    constexpr std::size_t kShown = 50;
    out += fmt::format("  {:>4}  {:<24} {:>7}  {:<8} {}\n", "#", "candidate", "percent", "outcome", "level");
    for (std::size_t i = 0; i < ranked.size() && i < kShown; ++i) {
      const auto* r = g.results[ranked[i]];
      out += fmt::format("  {:>4}  {:<24} {:>7}  {:<8} {}\n", i + 1, r->candidate_id, r->percent.to_decimal(1),
                         scoring::to_string(r->outcome), r->level);
    }
    if (ranked.size() > kShown) out += fmt::format("  ... {} more (the HTML report lists all)\n", ranked.size() - kShown);

    out += "\n" + style.bold("Score distribution (percent, pending left out)") + "\n";
    auto bins = distribution(g.results);
    std::size_t top = std::max<std::size_t>(1, *std::max_element(bins.begin(), bins.end()));
    for (std::size_t b = 0; b < bins.size(); ++b) {
      std::string label = fmt::format("{:>3}-{:<3}", b * 10, b == 9 ? std::string("100") : std::to_string(b * 10 + 10));
      out += fmt::format("  {} |{:<40} {}\n", label, std::string(bins[b] * 40 / top, '#'), bins[b]);
    }

    out += "\n" + style.bold("Competency averages") + "\n";
    for (const auto& c : detail::competency_averages(g)) {
      Fraction avg = c.sum / Fraction(static_cast<std::int64_t>(c.count));
      out += fmt::format("  {:<32} {:>7}{}\n", c.title.empty() ? c.id : c.title, percent_text(avg),
                         c.min_percent ? " (minimum " + percent_text(*c.min_percent) + ")" : std::string());
    }

    out += "\n" + style.bold("Reasons for failing") + "\n";
    auto reasons = detail::reason_counts(g);
    if (reasons.empty()) out += "  none\n";
    for (const auto& r : reasons) out += fmt::format("  {:>5}  {:<26} {}\n", r.count, r.code, r.subject);
    if (auto refused = detail::malformed(g); !refused.empty()) {
      out += "\n" + style.bold("Responses refused as malformed (each scored 0)") + "\n";
      for (const auto& m : refused) out += fmt::format("  {:>5}  item {}\n", m.count, m.item);
    }
    if (auto failed = detail::failures(g); !failed.empty()) {
      out += "\n" + style.bold("Could not be scored (a plugin failed: not the candidates' doing)") + "\n";
      for (const auto& f : failed) out += fmt::format("  {:>5}  {}\n", f.count, f.text);
    }
    out += "\n";
  }
  return out;
}

}  // namespace assay::report
