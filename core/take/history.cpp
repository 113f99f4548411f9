// Past takes: the newest attempt left open, and the results per assessment with each competency's trend.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "assay/io.hpp"
#include "assay/scoring.hpp"
#include "assay/take.hpp"
#include "detail.hpp"

namespace assay::take {

using json = nlohmann::json;
using assay::Style;

std::optional<fs::path> newest_open_session(const fs::path& data_dir) {
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
    auto t = e.last_write_time(ec);
    if (!best || t > best_time) {
      best = e.path();
      best_time = t;
    }
  }
  return best;
}

std::string history(const fs::path& data_dir, bool color) {
  Style st(color);
  struct Row {
    std::string when;
    scoring::ScoreResult result;
  };
  std::map<std::string, std::vector<Row>> by_assessment;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(data_dir / "results", ec)) {
    if (e.path().extension() != ".json") continue;
    auto text = io::try_read_file(e.path());
    if (!text) continue;
    auto r = scoring::try_result_from_json(json::parse(text.value(), nullptr, false));
    if (!r) continue;
    std::string when;
    if (auto s = io::try_read_file(data_dir / "attempts" / e.path().filename()); s) {
      auto session = try_session_from_json(json::parse(s.value(), nullptr, false));
      if (session && session->attempt.submitted) when = format_time(*session->attempt.submitted);
    }
    by_assessment[r->assessment_title.empty() ? r->assessment_id : r->assessment_title].push_back({when, std::move(r.value())});
  }
  if (by_assessment.empty()) return "no results yet: 'assay take' starts a practice attempt\n";
  std::string out;
  for (auto& [title, rows] : by_assessment) {
    std::sort(rows.begin(), rows.end(), [](const Row& x, const Row& y) { return x.when < y.when; });
    out += st.bold(title) + "\n";
    for (const auto& row : rows) {
      out += fmt::format("  {:<20}  {:>6}  {}\n", row.when.empty() ? "(unknown time)" : row.when,
                         percent_text(row.result.percent), scoring::to_string(row.result.outcome));
    }
    // Trend per competency, oldest to newest.
    std::map<std::string, std::vector<std::string>> trend;
    std::vector<std::string> order;
    for (const auto& row : rows) {
      for (const auto& c : row.result.competencies) {
        if (!trend.count(c.title)) order.push_back(c.title);
        trend[c.title].push_back(c.percent.to_decimal(0));
      }
    }
    for (const auto& t : order) {
      std::string series;
      for (const auto& p : trend[t]) series += (series.empty() ? "" : " → ") + p + "%";
      out += fmt::format("    {:<34} {}\n", t.substr(0, 34), series);
    }
    out += "\n";
  }
  return out;
}

}  // namespace assay::take
