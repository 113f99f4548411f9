#include "http_util.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>

#include "assay/sha256.hpp"
#include "assay/utf8.hpp"

namespace assay::serve::detail {

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

std::string json_error_text(const std::string& body, const json::parse_error& e) {
  if (body.empty()) return "the body is empty: expected JSON";
  if (e.byte > body.size()) return "the body is not valid JSON: it ends before the value is complete";
  return fmt::format("the body is not valid JSON (at byte {})", e.byte);
}

void require_utf8_body(const std::string& body) {
  if (auto bad = find_utf8_error(body))
    refuse(400, "bad_json", fmt::format("the body is not UTF-8: found {} (at byte {})", bad->bytes(), bad->offset + 1));
}

std::string json_error_text(const std::string&, const json::out_of_range&) {
  return "the body is not valid JSON: a number is too large";
}

json parse_body(const HttpRequest& req) {
  require_utf8_body(req.body);
  try {
    auto j = json::parse(req.body);
    if (!j.is_object()) refuse(400, "bad_json", "the body must be a JSON object");
    return j;
  } catch (const json::parse_error& e) {
    refuse(400, "bad_json", json_error_text(req.body, e));
  } catch (const json::out_of_range& e) {
    refuse(400, "bad_json", json_error_text(req.body, e));
  }
}

std::string get_string(const json& j, const char* key, bool required, std::size_t max) {
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

std::optional<std::int64_t> get_int(const json& j, const char* key, std::int64_t max) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  // A float like 1e12 or 60.0 is refused too: a count or a number of seconds is written whole.
  if (!it->is_number_integer() || it->get<std::int64_t>() < 0 ||
      (it->is_number_unsigned() && it->get<std::uint64_t>() > static_cast<std::uint64_t>(max)) || it->get<std::int64_t>() > max)
    refuse(400, "bad_json", fmt::format("member '{}': expected a whole number from 0 to {}", key, max));
  return it->get<std::int64_t>();
}

TimePoint get_time(const json& j, const char* key) {
  auto text = get_string(j, key);
  TimePoint t;
  if (!parse_time(text, t))
    refuse(400, "bad_json",
           fmt::format("member '{}': expected an RFC 3339 UTC time like \"2026-03-01T09:00:00Z\", found \"{}\"", key, text));
  if (!limits::in_range(t))
    refuse(400, "bad_json",
           fmt::format("member '{}': expected a time in the years {} to {}, found \"{}\"", key, limits::kFirstYear,
                       limits::kLastYear, text));
  return t;
}

std::int64_t parse_id(const std::string& text) {
  if (text.empty() || text.size() > 18 || !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    refuse(404, "not_found", "no such resource");
  return std::stoll(text);
}

json opt_time(const std::optional<TimePoint>& t) { return t ? json(format_time(*t)) : json(nullptr); }

namespace {

/// The value of `name` in a list of name=value parts separated by `sep` (spaces before a part
/// ignored), or "".
std::string list_value(std::string_view list, char sep, std::string_view name) {
  std::size_t pos = 0;
  while (pos < list.size()) {
    auto end = list.find(sep, pos);
    if (end == std::string::npos) end = list.size();
    auto part = list.substr(pos, end - pos);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.size() > name.size() && part.substr(0, name.size()) == name && part[name.size()] == '=')
      return std::string(part.substr(name.size() + 1));
    pos = end + 1;
  }
  return "";
}

}  // namespace

std::string cookie_value(const std::string& header, std::string_view name) { return list_value(header, ';', name); }

std::string query_value(const std::string& query, std::string_view name) { return list_value(query, '&', name); }

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

}  // namespace assay::serve::detail
