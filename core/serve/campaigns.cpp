// The installed assessments, and campaigns: creating them, listing them with their counts,
// their logs, and purging candidates once a campaign's retention period has run out.
#include <fmt/format.h>

#include <chrono>
#include <filesystem>

#include "assay/catalog.hpp"
#include "routes.hpp"

namespace assay::serve::detail {

namespace fs = std::filesystem;

namespace {

json campaign_json(ApiContext& api, const Campaign& c) {
  json counts = {{"invited", 0}, {"started", 0}, {"submitted", 0}, {"revoked", 0}};
  // "invited" counts every candidate invited, whatever they have done since.
  for (const auto& cand : api.store.candidates(c.id)) {
    counts["invited"] = counts["invited"].get<int>() + 1;
    auto st = candidate_status(api, cand, c);
    if (st != "invited" && counts.contains(st)) counts[st] = counts[st].get<int>() + 1;
  }
  return {{"id", c.id},
          {"title", c.title},
          {"assessment",
           {{"id", c.assessment_id},
            {"version", c.assessment_version},
            {"sha256", c.assessment_sha256},
            {"title", c.assessment_title},
            {"kind", c.mode}}},
          {"mode", c.mode},
          {"opens", format_time(c.opens)},
          {"closes", format_time(c.closes)},
          {"time_limit", c.time_limit},
          {"retakes", c.retakes},
          {"retention_days", c.retention_days},
          {"privacy_notice", c.privacy_notice},
          {"self_identification", self_identification_form(c)},
          {"created_by", c.created_by},
          {"created", format_time(c.created)},
          {"counts", counts}};
}

}  // namespace

/// Deletes every candidate of each campaign whose retention period has run out since it closed.
void purge_expired(ApiContext& api) {
  for (const auto& c : api.store.campaigns()) {
    if (c.retention_days <= 0 || api.now() < c.closes + std::chrono::days(c.retention_days)) continue;
    auto candidates = api.store.candidates(c.id);
    if (candidates.empty()) continue;
    for (const auto& cand : candidates) api.store.delete_candidate(cand.id);
    api.log(c.id, "assay", "purge",
            fmt::format("retention period of {} days ended: {} candidates' data and attempts deleted", c.retention_days,
                        candidates.size()));
  }
}

HttpResponse list_assessments(ApiContext& api, const Call&) {
  json out = json::array();
  for (const auto& e : catalog::scan(catalog::assessment_dirs(api.options.assessment_dirs))) {
    const auto& a = e.assessment;
    out.push_back({{"id", a.id},
                   {"version", a.version},
                   {"title", a.title},
                   {"kind", std::string(model::to_string(a.kind))},
                   {"items", a.items.size()},
                   {"time_limit", a.time_limit_seconds}});
  }
  return json_response(200, out);
}

HttpResponse create_campaign(ApiContext& api, const Call& call) {
  const auto& who = call.staff->user.username;
  auto body = parse_body(call.req);
  Campaign c;
  c.title = get_string(body, "title");
  auto assessment_id = get_string(body, "assessment");
  c.opens = get_time(body, "opens");
  c.closes = get_time(body, "closes");
  if (c.closes <= c.opens) refuse(400, "bad_json", "member 'closes': must come after 'opens'");
  if (c.closes <= api.now()) refuse(400, "bad_json", "member 'closes': already past; a campaign closes in the future");
  c.privacy_notice = get_string(body, "privacy_notice", false, 20000);
  std::optional<fs::path> path;
  for (const auto& e : catalog::scan(catalog::assessment_dirs(api.options.assessment_dirs)))
    if (e.assessment.id == assessment_id) path = e.path;
  if (!path) refuse(400, "unknown_assessment", fmt::format("no installed assessment has the id '{}'", assessment_id));
  auto loaded = api.load(fs::absolute(*path).string(), "");
  const auto& a = loaded->assessment;
  c.assessment_id = a.id;
  c.assessment_version = a.version;
  c.assessment_sha256 = a.sha256;
  c.assessment_title = a.title;
  c.assessment_path = fs::absolute(*path).string();
  c.mode = std::string(model::to_string(a.kind));
  c.time_limit = get_int(body, "time_limit", limits::kMaxTimeLimitSeconds)
                     .value_or(std::min<std::int64_t>(a.time_limit_seconds, limits::kMaxTimeLimitSeconds));
  c.retakes = get_int(body, "retakes", limits::kMaxRetakes).value_or(0);
  c.retention_days = get_int(body, "retention_days", limits::kMaxRetentionDays).value_or(0);
  c.self_identification = checked_self_identification(body);
  c.created_by = who;
  c.created = api.now();
  api.store.insert_campaign(c);
  api.log(c.id, who, "create_campaign", fmt::format("'{}' from {} {}", c.title, a.id, a.version));
  return json_response(201, campaign_json(api, c));
}

HttpResponse list_campaigns(ApiContext& api, const Call&) {
  purge_expired(api);
  json out = json::array();
  for (const auto& c : api.store.campaigns()) out.push_back(campaign_json(api, c));
  return json_response(200, out);
}

HttpResponse get_campaign(ApiContext& api, const Call& call) {
  return json_response(200, campaign_json(api, api.campaign_or_404(call.param("id"))));
}

HttpResponse campaign_log(ApiContext& api, const Call& call) {
  auto c = api.campaign_or_404(call.param("id"));
  json out = json::array();
  for (const auto& e : api.store.log_entries(c.id))
    out.push_back({{"at", format_time(e.at)}, {"user", e.user}, {"action", e.action}, {"detail", e.detail}});
  return json_response(200, out);
}

}  // namespace assay::serve::detail
