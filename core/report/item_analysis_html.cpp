// The item-analysis section of the HTML pages (the results report and `assay stats --html`):
// one renderer for both, over a stats::Analysis. Only aggregates reach it: item and option ids
// and figures, never a person.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "assay/report.hpp"
#include "assay/stats.hpp"
#include "html_page.hpp"

namespace assay::report {

namespace {

using stats::Analysis;
using stats::ItemStats;
using stats::Model;

std::string num(const std::optional<double>& v, int places = 3) {
  if (!v || !std::isfinite(*v)) return "&ndash;";
  return fmt::format("{:.{}f}", *v, places);
}

// Words for the flags of docs/formats.md; the serious ones ask for the item to be looked at.
struct FlagText {
  const char* id;
  const char* words;
  const char* css;
};
constexpr FlagText kFlags[] = {
    {"possible_miskey", "possible miskey", "flag serious"},
    {"negative_discrimination", "negative discrimination", "flag serious"},
    {"non_functioning_distractor", "non-functioning distractor", "flag"},
    {"too_easy", "too easy", "flag"},
    {"too_hard", "too hard", "flag"},
    {"too_few_to_judge", "too few to judge", "flag few"},
};

std::string flag_badges(const std::vector<std::string>& flags) {
  std::string s;
  for (const auto& f : flags) {
    const auto* known = std::find_if(std::begin(kFlags), std::end(kFlags), [&](const FlagText& t) { return f == t.id; });
    if (known == std::end(kFlags))
      s += "<span class=\"flag\">" + html_escape(f) + "</span>";
    else
      s += fmt::format("<span class=\"{}\">{}</span>", known->css, known->words);
  }
  return s;
}

std::string left_out_words(const std::string& why) {
  if (why == "all_correct") return "left out: all correct";
  if (why == "none_correct") return "left out: none correct";
  if (why == "not_presented") return "left out: not presented";
  return why.empty() ? "not shown: too few to judge" : "left out: " + html_escape(why);
}

// Theta from -4 to 4 across the plot; the probability or information up the side.
struct Plot {
  double left, top, width, height;
  double x(double theta) const { return left + (theta + 4) / 8 * width; }
  double y(double fraction) const { return top + (1 - fraction) * height; }
};

std::string axes(const Plot& p, double y_max, const char* y_label, int y_ticks) {
  std::string s;
  for (int t = -4; t <= 4; t += 2) {
    s += fmt::format(R"(<line class="gridline" x1="{0:.1f}" x2="{0:.1f}" y1="{1:.1f}" y2="{2:.1f}"></line>)", p.x(t), p.top,
                     p.top + p.height);
    s += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" text-anchor="middle">{}</text>)", p.x(t), p.top + p.height + 13, t);
  }
  for (int i = 0; i <= y_ticks; ++i) {
    const double f = static_cast<double>(i) / y_ticks;
    s += fmt::format(R"(<line class="gridline" x1="{0:.1f}" x2="{1:.1f}" y1="{2:.1f}" y2="{2:.1f}"></line>)", p.left,
                     p.left + p.width, p.y(f));
    s += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" text-anchor="end">{}</text>)", p.left - 4, p.y(f) + 4,
                     fmt::format("{:g}", std::round(f * y_max * 100) / 100));
  }
  s += fmt::format(R"(<line class="axis" x1="{0:.1f}" x2="{1:.1f}" y1="{2:.1f}" y2="{2:.1f}"></line>)", p.left, p.left + p.width,
                   p.top + p.height);
  s += fmt::format(R"(<line class="axis" x1="{0:.1f}" x2="{0:.1f}" y1="{1:.1f}" y2="{2:.1f}"></line>)", p.left, p.top,
                   p.top + p.height);
  s += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" text-anchor="middle">ability &#952; (logits)</text>)", p.left + p.width / 2,
                   p.top + p.height + 27);
  s += fmt::format(R"svg(<text x="10" y="{0:.1f}" text-anchor="middle" transform="rotate(-90 10 {0:.1f})">{1}</text>)svg",
                   p.top + p.height / 2, y_label);
  return s;
}

template <class F>
std::string curve(const Plot& p, double y_max, F&& f) {
  std::string points;
  for (int i = 0; i <= 64; ++i) {
    const double theta = -4 + i * 0.125;
    points += fmt::format("{}{:.1f},{:.1f}", i ? " " : "", p.x(theta), p.y(std::min(1.0, f(theta) / y_max)));
  }
  return fmt::format(R"(<polyline class="curve" points="{}"></polyline>)", points);
}

std::string model_words(Model m) { return m == Model::k2pl ? "the two-parameter logistic model" : "the Rasch model"; }

// One item's characteristic curve: P(full credit | theta) under the model fitted.
std::string icc_figure(const ItemStats& it, Model model, std::size_t section, std::size_t index) {
  const auto& mi = *it.model;
  const double a = mi.a.value_or(1.0), b = mi.b;
  const Plot p{34, 8, 180, 100};
  const std::string id = html_escape(it.id);
  const std::string params = mi.a ? fmt::format("a = {:.2f}, b = {:.2f}", a, b) : fmt::format("b = {:.2f}", b);
  std::string s = "<figure>";
  s += fmt::format(
      R"(<svg class="chart icc" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 220 146" role="img" aria-labelledby="icc-t-{0}-{1} icc-d-{0}-{1}">)",
      section, index);
  s += fmt::format(R"(<title id="icc-t-{}-{}">Item characteristic curve of item {}</title>)", section, index, id);
  s += fmt::format(
      R"(<desc id="icc-d-{}-{}">The probability of full credit on item {} rises with ability under {} ({}); it reaches one half at &#952; = {:.2f}.</desc>)",
      section, index, id, model_words(model), params, b);
  s += axes(p, 1.0, "P(full credit)", 2);
  if (b >= -4 && b <= 4)
    s += fmt::format(R"(<line class="cut" x1="{0:.1f}" x2="{0:.1f}" y1="{1:.1f}" y2="{2:.1f}"></line>)", p.x(b), p.top,
                     p.top + p.height);
  s += curve(p, 1.0, [&](double theta) { return 1 / (1 + std::exp(-a * (theta - b))); });
  s += "</svg>";
  s += fmt::format("<figcaption><strong>{}</strong>: {}{}</figcaption></figure>\n", id, params,
                   b < -4 || b > 4 ? " (beyond the plotted range)" : "");
  return s;
}

std::string information_figure(const Analysis& an, std::size_t section) {
  const auto& r = an.reliability;
  double top = 0;
  for (const auto& [theta, info] : r.test_information) top = std::max(top, info);
  if (top <= 0) return "";
  // Ticks at a round step (1, 2, 2.5 or 5 times a power of ten), at most five up to the peak.
  double step = std::pow(10.0, std::floor(std::log10(top / 4)));
  for (double f : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (top * 1.05 / (f * step) <= 5) {
      step *= f;
      break;
    }
  const int ticks = static_cast<int>(std::ceil(top * 1.05 / step));
  const double y_max = ticks * step;
  const auto peak = *std::max_element(r.test_information.begin(), r.test_information.end(),
                                      [](const auto& x, const auto& y) { return x.second < y.second; });
  const Plot p{48, 10, 560, 190};
  std::string s = "<figure>";
  s += fmt::format(
      R"(<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 620 246" role="img" aria-labelledby="tif-t-{0} tif-d-{0}">)",
      section);
  s += fmt::format(R"(<title id="tif-t-{}">Test information function of a typical form of {} items</title>)", section,
                   r.typical_form_items);
  s += fmt::format(
      R"(<desc id="tif-d-{}">Information of a typical form by ability under {}: highest, {:.2f}, at &#952; = {:.1f}; the standard error of an ability estimate is one over the square root of the information.{}</desc>)",
      section, model_words(an.model), peak.second, peak.first,
      r.theta_cut && r.model_csem_at_cut
          ? fmt::format(" The pass mark is at &#952; = {:.2f}, where the standard error is {:.2f} logits.", *r.theta_cut,
                        *r.model_csem_at_cut)
          : std::string());
  s += axes(p, y_max, "information", ticks);
  if (r.theta_cut && *r.theta_cut >= -4 && *r.theta_cut <= 4) {
    s += fmt::format(R"(<line class="cut" x1="{0:.1f}" x2="{0:.1f}" y1="{1:.1f}" y2="{2:.1f}"></line>)", p.x(*r.theta_cut), p.top,
                     p.top + p.height);
    s += fmt::format(R"(<text x="{:.1f}" y="{:.1f}">pass mark</text>)", p.x(*r.theta_cut) + 4, p.top + 12);
  }
  // The figures are every half logit: a smooth path through them (Catmull-Rom, as cubic Beziers).
  const auto& ti = r.test_information;
  auto pt = [&](std::size_t i) {
    i = std::min(i, ti.size() - 1);
    return std::pair{p.x(ti[i].first), p.y(ti[i].second / y_max)};
  };
  std::string d = fmt::format("M{:.1f},{:.1f}", pt(0).first, pt(0).second);
  for (std::size_t i = 0; i + 1 < ti.size(); ++i) {
    const auto a = pt(i == 0 ? 0 : i - 1), b = pt(i), c = pt(i + 1), e = pt(i + 2);
    d += fmt::format(" C{:.1f},{:.1f} {:.1f},{:.1f} {:.1f},{:.1f}", b.first + (c.first - a.first) / 6,
                     b.second + (c.second - a.second) / 6, c.first - (e.first - b.first) / 6,
                     c.second - (e.second - b.second) / 6, c.first, c.second);
  }
  s += fmt::format(R"(<path class="curve" d="{}"></path>)", d);
  s += "</svg></figure>\n";
  s += "<details><summary>The test information as a table</summary><div class=\"wide\"><table><tr><th "
       "class=\"num\">&#952;</th><th class=\"num\">information</th><th class=\"num\">SE (logits)</th></tr>\n";
  for (const auto& [theta, info] : r.test_information)
    s += fmt::format("<tr><td class=\"num\">{:.1f}</td><td class=\"num\">{:.3f}</td><td class=\"num\">{}</td></tr>\n", theta,
                     info, info > 0 ? fmt::format("{:.3f}", 1 / std::sqrt(info)) : "&ndash;");
  s += "</table></div></details>\n";
  return s;
}

std::string item_table(const Analysis& an) {
  const bool rasch = an.model == Model::kRasch, twopl = an.model == Model::k2pl;
  std::string s =
      "<div class=\"wide\"><table class=\"items\"><tr><th>item</th><th>flags</th><th class=\"num\">n</th><th "
      "class=\"num\">facility</th><th class=\"num\" title=\"corrected item-total correlation\">r<sub>it</sub></th><th "
      "class=\"num\" title=\"upper 27 % minus lower 27 %\">discrimination</th>";
  // Alpha if deleted needs every candidate to see every item.
  if (an.complete) s += "<th class=\"num\">alpha if deleted</th>";
  int figure_columns = an.complete ? 4 : 3;
  if (rasch) s += "<th class=\"num\">b</th><th class=\"num\">SE b</th><th class=\"num\">infit</th><th class=\"num\">outfit</th>";
  if (twopl) s += "<th class=\"num\">a</th><th class=\"num\">SE a</th><th class=\"num\">b</th><th class=\"num\">SE b</th>";
  if (rasch || twopl) figure_columns += 4;
  s += "</tr>\n";
  for (const auto& it : an.items) {
    // The flags beside the id, where a narrow screen shows them without scrolling.
    s += fmt::format("<tr><td class=\"id\">{}</td><td>{}</td><td class=\"num\">{}</td>", html_escape(it.id),
                     flag_badges(it.flags), it.n);
    if (!it.judged) {
      s += fmt::format("<td class=\"few\" colspan=\"{}\">too few to judge: {} of the {} candidates needed</td>", figure_columns,
                       it.n, an.min_n);
    } else {
      s += fmt::format("<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>", num(it.facility),
                       num(it.r_it), num(it.discrimination));
      if (an.complete) s += "<td class=\"num\">" + num(it.alpha_if_deleted) + "</td>";
      if (rasch || twopl) {
        if (!it.model)
          s += fmt::format("<td class=\"few\" colspan=\"4\">{}</td>", left_out_words(it.left_out));
        else if (rasch)
          s += fmt::format("<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>",
                           num(it.model->b), num(it.model->se_b), num(it.model->infit, 2), num(it.model->outfit, 2));
        else
          s += fmt::format("<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>",
                           num(it.model->a), num(it.model->se_a), num(it.model->b), num(it.model->se_b));
      }
    }
    s += "</tr>\n";
  }
  s += "</table></div>\n";
  return s;
}

std::string criteria_table(const Analysis& an) {
  if (an.criteria.empty()) return "";
  std::string s =
      "<h3>Criteria of performance tasks</h3>\n<div class=\"wide\"><table><tr><th>item</th><th>criterion</th><th>flags</th><th "
      "class=\"num\">n</th><th class=\"num\">facility</th><th class=\"num\">r<sub>it</sub></th><th "
      "class=\"num\">discrimination</th></tr>\n";
  for (const auto& c : an.criteria) {
    s += fmt::format("<tr><td class=\"id\">{}</td><td class=\"id\">{}</td><td>{}</td><td class=\"num\">{}</td>",
                     html_escape(c.item), html_escape(c.id), flag_badges(c.flags), c.n);
    if (c.judged)
      s += fmt::format("<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>", num(c.facility),
                       num(c.r_it), num(c.discrimination));
    else
      s += fmt::format("<td class=\"few\" colspan=\"3\">too few to judge: {} of the {} candidates needed</td>", c.n, an.min_n);
    s += "</tr>\n";
  }
  return s + "</table></div>\n";
}

std::string reliability_table(const Analysis& an) {
  const auto& r = an.reliability;
  struct Row {
    std::string figure, value, what;
  };
  std::vector<Row> rows;
  if (r.alpha) rows.push_back({"Cronbach's alpha", num(r.alpha), "internal consistency of the total (KR-20 for 0/1 items)"});
  if (r.alpha_ci)
    rows.push_back(
        {"95 % interval of alpha", fmt::format("{:.3f} to {:.3f}", r.alpha_ci->first, r.alpha_ci->second), "Feldt (1965)"});
  if (r.sem)
    rows.push_back({"Standard error of measurement", num(r.sem) + " points", "SD of the total &times; &radic;(1 &minus; alpha)"});
  if (r.cut) rows.push_back({"Pass mark", fmt::format("{:.2f} points", *r.cut), "on the total of a complete form"});
  if (r.csem_at_cut)
    rows.push_back({"Conditional SEM at the pass mark", num(r.csem_at_cut) + " points", "Lord's binomial error model"});
  if (r.decision_consistency)
    rows.push_back({"Decision consistency", num(r.decision_consistency),
                    "share of pass/fail decisions a parallel administration would repeat (Subkoviak 1976)"});
  if (r.person_separation)
    rows.push_back({"Person separation reliability", num(r.person_separation),
                    "Rasch model, over the WLE person estimates: the figure for pooled forms"});
  if (r.marginal_reliability)
    rows.push_back({"Marginal reliability", num(r.marginal_reliability), "2PL model, over the EAP person estimates"});
  if (r.model_csem_at_cut && r.theta_cut)
    rows.push_back({"SEM at the pass mark, model",
                    fmt::format("{:.3f} logits at &#952; = {:.2f}", *r.model_csem_at_cut, *r.theta_cut),
                    fmt::format("from the test information of a typical form of {} items", r.typical_form_items)});
  std::string s = "<h3>Reliability</h3>\n";
  if (rows.empty()) {
    s += "<p>No reliability figure could be given.</p>\n";
  } else {
    s += "<div class=\"wide\"><table class=\"reliability\"><tr><th>figure</th><th class=\"num\">value</th><th>which figure "
         "it is</th></tr>\n";
    for (const auto& row : rows)
      s += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>\n", row.figure, row.value, row.what);
    s += "</table></div>\n";
  }
  if (!r.note.empty()) s += "<p class=\"meta\">Note: " + html_escape(r.note) + ".</p>\n";
  return s;
}

// Each option's share as a bar inside the table that gives the figures: the table is the
// alternative to the bars, which are drawn for the eye only.
std::string distractors(const Analysis& an) {
  std::string s;
  for (const auto& it : an.items) {
    if (it.options.empty() || !it.judged) continue;  // a few candidates' choices are not shown
    s += fmt::format(
        "<table class=\"options\"><caption>Item <strong>{}</strong> ({} candidates){}</caption><colgroup><col "
        "class=\"opt\"><col class=\"role\"><col class=\"n\"><col><col "
        "class=\"mean\"></colgroup><tr><th>option</th><th>role</th><th "
        "class=\"num\">chosen by</th><th>share</th><th class=\"num\">mean rest score</th></tr>\n",
        html_escape(it.id), it.n, it.flags.empty() ? "" : " " + flag_badges(it.flags));
    for (const auto& o : it.options) {
      const char* role = o.key ? "key" : (o.functioning ? "distractor" : "distractor, chosen by under 5 %");
      const char* css = o.key ? "share-key" : (o.functioning ? "share" : "share-low");
      s += fmt::format(
          "<tr><td class=\"id\">{}</td><td>{}</td><td class=\"num\">{:.0f} % ({})</td><td class=\"bar-cell\"><svg "
          "xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 100 12\" preserveAspectRatio=\"none\" aria-hidden=\"true\">"
          "<rect class=\"track\" x=\"0\" y=\"0\" width=\"100\" height=\"12\"></rect><rect class=\"{}\" x=\"0\" y=\"0\" "
          "width=\"{:.1f}\" height=\"12\"></rect></svg></td><td class=\"num\">{}</td></tr>\n",
          html_escape(o.id), role, 100 * o.share, o.n, css, 100 * o.share, num(o.mean_rest, 2));
    }
    s += "</table>\n";
  }
  if (s.empty()) return "";
  return "<h3>Distractors</h3>\n<p>Single-choice items seen by enough candidates: how often each option was chosen, and the "
         "mean proportion of points its choosers earned on their other items. A distractor whose choosers outscore the key's "
         "suggests a miskey.</p>\n<div class=\"wide\">" +
         s + "</div>\n";
}

}  // namespace

std::string item_analysis_html(const Analysis& an, std::string_view heading, std::size_t section) {
  std::string s = "<section class=\"item-analysis\">\n<h2>" + html_escape(heading) + "</h2>\n";
  std::size_t judged = 0;
  for (const auto& it : an.items) judged += it.judged ? 1 : 0;
  s += fmt::format(
      "<p class=\"meta\">{} candidates, {} items ({}); an item's figures need at least {} candidates presented with it: {} of "
      "the {} items have them.</p>\n",
      an.persons, an.items.size(), an.complete ? "every candidate saw every item" : "pooled forms", an.min_n, judged,
      an.items.size());
  s += "<h3>Items</h3>\n" + item_table(an) + reliability_table(an);
  if (an.fit) {
    s += fmt::format(
        "<p class=\"meta\">{}: {} items and {} candidates in the fit, {} after {} iterations.</p>\n",
        an.model == Model::k2pl ? "2PL model by marginal maximum likelihood" : "Rasch model by conditional maximum likelihood",
        an.fit->items, an.fit->persons, an.fit->converged ? "converged" : "<strong>not converged</strong>", an.fit->iterations);
    if (!an.reliability.test_information.empty()) s += "<h3>Test information</h3>\n" + information_figure(an, section);
    std::string figures;
    for (std::size_t i = 0; i < an.items.size(); ++i)
      if (an.items[i].model) figures += icc_figure(an.items[i], an.model, section, i);
    if (!figures.empty())
      s += "<h3>Item characteristic curves</h3>\n<p>Each judged item fitted: the probability of full credit by ability; the "
           "dashed line marks its difficulty b. The item table gives the same parameters.</p>\n<div class=\"figs\">\n" +
           figures + "</div>\n";
  }
  s += distractors(an) + criteria_table(an);
  s += "</section>\n";
  return s;
}

std::string stats_html(const std::vector<Analysis>& analyses) {
  std::string h = detail::html_page_start("Item analysis");
  h += "<h1>Item analysis</h1>\n";
  for (std::size_t i = 0; i < analyses.size(); ++i)
    h += item_analysis_html(analyses[i], analyses[i].title.empty() ? std::string("Items") : analyses[i].title, i);
  h += detail::kHtmlPageEnd;
  return h;
}

}  // namespace assay::report
