// The route handlers of docs/serve.md, by the file that defines them, and what each receives.
// router.cpp's table says which method and path reach a handler and who may call it; the router
// checks that before the handler runs.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api.hpp"
#include "assay/store.hpp"
#include "context.hpp"
#include "http_util.hpp"

namespace assay::serve::detail {

/// A signed-in account and its session.
struct Staff {
  User user;
  StaffSession session;
};

/// A candidate link that works: its candidate and their campaign.
struct Link {
  Candidate candidate;
  Campaign campaign;
  /// The candidate's attempts, oldest first, as read with the link at the start of the request;
  /// none where the handler must read them afresh (start(), after it takes the attempt lock).
  std::optional<std::vector<StoredAttempt>> attempts;
};

/// One request as the router hands it to a handler.
struct Call {
  const HttpRequest& req;
  std::vector<std::pair<std::string_view, std::string>> params;  // the path's {name} segments
  std::optional<Staff> staff;                                    // on staff routes: the account, its role and CSRF token checked
  std::optional<Link> link;                                      // on candidate routes: the link's candidate and campaign

  /// The value of the path's {name} segment.
  const std::string& param(std::string_view name) const;
};

using Handler = HttpResponse (*)(ApiContext& api, const Call& call);
/// A candidate route's way to answer before its link is read, or nullopt for the handler.
using EarlyHandler = std::optional<HttpResponse> (*)(ApiContext& api, const Call& call);

// ---- auth.cpp: accounts, sign-in and sessions ------------------------------------------------

/// Role masks: one bit per role.
constexpr unsigned kAdmins = 1u << static_cast<unsigned>(Role::kAdministrator);
constexpr unsigned kManagers = kAdmins | 1u << static_cast<unsigned>(Role::kManager);
constexpr unsigned kEveryone = kManagers | 1u << static_cast<unsigned>(Role::kRater);

/// The signed-in account of the request, with one of `roles`, and the session's X-CSRF-Token
/// header when `csrf`. Refuses 401 login_required, then 403 csrf, then 403 forbidden.
Staff authorize(ApiContext& api, const HttpRequest& req, unsigned roles, bool csrf);
/// Api::ensure_setup_token.
std::string ensure_setup_token(ApiContext& api);

HttpResponse setup(ApiContext& api, const Call& call);
HttpResponse login(ApiContext& api, const Call& call);
HttpResponse logout(ApiContext& api, const Call& call);
HttpResponse me(ApiContext& api, const Call& call);
HttpResponse list_users(ApiContext& api, const Call& call);
HttpResponse create_user(ApiContext& api, const Call& call);
HttpResponse reset_password(ApiContext& api, const Call& call);

// ---- campaigns.cpp: assessments, campaigns, their logs ---------------------------------------

/// Api::purge_expired.
void purge_expired(ApiContext& api);

HttpResponse list_assessments(ApiContext& api, const Call& call);
HttpResponse list_campaigns(ApiContext& api, const Call& call);
HttpResponse create_campaign(ApiContext& api, const Call& call);
HttpResponse get_campaign(ApiContext& api, const Call& call);
HttpResponse campaign_log(ApiContext& api, const Call& call);

// ---- candidates.cpp: candidates, links, accommodations ---------------------------------------

/// "invited", "started", "submitted", "revoked" or "expired".
std::string candidate_status(ApiContext& api, const Candidate& cand, const Campaign& c);
/// A candidate to invite to the campaign, with a new link `token` (only its hash is kept).
Candidate new_candidate(std::int64_t campaign_id, std::string name, std::string email, std::string ref, std::string& token);
/// {"kind", "detail", "at"}.
json signal_json(const Signal& s);

HttpResponse invite(ApiContext& api, const Call& call);
HttpResponse list_candidates(ApiContext& api, const Call& call);
HttpResponse revoke(ApiContext& api, const Call& call);
HttpResponse delete_candidate(ApiContext& api, const Call& call);
HttpResponse new_link(ApiContext& api, const Call& call);
HttpResponse accommodate(ApiContext& api, const Call& call);
HttpResponse change_role(ApiContext& api, const Call& call);
HttpResponse disable_user(ApiContext& api, const Call& call);
HttpResponse enable_user(ApiContext& api, const Call& call);
HttpResponse delete_user(ApiContext& api, const Call& call);
HttpResponse account_log(ApiContext& api, const Call& call);
HttpResponse campaign_items(ApiContext& api, const Call& call);
HttpResponse include_again(ApiContext& api, const Call& call);
HttpResponse hand_over(ApiContext& api, const Call& call);
HttpResponse setup_status(ApiContext& api, const Call& call);
/// Refuses 409 closed once the campaign has closed: no one is invited into it.
void refuse_if_closed(ApiContext& api, const Campaign& c);

// ---- staff_import.cpp --------------------------------------------------------------------------

HttpResponse import_csv(ApiContext& api, const Call& call);

// ---- results.cpp: ranking, exports, item-level results, ratings, exclusions --------------------

HttpResponse results(ApiContext& api, const Call& call);
HttpResponse results_csv(ApiContext& api, const Call& call);
HttpResponse results_jsonl(ApiContext& api, const Call& call);
HttpResponse results_html(ApiContext& api, const Call& call);
HttpResponse get_attempt(ApiContext& api, const Call& call);
HttpResponse pending_ratings(ApiContext& api, const Call& call);
HttpResponse rate(ApiContext& api, const Call& call);
HttpResponse exclude(ApiContext& api, const Call& call);

// ---- attempts.cpp: the candidate routes --------------------------------------------------------

/// The candidate and campaign of a link token. Unknown tokens count against the client's
/// address (429 past the limit); unknown and revoked ones are refused 404.
Link resolve_link(ApiContext& api, const HttpRequest& req, const std::string& token);

HttpResponse link_info(ApiContext& api, const Call& call);
HttpResponse start(ApiContext& api, const Call& call);
HttpResponse get_state(ApiContext& api, const Call& call);
HttpResponse save_answer(ApiContext& api, const Call& call);
/// save_answer in one step of the store (Store::save_answer_if_open), before the router reads the
/// link, when this server has seen the link's running attempt; nullopt when nothing was written
/// and save_answer must answer.
std::optional<HttpResponse> save_answer_at_once(ApiContext& api, const Call& call);
HttpResponse figure(ApiContext& api, const Call& call);
HttpResponse record_signal(ApiContext& api, const Call& call);
HttpResponse submit_attempt(ApiContext& api, const Call& call);
HttpResponse outcome(ApiContext& api, const Call& call);
HttpResponse self_identification(ApiContext& api, const Call& call);
HttpResponse save_self_identification(ApiContext& api, const Call& call);

// ---- statistics.cpp: item analysis, adverse impact, voluntary self-identification ------------

/// The campaign's self-identification form: [{"id", "label", "options"}], empty when none.
json self_identification_form(const Campaign& c);
/// Member "self_identification" of a new campaign's body, checked, as Campaign::self_identification
/// holds it ("" when absent: the default form). Refuses 400 bad_json naming what is wrong.
std::string checked_self_identification(const json& body);
/// A candidate's answers to the form, checked against it, as the store keeps them.
std::string checked_self_identification_answers(const Campaign& c, const json& body);

HttpResponse campaign_statistics(ApiContext& api, const Call& call);
HttpResponse adverse_impact(ApiContext& api, const Call& call);

}  // namespace assay::serve::detail
