// Reading one attempts line fast. The common case — a well-formed attempt v1 — is read with
// simdjson's validating DOM parser straight into an Attempt. Anything it does not accept as
// plainly valid (bad JSON, a wrong member, a duplicate key, a number it does not represent) is
// read again by the full reader (nlohmann + try_attempt_from_json), so messages, and which lines
// are refused, are exactly those of the full reader. The fast path stays only while
// bench/scoring shows it pays (its "attempt reader" line: this reader against the full one on
// the same lines, in the same run).
#include <simdjson.h>

#include <nlohmann/json.hpp>

#include "assay/delivery.hpp"
#include "assay/io.hpp"

namespace assay::delivery {

namespace {

namespace dom = simdjson::dom;

bool get_string(dom::element e, std::string& out) {
  std::string_view v;
  if (e.get_string().get(v)) return false;
  out.assign(v);
  return true;
}

bool get_seed(dom::element e, std::uint64_t& out) {
  std::string_view v;
  if (e.get_string().get(v)) return false;
  auto s = parse_seed(v);
  if (!s) return false;
  out = *s;
  return true;
}

bool get_time(dom::element e, std::optional<TimePoint>& out) {
  if (e.is_null()) {
    out.reset();
    return true;
  }
  std::string_view v;
  if (e.get_string().get(v)) return false;
  TimePoint t;
  if (!parse_time(v, t)) return false;
  out = t;
  return true;
}

// Member flags: a key seen twice sends the line to the full reader (which keeps the last).
enum : unsigned {
  kSchema = 1u << 0,
  kAttemptId = 1u << 1,
  kCandidateId = 1u << 2,
  kAssessment = 1u << 3,
  kSeed = 1u << 4,
  kForm = 1u << 5,
  kAnswers = 1u << 6,
  kRatings = 1u << 7,
  kStarted = 1u << 8,
  kDeadline = 1u << 9,
  kSubmitted = 1u << 10,
  kMode = 1u << 11,
};
constexpr unsigned kRequired = kSchema | kAttemptId | kCandidateId | kAssessment | kSeed | kForm;

bool read_assessment(dom::element e, Attempt& a) {
  dom::object obj;
  if (e.get_object().get(obj)) return false;
  unsigned seen = 0;
  for (auto [key, value] : obj) {
    unsigned bit = key == "id" ? 1u : key == "version" ? 2u : key == "sha256" ? 4u : 0u;
    if (bit == 0) continue;
    if (seen & bit) return false;
    seen |= bit;
    std::string& dest = bit == 1u ? a.assessment_id : bit == 2u ? a.assessment_version : a.assessment_sha256;
    if (!get_string(value, dest)) return false;
  }
  return seen == 7u;
}

bool read_form(dom::element e, Form& form) {
  dom::array arr;
  if (e.get_array().get(arr)) return false;
  form.items.reserve(arr.size());
  for (dom::element entry : arr) {
    dom::object obj;
    if (entry.get_object().get(obj)) return false;
    FormItem fi;
    unsigned seen = 0;
    for (auto [key, value] : obj) {
      if (key == "item") {
        if ((seen & 1u) || !get_string(value, fi.item_id)) return false;
        seen |= 1u;
      } else if (key == "seed") {
        if ((seen & 2u) || !get_seed(value, fi.seed)) return false;
        seen |= 2u;
      }
    }
    if (seen != 3u) return false;
    form.items.push_back(std::move(fi));
  }
  return true;
}

// The text of each response as it stands in the line, in document order. The line has passed
// the validating DOM parse already; this second, on-demand pass only finds where each value of
// the top-level "answers" object begins and ends, so responses reach the plugins without being
// rebuilt. The views point into a per-thread buffer that the next call reuses. False when the
// member cannot be found this way.
bool response_texts(std::string_view text, std::vector<std::string_view>& out) {
  namespace od = simdjson::ondemand;
  thread_local od::parser parser;
  thread_local std::string padded;
  padded.assign(text);
  padded.append(simdjson::SIMDJSON_PADDING, ' ');
  od::document doc;
  od::object top;
  if (parser.iterate(padded.data(), text.size(), padded.size()).get(doc) || doc.get_object().get(top)) return false;
  out.clear();
  for (auto member : top) {
    od::field field;
    std::string_view key;
    if (std::move(member).get(field) || field.unescaped_key().get(key)) return false;
    if (key != "answers") continue;
    od::object answers;
    if (field.value().get_object().get(answers)) return false;
    for (auto answer : answers) {
      od::field f;
      od::value v;
      od::json_type type;
      if (std::move(answer).get(f)) return false;
      v = f.value();
      if (v.type().get(type)) return false;
      std::string_view raw;
      if (type == od::json_type::object) {
        od::object o;
        if (v.get_object().get(o) || o.raw_json().get(raw)) return false;
      } else if (type == od::json_type::array) {
        od::array a;
        if (v.get_array().get(a) || a.raw_json().get(raw)) return false;
      } else {
        raw = v.raw_json_token();
      }
      while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t' || raw.back() == '\n' || raw.back() == '\r'))
        raw.remove_suffix(1);
      out.push_back(raw);
    }
    return true;
  }
  return true;  // no answers: nothing to find
}

bool read_answers(dom::element e, std::string_view line, std::map<std::string, std::string>& answers) {
  dom::object obj;
  if (e.get_object().get(obj)) return false;
  thread_local std::vector<std::string_view> texts;
  if (!response_texts(line, texts) || texts.size() != obj.size()) return false;
  std::size_t i = 0;
  for (auto [key, value] : obj) {
    (void)value;
    if (!answers.emplace(std::string(key), std::string(texts[i++])).second) return false;
  }
  return true;
}

bool read_ratings(dom::element e, std::map<std::string, std::map<std::string, std::string>>& ratings) {
  dom::object obj;
  if (e.get_object().get(obj)) return false;
  for (auto [item, by_criterion] : obj) {
    dom::object levels;
    if (by_criterion.get_object().get(levels)) return false;
    auto [it, fresh] = ratings.try_emplace(std::string(item));
    if (!fresh) return false;
    for (auto [criterion, level] : levels) {
      std::string name;
      if (!get_string(level, name)) return false;
      if (!it->second.emplace(std::string(criterion), std::move(name)).second) return false;
    }
  }
  return true;
}

// The attempt when the line is a plainly valid attempt v1; nullopt sends it to the full reader.
std::optional<Attempt> read_fast(std::string_view text) {
  thread_local dom::parser parser;
  dom::element root;
  if (parser.parse(text.data(), text.size()).get(root)) return std::nullopt;
  dom::object obj;
  if (root.get_object().get(obj)) return std::nullopt;
  Attempt a;
  unsigned seen = 0;
  for (auto [key, value] : obj) {
    unsigned bit = 0;
    bool ok = true;
    if (key == "attempt") {
      bit = kSchema;
      std::int64_t v = 0;
      ok = value.is_int64() && !value.get_int64().get(v) && v == 1;
    } else if (key == "attempt_id") {
      bit = kAttemptId;
      ok = get_string(value, a.attempt_id);
    } else if (key == "candidate_id") {
      bit = kCandidateId;
      ok = get_string(value, a.candidate_id);
    } else if (key == "assessment") {
      bit = kAssessment;
      ok = read_assessment(value, a);
    } else if (key == "seed") {
      bit = kSeed;
      ok = get_seed(value, a.seed);
    } else if (key == "form") {
      bit = kForm;
      ok = read_form(value, a.form);
    } else if (key == "answers") {
      bit = kAnswers;
      ok = read_answers(value, text, a.answers);
    } else if (key == "ratings") {
      bit = kRatings;
      ok = read_ratings(value, a.ratings);
    } else if (key == "started") {
      bit = kStarted;
      ok = get_time(value, a.started);
    } else if (key == "deadline") {
      bit = kDeadline;
      ok = get_time(value, a.deadline);
    } else if (key == "submitted") {
      bit = kSubmitted;
      ok = get_time(value, a.submitted);
    } else if (key == "mode") {
      bit = kMode;
      std::string_view mode;
      ok = !value.get_string().get(mode) && (mode == "screening" || mode == "practice");
      if (ok) a.mode.assign(mode);
    }
    if (!ok || (seen & bit)) return std::nullopt;
    seen |= bit;
  }
  if ((seen & kRequired) != kRequired) return std::nullopt;
  return a;
}

}  // namespace

AttemptLine parse_attempt_line(const std::string& file, const io::Line& line) {
  AttemptLine out;
  if (auto fast = read_fast(line.text)) {
    out.attempt = std::move(*fast);
    return out;
  }
  auto j = io::parse_json_line(file, line);
  if (!j) {
    out.json_error = std::move(j.error());
    return out;
  }
  auto a = try_attempt_from_json(j.value());
  if (a)
    out.attempt = std::move(a.value());
  else
    out.errors = std::move(a.error());
  return out;
}

}  // namespace assay::delivery
