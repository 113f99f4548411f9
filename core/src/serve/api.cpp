// The routes of docs/serve.md. Each handler reads the store, changes it in committed steps, and
// answers JSON; a refused request changes nothing.
#include "serve/api.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <unordered_map>

#include "assay/catalog.hpp"
#include "assay/io.hpp"
#include "assay/json_schema.hpp"
#include "assay/model.hpp"
#include "assay/plugins.hpp"
#include "assay/report.hpp"
#include "assay/scoring.hpp"
#include "util/sha256.hpp"

namespace assay::serve {

using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

constexpr std::int64_t kStaffSessionSeconds = 12 * 3600;
constexpr std::int64_t kRateWindowSeconds = 600;
constexpr std::int64_t kMaxUnknownLinks = 20;
constexpr std::int64_t kMaxFailedLogins = 10;

constexpr std::size_t kMinPassword = 10;
constexpr const char* kStaffCookie = "assay_staff";
constexpr const char* kAttemptCookie = "assay_attempt";

/// A refusal: thrown inside a handler, answered by Api::handle.
struct ApiError {
  int status;
  std::string code;
  std::string message;
  std::vector<std::pair<std::string, std::string>> headers = {};
};

[[noreturn]] void refuse(int status, std::string code, std::string message) {
  throw ApiError{status, std::move(code), std::move(message)};
}

HttpResponse json_response(int status, const json& body) {
  HttpResponse r;
  r.status = status;
  r.body = body.dump();
  return r;
}

HttpResponse no_content() {
  HttpResponse r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

std::string random_token() {
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  char out[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(out, sizeof out, bytes, sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return out;
}

std::uint64_t random_u64() {
  std::uint64_t v = 0;
  randombytes_buf(&v, sizeof v);
  return v;
}

std::string hash_token(std::string_view token) { return util::sha256_hex(token); }

bool same(const std::string& a, const std::string& b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string cookie_value(const std::string& header, std::string_view name) {
  std::size_t pos = 0;
  while (pos < header.size()) {
    auto end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    auto part = std::string_view(header).substr(pos, end - pos);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.size() > name.size() && part.substr(0, name.size()) == name && part[name.size()] == '=')
      return std::string(part.substr(name.size() + 1));
    pos = end + 1;
  }
  return "";
}

std::string json_error_text(const std::string& body, const json::parse_error& e) {
  if (body.empty()) return "the body is empty: expected JSON";
  if (e.byte > body.size()) return "the body is not valid JSON: it ends before the value is complete";
  return fmt::format("the body is not valid JSON (at byte {})", e.byte);
}

json parse_body(const HttpRequest& req) {
  try {
    auto j = json::parse(req.body);
    if (!j.is_object()) refuse(400, "bad_json", "the body must be a JSON object");
    return j;
  } catch (const json::parse_error& e) {
    refuse(400, "bad_json", json_error_text(req.body, e));
  }
}

std::string get_string(const json& j, const char* key, bool required = true, std::size_t max = 1000) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    if (required) refuse(400, "bad_json", fmt::format("member '{}': missing", key));
    return "";
  }
  if (!it->is_string()) refuse(400, "bad_json", fmt::format("member '{}': expected a string", key));
  auto s = it->get<std::string>();
  if (s.size() > max) refuse(400, "bad_json", fmt::format("member '{}': longer than {} characters", key, max));
  if (required && s.empty()) refuse(400, "bad_json", fmt::format("member '{}': must not be empty", key));
  return s;
}

std::optional<std::int64_t> get_int(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_integer() || it->get<std::int64_t>() < 0)
    refuse(400, "bad_json", fmt::format("member '{}': expected a whole number of 0 or more", key));
  return it->get<std::int64_t>();
}

TimePoint get_time(const json& j, const char* key) {
  auto text = get_string(j, key);
  TimePoint t;
  if (!parse_time(text, t))
    refuse(400, "bad_json",
           fmt::format("member '{}': expected an RFC 3339 UTC time like \"2026-03-01T09:00:00Z\", found \"{}\"", key, text));
  return t;
}

std::int64_t parse_id(const std::string& text) {
  if (text.empty() || text.size() > 18 || !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    refuse(404, "not_found", "no such resource");
  return std::stoll(text);
}

json opt_time(const std::optional<TimePoint>& t) { return t ? json(format_time(*t)) : json(nullptr); }

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

std::string csv_cell_list(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : "; ") + s;
  return out;
}

}  // namespace

struct Api::Impl {
  Store& store;
  const plugins::Registry& registry;
  const Clock& clock;
  ApiOptions options;
  std::mutex cache_mu;
  std::map<std::string, std::shared_ptr<const model::LoadedAssessment>> cache;  // by path + digest
  std::mutex attempt_mu;  // serialises starting attempts, so one link never starts two
  // Presentations by assessment digest, item and seed: a presentation is a function of these
  // alone, and saving an answer checks it against the item's interactions.
  std::mutex shown_mu;
  std::unordered_map<std::string, std::shared_ptr<const json>> shown;
  static constexpr std::size_t kShownKept = 50000;  // then the cache starts over

  struct Staff {
    User user;
    StaffSession session;
  };

  // ---- helpers ----------------------------------------------------------------------------

  TimePoint now() const { return clock.now(); }

  TimePoint window(TimePoint t) const {
    auto s = t.time_since_epoch().count();
    return TimePoint(std::chrono::seconds(s - s % kRateWindowSeconds));
  }

  /// HTTPS directly or, behind a trusted proxy, as the proxy says (X-Forwarded-Proto).
  bool https(const HttpRequest& req) const { return options.tls || req.https; }

  std::string base_url(const HttpRequest& req) const { return (https(req) ? "https://" : "http://") + req.host; }

  std::string cookie_attributes(const HttpRequest& req) const {
    return std::string("; HttpOnly; SameSite=Strict") + (https(req) ? "; Secure" : "");
  }

  std::shared_ptr<const model::LoadedAssessment> load(const std::string& path, const std::string& sha256) {
    std::lock_guard lock(cache_mu);
    auto key = path + "#" + sha256;
    if (auto it = cache.find(key); it != cache.end()) return it->second;
    auto loaded = model::try_load_and_prepare(path, registry);
    if (!loaded)
      refuse(500, "assessment_unavailable", "the campaign's assessment no longer loads: " + loaded.error().front().format());
    if (!sha256.empty() && loaded->assessment.sha256 != sha256)
      refuse(500, "assessment_changed",
             fmt::format("the campaign's assessment changed since the campaign was created (digest {}, now {})", sha256,
                         loaded->assessment.sha256));
    auto shared = std::make_shared<const model::LoadedAssessment>(std::move(loaded.value()));
    cache.emplace(key, shared);
    return shared;
  }

  std::shared_ptr<const model::LoadedAssessment> load(const Campaign& c) { return load(c.assessment_path, c.assessment_sha256); }

  std::optional<Staff> staff(const HttpRequest& req) {
    auto token = cookie_value(req.cookie, kStaffCookie);
    if (token.empty()) return std::nullopt;
    auto session = store.find_session(hash_token(token));
    if (!session || session->expires <= now()) return std::nullopt;
    auto user = store.user_by_id(session->user_id);
    if (!user) return std::nullopt;
    return Staff{std::move(*user), std::move(*session)};
  }

  /// Access masks: one bit per role.
  static constexpr unsigned kAdmins = 1u << static_cast<unsigned>(Role::kAdministrator);
  static constexpr unsigned kManagers = kAdmins | 1u << static_cast<unsigned>(Role::kManager);
  static constexpr unsigned kEveryone = kManagers | 1u << static_cast<unsigned>(Role::kRater);

  Staff require(const HttpRequest& req, unsigned roles) {
    auto s = staff(req);
    if (!s) refuse(401, "login_required", "sign in first");
    if (req.method != "GET" && !same(req.csrf, s->session.csrf))
      refuse(403, "csrf", "the request lacks this session's X-CSRF-Token header");
    if ((roles & (1u << static_cast<unsigned>(s->user.role))) == 0)
      refuse(403, "forbidden", fmt::format("a {} may not do this", to_string(s->user.role)));
    return std::move(*s);
  }

  Campaign campaign_or_404(const std::string& id) {
    auto c = store.campaign(parse_id(id));
    if (!c) refuse(404, "not_found", "no such campaign");
    return std::move(*c);
  }

  json campaign_json(const Campaign& c) {
    json counts = {{"invited", 0}, {"started", 0}, {"submitted", 0}, {"revoked", 0}};
    // "invited" counts every candidate invited, whatever they have done since.
    for (const auto& cand : store.candidates(c.id)) {
      counts["invited"] = counts["invited"].get<int>() + 1;
      auto st = candidate_status(cand, c);
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
            {"created_by", c.created_by},
            {"created", format_time(c.created)},
            {"counts", counts}};
  }

  std::string candidate_status(const Candidate& cand, const Campaign& c) {
    if (cand.revoked) return "revoked";
    auto attempts = store.attempts_of(cand.id);
    if (attempts.empty()) return now() >= c.closes ? "expired" : "invited";
    const auto& last = attempts.back();
    if (last.attempt.submitted) return "submitted";
    bool due = (last.attempt.deadline && now() >= *last.attempt.deadline) || now() >= c.closes;
    return due ? "submitted" : "started";
  }

  static json signal_json(const Signal& s) { return {{"kind", s.kind}, {"detail", s.detail}, {"at", format_time(s.at)}}; }

  json flags_of_candidate(std::int64_t candidate_id) {
    json flags = json::array();
    for (const auto& a : store.attempts_of(candidate_id))
      for (const auto& s : store.signals(a.attempt.attempt_id)) flags.push_back(signal_json(s));
    return flags;
  }

  json candidate_json(const Candidate& cand, const Campaign& c) {
    return {{"id", cand.id},
            {"campaign", cand.campaign_id},
            {"name", cand.name},
            {"email", cand.email},
            {"external_ref", cand.external_ref},
            {"status", candidate_status(cand, c)},
            {"extra_time", cand.extra_time},
            {"extra_time_by", cand.extra_time_by},
            {"extra_time_note", cand.extra_time_note},
            {"flags", flags_of_candidate(cand.id)}};
  }

  void log(std::int64_t campaign_id, const std::string& user, const std::string& action, const std::string& detail) {
    store.log(campaign_id, {now(), user, action, detail});
  }

  scoring::Options scoring_options(std::int64_t campaign_id) {
    scoring::Options o;
    o.threads = 1;
    for (const auto& e : store.exclusions(campaign_id)) o.exclusions.push_back({e.item, e.reason});
    return o;
  }

  /// Scores the (submitted) attempt and stores its result.
  scoring::ScoreResult score(const Campaign& c, const delivery::Attempt& attempt) {
    auto loaded = load(c);
    auto result = scoring::score_attempt(*loaded, attempt, scoring_options(c.id));
    store.put_result(attempt.attempt_id, scoring::to_json(result).dump());
    return result;
  }

  /// Submits an attempt whose deadline or campaign close has passed, at that moment. True when
  /// the attempt is (now) submitted.
  bool finalize_if_due(StoredAttempt& a, const Campaign& c) {
    if (a.attempt.submitted) return true;
    auto t = now();
    std::optional<TimePoint> due;
    if (a.attempt.deadline && t >= *a.attempt.deadline) due = *a.attempt.deadline;
    if (t >= c.closes) due = due ? std::min(*due, c.closes) : c.closes;
    if (!due) return false;
    submit(a, c, *due);
    return true;
  }

  void submit(StoredAttempt& a, const Campaign& c, TimePoint at) {
    if (store.mark_submitted(a.attempt.attempt_id, at)) {
      a.attempt.submitted = at;
      score(c, a.attempt);
    } else {
      auto fresh = store.attempt(a.attempt.attempt_id);
      if (fresh) a = std::move(*fresh);
    }
  }

  // ---- staff: authentication and accounts -------------------------------------------------

  static std::string hash_password(const std::string& password) {
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
      refuse(500, "internal", "out of memory while hashing the password");
    return out;
  }

  static std::string checked_password(const json& body) {
    auto p = get_string(body, "password", true, 1024);
    if (p.size() < kMinPassword)
      refuse(400, "weak_password", fmt::format("the password must have at least {} characters", kMinPassword));
    return p;
  }

  static std::string checked_username(const json& body) {
    auto u = get_string(body, "username", true, 64);
    for (char ch : u)
      if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '.' || ch == '-' || ch == '_' || ch == '@'))
        refuse(400, "bad_json", "member 'username': use letters, digits and . - _ @ only");
    return u;
  }

  HttpResponse new_session(const HttpRequest& req, const User& user) {
    auto token = random_token();
    StaffSession s{hash_token(token), user.id, random_token(), now() + std::chrono::seconds(kStaffSessionSeconds)};
    store.insert_session(s);
    auto r = json_response(200, {{"username", user.username}, {"role", to_string(user.role)}, {"csrf", s.csrf}});
    r.headers.emplace_back("Set-Cookie", fmt::format("{}={}; Path=/; Max-Age={}{}", kStaffCookie, token, kStaffSessionSeconds,
                                                     cookie_attributes(req)));
    return r;
  }

  HttpResponse setup(const HttpRequest& req) {
    auto body = parse_body(req);
    auto token = get_string(body, "token");
    auto username = checked_username(body);
    auto password = checked_password(body);
    if (store.user_count() > 0 || !store.take_setting("setup_token", hash_token(token)))
      refuse(404, "not_found", "this set-up link has been used or is not valid");
    User u{0, username, Role::kAdministrator, hash_password(password), now()};
    store.insert_user(u);
    return json_response(200, {{"username", u.username}, {"role", "administrator"}});
  }

  HttpResponse login(const HttpRequest& req) {
    auto key = "login:" + req.remote;
    auto w = window(now());
    if (store.count_hit(key, w, 0) >= kMaxFailedLogins) too_many(w);
    auto body = parse_body(req);
    auto username = get_string(body, "username", true, 256);
    auto password = get_string(body, "password", true, 1024);
    auto user = store.find_user(username);
    if (!user || crypto_pwhash_str_verify(user->password_hash.c_str(), password.data(), password.size()) != 0) {
      store.count_hit(key, w, 1);
      refuse(401, "bad_login", "the user name or the password is wrong");
    }
    return new_session(req, *user);
  }

  [[noreturn]] void too_many(TimePoint w) {
    auto retry = (w + std::chrono::seconds(kRateWindowSeconds) - now()).count();
    ApiError e{429, "rate_limited", "too many attempts from this address: try again later"};
    e.headers.emplace_back("Retry-After", std::to_string(std::max<std::int64_t>(1, retry)));
    throw e;
  }

  HttpResponse me(const HttpRequest& req) {
    auto s = staff(req);
    if (!s) refuse(401, "login_required", "sign in first");
    return json_response(200, {{"username", s->user.username}, {"role", to_string(s->user.role)}, {"csrf", s->session.csrf}});
  }

  HttpResponse logout(const HttpRequest& req) {
    auto s = require(req, kEveryone);
    store.delete_session(s.session.token_hash);
    auto r = no_content();
    r.headers.emplace_back("Set-Cookie", fmt::format("{}=; Path=/; Max-Age=0{}", kStaffCookie, cookie_attributes(req)));
    return r;
  }

  HttpResponse list_users(const HttpRequest& req) {
    require(req, kAdmins);
    json out = json::array();
    for (const auto& u : store.users())
      out.push_back({{"username", u.username}, {"role", to_string(u.role)}, {"created", format_time(u.created)}});
    return json_response(200, out);
  }

  HttpResponse create_user(const HttpRequest& req) {
    auto admin = require(req, kAdmins);
    auto body = parse_body(req);
    auto username = checked_username(body);
    auto role = parse_role(get_string(body, "role"));
    if (!role) refuse(400, "bad_json", "member 'role': expected 'administrator', 'manager' or 'rater'");
    auto password = checked_password(body);
    User u{0, username, *role, hash_password(password), now()};
    if (!store.insert_user(u)) refuse(409, "conflict", fmt::format("the user name '{}' is taken", username));
    log(0, admin.user.username, "create_user", fmt::format("{} ({})", username, to_string(*role)));
    return json_response(201, {{"username", u.username}, {"role", to_string(u.role)}});
  }

  HttpResponse reset_password(const HttpRequest& req, const std::string& username) {
    auto admin = require(req, kAdmins);
    auto body = parse_body(req);
    auto password = checked_password(body);
    auto user = store.find_user(username);
    if (!user) refuse(404, "not_found", "no such user");
    store.set_password(user->id, hash_password(password));
    log(0, admin.user.username, "reset_password", username);
    return no_content();
  }

  // ---- staff: assessments, campaigns, candidates ------------------------------------------

  HttpResponse list_assessments(const HttpRequest& req) {
    require(req, kManagers);
    json out = json::array();
    for (const auto& e : catalog::scan(catalog::assessment_dirs(options.assessment_dirs))) {
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

  HttpResponse create_campaign(const HttpRequest& req) {
    auto who = require(req, kManagers);
    auto body = parse_body(req);
    Campaign c;
    c.title = get_string(body, "title");
    auto assessment_id = get_string(body, "assessment");
    c.opens = get_time(body, "opens");
    c.closes = get_time(body, "closes");
    if (c.closes <= c.opens) refuse(400, "bad_json", "member 'closes': must come after 'opens'");
    c.privacy_notice = get_string(body, "privacy_notice", false, 20000);
    std::optional<fs::path> path;
    for (const auto& e : catalog::scan(catalog::assessment_dirs(options.assessment_dirs)))
      if (e.assessment.id == assessment_id) path = e.path;
    if (!path) refuse(400, "unknown_assessment", fmt::format("no installed assessment has the id '{}'", assessment_id));
    auto loaded = load(fs::absolute(*path).string(), "");
    const auto& a = loaded->assessment;
    c.assessment_id = a.id;
    c.assessment_version = a.version;
    c.assessment_sha256 = a.sha256;
    c.assessment_title = a.title;
    c.assessment_path = fs::absolute(*path).string();
    c.mode = std::string(model::to_string(a.kind));
    c.time_limit = get_int(body, "time_limit").value_or(a.time_limit_seconds);
    c.retakes = get_int(body, "retakes").value_or(0);
    c.retention_days = get_int(body, "retention_days").value_or(0);
    c.created_by = who.user.username;
    c.created = now();
    store.insert_campaign(c);
    log(c.id, who.user.username, "create_campaign", fmt::format("'{}' from {} {}", c.title, a.id, a.version));
    return json_response(201, campaign_json(c));
  }

  /// Deletes every candidate of each campaign whose retention period has run out since it closed.
  void purge_expired() {
    for (const auto& c : store.campaigns()) {
      if (c.retention_days <= 0 || now() < c.closes + std::chrono::days(c.retention_days)) continue;
      auto candidates = store.candidates(c.id);
      if (candidates.empty()) continue;
      for (const auto& cand : candidates) store.delete_candidate(cand.id);
      log(c.id, "assay", "purge",
          fmt::format("retention period of {} days ended: {} candidates' data and attempts deleted", c.retention_days,
                      candidates.size()));
    }
  }

  HttpResponse list_campaigns(const HttpRequest& req) {
    require(req, kEveryone);
    purge_expired();
    json out = json::array();
    for (const auto& c : store.campaigns()) out.push_back(campaign_json(c));
    return json_response(200, out);
  }

  HttpResponse get_campaign(const HttpRequest& req, const std::string& id) {
    require(req, kManagers);
    return json_response(200, campaign_json(campaign_or_404(id)));
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

  HttpResponse invite(const HttpRequest& req, const std::string& id) {
    auto who = require(req, kManagers);
    auto c = campaign_or_404(id);
    auto body = parse_body(req);
    std::string token;
    std::vector<Candidate> v{new_candidate(c.id, get_string(body, "name", true, 200), get_string(body, "email", false, 320),
                                           get_string(body, "external_ref", false, 200), token)};
    store.insert_candidates(v);
    log(c.id, who.user.username, "invite", fmt::format("candidate {}", v[0].id));
    return json_response(201, {{"candidate", candidate_json(v[0], c)}, {"link", base_url(req) + "/c/" + token}});
  }

  HttpResponse import_csv(const HttpRequest& req, const std::string& id) {
    auto who = require(req, kManagers);
    auto c = campaign_or_404(id);
    auto rows = io::parse_csv(req.body);
    if (rows.empty()) refuse(400, "bad_csv", "line 1: expected the header row 'name,email,external_ref'");
    auto& header = rows[0];
    auto col = [&](const char* name) -> std::ptrdiff_t {
      auto it = std::find(header.begin(), header.end(), name);
      return it == header.end() ? -1 : it - header.begin();
    };
    auto cn = col("name"), ce = col("email"), cr = col("external_ref");
    if (cn < 0) refuse(400, "bad_csv", "line 1: the header row has no 'name' column");
    std::vector<Candidate> v;
    std::vector<std::string> tokens;
    for (std::size_t i = 1; i < rows.size(); ++i) {
      auto& r = rows[i];
      auto at = [&](std::ptrdiff_t k) {
        return k >= 0 && static_cast<std::size_t>(k) < r.size() ? r[static_cast<std::size_t>(k)] : "";
      };
      if (r.size() != header.size())
        refuse(400, "bad_csv", fmt::format("line {}: expected {} fields, found {}", i + 1, header.size(), r.size()));
      if (at(cn).empty()) refuse(400, "bad_csv", fmt::format("line {}: the name is empty", i + 1));
      std::string token;
      v.push_back(new_candidate(c.id, at(cn), at(ce), at(cr), token));
      tokens.push_back(token);
    }
    store.insert_candidates(v);
    log(c.id, who.user.username, "import", fmt::format("{} candidates", v.size()));
    io::CsvWriter csv;
    csv.row({"name", "email", "external_ref", "candidate_id", "link"});
    for (std::size_t i = 0; i < v.size(); ++i)
      csv.row({v[i].name, v[i].email, v[i].external_ref, std::to_string(v[i].id), base_url(req) + "/c/" + tokens[i]});
    HttpResponse r;
    r.content_type = "text/csv; charset=utf-8";
    r.body = csv.text();
    return r;
  }

  HttpResponse list_candidates(const HttpRequest& req, const std::string& id) {
    require(req, kManagers);
    auto c = campaign_or_404(id);
    json out = json::array();
    for (const auto& cand : store.candidates(c.id)) out.push_back(candidate_json(cand, c));
    return json_response(200, out);
  }

  std::pair<Candidate, Campaign> candidate_or_404(const std::string& id) {
    auto cand = store.candidate(parse_id(id));
    if (!cand) refuse(404, "not_found", "no such candidate");
    auto c = store.campaign(cand->campaign_id);
    if (!c) refuse(404, "not_found", "no such campaign");
    return {std::move(*cand), std::move(*c)};
  }

  HttpResponse revoke(const HttpRequest& req, const std::string& id) {
    auto who = require(req, kManagers);
    auto [cand, c] = candidate_or_404(id);
    store.revoke(cand.id);
    log(c.id, who.user.username, "revoke", fmt::format("candidate {}", cand.id));
    return no_content();
  }

  /// Deletes a candidate's personal data and attempts; the log keeps only the candidate's number.
  HttpResponse delete_candidate(const HttpRequest& req, const std::string& id) {
    auto who = require(req, kManagers);
    auto [cand, c] = candidate_or_404(id);
    store.delete_candidate(cand.id);
    log(c.id, who.user.username, "delete_candidate", fmt::format("candidate {}: personal data and attempts deleted", cand.id));
    return no_content();
  }

  HttpResponse new_link(const HttpRequest& req, const std::string& id) {
    auto who = require(req, kManagers);
    auto [cand, c] = candidate_or_404(id);
    auto token = random_token();
    store.set_link(cand.id, hash_token(token));
    log(c.id, who.user.username, "new_link", fmt::format("candidate {}", cand.id));
    return json_response(200, {{"link", base_url(req) + "/c/" + token}});
  }

  HttpResponse accommodate(const HttpRequest& req, const std::string& id) {
    auto who = require(req, kManagers);
    auto [cand, c] = candidate_or_404(id);
    auto body = parse_body(req);
    auto extra = get_int(body, "extra_time");
    if (!extra) refuse(400, "bad_json", "member 'extra_time': missing");
    auto note = get_string(body, "note", false, 2000);
    store.set_extra_time(cand.id, *extra, who.user.username, note);
    // The running attempt's deadline moves with the accommodation.
    auto attempts = store.attempts_of(cand.id);
    if (!attempts.empty() && !attempts.back().attempt.submitted && attempts.back().attempt.deadline && c.time_limit > 0) {
      auto& a = attempts.back().attempt;
      if (!finalize_if_due(attempts.back(), c))
        store.set_deadline(a.attempt_id, *a.started + std::chrono::seconds(c.time_limit + *extra));
    }
    log(c.id, who.user.username, "accommodation", fmt::format("candidate {}: {} s extra time", cand.id, *extra));
    auto fresh = store.candidate(cand.id);
    return json_response(200, candidate_json(*fresh, c));
  }

  // ---- staff: results, ratings, exclusions ------------------------------------------------

  /// The campaign's latest attempt per candidate, each finalized when due, with its result.
  struct Row {
    Candidate candidate;
    StoredAttempt attempt;
    std::optional<scoring::ScoreResult> result;
    std::string document;
  };

  std::vector<Row> rows(const Campaign& c) {
    std::vector<Row> out;
    for (auto& cand : store.candidates(c.id)) {
      auto attempts = store.attempts_of(cand.id);
      if (attempts.empty()) continue;
      auto a = std::move(attempts.back());
      if (!finalize_if_due(a, c)) continue;
      auto doc = store.result(a.attempt.attempt_id);
      if (!doc) {
        score(c, a.attempt);
        doc = store.result(a.attempt.attempt_id);
      }
      auto parsed = scoring::try_result_from_json(json::parse(*doc));
      Row r{std::move(cand), std::move(a), std::nullopt, *doc};
      if (parsed) r.result = std::move(parsed.value());
      out.push_back(std::move(r));
    }
    return out;
  }

  /// Decided results in report::rank's order, numbered; then the pending ones, unnumbered, by
  /// candidate id.
  HttpResponse results(const HttpRequest& req, const std::string& id) {
    require(req, kManagers);
    auto c = campaign_or_404(id);
    auto rs = rows(c);
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
    auto entry = [&](const Row& r, const json& rank) {
      json reasons = json::array();
      for (const auto& reason : r.result->reasons) reasons.push_back({{"code", reason.code}, {"text", reason.text}});
      json flags = json::array();
      for (const auto& s : store.signals(r.attempt.attempt.attempt_id)) flags.push_back(signal_json(s));
      return json{{"rank", rank},
                  {"candidate_id", r.candidate.id},
                  {"name", r.candidate.name},
                  {"external_ref", r.candidate.external_ref},
                  {"attempt_id", r.attempt.attempt.attempt_id},
                  {"outcome", scoring::to_string(r.result->outcome)},
                  {"percent", r.result->percent.to_string()},
                  {"percent_display", r.result->percent.to_decimal(1)},
                  {"level", r.result->level.empty() ? json(nullptr) : json(r.result->level)},
                  {"reasons", reasons},
                  {"flags", flags}};
    };
    json ranking = json::array();
    int rank = 0;
    for (auto i : report::rank(decided)) ranking.push_back(entry(*decided_rows[i], ++rank));
    for (const auto* r : pending_rows) ranking.push_back(entry(*r, nullptr));
    return json_response(200, {{"ranking", ranking}, {"pending", pending_rows.size()}});
  }

  HttpResponse results_csv(const HttpRequest& req, const std::string& id) {
    require(req, kManagers);
    auto c = campaign_or_404(id);
    std::vector<scoring::ScoreResult> results;
    for (auto& r : rows(c))
      if (r.result) results.push_back(std::move(*r.result));
    HttpResponse resp;
    resp.content_type = "text/csv; charset=utf-8";
    resp.body = scoring::summary_csv(results);
    resp.headers.emplace_back("Content-Disposition", fmt::format("attachment; filename=\"campaign-{}-results.csv\"", c.id));
    return resp;
  }

  /// assay report's HTML page over the campaign's results.
  HttpResponse results_html(const HttpRequest& req, const std::string& id) {
    require(req, kManagers);
    auto c = campaign_or_404(id);
    std::vector<scoring::ScoreResult> results;
    for (auto& r : rows(c)) {
      if (!r.result) continue;
      // Staff read this page: each candidate by name, with the id the exports carry.
      r.result->candidate_id = fmt::format("{} ({})", r.candidate.name, r.result->candidate_id);
      results.push_back(std::move(*r.result));
    }
    HttpResponse resp;
    resp.content_type = "text/html; charset=utf-8";
    resp.body = report::summary_html(results);
    // The report is one self-contained page (inline style and SVG): it may style itself, and
    // load and run nothing.
    resp.headers.emplace_back("Content-Security-Policy",
                              "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'");
    return resp;
  }

  HttpResponse results_jsonl(const HttpRequest& req, const std::string& id) {
    require(req, kManagers);
    auto c = campaign_or_404(id);
    HttpResponse resp;
    resp.content_type = "application/x-ndjson";
    for (auto& r : rows(c)) resp.body += json::parse(r.document).dump() + "\n";
    resp.headers.emplace_back("Content-Disposition", fmt::format("attachment; filename=\"campaign-{}-results.jsonl\"", c.id));
    return resp;
  }

  std::pair<StoredAttempt, Campaign> attempt_or_404(const std::string& id) {
    auto a = store.attempt(id);
    if (!a) refuse(404, "not_found", "no such attempt");
    auto c = store.campaign(a->campaign_id);
    if (!c) refuse(404, "not_found", "no such campaign");
    return {std::move(*a), std::move(*c)};
  }

  HttpResponse get_attempt(const HttpRequest& req, const std::string& id) {
    require(req, kManagers);
    auto [a, c] = attempt_or_404(id);
    finalize_if_due(a, c);
    auto doc = store.result(a.attempt.attempt_id);
    json flags = json::array();
    for (const auto& s : store.signals(a.attempt.attempt_id)) flags.push_back(signal_json(s));
    return json_response(
        200, {{"attempt", delivery::to_json(a.attempt)}, {"result", doc ? json::parse(*doc) : json(nullptr)}, {"flags", flags}});
  }

  HttpResponse pending_ratings(const HttpRequest& req, const std::string& id) {
    require(req, kEveryone);
    auto c = campaign_or_404(id);
    auto loaded = load(c);
    json out = json::array();
    for (auto& r : rows(c)) {
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
        json prompt = nullptr;
        auto idx = loaded->assessment.item_index(p.item);
        for (const auto& fi : r.attempt.attempt.form.items)
          if (fi.item_id == p.item)
            if (auto shown = loaded->prepared[static_cast<std::size_t>(idx)].present(fi.seed); shown)
              prompt = json::parse(shown.value()).value("prompt", "");
        out.push_back({{"attempt_id", r.attempt.attempt.attempt_id},
                       {"item", p.item},
                       {"criterion", p.criterion},
                       {"prompt", prompt},
                       {"response", ans == r.attempt.attempt.answers.end() ? json(nullptr) : json::parse(ans->second)},
                       {"levels", levels}});
      }
    }
    return json_response(200, out);
  }

  HttpResponse rate(const HttpRequest& req, const std::string& id) {
    auto who = require(req, kEveryone);
    auto [a, c] = attempt_or_404(id);
    if (!finalize_if_due(a, c)) refuse(409, "conflict", "the attempt has not been submitted yet");
    auto body = parse_body(req);
    auto item_id = get_string(body, "item");
    auto criterion = get_string(body, "criterion");
    auto level = get_string(body, "level");
    auto loaded = load(c);
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
             fmt::format("criterion '{}' has no level '{}'; its levels: {}", criterion, level, csv_cell_list(names)));
    store.save_rating(a.attempt.attempt_id, item_id, criterion, level, who.user.username, now());
    a.attempt.ratings[item_id][criterion] = level;
    auto result = score(c, a.attempt);
    log(c.id, who.user.username, "rate",
        fmt::format("attempt {} item {} {}: {}", a.attempt.attempt_id, item_id, criterion, level));
    return json_response(200, scoring::to_json(result));
  }

  HttpResponse exclude(const HttpRequest& req, const std::string& id) {
    auto who = require(req, kManagers);
    auto c = campaign_or_404(id);
    auto body = parse_body(req);
    auto item_id = get_string(body, "item");
    auto reason = get_string(body, "reason", true, 2000);
    auto loaded = load(c);
    if (loaded->assessment.find_item(item_id) == nullptr)
      refuse(400, "unknown_item", fmt::format("the assessment has no item '{}'", item_id));
    store.add_exclusion(c.id, {item_id, reason, who.user.username, now()});
    int n = 0;
    for (auto& a : store.campaign_attempts(c.id)) {
      if (!finalize_if_due(a, c)) continue;
      score(c, a.attempt);
      ++n;
    }
    log(c.id, who.user.username, "exclude", fmt::format("item {}: {}; {} attempts rescored", item_id, reason, n));
    return json_response(200, {{"rescored", n}});
  }

  HttpResponse campaign_log(const HttpRequest& req, const std::string& id) {
    require(req, kManagers);
    auto c = campaign_or_404(id);
    json out = json::array();
    for (const auto& e : store.log_entries(c.id))
      out.push_back({{"at", format_time(e.at)}, {"user", e.user}, {"action", e.action}, {"detail", e.detail}});
    return json_response(200, out);
  }

  // ---- candidates -------------------------------------------------------------------------

  struct Link {
    Candidate candidate;
    Campaign campaign;
  };

  Link resolve_link(const HttpRequest& req, const std::string& token) {
    auto key = "link:" + req.remote;
    auto w = window(now());
    if (store.count_hit(key, w, 0) >= kMaxUnknownLinks) too_many(w);
    auto cand = token.size() == 43 ? store.candidate_by_link(hash_token(token)) : std::nullopt;
    if (!cand) {
      store.count_hit(key, w, 1);
      refuse(404, "not_found", "this link is not valid: ask the hospital for a new one");
    }
    if (cand->revoked) refuse(404, "not_found", "this link is not valid: ask the hospital for a new one");
    auto c = store.campaign(cand->campaign_id);
    if (!c) refuse(404, "not_found", "this link is not valid: ask the hospital for a new one");
    return {std::move(*cand), std::move(*c)};
  }

  std::optional<StoredAttempt> current_attempt(const Link& link) {
    auto attempts = store.attempts_of(link.candidate.id);
    if (attempts.empty()) return std::nullopt;
    auto a = std::move(attempts.back());
    finalize_if_due(a, link.campaign);
    return a;
  }

  std::size_t submitted_count(const Link& link) {
    std::size_t n = 0;
    for (const auto& a : store.attempts_of(link.candidate.id)) n += a.attempt.submitted ? 1 : 0;
    return n;
  }

  json rules(const Campaign& c, std::int64_t extra) {
    json r = json::array();
    auto limit = c.time_limit > 0 ? c.time_limit + extra : 0;
    if (limit > 0) {
      r.push_back(fmt::format("You have {} minutes from the moment you start.", limit / 60));
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

  HttpResponse link_info(const HttpRequest& req, const std::string& token) {
    auto link = resolve_link(req, token);
    const auto& c = link.campaign;
    auto a = current_attempt(link);
    std::string status = !a ? "not_started" : a->attempt.submitted ? "submitted" : "in_progress";
    if (now() >= c.closes) refuse(410, "closed", "this campaign has closed");
    auto loaded = load(c);
    json body = {{"campaign", c.title},
                 {"assessment", c.assessment_title},
                 {"mode", c.mode},
                 {"privacy_notice", c.privacy_notice},
                 {"rules", rules(c, link.candidate.extra_time)},
                 {"time_limit", c.time_limit > 0 ? c.time_limit + link.candidate.extra_time : 0},
                 {"items", a ? a->attempt.form.items.size() : delivery::draw_form(loaded->assessment, 0).items.size()},
                 {"status", status},
                 {"opens", format_time(c.opens)},
                 {"closes", format_time(c.closes)}};
    if (now() < c.opens) {
      body["error"] = "not_open";
      body["message"] = fmt::format("this campaign opens at {}", format_time(c.opens));
      return json_response(409, body);
    }
    return json_response(200, body);
  }

  /// The attempt this browser holds; refuses (and flags) any other browser.
  StoredAttempt bound_attempt(const HttpRequest& req, const Link& link) {
    auto a = current_attempt(link);
    if (!a) refuse(409, "not_started", "the attempt has not been started");
    auto cookie = cookie_value(req.cookie, kAttemptCookie);
    if (cookie.empty() || !same(hash_token(cookie), a->browser_hash)) {
      if (!a->attempt.submitted)
        store.add_signal(a->attempt.attempt_id, {"second_browser", "a request came from another browser", now()});
      refuse(409, "other_browser", "this attempt is open in another browser");
    }
    return std::move(*a);
  }

  std::shared_ptr<const json> presentation_of(const model::LoadedAssessment& loaded, const delivery::FormItem& fi) {
    auto key = fmt::format("{}\n{}\n{}", loaded.assessment.sha256, fi.item_id, fi.seed);
    {
      std::lock_guard lock(shown_mu);
      if (auto it = shown.find(key); it != shown.end()) return it->second;
    }
    auto idx = loaded.assessment.item_index(fi.item_id);
    auto text = loaded.prepared[static_cast<std::size_t>(idx)].present(fi.seed);
    if (!text) refuse(500, "internal", "an item cannot be shown: " + text.error().message);
    auto presentation = std::make_shared<const json>(json::parse(text.value()));
    std::lock_guard lock(shown_mu);
    if (shown.size() >= kShownKept) shown.clear();
    shown.emplace(std::move(key), presentation);
    return presentation;
  }

  json state(const StoredAttempt& a, const Campaign& c) {
    auto loaded = load(c);
    json items = json::array();
    std::size_t n = 0;
    for (const auto& fi : a.attempt.form.items) {
      auto ans = a.attempt.answers.find(fi.item_id);
      items.push_back({{"n", ++n},
                       {"presentation", *presentation_of(*loaded, fi)},
                       {"answer", ans == a.attempt.answers.end() ? json(nullptr) : json::parse(ans->second)}});
    }
    auto t = now();
    json remaining = nullptr;
    if (a.attempt.deadline) remaining = std::max<std::int64_t>(0, (*a.attempt.deadline - t).count());
    return {{"status", a.attempt.submitted ? "submitted" : "in_progress"},
            {"now", format_time(t)},
            {"deadline", opt_time(a.attempt.deadline)},
            {"remaining", remaining},
            {"items", items}};
  }

  HttpResponse start(const HttpRequest& req, const std::string& token) {
    auto link = resolve_link(req, token);
    const auto& c = link.campaign;
    std::lock_guard lock(attempt_mu);
    auto a = current_attempt(link);
    if (a && !a->attempt.submitted) {
      auto held = bound_attempt(req, link);
      return json_response(200, state(held, c));
    }
    if (now() >= c.closes) refuse(410, "closed", "this campaign has closed");
    if (now() < c.opens) refuse(409, "not_open", fmt::format("this campaign opens at {}", format_time(c.opens)));
    if (submitted_count(link) >= static_cast<std::size_t>(c.retakes + 1))
      refuse(409, "submitted", "this link has been used: the attempt was submitted");
    auto loaded = load(c);
    StoredAttempt s;
    unsigned char id_bytes[12];
    randombytes_buf(id_bytes, sizeof id_bytes);
    char id_hex[sizeof id_bytes * 2 + 1];
    sodium_bin2hex(id_hex, sizeof id_hex, id_bytes, sizeof id_bytes);
    s.attempt = delivery::start_attempt(loaded->assessment, std::string("a-") + id_hex, "c-" + std::to_string(link.candidate.id),
                                        random_u64(), clock);
    s.attempt.mode = c.mode;
    s.attempt.deadline.reset();
    if (c.time_limit > 0)
      s.attempt.deadline = *s.attempt.started + std::chrono::seconds(c.time_limit + link.candidate.extra_time);
    s.candidate_id = link.candidate.id;
    s.campaign_id = c.id;
    auto cookie = random_token();
    s.browser_hash = hash_token(cookie);
    if (!store.insert_attempt(s)) {
      // Another server process started this link a moment ago: that browser holds it.
      auto held = bound_attempt(req, link);
      return json_response(200, state(held, c));
    }
    auto r = json_response(200, state(s, c));
    r.headers.emplace_back("Set-Cookie",
                           fmt::format("{}={}; Path=/api/c/{}{}", kAttemptCookie, cookie, token, cookie_attributes(req)));
    return r;
  }

  HttpResponse get_state(const HttpRequest& req, const std::string& token) {
    auto link = resolve_link(req, token);
    auto a = bound_attempt(req, link);
    return json_response(200, state(a, link.campaign));
  }

  const json& response_schema() {
    static const json schema = builtin_schema("response");
    return schema;
  }

  /// The schema of one interaction's value in response v1, by interaction type.
  const json& value_schema(const std::string& type) {
    static const std::map<std::string, json> by_type = [&] {
      std::map<std::string, json> out;
      const auto& defs = response_schema().at("$defs");
      for (const auto& [name, def] : defs.items()) out[name] = json{{"$defs", defs}, {"$ref", "#/$defs/" + name}};
      return out;
    }();
    auto it = by_type.find(type);
    return it != by_type.end() ? it->second : by_type.at("value");
  }

  /// Checks a response v1 document against the item's interactions; the first problem, or "".
  std::string check_response(const json& response, const json& presentation) {
    if (!response.is_object()) return "an answer is a JSON object with one member per interaction";
    static const json none = json::array();
    auto listed = presentation.find("interactions");
    const json& interactions = listed != presentation.end() && listed->is_array() ? *listed : none;
    for (const auto& [key, value] : response.items()) {
      auto it = std::find_if(interactions.begin(), interactions.end(), [&key = key](const json& i) {
        auto id = i.find("id");
        return i.is_object() && id != i.end() && *id == key;
      });
      if (it == interactions.end()) return fmt::format("this item has no interaction '{}'", key);
      auto type = it->value("type", "");
      auto violations = validate_json(value_schema(type), value);
      if (!violations.empty())
        return fmt::format("interaction '{}' ({}): #{}: {}", key, type, violations.front().pointer, violations.front().message);
    }
    auto violations = validate_json(response_schema(), response);
    if (!violations.empty()) return fmt::format("#{}: {}", violations.front().pointer, violations.front().message);
    return "";
  }

  HttpResponse save_answer(const HttpRequest& req, const std::string& token, const std::string& n_text) {
    auto link = resolve_link(req, token);
    auto a = bound_attempt(req, link);
    if (a.attempt.submitted) {
      if (a.attempt.deadline && *a.attempt.submitted >= *a.attempt.deadline)
        refuse(409, "time_up", "time is up: this answer came after the deadline and was not saved");
      refuse(409, "submitted", "the attempt has been submitted: answers can no longer change");
    }
    std::size_t n = 0;
    try {
      n = static_cast<std::size_t>(parse_id(n_text));
    } catch (const ApiError&) {
      refuse(404, "not_found", fmt::format("there is no item '{}' in this attempt", n_text));
    }
    if (n < 1 || n > a.attempt.form.items.size())
      refuse(404, "not_found", fmt::format("there is no item {} in this attempt (it has {})", n, a.attempt.form.items.size()));
    json response;
    try {
      response = json::parse(req.body);
    } catch (const json::parse_error& e) {
      refuse(400, "bad_json", json_error_text(req.body, e));
    }
    const auto& fi = a.attempt.form.items[n - 1];
    auto loaded = load(link.campaign);
    if (auto problem = check_response(response, *presentation_of(*loaded, fi)); !problem.empty())
      refuse(400, "bad_response", problem);
    auto text = response.dump();
    std::size_t total = text.size();
    for (const auto& [item_id, answer] : a.attempt.answers)
      if (item_id != fi.item_id) total += answer.size();
    // Far above any real attempt, small enough that no candidate can fill the database.
    if (total > options.max_attempt_answers)
      refuse(413, "too_large",
             fmt::format("this attempt's answers would take {} bytes together, more than the {} an attempt may hold", total,
                         options.max_attempt_answers));
    if (!store.save_answer(a.attempt.attempt_id, fi.item_id, text, now()))
      refuse(409, "submitted", "the attempt has been submitted: answers can no longer change");
    json remaining = nullptr;
    if (a.attempt.deadline) remaining = std::max<std::int64_t>(0, (*a.attempt.deadline - now()).count());
    return json_response(200, {{"n", n}, {"saved", true}, {"remaining", remaining}});
  }

  HttpResponse signal(const HttpRequest& req, const std::string& token) {
    auto link = resolve_link(req, token);
    auto a = bound_attempt(req, link);
    auto body = parse_body(req);
    auto kind = get_string(body, "kind", true, 40);
    if (kind != "focus_lost" && kind != "paste") refuse(400, "bad_json", "member 'kind': expected 'focus_lost' or 'paste'");
    auto n = get_int(body, "n");
    if (a.attempt.submitted) refuse(409, "submitted", "the attempt has been submitted");
    store.add_signal(a.attempt.attempt_id, {kind, n ? fmt::format("item {}", *n) : std::string(), now()});
    return no_content();
  }

  json outcome_json(const StoredAttempt& a, const Campaign& c) {
    json out = {{"status", "received"}, {"submitted", opt_time(a.attempt.submitted)}};
    if (c.mode != "practice") return out;
    auto doc = store.result(a.attempt.attempt_id);
    if (!doc) return out;
    auto result = scoring::try_result_from_json(json::parse(*doc));
    if (!result) return out;
    auto loaded = load(c);
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

  HttpResponse submit_attempt(const HttpRequest& req, const std::string& token) {
    auto link = resolve_link(req, token);
    auto a = bound_attempt(req, link);
    if (!a.attempt.submitted) submit(a, link.campaign, now());
    return json_response(200, outcome_json(a, link.campaign));
  }

  HttpResponse outcome(const HttpRequest& req, const std::string& token) {
    auto link = resolve_link(req, token);
    auto a = current_attempt(link);
    if (!a || !a->attempt.submitted) refuse(409, "not_submitted", "the attempt has not been submitted");
    return json_response(200, outcome_json(*a, link.campaign));
  }

  // ---- routing ----------------------------------------------------------------------------

  HttpResponse route(const HttpRequest& req) {
    auto p = split_path(req.path);
    const auto& m = req.method;
    auto is = [&](std::initializer_list<const char*> pattern) {
      if (p.size() != pattern.size()) return false;
      std::size_t i = 0;
      for (const char* seg : pattern) {
        if (std::string_view(seg) != "*" && p[i] != seg) return false;
        ++i;
      }
      return true;
    };
    if (m == "POST" && is({"api", "setup"})) return setup(req);
    if (m == "POST" && is({"api", "login"})) return login(req);
    if (m == "POST" && is({"api", "logout"})) return logout(req);
    if (m == "GET" && is({"api", "me"})) return me(req);
    if (m == "GET" && is({"api", "users"})) return list_users(req);
    if (m == "POST" && is({"api", "users"})) return create_user(req);
    if (m == "POST" && is({"api", "users", "*", "password"})) return reset_password(req, p[2]);
    if (m == "GET" && is({"api", "assessments"})) return list_assessments(req);
    if (m == "GET" && is({"api", "campaigns"})) return list_campaigns(req);
    if (m == "POST" && is({"api", "campaigns"})) return create_campaign(req);
    if (m == "GET" && is({"api", "campaigns", "*"})) return get_campaign(req, p[2]);
    if (m == "POST" && is({"api", "campaigns", "*", "candidates"})) return invite(req, p[2]);
    if (m == "POST" && is({"api", "campaigns", "*", "candidates.csv"})) return import_csv(req, p[2]);
    if (m == "GET" && is({"api", "campaigns", "*", "candidates"})) return list_candidates(req, p[2]);
    if (m == "GET" && is({"api", "campaigns", "*", "results"})) return results(req, p[2]);
    if (m == "GET" && is({"api", "campaigns", "*", "results.csv"})) return results_csv(req, p[2]);
    if (m == "GET" && is({"api", "campaigns", "*", "results.jsonl"})) return results_jsonl(req, p[2]);
    if (m == "GET" && is({"api", "campaigns", "*", "report.html"})) return results_html(req, p[2]);
    if (m == "GET" && is({"api", "campaigns", "*", "ratings"})) return pending_ratings(req, p[2]);
    if (m == "POST" && is({"api", "campaigns", "*", "exclusions"})) return exclude(req, p[2]);
    if (m == "GET" && is({"api", "campaigns", "*", "log"})) return campaign_log(req, p[2]);
    if (m == "POST" && is({"api", "candidates", "*", "revoke"})) return revoke(req, p[2]);
    if (m == "DELETE" && is({"api", "candidates", "*"})) return delete_candidate(req, p[2]);
    if (m == "POST" && is({"api", "candidates", "*", "link"})) return new_link(req, p[2]);
    if (m == "POST" && is({"api", "candidates", "*", "accommodation"})) return accommodate(req, p[2]);
    if (m == "GET" && is({"api", "attempts", "*"})) return get_attempt(req, p[2]);
    if (m == "POST" && is({"api", "attempts", "*", "ratings"})) return rate(req, p[2]);
    if (m == "GET" && is({"api", "c", "*"})) return link_info(req, p[2]);
    if (m == "POST" && is({"api", "c", "*", "start"})) return start(req, p[2]);
    if (m == "GET" && is({"api", "c", "*", "attempt"})) return get_state(req, p[2]);
    if (m == "PUT" && is({"api", "c", "*", "answers", "*"})) return save_answer(req, p[2], p[4]);
    if (m == "POST" && is({"api", "c", "*", "signals"})) return signal(req, p[2]);
    if (m == "POST" && is({"api", "c", "*", "submit"})) return submit_attempt(req, p[2]);
    if (m == "GET" && is({"api", "c", "*", "outcome"})) return outcome(req, p[2]);
    refuse(404, "not_found", fmt::format("no route {} {}", m, req.path));
  }
};

Api::Api(Store& store, const plugins::Registry& registry, const Clock& clock, ApiOptions options)
    : impl_(std::make_unique<Impl>(store, registry, clock, std::move(options))) {
  if (sodium_init() < 0) throw StoreError("libsodium could not be initialised");
}

Api::~Api() = default;

void Api::purge_expired() { impl_->purge_expired(); }

std::string Api::ensure_setup_token() {
  if (impl_->store.user_count() > 0) return "";
  auto token = random_token();
  impl_->store.put_setting("setup_token", hash_token(token));
  return token;
}

HttpResponse Api::handle(const HttpRequest& request) {
  try {
    return impl_->route(request);
  } catch (const ApiError& e) {
    auto r = json_response(e.status, {{"error", e.code}, {"message", e.message}});
    r.headers = e.headers;
    return r;
  } catch (const std::exception& e) {
    return json_response(500, {{"error", "internal"}, {"message", std::string("internal error: ") + e.what()}});
  }
}

}  // namespace assay::serve
