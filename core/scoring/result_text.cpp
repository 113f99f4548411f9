// The result documents written straight into text, for `assay score` and the server: a fast path
// beside the tree of result_json.cpp. It stays only while bench/scoring shows it pays (its
// "result writer" line: direct against to_json().dump() on the same results, in the same run).
#include <charconv>
#include <nlohmann/json.hpp>
#include <string_view>

#include "assay/results.hpp"
#include "assay/utf8.hpp"

namespace assay::scoring {

using json = nlohmann::json;

// The same documents written straight into text. Members are written in the order the tree's
// std::map gives them (byte order of the keys), strings escaped as nlohmann's dump() escapes them,
// so the bytes are those of to_json(result).dump(); tests/core/scoring/result_json_test.cpp checks
// the two against each other over many generated results.

namespace {

// A string the tree's dump() would refuse (invalid UTF-8): the caller falls back to the tree,
// which then fails exactly as it always has.
struct NotUtf8 {};

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
    if (full_ && !it.title.empty()) member("title", it.title);
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
    out += (full ? to_json(result) : candidate_view(result)).dump();  // throws as the tree always has
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

}  // namespace assay::scoring
