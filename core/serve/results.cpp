// What staff read of a campaign's results: the ranking, the CSV, JSON Lines and HTML exports,
// one attempt with its result, the rated criteria awaiting a level and rating them, and
// excluding an item, which rescores every attempt.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "assay/model.hpp"
#include "assay/presentation.hpp"
#include "assay/report.hpp"
#include "assay/scoring.hpp"
#include "routes.hpp"
#include "scores.hpp"

namespace assay::serve::detail {

namespace {

json flags_of(ApiContext& api, const StoredAttempt& a) {
  json flags = json::array();
  for (const auto& s : api.store.signals(a.attempt.attempt_id)) flags.push_back(signal_json(s));
  return flags;
}

/// One entry of the ranking; `rank` is null for a pending result.
json ranked_json(ApiContext& api, const Row& r, const json& rank) {
  json reasons = json::array();
  for (const auto& reason : r.result->reasons) reasons.push_back({{"code", reason.code}, {"text", reason.text}});
  return {{"rank", rank},
          {"candidate_id", r.candidate.id},
          {"name", r.candidate.name},
          {"external_ref", r.candidate.external_ref},
          {"attempt_id", r.attempt.attempt.attempt_id},
          {"outcome", scoring::to_string(r.result->outcome)},
          {"percent", r.result->percent.to_string()},
          {"percent_display", r.result->percent.to_decimal(1)},
          {"level", r.result->level.empty() ? json(nullptr) : json(r.result->level)},
          {"reasons", reasons},
          {"flags", flags_of(api, r.attempt)}};
}

std::pair<StoredAttempt, Campaign> attempt_or_404(ApiContext& api, const std::string& id) {
  auto a = api.store.attempt(id);
  if (!a) refuse(404, "not_found", "no such attempt");
  auto c = api.store.campaign(a->campaign_id);
  if (!c) refuse(404, "not_found", "no such campaign");
  return {std::move(*a), std::move(*c)};
}

std::string list_text(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : "; ") + s;
  return out;
}

}  // namespace

/// Decided results in report::rank's order, numbered; then the pending ones, unnumbered, by
/// candidate id.
HttpResponse results(ApiContext& api, const Call& call) {
  auto c = api.campaign_or_404(call.param("id"));
  auto rs = rows(api, c);
  std::vector<const scoring::ScoreResult*> decided;
  std::vector<const Row*> decided_rows, pending_rows;
  for (const auto& r : rs) {
    if (!r.result) continue;
    if (r.result->outcome == scoring::Outcome::kPending) {
      pending_rows.push_back(&r);
    } else {
      decided.push_back(&*r.result);
      decided_rows.push_back(&r);
    }
  }
  json ranking = json::array();
  int rank = 0;
  for (auto i : report::rank(decided)) ranking.push_back(ranked_json(api, *decided_rows[i], ++rank));
  for (const auto* r : pending_rows) ranking.push_back(ranked_json(api, *r, nullptr));
  return json_response(200, {{"ranking", ranking}, {"pending", pending_rows.size()}});
}

HttpResponse results_csv(ApiContext& api, const Call& call) {
  auto c = api.campaign_or_404(call.param("id"));
  std::vector<scoring::ScoreResult> results;
  std::vector<scoring::Person> people;
  for (auto& r : rows(api, c)) {
    if (!r.result) continue;
    results.push_back(std::move(*r.result));
    people.push_back({r.candidate.name, r.candidate.email, r.candidate.external_ref});
  }
  HttpResponse resp;
  resp.content_type = "text/csv; charset=utf-8";
  resp.body = scoring::summary_csv(results, people);
  resp.headers.emplace_back("Content-Disposition", fmt::format("attachment; filename=\"campaign-{}-results.csv\"", c.id));
  return resp;
}

/// assay report's HTML page over the campaign's results.
HttpResponse results_html(ApiContext& api, const Call& call) {
  auto c = api.campaign_or_404(call.param("id"));
  std::vector<scoring::ScoreResult> results;
  for (auto& r : rows(api, c)) {
    if (!r.result) continue;
    // Staff read this page: each candidate by name, with the id the exports carry.
    r.result->candidate_id = fmt::format("{} ({})", r.candidate.name, r.result->candidate_id);
    results.push_back(std::move(*r.result));
  }
  HttpResponse resp;
  resp.content_type = "text/html; charset=utf-8";
  resp.body = report::summary_html(results, c.title);
  // The report is one self-contained page (inline style and SVG): it may style itself, and
  // load and run nothing.
  resp.headers.emplace_back("Content-Security-Policy",
                            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'");
  return resp;
}

HttpResponse results_jsonl(ApiContext& api, const Call& call) {
  auto c = api.campaign_or_404(call.param("id"));
  HttpResponse resp;
  resp.content_type = "application/x-ndjson";
  for (auto& r : rows(api, c)) resp.body += json::parse(r.document).dump() + "\n";
  resp.headers.emplace_back("Content-Disposition", fmt::format("attachment; filename=\"campaign-{}-results.jsonl\"", c.id));
  return resp;
}

namespace {

/// The item `item_id` of `attempt` as staff read it: its question (the prompt the candidate saw)
/// and the answer as a person reads it (presentation::readable_response), each null when there is none.
std::pair<json, json> item_as_read(const model::LoadedAssessment& loaded, const delivery::Attempt& attempt,
                                   const std::string& item_id) {
  auto idx = loaded.assessment.item_index(item_id);
  if (idx < 0) return {nullptr, nullptr};
  for (const auto& fi : attempt.form.items) {
    if (fi.item_id != item_id) continue;
    auto shown = loaded.prepared[static_cast<std::size_t>(idx)].present(fi.seed);
    if (!shown) return {nullptr, nullptr};
    json presentation = json::parse(shown.value(), nullptr, false);
    json prompt = presentation.is_object() ? json(presentation.value("prompt", "")) : json(nullptr);
    auto ans = attempt.answers.find(item_id);
    if (ans == attempt.answers.end()) return {prompt, nullptr};
    auto text = presentation::readable_response(presentation, ans->second);
    text.pop_back();
    return {prompt, text};
  }
  return {nullptr, nullptr};
}

}  // namespace

HttpResponse get_attempt(ApiContext& api, const Call& call) {
  auto [a, c] = attempt_or_404(api, call.param("id"));
  finalize_if_due(api, a, c);
  auto doc = api.store.result(a.attempt.attempt_id);
  // Each item's question and answer as staff read them: the options' texts, the cells with their columns.
  json texts = json::object(), prompts = json::object();
  if (auto loaded = api.load(c))
    for (const auto& fi : a.attempt.form.items) {
      auto [prompt, text] = item_as_read(*loaded, a.attempt, fi.item_id);
      if (!prompt.is_null()) prompts[fi.item_id] = prompt;
      if (!text.is_null()) texts[fi.item_id] = text;
    }
  return json_response(200, {{"attempt", delivery::to_json(a.attempt)},
                             {"result", doc ? json::parse(*doc) : json(nullptr)},
                             {"prompts", prompts},
                             {"responses_text", texts},
                             {"flags", flags_of(api, a)}});
}

HttpResponse pending_ratings(ApiContext& api, const Call& call) {
  auto c = api.campaign_or_404(call.param("id"));
  auto loaded = api.load(c);
  json out = json::array();
  for (auto& r : rows(api, c)) {
    if (!r.result) continue;
    for (const auto& p : r.result->pending) {
      const auto* item = loaded->assessment.find_item(p.item);
      if (item == nullptr) continue;
      json levels = json::array();
      for (const auto& spec : item->criteria)
        if (spec.id == p.criterion)
          for (const auto& l : spec.levels)
            levels.push_back({{"name", l.name}, {"points", l.points}, {"descriptor", l.descriptor}});
      auto ans = r.attempt.attempt.answers.find(p.item);
      auto [prompt, text] = item_as_read(*loaded, r.attempt.attempt, p.item);
      out.push_back({{"attempt_id", r.attempt.attempt.attempt_id},
                     {"item", p.item},
                     {"title", item->title},
                     {"criterion", p.criterion},
                     {"prompt", prompt},
                     {"response", ans == r.attempt.attempt.answers.end() ? json(nullptr) : json::parse(ans->second)},
                     {"response_text", text},
                     {"levels", levels}});
    }
  }
  return json_response(200, out);
}

HttpResponse rate(ApiContext& api, const Call& call) {
  const auto& who = call.staff->user.username;
  auto [a, c] = attempt_or_404(api, call.param("id"));
  if (!finalize_if_due(api, a, c)) refuse(409, "conflict", "the attempt has not been submitted yet");
  auto body = parse_body(call.req);
  auto item_id = get_string(body, "item");
  auto criterion = get_string(body, "criterion");
  auto level = get_string(body, "level");
  auto loaded = api.load(c);
  const auto* item = loaded->assessment.find_item(item_id);
  bool on_form = std::any_of(a.attempt.form.items.begin(), a.attempt.form.items.end(),
                             [&](const auto& fi) { return fi.item_id == item_id; });
  if (item == nullptr || !on_form) refuse(400, "bad_rating", fmt::format("item '{}' is not on this attempt's form", item_id));
  const model::CriterionSpec* spec = nullptr;
  for (const auto& s : item->criteria)
    if (s.id == criterion && !s.levels.empty()) spec = &s;
  if (spec == nullptr) refuse(400, "bad_rating", fmt::format("item '{}' has no rated criterion '{}'", item_id, criterion));
  std::vector<std::string> names;
  for (const auto& l : spec->levels) names.push_back(l.name);
  if (std::find(names.begin(), names.end(), level) == names.end())
    refuse(400, "bad_rating",
           fmt::format("criterion '{}' has no level '{}'; its levels: {}", criterion, level, list_text(names)));
  const bool rater = call.staff->user.role == Role::kRater;
  // A rater rates each answer once; a manager may change a rating (and is logged doing so).
  if (auto it = a.attempt.ratings.find(item_id); rater && it != a.attempt.ratings.end() && it->second.contains(criterion))
    refuse(409, "already_rated", "this answer has been rated: a manager can change the rating");
  api.store.save_rating(a.attempt.attempt_id, item_id, criterion, level, who, api.now());
  a.attempt.ratings[item_id][criterion] = level;
  auto result = score(api, c, a.attempt);
  api.log(c.id, who, "rate", fmt::format("attempt {} item {} {}: {}", a.attempt.attempt_id, item_id, criterion, level));
  // A rater judges the answer, not the candidate: the outcome is not theirs to see.
  if (rater) return json_response(200, {{"rated", true}, {"item", item_id}, {"criterion", criterion}, {"level", level}});
  return json_response(200, scoring::to_json(result));
}

namespace {

/// Rescores every submitted attempt of the campaign (those past their deadline are submitted first).
int rescore_all(ApiContext& api, const Campaign& c) {
  int n = 0;
  for (auto& a : api.store.campaign_attempts(c.id)) {
    if (!finalize_if_due(api, a, c)) continue;
    score(api, c, a.attempt);
    ++n;
  }
  return n;
}

}  // namespace

HttpResponse campaign_items(ApiContext& api, const Call& call) {
  auto c = api.campaign_or_404(call.param("id"));
  auto loaded = api.load(c);
  std::map<std::string, ExclusionRow> excluded;
  for (auto& e : api.store.exclusions(c.id)) excluded.emplace(e.item, e);
  json out = json::array();
  for (const auto& item : loaded->assessment.items) {
    json row = {{"id", item.id},     {"title", item.title},       {"section", item.section}, {"competency", item.competency},
                {"type", item.type}, {"critical", item.critical}, {"excluded", nullptr}};
    if (auto e = excluded.find(item.id); e != excluded.end())
      row["excluded"] = {{"reason", e->second.reason}, {"by", e->second.by}, {"at", format_time(e->second.at)}};
    out.push_back(std::move(row));
  }
  return json_response(200, out);
}

HttpResponse include_again(ApiContext& api, const Call& call) {
  const auto& who = call.staff->user.username;
  auto c = api.campaign_or_404(call.param("id"));
  const auto& item_id = call.param("item");
  if (!api.store.remove_exclusion(c.id, item_id))
    refuse(404, "not_found", fmt::format("item '{}' is not excluded from this campaign", item_id));
  int n = rescore_all(api, c);
  api.log(c.id, who, "include", fmt::format("item {} counts again; {} attempts rescored", item_id, n));
  return json_response(200, {{"rescored", n}});
}

HttpResponse exclude(ApiContext& api, const Call& call) {
  const auto& who = call.staff->user.username;
  auto c = api.campaign_or_404(call.param("id"));
  auto body = parse_body(call.req);
  auto item_id = get_string(body, "item");
  auto reason = get_string(body, "reason", true, 2000);
  auto loaded = api.load(c);
  if (loaded->assessment.find_item(item_id) == nullptr)
    refuse(400, "unknown_item", fmt::format("the assessment has no item '{}'", item_id));
  api.store.add_exclusion(c.id, {item_id, reason, who, api.now()});
  int n = rescore_all(api, c);
  api.log(c.id, who, "exclude", fmt::format("item {}: {}; {} attempts rescored", item_id, reason, n));
  return json_response(200, {{"rescored", n}});
}

}  // namespace assay::serve::detail
