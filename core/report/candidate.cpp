#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "assay/model.hpp"
#include "assay/presentation.hpp"
#include "assay/report.hpp"
#include "assay/style.hpp"

namespace assay::report {

using scoring::ItemStatus;

std::string candidate_text(const scoring::ScoreResult& r, const model::LoadedAssessment* la, bool color) {
  const Style style{color};
  std::string out;
  out +=
      style.bold(fmt::format("{} — {} ({} {})", r.candidate_id, r.assessment_title.empty() ? r.assessment_id : r.assessment_title,
                             r.assessment_id, r.assessment_version)) +
      "\n";
  out += fmt::format("attempt {}: {}, {} (pass mark {}): {}{}\n", r.attempt_id, points_text(r.points, r.max),
                     percent_text(r.percent), percent_text(r.pass_percent), scoring::to_string(r.outcome),
                     r.level.empty() ? "" : ", " + r.level);
  for (const auto& reason : r.reasons) out += "  " + reason.code + ": " + reason.text + "\n";
  for (const auto& p : r.pending) out += "  pending: " + p.text + "\n";
  for (const auto& p : r.problems) out += "  " + p.code + ": " + p.text + "\n";
  for (const auto& e : r.excluded) out += "  excluded: '" + e.item + "': " + e.reason + "\n";
  if (!r.competencies.empty()) {
    out += "\n" + style.bold("Competencies") + "\n";
    for (const auto& c : r.competencies)
      out += fmt::format("  {:<32} {:>7}{}\n", c.title.empty() ? c.id : c.title, percent_text(c.percent),
                         c.min_percent ? " (minimum " + percent_text(*c.min_percent) + ")" : std::string());
  }
  if (la == nullptr) {
    out += "\n(the assessment was not found: feedback and explanations are left out)\n";
  } else if (la->assessment.sha256 != r.assessment_sha256) {
    out += "\n(the assessment changed since this attempt was delivered: explanations are from the current file)\n";
  }
  out += "\n" + style.bold("Items") + "\n";
  for (std::size_t i = 0; i < r.items.size(); ++i) {
    const auto& it = r.items[i];
    std::string status = it.status == ItemStatus::kScored ? (it.pending ? "awaiting rating" : "") : scoring::to_string(it.status);
    out += fmt::format("{}. {}{}  {}{}\n", i + 1, it.id, it.title.empty() ? "" : " — " + it.title, points_text(it.points, it.max),
                       status.empty() ? "" : " (" + status + ")");
    if (it.status == ItemStatus::kExcluded) {
      out += "   excluded: " + it.exclusion + "\n";
      continue;
    }
    for (const auto& c : it.criteria) {
      out += fmt::format("   {:<20} {}{}\n", c.id, c.credit ? points_text(c.earned, Fraction(c.points)) : std::string("pending"),
                         c.level.empty() ? "" : " (" + c.level + ")");
    }
    if (la == nullptr) continue;
    auto index = la->assessment.item_index(it.id);
    if (index < 0) continue;
    const auto& item = la->assessment.items[static_cast<std::size_t>(index)];
    if (!it.response.empty()) {
      // The answer as a person reads it: the options' texts, the cells with their columns.
      if (auto shown = la->prepared[static_cast<std::size_t>(index)].present(it.seed); shown) {
        auto answer = presentation::readable_response(nlohmann::json::parse(shown.value(), nullptr, false), it.response);
        answer.pop_back();
        out += presentation::indent(answer, "   answer: ", "           ");
      }
      auto fb = la->prepared[static_cast<std::size_t>(index)].feedback(it.seed, it.response);
      // Plugins write one finding per line: keep them under the heading.
      if (fb && !fb.value().empty()) out += presentation::indent(fb.value(), "   feedback: ", "             ");
    }
    if (!item.explanation.empty()) out += "   explanation: " + item.explanation + "\n";
    if (!item.source.empty()) out += "   source: " + item.source + "\n";
  }
  return out;
}

}  // namespace assay::report
