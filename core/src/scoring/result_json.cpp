#include <charconv>
#include <nlohmann/json.hpp>
#include <string_view>

#include "assay/delivery.hpp"
#include "assay/results.hpp"

namespace assay::scoring {

using json = nlohmann::json;

const char* to_string(ItemStatus status) {
  switch (status) {
    case ItemStatus::kScored:
      return "scored";
    case ItemStatus::kUnanswered:
      return "unanswered";
    case ItemStatus::kInvalid:
      return "invalid";
    case ItemStatus::kExcluded:
      return "excluded";
  }
  return "scored";
}

const char* to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPass:
      return "pass";
    case Outcome::kFail:
      return "fail";
    case Outcome::kPending:
      return "pending";
  }
  return "pending";
}

namespace {

json reason_json(const Reason& r, bool with_criterion) {
  json j = {{"code", r.code}, {"text", r.text}};
  if (!r.item.empty()) j["item"] = r.item;
  if (with_criterion && !r.criterion.empty()) j["criterion"] = r.criterion;
  if (!r.competency.empty()) j["competency"] = r.competency;
  return j;
}

json total_json(const Total& t) {
  json j = {{"id", t.id},
            {"title", t.title},
            {"points", t.points.to_string()},
            {"max", t.max.to_string()},
            {"percent", t.percent.to_string()},
            {"percent_display", t.percent.to_decimal(1)}};
  if (t.min_percent) j["min_percent"] = t.min_percent->to_string();
  return j;
}

json reasons_json(const std::vector<Reason>& rs, bool with_criterion) {
  json a = json::array();
  for (const auto& r : rs) a.push_back(reason_json(r, with_criterion));
  return a;
}

json build(const ScoreResult& r, bool full) {
  json j = json::object();
  j["result"] = 1;
  j["view"] = full ? "full" : "candidate";
  j["attempt_id"] = r.attempt_id;
  j["candidate_id"] = r.candidate_id;
  j["assessment"] = {
      {"id", r.assessment_id}, {"version", r.assessment_version}, {"sha256", r.assessment_sha256}, {"title", r.assessment_title}};
  j["mode"] = r.mode;
  if (full) j["plugins"] = r.plugins;
  j["outcome"] = to_string(r.outcome);
  j["level"] = r.level.empty() ? json(nullptr) : json(r.level);
  j["points"] = r.points.to_string();
  j["max"] = r.max.to_string();
  j["percent"] = r.percent.to_string();
  j["percent_display"] = r.percent.to_decimal(1);
  j["pass_percent"] = r.pass_percent.to_string();
  j["reasons"] = reasons_json(r.reasons, full);
  j["pending"] = reasons_json(r.pending, full);
  j["problems"] = reasons_json(r.problems, full);
  json excluded = json::array();
  for (const auto& e : r.excluded) excluded.push_back({{"item", e.item}, {"reason", e.reason}});
  j["excluded"] = std::move(excluded);
  json sections = json::array();
  for (const auto& t : r.sections) sections.push_back(total_json(t));
  j["sections"] = std::move(sections);
  json competencies = json::array();
  for (const auto& t : r.competencies) competencies.push_back(total_json(t));
  j["competencies"] = std::move(competencies);
  json items = json::array();
  for (const auto& it : r.items) {
    json i = {{"id", it.id},
              {"section", it.section},
              {"competency", it.competency},
              {"type", it.type},
              {"seed", std::to_string(it.seed)},
              {"status", to_string(it.status)},
              {"critical", it.critical},
              {"weight", it.weight.to_string()},
              {"points", it.points.to_string()},
              {"max", it.max.to_string()},
              {"pending", it.pending}};
    if (it.status == ItemStatus::kExcluded) i["exclusion"] = it.exclusion;
    if (full) {
      json cs = json::array();
      for (const auto& c : it.criteria) {
        json cj = {{"id", c.id},
                   {"points", c.points},
                   {"critical", c.critical},
                   {"rated", c.rated},
                   {"credit", c.credit ? json(c.credit->to_string()) : json(nullptr)},
                   {"earned", c.earned.to_string()}};
        if (!c.level.empty()) cj["level"] = c.level;
        cs.push_back(std::move(cj));
      }
      i["criteria"] = std::move(cs);
      if (!it.response.empty()) {
        // A response that is not JSON cannot reach scoring (attempts are JSON), but stay safe.
        json parsed = json::parse(it.response, nullptr, false);
        i["response"] = parsed.is_discarded() ? json(it.response) : parsed;
      }
      if (!it.feedback.empty()) i["feedback"] = it.feedback;
    }
    items.push_back(std::move(i));
  }
  j["items"] = std::move(items);
  return j;
}

struct Reader {
  std::vector<std::string> errors;

  template <class T>
  T get(const json& obj, const std::string& path, const char* key, T fallback = T{}) {
    auto it = obj.find(key);
    std::string where = path.empty() ? key : path + "." + key;
    if (it == obj.end()) {
      errors.push_back(where + ": missing");
      return fallback;
    }
    try {
      return it->get<T>();
    } catch (const json::exception&) {
      errors.push_back(where + ": expected " + expected<T>() + ", found " + it->dump());
      return fallback;
    }
  }

  template <class T>
  static const char* expected() {
    if constexpr (std::is_same_v<T, bool>) return "a boolean";
    if constexpr (std::is_integral_v<T>) return "an integer";
    return "a string";
  }

  Fraction fraction(const json& obj, const std::string& path, const char* key) {
    std::string text = get<std::string>(obj, path, key, "0");
    auto f = Fraction::parse(text);
    if (!f) {
      errors.push_back((path.empty() ? key : path + "." + key) + std::string(": expected an exact number (\"7/2\"), found \"") +
                       text + "\"");
      return Fraction();
    }
    return *f;
  }

  std::vector<Reason> reasons(const json& obj, const char* key) {
    std::vector<Reason> out;
    auto it = obj.find(key);
    if (it == obj.end() || !it->is_array()) {
      errors.push_back(std::string(key) + ": expected an array");
      return out;
    }
    for (std::size_t i = 0; i < it->size(); ++i) {
      const json& r = (*it)[i];
      std::string path = std::string(key) + "[" + std::to_string(i) + "]";
      Reason reason;
      reason.code = get<std::string>(r, path, "code");
      reason.text = get<std::string>(r, path, "text");
      reason.item = r.value("item", "");
      reason.criterion = r.value("criterion", "");
      reason.competency = r.value("competency", "");
      out.push_back(std::move(reason));
    }
    return out;
  }

  std::vector<Total> totals(const json& obj, const char* key) {
    std::vector<Total> out;
    auto it = obj.find(key);
    if (it == obj.end() || !it->is_array()) {
      errors.push_back(std::string(key) + ": expected an array");
      return out;
    }
    for (std::size_t i = 0; i < it->size(); ++i) {
      const json& t = (*it)[i];
      std::string path = std::string(key) + "[" + std::to_string(i) + "]";
      Total total;
      total.id = get<std::string>(t, path, "id");
      total.title = get<std::string>(t, path, "title");
      total.points = fraction(t, path, "points");
      total.max = fraction(t, path, "max");
      total.percent = fraction(t, path, "percent");
      if (t.contains("min_percent")) total.min_percent = fraction(t, path, "min_percent");
      out.push_back(std::move(total));
    }
    return out;
  }
};

}  // namespace

json to_json(const ScoreResult& result) { return build(result, true); }

json candidate_view(const ScoreResult& result) { return build(result, false); }

// ---------------------------------------------------------------------------------------------
// The same documents written straight into text. Members are written in the order the tree's
// std::map gives them (byte order of the keys), strings escaped as nlohmann's dump() escapes them,
// so the bytes are those of to_json(result).dump(); tests/core/scoring/result_text_test.cpp checks
// the two against each other over many generated results.

namespace {

// A string the tree's dump() would refuse (invalid UTF-8): the caller falls back to the tree,
// which then fails exactly as it always has.
struct NotUtf8 {};

// Length of the well-formed UTF-8 sequence at s[i] (Unicode table 3-7, as nlohmann's decoder
// accepts), or 0.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  auto at = [&](std::size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u; };
  auto tail = [](unsigned c) { return c >= 0x80 && c <= 0xBF; };
  unsigned c = at(0);
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return tail(at(1)) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    unsigned lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    return at(1) >= lo && at(1) <= hi && tail(at(2)) ? 3 : 0;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    return at(1) >= lo && at(1) <= hi && tail(at(2)) && tail(at(3)) ? 4 : 0;
  }
  return 0;
}

void put_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  std::size_t run = 0;  // start of the bytes not yet copied
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      std::size_t len = utf8_sequence(s, i);
      if (len == 0) throw NotUtf8{};
      i += len;
      continue;
    }
    out.append(s.data() + run, i - run);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default: {
        const char esc[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        out.append(esc, sizeof esc);
      }
    }
    run = ++i;
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

void put_digits(std::string& out, Fraction::Int v) {  // v >= 0
  char buf[48];
  char* p = buf + sizeof buf;
  do {
    *--p = static_cast<char>('0' + static_cast<int>(v % 10));
    v /= 10;
  } while (v > 0);
  out.append(p, static_cast<std::size_t>(buf + sizeof buf - p));
}

// Fraction::to_string() as a JSON string.
void put_fraction(std::string& out, const Fraction& f) {
  out += '"';
  if (f.num() < 0) {
    out += '-';
    put_digits(out, -f.num());
  } else {
    put_digits(out, f.num());
  }
  if (!f.is_integer()) {
    out += '/';
    put_digits(out, f.den());
  }
  out += '"';
}

template <class Int>
void put_integer(std::string& out, Int v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;
  out.append(buf, end);
}

void put_bool(std::string& out, bool b) { out += b ? "true" : "false"; }

// Whether `t` is already what dump() writes for json::parse(t): no whitespace, object keys in
// byte order without escapes, strings with only the escapes dump() writes for control
// characters it names (\b \f \n \r \t), quotes and backslashes, integers of at most 18 digits
// (no "-0"), no other numbers. Anything else goes through parse and dump.
class CanonicalJson {
 public:
  static bool check(std::string_view t) {
    CanonicalJson c{t};
    return c.value(0) && c.i_ == t.size();
  }

 private:
  explicit CanonicalJson(std::string_view t) : t_(t) {}

  bool value(int depth) {
    if (i_ >= t_.size() || depth > 64) return false;
    switch (t_[i_]) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string(nullptr);
      case 't':
        return literal("true");
      case 'f':
        return literal("false");
      case 'n':
        return literal("null");
      default:
        return number();
    }
  }

  bool object(int depth) {
    ++i_;
    if (i_ < t_.size() && t_[i_] == '}') return ++i_, true;
    std::string_view last;
    bool first = true;
    for (;;) {
      std::string_view key;
      if (i_ >= t_.size() || t_[i_] != '"' || !string(&key)) return false;
      if (key.find('\\') != std::string_view::npos || (!first && !(last < key))) return false;
      last = key;
      first = false;
      if (i_ >= t_.size() || t_[i_] != ':') return false;
      ++i_;
      if (!value(depth + 1)) return false;
      if (i_ >= t_.size()) return false;
      if (t_[i_] == '}') return ++i_, true;
      if (t_[i_] != ',') return false;
      ++i_;
    }
  }

  bool array(int depth) {
    ++i_;
    if (i_ < t_.size() && t_[i_] == ']') return ++i_, true;
    for (;;) {
      if (!value(depth + 1)) return false;
      if (i_ >= t_.size()) return false;
      if (t_[i_] == ']') return ++i_, true;
      if (t_[i_] != ',') return false;
      ++i_;
    }
  }

  // A string at t_[i_] == '"'; its raw text (between the quotes) into *raw.
  bool string(std::string_view* raw) {
    std::size_t start = ++i_;
    while (i_ < t_.size()) {
      auto c = static_cast<unsigned char>(t_[i_]);
      if (c == '"') {
        if (raw != nullptr) *raw = t_.substr(start, i_ - start);
        ++i_;
        return true;
      }
      if (c < 0x20) return false;
      if (c == '\\') {
        if (i_ + 1 >= t_.size()) return false;
        char e = t_[i_ + 1];
        if (e != '"' && e != '\\' && e != 'b' && e != 'f' && e != 'n' && e != 'r' && e != 't') return false;
        i_ += 2;
        continue;
      }
      if (c >= 0x80) {
        std::size_t len = utf8_sequence(t_, i_);
        if (len == 0) return false;
        i_ += len;
        continue;
      }
      ++i_;
    }
    return false;
  }

  bool literal(std::string_view word) {
    if (t_.substr(i_, word.size()) != word) return false;
    i_ += word.size();
    return true;
  }

  bool number() {
    std::size_t start = i_;
    if (t_[i_] == '-') ++i_;
    std::size_t digits = i_;
    while (i_ < t_.size() && t_[i_] >= '0' && t_[i_] <= '9') ++i_;
    std::size_t n = i_ - digits;
    if (n == 0 || n > 18) return false;
    if (t_[digits] == '0' && (n > 1 || digits != start)) return false;  // "01", "-0"
    return i_ >= t_.size() || (t_[i_] != '.' && t_[i_] != 'e' && t_[i_] != 'E');
  }

  std::string_view t_;
  std::size_t i_ = 0;
};

// The response as the tree writes it: parsed and dumped again (a text that is not JSON as a
// string), skipping the parse when the text is already in that form.
void put_response(std::string& out, const std::string& response) {
  if (CanonicalJson::check(response)) {
    out += response;
    return;
  }
  json parsed = json::parse(response, nullptr, false);
  out += parsed.is_discarded() ? json(response).dump() : parsed.dump();
}

class Writer {
 public:
  Writer(std::string& out, bool full) : out_(out), full_(full) {}

  void result(const ScoreResult& r) {
    open('{');
    key("assessment");
    open('{');
    member("id", r.assessment_id);
    member("sha256", r.assessment_sha256);
    member("title", r.assessment_title);
    member("version", r.assessment_version);
    close('}');
    member("attempt_id", r.attempt_id);
    member("candidate_id", r.candidate_id);
    key("competencies");
    totals(r.competencies);
    key("excluded");
    open('[');
    for (const auto& e : r.excluded) {
      element();
      open('{');
      member("item", e.item);
      member("reason", e.reason);
      close('}');
    }
    close(']');
    key("items");
    open('[');
    for (const auto& it : r.items) {
      element();
      item(it);
    }
    close(']');
    key("level");
    if (r.level.empty())
      out_ += "null";
    else
      put_string(out_, r.level);
    fraction("max", r.max);
    member("mode", r.mode);
    member("outcome", to_string(r.outcome));
    fraction("pass_percent", r.pass_percent);
    key("pending");
    reasons(r.pending);
    fraction("percent", r.percent);
    member("percent_display", r.percent.to_decimal(1));
    if (full_) {
      key("plugins");
      open('{');
      for (const auto& [name, version] : r.plugins) member(name, version);
      close('}');
    }
    fraction("points", r.points);
    key("problems");
    reasons(r.problems);
    key("reasons");
    reasons(r.reasons);
    key("result");
    out_ += '1';
    key("sections");
    totals(r.sections);
    member("view", full_ ? "full" : "candidate");
    close('}');
  }

 private:
  void open(char c) {
    out_ += c;
    first_ = true;
  }
  void close(char c) {
    out_ += c;
    first_ = false;
  }
  void element() {
    if (!first_) out_ += ',';
    first_ = false;
  }
  void key(std::string_view k) {
    element();
    put_string(out_, k);
    out_ += ':';
  }
  void member(std::string_view k, std::string_view v) {
    key(k);
    put_string(out_, v);
  }
  void fraction(std::string_view k, const Fraction& f) {
    key(k);
    put_fraction(out_, f);
  }

  void reasons(const std::vector<Reason>& rs) {
    open('[');
    for (const auto& r : rs) {
      element();
      open('{');
      member("code", r.code);
      if (!r.competency.empty()) member("competency", r.competency);
      if (full_ && !r.criterion.empty()) member("criterion", r.criterion);
      if (!r.item.empty()) member("item", r.item);
      member("text", r.text);
      close('}');
    }
    close(']');
  }

  void totals(const std::vector<Total>& ts) {
    open('[');
    for (const auto& t : ts) {
      element();
      open('{');
      member("id", t.id);
      fraction("max", t.max);
      if (t.min_percent) fraction("min_percent", *t.min_percent);
      fraction("percent", t.percent);
      member("percent_display", t.percent.to_decimal(1));
      fraction("points", t.points);
      member("title", t.title);
      close('}');
    }
    close(']');
  }

  void item(const ItemResult& it) {
    open('{');
    member("competency", it.competency);
    if (full_) {
      key("criteria");
      open('[');
      for (const auto& c : it.criteria) {
        element();
        open('{');
        key("credit");
        if (c.credit)
          put_fraction(out_, *c.credit);
        else
          out_ += "null";
        key("critical");
        put_bool(out_, c.critical);
        fraction("earned", c.earned);
        member("id", c.id);
        if (!c.level.empty()) member("level", c.level);
        key("points");
        put_integer(out_, c.points);
        key("rated");
        put_bool(out_, c.rated);
        close('}');
      }
      close(']');
    }
    key("critical");
    put_bool(out_, it.critical);
    if (it.status == ItemStatus::kExcluded) member("exclusion", it.exclusion);
    if (full_ && !it.feedback.empty()) member("feedback", it.feedback);
    member("id", it.id);
    fraction("max", it.max);
    key("pending");
    put_bool(out_, it.pending);
    fraction("points", it.points);
    if (full_ && !it.response.empty()) {
      key("response");
      put_response(out_, it.response);
    }
    member("section", it.section);
    key("seed");
    out_ += '"';
    put_integer(out_, it.seed);
    out_ += '"';
    member("status", to_string(it.status));
    member("type", it.type);
    fraction("weight", it.weight);
    close('}');
  }

  std::string& out_;
  bool full_;
  bool first_ = true;
};

void append_text(std::string& out, const ScoreResult& result, bool full) {
  std::size_t mark = out.size();
  try {
    Writer(out, full).result(result);
  } catch (const NotUtf8&) {
    out.resize(mark);
    out += build(result, full).dump();  // throws as the tree always has
  }
}

}  // namespace

void append_json_text(std::string& out, const ScoreResult& result) { append_text(out, result, true); }

std::string to_json_text(const ScoreResult& result) {
  std::string out;
  append_text(out, result, true);
  return out;
}

std::string candidate_view_text(const ScoreResult& result) {
  std::string out;
  append_text(out, result, false);
  return out;
}

Result<ScoreResult, std::vector<std::string>> try_result_from_json(const json& j) {
  if (!j.is_object()) return std::vector<std::string>{"expected a result object, found " + j.dump()};
  Reader rd;
  ScoreResult r;
  if (j.value("result", 0) != 1) rd.errors.push_back("result: expected schema version 1");
  if (j.value("view", "") != "full") rd.errors.push_back("view: expected \"full\" (a candidate view cannot be read back)");
  r.attempt_id = rd.get<std::string>(j, "", "attempt_id");
  r.candidate_id = rd.get<std::string>(j, "", "candidate_id");
  if (auto as = j.find("assessment"); as != j.end() && as->is_object()) {
    r.assessment_id = rd.get<std::string>(*as, "assessment", "id");
    r.assessment_version = rd.get<std::string>(*as, "assessment", "version");
    r.assessment_sha256 = rd.get<std::string>(*as, "assessment", "sha256");
    r.assessment_title = as->value("title", "");
  } else {
    rd.errors.push_back("assessment: expected an object");
  }
  r.mode = j.value("mode", "screening");
  if (auto p = j.find("plugins"); p != j.end() && p->is_object())
    for (const auto& [name, version] : p->items())
      if (version.is_string()) r.plugins[name] = version.get<std::string>();
  std::string outcome = rd.get<std::string>(j, "", "outcome");
  if (outcome == "pass")
    r.outcome = Outcome::kPass;
  else if (outcome == "fail")
    r.outcome = Outcome::kFail;
  else if (outcome == "pending")
    r.outcome = Outcome::kPending;
  else
    rd.errors.push_back("outcome: expected \"pass\", \"fail\" or \"pending\", found \"" + outcome + "\"");
  if (auto l = j.find("level"); l != j.end() && l->is_string()) r.level = l->get<std::string>();
  r.points = rd.fraction(j, "", "points");
  r.max = rd.fraction(j, "", "max");
  r.percent = rd.fraction(j, "", "percent");
  r.pass_percent = rd.fraction(j, "", "pass_percent");
  r.reasons = rd.reasons(j, "reasons");
  r.pending = rd.reasons(j, "pending");
  r.problems = rd.reasons(j, "problems");
  if (auto ex = j.find("excluded"); ex != j.end() && ex->is_array())
    for (const auto& e : *ex) r.excluded.push_back({e.value("item", ""), e.value("reason", "")});
  r.sections = rd.totals(j, "sections");
  r.competencies = rd.totals(j, "competencies");
  auto items = j.find("items");
  if (items == j.end() || !items->is_array()) {
    rd.errors.push_back("items: expected an array");
  } else {
    for (std::size_t i = 0; i < items->size(); ++i) {
      const json& it = (*items)[i];
      std::string path = "items[" + std::to_string(i) + "]";
      ItemResult ir;
      ir.id = rd.get<std::string>(it, path, "id");
      ir.section = rd.get<std::string>(it, path, "section");
      ir.competency = rd.get<std::string>(it, path, "competency");
      ir.type = rd.get<std::string>(it, path, "type");
      if (auto seed = delivery::parse_seed(it.value("seed", "")))
        ir.seed = *seed;
      else
        rd.errors.push_back(path + ".seed: expected a decimal string");
      std::string status = rd.get<std::string>(it, path, "status");
      if (status == "scored")
        ir.status = ItemStatus::kScored;
      else if (status == "unanswered")
        ir.status = ItemStatus::kUnanswered;
      else if (status == "invalid")
        ir.status = ItemStatus::kInvalid;
      else if (status == "excluded")
        ir.status = ItemStatus::kExcluded;
      else
        rd.errors.push_back(path + ".status: unknown status \"" + status + "\"");
      ir.critical = rd.get<bool>(it, path, "critical");
      ir.weight = rd.fraction(it, path, "weight");
      ir.points = rd.fraction(it, path, "points");
      ir.max = rd.fraction(it, path, "max");
      ir.pending = rd.get<bool>(it, path, "pending");
      ir.exclusion = it.value("exclusion", "");
      ir.feedback = it.value("feedback", "");
      if (auto resp = it.find("response"); resp != it.end()) ir.response = resp->dump();
      if (auto cs = it.find("criteria"); cs != it.end() && cs->is_array()) {
        for (std::size_t k = 0; k < cs->size(); ++k) {
          const json& c = (*cs)[k];
          std::string cp = path + ".criteria[" + std::to_string(k) + "]";
          CriterionResult cr;
          cr.id = rd.get<std::string>(c, cp, "id");
          cr.points = rd.get<std::int64_t>(c, cp, "points");
          cr.critical = rd.get<bool>(c, cp, "critical");
          cr.rated = rd.get<bool>(c, cp, "rated");
          if (auto cj = c.find("credit"); cj != c.end() && !cj->is_null()) cr.credit = rd.fraction(c, cp, "credit");
          cr.earned = rd.fraction(c, cp, "earned");
          cr.level = c.value("level", "");
          ir.criteria.push_back(std::move(cr));
        }
      }
      r.items.push_back(std::move(ir));
    }
  }
  if (!rd.errors.empty()) return rd.errors;
  return r;
}

}  // namespace assay::scoring
