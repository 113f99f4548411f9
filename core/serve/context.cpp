#include "context.hpp"

#include <fmt/format.h>

#include "assay/plugins.hpp"

namespace assay::serve::detail {

ApiContext::ApiContext(Store& store, const plugins::Registry& registry, const Clock& clock, ApiOptions options)
    : store(store), registry(registry), clock(clock), options(std::move(options)) {}

std::string ApiContext::base_url(const HttpRequest& req) const { return (https(req) ? "https://" : "http://") + req.host; }

std::string ApiContext::cookie_attributes(const HttpRequest& req) const {
  return std::string("; HttpOnly; SameSite=Strict") + (https(req) ? "; Secure" : "");
}

std::shared_ptr<const model::LoadedAssessment> ApiContext::load(const std::string& path, const std::string& sha256) {
  std::lock_guard lock(cache_mu_);
  auto key = path + "#" + sha256;
  if (auto it = cache_.find(key); it != cache_.end()) return it->second;
  auto loaded = model::try_load_and_prepare(path, registry);
  if (!loaded)
    refuse(500, "assessment_unavailable", "the campaign's assessment no longer loads: " + loaded.error().front().format());
  if (!sha256.empty() && loaded->assessment.sha256 != sha256)
    refuse(500, "assessment_changed",
           fmt::format("the campaign's assessment changed since the campaign was created (digest {}, now {})", sha256,
                       loaded->assessment.sha256));
  auto shared = std::make_shared<const model::LoadedAssessment>(std::move(loaded.value()));
  cache_.emplace(key, shared);
  return shared;
}

std::shared_ptr<const model::LoadedAssessment> ApiContext::load(const Campaign& c) {
  return load(c.assessment_path, c.assessment_sha256);
}

std::shared_ptr<const json> ApiContext::presentation(const model::LoadedAssessment& loaded, const delivery::FormItem& fi) {
  auto key = fmt::format("{}\n{}\n{}", loaded.assessment.sha256, fi.item_id, fi.seed);
  {
    std::lock_guard lock(shown_mu_);
    if (auto it = shown_.find(key); it != shown_.end()) return it->second;
  }
  auto idx = loaded.assessment.item_index(fi.item_id);
  auto text = loaded.prepared[static_cast<std::size_t>(idx)].present(fi.seed);
  if (!text) refuse(500, "internal", "an item cannot be shown: " + text.error().message);
  auto shown = std::make_shared<const json>(json::parse(text.value()));
  std::lock_guard lock(shown_mu_);
  if (shown_.size() >= kShownKept) shown_.clear();
  shown_.emplace(std::move(key), shown);
  return shown;
}

void ApiContext::remember_attempt(const std::string& link_hash, const StoredAttempt& a, const Campaign& c) {
  {
    std::lock_guard lock(opened_mu_);
    if (auto it = opened_.find(link_hash); it != opened_.end() && it->second->attempt_id == a.attempt.attempt_id) return;
  }
  auto opened = std::make_shared<const OpenedAttempt>(
      OpenedAttempt{a.attempt.attempt_id, a.attempt.form, c.assessment_path, c.assessment_sha256});
  std::lock_guard lock(opened_mu_);
  if (opened_.size() >= kOpenedKept) opened_.clear();
  opened_.insert_or_assign(link_hash, std::move(opened));
}

std::shared_ptr<const OpenedAttempt> ApiContext::remembered_attempt(const std::string& link_hash) {
  std::lock_guard lock(opened_mu_);
  auto it = opened_.find(link_hash);
  return it == opened_.end() ? nullptr : it->second;
}

void ApiContext::log(std::int64_t campaign_id, const std::string& user, const std::string& action, const std::string& detail) {
  store.log(campaign_id, {now(), user, action, detail});
}

Campaign ApiContext::campaign_or_404(const std::string& id) {
  auto c = store.campaign(parse_id(id));
  if (!c) refuse(404, "not_found", "no such campaign");
  return std::move(*c);
}

}  // namespace assay::serve::detail
