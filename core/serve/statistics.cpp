// The evidence behind a campaign's scores (docs/serve.md, "Item analysis and adverse impact"):
// item analysis for managers (core/stats over the campaign's results), and, for administrators
// only, selection rates and DIF by the groups candidates gave in the voluntary
// self-identification form, which is defined here too. Self-identification is read only here,
// only in aggregate, and never joined into a result, an export or a candidate's record.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "assay/fairness.hpp"
#include "assay/stats.hpp"
#include "assay/utf8.hpp"
#include "routes.hpp"
#include "scores.hpp"

namespace assay::serve::detail {

namespace {

constexpr const char* kDecline = "Decline to answer";
// A group with fewer candidates than this is shown only as "fewer than 5": its rate would tell
// who passed.
constexpr std::size_t kSmallestGroupShown = 5;
constexpr std::size_t kMaxQuestions = 10, kMaxOptions = 30;

/// The EEO-1 (Standard Form 100) race/ethnicity and sex categories, 29 CFR 1602.7.
json eeo1_form() {
  return json::array({{{"id", "race_ethnicity"},
                       {"label", "Race/ethnicity"},
                       {"options",
                        {"Hispanic or Latino", "White", "Black or African American", "Native Hawaiian or Other Pacific Islander",
                         "Asian", "American Indian or Alaska Native", "Two or More Races", kDecline}}},
                      {{"id", "sex"}, {"label", "Sex"}, {"options", {"Female", "Male", kDecline}}}});
}

std::string query_or(const HttpRequest& req, const char* name, std::string fallback) {
  auto v = query_value(req.query, name);
  return v.empty() ? fallback : v;
}

/// The campaign's results that count (no pending one), with their candidates' ids.
struct Scored {
  std::vector<const scoring::ScoreResult*> results;
  std::vector<std::int64_t> candidates;
};
Scored scored(const std::vector<Row>& rows) {
  Scored s;
  for (const auto& r : rows)
    if (r.result && r.result->outcome != scoring::Outcome::kPending) {
      s.results.push_back(&*r.result);
      s.candidates.push_back(r.candidate.id);
    }
  return s;
}

}  // namespace

json self_identification_form(const Campaign& c) {
  if (c.self_identification.empty()) return eeo1_form();
  auto form = json::parse(c.self_identification, nullptr, false);
  return form.is_array() ? form : eeo1_form();
}

std::string checked_self_identification(const json& body) {
  if (!body.contains("self_identification") || body["self_identification"].is_null()) return "";
  const auto& form = body["self_identification"];
  auto bad = [](const std::string& what) { refuse(400, "bad_json", "member 'self_identification': " + what); };
  if (!form.is_array()) bad("expected an array of questions {\"id\", \"label\", \"options\"} ([] for none)");
  if (form.size() > kMaxQuestions) bad(fmt::format("at most {} questions", kMaxQuestions));
  json out = json::array();
  std::vector<std::string> ids;
  for (std::size_t q = 0; q < form.size(); ++q) {
    const auto& question = form[q];
    if (!question.is_object()) bad(fmt::format("question {}: expected an object", q + 1));
    auto id = get_string(question, "id", true, 40);
    if (id.empty() || !std::all_of(id.begin(), id.end(),
                                   [](char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_'; }))
      bad(fmt::format("question {}: 'id' must be lowercase letters, digits and _", q + 1));
    if (std::find(ids.begin(), ids.end(), id) != ids.end()) bad(fmt::format("question id '{}' is given twice", id));
    ids.push_back(id);
    auto label = get_string(question, "label", true, 200);
    if (!question.contains("options") || !question["options"].is_array() || question["options"].empty() ||
        question["options"].size() > kMaxOptions)
      bad(fmt::format("question '{}': 'options' must be an array of 1 to {} texts", id, kMaxOptions));
    json options = json::array();
    for (const auto& o : question["options"]) {
      if (!o.is_string() || o.get<std::string>().empty() || o.get<std::string>().size() > 200)
        bad(fmt::format("question '{}': each option must be a text of 1 to 200 bytes", id));
      if (std::find(options.begin(), options.end(), o) != options.end())
        bad(fmt::format("question '{}': option \"{}\" is given twice", id, o.get<std::string>()));
      options.push_back(o);
    }
    // Every question can be declined.
    if (std::find(options.begin(), options.end(), json(kDecline)) == options.end()) options.push_back(kDecline);
    out.push_back({{"id", id}, {"label", label}, {"options", std::move(options)}});
  }
  return out.dump();
}

std::string checked_self_identification_answers(const Campaign& c, const json& body) {
  auto form = self_identification_form(c);
  if (!body.is_object()) refuse(400, "bad_json", "expected an object of question id to the option chosen");
  json out = json::object();
  for (const auto& [id, value] : body.items()) {
    auto q = std::find_if(form.begin(), form.end(), [&](const json& x) { return x["id"] == id; });
    if (q == form.end()) refuse(400, "bad_json", fmt::format("there is no question '{}'", utf8_prefix(id, 40)));
    const auto& options = (*q)["options"];
    if (!value.is_string() || std::find(options.begin(), options.end(), value) == options.end())
      refuse(400, "bad_json", fmt::format("question '{}': expected one of its options", id));
    out[id] = value;
  }
  return out.dump();
}

HttpResponse campaign_statistics(ApiContext& api, const Call& call) {
  auto c = api.campaign_or_404(call.param("id"));
  auto model = query_or(call.req, "model", "none");
  stats::Options options;
  if (model == "rasch")
    options.model = stats::Model::kRasch;
  else if (model == "2pl")
    options.model = stats::Model::k2pl;
  else if (model != "none")
    refuse(400, "bad_query", "query parameter 'model': expected none, rasch or 2pl");
  auto all = rows(api, c);
  auto s = scored(all);
  json out = {{"campaign", c.id}, {"candidates", s.results.size()}, {"min_n", options.min_n}, {"analysis", nullptr}};
  if (s.results.empty()) return json_response(200, out);
  auto analysis = stats::analyse(stats::results_matrix(s.results), options);
  analysis.title = c.assessment_title;
  out["analysis"] = stats::to_json(analysis);
  return json_response(200, out);
}

HttpResponse adverse_impact(ApiContext& api, const Call& call) {
  auto c = api.campaign_or_404(call.param("id"));
  auto form = self_identification_form(c);
  if (form.empty()) refuse(404, "not_found", "this campaign does not ask candidates to self-identify");
  auto field = query_or(call.req, "field", form[0]["id"].get<std::string>());
  if (std::none_of(form.begin(), form.end(), [&](const json& q) { return q["id"] == field; }))
    refuse(400, "bad_query", fmt::format("query parameter 'field': this campaign has no question '{}'", utf8_prefix(field, 40)));
  stats::FairnessOptions fo;
  if (auto m = query_value(call.req.query, "min_group"); !m.empty()) {
    if (m.size() > 6 || !std::all_of(m.begin(), m.end(), [](char ch) { return ch >= '0' && ch <= '9'; }) || std::stoul(m) < 2)
      refuse(400, "bad_query", "query parameter 'min_group': expected a whole number from 2 to 999999");
    fo.min_group = std::stoul(m);
  }
  std::map<std::int64_t, std::string> group_of;
  std::size_t declined = 0;
  for (const auto& [candidate, text] : api.store.self_identifications(c.id)) {
    auto answers = json::parse(text, nullptr, false);
    if (!answers.is_object() || !answers.contains(field) || answers[field] == kDecline) {
      ++declined;
      continue;
    }
    group_of[candidate] = answers[field].get<std::string>();
  }
  auto all = rows(api, c);
  auto s = scored(all);
  json out = {{"campaign", c.id},
              {"field", field},
              {"questions", form},
              {"candidates", s.results.size()},
              {"declined", declined},
              {"min_group", fo.min_group},
              {"smallest_group_shown", kSmallestGroupShown},
              {"fairness", nullptr}};
  if (s.results.empty()) return json_response(200, out);
  auto matrix = stats::results_matrix(s.results);
  std::vector<std::string> group;
  std::map<std::string, std::size_t> sizes;
  for (auto id : s.candidates) {
    auto g = group_of.find(id);
    group.push_back(g == group_of.end() ? "" : g->second);
    if (g != group_of.end()) ++sizes[g->second];
  }
  // Groups too small to show are left out of the comparison altogether.
  for (auto& g : group)
    if (!g.empty() && sizes[g] < kSmallestGroupShown) g = "";
  if (matrix.pass_percent) fo.pass_percent = *matrix.pass_percent;
  auto fair = stats::fairness(matrix, group, matrix.passed, fo);
  fair.field = field;
  out["fairness"] = stats::to_json(fair);
  std::size_t in_small = 0;
  for (const auto& [g, n] : sizes)
    if (n < kSmallestGroupShown) in_small += n;
  out["in_groups_too_small_to_show"] = in_small;
  return json_response(200, out);
}

}  // namespace assay::serve::detail
