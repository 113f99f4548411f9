// What every route handler shares: JSON replies, refusals, readers of a JSON body's members,
// cookies, and the random tokens that links and cookies carry.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api.hpp"
#include "assay/clock.hpp"

namespace assay::serve::detail {

using json = nlohmann::json;

/// A refusal: thrown inside a handler, answered by Api::handle as {"error": code, "message"}.
struct ApiError {
  int status;
  std::string code;
  std::string message;
  std::vector<std::pair<std::string, std::string>> headers = {};
};

[[noreturn]] void refuse(int status, std::string code, std::string message);

HttpResponse json_response(int status, const json& body);
HttpResponse no_content();

/// Why `body` is not JSON, as a 400 bad_json says it.
std::string json_error_text(const std::string& body, const json::parse_error& e);
/// Refuses 400 bad_json a body that is not UTF-8 (the engine's one check, assay/utf8.hpp), naming
/// the first bad bytes and where they are: "the body is not UTF-8: found bytes 0xC0 0x80 (at byte 12)".
void require_utf8_body(const std::string& body);
/// The message for a body holding a number too large for a double ("1e400"), which nlohmann
/// reports as out_of_range rather than as a parse error.
std::string json_error_text(const std::string& body, const json::out_of_range& e);
/// The body as a JSON object; refuses 400 bad_json otherwise (require_utf8_body first).
json parse_body(const HttpRequest& req);

/// Member `key` of a body: a string of at most `max` bytes, not empty when `required` ("" when
/// absent and not required). Refuses 400 bad_json naming the member.
std::string get_string(const json& j, const char* key, bool required = true, std::size_t max = 1000);
/// Member `key`: a whole number of 0 or more, or nullopt when absent.
std::optional<std::int64_t> get_int(const json& j, const char* key, std::int64_t max);
/// Member `key`: an RFC 3339 UTC time.
TimePoint get_time(const json& j, const char* key);

/// A path's numeric id; refuses 404 for anything else.
std::int64_t parse_id(const std::string& text);
/// The time as RFC 3339, or null.
json opt_time(const std::optional<TimePoint>& t);

/// The value of cookie `name` in a Cookie header, or "".
std::string cookie_value(const std::string& header, std::string_view name);
/// The raw value of parameter `name` in a query string ("a=1&b=2"), or "".
std::string query_value(const std::string& query, std::string_view name);

/// 256 random bits in base64url (43 characters): a link, a session or a browser's cookie.
std::string random_token();
std::uint64_t random_u64();
/// What the store keeps of a token: its SHA-256 in hex.
std::string hash_token(std::string_view token);
/// Equal, compared in constant time.
bool same(const std::string& a, const std::string& b);

}  // namespace assay::serve::detail
