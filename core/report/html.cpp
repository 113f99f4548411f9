#include <fmt/format.h>

#include <algorithm>

#include "assay/report.hpp"
#include "assay/stats.hpp"
#include "group.hpp"
#include "html_page.hpp"

namespace assay::report {

using scoring::Outcome;
using scoring::ScoreResult;

namespace {

constexpr const char* kStyle = R"(
body { font: 14px/1.45 system-ui, sans-serif; color: #1b1b1b; margin: 2rem auto; max-width: 80rem; padding: 0 1rem; }
.wide { overflow-x: auto; } td.id { white-space: nowrap; } td.why { font-size: 12px; min-width: 18rem; } th.comp { font-size: 12px; }
h1 { font-size: 1.5rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ccc; }
.meta { color: #555; } table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: .2rem .5rem; border-bottom: 1px solid #e5e5e5; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.pass { color: #17632a; } .fail { color: #a11d1d; } .pending { color: #8a5a00; }
svg text { font: 11px system-ui, sans-serif; fill: #1b1b1b; } svg.reasons { max-width: 100%; height: auto; }
.bar { fill: #3a6ea5; } .bar-fail { fill: #a11d1d; } .track { fill: #eee; } .mark { stroke: #1b1b1b; stroke-width: 1.5; }
@media print {
  body { margin: 0; max-width: none; font-size: 11px; }
  h2 { break-after: avoid; } tr, svg { break-inside: avoid; }
  .bar { fill: #555; } .bar-fail { fill: #222; } .track { fill: #ddd; }
}
h3 { font-size: 1.05rem; margin-top: 1.5rem; }
.flag { display: inline-block; padding: 0 .35rem; margin: 0 .25rem .15rem 0; border: 1px solid #a15c00; border-radius: 3px;
  font-size: 12px; background: #fff4e0; color: #5c3400; white-space: nowrap; }
.flag.serious { border-color: #a11d1d; background: #fdeaea; color: #7a1414; font-weight: 600; }
.flag.few { border-color: #888; background: #f3f3f3; color: #444; font-style: italic; }
td.few { color: #444; font-style: italic; }
.figs { display: grid; grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr)); gap: .75rem 1.25rem; }
figure { margin: 0; } figcaption { font-size: 12px; color: #333; }
svg.chart { display: block; width: 100%; height: auto; max-width: 44rem; }
.axis { stroke: #666; stroke-width: 1; } .gridline { stroke: #e5e5e5; stroke-width: 1; }
.curve { fill: none; stroke: #3a6ea5; stroke-width: 2.5; } .cut { stroke: #1b1b1b; stroke-width: 1.5; stroke-dasharray: 4 3; }
.share { fill: #3a6ea5; } .share-key { fill: #17632a; } .share-low { fill: #a15c00; }
table.options { table-layout: fixed; margin-bottom: 1rem; } table.options caption { text-align: left; padding: .5rem 0 .2rem; }
table.options col.opt { width: 22%; } table.options col.role { width: 18%; } table.options col.n { width: 16%; }
table.options col.mean { width: 18%; } td.bar-cell svg { display: block; width: 100%; height: 12px; }
details > summary { cursor: pointer; color: #3a6ea5; margin: .4rem 0; }
@media (max-width: 700px) { body { margin: 1rem auto; } th, td { padding: .2rem .3rem; } }
)";

std::string outcome_class(Outcome o) { return scoring::to_string(o); }

// Vertical bars: the ten 10-point bins.
std::string histogram_svg(const std::vector<std::size_t>& bins) {
  constexpr int kW = 520, kH = 200, kLeft = 30, kBottom = 24, kBar = 46;
  std::size_t top = std::max<std::size_t>(1, *std::max_element(bins.begin(), bins.end()));
  std::string s = fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" role="img" aria-label="score distribution">)", kW, kH);
  int plot = kH - kBottom - 14;
  for (std::size_t b = 0; b < bins.size(); ++b) {
    int h = static_cast<int>(bins[b] * static_cast<std::size_t>(plot) / top);
    int x = kLeft + static_cast<int>(b) * (kBar + 2);
    s += fmt::format(R"(<rect class="bar" x="{}" y="{}" width="{}" height="{}"><title>{}-{}%: {}</title></rect>)", x,
                     kH - kBottom - h, kBar, h, b * 10, b * 10 + 10, bins[b]);
    s += fmt::format(R"(<text x="{}" y="{}" text-anchor="middle">{}</text>)", x + kBar / 2, kH - kBottom - h - 3, bins[b]);
    // Each bin's lower bound under its left edge; 100 under the last bin's right edge.
    s += fmt::format(R"(<text x="{}" y="{}" text-anchor="middle">{}</text>)", x, kH - 8, b * 10);
  }
  s += fmt::format(R"(<text x="{}" y="{}" text-anchor="middle">100</text>)", kLeft + 10 * (kBar + 2) - 2, kH - 8);
  s += "</svg>";
  return s;
}

// One horizontal bar per entry, scaled to the largest, under its label: a reason names its item
// and criterion, often longer than any column beside a bar could hold.
std::string reasons_svg(const std::vector<detail::ReasonCount>& reasons) {
  constexpr int kW = 640, kRow = 34, kBar = 12;
  std::size_t top = 1;
  for (const auto& r : reasons) top = std::max(top, r.count);
  int h = static_cast<int>(reasons.size()) * kRow + 4;
  std::string s = fmt::format(
      R"(<svg class="reasons" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {0} {1}" width="{0}" height="{1}" role="img" aria-label="reasons for failing">)",
      kW, h);
  for (std::size_t i = 0; i < reasons.size(); ++i) {
    const auto& r = reasons[i];
    int y = static_cast<int>(i) * kRow;
    int w = std::max(1, static_cast<int>(r.count * static_cast<std::size_t>(kW - 60) / top));
    s += fmt::format(R"(<text x="0" y="{}">{}{}</text>)", y + 13, html_escape(r.code),
                     r.subject.empty() ? "" : ": " + html_escape(r.subject));
    s += fmt::format(R"(<rect class="bar-fail" x="0" y="{}" width="{}" height="{}"></rect>)", y + 17, w, kBar);
    s += fmt::format(R"(<text x="{}" y="{}">{}</text>)", w + 4, y + 27, r.count);
  }
  s += "</svg>";
  return s;
}

// A candidate's percent on a competency: a 100-px track, the bar, and the minimum as a tick.
std::string mini_bar(const scoring::Total& t) {
  auto px = [](const Fraction& p) {
    Fraction clamped = p < Fraction(0) ? Fraction(0) : (p > Fraction(100) ? Fraction(100) : p);
    return clamped.to_decimal(0);
  };
  // Drawn on a 0-100 scale, shown 72 px wide so that a profile of five competencies and the
  // reasons fit a 1280-px page.
  std::string s =
      R"(<svg xmlns="http://www.w3.org/2000/svg" width="72" height="14" viewBox="0 0 104 14" preserveAspectRatio="none">)";
  s += R"(<rect class="track" x="0" y="2" width="100" height="10"></rect>)";
  s += fmt::format(R"(<rect class="{}" x="0" y="2" width="{}" height="10"><title>{}: {}%</title></rect>)",
                   t.min_percent && t.percent < *t.min_percent ? "bar-fail" : "bar", px(t.percent), html_escape(t.id),
                   t.percent.to_decimal(1));
  if (t.min_percent)
    s += fmt::format(R"(<line class="mark" x1="{0}" x2="{0}" y1="0" y2="14" vector-effect="non-scaling-stroke"></line>)",
                     px(*t.min_percent));
  s += "</svg>";
  return s;
}

}  // namespace

std::string detail::html_page_start(std::string_view title) {
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n",
      html_escape(title), kStyle);
}

std::string summary_html(const std::vector<ScoreResult>& results, std::string_view heading) {
  std::string h = detail::html_page_start(heading.empty() ? std::string_view("Assay results") : heading);
  if (!heading.empty()) h += fmt::format("<h1>{}</h1>\n", html_escape(heading));
  const char* group_tag = heading.empty() ? "h1" : "h2";
  if (results.empty()) h += "<p>No results.</p>\n";
  const auto groups = detail::group(results);
  for (std::size_t gi = 0; gi < groups.size(); ++gi) {
    const auto& g = groups[gi];
    auto n = detail::outcome_count(g);
    h += fmt::format(
        "<{0}>{1}</{0}>\n<p class=\"meta\">{2} version {3} &middot; {4} candidate{5}: {6} pass, {7} fail, {8} "
        "pending &middot; pass rate {9}% of those decided</p>\n",
        group_tag, html_escape(g.title.empty() ? g.id : g.title), html_escape(g.id), html_escape(g.version), g.results.size(),
        g.results.size() == 1 ? "" : "s", n.pass, n.fail, n.pending,
        n.decided() == 0 ? "-" : detail::percent_of(n.pass, n.decided()));

    h += "<h2>Score distribution</h2>\n" + histogram_svg(distribution(g.results)) + "\n";

    auto averages = detail::competency_averages(g);
    h += "<h2>Competency averages</h2>\n<table><tr><th>competency</th><th class=\"num\">average %</th><th "
         "class=\"num\">minimum %</th></tr>\n";
    for (const auto& c : averages) {
      Fraction avg = c.sum / Fraction(static_cast<std::int64_t>(c.count));
      h += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                       html_escape(c.title.empty() ? c.id : c.title), avg.to_decimal(1),
                       c.min_percent ? c.min_percent->to_decimal(1) : "");
    }
    h += "</table>\n";

    h += "<h2>Reasons for failing</h2>\n";
    auto reasons = detail::reason_counts(g);
    h += reasons.empty() ? std::string("<p>None.</p>\n") : reasons_svg(reasons) + "\n";
    if (auto failed = detail::failures(g); !failed.empty()) {
      h += "<h2>Could not be scored</h2>\n<p>A plugin failed to score these responses: a problem of the software, not of the "
           "candidates. Each item scored 0 for them.</p>\n<table><tr><th class=\"num\">results</th><th>what happened</th></tr>\n";
      for (const auto& f : failed)
        h += fmt::format("<tr><td class=\"num\">{}</td><td>{}</td></tr>\n", f.count, html_escape(f.text));
      h += "</table>\n";
    }

    h += "<h2>Candidates</h2>\n<div class=\"wide\"><table><tr><th class=\"num\">#</th><th>candidate</th><th "
         "class=\"num\">percent</th>"
         "<th>outcome</th><th>level</th>";
    for (const auto& c : averages) h += "<th class=\"comp\">" + html_escape(c.title.empty() ? c.id : c.title) + "</th>";
    h += "<th>reasons</th></tr>\n";
    auto ranked = rank(g.results);
    for (std::size_t i = 0; i < ranked.size(); ++i) {
      const auto* r = g.results[ranked[i]];
      h += fmt::format(
          "<tr><td class=\"num\">{}</td><td class=\"id\">{}</td><td class=\"num\">{}</td><td class=\"{}\">{}</td><td>{}</td>",
          i + 1, html_escape(r->candidate_id), r->percent.to_decimal(1), outcome_class(r->outcome),
          scoring::to_string(r->outcome), html_escape(r->level));
      for (const auto& c : averages) {
        auto t =
            std::find_if(r->competencies.begin(), r->competencies.end(), [&](const scoring::Total& x) { return x.id == c.id; });
        h += "<td>" + (t == r->competencies.end() || t->max.is_zero() ? std::string() : mini_bar(*t)) + "</td>";
      }
      std::string why;
      for (const auto& reason : r->reasons) why += (why.empty() ? "" : "<br>") + html_escape(reason.text);
      for (const auto& p : r->pending) why += (why.empty() ? "" : "<br>") + html_escape(p.text);
      h += "<td class=\"why\">" + why + "</td></tr>\n";
    }
    h += "</table></div>\n";

    // The item analysis needs enough candidates for any item to be judged; the Rasch model puts
    // items of pooled forms on one scale (docs/formats.md, "Stats v1").
    stats::Options options;
    if (g.results.size() >= options.min_n) {
      options.model = stats::Model::kRasch;
      h += item_analysis_html(stats::analyse(stats::results_matrix(g.results), options), "Item analysis", gi);
    }
  }
  h += detail::kHtmlPageEnd;
  return h;
}

}  // namespace assay::report
