// assay/sdk/decimal.hpp — exact decimal numbers for limits, tolerances and readings. Needs no JSON
// library: the engine includes it alone.
#ifndef ASSAY_SDK_DECIMAL_HPP
#define ASSAY_SDK_DECIMAL_HPP

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace assay::sdk {

__extension__ typedef __int128 Int128;
__extension__ typedef unsigned __int128 UInt128;

/// Thrown by Decimal arithmetic whose exact result does not fit (38 significant digits, an
/// exponent within ±100,000). On the scoring path (guarded_response) it makes the response
/// malformed, never undefined behaviour.
class DecimalOverflow : public std::overflow_error {
 public:
  DecimalOverflow() : std::overflow_error("the number is too large or too precise to compare exactly") {}
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

  /// From a JSON number or string (a nlohmann::json, which this header leaves to the caller to
  /// include); nullopt for anything else. Floats go through their shortest round-trip text (the
  /// engine sends TOML floats as strings already). Plugins spell it sdk::decimal_from_json
  /// (assay/sdk/params.hpp).
  template <class Json>
  requires requires(const Json& j) {
    j.is_number_integer();
    j.dump();
  }
  static std::optional<Decimal> from_json(const Json& j) {
    // Unsigned first: nlohmann also calls an unsigned number an integer, and reading
    // 18446744073709551615 as int64 would wrap it.
    if (j.is_number_unsigned()) {
      auto u = j.template get<std::uint64_t>();
      Decimal d;
      d.m_ = static_cast<Int128>(u);
      d.normalise();
      return d;
    }
    if (j.is_number_integer()) return Decimal(j.template get<std::int64_t>());
    if (j.is_number_float()) return parse(j.dump());
    if (j.is_string()) return parse(j.template get_ref<const std::string&>());
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

  /// The value is mantissa() × 10^exponent(), the mantissa without trailing zeros.
  Int128 mantissa() const { return m_; }
  int exponent() const { return e_; }

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

}  // namespace assay::sdk

#endif  // ASSAY_SDK_DECIMAL_HPP
