// The candidate routes under /api/c/{token}/: what the link opens, starting the attempt (bound
// to the browser that started it), its state, saving an answer, integrity signals, submitting,
// and the outcome the campaign releases.
#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <limits>
#include <map>

#include "assay/json_schema.hpp"
#include "assay/presentation.hpp"
#include "assay/scoring.hpp"
#include "assay/utf8.hpp"
#include "rate_limit.hpp"
#include "routes.hpp"
#include "scores.hpp"

namespace assay::serve::detail {

namespace {

constexpr const char* kAttemptCookie = "assay_attempt";

/// The candidate's attempts, oldest first: those read with the link, without a copy, or else
/// read from the store into `fresh`.
const std::vector<StoredAttempt>& attempts_of(ApiContext& api, const Link& link, std::vector<StoredAttempt>& fresh) {
  if (link.attempts) return *link.attempts;
  return fresh = api.store.attempts_of(link.candidate.id);
}

/// The link's latest attempt, finalized when due.
std::optional<StoredAttempt> current_attempt(ApiContext& api, const Link& link) {
  std::vector<StoredAttempt> fresh;
  const auto& attempts = attempts_of(api, link, fresh);
  if (attempts.empty()) return std::nullopt;
  auto a = attempts.back();
  finalize_if_due(api, a, link.campaign);
  return a;
}

std::size_t submitted_count(ApiContext& api, const Link& link) {
  std::vector<StoredAttempt> fresh;
  std::size_t n = 0;
  for (const auto& a : attempts_of(api, link, fresh)) n += a.attempt.submitted ? 1 : 0;
  return n;
}

// A request with another attempt cookie while the bound browser was seen this recently is a
// second browser (docs/serve.md); later, it is a candidate who lost their browser: refused, not flagged.
constexpr std::chrono::seconds kSecondBrowserWindow{120};
// The bound browser's last request is written at most this often.
constexpr std::chrono::seconds kSeenResolution{30};

/// Writes when the bound browser was last here. The mark only lets a second browser be flagged: a
/// store that cannot write it is the server's to report (its error log), never a refused request,
/// and never a failure reported for an answer the one-step save has already written.
void note_browser_seen(ApiContext& api, const std::string& attempt_id, TimePoint now) {
  try {
    api.store.browser_seen(attempt_id, now);
  } catch (const std::exception& e) {
    if (api.options.error_log)
      api.options.error_log(
          fmt::format("assay serve: attempt {}: when its browser was last seen is not written: {}", attempt_id, e.what()));
  }
}

/// The attempt this browser holds; refuses any other browser, and flags one that comes while the
/// holder is active.
StoredAttempt bound_attempt(ApiContext& api, const HttpRequest& req, const Link& link) {
  auto a = current_attempt(api, link);
  if (!a) refuse(409, "not_started", "the attempt has not been started");
  auto cookie = cookie_value(req.cookie, kAttemptCookie);
  const auto now = api.now();
  // Handed on by staff and not yet claimed: starting (POST start) claims it for this browser.
  if (a->browser_hash.empty() && !a->attempt.submitted)
    refuse(409, "handed_over", "this attempt continues in the first browser that starts it from this link");
  if (cookie.empty() || a->browser_hash.empty() || !same(hash_token(cookie), a->browser_hash)) {
    bool holder_active = a->browser_seen && now - *a->browser_seen < kSecondBrowserWindow;
    if (!a->attempt.submitted && !a->browser_hash.empty() && holder_active)
      api.store.add_signal(a->attempt.attempt_id,
                           {"second_browser", "a second browser used the link while the first was active", now});
    refuse(409, "other_browser", "this attempt is open in another browser");
  }
  if (!a->attempt.submitted && (!a->browser_seen || now - *a->browser_seen >= kSeenResolution)) {
    note_browser_seen(api, a->attempt.attempt_id, now);
    a->browser_seen = now;
  }
  if (!a->attempt.submitted) api.remember_attempt(link.candidate.link_hash, *a, link.campaign);
  return std::move(*a);
}

/// The attempt cookie: kept by the browser until an hour after the attempt must end, so that a
/// candidate who closes the browser comes back to it.
std::string attempt_cookie(ApiContext& api, const Call& call, const std::string& cookie, const Campaign& c,
                           const std::optional<TimePoint>& deadline) {
  auto until = deadline.value_or(c.closes) + std::chrono::hours(1);
  auto max_age = std::max<std::int64_t>(60, (until - api.now()).count());
  return fmt::format("{}={}; Path=/api/c/{}; Max-Age={}{}", kAttemptCookie, cookie, call.param("token"), max_age,
                     api.cookie_attributes(call.req));
}

/// "1 minute", "90 minutes", "45 seconds".
std::string duration_text(std::int64_t seconds) {
  if (seconds < 60) return fmt::format("{} second{}", seconds, seconds == 1 ? "" : "s");
  auto minutes = seconds / 60;
  return fmt::format("{} minute{}", minutes, minutes == 1 ? "" : "s");
}

/// The seconds a candidate starting now has: the time limit with extra time, cut at the close.
std::int64_t time_to_start_with(const Campaign& c, std::int64_t extra, TimePoint now) {
  if (c.time_limit <= 0) return 0;
  return std::max<std::int64_t>(0, (deadline_of(c, now, extra) - now).count());
}

json rules(const Campaign& c, std::int64_t extra, TimePoint now) {
  json r = json::array();
  if (auto limit = time_to_start_with(c, extra, now); limit > 0) {
    if (limit < c.time_limit + extra)
      r.push_back(fmt::format("The campaign closes at {}: you have {} from the moment you start, not the full {}.",
                              format_time(c.closes), duration_text(limit), duration_text(c.time_limit + extra)));
    else
      r.push_back(fmt::format("You have {} from the moment you start.", duration_text(limit)));
    r.push_back("The clock keeps running while you are away; at the end your saved answers are submitted.");
  }
  r.push_back("Your answers are saved as you give them. You may change them until you submit.");
  r.push_back("Work on your own, in one browser. Opening the attempt in a second browser is refused and recorded.");
  r.push_back("Leaving the page and pasting into answers are recorded and shown to the hospital.");
  if (c.mode == "screening")
    r.push_back("After you submit you will see that your attempt was received; the hospital will contact you.");
  else
    r.push_back("After you submit you will see your result with feedback on each item.");
  return r;
}

/// Seconds left until `deadline` at `t`; null when untimed.
json remaining_until(const std::optional<TimePoint>& deadline, TimePoint t) {
  if (!deadline) return nullptr;
  return std::max<std::int64_t>(0, (*deadline - t).count());
}

json remaining_of(const StoredAttempt& a, TimePoint t) { return remaining_until(a.attempt.deadline, t); }

json state(ApiContext& api, const StoredAttempt& a, const Campaign& c) {
  auto loaded = api.load(c);
  json items = json::array();
  std::size_t n = 0;
  for (const auto& fi : a.attempt.form.items) {
    auto ans = a.attempt.answers.find(fi.item_id);
    auto rev = a.revisions.find(fi.item_id);
    items.push_back({{"n", ++n},
                     {"presentation", *api.presentation(*loaded, fi)},
                     {"answer", ans == a.attempt.answers.end() ? json(nullptr) : json::parse(ans->second)},
                     {"revision", rev == a.revisions.end() ? 0 : rev->second}});
  }
  auto t = api.now();
  return {{"status", a.attempt.submitted ? "submitted" : "in_progress"},
          {"now", format_time(t)},
          {"deadline", opt_time(a.attempt.deadline)},
          {"remaining", remaining_of(a, t)},
          {"items", items}};
}

json outcome_json(ApiContext& api, const StoredAttempt& a, const Campaign& c) {
  json out = {{"status", "received"}, {"campaign", c.title}, {"submitted", opt_time(a.attempt.submitted)}};
  if (c.mode != "practice") return out;
  auto doc = api.store.result(a.attempt.attempt_id);
  if (!doc) return out;
  auto result = scoring::try_result_from_json(json::parse(*doc));
  if (!result) return out;
  auto loaded = api.load(c);
  out["result"] = scoring::candidate_view(result.value());
  json review = json::array();
  std::size_t n = 0;
  for (const auto& fi : a.attempt.form.items) {
    ++n;
    auto idx = static_cast<std::size_t>(loaded->assessment.item_index(fi.item_id));
    const auto& item = loaded->assessment.items[idx];
    std::string feedback;
    if (auto ans = a.attempt.answers.find(fi.item_id); ans != a.attempt.answers.end())
      if (auto fb = loaded->prepared[idx].feedback(fi.seed, ans->second); fb) feedback = fb.value();
    review.push_back({{"n", n}, {"feedback", feedback}, {"explanation", item.explanation}, {"source", item.source}});
  }
  out["review"] = review;
  return out;
}

/// The interaction a plugin's refusal concerns: the first segment of its pointer into the
/// response when that names a part, else the response's first part.
std::string interaction_of(const json& response, const std::string& pointer) {
  if (pointer.size() > 1 && pointer[0] == '/') {
    std::string first = pointer.substr(1, pointer.find('/', 1) - 1);
    if (response.contains(first)) return first;
  }
  return response.empty() ? std::string("answer") : response.begin().key();
}

/// The position `text` names on the attempt's form (from 1), or 404.
std::size_t item_number(const std::string& text, const delivery::Form& form) {
  std::size_t n = 0;
  try {
    n = static_cast<std::size_t>(parse_id(text));
  } catch (const ApiError&) {
    refuse(404, "not_found", fmt::format("there is no item '{}' in this attempt", utf8_prefix(text, 40)));
  }
  if (n < 1 || n > form.items.size())
    refuse(404, "not_found", fmt::format("there is no item {} in this attempt (it has {})", n, form.items.size()));
  return n;
}

/// A save's request as read before anything is written.
struct SaveRequest {
  std::size_t n = 0;                       // the item's position on the form, from 1
  const delivery::FormItem* fi = nullptr;  // the item there
  json response;
  std::string text;           // the response as stored
  std::int64_t revision = 0;  // the browser's number for this save; 0 for the next
};

/// The item, response and revision of a save on `form`; refuses a request that names no item
/// of the form, a body that is not a response the item can take, and a bad revision.
SaveRequest read_save(ApiContext& api, const Call& call, const delivery::Form& form, const model::LoadedAssessment& loaded) {
  SaveRequest s;
  s.n = item_number(call.param("n"), form);
  require_utf8_body(call.req.body);
  try {
    s.response = json::parse(call.req.body);
  } catch (const json::parse_error& e) {
    refuse(400, "bad_json", json_error_text(call.req.body, e));
  } catch (const json::out_of_range& e) {
    refuse(400, "bad_json", json_error_text(call.req.body, e));
  }
  // The browser numbers its saves of each item (docs/serve.md, "Answer revisions"); without a
  // number the save is the next revision, whatever it is.
  if (auto r = query_value(call.req.query, "revision"); !r.empty()) {
    if (r.size() > 15 || !std::all_of(r.begin(), r.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
        (s.revision = std::stoll(r)) < 1)
      refuse(400, "bad_revision",
             fmt::format("query parameter 'revision': expected a whole number from 1, found \"{}\"", utf8_prefix(r, 40)));
  }
  s.fi = &form.items[s.n - 1];
  if (auto problem = presentation::check_response(s.response, *api.presentation(loaded, *s.fi)); !problem.empty())
    refuse(400, "bad_response", problem);
  s.text = s.response.dump();
  return s;
}

/// The answer to a save written at `revision`: saved whatever it holds (nothing is lost at a
/// deadline); what the plugin cannot read as an answer is said, beside the part it concerns, for
/// the candidate to fix. Never a verdict.
HttpResponse answer_saved(const model::LoadedAssessment& loaded, const SaveRequest& s, std::int64_t revision, json remaining) {
  json problems = json::object();
  const auto& prepared = loaded.prepared[static_cast<std::size_t>(loaded.assessment.item_index(s.fi->item_id))];
  if (auto read = prepared.score_verbose(s.fi->seed, s.text); !read && read.error().status == ASSAY_STATUS_INVALID_RESPONSE)
    problems[interaction_of(s.response, read.error().pointer)] = std::string(utf8_prefix(read.error().message, 2000));
  return json_response(
      200, {{"n", s.n}, {"saved", true}, {"revision", revision}, {"remaining", std::move(remaining)}, {"problems", problems}});
}

}  // namespace

Link resolve_link(ApiContext& api, const HttpRequest& req, const std::string& token) {
  // A valid link is looked up first: guesses from one address (a test room, a hospital's NAT)
  // never stop the candidates there who hold real links.
  auto found = token.size() == 43 ? api.store.open_link(hash_token(token)) : std::nullopt;
  if (!found) {
    FailureLimit limit(api.store, api.now(), "link:" + req.remote, kMaxUnknownLinks);
    limit.count();
    refuse(404, "not_found", "this link is not valid: ask the hospital for a new one");
  }
  if (found->candidate.revoked) refuse(404, "not_found", "this link is not valid: ask the hospital for a new one");
  return {std::move(found->candidate), std::move(found->campaign), std::move(found->attempts)};
}

HttpResponse link_info(ApiContext& api, const Call& call) {
  const auto& link = *call.link;
  const auto& c = link.campaign;
  auto a = current_attempt(api, link);
  std::string status = !a ? "not_started" : a->attempt.submitted ? "submitted" : "in_progress";
  if (api.now() >= c.closes) refuse(410, "closed", "this campaign has closed");
  auto loaded = api.load(c);
  json body = {{"campaign", c.title},
               {"assessment", c.assessment_title},
               {"mode", c.mode},
               {"privacy_notice", c.privacy_notice},
               {"rules", rules(c, link.candidate.extra_time, api.now())},
               {"time_limit", time_to_start_with(c, link.candidate.extra_time, api.now())},
               {"items", a ? a->attempt.form.items.size() : delivery::draw_form(loaded->assessment, 0).items.size()},
               {"status", status},
               {"opens", format_time(c.opens)},
               {"closes", format_time(c.closes)}};
  if (api.now() < c.opens) {
    body["error"] = "not_open";
    body["message"] = fmt::format("this campaign opens at {}", format_time(c.opens));
    return json_response(409, body);
  }
  return json_response(200, body);
}

HttpResponse start(ApiContext& api, const Call& call) {
  std::lock_guard lock(api.attempt_mu);
  // Under the lock, the attempts as they are now: another request may have started one.
  Link link{call.link->candidate, call.link->campaign, std::nullopt};
  const auto& c = link.campaign;
  auto a = current_attempt(api, link);
  if (a && !a->attempt.submitted && a->browser_hash.empty()) {
    // Handed on by staff: the first browser to open the new link continues the attempt.
    auto cookie = random_token();
    api.store.bind_browser(a->attempt.attempt_id, hash_token(cookie));
    note_browser_seen(api, a->attempt.attempt_id, api.now());
    api.log(c.id, "candidate " + std::to_string(link.candidate.id), "continued",
            fmt::format("attempt {} continued in a new browser", a->attempt.attempt_id));
    auto r = json_response(200, state(api, *a, c));
    r.headers.emplace_back("Set-Cookie", attempt_cookie(api, call, cookie, c, a->attempt.deadline));
    return r;
  }
  if (a && !a->attempt.submitted) return json_response(200, state(api, bound_attempt(api, call.req, link), c));
  if (api.now() >= c.closes) refuse(410, "closed", "this campaign has closed");
  if (api.now() < c.opens) refuse(409, "not_open", fmt::format("this campaign opens at {}", format_time(c.opens)));
  if (submitted_count(api, link) >= static_cast<std::size_t>(c.retakes + 1))
    refuse(409, "submitted", "this link has been used: the attempt was submitted");
  auto loaded = api.load(c);
  StoredAttempt s;
  unsigned char id_bytes[12];
  randombytes_buf(id_bytes, sizeof id_bytes);
  char id_hex[sizeof id_bytes * 2 + 1];
  sodium_bin2hex(id_hex, sizeof id_hex, id_bytes, sizeof id_bytes);
  s.attempt = delivery::start_attempt(loaded->assessment, std::string("a-") + id_hex, "c-" + std::to_string(link.candidate.id),
                                      random_u64(), api.clock);
  s.attempt.mode = c.mode;
  s.attempt.deadline.reset();
  if (c.time_limit > 0) s.attempt.deadline = deadline_of(c, *s.attempt.started, link.candidate.extra_time);
  s.candidate_id = link.candidate.id;
  s.campaign_id = c.id;
  auto cookie = random_token();
  s.browser_hash = hash_token(cookie);
  // When another server process started this link a moment ago, that browser holds it.
  if (!api.store.insert_attempt(s)) return json_response(200, state(api, bound_attempt(api, call.req, link), c));
  api.remember_attempt(link.candidate.link_hash, s, c);
  auto r = json_response(200, state(api, s, c));
  r.headers.emplace_back("Set-Cookie", attempt_cookie(api, call, cookie, c, s.attempt.deadline));
  return r;
}

HttpResponse get_state(ApiContext& api, const Call& call) {
  return json_response(200, state(api, bound_attempt(api, call.req, *call.link), call.link->campaign));
}

HttpResponse save_answer(ApiContext& api, const Call& call) {
  auto a = bound_attempt(api, call.req, *call.link);
  if (a.attempt.submitted) {
    if (a.attempt.deadline && *a.attempt.submitted >= *a.attempt.deadline)
      refuse(409, "time_up", "time is up: this answer came after the deadline and was not saved");
    refuse(409, "submitted", "the attempt has been submitted: answers can no longer change");
  }
  auto loaded = api.load(call.link->campaign);
  auto s = read_save(api, call, a.attempt.form, *loaded);
  std::size_t total = s.text.size();
  for (const auto& [item_id, answer] : a.attempt.answers)
    if (item_id != s.fi->item_id) total += answer.size();
  // Far above any real attempt, small enough that no candidate can fill the database.
  if (total > api.options.max_attempt_answers)
    refuse(413, "too_large",
           fmt::format("this attempt's answers would take {} bytes together, more than the {} an attempt may hold", total,
                       api.options.max_attempt_answers));
  auto saved = api.store.save_answer(a.attempt.attempt_id, s.fi->item_id, s.text, api.now(), s.revision);
  if (saved.outcome == SavedAnswer::kSubmitted)
    refuse(409, "submitted", "the attempt has been submitted: answers can no longer change");
  if (saved.outcome == SavedAnswer::kStale)
    return json_response(409, {{"error", "stale_revision"},
                               {"message", fmt::format("this answer to question {} was not saved: revision {} of it is "
                                                       "saved already (a later save, or another window's)",
                                                       s.n, saved.revision)},
                               {"revision", saved.revision}});
  return answer_saved(*loaded, s, saved.revision, remaining_of(a, api.now()));
}

std::optional<HttpResponse> save_answer_at_once(ApiContext& api, const Call& call) {
  const auto& token = call.param("token");
  auto cookie = cookie_value(call.req.cookie, kAttemptCookie);
  if (token.size() != 43 || cookie.empty()) return std::nullopt;
  auto link_hash = hash_token(token);
  auto opened = api.remembered_attempt(link_hash);
  if (!opened) return std::nullopt;
  std::shared_ptr<const model::LoadedAssessment> loaded;
  SaveRequest s;
  try {
    loaded = api.load(opened->assessment_path, opened->assessment_sha256);
    s = read_save(api, call, opened->form, *loaded);
  } catch (const ApiError&) {  // said by the full path, in its order (an unknown link before a bad body)
    return std::nullopt;
  }
  const auto now = api.now();
  auto saved = api.store.save_answer_if_open({link_hash, opened->attempt_id, hash_token(cookie), s.fi->item_id, s.text, now,
                                              s.revision, static_cast<std::int64_t>(api.options.max_attempt_answers)});
  if (!saved) return std::nullopt;
  if (!saved->browser_seen || now - *saved->browser_seen >= kSeenResolution) note_browser_seen(api, opened->attempt_id, now);
  return answer_saved(*loaded, s, saved->revision, remaining_until(saved->deadline, now));
}

// A picture of an item on this attempt's form ([[item.figure]]), for the browser that holds the
// attempt: the bytes the assessment was loaded with, never a path on the server.
HttpResponse figure(ApiContext& api, const Call& call) {
  auto a = bound_attempt(api, call.req, *call.link);
  const auto& fi = a.attempt.form.items[item_number(call.param("n"), a.attempt.form) - 1];
  auto loaded = api.load(call.link->campaign);
  const auto index = loaded->assessment.item_index(fi.item_id);
  if (index < 0) refuse(404, "not_found", "this item is no longer in the assessment");
  const auto& figures = loaded->assessment.items[static_cast<std::size_t>(index)].figures;
  const auto& k_text = call.param("k");
  std::size_t k = 0;
  try {
    k = static_cast<std::size_t>(parse_id(k_text));
  } catch (const ApiError&) {  // not a number: no such picture, refused below as one out of range
  }
  if (k < 1 || k > figures.size())
    refuse(404, "not_found", fmt::format("this item has no picture '{}' (it has {})", utf8_prefix(k_text, 40), figures.size()));
  HttpResponse r;
  r.content_type = figures[k - 1].media_type;
  r.body = figures[k - 1].bytes;
  r.headers.emplace_back("Cache-Control", "private, max-age=3600");
  return r;
}

HttpResponse record_signal(ApiContext& api, const Call& call) {
  auto a = bound_attempt(api, call.req, *call.link);
  auto body = parse_body(call.req);
  auto kind = get_string(body, "kind", true, 40);
  if (kind != "focus_lost" && kind != "paste") refuse(400, "bad_json", "member 'kind': expected 'focus_lost' or 'paste'");
  auto n = get_int(body, "n", std::numeric_limits<std::int32_t>::max());
  if (a.attempt.submitted) refuse(409, "submitted", "the attempt has been submitted");
  api.store.add_signal(a.attempt.attempt_id, {kind, n ? fmt::format("item {}", *n) : std::string(), api.now()});
  return no_content();
}

HttpResponse submit_attempt(ApiContext& api, const Call& call) {
  auto a = bound_attempt(api, call.req, *call.link);
  if (!a.attempt.submitted) submit(api, a, call.link->campaign, api.now());
  return json_response(200, outcome_json(api, a, call.link->campaign));
}

HttpResponse outcome(ApiContext& api, const Call& call) {
  auto a = current_attempt(api, *call.link);
  if (!a || !a->attempt.submitted) refuse(409, "not_submitted", "the attempt has not been submitted");
  return json_response(200, outcome_json(api, *a, call.link->campaign));
}

// Voluntary self-identification: offered only once the attempt is submitted, so that it can
// neither weigh on nor be mistaken for part of the assessment; kept apart from the result.
HttpResponse self_identification(ApiContext& api, const Call& call) {
  auto a = bound_attempt(api, call.req, *call.link);
  if (!a.attempt.submitted) refuse(409, "not_submitted", "the attempt has not been submitted");
  return json_response(200, {{"questions", self_identification_form(call.link->campaign)},
                             {"answered", api.store.has_self_identification(call.link->candidate.id)}});
}

HttpResponse save_self_identification(ApiContext& api, const Call& call) {
  auto a = bound_attempt(api, call.req, *call.link);
  if (!a.attempt.submitted) refuse(409, "not_submitted", "the attempt has not been submitted");
  if (self_identification_form(call.link->campaign).empty())
    refuse(404, "not_found", "this campaign does not ask candidates to self-identify");
  auto answers = checked_self_identification_answers(call.link->campaign, parse_body(call.req));
  api.store.put_self_identification(call.link->candidate.id, call.link->campaign.id, answers, api.now());
  return no_content();
}

}  // namespace assay::serve::detail
