// The Api facade and its router: one table of every route of docs/serve.md with who may call it.
// The handlers live by resource (auth, campaigns, candidates, staff_import, results, attempts);
// each reads the store, changes it in committed steps, and answers JSON, and a refused request
// changes nothing.
#include "api.hpp"

#include <fmt/format.h>

#include <sodium.h>
#include <cctype>

#include <algorithm>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "context.hpp"
#include "routes.hpp"

namespace assay::serve {

namespace {

using namespace detail;

enum class Access {
  kPublic,     // anyone: setting up the first account, signing in
  kCandidate,  // the holder of a candidate link: {token} must resolve
  kStaff,      // a signed-in account with one of the rule's roles
};

struct Rule {
  Access access = Access::kPublic;
  unsigned roles = 0;  // for kStaff: one bit per role allowed
  bool csrf = false;   // for kStaff: the session's X-CSRF-Token header is required
};

constexpr Rule kAnyone{Access::kPublic};
constexpr Rule kLinkHolder{Access::kCandidate};
/// A staff route that only reads.
constexpr Rule reads(unsigned roles) { return {Access::kStaff, roles, false}; }
/// A staff route that changes something: the session's CSRF token is required too.
constexpr Rule changes(unsigned roles) { return {Access::kStaff, roles, true}; }

struct Route {
  std::string_view method;
  std::string_view pattern;  // a {name} segment matches any one segment, given as call.param(name)
  Handler handler;
  Rule rule;
  EarlyHandler early = nullptr;  // for kCandidate: tried before the link is read
};

constexpr Route kRoutes[] = {
    {"GET", "/api/setup", setup_status, kAnyone},
    {"POST", "/api/setup", setup, kAnyone},
    {"POST", "/api/login", login, kAnyone},
    {"POST", "/api/logout", logout, changes(kEveryone)},
    {"GET", "/api/me", me, reads(kEveryone)},
    {"GET", "/api/users", list_users, reads(kAdmins)},
    {"GET", "/api/users-log", account_log, reads(kAdmins)},
    {"POST", "/api/users", create_user, changes(kAdmins)},
    {"POST", "/api/users/{username}/password", reset_password, changes(kAdmins)},
    {"POST", "/api/users/{username}/role", change_role, changes(kAdmins)},
    {"POST", "/api/users/{username}/disable", disable_user, changes(kAdmins)},
    {"POST", "/api/users/{username}/enable", enable_user, changes(kAdmins)},
    {"DELETE", "/api/users/{username}", delete_user, changes(kAdmins)},
    {"GET", "/api/assessments", list_assessments, reads(kManagers)},
    {"GET", "/api/campaigns", list_campaigns, reads(kEveryone)},
    {"POST", "/api/campaigns", create_campaign, changes(kManagers)},
    {"GET", "/api/campaigns/{id}", get_campaign, reads(kManagers)},
    {"POST", "/api/campaigns/{id}/candidates", invite, changes(kManagers)},
    {"POST", "/api/campaigns/{id}/candidates.csv", import_csv, changes(kManagers)},
    {"GET", "/api/campaigns/{id}/candidates", list_candidates, reads(kManagers)},
    {"GET", "/api/campaigns/{id}/results", results, reads(kManagers)},
    {"GET", "/api/campaigns/{id}/results.csv", results_csv, reads(kManagers)},
    {"GET", "/api/campaigns/{id}/results.jsonl", results_jsonl, reads(kManagers)},
    {"GET", "/api/campaigns/{id}/report.html", results_html, reads(kManagers)},
    {"GET", "/api/campaigns/{id}/ratings", pending_ratings, reads(kEveryone)},
    {"POST", "/api/campaigns/{id}/exclusions", exclude, changes(kManagers)},
    {"DELETE", "/api/campaigns/{id}/exclusions/{item}", include_again, changes(kManagers)},
    {"GET", "/api/campaigns/{id}/items", campaign_items, reads(kManagers)},
    {"GET", "/api/campaigns/{id}/log", campaign_log, reads(kManagers)},
    {"GET", "/api/campaigns/{id}/statistics", campaign_statistics, reads(kManagers)},
    {"GET", "/api/campaigns/{id}/adverse-impact", adverse_impact, reads(kAdmins)},
    {"POST", "/api/candidates/{id}/revoke", revoke, changes(kManagers)},
    {"DELETE", "/api/candidates/{id}", delete_candidate, changes(kManagers)},
    {"POST", "/api/candidates/{id}/link", new_link, changes(kManagers)},
    {"POST", "/api/candidates/{id}/accommodation", accommodate, changes(kManagers)},
    {"POST", "/api/candidates/{id}/hand-over", hand_over, changes(kManagers)},
    {"GET", "/api/attempts/{id}", get_attempt, reads(kManagers)},
    {"POST", "/api/attempts/{id}/ratings", rate, changes(kEveryone)},
    {"GET", "/api/c/{token}", link_info, kLinkHolder},
    {"POST", "/api/c/{token}/start", start, kLinkHolder},
    {"GET", "/api/c/{token}/attempt", get_state, kLinkHolder},
    {"PUT", "/api/c/{token}/answers/{n}", save_answer, kLinkHolder, save_answer_at_once},
    {"GET", "/api/c/{token}/figures/{n}/{k}", figure, kLinkHolder},
    {"POST", "/api/c/{token}/signals", record_signal, kLinkHolder},
    {"POST", "/api/c/{token}/submit", submit_attempt, kLinkHolder},
    {"GET", "/api/c/{token}/outcome", outcome, kLinkHolder},
    {"GET", "/api/c/{token}/self-identification", self_identification, kLinkHolder},
    {"PUT", "/api/c/{token}/self-identification", save_self_identification, kLinkHolder},
};

// A cross-site page can make a browser send a staff cookie but cannot read the CSRF token, so
// every staff route other than a GET, which changes nothing, needs it.
constexpr bool csrf_on_every_change() {
  for (const auto& r : kRoutes)
    if (r.rule.access == Access::kStaff && r.rule.csrf != (r.method != "GET")) return false;
  return true;
}
static_assert(csrf_on_every_change(), "a staff route that changes something must require the CSRF token");

/// The segments of a path after its first character: "/api/c/x" is {"api", "c", "x"}.
std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out;
  std::size_t pos = 1;
  while (pos <= path.size()) {
    auto end = path.find('/', pos);
    if (end == std::string::npos) end = path.size();
    out.push_back(path.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

/// True when the segments match the pattern's; each {name} segment's value goes to call.params.
bool match(std::string_view pattern, const std::vector<std::string>& segments, Call& call) {
  std::size_t i = 0;
  for (auto pos = std::size_t{1}; pos <= pattern.size(); ++i) {
    auto end = std::min(pattern.find('/', pos), pattern.size());
    auto seg = pattern.substr(pos, end - pos);
    pos = end + 1;
    if (i >= segments.size()) return false;
    if (seg.size() >= 2 && seg.front() == '{' && seg.back() == '}')
      call.params.emplace_back(seg.substr(1, seg.size() - 2), segments[i]);
    else if (seg != segments[i])
      return false;
  }
  return i == segments.size();
}

/// A request that changes something must come from this server's own pages: an Origin of another
/// site, or "null" (a sandboxed frame, a file, some redirects), is refused; so is a browser's
/// request that says it is cross-site and sends no Origin. Clients that are not browsers send
/// neither header and are judged by their credentials alone.
void check_origin(const ApiContext& api, const HttpRequest& req) {
  if (req.method == "GET" || req.method == "HEAD") return;
  auto lower = [](std::string s) {
    for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return s;
  };
  if (!req.origin.empty()) {
    if (lower(req.origin) != lower(api.base_url(req)))
      refuse(403, "origin", fmt::format("this request comes from another site ({}); use this server's own pages", req.origin));
    return;
  }
  if (!req.fetch_site.empty() && req.fetch_site != "same-origin" && req.fetch_site != "none")
    refuse(403, "origin", "this request comes from another site; use this server's own pages");
}

HttpResponse route(ApiContext& api, const HttpRequest& req) {
  check_origin(api, req);
  auto segments = split_path(req.path);
  for (const auto& r : kRoutes) {
    if (r.method != req.method) continue;
    Call call{req, {}, std::nullopt, std::nullopt};
    if (!match(r.pattern, segments, call)) continue;
    if (r.rule.access == Access::kStaff) call.staff = authorize(api, req, r.rule.roles, r.rule.csrf);
    if (r.rule.access == Access::kCandidate) {
      if (r.early != nullptr)
        if (auto done = r.early(api, call)) return std::move(*done);
      call.link = resolve_link(api, req, call.param("token"));
    }
    return r.handler(api, call);
  }
  refuse(404, "not_found", fmt::format("no route {} {}", req.method, req.path));
}

/// A request path with candidate link tokens and set-up tokens replaced by "…": logs keep no keys.
std::string without_tokens(const std::string& path) {
  auto segments = split_path(path);
  std::string out;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    bool token = i > 0 && (segments[i - 1] == "c" || segments[i - 1] == "setup");
    out += "/" + (token ? std::string("…") : segments[i]);
  }
  return out.empty() ? "/" : out;
}

}  // namespace

const std::string& detail::Call::param(std::string_view name) const {
  for (const auto& [key, value] : params)
    if (key == name) return value;
  throw std::logic_error(fmt::format("the route has no parameter {{{}}}", name));
}

struct Api::Impl {
  Impl(Store& store, const plugins::Registry& registry, const Clock& clock, ApiOptions options)
      : api(store, registry, clock, std::move(options)) {}
  ApiContext api;
};

Api::Api(Store& store, const plugins::Registry& registry, const Clock& clock, ApiOptions options)
    : impl_(std::make_unique<Impl>(store, registry, clock, std::move(options))) {
  if (sodium_init() < 0) throw StoreError("libsodium could not be initialised");
}

Api::~Api() = default;

void Api::purge_expired() { detail::purge_expired(impl_->api); }

std::string Api::ensure_setup_token() { return detail::ensure_setup_token(impl_->api); }

HttpResponse Api::handle(const HttpRequest& request) {
  try {
    return route(impl_->api, request);
  } catch (const ApiError& e) {
    auto r = json_response(e.status, {{"error", e.code}, {"message", e.message}});
    r.headers = e.headers;
    return r;
  } catch (const std::exception& e) {
    // The details go to the server's terminal under a reference; the client sees only the reference.
    auto reference = detail::random_token().substr(0, 10);
    if (impl_->api.options.error_log) {
      impl_->api.options.error_log(fmt::format("assay serve: internal error {}: {} {}: {}", reference, request.method,
                                               without_tokens(request.path), e.what()));
    }
    return json_response(500, {{"error", "internal"},
                               {"message", fmt::format("something went wrong (reference {})", reference)},
                               {"reference", reference}});
  }
}

}  // namespace assay::serve
