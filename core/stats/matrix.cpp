#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "assay/io.hpp"
#include "assay/stats.hpp"

namespace assay::stats {

bool Matrix::presented(std::size_t person, std::size_t item) const { return !std::isnan(at(person, item)); }

bool Matrix::complete() const {
  for (double v : cells)
    if (std::isnan(v)) return false;
  return true;
}

namespace {

// A decimal number from 0 ("1", "0.5", "2."), or nothing.
std::optional<double> parse_points(const std::string& text) {
  if (text.empty() || text.front() == '+' || text.front() == '-') return std::nullopt;
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v, std::chars_format::fixed);
  if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(v) || v < 0) return std::nullopt;
  return v;
}

double to_double(const Fraction& f) {
  return static_cast<double>(static_cast<long double>(f.num()) / static_cast<long double>(f.den()));
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

}  // namespace

Expected<Matrix, Diagnostic> try_read_matrix(const std::string& file, std::string_view text) {
  auto parsed = io::try_parse_csv(text);
  if (!parsed) {
    Diagnostic d = parsed.error();
    d.file = file;
    return d;
  }
  const auto& records = parsed.value();
  if (records.empty())
    return error_at(file, "empty matrix: expected a header row of item ids",
                    {"write one column per item, one row per person: 0/1 or points, empty when not presented"});
  const auto& header = records.front();
  std::size_t first = 0;
  Matrix m;
  if (!header.fields.empty() &&
      (header.fields[0] == "person" || header.fields[0] == "candidate_id" || header.fields[0] == "judge"))
    first = 1;
  std::map<std::string, std::size_t> seen;
  for (std::size_t c = first; c < header.fields.size(); ++c) {
    const std::string id = trim(header.fields[c]);
    if (id.empty())
      return error_at_line(file, header.line, fmt::format("column {}: expected an item id, found an empty header cell", c + 1));
    if (auto [it, added] = seen.emplace(id, c); !added)
      return error_at_line(file, header.line,
                           fmt::format("column {}: duplicate item id '{}' (also column {})", c + 1, id, it->second + 1));
    m.items.push_back(id);
  }
  if (m.items.empty()) return error_at_line(file, header.line, "expected a header row of item ids, found none");
  const std::size_t k = m.items.size();
  if (records.size() < 2) return error_at_line(file, header.line, "no persons: expected one row per person after the header");
  m.cells.reserve((records.size() - 1) * k);
  for (std::size_t r = 1; r < records.size(); ++r) {
    const auto& rec = records[r];
    if (rec.fields.size() != header.fields.size())
      return error_at_line(file, rec.line,
                           fmt::format("expected {} cells as in the header, found {}", header.fields.size(), rec.fields.size()),
                           {"every row needs a cell for every column: leave it empty for an item not presented"});
    m.persons.push_back(first ? rec.fields[0] : std::to_string(r));
    for (std::size_t c = first; c < rec.fields.size(); ++c) {
      const std::string cell = trim(rec.fields[c]);
      if (cell.empty()) {
        m.cells.push_back(kNotPresented);
        continue;
      }
      auto v = parse_points(cell);
      if (!v)
        return error_at_line(file, rec.line,
                             fmt::format("item '{}' (column {}): expected points (a number from 0), found \"{}\"",
                                         m.items[c - first], c + 1, cell),
                             {"write 0/1 or the points earned, or leave the cell empty when the item was not presented"});
      m.cells.push_back(*v);
    }
  }
  m.max.assign(k, 0.0);
  for (std::size_t p = 0; p < m.rows(); ++p)
    for (std::size_t i = 0; i < k; ++i)
      if (m.presented(p, i)) m.max[i] = std::max(m.max[i], m.at(p, i));
  for (double& v : m.max)
    if (v == 0) v = 1;
  return m;
}

ResultsRead read_results(const std::string& file, std::string_view text) {
  ResultsRead out;
  auto lines = io::read_json_lines(file, text);
  out.errors = lines.errors;
  std::vector<scoring::ScoreResult> results;
  for (auto& [line, j] : lines.values) {
    auto r = scoring::try_result_from_json(j);
    if (!r) {
      Diagnostic d = error_at_line(file, line,
                                   "invalid result: " + r.error().front() +
                                       (r.error().size() > 1 ? fmt::format(" (and {} more)", r.error().size() - 1) : ""),
                                   {"'assay stats' reads the full results 'assay score' writes"});
      d.column = 1;
      out.errors.push_back(d);
      continue;
    }
    results.push_back(std::move(r.value()));
  }
  std::sort(out.errors.begin(), out.errors.end(), [](const Diagnostic& a, const Diagnostic& b) { return a.line < b.line; });
  std::vector<std::vector<const scoring::ScoreResult*>> groups;
  std::map<std::pair<std::string, std::string>, std::size_t> group_of;
  for (const auto& r : results) {
    auto [it, added] = group_of.try_emplace({r.assessment_id, r.assessment_version}, groups.size());
    if (added) {
      groups.emplace_back();
      out.cohorts.push_back(Cohort{r.assessment_id, r.assessment_version, r.assessment_title, {}});
    }
    groups[it->second].push_back(&r);
  }
  for (std::size_t g = 0; g < groups.size(); ++g) out.cohorts[g].matrix = results_matrix(groups[g]);
  return out;
}

namespace {

// The option of a response that is one member holding an array of one string, or nothing.
std::optional<std::string> single_choice(const std::string& response) {
  if (response.empty()) return std::string{};  // unanswered: no option, still a choice item
  auto j = nlohmann::json::parse(response, nullptr, false);
  if (!j.is_object() || j.size() != 1) return std::nullopt;
  const auto& v = j.begin().value();
  if (!v.is_array() || v.size() != 1 || !v[0].is_string()) return std::nullopt;
  return v[0].get<std::string>();
}

}  // namespace

Matrix results_matrix(const std::vector<const scoring::ScoreResult*>& results) {
  Matrix m;
  std::map<std::string, std::size_t> column;
  for (const auto* r : results)
    for (const auto& it : r->items)
      if (column.try_emplace(it.id, m.items.size()).second) {
        m.items.push_back(it.id);
        m.max.push_back(0);
      }
  const std::size_t k = m.items.size();
  m.cells.assign(results.size() * k, kNotPresented);
  std::vector<std::vector<std::string>> choices(k, std::vector<std::string>(results.size()));
  std::vector<bool> is_choice(k, true), any_answer(k, false);
  std::map<std::pair<std::size_t, std::string>, std::size_t> criterion_of;
  for (const auto* r : results)
    for (const auto& it : r->items) {
      if (it.criteria.size() < 2) continue;
      for (const auto& c : it.criteria) {
        if (c.points <= 0) continue;
        const std::size_t i = column.at(it.id);
        if (criterion_of.try_emplace({i, c.id}, m.criteria.size()).second)
          m.criteria.push_back(Matrix::Criterion{i, c.id, 0.0, std::vector<double>(results.size(), kNotPresented)});
      }
    }
  for (std::size_t p = 0; p < results.size(); ++p) {
    const auto* r = results[p];
    m.persons.push_back(r->candidate_id);
    m.passed.push_back(r->outcome == scoring::Outcome::kPass ? 1 : r->outcome == scoring::Outcome::kFail ? 0 : -1);
    if (!m.pass_percent) m.pass_percent = to_double(r->pass_percent);
    for (const auto& it : r->items) {
      if (it.status == scoring::ItemStatus::kExcluded || it.pending || it.max <= Fraction(0)) continue;
      const std::size_t i = column.at(it.id);
      // Items of the same id keep their max across forms; the most seen is the item's max.
      m.max[i] = std::max(m.max[i], to_double(it.max));
      m.cells[p * k + i] = std::max(0.0, to_double(it.points));
      for (const auto& c : it.criteria) {
        auto found = criterion_of.find({i, c.id});
        if (found == criterion_of.end() || !c.credit) continue;
        auto& col = m.criteria[found->second];
        col.max = std::max(col.max, static_cast<double>(c.points));
        col.earned[p] = std::max(0.0, to_double(c.earned));
      }
      if (!is_choice[i]) continue;
      auto choice = single_choice(it.response);
      if (!choice) {
        is_choice[i] = false;
        continue;
      }
      if (!choice->empty()) any_answer[i] = true;
      choices[i][p] = *choice;
    }
  }
  for (double& v : m.max)
    if (v == 0) v = 1;
  bool any = false;
  for (std::size_t i = 0; i < k; ++i) {
    if (!is_choice[i] || !any_answer[i]) choices[i].clear();
    any = any || !choices[i].empty();
  }
  if (any) m.choices = std::move(choices);
  return m;
}

}  // namespace assay::stats
