// Stats v1 as JSON and as terminal tables.
#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "assay/stats.hpp"
#include "json_number.hpp"

namespace assay::stats {

namespace {

using detail::number;
using nlohmann::json;

const char* model_name(Model m) {
  switch (m) {
    case Model::kNone:
      return "none";
    case Model::kRasch:
      return "rasch";
    case Model::k2pl:
      return "2pl";
  }
  return "none";
}

std::string cell(const std::optional<double>& v, int places = 3) {
  if (!v || !std::isfinite(*v)) return "-";
  return fmt::format("{:.{}f}", *v, places);
}

}  // namespace

json to_json(const Analysis& an, bool with_persons) {
  json items = json::array();
  for (const auto& it : an.items) {
    json options = json::array();
    for (const auto& o : it.options)
      options.push_back({{"id", o.id},
                         {"n", o.n},
                         {"share", o.share},
                         {"mean_rest", number(o.mean_rest)},
                         {"key", o.key},
                         {"functioning", o.functioning}});
    json j = {{"id", it.id},
              {"n", it.n},
              {"max", it.max},
              {"judged", it.judged},
              {"facility", number(it.facility)},
              {"r_it", number(it.r_it)},
              {"discrimination", number(it.discrimination)},
              {"alpha_if_deleted", number(it.alpha_if_deleted)},
              {"flags", it.flags},
              {"options", options}};
    if (an.model != Model::kNone) {
      const auto& mi = it.model;
      j["b"] = mi ? json(mi->b) : json(nullptr);
      j["se_b"] = mi ? number(mi->se_b) : json(nullptr);
      j["a"] = mi ? number(mi->a) : json(nullptr);  // the Rasch model fixes every slope at 1: null
      j["se_a"] = mi ? number(mi->se_a) : json(nullptr);
      j["infit"] = mi ? number(mi->infit) : json(nullptr);
      j["outfit"] = mi ? number(mi->outfit) : json(nullptr);
      j["left_out"] = it.left_out.empty() ? json(nullptr) : json(it.left_out);
    }
    items.push_back(std::move(j));
  }
  json criteria = json::array();
  for (const auto& c : an.criteria)
    criteria.push_back({{"item", c.item},
                        {"id", c.id},
                        {"n", c.n},
                        {"max", c.max},
                        {"judged", c.judged},
                        {"facility", number(c.facility)},
                        {"r_it", number(c.r_it)},
                        {"discrimination", number(c.discrimination)},
                        {"flags", c.flags}});
  const auto& r = an.reliability;
  json info = json::array();
  for (const auto& [theta, value] : r.test_information) info.push_back({{"theta", theta}, {"information", value}});
  json out = {
      {"stats", 1},
      {"title", an.title},
      {"persons", an.persons},
      {"min_n", an.min_n},
      {"complete", an.complete},
      {"dichotomous", an.dichotomous},
      {"alpha", number(r.alpha)},
      {"alpha_ci", r.alpha_ci ? json::array({r.alpha_ci->first, r.alpha_ci->second}) : json(nullptr)},
      {"sem", number(r.sem)},
      {"cut", number(r.cut)},
      {"csem_at_cut", number(r.csem_at_cut)},
      {"csem_method", r.csem_at_cut ? json("lord-binomial") : json(nullptr)},
      {"decision_consistency", number(r.decision_consistency)},
      {"decision_consistency_method", r.decision_consistency ? json("subkoviak-1976") : json(nullptr)},
      {"person_separation", number(r.person_separation)},
      {"marginal_reliability", number(r.marginal_reliability)},
      {"theta_cut", number(r.theta_cut)},
      {"model_csem_at_cut", number(r.model_csem_at_cut)},
      {"typical_form_items", r.typical_form_items ? json(r.typical_form_items) : json(nullptr)},
      {"test_information", info},
      {"note", r.note.empty() ? json(nullptr) : json(r.note)},
      {"model", model_name(an.model)},
      {"converged", an.fit ? json(an.fit->converged) : json(nullptr)},
      {"iterations", an.fit ? json(an.fit->iterations) : json(nullptr)},
      {"log_likelihood", an.fit ? json(an.fit->log_likelihood) : json(nullptr)},
      {"eap_prior",
       an.fit && std::isfinite(an.eap_prior_sd) ? json({{"mean", an.eap_prior_mean}, {"sd", an.eap_prior_sd}}) : json(nullptr)},
      {"items", std::move(items)},
      {"criteria", std::move(criteria)}};
  if (with_persons) {
    json persons = json::array();
    for (const auto& pe : an.persons_estimated)
      persons.push_back({{"id", pe.id},
                         {"wle", number(pe.wle)},
                         {"se_wle", number(pe.se_wle)},
                         {"eap", number(pe.eap)},
                         {"se_eap", number(pe.se_eap)}});
    out["person_estimates"] = std::move(persons);
  }
  return out;
}

std::string to_text(const Analysis& an) {
  std::string out;
  if (!an.title.empty()) out += an.title + "\n";
  out += fmt::format("{} persons, {} items, {}; figures need at least {} candidates per item\n\n", an.persons, an.items.size(),
                     an.complete ? "complete design" : "pooled forms", an.min_n);
  std::size_t w = 4;
  for (const auto& it : an.items) w = std::max(w, it.id.size());
  const bool rasch = an.model == Model::kRasch, twopl = an.model == Model::k2pl;
  out += fmt::format("{:<{}}  {:>6}  {:>8}  {:>6}  {:>6}  {:>8}", "item", w, "n", "facility", "r_it", "D", "alpha-i");
  if (rasch) out += fmt::format("  {:>7}  {:>6}  {:>6}  {:>6}", "b", "se_b", "infit", "outfit");
  if (twopl) out += fmt::format("  {:>7}  {:>6}  {:>6}  {:>6}", "a", "se_a", "b", "se_b");
  out += "  flags\n";
  for (const auto& it : an.items) {
    out += fmt::format("{:<{}}  {:>6}  {:>8}  {:>6}  {:>6}  {:>8}", it.id, w, it.n, cell(it.facility), cell(it.r_it),
                       cell(it.discrimination), cell(it.alpha_if_deleted));
    if (rasch || twopl) {
      const auto& mi = it.model;
      if (mi && rasch)
        out += fmt::format("  {:>7}  {:>6}  {:>6}  {:>6}", cell(mi->b), cell(mi->se_b), cell(mi->infit, 2), cell(mi->outfit, 2));
      else if (mi)
        out += fmt::format("  {:>7}  {:>6}  {:>6}  {:>6}", cell(mi->a), cell(mi->se_a), cell(mi->b), cell(mi->se_b));
      else
        out += fmt::format("  {:>31}", it.left_out.empty() ? "-" : it.left_out);
    }
    std::string flags;
    for (const auto& f : it.flags) flags += (flags.empty() ? "" : ", ") + f;
    out += (flags.empty() ? "" : "  " + flags) + "\n";
  }
  if (!an.criteria.empty()) {
    std::size_t cw = 9;
    for (const auto& c : an.criteria) cw = std::max(cw, c.item.size() + 1 + c.id.size());
    out += fmt::format("\n{:<{}}  {:>6}  {:>8}  {:>6}  {:>6}  flags\n", "criterion", cw, "n", "facility", "r_it", "D");
    for (const auto& c : an.criteria) {
      std::string flags;
      for (const auto& f : c.flags) flags += (flags.empty() ? "" : ", ") + f;
      out += fmt::format("{:<{}}  {:>6}  {:>8}  {:>6}  {:>6}{}\n", c.item + "/" + c.id, cw, c.n, cell(c.facility), cell(c.r_it),
                         cell(c.discrimination), flags.empty() ? "" : "  " + flags);
    }
  }
  bool heading = false;
  for (const auto& it : an.items) {
    if (it.options.empty() || it.flags.empty() || !it.judged) continue;
    if (!heading) out += "\nDistractors of flagged items (share, mean rest score of those choosing)\n";
    heading = true;
    out += it.id + ":";
    for (const auto& o : it.options)
      out += fmt::format("  {}{} {:.0f}% {}", o.id, o.key ? "*" : "", 100 * o.share, cell(o.mean_rest, 2));
    out += "\n";
  }
  const auto& r = an.reliability;
  out += "\nReliability\n";
  if (r.alpha)
    out += fmt::format("  alpha (KR-20 for 0/1 items)  {:.3f}   95% CI {:.3f} to {:.3f} (Feldt)\n", *r.alpha, r.alpha_ci->first,
                       r.alpha_ci->second);
  if (r.sem) out += fmt::format("  SEM                         {:.3f} points\n", *r.sem);
  if (r.cut) out += fmt::format("  pass mark                   {:.2f} points\n", *r.cut);
  if (r.csem_at_cut)
    out += fmt::format("  conditional SEM at the mark {:.3f} points (Lord's binomial error model)\n", *r.csem_at_cut);
  if (r.decision_consistency)
    out += fmt::format("  decision consistency        {:.3f} (Subkoviak 1976, single administration)\n", *r.decision_consistency);
  if (r.person_separation) out += fmt::format("  person separation (Rasch)   {:.3f} (WLE estimates)\n", *r.person_separation);
  if (r.model_csem_at_cut)
    out += fmt::format(
        "  SEM at the mark, model      {:.3f} logits at theta {:.2f} (test information of a typical form of {} items)\n",
        *r.model_csem_at_cut, *r.theta_cut, r.typical_form_items);
  if (!r.note.empty()) out += "  note: " + r.note + "\n";
  if (r.marginal_reliability)
    out += fmt::format("  marginal reliability (2PL)  {:.3f} (EAP estimates)\n", *r.marginal_reliability);
  if (an.fit)
    out +=
        fmt::format("\n{}: {} items, {} persons, {} after {} iterations\n", rasch ? "Rasch (CML)" : "2PL (MML, Bock-Aitkin EM)",
                    an.fit->items, an.fit->persons, an.fit->converged ? "converged" : "NOT converged", an.fit->iterations);
  return out;
}

}  // namespace assay::stats
