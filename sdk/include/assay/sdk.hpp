// assay/sdk.hpp — write Assay item types as C++ classes (header-only, over <assay/plugin.h>).
//
// One class per item type:
//
//     class Verdict {
//      public:
//       static constexpr const char* kName = "verdict";          // type id within the plugin
//       static constexpr const char* kSummary = "pass/fail on a reading";
//       static sdk::json schema();                               // JSON Schema of the params
//       static std::vector<sdk::Criterion> criteria();           // what the type scores
//       static std::vector<sdk::Example> examples();             // run by `assay plugin-check`
//       static Verdict prepare(const sdk::json& params);         // throw sdk::ParamError on bad params
//       sdk::json present(std::uint64_t seed) const;             // presentation v1; never the key
//       std::vector<sdk::Credit> score(std::uint64_t seed, const sdk::json& response) const;
//       sdk::json solve(std::uint64_t seed) const;               // a full-credit response
//       std::string feedback(std::uint64_t seed, const sdk::json& response) const;
//     };
//     ASSAY_PLUGIN("my-plugin", "1.0.0", "my-domain", "What it scores", Verdict, OtherType)
//
// Optional: `static constexpr bool kSeedFreeScore = true;` promises that `score` ignores its
// seed (the key is in the params alone, as for a choice with a fixed correct option). Batch
// scoring then scores each distinct response text once per batch and gives every candidate who
// sent the same bytes the same credits. Leave it out for a type whose material comes from the seed.
//
// The contract (see plugin.h): `present`, `score`, `solve` and `feedback` are const, deterministic
// for a seed, thread-safe on one prepared item, and draw randomness only from sdk::Rng seeded
// with the item seed. Secret params (schema members with "x-assay-secret": true) never shape
// what `present` shows. Every exception is caught at the boundary: sdk::ParamError becomes
// ASSAY_STATUS_INVALID_PARAMS with its JSON Pointer, sdk::ResponseError and JSON errors while
// scoring become ASSAY_STATUS_INVALID_RESPONSE, anything else ASSAY_STATUS_INTERNAL with a
// message naming the item type.
#ifndef ASSAY_SDK_HPP
#define ASSAY_SDK_HPP

#include <assay/plugin.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace assay::sdk {

using json = nlohmann::json;

__extension__ typedef __int128 Int128;
__extension__ typedef unsigned __int128 UInt128;

/// Exact credit on one criterion. `num <= den`, `den >= 1`.
struct Credit {
  std::uint64_t num = 0;
  std::uint64_t den = 1;
  static constexpr Credit full() { return {1, 1}; }
  static constexpr Credit none() { return {0, 1}; }
  static constexpr Credit of(bool ok) { return {ok ? 1u : 0u, 1}; }
  /// `num` of `den`, clamped to [0, 1]; a zero denominator gives none().
  static constexpr Credit fraction(std::uint64_t n, std::uint64_t d) {
    if (d == 0) return none();
    return {std::min(n, d), d};
  }
  friend constexpr bool operator==(Credit a, Credit b) {
    return static_cast<UInt128>(a.num) * b.den == static_cast<UInt128>(b.num) * a.den;
  }
};

/// Thrown by prepare(): the params at `pointer` (RFC 6901, "" for the whole) are refused.
class ParamError : public std::runtime_error {
 public:
  ParamError(std::string pointer, const std::string& message) : std::runtime_error(message), pointer_(std::move(pointer)) {}
  const std::string& pointer() const noexcept { return pointer_; }

 private:
  std::string pointer_;
};

/// Thrown by score()/feedback(): the response is malformed for this item.
class ResponseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Thrown by Decimal arithmetic whose exact result does not fit (38 significant digits, an
/// exponent within ±100,000). On the scoring path (guarded_response) it makes the response
/// malformed, never undefined behaviour.
class DecimalOverflow : public std::overflow_error {
 public:
  DecimalOverflow() : std::overflow_error("the number is too large or too precise to compare exactly") {}
};

struct Criterion {
  std::string id;
  std::string description;
  bool rated = false;
};

struct ExampleResponse {
  std::string label;
  json response;
  std::vector<Credit> expected;  // one per criterion, in declaration order
};

struct Example {
  std::string name;
  json params;
  json alt_secret = json::object();  // members replacing secret params for the key-flip check
  std::uint64_t seed = 1;
  std::vector<ExampleResponse> responses;
};

/// The portable generator (SplitMix64, plugin.h). Same draws on every platform.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : r_(assay_rng_seed(seed)) {}
  std::uint64_t next() { return assay_rng_next(&r_); }
  /// Uniform in [0, n).
  std::uint64_t below(std::uint64_t n) { return assay_rng_below(&r_, n); }
  /// Uniform in [lo, hi], inclusive.
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    if (hi <= lo) return lo;
    auto span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo) + 1;
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(lo) + (span == 0 ? next() : below(span)));
  }
  /// True with probability num/den.
  bool chance(std::uint64_t num, std::uint64_t den) { return below(den) < num; }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    if (v.empty()) throw std::logic_error("Rng::pick on an empty list");
    return v[below(v.size())];
  }
  /// Fisher–Yates, from the back.
  template <class T>
  void shuffle(std::vector<T>& v) {
    for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[below(i)]);
  }

 private:
  assay_rng r_;
};

/// An exact decimal: mantissa × 10^exponent. Parsed from and printed as decimal text, so "0.1"
/// is exactly one tenth and comparisons at a limit never suffer binary rounding.
class Decimal {
 public:
  Decimal() = default;
  Decimal(std::int64_t integer) : m_(integer) {}  // NOLINT(google-explicit-constructor)

  /// Accepts `[+-]digits[.digits][(e|E)[+-]digits]`, up to 36 significant digits, an exponent
  /// of at most 1000 and at most kMaxText characters in all; leading and trailing spaces are not
  /// accepted.
  static constexpr std::size_t kMaxText = 200;
  static std::optional<Decimal> parse(std::string_view s) {
    if (s.size() > kMaxText) return std::nullopt;
    Decimal d;
    std::size_t i = 0;
    bool negative = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
    int digits = 0, significant = 0, frac = 0;
    bool dot = false;
    for (; i < s.size(); ++i) {
      char c = s[i];
      if (c == '.' && !dot) {
        dot = true;
        continue;
      }
      if (c < '0' || c > '9') break;
      ++digits;
      if (significant > 0 || c != '0') ++significant;
      if (significant > 36) return std::nullopt;
      d.m_ = d.m_ * 10 + (c - '0');
      if (dot) ++frac;
    }
    if (digits == 0) return std::nullopt;
    long exp = 0;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
      ++i;
      bool eneg = false;
      if (i < s.size() && (s[i] == '+' || s[i] == '-')) eneg = s[i++] == '-';
      int edigits = 0;
      for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, ++edigits) {
        exp = exp * 10 + (s[i] - '0');
        if (exp > 1000) return std::nullopt;
      }
      if (edigits == 0) return std::nullopt;
      if (eneg) exp = -exp;
    }
    if (i != s.size()) return std::nullopt;
    if (negative) d.m_ = -d.m_;
    d.e_ = static_cast<int>(exp) - frac;
    d.normalise();
    return d;
  }

  /// From a JSON number or string; nullopt for anything else. Floats go through their shortest
  /// round-trip text (the engine sends TOML floats as strings already).
  static std::optional<Decimal> from_json(const json& j) {
    if (j.is_number_integer()) return Decimal(j.get<std::int64_t>());
    if (j.is_number_unsigned()) {
      auto u = j.get<std::uint64_t>();
      Decimal d;
      d.m_ = static_cast<Int128>(u);
      d.normalise();
      return d;
    }
    if (j.is_number_float()) return parse(j.dump());
    if (j.is_string()) return parse(j.get_ref<const std::string&>());
    return std::nullopt;
  }

  /// ×10^k. Every operation below throws DecimalOverflow rather than lose or wrap a digit.
  Decimal scaled(int k) const {
    Decimal d = *this;
    d.e_ = checked_exponent(static_cast<long>(d.e_) + k);
    return d;
  }
  Decimal operator-() const {
    Decimal d = *this;
    if (__builtin_sub_overflow(Int128(0), d.m_, &d.m_)) throw DecimalOverflow();
    return d;
  }
  friend Decimal operator+(Decimal a, Decimal b) {
    align(a, b);
    if (__builtin_add_overflow(a.m_, b.m_, &a.m_)) throw DecimalOverflow();
    a.normalise();
    return a;
  }
  friend Decimal operator-(Decimal a, Decimal b) { return a + (-b); }
  friend Decimal operator*(Decimal a, Decimal b) {
    if (__builtin_mul_overflow(a.m_, b.m_, &a.m_)) throw DecimalOverflow();
    a.e_ = checked_exponent(static_cast<long>(a.e_) + b.e_);
    a.normalise();
    return a;
  }
  Decimal abs() const { return m_ < 0 ? -*this : *this; }
  int sign() const { return (m_ > 0) - (m_ < 0); }

  friend int compare(Decimal a, Decimal b) {
    if (a.sign() != b.sign()) return a.sign() < b.sign() ? -1 : 1;
    if (a.sign() == 0) return 0;
    // Compare magnitudes by order of magnitude first, so aligning never overflows.
    int ma = a.magnitude(), mb = b.magnitude();
    if (ma != mb) return (ma < mb) == (a.sign() > 0) ? -1 : 1;
    align(a, b);
    return (a.m_ > b.m_) - (a.m_ < b.m_);
  }
  friend bool operator==(Decimal a, Decimal b) { return compare(a, b) == 0; }
  friend bool operator!=(Decimal a, Decimal b) { return compare(a, b) != 0; }
  friend bool operator<(Decimal a, Decimal b) { return compare(a, b) < 0; }
  friend bool operator<=(Decimal a, Decimal b) { return compare(a, b) <= 0; }
  friend bool operator>(Decimal a, Decimal b) { return compare(a, b) > 0; }
  friend bool operator>=(Decimal a, Decimal b) { return compare(a, b) >= 0; }

  /// Rounded half away from zero to `places` decimal places (places >= 0).
  Decimal rounded(int places) const {
    if (e_ >= -places) return *this;
    Decimal d = *this;
    // |m_| < 2^127 < 10^39: dropping 39 or more digits leaves less than half a unit.
    if (static_cast<long>(-places) - e_ > 38) return Decimal();
    Int128 div = 1;
    for (int k = 0; k < -places - e_; ++k) div *= 10;
    Int128 q = d.m_ / div, r = d.m_ % div;
    if (2 * (r < 0 ? -r : r) >= div) q += (d.m_ < 0 ? -1 : 1);
    d.m_ = q;
    d.e_ = -places;
    d.normalise();
    return d;
  }

  /// Plain decimal text, no exponent: "412", "0.05", "-3.5".
  std::string to_string() const {
    Int128 m = m_ < 0 ? -m_ : m_;
    std::string digits;
    do {
      digits.push_back(static_cast<char>('0' + static_cast<int>(m % 10)));
      m /= 10;
    } while (m != 0);
    std::reverse(digits.begin(), digits.end());
    std::string out = m_ < 0 ? "-" : "";
    if (e_ >= 0) {
      out += digits;
      out.append(static_cast<std::size_t>(e_), '0');
      return out;
    }
    auto frac = static_cast<std::size_t>(-e_);
    if (digits.size() <= frac) {
      out += "0.";
      out.append(frac - digits.size(), '0');
      out += digits;
    } else {
      out.append(digits, 0, digits.size() - frac);
      out += '.';
      out.append(digits, digits.size() - frac, frac);
    }
    return out;
  }

  /// Text with exactly `places` decimals (rounded half away from zero): "9.80".
  std::string to_fixed(int places) const {
    Decimal r = rounded(places);
    std::string s = r.to_string();
    auto dot = s.find('.');
    std::size_t have = dot == std::string::npos ? 0 : s.size() - dot - 1;
    if (places > 0 && dot == std::string::npos) s += '.';
    s.append(static_cast<std::size_t>(places) - have, '0');
    return s;
  }

  double to_double() const { return std::stod(to_string()); }

 private:
  void normalise() {
    if (m_ == 0) {
      e_ = 0;
      return;
    }
    while (m_ % 10 == 0) {
      m_ /= 10;
      ++e_;
    }
  }
  int magnitude() const {  // floor(log10(|value|))
    Int128 m = m_ < 0 ? -m_ : m_;
    int n = -1;
    while (m != 0) {
      m /= 10;
      ++n;
    }
    return n + e_;
  }
  static int checked_exponent(long e) {
    if (e > 100'000 || e < -100'000) throw DecimalOverflow();
    return static_cast<int>(e);
  }
  static void align(Decimal& a, Decimal& b) {
    if (a.m_ == 0) a.e_ = b.e_;
    if (b.m_ == 0) b.e_ = a.e_;
    while (a.e_ > b.e_) {
      if (__builtin_mul_overflow(a.m_, Int128(10), &a.m_)) throw DecimalOverflow();
      --a.e_;
    }
    while (b.e_ > a.e_) {
      if (__builtin_mul_overflow(b.m_, Int128(10), &b.m_)) throw DecimalOverflow();
      --b.e_;
    }
  }
  Int128 m_ = 0;
  int e_ = 0;
};

// ---- helpers for prepare(): read params with errors that carry the JSON Pointer ------------

/// Escapes one reference token per RFC 6901.
inline std::string pointer_token(std::string_view token) {
  std::string out;
  for (char c : token) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

inline std::string pointer_join(const std::string& base, std::string_view key) { return base + "/" + pointer_token(key); }
inline std::string pointer_join(const std::string& base, std::size_t index) { return base + "/" + std::to_string(index); }

inline const char* json_kind(const json& j) {
  switch (j.type()) {
    case json::value_t::null:
      return "nothing";
    case json::value_t::object:
      return "a table";
    case json::value_t::array:
      return "an array";
    case json::value_t::string:
      return "a string";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return "an integer";
    case json::value_t::number_float:
      return "a float";
    default:
      return "a value";
  }
}

/// A view of a params object that knows its JSON Pointer, for precise errors.
class Params {
 public:
  Params(const json& value, std::string pointer = "") : v_(&value), ptr_(std::move(pointer)) {}
  const json& value() const { return *v_; }
  const std::string& pointer() const { return ptr_; }

  [[noreturn]] void fail(const std::string& message) const { throw ParamError(ptr_, message); }

  bool has(std::string_view key) const { return v_->is_object() && v_->contains(key); }

  /// The member `key`; missing is an error.
  Params at(std::string_view key) const {
    if (!v_->is_object()) fail(std::string("expected a table, found ") + json_kind(*v_));
    auto it = v_->find(key);
    if (it == v_->end()) throw ParamError(ptr_, "missing required key '" + std::string(key) + "'");
    return Params(*it, pointer_join(ptr_, key));
  }
  std::optional<Params> find(std::string_view key) const {
    if (!has(key)) return std::nullopt;
    return at(key);
  }
  Params at(std::size_t index) const {
    if (!v_->is_array()) fail(std::string("expected an array, found ") + json_kind(*v_));
    return Params(v_->at(index), pointer_join(ptr_, index));
  }
  std::size_t size() const { return v_->is_array() || v_->is_object() ? v_->size() : 0; }

  std::vector<Params> items() const {
    if (!v_->is_array()) fail(std::string("expected an array, found ") + json_kind(*v_));
    std::vector<Params> out;
    for (std::size_t i = 0; i < v_->size(); ++i) out.emplace_back((*v_)[i], pointer_join(ptr_, i));
    return out;
  }
  std::vector<std::pair<std::string, Params>> members() const {
    if (!v_->is_object()) fail(std::string("expected a table, found ") + json_kind(*v_));
    std::vector<std::pair<std::string, Params>> out;
    for (auto it = v_->begin(); it != v_->end(); ++it) out.emplace_back(it.key(), Params(*it, pointer_join(ptr_, it.key())));
    return out;
  }

  std::string str() const {
    if (!v_->is_string()) fail(std::string("expected a string, found ") + json_kind(*v_));
    return v_->get<std::string>();
  }
  std::int64_t integer() const {
    if (!v_->is_number_integer()) fail(std::string("expected an integer, found ") + json_kind(*v_));
    return v_->get<std::int64_t>();
  }
  bool boolean() const {
    if (!v_->is_boolean()) fail(std::string("expected a boolean, found ") + json_kind(*v_));
    return v_->get<bool>();
  }
  Decimal decimal() const {
    auto d = Decimal::from_json(*v_);
    if (!d)
      fail(std::string("expected a decimal number, found ") +
           (v_->is_string() ? "\"" + v_->get<std::string>() + "\"" : json_kind(*v_)));
    return *d;
  }
  std::vector<std::string> strings() const {
    std::vector<std::string> out;
    for (auto& p : items()) out.push_back(p.str());
    return out;
  }
  /// A string that must be one of `allowed`.
  std::string one_of(const std::vector<std::string>& allowed) const {
    auto s = str();
    if (std::find(allowed.begin(), allowed.end(), s) == allowed.end()) {
      std::string list;
      for (auto& a : allowed) list += (list.empty() ? "'" : ", '") + a + "'";
      fail("expected one of " + list + ", found \"" + s + "\"");
    }
    return s;
  }

 private:
  const json* v_;
  std::string ptr_;
};

// ---- the boundary ---------------------------------------------------------------------------

namespace detail {

inline void write(assay_sink* sink, std::string_view text) {
  if (sink != nullptr && sink->write != nullptr && !text.empty()) sink->write(sink->ctx, text.data(), text.size());
}

inline assay_status fail(assay_error* error, assay_status status, std::string_view message, std::string_view pointer = {}) {
  if (error != nullptr) {
    write(&error->message, message);
    write(&error->pointer, pointer);
  }
  return status;
}

inline std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

template <class Body>
assay_status guarded(assay_error* error, const char* type_name, Body&& body) noexcept {
  try {
    return body();
  } catch (const ParamError& e) {
    return fail(error, ASSAY_STATUS_INVALID_PARAMS, e.what(), e.pointer());
  } catch (const ResponseError& e) {
    return fail(error, ASSAY_STATUS_INVALID_RESPONSE, e.what());
  } catch (const std::exception& e) {
    return fail(error, ASSAY_STATUS_INTERNAL, std::string("item type '") + type_name + "': " + e.what());
  } catch (...) {
    return fail(error, ASSAY_STATUS_INTERNAL, std::string("item type '") + type_name + "': unknown exception");
  }
}

/// Parses a response; a malformed document is the candidate's problem, not the plugin's.
inline json parse_response(const char* data, std::size_t len) {
  json j = json::parse(data, data + len, nullptr, false);
  if (j.is_discarded()) throw ResponseError("the response is not valid JSON");
  if (!j.is_object()) throw ResponseError("the response must be a JSON object");
  return j;
}

/// Runs a scoring body: JSON access errors on the response mean a malformed response.
template <class Body>
assay_status guarded_response(assay_error* error, const char* type_name, Body&& body) noexcept {
  return guarded(error, type_name, [&]() -> assay_status {
    try {
      return body();
    } catch (const json::exception& e) {
      throw ResponseError(std::string("malformed response: ") + e.what());
    } catch (const DecimalOverflow& e) {
      throw ResponseError(e.what());
    }
  });
}

template <class T>
struct Handle {
  T item;
};

template <class T>
const T& item_of(const assay_handle* h) {
  return reinterpret_cast<const Handle<T>*>(h)->item;
}

/// Static storage for one type's C descriptor, built once from the class.
template <class T>
struct TypeTables {
  std::string schema;
  std::vector<Criterion> criteria;
  std::vector<assay_criterion_v1> c_criteria;
  std::vector<const assay_criterion_v1*> c_criteria_ptrs;
  struct ExampleStore {
    std::string name, params, alt;
    std::vector<std::string> labels, responses;
    std::vector<std::vector<assay_credit>> credits;
    std::vector<assay_example_response_v1> c_responses;
    std::vector<const assay_example_response_v1*> c_response_ptrs;
  };
  std::vector<Example> examples;
  std::vector<std::unique_ptr<ExampleStore>> stores;
  std::vector<assay_example_v1> c_examples;
  std::vector<const assay_example_v1*> c_example_ptrs;
  assay_item_type_v1 descriptor{};

  TypeTables() {
    schema = dump(T::schema());
    criteria = T::criteria();
    c_criteria.reserve(criteria.size());
    for (auto& c : criteria) {
      c_criteria.push_back(
          {sizeof(assay_criterion_v1), c.rated ? ASSAY_CRITERION_RATED : 0u, c.id.c_str(), c.description.c_str()});
    }
    for (auto& c : c_criteria) c_criteria_ptrs.push_back(&c);
    examples = T::examples();
    for (auto& ex : examples) {
      auto s = std::make_unique<ExampleStore>();
      s->name = ex.name;
      s->params = dump(ex.params);
      s->alt = dump(ex.alt_secret);
      for (auto& r : ex.responses) {
        s->labels.push_back(r.label);
        s->responses.push_back(dump(r.response));
        std::vector<assay_credit> cr;
        for (auto& c : r.expected) cr.push_back({c.num, c.den});
        s->credits.push_back(std::move(cr));
      }
      for (std::size_t i = 0; i < ex.responses.size(); ++i) {
        s->c_responses.push_back(
            {sizeof(assay_example_response_v1), 0, s->labels[i].c_str(), s->responses[i].c_str(), s->credits[i].data()});
      }
      for (auto& r : s->c_responses) s->c_response_ptrs.push_back(&r);
      stores.push_back(std::move(s));
    }
    for (std::size_t i = 0; i < examples.size(); ++i) {
      auto& s = *stores[i];
      c_examples.push_back({sizeof(assay_example_v1), 0, s.name.c_str(), s.params.c_str(), s.alt.c_str(), examples[i].seed,
                            s.c_response_ptrs.data(), s.c_response_ptrs.size()});
    }
    for (auto& e : c_examples) c_example_ptrs.push_back(&e);

    descriptor.struct_size = sizeof(assay_item_type_v1);
    descriptor.name = T::kName;
    descriptor.summary = T::kSummary;
    descriptor.params_schema_json = schema.c_str();
    descriptor.criteria = c_criteria_ptrs.data();
    descriptor.n_criteria = c_criteria_ptrs.size();
    descriptor.examples = c_example_ptrs.data();
    descriptor.n_examples = c_example_ptrs.size();
    descriptor.prepare = &prepare;
    descriptor.present = &present;
    descriptor.score = &score;
    descriptor.score_batch = &score_batch;
    descriptor.solve = &solve;
    descriptor.feedback = &feedback;
    descriptor.release = &release;
  }

  static std::size_t n_criteria() { return instance().criteria.size(); }

  static const TypeTables& instance() {
    static const TypeTables tables;
    return tables;
  }

  static assay_status prepare(const char* params, std::size_t len, assay_handle** out, assay_error* error) {
    return guarded(error, T::kName, [&]() -> assay_status {
      if (out == nullptr) return fail(error, ASSAY_STATUS_INTERNAL, "prepare called without an output handle");
      *out = nullptr;
      json p = json::parse(params, params + len, nullptr, false);
      if (p.is_discarded() || !p.is_object()) return fail(error, ASSAY_STATUS_INVALID_PARAMS, "params must be a JSON object", "");
      auto h = std::make_unique<Handle<T>>(Handle<T>{T::prepare(p)});
      *out = reinterpret_cast<assay_handle*>(h.release());
      return ASSAY_STATUS_OK;
    });
  }

  static assay_status present(const assay_handle* h, std::uint64_t seed, assay_sink* out, assay_error* error) {
    return guarded(error, T::kName, [&]() -> assay_status {
      write(out, dump(item_of<T>(h).present(seed)));
      return ASSAY_STATUS_OK;
    });
  }

  static assay_status score_one(const T& item, std::uint64_t seed, const char* response, std::size_t len, assay_credit* credits,
                                assay_error* error) {
    return guarded_response(error, T::kName, [&]() -> assay_status {
      auto result = item.score(seed, parse_response(response, len));
      auto n = n_criteria();
      if (result.size() != n) {
        return fail(error, ASSAY_STATUS_INTERNAL,
                    std::string("item type '") + T::kName + "': score returned " + std::to_string(result.size()) +
                        " credits for " + std::to_string(n) + " criteria");
      }
      for (std::size_t i = 0; i < n; ++i) {
        auto c = Credit::fraction(result[i].num, result[i].den);
        credits[i] = {c.num, c.den};
      }
      return ASSAY_STATUS_OK;
    });
  }

  static assay_status score(const assay_handle* h, std::uint64_t seed, const char* response, std::size_t len,
                            assay_credit* credits, assay_error* error) {
    return score_one(item_of<T>(h), seed, response, len, credits, error);
  }

  static constexpr bool seed_free() {
    if constexpr (requires { T::kSeedFreeScore; })
      return T::kSeedFreeScore;
    else
      return false;
  }

  static assay_status score_batch(const assay_handle* h, std::size_t n, const std::uint64_t* seeds, const char* const* responses,
                                  const std::size_t* lens, assay_credit* credits, assay_status* statuses) {
    const T& item = item_of<T>(h);
    auto k = n_criteria();
    if constexpr (seed_free()) {
      return guarded(nullptr, T::kName, [&]() -> assay_status {
        // Distinct response texts, each scored once: text → the first entry that sent it. A hash
        // keeps the look-up constant however many different answers (numbers, free text) come.
        std::unordered_map<std::string_view, std::size_t> seen;
        seen.reserve(n);
        for (std::size_t i = 0; i < n; ++i) {
          auto [found, fresh] = seen.try_emplace(std::string_view(responses[i], lens[i]), i);
          if (!fresh) {
            statuses[i] = statuses[found->second];
            std::copy_n(credits + found->second * k, k, credits + i * k);
            continue;
          }
          statuses[i] = score_one(item, seeds[i], responses[i], lens[i], credits + i * k, nullptr);
        }
        return ASSAY_STATUS_OK;
      });
    } else {
      for (std::size_t i = 0; i < n; ++i)
        statuses[i] = score_one(item, seeds[i], responses[i], lens[i], credits + i * k, nullptr);
      return ASSAY_STATUS_OK;
    }
  }

  static assay_status solve(const assay_handle* h, std::uint64_t seed, assay_sink* out, assay_error* error) {
    return guarded(error, T::kName, [&]() -> assay_status {
      write(out, dump(item_of<T>(h).solve(seed)));
      return ASSAY_STATUS_OK;
    });
  }

  static assay_status feedback(const assay_handle* h, std::uint64_t seed, const char* response, std::size_t len, assay_sink* out,
                               assay_error* error) {
    return guarded_response(error, T::kName, [&]() -> assay_status {
      write(out, item_of<T>(h).feedback(seed, parse_response(response, len)));
      return ASSAY_STATUS_OK;
    });
  }

  static void release(assay_handle* h) { delete reinterpret_cast<Handle<T>*>(h); }
};

template <class... Types>
const assay_plugin_table_v1* plugin_table(const char* name, const char* version, const char* domain,
                                          const char* description) noexcept {
  try {
    static const std::vector<const assay_item_type_v1*> types = {&TypeTables<Types>::instance().descriptor...};
    static const assay_plugin_table_v1 table = {
        ASSAY_ABI_VERSION, sizeof(assay_plugin_table_v1), name, version, domain, description, types.data(), types.size()};
    return &table;
  } catch (...) {
    return nullptr;  // the host refuses a null table by name
  }
}

}  // namespace detail

/// A JSON Schema object for a params table: `properties` and `required`, no other members.
inline json object_schema(json properties, std::vector<std::string> required = {}) {
  return json{{"$schema", "https://json-schema.org/draft/2020-12/schema"},
              {"type", "object"},
              {"properties", std::move(properties)},
              {"required", std::move(required)},
              {"additionalProperties", false}};
}

/// Marks a property schema as secret (part of the answer key).
inline json secret(json property_schema) {
  property_schema["x-assay-secret"] = true;
  return property_schema;
}

}  // namespace assay::sdk

/// Exports the plugin: its name, semantic version, domain, description and item-type classes.
#define ASSAY_PLUGIN(name, version, domain, description, ...)                                   \
  extern "C" ASSAY_EXPORT const std::uint32_t assay_abi_1 = ASSAY_ABI_VERSION;                  \
  extern "C" ASSAY_EXPORT const assay_plugin_table_v1* assay_plugin_v1(void) {                  \
    return ::assay::sdk::detail::plugin_table<__VA_ARGS__>(name, version, domain, description); \
  }

#endif  // ASSAY_SDK_HPP
