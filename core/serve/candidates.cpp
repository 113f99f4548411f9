// A campaign's candidates: inviting one, listing them with their status and flags, revoking or
// renewing a link, deleting a candidate's data, and extra time as an accommodation.
#include <fmt/format.h>

#include <chrono>

#include "routes.hpp"
#include "scores.hpp"

namespace assay::serve::detail {

namespace {

json flags_of_candidate(ApiContext& api, std::int64_t candidate_id) {
  json flags = json::array();
  for (const auto& a : api.store.attempts_of(candidate_id))
    for (const auto& s : api.store.signals(a.attempt.attempt_id)) flags.push_back(signal_json(s));
  return flags;
}

json candidate_json(ApiContext& api, const Candidate& cand, const Campaign& c) {
  return {{"id", cand.id},
          {"campaign", cand.campaign_id},
          {"name", cand.name},
          {"email", cand.email},
          {"external_ref", cand.external_ref},
          {"status", candidate_status(api, cand, c)},
          {"extra_time", cand.extra_time},
          {"extra_time_by", cand.extra_time_by},
          {"extra_time_note", cand.extra_time_note},
          {"flags", flags_of_candidate(api, cand.id)}};
}

std::pair<Candidate, Campaign> candidate_or_404(ApiContext& api, const std::string& id) {
  auto cand = api.store.candidate(parse_id(id));
  if (!cand) refuse(404, "not_found", "no such candidate");
  auto c = api.store.campaign(cand->campaign_id);
  if (!c) refuse(404, "not_found", "no such campaign");
  return {std::move(*cand), std::move(*c)};
}

}  // namespace

std::string candidate_status(ApiContext& api, const Candidate& cand, const Campaign& c) {
  if (cand.revoked) return "revoked";
  auto attempts = api.store.attempts_of(cand.id);
  if (attempts.empty()) return api.now() >= c.closes ? "expired" : "invited";
  const auto& last = attempts.back();
  if (last.attempt.submitted) return "submitted";
  bool due = (last.attempt.deadline && api.now() >= *last.attempt.deadline) || api.now() >= c.closes;
  return due ? "submitted" : "started";
}

Candidate new_candidate(std::int64_t campaign_id, std::string name, std::string email, std::string ref, std::string& token) {
  token = random_token();
  Candidate cand;
  cand.campaign_id = campaign_id;
  cand.name = std::move(name);
  cand.email = std::move(email);
  cand.external_ref = std::move(ref);
  cand.link_hash = hash_token(token);
  return cand;
}

json signal_json(const Signal& s) { return {{"kind", s.kind}, {"detail", s.detail}, {"at", format_time(s.at)}}; }

void refuse_if_closed(ApiContext& api, const Campaign& c) {
  if (api.now() >= c.closes) refuse(409, "closed", "this campaign has closed: invite candidates to an open one");
}

HttpResponse invite(ApiContext& api, const Call& call) {
  auto c = api.campaign_or_404(call.param("id"));
  refuse_if_closed(api, c);
  auto body = parse_body(call.req);
  std::string token;
  std::vector<Candidate> v{new_candidate(c.id, get_string(body, "name", true, 200), get_string(body, "email", false, 320),
                                         get_string(body, "external_ref", false, 200), token)};
  api.store.insert_candidates(v);
  api.log(c.id, call.staff->user.username, "invite", fmt::format("candidate {}", v[0].id));
  return json_response(201, {{"candidate", candidate_json(api, v[0], c)}, {"link", api.base_url(call.req) + "/c/" + token}});
}

HttpResponse list_candidates(ApiContext& api, const Call& call) {
  auto c = api.campaign_or_404(call.param("id"));
  json out = json::array();
  for (const auto& cand : api.store.candidates(c.id)) out.push_back(candidate_json(api, cand, c));
  return json_response(200, out);
}

HttpResponse revoke(ApiContext& api, const Call& call) {
  auto [cand, c] = candidate_or_404(api, call.param("id"));
  api.store.revoke(cand.id);
  api.log(c.id, call.staff->user.username, "revoke", fmt::format("candidate {}", cand.id));
  return no_content();
}

/// Deletes a candidate's personal data and attempts; the log keeps only the candidate's number.
HttpResponse delete_candidate(ApiContext& api, const Call& call) {
  auto [cand, c] = candidate_or_404(api, call.param("id"));
  api.store.delete_candidate(cand.id);
  api.log(c.id, call.staff->user.username, "delete_candidate",
          fmt::format("candidate {}: personal data and attempts deleted", cand.id));
  return no_content();
}

HttpResponse new_link(ApiContext& api, const Call& call) {
  auto [cand, c] = candidate_or_404(api, call.param("id"));
  auto token = random_token();
  api.store.set_link(cand.id, hash_token(token));
  api.log(c.id, call.staff->user.username, "new_link", fmt::format("candidate {}", cand.id));
  return json_response(200, {{"link", api.base_url(call.req) + "/c/" + token}});
}

HttpResponse hand_over(ApiContext& api, const Call& call) {
  auto [cand, c] = candidate_or_404(api, call.param("id"));
  auto attempts = api.store.attempts_of(cand.id);
  if (attempts.empty() || attempts.back().attempt.submitted) {
    refuse(409, "no_attempt_in_progress", "this candidate has no attempt in progress: a new link is all they need to start");
  }
  auto& a = attempts.back().attempt;
  if (finalize_if_due(api, attempts.back(), c)) refuse(409, "submitted", "the attempt's time is up: it has been submitted");
  auto token = random_token();
  api.store.set_link(cand.id, hash_token(token));
  api.store.bind_browser(a.attempt_id, "");
  api.log(c.id, call.staff->user.username, "hand_over",
          fmt::format("candidate {}: attempt {} may continue in another browser; the old link and browser no longer work",
                      cand.id, a.attempt_id));
  return json_response(200, {{"link", api.base_url(call.req) + "/c/" + token}});
}

HttpResponse accommodate(ApiContext& api, const Call& call) {
  const auto& who = call.staff->user.username;
  auto [cand, c] = candidate_or_404(api, call.param("id"));
  auto body = parse_body(call.req);
  auto extra = get_int(body, "extra_time", limits::kMaxExtraTimeSeconds);
  if (!extra) refuse(400, "bad_json", "member 'extra_time': missing");
  auto note = get_string(body, "note", false, 2000);
  api.store.set_extra_time(cand.id, *extra, who, note);
  // The running attempt's deadline moves with the accommodation.
  auto attempts = api.store.attempts_of(cand.id);
  if (!attempts.empty() && !attempts.back().attempt.submitted && attempts.back().attempt.deadline && c.time_limit > 0) {
    auto& a = attempts.back().attempt;
    if (!finalize_if_due(api, attempts.back(), c)) api.store.set_deadline(a.attempt_id, deadline_of(c, *a.started, *extra));
  }
  api.log(c.id, who, "accommodation", fmt::format("candidate {}: {} s extra time", cand.id, *extra));
  auto fresh = api.store.candidate(cand.id);
  return json_response(200, candidate_json(api, *fresh, c));
}

}  // namespace assay::serve::detail
