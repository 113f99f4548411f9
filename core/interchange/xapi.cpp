#include "assay/xapi.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <array>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "assay/clock.hpp"

namespace assay::xapi {

namespace {

using json = nlohmann::json;
using scoring::ItemStatus;
using scoring::Outcome;

// The namespace of the project's name-based UUIDs: uuid_v5 of RFC 4122's URL namespace
// (6ba7b811-9dad-11d1-80b4-00c04fd430c8) and "urn:assay:xapi", written out so that it never changes.
constexpr std::string_view kNamespace = "231d9e8f-2787-5f2d-ac7d-e621bc64f052";

constexpr const char* kVerbBase = "http://adlnet.gov/expapi/verbs/";
constexpr const char* kAssessmentType = "http://adlnet.gov/expapi/activities/assessment";
constexpr const char* kInteractionType = "http://adlnet.gov/expapi/activities/cmi.interaction";
constexpr const char* kExtension = "urn:assay:xapi:";

json language_map(const std::string& text) { return {{"en-US", text}}; }

json verb(const std::string& name) { return {{"id", kVerbBase + name}, {"display", language_map(name)}}; }

/// A number for JSON from an exact value, rounded to six decimals (rounding keeps order, so a raw
/// score never passes its maximum and a scaled score stays within -1..1).
json number(const Fraction& f) {
  std::string text = f.to_rounded(6);
  if (text.find('.') == std::string::npos) return std::stoll(text);
  return std::stod(text);
}

std::string duration_text(std::chrono::seconds s) {
  auto total = s.count() < 0 ? 0 : s.count();
  auto h = total / 3600, m = total / 60 % 60, sec = total % 60;
  std::string out = "PT";
  if (h) out += std::to_string(h) + "H";
  if (m) out += std::to_string(m) + "M";
  if (sec || (!h && !m)) out += std::to_string(sec) + "S";
  return out;
}

json score(const Fraction& points, const Fraction& max) {
  json s = {{"raw", number(points)}, {"min", 0}, {"max", number(max)}};
  if (points < Fraction(0)) s["min"] = number(points);
  s["scaled"] = number(points / max);
  return s;
}

std::array<unsigned char, 16> uuid_bytes(std::string_view text) {
  std::array<unsigned char, 16> out{};
  std::size_t k = 0;
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < text.size() && k < 32; ++i) {
    if (text[i] == '-') continue;
    int v = hex(text[i]);
    if (v < 0) throw std::invalid_argument("not a UUID: " + std::string(text));
    out[k / 2] = static_cast<unsigned char>(out[k / 2] | (k % 2 ? v : v << 4));
    ++k;
  }
  if (k != 32) throw std::invalid_argument("not a UUID: " + std::string(text));
  return out;
}

bool is_uuid(const json& v) {
  if (!v.is_string()) return false;
  const auto& s = v.get_ref<const std::string&>();
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash != (s[i] == '-')) return false;
    if (!dash && !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

/// An absolute IRI: a scheme (RFC 3987: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )), a colon, and
/// no spaces or control characters.
bool is_iri(const json& v) {
  if (!v.is_string()) return false;
  const auto& s = v.get_ref<const std::string&>();
  auto colon = s.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == s.size()) return false;
  if (!std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  for (std::size_t i = 0; i < colon; ++i) {
    char c = s[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return false;
  }
  for (unsigned char c : s)
    if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == '"') return false;
  return true;
}

/// An IRL: an IRI that can be looked up (http or https).
bool is_irl(const json& v) {
  if (!is_iri(v)) return false;
  const auto& s = v.get_ref<const std::string&>();
  return s.rfind("http://", 0) == 0 || s.rfind("https://", 0) == 0;
}

/// A language tag (RFC 5646, as far as its shape: letters, digits and hyphens, a 2-8 letter
/// primary subtag).
bool is_language_tag(const std::string& s) {
  std::size_t primary = s.find('-');
  if (primary == std::string::npos) primary = s.size();
  if (primary < 2 || primary > 8) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (i < primary ? !std::isalpha(static_cast<unsigned char>(c)) : !std::isalnum(static_cast<unsigned char>(c)) && c != '-')
      return false;
  }
  return s.back() != '-';
}

/// ISO 8601 duration (xAPI Data 4.6): P[nY][nM][nW][nD][T[nH][nM][n[.n]S]], at least one part.
bool is_duration(const json& v) {
  if (!v.is_string()) return false;
  const auto& s = v.get_ref<const std::string&>();
  if (s.size() < 3 || s[0] != 'P') return false;
  bool time = false, any = false, digits = false, point = false;
  std::string order = "YMWD";
  std::string torder = "HMS";
  std::size_t at = 0, tat = 0;
  for (std::size_t i = 1; i < s.size(); ++i) {
    char c = s[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digits = true;
      continue;
    }
    if (c == '.' && time && digits && !point) {
      point = true;
      continue;
    }
    if (c == 'T') {
      if (time || digits) return false;
      time = true;
      continue;
    }
    if (!digits) return false;
    const std::string& units = time ? torder : order;
    std::size_t& pos = time ? tat : at;
    auto found = units.find(c, pos);
    if (found == std::string::npos || (point && c != 'S')) return false;
    pos = found + 1;
    any = true;
    digits = false;
  }
  return any && !digits;
}

/// ISO 8601 timestamp with a time zone (xAPI Data 2.4.7): 2026-03-01T09:45:00Z, with optional
/// fractions of a second and an offset.
bool is_timestamp(const json& v) {
  if (!v.is_string()) return false;
  const auto& s = v.get_ref<const std::string&>();
  auto digits = [&](std::size_t from, std::size_t n) {
    if (from + n > s.size()) return false;
    for (std::size_t i = from; i < from + n; ++i)
      if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    return true;
  };
  if (!digits(0, 4) || s.size() < 20 || s[4] != '-' || !digits(5, 2) || s[7] != '-' || !digits(8, 2) || s[10] != 'T' ||
      !digits(11, 2) || s[13] != ':' || !digits(14, 2) || s[16] != ':' || !digits(17, 2))
    return false;
  std::size_t i = 19;
  if (i < s.size() && s[i] == '.') {
    ++i;
    std::size_t start = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    if (i == start) return false;
  }
  if (i < s.size() && s[i] == 'Z') return i + 1 == s.size();
  return i + 6 == s.size() && (s[i] == '+' || s[i] == '-') && digits(i + 1, 2) && s[i + 3] == ':' && digits(i + 4, 2);
}

class Checker {
 public:
  std::vector<std::string> problems;

  void statement(const json& s) {
    if (!s.is_object()) return fail("", "a statement is a JSON object");
    only(s, "",
         {"id", "actor", "verb", "object", "result", "context", "timestamp", "stored", "authority", "version", "attachments"});
    if (s.contains("id") && !is_uuid(s["id"])) fail("id", "must be a UUID");
    if (!s.contains("actor")) fail("actor", "is required");
    if (!s.contains("verb")) fail("verb", "is required");
    if (!s.contains("object")) fail("object", "is required");
    if (s.contains("actor")) agent_or_group(s["actor"], "actor");
    if (s.contains("verb")) verb_(s["verb"]);
    if (s.contains("object")) object(s["object"], "object");
    if (s.contains("result")) result(s["result"]);
    if (s.contains("context")) context(s["context"], s.value("object", json::object()));
    if (s.contains("timestamp") && !is_timestamp(s["timestamp"])) fail("timestamp", "must be an ISO 8601 time with a time zone");
    if (s.contains("version") && (!s["version"].is_string() || s["version"].get<std::string>().rfind("1.0.", 0) != 0))
      fail("version", "must be 1.0.x");
  }

 private:
  void fail(const std::string& path, const std::string& what) { problems.push_back((path.empty() ? "" : path + ": ") + what); }

  void only(const json& o, const std::string& path, std::initializer_list<const char*> allowed) {
    std::set<std::string> ok(allowed.begin(), allowed.end());
    for (const auto& [k, v] : o.items())
      if (!ok.count(k)) fail(path.empty() ? k : path + "." + k, "is not a property the specification defines here");
  }

  void lang_map(const json& m, const std::string& path) {
    if (!m.is_object()) return fail(path, "must be a language map");
    for (const auto& [k, v] : m.items()) {
      if (!is_language_tag(k)) fail(path + "." + k, "is not a language tag (RFC 5646)");
      if (!v.is_string()) fail(path + "." + k, "must be a string");
    }
  }

  void extensions(const json& e, const std::string& path) {
    if (!e.is_object()) return fail(path, "must be an object");
    for (const auto& [k, v] : e.items())
      if (!is_iri(json(k))) fail(path + "." + k, "an extension's key must be an IRI");
  }

  void agent_or_group(const json& a, const std::string& path) {
    if (!a.is_object()) return fail(path, "must be an object");
    std::string type = a.value("objectType", "Agent");
    if (type != "Agent" && type != "Group") return fail(path + ".objectType", "must be Agent or Group");
    only(a, path, {"objectType", "name", "mbox", "mbox_sha1sum", "openid", "account", "member"});
    int ifis = 0;
    for (const char* k : {"mbox", "mbox_sha1sum", "openid", "account"}) ifis += a.contains(k) ? 1 : 0;
    if (type == "Agent" && ifis != 1)
      fail(path, "an Agent has exactly one inverse functional identifier, found " + std::to_string(ifis));
    if (type == "Group" && ifis > 1) fail(path, "a Group has at most one inverse functional identifier");
    if (type == "Group" && ifis == 0 && !a.contains("member")) fail(path, "an anonymous Group lists its members");
    if (a.contains("mbox") && (!a["mbox"].is_string() || a["mbox"].get<std::string>().rfind("mailto:", 0) != 0))
      fail(path + ".mbox", "must be a mailto: IRI");
    if (a.contains("account")) {
      const json& acc = a["account"];
      if (!acc.is_object()) return fail(path + ".account", "must be an object");
      only(acc, path + ".account", {"homePage", "name"});
      if (!is_irl(acc.value("homePage", json()))) fail(path + ".account.homePage", "must be an IRL");
      if (!acc.contains("name") || !acc["name"].is_string() || acc["name"].get<std::string>().empty())
        fail(path + ".account.name", "must be a non-empty string");
    }
    if (a.contains("name") && !a["name"].is_string()) fail(path + ".name", "must be a string");
  }

  void verb_(const json& v) {
    if (!v.is_object()) return fail("verb", "must be an object");
    only(v, "verb", {"id", "display"});
    if (!is_iri(v.value("id", json()))) fail("verb.id", "must be an IRI");
    if (v.contains("display")) lang_map(v["display"], "verb.display");
  }

  void activity(const json& o, const std::string& path) {
    only(o, path, {"objectType", "id", "definition"});
    if (!is_iri(o.value("id", json()))) fail(path + ".id", "must be an IRI");
    if (!o.contains("definition")) return;
    const json& d = o["definition"];
    if (!d.is_object()) return fail(path + ".definition", "must be an object");
    only(d, path + ".definition",
         {"name", "description", "type", "moreInfo", "extensions", "interactionType", "correctResponsesPattern", "choices",
          "scale", "source", "target", "steps"});
    if (d.contains("name")) lang_map(d["name"], path + ".definition.name");
    if (d.contains("description")) lang_map(d["description"], path + ".definition.description");
    if (d.contains("type") && !is_iri(d["type"])) fail(path + ".definition.type", "must be an IRI");
    if (d.contains("moreInfo") && !is_irl(d["moreInfo"])) fail(path + ".definition.moreInfo", "must be an IRL");
    if (d.contains("extensions")) extensions(d["extensions"], path + ".definition.extensions");
  }

  void object(const json& o, const std::string& path) {
    if (!o.is_object()) return fail(path, "must be an object");
    std::string type = o.value("objectType", "Activity");
    if (type == "Activity") return activity(o, path);
    if (type == "Agent" || type == "Group") return agent_or_group(o, path);
    if (type == "StatementRef") {
      if (!is_uuid(o.value("id", json()))) fail(path + ".id", "must be a UUID");
      return;
    }
    if (type != "SubStatement") fail(path + ".objectType", "unknown object type '" + type + "'");
  }

  void result(const json& r) {
    if (!r.is_object()) return fail("result", "must be an object");
    only(r, "result", {"score", "success", "completion", "response", "duration", "extensions"});
    if (r.contains("score")) {
      const json& s = r["score"];
      if (!s.is_object()) return fail("result.score", "must be an object");
      only(s, "result.score", {"scaled", "raw", "min", "max"});
      for (const auto& [k, v] : s.items())
        if (!v.is_number()) fail("result.score." + k, "must be a number");
      auto num = [&](const char* k) {
        return s.contains(k) && s[k].is_number() ? std::optional<double>(s[k].get<double>()) : std::nullopt;
      };
      auto scaled = num("scaled"), raw = num("raw"), min = num("min"), max = num("max");
      if (scaled && (*scaled < -1 || *scaled > 1)) fail("result.score.scaled", "must lie between -1 and 1");
      if (min && max && !(*min < *max)) fail("result.score", "min must be less than max");
      if (raw && min && *raw < *min) fail("result.score.raw", "must not be below min");
      if (raw && max && *raw > *max) fail("result.score.raw", "must not be above max");
    }
    for (const char* k : {"success", "completion"})
      if (r.contains(k) && !r[k].is_boolean()) fail(std::string("result.") + k, "must be true or false");
    if (r.contains("response") && !r["response"].is_string()) fail("result.response", "must be a string");
    if (r.contains("duration") && !is_duration(r["duration"])) fail("result.duration", "must be an ISO 8601 duration");
    if (r.contains("extensions")) extensions(r["extensions"], "result.extensions");
  }

  void context(const json& c, const json& object) {
    if (!c.is_object()) return fail("context", "must be an object");
    only(c, "context",
         {"registration", "instructor", "team", "contextActivities", "revision", "platform", "language", "statement",
          "extensions"});
    if (c.contains("registration") && !is_uuid(c["registration"])) fail("context.registration", "must be a UUID");
    bool activity_object = object.value("objectType", "Activity") == "Activity";
    for (const char* k : {"revision", "platform"}) {
      if (!c.contains(k)) continue;
      if (!c[k].is_string()) fail(std::string("context.") + k, "must be a string");
      if (!activity_object) fail(std::string("context.") + k, "may be given only when the object is an Activity");
    }
    if (c.contains("language") && (!c["language"].is_string() || !is_language_tag(c["language"].get<std::string>())))
      fail("context.language", "must be a language tag (RFC 5646)");
    if (c.contains("instructor")) agent_or_group(c["instructor"], "context.instructor");
    if (c.contains("contextActivities")) {
      const json& ca = c["contextActivities"];
      if (!ca.is_object()) return fail("context.contextActivities", "must be an object");
      only(ca, "context.contextActivities", {"parent", "grouping", "category", "other"});
      for (const auto& [k, v] : ca.items()) {
        std::string p = "context.contextActivities." + k;
        if (v.is_array()) {
          for (std::size_t i = 0; i < v.size(); ++i) activity(v[i], p + "[" + std::to_string(i) + "]");
        } else if (v.is_object()) {
          activity(v, p);
        } else {
          fail(p, "must be an Activity or an array of them");
        }
      }
    }
    if (c.contains("extensions")) extensions(c["extensions"], "context.extensions");
  }
};

}  // namespace

std::string uuid_v5(std::string_view namespace_uuid, std::string_view name) {
  auto ns = uuid_bytes(namespace_uuid);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = ctx != nullptr && EVP_DigestInit_ex(ctx, EVP_sha1(), nullptr) == 1 &&
            EVP_DigestUpdate(ctx, ns.data(), ns.size()) == 1 && EVP_DigestUpdate(ctx, name.data(), name.size()) == 1 &&
            EVP_DigestFinal_ex(ctx, digest.data(), &length) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok || length < 16) throw std::runtime_error("SHA-1 is not available from OpenSSL");
  digest[6] = static_cast<unsigned char>((digest[6] & 0x0f) | 0x50);  // version 5
  digest[8] = static_cast<unsigned char>((digest[8] & 0x3f) | 0x80);  // the RFC 4122 variant
  std::string out;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += fmt::format("{:02x}", digest[static_cast<std::size_t>(i)]);
  }
  return out;
}

std::string path_segment(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~')
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

std::vector<json> statements(const scoring::ScoreResult& r, const delivery::Attempt& attempt, const Options& options) {
  const std::string base = options.activity_base.empty() ? options.home_page : options.activity_base;
  std::string trimmed = base;
  while (!trimmed.empty() && trimmed.back() == '/') trimmed.pop_back();
  const std::string activity_id =
      trimmed + "/assessments/" + path_segment(r.assessment_id) + "/" + path_segment(r.assessment_version);
  const json actor = {{"objectType", "Agent"}, {"account", {{"homePage", options.home_page}, {"name", r.candidate_id}}}};
  const std::string registration = uuid_v5(kNamespace, "registration:" + r.attempt_id);
  json context = {{"registration", registration},
                  {"extensions",
                   {{std::string(kExtension) + "assessment-version", r.assessment_version},
                    {std::string(kExtension) + "assessment-sha256", r.assessment_sha256},
                    {std::string(kExtension) + "attempt-id", r.attempt_id},
                    {std::string(kExtension) + "mode", r.mode}}}};

  std::optional<TimePoint> when = attempt.submitted ? attempt.submitted : attempt.started;

  json s = json::object();
  s["id"] = uuid_v5(kNamespace, "statement:" + r.attempt_id);
  s["actor"] = actor;
  s["verb"] = verb(r.outcome == Outcome::kPass ? "passed" : r.outcome == Outcome::kFail ? "failed" : "completed");
  s["object"] = {
      {"objectType", "Activity"},
      {"id", activity_id},
      {"definition",
       {{"name", language_map(r.assessment_title.empty() ? r.assessment_id : r.assessment_title)}, {"type", kAssessmentType}}}};
  json result = json::object();
  if (r.max > Fraction(0)) result["score"] = score(r.points, r.max);
  if (r.outcome != Outcome::kPending) result["success"] = r.outcome == Outcome::kPass;
  result["completion"] = attempt.submitted.has_value();
  if (attempt.started && attempt.submitted) result["duration"] = duration_text(*attempt.submitted - *attempt.started);
  if (!r.level.empty()) result["extensions"] = {{std::string(kExtension) + "level", r.level}};
  s["result"] = std::move(result);
  s["context"] = context;
  if (when) s["timestamp"] = format_time(*when);

  std::vector<json> out;
  out.push_back(std::move(s));
  if (!options.items) return out;

  for (const auto& it : r.items) {
    if (it.status == ItemStatus::kExcluded) continue;
    json i = json::object();
    i["id"] = uuid_v5(kNamespace, "statement:" + r.attempt_id + "/" + it.id);
    i["actor"] = actor;
    i["verb"] = verb("answered");
    i["object"] = {{"objectType", "Activity"},
                   {"id", activity_id + "/items/" + path_segment(it.id)},
                   {"definition", {{"name", language_map(it.title.empty() ? it.id : it.title)}, {"type", kInteractionType}}}};
    json ir = json::object();
    if (it.max > Fraction(0)) ir["score"] = score(it.points, it.max);
    if (!it.pending && it.max > Fraction(0)) ir["success"] = it.points == it.max;
    ir["completion"] = it.status != ItemStatus::kUnanswered;
    i["result"] = std::move(ir);
    json ic = context;
    ic["contextActivities"] = {{"parent", json::array({{{"objectType", "Activity"}, {"id", activity_id}}})}};
    i["context"] = std::move(ic);
    if (when) i["timestamp"] = format_time(*when);
    out.push_back(std::move(i));
  }
  return out;
}

std::vector<std::string> check_statement(const json& statement) {
  Checker c;
  c.statement(statement);
  return c.problems;
}

}  // namespace assay::xapi
