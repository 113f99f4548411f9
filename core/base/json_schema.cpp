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
#include <stdexcept>
#include <string_view>
#include <unordered_map>

#include "assay/utf8.hpp"

namespace assay {

namespace detail {
// Generated at build time from sdk/schemas/*.schema.json (cmake/AssayEmbedSchemas.cmake).
struct EmbeddedSchema {
  const char* name;
  const char* text;
};
extern const EmbeddedSchema kEmbeddedSchemas[];
extern const std::size_t kEmbeddedSchemaCount;
}  // namespace detail

namespace {

using json = nlohmann::json;

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

/// A non-negative integer keyword value (minItems, maxLength, ...); nullopt when it is not one.
std::optional<std::size_t> count_of(const json& schema, const char* keyword) {
  auto it = schema.find(keyword);
  if (it == schema.end() || !it->is_number_integer()) return std::nullopt;
  if (it->is_number_unsigned()) return static_cast<std::size_t>(it->get<std::uint64_t>());
  auto n = it->get<std::int64_t>();
  if (n < 0) return std::nullopt;
  return static_cast<std::size_t>(n);
}

/// A schema's `pattern`, compiled once per process. RE2 matches in time linear in the text and
/// never recurses per character, so no candidate's answer can exhaust the stack; null when RE2
/// does not accept the pattern (its error is kept for the message).
struct CompiledPattern {
  std::unique_ptr<RE2> re;
  std::string error;
};

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

/// The built-in schema whose "$id" is `id` ("urn:assay:schema:presentation:1"); null when none.
const json* builtin_by_id(const std::string& id) {
  for (std::size_t i = 0; i < detail::kEmbeddedSchemaCount; ++i) {
    const json& s = builtin_schema(detail::kEmbeddedSchemas[i].name);
    if (auto it = s.find("$id"); it != s.end() && *it == id) return &s;
  }
  return nullptr;
}

class Validator {
 public:
  explicit Validator(const json& root) : root_(root) {}

  void check(const json& schema, const json& v, const std::string& ptr, std::vector<SchemaViolation>& out, int depth = 0) const {
    if (depth > 64) {
      out.push_back({ptr, "the schema refers to itself without end"});
      return;
    }
    if (schema.is_boolean()) {
      if (!schema.get<bool>()) out.push_back({ptr, "no value is allowed here"});
      return;
    }
    if (!schema.is_object()) return;

    if (auto ref = schema.find("$ref"); ref != schema.end() && ref->is_string()) {
      const auto& text = ref->get<std::string>();
      const json* document = text.empty() || text[0] == '#' ? &root_ : builtin_by_id(text.substr(0, text.find('#')));
      const json* target =
          document == nullptr ? nullptr : Validator(*document).resolve(text.substr(std::min(text.find('#'), text.size())));
      if (target == nullptr) {
        out.push_back({ptr, "the schema's $ref '" + text + "' does not resolve"});
      } else {
        // Another document's own "#/..." references resolve against that document.
        Validator(*document).check(*target, v, ptr, out, depth + 1);
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
        out.push_back({ptr, "expected " + join_or(words) + ", found " + found_kind(v)});
        return;  // the other keywords would only repeat the same mistake
      }
    }

    if (auto c = schema.find("const"); c != schema.end() && v != *c) {
      out.push_back({ptr, "expected " + show(*c) + ", found " + show(v)});
    }
    if (auto e = schema.find("enum"); e != schema.end() && e->is_array()) {
      bool found = false;
      for (auto& x : *e) found = found || x == v;
      if (!found) {
        std::string list;
        for (auto& x : *e) list += (list.empty() ? "" : ", ") + show(x);
        out.push_back({ptr, show(v) + " is not one of " + list});
      }
    }

    if (v.is_string()) check_string(schema, v.get<std::string>(), ptr, out);
    if (v.is_number()) check_number(schema, v, ptr, out);
    if (v.is_object()) check_object(schema, v, ptr, out, depth);
    if (v.is_array()) check_array(schema, v, ptr, out, depth);

    if (auto all = schema.find("allOf"); all != schema.end() && all->is_array()) {
      for (auto& s : *all) check(s, v, ptr, out, depth + 1);
    }
    if (auto any = schema.find("anyOf"); any != schema.end() && any->is_array())
      check_alternatives(*any, false, v, ptr, out, depth);
    if (auto one = schema.find("oneOf"); one != schema.end() && one->is_array())
      check_alternatives(*one, true, v, ptr, out, depth);
  }

 private:
  /// "" (the whole document) or "#/json/pointer" into this validator's document.
  const json* resolve(const std::string& ref) const {
    if (ref.empty()) return &root_;
    if (ref[0] != '#') return nullptr;
    try {
      auto p = json::json_pointer(ref.substr(1));
      if (!root_.contains(p)) return nullptr;
      return &root_.at(p);
    } catch (const json::exception&) {
      return nullptr;
    }
  }

  /// Follows top-level $refs so alternatives can be compared by their own keywords.
  const json& deref(const json& schema) const {
    const json* s = &schema;
    for (int i = 0; i < 16 && s->is_object(); ++i) {
      auto ref = s->find("$ref");
      if (ref == s->end() || !ref->is_string()) break;
      const json* t = resolve(ref->get<std::string>());
      if (t == nullptr) break;
      s = t;
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
      out.push_back({ptr, "expected at least " + plural(*m, "character", "characters") + ", found " + std::to_string(length())});
    }
    if (auto m = count_of(schema, "maxLength"); m && length() > *m) {
      out.push_back({ptr, "expected at most " + plural(*m, "character", "characters") + ", found " + std::to_string(length())});
    }
    if (auto p = schema.find("pattern"); p != schema.end() && p->is_string()) {
      const auto& pattern = p->get_ref<const std::string&>();
      const auto& c = compiled(pattern);
      if (!c.re) {
        out.push_back({ptr, "the schema's pattern '" + pattern + "' is not a valid regular expression (" + c.error + ")"});
        return;
      }
      bool matched = RE2::PartialMatch(s, *c.re);
      if (!matched) out.push_back({ptr, "'" + shown(s) + "' does not match the pattern '" + pattern + "'"});
    }
  }

  void check_number(const json& schema, const json& v, const std::string& ptr, std::vector<SchemaViolation>& out) const {
    if (auto m = schema.find("minimum"); m != schema.end() && m->is_number() && compare_numbers(v, *m) < 0) {
      out.push_back({ptr, "expected at least " + m->dump() + ", found " + v.dump()});
    }
    if (auto m = schema.find("maximum"); m != schema.end() && m->is_number() && compare_numbers(v, *m) > 0) {
      out.push_back({ptr, "expected at most " + m->dump() + ", found " + v.dump()});
    }
  }

  void check_object(const json& schema, const json& v, const std::string& ptr, std::vector<SchemaViolation>& out,
                    int depth) const {
    if (auto r = schema.find("required"); r != schema.end() && r->is_array()) {
      for (auto& name : *r) {
        if (name.is_string() && !v.contains(name.get<std::string>())) {
          out.push_back({ptr, "missing required member '" + name.get<std::string>() + "'"});
        }
      }
    }
    if (auto m = count_of(schema, "minProperties"); m && v.size() < *m) {
      out.push_back({ptr, "expected at least " + plural(*m, "member", "members") + ", found " + std::to_string(v.size())});
    }
    if (auto m = count_of(schema, "maxProperties"); m && v.size() > *m) {
      // Too many to be an answer: the members are not worth checking one by one.
      out.push_back({ptr, "expected at most " + plural(*m, "member", "members") + ", found " + std::to_string(v.size())});
      return;
    }
    auto props = schema.find("properties");
    bool has_props = props != schema.end() && props->is_object();
    auto extra = schema.find("additionalProperties");
    for (auto it = v.begin(); it != v.end(); ++it) {
      std::string child = sdk::pointer_join(ptr, it.key());
      if (has_props) {
        if (auto p = props->find(it.key()); p != props->end()) {
          check(*p, *it, child, out, depth + 1);
          continue;
        }
      }
      if (extra == schema.end()) continue;
      if (extra->is_boolean()) {
        if (!extra->get<bool>()) out.push_back({child, "unexpected member '" + it.key() + "'"});
      } else {
        check(*extra, *it, child, out, depth + 1);
      }
    }
  }

  void check_array(const json& schema, const json& v, const std::string& ptr, std::vector<SchemaViolation>& out,
                   int depth) const {
    if (auto m = count_of(schema, "minItems"); m && v.size() < *m) {
      out.push_back({ptr, "expected at least " + plural(*m, "item", "items") + ", found " + std::to_string(v.size())});
    }
    if (auto m = count_of(schema, "maxItems"); m && v.size() > *m) {
      out.push_back({ptr, "expected at most " + plural(*m, "item", "items") + ", found " + std::to_string(v.size())});
      return;
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
          out.push_back({ptr, "expected at most " + plural(first, "item", "items") + ", found " + std::to_string(v.size())});
          break;
        }
        check(*items, v[i], ptr + "/" + std::to_string(i), out, depth + 1);
      }
    }
  }

  // anyOf / oneOf. A bare "matches none" helps nobody, so when every alternative fails the
  // report names what was meant: the types the alternatives accept when the value has none of
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
      out.push_back({ptr, "matches " + std::to_string(passed) + " of the allowed forms, expected exactly one"});
      return;
    }
    if (alternatives.empty()) return;

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
      out.push_back({ptr, "expected " + join_or(types) + ", found " + found_kind(v)});
      return;
    }

    // 2. A discriminating member.
    if (v.is_object()) {
      if (auto key = discriminator(alternatives); !key.empty()) {
        auto member = v.find(key);
        if (member == v.end()) {
          out.push_back({ptr, "missing required member '" + key + "'"});
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
        out.push_back({sdk::pointer_join(ptr, key), show(*member) + " is not one of " + list});
        return;
      }
    }

    // 3. Only one alternative takes a value of this type.
    if (all_typed && same_type.size() == 1) {
      auto& r = results[same_type.front()];
      out.insert(out.end(), r.begin(), r.end());
      return;
    }
    out.push_back({ptr, "matches none of the " + std::to_string(alternatives.size()) + " allowed forms"});
  }

  /// A property every alternative requires and fixes with `const`; "" when there is none.
  std::string discriminator(const json& alternatives) const {
    const json& first = deref(alternatives[0]);
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
};

}  // namespace

std::vector<SchemaViolation> validate_json(const nlohmann::json& schema, const nlohmann::json& instance) {
  std::vector<SchemaViolation> out;
  Validator(schema).check(schema, instance, "", out);
  return out;
}

const nlohmann::json& builtin_schema(const std::string& name) {
  static const std::map<std::string, json> schemas = [] {
    std::map<std::string, json> m;
    for (std::size_t i = 0; i < detail::kEmbeddedSchemaCount; ++i) {
      m.emplace(detail::kEmbeddedSchemas[i].name, json::parse(detail::kEmbeddedSchemas[i].text));
    }
    return m;
  }();
  auto it = schemas.find(name);
  if (it == schemas.end()) throw std::out_of_range("no built-in schema named '" + name + "'");
  return it->second;
}

}  // namespace assay
