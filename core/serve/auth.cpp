// Staff accounts, sign-in and sign-out, sessions with their CSRF tokens, the one-time set-up
// token, and the role check every staff route goes through.
#include <fmt/format.h>
#include <sodium.h>

#include <cctype>
#include <chrono>

#include "rate_limit.hpp"
#include "routes.hpp"

namespace assay::serve::detail {

namespace {

constexpr std::int64_t kStaffSessionSeconds = 12 * 3600;
constexpr std::size_t kMinPassword = 10;
constexpr const char* kStaffCookie = "assay_staff";
// A browser that has signed in to an account carries a mark of it: sign-in limits never apply
// to it, so that failures elsewhere (an attacker guessing) never keep the account's owner out.
constexpr const char* kDeviceCookie = "assay_device";
constexpr std::int64_t kDeviceSeconds = 400 * 24 * 3600;
// Failures of one account in a window before each further try from an unknown browser must wait:
// 1 s after the next failure, doubling to at most kMaxAccountDelay.
constexpr std::int64_t kFreeAccountFailures = 3;
constexpr std::int64_t kMaxAccountDelay = 60;

/// The secret the device marks are keyed with, made at first use and kept in the settings.
std::string device_key(ApiContext& api) {
  if (auto key = api.store.setting("device_key")) return *key;
  api.store.put_setting("device_key", random_token());
  return api.store.setting("device_key").value();
}

/// The mark of a browser that signed in to `username`: a keyed BLAKE2b hash of the name.
std::string device_mark(ApiContext& api, const std::string& username) {
  auto key = device_key(api);
  unsigned char out[32];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(username.data()), username.size(),
                     reinterpret_cast<const unsigned char*>(key.data()),
                     std::min<std::size_t>(key.size(), crypto_generichash_KEYBYTES_MAX));
  char hex[sizeof out * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, out, sizeof out);
  return hex;
}

/// Refuses with 429 while the account's growing delay runs: after kFreeAccountFailures failures in
/// the window, one try per 2^(failures - kFreeAccountFailures) seconds (at most kMaxAccountDelay).
void wait_for_account(ApiContext& api, const std::string& username) {
  auto now = api.now();
  auto failures = api.store.count_hit("login-account:" + username, window_of(now), 0);
  if (failures < kFreeAccountFailures) return;
  auto delay =
      std::min<std::int64_t>(kMaxAccountDelay, std::int64_t{1} << std::min<std::int64_t>(failures - kFreeAccountFailures, 6));
  auto slot = window_of(now, delay);
  if (api.store.count_hit("login-slot:" + username, slot, 1) <= 1) return;
  ApiError e{429, "slowed_down", "too many failed sign-ins for this account: wait a moment and try again"};
  e.headers.emplace_back("Retry-After",
                         std::to_string(std::max<std::int64_t>(1, (slot + std::chrono::seconds(delay) - now).count())));
  throw e;
}

std::string hash_password(const std::string& password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    refuse(500, "internal", "out of memory while hashing the password");
  return out;
}

std::string checked_password(const json& body) {
  auto p = get_string(body, "password", true, 1024);
  if (p.size() < kMinPassword)
    refuse(400, "weak_password", fmt::format("the password must have at least {} characters", kMinPassword));
  return p;
}

std::string checked_username(const json& body) {
  auto u = get_string(body, "username", true, 64);
  for (char ch : u)
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '.' || ch == '-' || ch == '_' || ch == '@'))
      refuse(400, "bad_json", "member 'username': use letters, digits and . - _ @ only");
  return u;
}

/// The account of the request's session cookie, while the session lasts.
std::optional<Staff> find_staff(ApiContext& api, const HttpRequest& req) {
  auto token = cookie_value(req.cookie, kStaffCookie);
  if (token.empty()) return std::nullopt;
  auto session = api.store.find_session(hash_token(token));
  if (!session || session->expires <= api.now()) return std::nullopt;
  auto user = api.store.user_by_id(session->user_id);
  if (!user || user->disabled) return std::nullopt;
  return Staff{std::move(*user), std::move(*session)};
}

HttpResponse new_session(ApiContext& api, const HttpRequest& req, const User& user) {
  auto token = random_token();
  StaffSession s{hash_token(token), user.id, random_token(), api.now() + std::chrono::seconds(kStaffSessionSeconds)};
  api.store.insert_session(s);
  auto r = json_response(200, {{"username", user.username}, {"role", to_string(user.role)}, {"csrf", s.csrf}});
  r.headers.emplace_back("Set-Cookie", fmt::format("{}={}; Path=/; Max-Age={}{}", kStaffCookie, token, kStaffSessionSeconds,
                                                   api.cookie_attributes(req)));
  return r;
}

}  // namespace

Staff authorize(ApiContext& api, const HttpRequest& req, unsigned roles, bool csrf) {
  auto s = find_staff(api, req);
  if (!s) refuse(401, "login_required", "sign in first");
  if (csrf && !same(req.csrf, s->session.csrf)) refuse(403, "csrf", "the request lacks this session's X-CSRF-Token header");
  if ((roles & (1u << static_cast<unsigned>(s->user.role))) == 0)
    refuse(403, "forbidden", fmt::format("a {} may not do this", to_string(s->user.role)));
  return std::move(*s);
}

// Each server that starts while no account exists prints a set-up link of its own, and each works
// (several servers may start together on one database); the first used closes set-up for all.
std::string ensure_setup_token(ApiContext& api) {
  if (api.store.user_count() > 0) return "";
  auto token = random_token();
  api.store.put_setting("setup_token:" + hash_token(token), "open");
  api.store.put_setting("setup", "open");
  return token;
}

HttpResponse setup_status(ApiContext& api, const Call&) { return json_response(200, {{"open", api.store.user_count() == 0}}); }

HttpResponse setup(ApiContext& api, const Call& call) {
  auto body = parse_body(call.req);
  auto token = get_string(body, "token");
  auto username = checked_username(body);
  auto password = checked_password(body);
  if (api.store.user_count() > 0 || !api.store.take_setting("setup_token:" + hash_token(token), "open") ||
      !api.store.take_setting("setup", "open"))
    refuse(404, "not_found", "this set-up link has been used or is not valid");
  User u{0, username, Role::kAdministrator, hash_password(password), api.now()};
  // A server that started while this link was being used may have opened set-up again: the
  // first account is still made once.
  if (!api.store.insert_first_user(u)) refuse(404, "not_found", "this set-up link has been used or is not valid");
  return json_response(200, {{"username", u.username}, {"role", "administrator"}});
}

HttpResponse login(ApiContext& api, const Call& call) {
  // JSON only: a form or text/plain body is what another site's page can send without asking.
  if (call.req.content_type.rfind("application/json", 0) != 0)
    refuse(415, "unsupported_media_type", "sign-in takes a JSON body (Content-Type: application/json)");
  auto body = parse_body(call.req);
  auto username = get_string(body, "username", true, 256);
  auto password = get_string(body, "password", true, 1024);
  // A browser that signed in to this account before is never held back by others' failures.
  const bool known = same(cookie_value(call.req.cookie, kDeviceCookie), device_mark(api, username));
  std::optional<FailureLimit> by_address;
  if (!known) {
    by_address.emplace(api.store, api.now(), "login:" + call.req.remote, kMaxFailedLogins);
    wait_for_account(api, username);
  }
  auto user = api.store.find_user(username);
  if (!user || crypto_pwhash_str_verify(user->password_hash.c_str(), password.data(), password.size()) != 0) {
    if (by_address) by_address->count();
    api.store.count_hit("login-account:" + username, window_of(api.now()), 1);
    refuse(401, "bad_login", "the user name or the password is wrong");
  }
  // Said only to someone who knows the password.
  if (user->disabled) refuse(403, "disabled", "this account is disabled: ask an administrator");
  auto r = new_session(api, call.req, *user);
  r.headers.emplace_back("Set-Cookie",
                         fmt::format("{}={}; Path=/api/login; Max-Age={}{}", kDeviceCookie, device_mark(api, user->username),
                                     kDeviceSeconds, api.cookie_attributes(call.req)));
  return r;
}

HttpResponse me(ApiContext&, const Call& call) {
  const auto& s = *call.staff;
  return json_response(200, {{"username", s.user.username}, {"role", to_string(s.user.role)}, {"csrf", s.session.csrf}});
}

HttpResponse logout(ApiContext& api, const Call& call) {
  api.store.delete_session(call.staff->session.token_hash);
  auto r = no_content();
  r.headers.emplace_back("Set-Cookie", fmt::format("{}=; Path=/; Max-Age=0{}", kStaffCookie, api.cookie_attributes(call.req)));
  return r;
}

HttpResponse list_users(ApiContext& api, const Call&) {
  json out = json::array();
  for (const auto& u : api.store.users())
    out.push_back(
        {{"username", u.username}, {"role", to_string(u.role)}, {"created", format_time(u.created)}, {"disabled", u.disabled}});
  return json_response(200, out);
}

HttpResponse create_user(ApiContext& api, const Call& call) {
  auto body = parse_body(call.req);
  auto username = checked_username(body);
  auto role = parse_role(get_string(body, "role"));
  if (!role) refuse(400, "bad_json", "member 'role': expected 'administrator', 'manager' or 'rater'");
  auto password = checked_password(body);
  User u{0, username, *role, hash_password(password), api.now()};
  if (!api.store.insert_user(u)) refuse(409, "conflict", fmt::format("the user name '{}' is taken", username));
  api.log(0, call.staff->user.username, "create_user", fmt::format("{} ({})", username, to_string(*role)));
  return json_response(201, {{"username", u.username}, {"role", to_string(u.role)}});
}

namespace {

User user_or_404(ApiContext& api, const Call& call) {
  auto user = api.store.find_user(call.param("username"));
  if (!user) refuse(404, "not_found", "no such user");
  return std::move(*user);
}

json user_json(const User& u) {
  return {{"username", u.username}, {"role", to_string(u.role)}, {"created", format_time(u.created)}, {"disabled", u.disabled}};
}

[[noreturn]] void refuse_last_administrator() {
  refuse(409, "last_administrator", "this is the last enabled administrator: make another account an administrator first");
}

}  // namespace

HttpResponse change_role(ApiContext& api, const Call& call) {
  auto user = user_or_404(api, call);
  auto role = parse_role(get_string(parse_body(call.req), "role"));
  if (!role) refuse(400, "bad_json", "member 'role': expected 'administrator', 'manager' or 'rater'");
  if (!api.store.update_user(user.id, *role, user.disabled)) refuse_last_administrator();
  api.log(0, call.staff->user.username, "change_role",
          fmt::format("{}: {} -> {}", user.username, to_string(user.role), to_string(*role)));
  user.role = *role;
  return json_response(200, user_json(user));
}

HttpResponse set_disabled(ApiContext& api, const Call& call, bool disabled) {
  auto user = user_or_404(api, call);
  if (!api.store.update_user(user.id, user.role, disabled)) refuse_last_administrator();
  api.log(0, call.staff->user.username, disabled ? "disable_user" : "enable_user", user.username);
  user.disabled = disabled;
  return json_response(200, user_json(user));
}

HttpResponse disable_user(ApiContext& api, const Call& call) { return set_disabled(api, call, true); }
HttpResponse enable_user(ApiContext& api, const Call& call) { return set_disabled(api, call, false); }

HttpResponse delete_user(ApiContext& api, const Call& call) {
  auto user = user_or_404(api, call);
  if (!api.store.delete_user(user.id)) refuse_last_administrator();
  api.log(0, call.staff->user.username, "delete_user", fmt::format("{} ({})", user.username, to_string(user.role)));
  return no_content();
}

HttpResponse account_log(ApiContext& api, const Call&) {
  json out = json::array();
  for (const auto& e : api.store.log_entries(0))
    out.push_back({{"at", format_time(e.at)}, {"user", e.user}, {"action", e.action}, {"detail", e.detail}});
  return json_response(200, out);
}

HttpResponse reset_password(ApiContext& api, const Call& call) {
  const auto& username = call.param("username");
  auto body = parse_body(call.req);
  auto password = checked_password(body);
  auto user = api.store.find_user(username);
  if (!user) refuse(404, "not_found", "no such user");
  api.store.set_password(user->id, hash_password(password));
  api.log(0, call.staff->user.username, "reset_password", username);
  return no_content();
}

}  // namespace assay::serve::detail
