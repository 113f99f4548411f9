#include <algorithm>
#include <atomic>
#include <set>
#include <unordered_map>

#include "assay/model.hpp"
#include "assay/scoring.hpp"
#include "parallel.hpp"

namespace assay::scoring {

namespace {

Fraction from_decimal(const model::Decimal& d) { return Fraction::from_decimal(d); }

// An item as reasons name it: its id, and its title when the author gave one.
std::string item_name(const ItemResult& item) {
  return "item " + in_quotes(item.id) + (item.title.empty() ? std::string() : " (" + item.title + ")");
}

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
  r.title = item.title;
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

// Fills `r` (a default ItemResult) in place: results are built where they live, without a move.
void fill_item(ItemResult& r, const model::Item& item, const ItemConstants& constants, const std::vector<std::size_t>& slots,
               bool answered, int status, std::span<const assay_credit> credits,
               const std::map<std::string, std::string>* ratings, bool allow_negative, std::vector<Reason>& problems,
               std::vector<Reason>& pending);

}  // namespace

ItemResult score_item(const model::Item& item, const std::vector<std::size_t>& slots, bool answered, int status,
                      std::span<const assay_credit> credits, const std::map<std::string, std::string>* ratings,
                      bool allow_negative, std::vector<Reason>& problems, std::vector<Reason>& pending) {
  ItemResult r;
  fill_item(r, item, constants_of(item), slots, answered, status, credits, ratings, allow_negative, problems, pending);
  return r;
}

namespace {

void fill_item(ItemResult& r, const model::Item& item, const ItemConstants& constants, const std::vector<std::size_t>& slots,
               bool answered, int status, std::span<const assay_credit> credits,
               const std::map<std::string, std::string>* ratings, bool allow_negative, std::vector<Reason>& problems,
               std::vector<Reason>& pending) {
  r.id = item.id;
  r.title = item.title;
  r.section = item.section;
  r.competency = item.competency;
  r.type = item.type;
  r.critical = item.critical;
  r.weight = constants.weight;
  r.criteria.reserve(item.criteria.size());
  bool valid = answered && status == ASSAY_STATUS_OK;
  if (!answered) {
    r.status = ItemStatus::kUnanswered;
  } else if (status == ASSAY_STATUS_INVALID_RESPONSE) {
    r.status = ItemStatus::kInvalid;
  } else if (status != ASSAY_STATUS_OK) {
    r.status = ItemStatus::kFailed;  // the software's failure, not the candidate's
  }
  Fraction sum;
  for (std::size_t j = 0; j < item.criteria.size(); ++j) {
    const auto& spec = item.criteria[j];
    CriterionResult& c = r.criteria.emplace_back();
    c.id = spec.id;
    c.points = spec.points;
    c.critical = spec.critical;
    c.rated = !spec.levels.empty();
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
        for (const auto& l : spec.levels) names += (names.empty() ? "" : ", ") + in_quotes(l.name);
        problems.push_back({"unknown_level",
                            item_name(r) + ", criterion " + in_quotes(spec.id) + ": rating " + in_quotes(*level) +
                                " is not one of its levels (" + names + "); the criterion stays unrated",
                            item.id, spec.id, ""});
      }
      if (found == nullptr) {
        r.pending = true;
        pending.push_back({"rating_pending", item_name(r) + ", criterion " + in_quotes(spec.id) + " awaits a rater's level",
                           item.id, spec.id, ""});
        c.earned = Fraction(0);
        sum += c.earned;
        continue;
      }
      c.level = found->name;
      c.earned = Fraction(found->points);
      c.credit = spec.points != 0 ? c.earned / Fraction(spec.points) : Fraction(1);
      sum += c.earned;
      continue;
    } else {
      const assay_credit& k = credits[slots[j]];
      // The ABI promises 0 <= num <= den, den >= 1; clamp rather than trust a faulty plugin.
      std::uint64_t den = k.denominator == 0 ? 1 : k.denominator;
      std::uint64_t num = k.denominator == 0 ? 0 : std::min(k.numerator, den);
      c.credit = Fraction::from_credit(num, den);
    }
    c.earned = *c.credit * Fraction(spec.points);
    sum += c.earned;
  }
  r.raw = (!allow_negative && sum.is_negative()) ? Fraction(0) : sum;
  r.points = r.raw * r.weight;
  r.max = constants.max;
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
  // criteria and items (form order).
  if (result.percent < result.pass_percent) {
    result.reasons.push_back({"below_pass_mark",
                              "scored " + percent_text(result.percent) + ", below the pass mark of " +
                                  assessment.outcome.pass_percent.to_string() + "%",
                              "", "", ""});
  }
  for (const auto& t : result.competencies) {
    if (!t.min_percent || t.max.is_zero()) continue;  // nothing on the form counts for it
    if (t.percent < *t.min_percent) {
      const auto* spec = assessment.find_competency(t.id);
      result.reasons.push_back({"competency_below_minimum",
                                "competency " + in_quotes(t.id) + " (" + t.title + "): " + percent_text(t.percent) +
                                    ", below its minimum of " + spec->min_percent->to_string() + "%",
                                "", "", t.id});
    }
  }
  for (const auto& item : result.items) {
    if (item.status == ItemStatus::kExcluded) continue;
    // One shortfall, one reason: a critical criterion not fully met names the criterion, and
    // the item's own critical mark adds a reason only when no critical criterion explains it.
    std::size_t before = result.reasons.size();
    for (const auto& c : item.criteria) {
      if (!c.critical || !c.credit) continue;
      if (c.earned < best_of(c.points)) {
        result.reasons.push_back({"critical_missed",
                                  "critical criterion " + in_quotes(c.id) + " of " + item_name(item) + " was not fully met",
                                  item.id, c.id, ""});
      }
    }
    if (item.critical && result.reasons.size() == before) {
      // Any shortfall on the item: the criteria's sum below the best they can give.
      Fraction sum, best;
      bool undecided = false;
      for (const auto& c : item.criteria) {
        sum += c.earned;
        best += best_of(c.points);
        if (!c.credit) undecided = true;
      }
      if (sum < best && !undecided) {
        result.reasons.push_back({"critical_missed",
                                  "critical " + item_name(item) + " was not fully correct (" +
                                      (item.status == ItemStatus::kUnanswered ? std::string("unanswered")
                                       : item.status == ItemStatus::kInvalid  ? std::string("invalid response")
                                       : item.status == ItemStatus::kFailed   ? std::string("could not be scored")
                                                                              : points_text(sum, best)) +
                                      ")",
                                  item.id, "", ""});
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
      errors.push_back("form[" + std::to_string(i) + "].item: " + in_quotes(id) + " is not an item of assessment " +
                       in_quotes(assessment.id) + " version " + in_quotes(assessment.version));
    if (!seen.insert(id).second)
      errors.push_back("form[" + std::to_string(i) + "].item: " + in_quotes(id) + " appears twice on the form");
  }
  return errors;
}

namespace {

constexpr std::uint32_t kNone = ~std::uint32_t{0};

// Per assessment, what does not change from candidate to candidate.
struct Plan {
  std::unordered_map<std::string_view, std::uint32_t> index;  // item id → index into assessment.items
  std::vector<std::uint32_t> by_id;                           // item indices in id order (as attempt.answers)
  std::vector<ItemConstants> constants;                       // per item
  std::vector<const std::string*> excluded;                   // per item: the exclusion's reason, or null
  std::vector<std::pair<std::string, std::string>> plugins;   // per item: its plugin's name and version
  std::vector<std::size_t> jobs;                              // the jobs scored against this assessment
};

// Every attempt's form positions, laid out one after the other: job j's positions are
// [first[j], first[j + 1]); the credits of a position start at credit_first[j] + credit_offset.
struct Layout {
  std::vector<std::size_t> first;         // per job, plus one past the end
  std::vector<std::size_t> credit_first;  // per job
  std::vector<std::size_t> item_first;    // per job: its block in position_of
  std::vector<std::uint32_t> item_index;  // per position: index into assessment.items
  std::vector<std::uint32_t> credit_offset;
  std::vector<const std::string*> response;  // per position; null when unanswered or excluded
  std::vector<assay_status> status;          // per position
  std::vector<std::uint32_t> position_of;    // per job and item: the item's form position, or kNone
  std::vector<std::size_t> answers_on_form;  // per job: answers to items on the form, excluded ones included
  std::vector<assay_credit> credits;
};

constexpr std::size_t kChunk = 512;

}  // namespace

std::vector<ScoreResult> score_all(std::span<const Job> jobs, const Options& options) {
  const std::size_t n = jobs.size();
  std::map<std::string, const std::string*> excluded;  // item id → reason
  for (const auto& e : options.exclusions) excluded.emplace(e.item, &e.reason);

  // Plan each assessment once.
  std::map<const model::LoadedAssessment*, Plan> plans;
  for (std::size_t j = 0; j < n; ++j) {
    auto [it, fresh] = plans.try_emplace(jobs[j].assessment);
    it->second.jobs.push_back(j);
    if (!fresh) continue;
    const model::LoadedAssessment& la = *jobs[j].assessment;
    const auto& items = la.assessment.items;
    Plan& plan = it->second;
    plan.index.reserve(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
      plan.index.emplace(items[i].id, static_cast<std::uint32_t>(i));
      plan.by_id.push_back(static_cast<std::uint32_t>(i));
      plan.constants.push_back(constants_of(items[i]));
      auto ex = excluded.find(items[i].id);
      plan.excluded.push_back(ex == excluded.end() ? nullptr : ex->second);
      const auto& plugin = la.prepared[i].type().plugin();
      plan.plugins.emplace_back(plugin.name(), plugin.version());
    }
    std::sort(plan.by_id.begin(), plan.by_id.end(), [&](std::uint32_t a, std::uint32_t b) { return items[a].id < items[b].id; });
  }

  // Lay out every form position: which item, which response, where its credits go.
  Layout lay;
  lay.first.resize(n + 1);
  lay.item_first.resize(n + 1);
  for (std::size_t j = 0; j < n; ++j) {
    lay.first[j + 1] = lay.first[j] + jobs[j].attempt->form.items.size();
    lay.item_first[j + 1] = lay.item_first[j] + jobs[j].assessment->assessment.items.size();
  }
  const std::size_t positions = lay.first[n];
  lay.item_index.resize(positions);
  lay.credit_offset.resize(positions);
  lay.response.assign(positions, nullptr);
  lay.status.assign(positions, ASSAY_STATUS_OK);
  lay.position_of.assign(lay.item_first[n], kNone);
  lay.answers_on_form.assign(n, 0);
  std::vector<std::size_t> credit_count(n);
  detail::parallel_for(n, options.threads, [&](std::size_t j) {
    const auto& la = *jobs[j].assessment;
    const auto& items = la.assessment.items;
    const auto& attempt = *jobs[j].attempt;
    const Plan& plan = plans.at(jobs[j].assessment);
    std::uint32_t* position_of = lay.position_of.data() + lay.item_first[j];
    std::size_t base = lay.first[j];
    std::size_t total = 0;
    std::uint32_t next = 0;  // forms mostly keep file order: try the item after the last first
    for (std::size_t p = 0; p < attempt.form.items.size(); ++p) {
      const std::string& id = attempt.form.items[p].item_id;
      std::uint32_t i = next < items.size() && items[next].id == id ? next : plan.index.at(id);
      next = i + 1;
      lay.item_index[base + p] = i;
      lay.credit_offset[base + p] = static_cast<std::uint32_t>(total);
      total += la.prepared[i].type().n_criteria();
      position_of[i] = static_cast<std::uint32_t>(p);
    }
    credit_count[j] = total;
    // attempt.answers is ordered by item id: one merge with the form's items in id order.
    auto answer = attempt.answers.begin();
    std::size_t on_form = 0;
    for (std::uint32_t i : plan.by_id) {
      if (answer == attempt.answers.end()) break;
      std::uint32_t p = position_of[i];
      if (p == kNone) continue;
      const std::string& id = items[i].id;
      int c = 0;
      while (answer != attempt.answers.end() && (c = answer->first.compare(id)) < 0) ++answer;
      if (answer == attempt.answers.end() || c != 0) continue;
      ++on_form;
      if (plan.excluded[i] == nullptr) lay.response[base + p] = &answer->second;
      ++answer;
    }
    lay.answers_on_form[j] = on_form;
  });
  lay.credit_first.resize(n + 1);
  for (std::size_t j = 0; j < n; ++j) lay.credit_first[j + 1] = lay.credit_first[j] + credit_count[j];
  lay.credits.assign(lay.credit_first[n], assay_credit{0, 1});

  // Phase 1: the plugins' credits, one score_batch call per item and run of candidates.
  struct Task {
    const model::LoadedAssessment* assessment;
    const Plan* plan;
    std::uint32_t item;
    std::size_t begin, end;  // into plan->jobs
  };
  // A run of candidates' items one after the other: their attempts stay in the cache while
  // every item's batch reads them.
  std::vector<Task> tasks;
  for (const auto& [la, plan] : plans)
    for (std::size_t b = 0; b < plan.jobs.size(); b += kChunk)
      for (std::uint32_t i = 0; i < la->assessment.items.size(); ++i)
        tasks.push_back({la, &plan, i, b, std::min(b + kChunk, plan.jobs.size())});
  detail::parallel_for(tasks.size(), options.threads, [&](std::size_t t) {
    const Task& task = tasks[t];
    const auto& prepared = task.assessment->prepared[task.item];
    std::size_t k = prepared.type().n_criteria();
    std::vector<std::size_t> at;  // per batch entry: the form position (in the layout) scored
    std::vector<std::size_t> to;  // per batch entry: where its credits go
    std::vector<std::uint64_t> seeds;
    std::vector<std::string_view> responses;
    at.reserve(task.end - task.begin);
    to.reserve(task.end - task.begin);
    seeds.reserve(task.end - task.begin);
    responses.reserve(task.end - task.begin);
    for (std::size_t e = task.begin; e < task.end; ++e) {
      std::size_t j = task.plan->jobs[e];
      std::uint32_t p = lay.position_of[lay.item_first[j] + task.item];
      if (p == kNone) continue;
      std::size_t q = lay.first[j] + p;
      if (lay.response[q] == nullptr) continue;
      at.push_back(q);
      to.push_back(lay.credit_first[j] + lay.credit_offset[q]);
      seeds.push_back(jobs[j].attempt->form.items[p].seed);
      responses.push_back(*lay.response[q]);
    }
    if (at.empty()) return;
    std::size_t m = at.size();
    std::vector<assay_credit> credits(m * k, assay_credit{0, 1});
    std::vector<assay_status> statuses(m, ASSAY_STATUS_INTERNAL);
    assay_status batch = prepared.score_batch(seeds, responses, credits, statuses);
    for (std::size_t e = 0; e < m; ++e) {
      lay.status[at[e]] = batch == ASSAY_STATUS_OK ? statuses[e] : batch;
      std::copy_n(credits.begin() + static_cast<std::ptrdiff_t>(e * k), k,
                  lay.credits.begin() + static_cast<std::ptrdiff_t>(to[e]));
    }
  });

  // Phase 2: each attempt's result, built in place.
  std::vector<ScoreResult> results(n);
  std::atomic<std::size_t> done{0};
  detail::parallel_for(n, options.threads, [&](std::size_t j) {
    const auto& la = *jobs[j].assessment;
    const auto& a = la.assessment;
    const Plan& plan = plans.at(jobs[j].assessment);
    const auto& attempt = *jobs[j].attempt;
    const std::size_t base = lay.first[j];
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
      const std::size_t q = base + p;
      std::uint32_t i = lay.item_index[q];
      const auto& item = a.items[i];
      const auto& prepared = la.prepared[i];
      std::uint64_t seed = attempt.form.items[p].seed;
      if (const std::string* reason = plan.excluded[i]; reason != nullptr) {
        r.items.push_back(excluded_item(item, seed, *reason));
        r.excluded.push_back({item.id, *reason});
        continue;
      }
      if (last_plugin == nullptr || *last_plugin != plan.plugins[i]) {
        last_plugin = &plan.plugins[i];
        r.plugins[last_plugin->first] = last_plugin->second;
      }
      const std::map<std::string, std::string>* ratings = nullptr;
      if (!attempt.ratings.empty()) {
        if (auto rt = attempt.ratings.find(item.id); rt != attempt.ratings.end()) ratings = &rt->second;
      }
      const std::string* response = lay.response[q];
      bool answered = response != nullptr;
      assay_status status = lay.status[q];
      std::span<const assay_credit> credits(lay.credits.data() + lay.credit_first[j] + lay.credit_offset[q],
                                            prepared.type().n_criteria());
      ItemResult& ir = r.items.emplace_back();
      fill_item(ir, item, plan.constants[i], la.slots[i], answered, status, credits, ratings, a.outcome.allow_negative,
                r.problems, r.pending);
      ir.seed = seed;
      if (answered) ir.response = *response;
      if (ir.status == ItemStatus::kInvalid) {
        auto verbose = prepared.score_verbose(seed, *response);
        std::string why = verbose.ok() ? "the response is malformed for this item" : verbose.error().message;
        r.problems.push_back(
            {"invalid_response", item_name(ir) + ": response refused: " + why + "; the item scores 0", item.id, "", ""});
      } else if (ir.status == ItemStatus::kFailed) {
        // Batch scoring returns statuses only: ask once more, one by one, for the plugin's own words.
        auto verbose = prepared.score_verbose(seed, *response);
        std::string why = verbose.ok() ? std::string("it failed in the batch, not when asked again") : verbose.error().message;
        r.problems.push_back({"scoring_failed",
                              item_name(ir) + ": plugin type " + in_quotes(item.type) + " could not score the response (" +
                                  plugins::status_name(status) + "): " + why + "; the item scores 0",
                              item.id, "", ""});
      }
    }
    // Responses to items the form does not hold (there are some when not every answer was
    // matched to a form item).
    if (lay.answers_on_form[j] != attempt.answers.size()) {
      const std::uint32_t* position_of = lay.position_of.data() + lay.item_first[j];
      for (const auto& [item, text] : attempt.answers) {
        auto it = plan.index.find(item);
        if (it == plan.index.end() || position_of[it->second] == kNone)
          r.problems.push_back({"response_not_on_form",
                                "a response to item " + in_quotes(item) + ", which is not on this attempt's form, was ignored",
                                item, "", ""});
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
