#include "assay/json_schema.hpp"

#include <re2/re2.h>
#include <algorithm>
#include <assay/sdk/params.hpp>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <stdexcept>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "assay/diagnostic.hpp"
#include "assay/utf8.hpp"
#include "json_schema_internal.hpp"

namespace assay {

namespace schema_internal {

// The words users see elsewhere for the same kinds: a TOML author reads the same text whether
// the engine or the plugin found the problem.
const char* found_kind(const json& j) { return sdk::json_kind(j); }

const char* expected_kind(const std::string& type) {
  if (type == "null") return "nothing";
  if (type == "object") return "a table";
  if (type == "array") return "an array";
  if (type == "string") return "a string";
  if (type == "boolean") return "a boolean";
  if (type == "integer") return "an integer";
  if (type == "number") return "a number";
  return "an unknown type";
}

bool has_type(const json& j, const std::string& type) {
  if (type == "null") return j.is_null();
  if (type == "object") return j.is_object();
  if (type == "array") return j.is_array();
  if (type == "string") return j.is_string();
  if (type == "boolean") return j.is_boolean();
  if (type == "number") return j.is_number();
  if (type == "integer") {
    if (j.is_number_integer()) return true;
    // 2020-12: a number with a zero fractional part is an integer.
    if (j.is_number_float()) {
      double d = j.get<double>();
      return std::isfinite(d) && std::floor(d) == d;
    }
  }
  return false;
}

/// A value quoted in a message: long text is cut (at a character boundary) so that a message
/// never echoes a stranger's megabyte back.
std::string shown(const std::string& s) {
  constexpr std::size_t kShown = 60;
  if (s.size() <= kShown) return s;
  return std::string(utf8_prefix(s, kShown)) + "... (" + std::to_string(s.size()) + " bytes)";
}

/// "'a', 'b' or 'c'"-style lists: strings in single quotes, other values as JSON.
std::string show(const json& v) { return v.is_string() ? "'" + shown(v.get<std::string>()) + "'" : shown(v.dump()); }

std::string join_or(const std::vector<std::string>& words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? " or " : ", ";
    out += words[i];
  }
  return out;
}

std::string plural(std::size_t n, const char* one, const char* many) { return std::to_string(n) + " " + (n == 1 ? one : many); }

/// Compares two JSON numbers: integers exactly, anything else as double.
int compare_numbers(const json& a, const json& b) {
  if (a.is_number_integer() && b.is_number_integer()) {
    if (a.is_number_unsigned() || b.is_number_unsigned()) {
      // One may exceed int64: compare signs first.
      bool an = !a.is_number_unsigned() && a.get<std::int64_t>() < 0;
      bool bn = !b.is_number_unsigned() && b.get<std::int64_t>() < 0;
      if (an != bn) return an ? -1 : 1;
      if (an) {
        auto x = a.get<std::int64_t>(), y = b.get<std::int64_t>();
        return (x > y) - (x < y);
      }
      auto x = a.get<std::uint64_t>(), y = b.get<std::uint64_t>();
      return (x > y) - (x < y);
    }
    auto x = a.get<std::int64_t>(), y = b.get<std::int64_t>();
    return (x > y) - (x < y);
  }
  double x = a.get<double>(), y = b.get<double>();
  return (x > y) - (x < y);
}

/// A non-negative integer, or a float with no fraction (2020-12: 2.0 is the integer 2).
std::optional<std::size_t> as_count(const json& j) {
  if (j.is_number_unsigned()) return static_cast<std::size_t>(j.get<std::uint64_t>());
  if (j.is_number_integer()) {
    auto n = j.get<std::int64_t>();
    if (n < 0) return std::nullopt;
    return static_cast<std::size_t>(n);
  }
  if (j.is_number_float()) {
    double d = j.get<double>();
    if (!std::isfinite(d) || d < 0 || std::floor(d) != d || d > 1.8e19) return std::nullopt;
    return static_cast<std::size_t>(d);
  }
  return std::nullopt;
}

/// A count keyword's value (minItems, maxLength, ...); nullopt when absent or not a count.
std::optional<std::size_t> count_of(const json& schema, const char* keyword) {
  auto it = schema.find(keyword);
  if (it == schema.end()) return std::nullopt;
  return as_count(*it);
}

/// Whether `v` is a whole multiple of `m` (m > 0): exactly for integers; for other numbers, the
/// quotient within a relative 1e-9 of a whole number (and finite).
bool multiple_of(const json& v, const json& m) {
  if (v.is_number_integer() && m.is_number_integer()) {
    if (m.is_number_unsigned() || m.get<std::int64_t>() > 0) {
      auto mm = m.get<std::uint64_t>();
      if (v.is_number_unsigned()) return v.get<std::uint64_t>() % mm == 0;
      auto x = v.get<std::int64_t>();
      std::uint64_t magnitude = x < 0 ? 0 - static_cast<std::uint64_t>(x) : static_cast<std::uint64_t>(x);
      return magnitude % mm == 0;
    }
  }
  double q = v.get<double>() / m.get<double>();
  if (!std::isfinite(q)) return false;
  return std::fabs(q - std::round(q)) <= 1e-9 * std::max(1.0, std::fabs(q));
}

/// A schema's `pattern`, compiled once per process. RE2 matches in time linear in the text and
/// never recurses per character, so no candidate's answer can exhaust the stack; null when RE2
/// does not accept the pattern (its error is kept for the message).

const CompiledPattern& compiled(const std::string& pattern) {
  thread_local std::unordered_map<std::string, const CompiledPattern*> seen;  // no lock on a hit
  if (auto it = seen.find(pattern); it != seen.end()) return *it->second;
  static std::mutex mutex;
  static std::unordered_map<std::string, std::unique_ptr<CompiledPattern>> cache;
  std::lock_guard lock(mutex);
  auto& slot = cache[pattern];
  if (!slot) {
    slot = std::make_unique<CompiledPattern>();
    RE2::Options options;
    options.set_log_errors(false);
    auto re = std::make_unique<RE2>(pattern, options);
    if (re->ok())
      slot->re = std::move(re);
    else
      slot->error = re->error();
  }
  seen.emplace(pattern, slot.get());
  return *slot;
}

// The keywords: those the validator checks, and those it accepts as annotations.

/// Violations are told apart by pointer and message.
bool same(const SchemaViolation& a, const SchemaViolation& b) { return a.pointer == b.pointer && a.message == b.message; }

/// Appends `more` to `out`, leaving out what out[from..] already says.
void merge(std::vector<SchemaViolation>& out, std::size_t from, const std::vector<SchemaViolation>& more) {
  if (more.empty()) return;
  if (out.size() - from + more.size() <= 16) {
    for (const auto& v : more) {
      bool seen = false;
      for (std::size_t i = from; i < out.size() && !seen; ++i) seen = same(out[i], v);
      if (!seen) out.push_back(v);
    }
    return;
  }
  // Many violations (a long answer, every member wrong): a set keeps this linear.
  std::unordered_set<std::string> seen;
  auto key = [](const SchemaViolation& v) { return v.pointer + '\0' + v.message; };
  for (std::size_t i = from; i < out.size(); ++i) seen.insert(key(out[i]));
  for (const auto& v : more)
    if (seen.insert(key(v)).second) out.push_back(v);
}

struct PairHash {
  std::size_t operator()(const std::pair<const json*, const json*>& p) const {
    return std::hash<const void*>()(p.first) * 31 + std::hash<const void*>()(p.second);
  }
};

/// What one validate_json call shares across documents: the results of $ref targets per value
/// (so a schema reached by many paths is evaluated once per value), the targets being evaluated
/// (a target met again for the same value is a loop), and the steps taken.
struct State {
  using Key = std::pair<const json*, const json*>;  // (schema, value)
  std::unordered_map<Key, std::vector<SchemaViolation>, PairHash> done;
  std::unordered_map<Key, bool, PairHash> active;
  std::size_t steps = 0;
  bool exhausted = false;
};

// Deeper than this, the value nests more than any params or answer needs.
// Enough for a large presentation; past it, evaluation stops with a message.
constexpr std::size_t kMaxSteps = 2'000'000;

class Validator {
 public:
  Validator(const json& root, State& state) : root_(root), state_(state) {}

  void check(const json& schema, const json& v, const std::string& ptr, std::vector<SchemaViolation>& out, int depth = 0) const {
    if (++state_.steps > kMaxSteps) {
      if (!state_.exhausted) out.push_back({ptr, "the schema takes too many steps to check this value", ""});
      state_.exhausted = true;
      return;
    }
    if (depth > kMaxDepth) {
      out.push_back({ptr, "the value nests more than " + std::to_string(kMaxDepth) + " levels deep", ""});
      return;
    }
    if (schema.is_boolean()) {
      if (!schema.get<bool>()) out.push_back({ptr, "no value is allowed here", ""});
      return;
    }
    if (!schema.is_object()) return;
    const std::size_t start = out.size();

    if (auto ref = schema.find("$ref"); ref != schema.end() && ref->is_string()) {
      const auto& text = ref->get_ref<const std::string&>();
      Target target = resolve_ref(root_, text);
      if (target.schema == nullptr) {
        out.push_back({ptr, "the schema's $ref '" + text + "' does not resolve", ""});
      } else {
        State::Key key{target.schema, &v};
        if (auto done = state_.done.find(key); done != state_.done.end()) {
          merge(out, start, done->second);
        } else if (state_.active.contains(key)) {
          out.push_back({ptr, "the schema refers to itself without end", ""});
        } else {
          state_.active.emplace(key, true);
          std::vector<SchemaViolation> result;
          // Another document's own "#/..." references resolve against that document.
          Validator(*target.document, state_).check(*target.schema, v, ptr, result, depth + 1);
          state_.active.erase(key);
          merge(out, start, result);
          state_.done.emplace(key, std::move(result));
        }
      }
    }

    if (auto t = schema.find("type"); t != schema.end()) {
      std::vector<std::string> types;
      if (t->is_string()) types.push_back(t->get<std::string>());
      if (t->is_array())
        for (auto& e : *t)
          if (e.is_string()) types.push_back(e.get<std::string>());
      bool ok = types.empty();
      for (auto& ty : types) ok = ok || has_type(v, ty);
      if (!ok) {
        std::vector<std::string> words;
        for (auto& ty : types) words.emplace_back(expected_kind(ty));
        out.push_back({ptr, "expected " + join_or(words) + ", found " + found_kind(v), ""});
        return;  // the other keywords would only repeat the same mistake
      }
    }

    if (auto c = schema.find("const"); c != schema.end() && v != *c) {
      out.push_back({ptr, "expected " + show(*c) + ", found " + show(v), ""});
    }
    if (auto e = schema.find("enum"); e != schema.end() && e->is_array()) {
      bool found = false;
      for (auto& x : *e) found = found || x == v;
      if (!found) {
        std::string list;
        std::vector<std::string> words;
        for (auto& x : *e) {
          list += (list.empty() ? "" : ", ") + show(x);
          if (x.is_string()) words.push_back(x.get<std::string>());
        }
        std::string hint;
        if (v.is_string())
          if (auto near = nearest(v.get<std::string>(), words); !near.empty()) hint = "did you mean '" + near + "'?";
        out.push_back({ptr, show(v) + " is not one of " + list, hint});
      }
    }

    if (v.is_string()) check_string(schema, v.get_ref<const std::string&>(), ptr, out);
    if (v.is_number()) check_number(schema, v, ptr, out);
    if (v.is_object()) check_object(schema, v, ptr, out, depth);
    if (v.is_array()) check_array(schema, v, ptr, out, depth);

    if (auto all = schema.find("allOf"); all != schema.end() && all->is_array()) {
      for (auto& s : *all) {
        std::vector<SchemaViolation> part;
        check(s, v, ptr, part, depth + 1);
        merge(out, start, part);
      }
    }
    if (auto any = schema.find("anyOf"); any != schema.end() && any->is_array() && !any->empty())
      check_alternatives(*any, false, v, ptr, out, depth);
    if (auto one = schema.find("oneOf"); one != schema.end() && one->is_array() && !one->empty())
      check_alternatives(*one, true, v, ptr, out, depth);
    if (auto n = schema.find("not"); n != schema.end()) {
      std::vector<SchemaViolation> inner;
      check(*n, v, ptr, inner, depth + 1);
      if (inner.empty()) out.push_back({ptr, describe_not(*n, v), ""});
    }
  }

 private:
  /// What a value matching a `not` schema did wrong, in the words of the common cases.
  static std::string describe_not(const json& n, const json& v) {
    if (n.is_object()) {
      if (auto r = n.find("required"); r != n.end() && r->is_array() && r->size() == 1 && n.size() == 1 && (*r)[0].is_string())
        return "member '" + (*r)[0].get<std::string>() + "' is not allowed here";
      if (auto c = n.find("const"); c != n.end() && n.size() == 1) return show(v) + " is not allowed here";
      if (auto e = n.find("enum"); e != n.end() && n.size() == 1) return show(v) + " is not allowed here";
    }
    return "expected a value the schema's 'not' refuses to describe, found " + show(v);
  }

  /// Follows top-level $refs so alternatives can be compared by their own keywords.
  const json& deref(const json& schema) const {
    const json* s = &schema;
    for (int i = 0; i < 16 && s->is_object(); ++i) {
      auto ref = s->find("$ref");
      if (ref == s->end() || !ref->is_string()) break;
      Target t = resolve_ref(root_, ref->get<std::string>());
      if (t.schema == nullptr || t.document != &root_) break;
      s = t.schema;
    }
    return *s;
  }

  void check_string(const json& schema, const std::string& s, const std::string& ptr, std::vector<SchemaViolation>& out) const {
    std::size_t n = 0;
    bool counted = false;
    auto length = [&] {
      if (!counted) n = utf8_length(s), counted = true;
      return n;
    };
    if (auto m = count_of(schema, "minLength"); m && length() < *m) {
      out.push_back(
          {ptr, "expected at least " + plural(*m, "character", "characters") + ", found " + std::to_string(length()), ""});
    }
    if (auto m = count_of(schema, "maxLength"); m && length() > *m) {
      out.push_back(
          {ptr, "expected at most " + plural(*m, "character", "characters") + ", found " + std::to_string(length()), ""});
    }
    if (auto p = schema.find("pattern"); p != schema.end() && p->is_string()) {
      const auto& pattern = p->get_ref<const std::string&>();
      const auto& c = compiled(pattern);
      if (!c.re) {
        out.push_back({ptr, "the schema's pattern '" + pattern + "' is not a valid regular expression (" + c.error + ")", ""});
        return;
      }
      bool matched = RE2::PartialMatch(s, *c.re);
      if (!matched) out.push_back({ptr, "'" + shown(s) + "' does not match the pattern '" + pattern + "'", ""});
    }
  }

  void check_number(const json& schema, const json& v, const std::string& ptr, std::vector<SchemaViolation>& out) const {
    if (auto m = schema.find("minimum"); m != schema.end() && m->is_number() && compare_numbers(v, *m) < 0) {
      out.push_back({ptr, "expected at least " + m->dump() + ", found " + v.dump(), ""});
    }
    if (auto m = schema.find("maximum"); m != schema.end() && m->is_number() && compare_numbers(v, *m) > 0) {
      out.push_back({ptr, "expected at most " + m->dump() + ", found " + v.dump(), ""});
    }
    if (auto m = schema.find("exclusiveMinimum"); m != schema.end() && m->is_number() && compare_numbers(v, *m) <= 0) {
      out.push_back({ptr, "expected more than " + m->dump() + ", found " + v.dump(), ""});
    }
    if (auto m = schema.find("exclusiveMaximum"); m != schema.end() && m->is_number() && compare_numbers(v, *m) >= 0) {
      out.push_back({ptr, "expected less than " + m->dump() + ", found " + v.dump(), ""});
    }
    if (auto m = schema.find("multipleOf"); m != schema.end() && m->is_number() && m->get<double>() > 0 && !multiple_of(v, *m)) {
      out.push_back({ptr, "expected a multiple of " + m->dump() + ", found " + v.dump(), ""});
    }
  }

  void check_object(const json& schema, const json& v, const std::string& ptr, std::vector<SchemaViolation>& out,
                    int depth) const {
    if (auto r = schema.find("required"); r != schema.end() && r->is_array()) {
      for (auto& name : *r) {
        if (name.is_string() && !v.contains(name.get<std::string>())) {
          out.push_back({ptr, "missing required member '" + name.get<std::string>() + "'", ""});
        }
      }
    }
    if (auto m = count_of(schema, "minProperties"); m && v.size() < *m) {
      out.push_back({ptr, "expected at least " + plural(*m, "member", "members") + ", found " + std::to_string(v.size()), ""});
    }
    if (auto m = count_of(schema, "maxProperties"); m && v.size() > *m) {
      // Too many to be an answer: the members are not worth checking one by one.
      out.push_back({ptr, "expected at most " + plural(*m, "member", "members") + ", found " + std::to_string(v.size()), ""});
      return;
    }
    auto props = schema.find("properties");
    bool has_props = props != schema.end() && props->is_object();
    auto patterns = schema.find("patternProperties");
    bool has_patterns = patterns != schema.end() && patterns->is_object();
    auto extra = schema.find("additionalProperties");
    for (auto it = v.begin(); it != v.end(); ++it) {
      std::string child = sdk::pointer_join(ptr, it.key());
      bool matched = false;
      if (has_props) {
        if (auto p = props->find(it.key()); p != props->end()) {
          check(*p, *it, child, out, depth + 1);
          matched = true;
        }
      }
      if (has_patterns) {
        for (auto p = patterns->begin(); p != patterns->end(); ++p) {
          const auto& c = compiled(p.key());
          if (c.re && RE2::PartialMatch(it.key(), *c.re)) {
            check(*p, *it, child, out, depth + 1);
            matched = true;
          }
        }
      }
      if (matched || extra == schema.end()) continue;
      if (extra->is_boolean()) {
        if (!extra->get<bool>())
          out.push_back({child, "unexpected member '" + it.key() + "'", unexpected_hint(schema, v, it.key())});
      } else {
        check(*extra, *it, child, out, depth + 1);
      }
    }
  }

  /// For a member no property names: the nearest declared property the value does not already have.
  static std::string unexpected_hint(const json& schema, const json& v, const std::string& key) {
    auto props = schema.find("properties");
    if (props == schema.end() || !props->is_object()) return "";
    std::vector<std::string> names;
    for (auto it = props->begin(); it != props->end(); ++it)
      if (!v.contains(it.key())) names.push_back(it.key());
    if (auto near = nearest(key, names); !near.empty()) return "did you mean '" + near + "'?";
    return "";
  }

  void check_array(const json& schema, const json& v, const std::string& ptr, std::vector<SchemaViolation>& out,
                   int depth) const {
    if (auto m = count_of(schema, "minItems"); m && v.size() < *m) {
      out.push_back({ptr, "expected at least " + plural(*m, "item", "items") + ", found " + std::to_string(v.size()), ""});
    }
    if (auto m = count_of(schema, "maxItems"); m && v.size() > *m) {
      out.push_back({ptr, "expected at most " + plural(*m, "item", "items") + ", found " + std::to_string(v.size()), ""});
      return;
    }
    if (auto u = schema.find("uniqueItems"); u != schema.end() && *u == true && v.size() > 1) {
      // Sorted, so that a long array costs n log n: equal values (1 and 1.0 too) end up adjacent.
      std::vector<std::size_t> order(v.size());
      for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
      std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
      for (std::size_t i = 1; i < order.size(); ++i) {
        if (v[order[i - 1]] == v[order[i]]) {
          auto [first, second] = std::minmax(order[i - 1], order[i]);
          out.push_back({ptr + "/" + std::to_string(second),
                         "expected unique items, found " + show(v[second]) + " again (first at [" + std::to_string(first) + "])",
                         ""});
          break;
        }
      }
    }
    std::size_t first = 0;
    if (auto prefix = schema.find("prefixItems"); prefix != schema.end() && prefix->is_array()) {
      for (; first < prefix->size() && first < v.size(); ++first) {
        check((*prefix)[first], v[first], ptr + "/" + std::to_string(first), out, depth + 1);
      }
      first = prefix->size();
    }
    if (auto items = schema.find("items"); items != schema.end()) {
      for (std::size_t i = first; i < v.size(); ++i) {
        if (items->is_boolean() && !items->get<bool>()) {
          out.push_back({ptr, "expected at most " + plural(first, "item", "items") + ", found " + std::to_string(v.size()), ""});
          break;
        }
        check(*items, v[i], ptr + "/" + std::to_string(i), out, depth + 1);
      }
    }
  }

  // anyOf / oneOf. A bare "matches none" helps nobody, so when every alternative fails the
  // report names what was meant: the only alternative's findings; the types the alternatives accept when the value has none of
  // them; the alternative a discriminating member (a required property with a `const` in every
  // alternative, such as "kind" or "type") selects; or the only alternative of the value's type.
  void check_alternatives(const json& alternatives, bool exactly_one, const json& v, const std::string& ptr,
                          std::vector<SchemaViolation>& out, int depth) const {
    std::vector<std::vector<SchemaViolation>> results(alternatives.size());
    std::size_t passed = 0;
    for (std::size_t i = 0; i < alternatives.size(); ++i) {
      check(alternatives[i], v, ptr, results[i], depth + 1);
      passed += results[i].empty();
    }
    if (passed == 1 || (passed > 1 && !exactly_one)) return;
    if (passed > 1) {
      out.push_back({ptr, "matches " + std::to_string(passed) + " of the allowed forms, expected exactly one", ""});
      return;
    }

    // 0. One alternative: its own findings say it best.
    if (alternatives.size() == 1) {
      out.insert(out.end(), results[0].begin(), results[0].end());
      return;
    }

    // 1. The value's type is accepted by no alternative.
    std::vector<std::string> types;
    bool all_typed = true;
    std::vector<std::size_t> same_type;
    for (std::size_t i = 0; i < alternatives.size(); ++i) {
      const json& s = deref(alternatives[i]);
      auto t = s.is_object() ? s.find("type") : s.end();
      if (!s.is_object() || t == s.end() || !t->is_string()) {
        all_typed = false;
        continue;
      }
      std::string word = expected_kind(t->get<std::string>());
      if (std::find(types.begin(), types.end(), word) == types.end()) types.push_back(word);
      if (has_type(v, t->get<std::string>())) same_type.push_back(i);
    }
    if (all_typed && same_type.empty()) {
      out.push_back({ptr, "expected " + join_or(types) + ", found " + found_kind(v), ""});
      return;
    }

    // 2. A discriminating member.
    if (v.is_object()) {
      if (auto key = discriminator(alternatives); !key.empty()) {
        auto member = v.find(key);
        if (member == v.end()) {
          out.push_back({ptr, "missing required member '" + key + "'", ""});
          return;
        }
        std::string list;
        for (std::size_t i = 0; i < alternatives.size(); ++i) {
          const json& c = deref(alternatives[i])["properties"][key]["const"];
          if (c == *member) {
            out.insert(out.end(), results[i].begin(), results[i].end());
            return;
          }
          list += (list.empty() ? "" : ", ") + show(c);
        }
        out.push_back({sdk::pointer_join(ptr, key), show(*member) + " is not one of " + list, ""});
        return;
      }
    }

    // 3. Only one alternative takes a value of this type.
    if (all_typed && same_type.size() == 1) {
      auto& r = results[same_type.front()];
      out.insert(out.end(), r.begin(), r.end());
      return;
    }
    out.push_back({ptr, "matches none of the " + std::to_string(alternatives.size()) + " allowed forms", ""});
  }

  /// A property every alternative requires and fixes with `const`; "" when there is none.
  std::string discriminator(const json& alternatives) const {
    const json& first = deref(alternatives[0]);
    if (!first.is_object()) return "";
    auto props = first.find("properties");
    if (props == first.end() || !props->is_object()) return "";
    for (auto it = props->begin(); it != props->end(); ++it) {
      const std::string& key = it.key();
      bool everywhere = true;
      for (auto& alt : alternatives) {
        const json& s = deref(alt);
        if (!s.is_object() || !s.contains("properties") || !s["properties"].is_object()) {
          everywhere = false;
          break;
        }
        const json& p = s["properties"];
        auto req = s.find("required");
        bool required = req != s.end() && req->is_array() && std::find(req->begin(), req->end(), json(key)) != req->end();
        if (!required || !p.contains(key) || !p[key].is_object() || !p[key].contains("const")) {
          everywhere = false;
          break;
        }
      }
      if (everywhere) return key;
    }
    return "";
  }

  const json& root_;
  State& state_;
};

}  // namespace schema_internal

using namespace schema_internal;

std::vector<SchemaViolation> validate_json(const nlohmann::json& schema, const nlohmann::json& instance) {
  std::vector<SchemaViolation> out;
  State state;
  Validator(schema, state).check(schema, instance, "", out);
  return out;
}

}  // namespace assay
