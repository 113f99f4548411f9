// The end screen of a submitted take: score, outcome, competencies, what to study, the items missed.
#include <fmt/format.h>

#include <algorithm>

#include "assay/model.hpp"
#include "assay/presentation.hpp"
#include "assay/scoring.hpp"
#include "assay/take.hpp"
#include "detail.hpp"

namespace assay::take {

namespace {

using assay::Style;

std::string bar(const Fraction& percent, std::size_t width = 20) {
  // Truncated like the percent it draws, so a bar never looks fuller than the score.
  auto filled_fraction = percent * Fraction(static_cast<std::int64_t>(width)) / Fraction(100);
  auto text = filled_fraction.to_decimal(0);
  auto filled = std::min<std::size_t>(width, static_cast<std::size_t>(std::max(0L, std::stol(text))));
  return "[" + std::string(filled, '#') + std::string(width - filled, '.') + "]";
}

}  // namespace

std::string end_screen(const model::LoadedAssessment& loaded, const scoring::ScoreResult& r, bool color, std::size_t cols) {
  Style st(color);
  const auto& a = loaded.assessment;
  std::string out = "\n" + st.bold("result: " + a.title) + "\n";
  out += fmt::format("  score      {} ({})\n", percent_text(r.percent), points_text(r.points, r.max));
  if (!r.level.empty()) out += fmt::format("  level      {}\n", r.level);
  std::string outcome = r.outcome == scoring::Outcome::kPass   ? st.green("pass")
                        : r.outcome == scoring::Outcome::kFail ? st.red("fail")
                                                               : st.yellow("pending: a rater has yet to score a written answer");
  out += fmt::format("  outcome    {} (pass mark {})\n", outcome, percent_text(r.pass_percent));
  for (const auto& reason : r.reasons) out += presentation::wrap(reason.text, cols, "    - ", "      ");

  // Competencies, weakest first.
  std::vector<const scoring::Total*> comps;
  for (const auto& c : r.competencies) comps.push_back(&c);
  std::stable_sort(comps.begin(), comps.end(), [](const auto* x, const auto* y) { return x->percent < y->percent; });
  out += "\n" + st.bold("competencies (weakest first)") + "\n";
  for (const auto* c : comps) {
    std::string line = fmt::format("  {:<34} {} {:>6}", c->title.substr(0, 34), bar(c->percent), percent_text(c->percent));
    if (c->min_percent) line += fmt::format("  (minimum {})", percent_text(*c->min_percent));
    out += line + "\n";
  }
  // What to study: the sources behind the missed items of the weakest competencies, each source
  // once, under the weakest competency that needs it.
  std::string study;
  std::vector<std::string> listed;
  for (const auto* c : comps) {
    if (c->percent >= Fraction(100)) continue;
    std::vector<std::string> sources;
    for (const auto& ir : r.items) {
      if (ir.competency != c->id || ir.status == scoring::ItemStatus::kExcluded || ir.points == ir.max) continue;
      const auto* item = a.find_item(ir.id);
      if (item != nullptr && !item->source.empty() && std::find(listed.begin(), listed.end(), item->source) == listed.end()) {
        sources.push_back(item->source);
        listed.push_back(item->source);
      }
    }
    if (sources.empty()) continue;
    study += "  " + c->title + ":\n";
    for (const auto& s : sources) study += presentation::wrap(s, cols, "    - ", "      ");
  }
  if (!study.empty()) out += "\n" + st.bold("what to study") + "\n" + study;
  // The missed items, with their explanations.
  std::string missed;
  std::size_t n = 0;
  for (const auto& ir : r.items) {
    ++n;
    if (ir.status == scoring::ItemStatus::kExcluded || (ir.points == ir.max && ir.status == scoring::ItemStatus::kScored))
      continue;
    if (ir.pending) continue;
    const auto* item = a.find_item(ir.id);
    auto index = a.item_index(ir.id);
    // The question's first line, and the answer given as a person reads it.
    nlohmann::json shown;
    if (index >= 0)
      if (auto p = loaded.prepared[static_cast<std::size_t>(index)].present(ir.seed); p)
        shown = nlohmann::json::parse(p.value(), nullptr, false);
    std::string question = shown.is_object() ? shown.value("prompt", "") : "";
    question = question.substr(0, question.find('\n'));
    auto head = fmt::format("  {:>3}  {}{}", n, points_text(ir.points, ir.max),
                            ir.status == scoring::ItemStatus::kUnanswered ? " (not answered)" : "");
    if (!question.empty() && cols > presentation::text_width(head) + 10)
      head += " · " + presentation::cut(question, cols - presentation::text_width(head) - 3);
    else if (!question.empty() && cols == 0)
      head += " · " + question;
    missed += head + "\n";
    if (shown.is_object() && !ir.response.empty() && ir.status != scoring::ItemStatus::kUnanswered) {
      auto answer = presentation::readable_response(shown, ir.response);
      answer.pop_back();
      auto lines = presentation::wrap("your answer: " + answer, cols, "       ", "         ");
      lines.pop_back();
      missed += st.dim(lines) + "\n";
    }
    if (item != nullptr && !item->explanation.empty())
      missed += presentation::wrap(item->explanation, cols, "       ", "       ");
    if (item != nullptr && !item->source.empty()) {
      auto source = presentation::wrap("source: " + item->source, cols, "       ", "               ");
      source.pop_back();
      missed += st.dim(source) + "\n";
    }
  }
  if (!missed.empty()) out += "\n" + st.bold("review of the items you missed") + "\n" + missed;
  return out;
}

}  // namespace assay::take
