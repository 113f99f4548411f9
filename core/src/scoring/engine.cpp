#include <algorithm>
#include <atomic>
#include <set>
#include <unordered_map>

#include "assay/model.hpp"
#include "assay/scoring.hpp"
#include "parallel.hpp"

namespace assay::scoring {

namespace {

Fraction from_decimal(const model::Decimal& d) {
  auto f = Fraction::parse(d.to_string());
  if (!f) throw std::overflow_error("decimal '" + d.to_string() + "' does not fit an exact fraction");
  return *f;
}

std::string squote(const std::string& s) { return "'" + s + "'"; }

const model::RubricLevel* find_level(const model::CriterionSpec& spec, const std::string& name) {
  for (const auto& l : spec.levels)
    if (l.name == name) return &l;
  return nullptr;
}

// The best a criterion can earn: its points, or 0 for a penalty.
Fraction best_of(std::int64_t points) { return Fraction(std::max<std::int64_t>(points, 0)); }

}  // namespace

ItemResult excluded_item(const model::Item& item, std::uint64_t seed, const std::string& reason) {
  ItemResult r;
  r.id = item.id;
  r.section = item.section;
  r.competency = item.competency;
  r.type = item.type;
  r.seed = seed;
  r.status = ItemStatus::kExcluded;
  r.critical = item.critical;
  r.weight = from_decimal(item.weight);
  r.exclusion = reason;
  return r;
}

namespace {

// What score_item needs of an item that does not change from candidate to candidate.
struct ItemConstants {
  Fraction weight;
  Fraction max;  // the item's positive points × weight
};

ItemConstants constants_of(const model::Item& item) {
  Fraction weight = from_decimal(item.weight);
  return {weight, Fraction(item.max_points()) * weight};
}

ItemResult score_item_with(const model::Item& item, const ItemConstants& constants, const std::vector<std::size_t>& slots,
                           bool answered, int status, std::span<const assay_credit> credits,
                           const std::map<std::string, std::string>* ratings, bool allow_negative, std::vector<Reason>& problems,
                           std::vector<Reason>& pending);

}  // namespace

ItemResult score_item(const model::Item& item, const std::vector<std::size_t>& slots, bool answered, int status,
                      std::span<const assay_credit> credits, const std::map<std::string, std::string>* ratings,
                      bool allow_negative, std::vector<Reason>& problems, std::vector<Reason>& pending) {
  return score_item_with(item, constants_of(item), slots, answered, status, credits, ratings, allow_negative, problems, pending);
}

namespace {

ItemResult score_item_with(const model::Item& item, const ItemConstants& constants, const std::vector<std::size_t>& slots,
                           bool answered, int status, std::span<const assay_credit> credits,
                           const std::map<std::string, std::string>* ratings, bool allow_negative, std::vector<Reason>& problems,
                           std::vector<Reason>& pending) {
  ItemResult r;
  r.id = item.id;
  r.section = item.section;
  r.competency = item.competency;
  r.type = item.type;
  r.critical = item.critical;
  r.weight = constants.weight;
  r.criteria.reserve(item.criteria.size());
  bool valid = answered && status == ASSAY_STATUS_OK;
  if (!answered) {
    r.status = ItemStatus::kUnanswered;
  } else if (status != ASSAY_STATUS_OK) {
    r.status = ItemStatus::kInvalid;
  }
  Fraction sum;
  Fraction best;
  for (std::size_t j = 0; j < item.criteria.size(); ++j) {
    const auto& spec = item.criteria[j];
    CriterionResult c;
    c.id = spec.id;
    c.points = spec.points;
    c.critical = spec.critical;
    c.rated = !spec.levels.empty();
    best += best_of(spec.points);
    if (!valid) {
      c.credit = Fraction(0);
    } else if (c.rated) {
      const std::string* level = nullptr;
      if (ratings != nullptr) {
        if (auto it = ratings->find(spec.id); it != ratings->end()) level = &it->second;
      }
      const model::RubricLevel* found = level != nullptr ? find_level(spec, *level) : nullptr;
      if (level != nullptr && found == nullptr) {
        std::string names;
        for (const auto& l : spec.levels) names += (names.empty() ? "" : ", ") + squote(l.name);
        problems.push_back({"unknown_level",
                            "item " + squote(item.id) + ", criterion " + squote(spec.id) + ": rating " + squote(*level) +
                                " is not one of its levels (" + names + "); the criterion stays unrated",
                            item.id, spec.id, ""});
      }
      if (found == nullptr) {
        r.pending = true;
        pending.push_back({"rating_pending",
                           "item " + squote(item.id) + ", criterion " + squote(spec.id) + " awaits a rater's level", item.id,
                           spec.id, ""});
        c.earned = Fraction(0);
        sum += c.earned;
        r.criteria.push_back(std::move(c));
        continue;
      }
      c.level = found->name;
      c.earned = Fraction(found->points);
      c.credit = spec.points != 0 ? c.earned / Fraction(spec.points) : Fraction(1);
      sum += c.earned;
      r.criteria.push_back(std::move(c));
      continue;
    } else {
      const assay_credit& k = credits[slots.at(j)];
      // The ABI promises 0 <= num <= den, den >= 1; clamp rather than trust a faulty plugin.
      std::uint64_t den = k.denominator == 0 ? 1 : k.denominator;
      std::uint64_t num = k.denominator == 0 ? 0 : std::min(k.numerator, den);
      c.credit = Fraction::from_credit(num, den);
    }
    c.earned = *c.credit * Fraction(spec.points);
    sum += c.earned;
    r.criteria.push_back(std::move(c));
  }
  (void)best;
  r.raw = (!allow_negative && sum.is_negative()) ? Fraction(0) : sum;
  r.points = r.raw * r.weight;
  r.max = constants.max;
  return r;
}

}  // namespace

void finish(ScoreResult& result, const model::Assessment& assessment) {
  result.reasons.clear();
  result.sections.clear();
  result.competencies.clear();
  result.points = Fraction(0);
  result.max = Fraction(0);
  result.pass_percent = from_decimal(assessment.outcome.pass_percent);
  result.assessment_title = assessment.title;

  // Totals by position in the assessment's lists (a handful of entries: a scan beats a map).
  auto position = [](const auto& list, const std::string& id) {
    for (std::size_t i = 0; i < list.size(); ++i)
      if (list[i].id == id) return i;
    return list.size();
  };
  std::vector<Total> by_section(assessment.sections.size() + 1), by_competency(assessment.competencies.size() + 1);
  std::vector<char> section_on_form(by_section.size(), 0), competency_on_form(by_competency.size(), 0);
  for (const auto& item : result.items) {
    std::size_t si = position(assessment.sections, item.section);
    std::size_t ci = position(assessment.competencies, item.competency);
    section_on_form[si] = 1;
    competency_on_form[ci] = 1;
    if (item.status == ItemStatus::kExcluded) continue;
    auto& s = by_section[si];
    s.points += item.points;
    s.max += item.max;
    auto& c = by_competency[ci];
    c.points += item.points;
    c.max += item.max;
    result.points += item.points;
    result.max += item.max;
  }
  for (std::size_t si = 0; si < assessment.sections.size(); ++si) {
    const auto& section = assessment.sections[si];
    if (!section_on_form[si]) continue;
    Total t = std::move(by_section[si]);
    t.id = section.id;
    t.title = section.title;
    t.percent = Fraction::percent(t.points, t.max);
    result.sections.push_back(std::move(t));
  }
  for (std::size_t ci = 0; ci < assessment.competencies.size(); ++ci) {
    const auto& competency = assessment.competencies[ci];
    if (!competency_on_form[ci]) continue;
    Total t = std::move(by_competency[ci]);
    t.id = competency.id;
    t.title = competency.title;
    t.percent = Fraction::percent(t.points, t.max);
    if (competency.min_percent) t.min_percent = from_decimal(*competency.min_percent);
    result.competencies.push_back(std::move(t));
  }
  result.percent = Fraction::percent(result.points, result.max);

  // Every reason, in a fixed order: the pass mark, competencies (assessment order), critical
  // items and criteria (form order).
  if (result.percent < result.pass_percent) {
    result.reasons.push_back({"below_pass_mark",
                              "scored " + result.percent.to_decimal(1) + " %, below the pass mark of " +
                                  assessment.outcome.pass_percent.to_string() + " %",
                              "", "", ""});
  }
  for (const auto& t : result.competencies) {
    if (!t.min_percent || t.max.is_zero()) continue;  // nothing on the form counts for it
    if (t.percent < *t.min_percent) {
      const auto* spec = assessment.find_competency(t.id);
      result.reasons.push_back({"competency_below_minimum",
                                "competency " + squote(t.id) + " (" + t.title + "): " + t.percent.to_decimal(1) +
                                    " %, below its minimum of " + spec->min_percent->to_string() + " %",
                                "", "", t.id});
    }
  }
  for (const auto& item : result.items) {
    if (item.status == ItemStatus::kExcluded) continue;
    if (item.critical) {
      // Any shortfall on the item: the criteria's sum below the best they can give.
      Fraction sum, best;
      bool undecided = false;
      for (const auto& c : item.criteria) {
        sum += c.earned;
        best += best_of(c.points);
        if (!c.credit) undecided = true;
      }
      if (sum < best && !undecided) {
        result.reasons.push_back(
            {"critical_missed",
             "critical item " + squote(item.id) + " was not fully correct (" +
                 (item.status == ItemStatus::kUnanswered ? std::string("unanswered")
                  : item.status == ItemStatus::kInvalid  ? std::string("invalid response")
                                                         : sum.to_decimal(2) + " of " + best.to_decimal(2) + " points") +
                 ")",
             item.id, "", ""});
      }
    }
    for (const auto& c : item.criteria) {
      if (!c.critical || !c.credit) continue;
      if (c.earned < best_of(c.points)) {
        result.reasons.push_back({"critical_missed",
                                  "critical criterion " + squote(c.id) + " of item " + squote(item.id) + " was not fully met",
                                  item.id, c.id, ""});
      }
    }
  }

  if (!result.pending.empty()) {
    result.outcome = Outcome::kPending;
    result.reasons.clear();
    result.level.clear();
    return;
  }
  result.outcome = result.reasons.empty() ? Outcome::kPass : Outcome::kFail;
  result.level.clear();
  for (const auto& level : assessment.outcome.levels) {
    Fraction min = from_decimal(level.min_percent);
    if (result.outcome == Outcome::kFail && min >= result.pass_percent) continue;
    if (result.percent >= min) {
      result.level = level.name;
      break;
    }
  }
}

std::vector<std::string> check_form(const model::Assessment& assessment, const delivery::Attempt& attempt) {
  std::vector<std::string> errors;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < attempt.form.items.size(); ++i) {
    const auto& id = attempt.form.items[i].item_id;
    if (assessment.find_item(id) == nullptr)
      errors.push_back("form[" + std::to_string(i) + "].item: " + squote(id) + " is not an item of assessment " +
                       squote(assessment.id) + " version " + squote(assessment.version));
    if (!seen.insert(id).second)
      errors.push_back("form[" + std::to_string(i) + "].item: " + squote(id) + " appears twice on the form");
  }
  return errors;
}

namespace {

// Where each attempt's credits live: one block per form position.
struct Slots {
  std::vector<std::size_t> item_index;  // per form position: index into assessment.items
  std::vector<std::size_t> offset;      // per form position: first credit in `credits`
  std::vector<assay_credit> credits;
  std::vector<assay_status> status;          // per form position
  std::vector<const std::string*> response;  // per form position; null when unanswered/excluded
  std::size_t answers_on_form = 0;           // answers to items on the form, excluded ones included
};

struct Group {  // one item of one assessment, across candidates
  const model::LoadedAssessment* assessment;
  std::size_t item;
  std::vector<std::pair<std::size_t, std::size_t>> entries;  // (job, form position)
};

constexpr std::size_t kChunk = 512;

}  // namespace

std::vector<ScoreResult> score_all(std::span<const Job> jobs, const Options& options) {
  const std::size_t n = jobs.size();
  std::map<std::string, const std::string*> excluded;  // item id → reason
  for (const auto& e : options.exclusions) excluded.emplace(e.item, &e.reason);

  // Index each assessment's items once.
  std::map<const model::LoadedAssessment*, std::unordered_map<std::string, std::size_t>> index;
  for (const auto& job : jobs) {
    auto [it, fresh] = index.try_emplace(job.assessment);
    if (!fresh) continue;
    const auto& items = job.assessment->assessment.items;
    for (std::size_t i = 0; i < items.size(); ++i) it->second.emplace(items[i].id, i);
  }

  // Lay out the credits and group the answered form positions by item.
  std::vector<Slots> slots(n);
  std::map<const model::LoadedAssessment*, std::vector<Group>> groups;  // per assessment, one per item
  for (const auto& [la, ix] : index) {
    auto& g = groups[la];
    g.resize(la->assessment.items.size());
    for (std::size_t i = 0; i < g.size(); ++i) {
      g[i].assessment = la;
      g[i].item = i;
    }
  }
  detail::parallel_for(n, options.threads, [&](std::size_t j) {
    const auto& la = *jobs[j].assessment;
    const auto& attempt = *jobs[j].attempt;
    const auto& ix = index.at(jobs[j].assessment);
    Slots& s = slots[j];
    std::size_t total = 0;
    std::size_t positions = attempt.form.items.size();
    s.item_index.reserve(positions);
    s.offset.reserve(positions);
    s.response.reserve(positions);
    s.status.reserve(positions);
    for (std::size_t p = 0; p < positions; ++p) {
      std::size_t i = ix.at(attempt.form.items[p].item_id);
      s.item_index.push_back(i);
      s.offset.push_back(total);
      total += la.prepared[i].type().n_criteria();
      const std::string& id = la.assessment.items[i].id;
      auto answer = attempt.answers.find(id);
      if (answer != attempt.answers.end()) ++s.answers_on_form;
      bool counts = answer != attempt.answers.end() && (excluded.empty() || !excluded.count(id));
      s.response.push_back(counts ? &answer->second : nullptr);
      s.status.push_back(ASSAY_STATUS_OK);
    }
    s.credits.assign(total, assay_credit{0, 1});
  });
  for (std::size_t j = 0; j < n; ++j) {
    auto& item_groups = groups.at(jobs[j].assessment);
    const Slots& s = slots[j];
    for (std::size_t p = 0; p < s.response.size(); ++p)
      if (s.response[p] != nullptr) item_groups[s.item_index[p]].entries.emplace_back(j, p);
  }

  // Phase 1: the plugins' credits, one score_batch call per chunk of an item's responses.
  struct Task {
    const Group* group;
    std::size_t begin, end;
  };
  std::vector<Task> tasks;
  for (const auto& [la, item_groups] : groups)
    for (const auto& g : item_groups)
      for (std::size_t b = 0; b < g.entries.size(); b += kChunk) tasks.push_back({&g, b, std::min(b + kChunk, g.entries.size())});
  detail::parallel_for(tasks.size(), options.threads, [&](std::size_t t) {
    const Task& task = tasks[t];
    const auto& prepared = task.group->assessment->prepared[task.group->item];
    std::size_t k = prepared.type().n_criteria();
    std::size_t m = task.end - task.begin;
    std::vector<std::uint64_t> seeds(m);
    std::vector<std::string_view> responses(m);
    std::vector<assay_credit> credits(m * k, assay_credit{0, 1});
    std::vector<assay_status> statuses(m, ASSAY_STATUS_INTERNAL);
    for (std::size_t e = 0; e < m; ++e) {
      auto [j, p] = task.group->entries[task.begin + e];
      seeds[e] = jobs[j].attempt->form.items[p].seed;
      responses[e] = *slots[j].response[p];
    }
    assay_status batch = prepared.score_batch(seeds, responses, credits, statuses);
    for (std::size_t e = 0; e < m; ++e) {
      auto [j, p] = task.group->entries[task.begin + e];
      Slots& s = slots[j];
      s.status[p] = batch == ASSAY_STATUS_OK ? statuses[e] : batch;
      std::copy_n(credits.begin() + static_cast<std::ptrdiff_t>(e * k), k,
                  s.credits.begin() + static_cast<std::ptrdiff_t>(s.offset[p]));
    }
  });

  // Per assessment, what does not change from candidate to candidate.
  struct Fixed {
    std::vector<ItemConstants> items;
    std::vector<std::pair<std::string, std::string>> plugins;  // per item: its plugin's name and version
  };
  std::map<const model::LoadedAssessment*, Fixed> fixed;
  for (const auto& [la, ix] : index) {
    Fixed& f = fixed[la];
    for (std::size_t i = 0; i < la->assessment.items.size(); ++i) {
      f.items.push_back(constants_of(la->assessment.items[i]));
      const auto& plugin = la->prepared[i].type().plugin();
      f.plugins.emplace_back(plugin.name(), plugin.version());
    }
  }

  // Phase 2: each attempt's result.
  std::vector<ScoreResult> results(n);
  std::atomic<std::size_t> done{0};
  detail::parallel_for(n, options.threads, [&](std::size_t j) {
    const auto& la = *jobs[j].assessment;
    const auto& a = la.assessment;
    const auto& ix = index.at(jobs[j].assessment);
    const Fixed& f = fixed.at(jobs[j].assessment);
    const auto& attempt = *jobs[j].attempt;
    const Slots& s = slots[j];
    ScoreResult& r = results[j];
    r.attempt_id = attempt.attempt_id;
    r.candidate_id = attempt.candidate_id;
    r.assessment_id = a.id;
    r.assessment_version = a.version;
    r.assessment_sha256 = attempt.assessment_sha256;
    r.mode = attempt.mode;
    r.items.reserve(attempt.form.items.size());
    const std::pair<std::string, std::string>* last_plugin = nullptr;
    for (std::size_t p = 0; p < attempt.form.items.size(); ++p) {
      std::size_t i = s.item_index[p];
      const auto& item = a.items[i];
      const auto& prepared = la.prepared[i];
      std::uint64_t seed = attempt.form.items[p].seed;
      if (auto ex = excluded.find(item.id); ex != excluded.end()) {
        r.items.push_back(excluded_item(item, seed, *ex->second));
        r.excluded.push_back({item.id, *ex->second});
        continue;
      }
      if (last_plugin == nullptr || *last_plugin != f.plugins[i]) {
        last_plugin = &f.plugins[i];
        r.plugins[last_plugin->first] = last_plugin->second;
      }
      const std::map<std::string, std::string>* ratings = nullptr;
      if (!attempt.ratings.empty()) {
        if (auto rt = attempt.ratings.find(item.id); rt != attempt.ratings.end()) ratings = &rt->second;
      }
      bool answered = s.response[p] != nullptr;
      std::span<const assay_credit> credits(s.credits.data() + s.offset[p], prepared.type().n_criteria());
      r.items.push_back(score_item_with(item, f.items[i], la.slots[i], answered, s.status[p], credits, ratings,
                                        a.outcome.allow_negative, r.problems, r.pending));
      ItemResult& ir = r.items.back();
      ir.seed = seed;
      if (answered) ir.response = *s.response[p];
      if (ir.status == ItemStatus::kInvalid) {
        std::string why;
        if (s.status[p] == ASSAY_STATUS_INVALID_RESPONSE) {
          auto verbose = prepared.score_verbose(seed, *s.response[p]);
          why = verbose.ok() ? "the response is malformed for this item" : verbose.error().message;
          r.problems.push_back({"invalid_response",
                                "item " + squote(item.id) + ": response refused: " + why + "; the item scores 0", item.id, "",
                                ""});
        } else {
          r.problems.push_back({"scoring_failed",
                                "item " + squote(item.id) + ": the plugin failed to score the response (status " +
                                    std::to_string(s.status[p]) + "); the item scores 0",
                                item.id, "", ""});
        }
      }
    }
    // Responses to items the form does not hold (there are some when not every answer was
    // matched to a form item).
    if (s.answers_on_form != attempt.answers.size()) {
      std::vector<char> on_form(a.items.size(), 0);
      for (std::size_t p = 0; p < attempt.form.items.size(); ++p) on_form[s.item_index[p]] = 1;
      for (const auto& [item, text] : attempt.answers) {
        auto it = ix.find(item);
        if (it == ix.end() || !on_form[it->second])
          r.problems.push_back({"response_not_on_form",
                                "a response to item " + squote(item) + ", which is not on this attempt's form, was ignored", item,
                                "", ""});
      }
    }
    finish(r, a);
    std::size_t d = done.fetch_add(1) + 1;
    if (options.progress) options.progress(d, n);
  });
  return results;
}

ScoreResult score_attempt(const model::LoadedAssessment& assessment, const delivery::Attempt& attempt, const Options& options) {
  Job job{&assessment, &attempt};
  return std::move(score_all(std::span<const Job>(&job, 1), options).front());
}

}  // namespace assay::scoring
