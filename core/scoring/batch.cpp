#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <ostream>
#include <set>

#include "assay/catalog.hpp"
#include "assay/io.hpp"
#include "assay/model.hpp"
#include "assay/plugins.hpp"
#include "assay/scoring.hpp"
#include "parallel.hpp"

namespace assay::scoring {

namespace fs = std::filesystem;
using json = nlohmann::json;

std::optional<Exclusion> parse_exclusion(std::string_view text) {
  auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0 || eq + 1 == text.size()) return std::nullopt;
  return Exclusion{std::string(text.substr(0, eq)), std::string(text.substr(eq + 1))};
}

namespace {

// One attempts line on its way through the batch.
struct Entry {
  std::size_t line = 0;
  delivery::Attempt attempt;
  const model::LoadedAssessment* assessment = nullptr;
};

void report(std::ostream& err, const Diagnostic& d);

// Assessments found in the directories, prepared on first use.
class Library {
 public:
  Library(const std::vector<fs::path>& dirs, const plugins::Registry& registry, std::ostream& err)
      : registry_(registry), err_(err) {
    dirs_ = catalog::assessment_dirs(dirs);
    for (auto& e : catalog::scan(dirs_, &load_errors_))
      by_id_[{e.assessment.id, e.assessment.version}].push_back(std::move(e.assessment));
  }

  // The prepared assessment for an attempt, or a message (the caller prints it for the line).
  // Several files may define one id and version (a draft beside the delivered file): those
  // that cannot be prepared are set aside, each reported once here by file; of the rest, the
  // one whose digest the attempt records is chosen, or the only one.
  const model::LoadedAssessment* find(const std::string& id, const std::string& version, const std::string& sha256,
                                      std::string& why) {
    auto key = std::make_pair(id, version);
    Slot& slot = prepare(key);
    why = slot.why;
    if (slot.ok.empty()) return nullptr;
    if (slot.ok.size() == 1) return slot.ok.front().get();
    const model::LoadedAssessment* match = nullptr;
    std::size_t matches = 0;
    for (const auto& la : slot.ok) {
      if (la->assessment.sha256 != sha256) continue;
      match = la.get();
      ++matches;
    }
    if (matches == 1) return match;
    why = "assessment " + in_quotes(id) + " version " + in_quotes(version) +
          " is defined by more than one file: " + slot.ok[0]->assessment.path.string() + ", " +
          slot.ok[1]->assessment.path.string() +
          ", and the attempt's digest matches neither\n  hint: give each edition its own version";
    return nullptr;
  }

  // Every prepared assessment (for checking exclusions).
  std::vector<const model::LoadedAssessment*> used() const {
    std::vector<const model::LoadedAssessment*> out;
    for (const auto& [key, slot] : slots_)
      for (const auto& p : slot.ok) out.push_back(p.get());
    return out;
  }

 private:
  struct Slot {
    std::vector<std::unique_ptr<model::LoadedAssessment>> ok;
    std::string why;  // when `ok` is empty
  };

  Slot& prepare(const std::pair<std::string, std::string>& key) {
    if (auto it = slots_.find(key); it != slots_.end()) return it->second;
    Slot& slot = slots_[key];
    const auto& [id, version] = key;
    auto found = by_id_.find(key);
    if (found == by_id_.end()) {
      std::string dirs;
      for (const auto& d : dirs_) dirs += (dirs.empty() ? "" : ", ") + d.string();
      slot.why = "assessment " + in_quotes(id) + " version " + in_quotes(version) + " was not found in " +
                 (dirs.empty() ? std::string("any assessment directory") : dirs);
      if (!load_errors_.empty())
        slot.why += "\n  hint: " + std::to_string(load_errors_.size()) +
                    " assessment file(s) there did not load; 'assay validate' shows why";
      else
        slot.why += "\n  hint: pass the directory that holds it with --assessments DIR";
      return slot;
    }
    const auto& candidates = found->second;
    std::vector<std::pair<const model::Assessment*, Diagnostics>> failed;
    for (const auto& candidate : candidates) {
      auto loaded = model::try_prepare_assessment(candidate, registry_);
      if (loaded)
        slot.ok.push_back(std::make_unique<model::LoadedAssessment>(std::move(loaded.value())));
      else
        failed.emplace_back(&candidate, std::move(loaded.error()));
    }
    if (slot.ok.empty()) {
      // The only file, or every one, is broken: the lines say why.
      const auto& [a, errors] = failed.front();
      slot.why = "assessment " + in_quotes(id) + " version " + in_quotes(version) + " (" + a->path.string() +
                 ") cannot be scored:\n" + format_all(errors);
      if (slot.why.back() == '\n') slot.why.pop_back();
      return slot;
    }
    for (const auto& [a, errors] : failed) {
      Diagnostic d = error_at(a->path.string(),
                              "assessment " + in_quotes(id) + " version " + in_quotes(version) +
                                  " is also defined here, but this file has " + std::to_string(errors.size()) +
                                  (errors.size() == 1 ? " error" : " errors") + ": it is ignored, and " +
                                  slot.ok.front()->assessment.path.string() + " is scored",
                              {"'assay validate " + a->path.string() + "' shows the errors; give a draft its own version"});
      d.severity = Severity::kWarning;
      report(err_, d);
    }
    return slot;
  }

  const plugins::Registry& registry_;
  std::ostream& err_;
  std::vector<fs::path> dirs_;
  Diagnostics load_errors_;
  std::map<std::pair<std::string, std::string>, std::vector<model::Assessment>> by_id_;
  std::map<std::pair<std::string, std::string>, Slot> slots_;
};

void report(std::ostream& err, const Diagnostic& d) { err << d.format() << '\n'; }

Diagnostic at_line(const fs::path& file, std::size_t line, std::string message, std::vector<std::string> hints = {}) {
  Diagnostic d = error_at_line(file.string(), line, std::move(message), std::move(hints));
  d.column = line > 0 ? 1 : 0;
  return d;
}

// Splits "message\n  hint: a\n  hint: b" into a diagnostic.
Diagnostic at_line_text(const fs::path& file, std::size_t line, const std::string& text) {
  Diagnostic d = at_line(file, line, "");
  std::size_t nl = text.find("\n  hint: ");
  if (nl == std::string::npos || text.find('\n') < nl) {
    d.message = text;
    return d;
  }
  d.message = text.substr(0, nl);
  std::size_t pos = nl;
  while (pos != std::string::npos) {
    std::size_t start = pos + 9;
    std::size_t next = text.find("\n  hint: ", start);
    d.hints.push_back(text.substr(start, next == std::string::npos ? std::string::npos : next - start));
    pos = next;
  }
  return d;
}

}  // namespace

std::string summary_csv(const std::vector<ScoreResult>& results, const std::vector<Person>& people) {
  const bool named = !people.empty() && people.size() == results.size();
  std::vector<std::string> competencies;
  std::set<std::string> seen;
  for (const auto& r : results)
    for (const auto& c : r.competencies)
      if (seen.insert(c.id).second) competencies.push_back(c.id);
  io::CsvWriter csv;
  std::vector<std::string> header = {"candidate_id", "attempt_id", "assessment_id", "assessment_version", "outcome", "level",
                                     "points",       "max",        "percent"};
  if (named) header.insert(header.begin() + 1, {"name", "email", "external_ref"});
  for (const auto& c : competencies) header.push_back(c + " %");
  header.push_back("reasons");
  csv.row(header);
  for (std::size_t i = 0; i < results.size(); ++i) {
    const auto& r = results[i];
    std::vector<std::string> row = {r.candidate_id,         r.attempt_id,         r.assessment_id,
                                    r.assessment_version,   to_string(r.outcome), r.level,
                                    r.points.to_decimal(2), r.max.to_decimal(2),  r.percent.to_decimal(1)};
    if (named) row.insert(row.begin() + 1, {people[i].name, people[i].email, people[i].external_ref});
    for (const auto& id : competencies) {
      std::string cell;
      for (const auto& c : r.competencies)
        if (c.id == id) cell = c.percent.to_decimal(1);
      row.push_back(cell);
    }
    std::string reasons;
    for (const auto& reason : r.reasons) reasons += (reasons.empty() ? "" : "; ") + reason.text;
    row.push_back(reasons);
    csv.row(row);
  }
  return csv.text();
}

std::vector<delivery::AttemptLine> read_attempts(const std::string& file, const std::vector<io::Line>& lines, unsigned threads) {
  std::vector<delivery::AttemptLine> parsed(lines.size());
  detail::parallel_for(lines.size(), threads, [&](std::size_t i) { parsed[i] = delivery::parse_attempt_line(file, lines[i]); });
  return parsed;
}

BatchSummary run_batch(const BatchOptions& options, const plugins::Registry& registry, std::ostream& err) {
  BatchSummary summary;
  auto text = io::try_read_file(options.attempts);
  if (!text) {
    report(err, text.error());
    summary.io_failed = true;
    return summary;
  }

  // The overlays: exclusions and ratings files.
  std::vector<Exclusion> exclusions = options.exclusions;
  if (options.exclusions_file) {
    auto ex = io::try_read_file(*options.exclusions_file);
    if (!ex) {
      report(err, ex.error());
      summary.io_failed = true;
      return summary;
    }
    auto lines = io::read_json_lines(options.exclusions_file->string(), ex.value());
    for (const auto& d : lines.errors) report(err, d);
    summary.input_problems = summary.input_problems || !lines.errors.empty();
    for (const auto& [line, j] : lines.values) {
      auto item = j.find("item");
      auto reason = j.find("reason");
      if (item == j.end() || !item->is_string() || reason == j.end() || !reason->is_string() ||
          item->get<std::string>().empty() || reason->get<std::string>().empty()) {
        report(err, at_line(*options.exclusions_file, line, "expected {\"item\": ID, \"reason\": TEXT}, found " + j.dump()));
        summary.input_problems = true;
        continue;
      }
      exclusions.push_back({item->get<std::string>(), reason->get<std::string>()});
    }
  }
  std::map<std::string, std::map<std::string, std::map<std::string, std::string>>> file_ratings;
  std::map<std::string, std::size_t> ratings_line;
  if (options.ratings_file) {
    auto rt = io::try_read_file(*options.ratings_file);
    if (!rt) {
      report(err, rt.error());
      summary.io_failed = true;
      return summary;
    }
    auto lines = io::read_json_lines(options.ratings_file->string(), rt.value());
    for (const auto& d : lines.errors) report(err, d);
    summary.input_problems = summary.input_problems || !lines.errors.empty();
    for (const auto& [line, j] : lines.values) {
      auto id = j.find("attempt_id");
      auto ratings = j.find("ratings");
      bool ok = id != j.end() && id->is_string() && ratings != j.end() && ratings->is_object();
      if (ok) {
        for (const auto& [item, by] : ratings->items()) {
          if (!by.is_object()) ok = false;
          for (const auto& [criterion, level] : by.items()) ok = ok && level.is_string();
        }
      }
      if (!ok) {
        report(err, at_line(*options.ratings_file, line,
                            "expected {\"attempt_id\": ID, \"ratings\": {ITEM: {CRITERION: LEVEL}}}, found " + j.dump()));
        summary.input_problems = true;
        continue;
      }
      auto& dest = file_ratings[id->get<std::string>()];
      ratings_line[id->get<std::string>()] = line;
      for (const auto& [item, by] : ratings->items())
        for (const auto& [criterion, level] : by.items()) dest[item][criterion] = level.get<std::string>();
    }
  }

  // Parse every line (in parallel: parsing is most of the reading cost), then check each in order.
  auto lines = io::split_lines(text.value());
  summary.lines = lines.size();
  auto parsed = read_attempts(options.attempts.string(), lines, options.threads);

  Library library(options.assessment_dirs, registry, err);
  std::vector<Entry> entries;
  std::map<std::string, std::size_t> seen_ids;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::size_t line = lines[i].number;
    auto reject = [&](Diagnostic d) {
      report(err, d);
      ++summary.rejected;
    };
    if (parsed[i].json_error) {
      reject(*parsed[i].json_error);
      continue;
    }
    if (!parsed[i].attempt) {
      std::string msg = "invalid attempt: ";
      for (std::size_t k = 0; k < parsed[i].errors.size(); ++k) msg += (k ? "; " : "") + parsed[i].errors[k];
      reject(at_line(options.attempts, line, msg, {"docs/formats.md describes attempt v1"}));
      continue;
    }
    delivery::Attempt& a = *parsed[i].attempt;
    std::string who = "attempt " + in_quotes(a.attempt_id);
    if (auto [it, fresh] = seen_ids.emplace(a.attempt_id, line); !fresh) {
      reject(at_line(options.attempts, line,
                     who + " already appears on line " + std::to_string(it->second) + "; the repeat is skipped"));
      continue;
    }
    std::string why;
    const model::LoadedAssessment* la = library.find(a.assessment_id, a.assessment_version, a.assessment_sha256, why);
    if (la == nullptr) {
      reject(at_line_text(options.attempts, line, who + ": " + why));
      continue;
    }
    if (a.assessment_sha256 != la->assessment.sha256) {
      if (!options.accept_changed) {
        reject(at_line(options.attempts, line,
                       who + ": assessment " + in_quotes(a.assessment_id) + " version " + in_quotes(a.assessment_version) +
                           " has changed since the attempt was delivered: the attempt records sha256 " + a.assessment_sha256 +
                           ", " + la->assessment.path.string() + " has " + la->assessment.sha256,
                       {"score against the assessment as it was delivered, or pass --accept-changed to score with "
                        "the current file"}));
        continue;
      }
    }
    auto form_errors = check_form(la->assessment, a);
    if (!form_errors.empty()) {
      std::string msg = who + ": the recorded form does not fit the assessment: ";
      for (std::size_t k = 0; k < form_errors.size(); ++k) msg += (k ? "; " : "") + form_errors[k];
      reject(at_line(options.attempts, line, msg));
      continue;
    }
    if (auto r = file_ratings.find(a.attempt_id); r != file_ratings.end())
      for (const auto& [item, by] : r->second)
        for (const auto& [criterion, level] : by) a.ratings[item][criterion] = level;
    entries.push_back({line, std::move(a), la});
  }
  summary.input_problems = summary.input_problems || summary.rejected > 0;

  // Ratings and exclusions that match nothing are reported: they are usually typos.
  for (const auto& [id, line] : ratings_line) {
    if (!seen_ids.count(id)) {
      report(err, at_line(*options.ratings_file, line,
                          "ratings for attempt " + in_quotes(id) + ", which is not in " + options.attempts.string()));
      summary.input_problems = true;
    }
  }
  for (const auto& e : exclusions) {
    bool matched = false;
    for (const auto* la : library.used()) matched = matched || la->assessment.find_item(e.item) != nullptr;
    if (!matched && !entries.empty()) {
      Diagnostic d = error_at("", "exclusion " + in_quotes(e.item) + " matches no item of the assessments scored");
      d.severity = Severity::kWarning;
      report(err, d);
    }
  }

  std::vector<Job> jobs;
  jobs.reserve(entries.size());
  for (const auto& e : entries) jobs.push_back({e.assessment, &e.attempt});
  Options so;
  so.exclusions = exclusions;
  so.threads = options.threads;
  so.progress = options.progress;
  std::vector<ScoreResult> results = score_all(jobs, so);

  // Serialise in parallel (written directly: the bytes of to_json().dump()), concatenate in order.
  std::vector<std::string> out_lines(results.size());
  detail::parallel_for(results.size(), options.threads, [&](std::size_t i) {
    append_json_text(out_lines[i], results[i]);
    out_lines[i] += '\n';
  });
  std::string out;
  std::size_t bytes = 0;
  for (const auto& l : out_lines) bytes += l.size();
  out.reserve(bytes);
  for (const auto& l : out_lines) out += l;
  if (auto w = io::try_write_atomic(options.out, out); !w) {
    report(err, w.error());
    summary.io_failed = true;
    return summary;
  }
  if (options.csv) {
    if (auto w = io::try_write_atomic(*options.csv, summary_csv(results)); !w) {
      report(err, w.error());
      summary.io_failed = true;
      return summary;
    }
  }
  if (!options.exports.empty()) {
    std::vector<const delivery::Attempt*> attempts;
    attempts.reserve(entries.size());
    for (const auto& e : entries) attempts.push_back(&e.attempt);
    for (const auto& x : options.exports) {
      if (auto w = io::try_write_atomic(x.file, x.text(results, attempts)); !w) {
        report(err, w.error());
        summary.io_failed = true;
        return summary;
      }
    }
  }
  summary.scored = results.size();
  // A plugin that failed is never silent: one line per distinct failure with how often it
  // happened, in the order first met (the results carry each one as a scoring_failed problem).
  std::vector<std::pair<std::string, std::size_t>> failures;
  for (const auto& r : results) {
    if (r.outcome == Outcome::kPass) ++summary.pass;
    if (r.outcome == Outcome::kFail) ++summary.fail;
    if (r.outcome == Outcome::kPending) ++summary.pending;
    for (const auto& p : r.problems) {
      if (p.code != "scoring_failed") continue;
      ++summary.failed_items;
      auto it = std::find_if(failures.begin(), failures.end(), [&](const auto& f) { return f.first == p.text; });
      if (it == failures.end())
        failures.emplace_back(p.text, 1);
      else
        ++it->second;
    }
  }
  for (const auto& [text, n] : failures)
    report(err, error_at("", fmt::format("{} ({} {})", text, n, n == 1 ? "response" : "responses"),
                         {"this is a failure of the plugin, not of the candidates: report it to the plugin's author"}));
  return summary;
}

}  // namespace assay::scoring
