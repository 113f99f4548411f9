// Past takes: the newest attempt left open, and the results per assessment with each competency's trend.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "assay/io.hpp"
#include "assay/presentation.hpp"
#include "assay/scoring.hpp"
#include "assay/take.hpp"
#include "detail.hpp"

namespace assay::take {

using json = nlohmann::json;
using assay::Style;

std::optional<fs::path> newest_open_session(const fs::path& data_dir, const std::string& assessment_id) {
  std::error_code ec;
  std::optional<fs::path> best;
  fs::file_time_type best_time{};
  for (const auto& e : fs::directory_iterator(data_dir / "attempts", ec)) {
    if (e.path().extension() != ".json") continue;
    auto text = io::try_read_file(e.path());
    if (!text) continue;
    auto j = json::parse(text.value(), nullptr, false);
    auto s = try_session_from_json(j);
    if (!s || s->attempt.submitted) continue;
    if (!assessment_id.empty() && s->attempt.assessment_id != assessment_id) continue;
    auto t = e.last_write_time(ec);
    if (!best || t > best_time) {
      best = e.path();
      best_time = t;
    }
  }
  return best;
}

namespace {

struct Row {
  std::string when;
  std::string drill;  // the competency drilled, or "" for a full attempt
  scoring::ScoreResult result;
};

/// Each competency's percents across `rows`, oldest to newest, under a name column as wide as the
/// longest name that fits: a longer name has a line of its own.
std::string trends(const std::vector<const Row*>& rows, const Style& st) {
  std::map<std::string, std::vector<std::string>> trend;
  std::vector<std::string> order;
  for (const auto* row : rows) {
    for (const auto& c : row->result.competencies) {
      if (c.max.is_zero()) continue;  // nothing on that form counted for it
      if (!trend.count(c.title)) order.push_back(c.title);
      trend[c.title].push_back(percent_text(c.percent));
    }
  }
  constexpr std::size_t kColumn = 34;
  std::string out;
  for (const auto& t : order) {
    std::string series;
    for (const auto& p : trend[t]) series += (series.empty() ? "" : " → ") + p;
    if (presentation::text_width(t) > kColumn)
      out += "    " + t + "\n" + fmt::format("    {:<{}} {}\n", "", kColumn, st.dim(series));
    else
      out += "    " + t + std::string(kColumn - presentation::text_width(t), ' ') + " " + series + "\n";
  }
  return out;
}

}  // namespace

std::string history(const fs::path& data_dir, bool color) {
  Style st(color);
  std::map<std::string, std::vector<Row>> by_assessment;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(data_dir / "results", ec)) {
    if (e.path().extension() != ".json") continue;
    auto text = io::try_read_file(e.path());
    if (!text) continue;
    auto r = scoring::try_result_from_json(json::parse(text.value(), nullptr, false));
    if (!r) continue;
    Row row;
    if (auto s = io::try_read_file(data_dir / "attempts" / e.path().filename()); s) {
      auto session = try_session_from_json(json::parse(s.value(), nullptr, false));
      if (session && session->attempt.submitted) row.when = format_time(*session->attempt.submitted);
      if (session) row.drill = session->competency;
    }
    row.result = std::move(r.value());
    auto title = row.result.assessment_title.empty() ? row.result.assessment_id : row.result.assessment_title;
    by_assessment[title].push_back(std::move(row));
  }
  if (by_assessment.empty()) return "no results yet: 'assay take' starts a practice attempt\n";
  std::string out;
  for (auto& [title, rows] : by_assessment) {
    std::sort(rows.begin(), rows.end(), [](const Row& x, const Row& y) { return x.when < y.when; });
    out += st.bold(title) + "\n";
    // Full attempts and their trend; drills of one competency apart, each with its own: a drill's
    // percent says nothing of the whole assessment, and only like is compared with like.
    std::vector<const Row*> full;
    std::map<std::string, std::vector<const Row*>> drills;
    for (const auto& row : rows) {
      if (row.drill.empty())
        full.push_back(&row);
      else
        drills[row.drill].push_back(&row);
    }
    auto line = [&](const Row& row) {
      return fmt::format("  {:<20}  {:>6}  {}\n", row.when.empty() ? "(unknown time)" : row.when,
                         percent_text(row.result.percent), scoring::to_string(row.result.outcome));
    };
    if (!full.empty()) {
      out += "  full attempts\n";
      for (const auto* row : full) out += line(*row);
      out += trends(full, st);
    }
    for (const auto& [competency, list] : drills) {
      std::string name = competency;
      for (const auto& c : list.front()->result.competencies)
        if (c.id == competency) name = c.title;
      out += "  drills of " + name + "\n";
      for (const auto* row : list) out += line(*row);
      if (list.size() > 1) out += trends(list, st);
    }
    out += "\n";
  }
  return out;
}

}  // namespace assay::take
