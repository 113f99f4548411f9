#include "assay/fraction.hpp"

#include <stdexcept>

namespace assay {

namespace {

using Int = Fraction::Int;

Int abs_of(Int v) { return v < 0 ? -v : v; }

Int gcd_of(Int a, Int b) {
  a = abs_of(a);
  b = abs_of(b);
  while (b != 0) {
    Int t = a % b;
    a = b;
    b = t;
  }
  return a;
}

[[noreturn]] void overflow() { throw std::overflow_error("fraction arithmetic overflowed 128 bits"); }

Int mul(Int a, Int b) {
  Int r;
  if (__builtin_mul_overflow(a, b, &r)) overflow();
  return r;
}

Int add(Int a, Int b) {
  Int r;
  if (__builtin_add_overflow(a, b, &r)) overflow();
  return r;
}

// The most negative value cannot be negated; keeping magnitudes below it keeps negation safe.
__extension__ typedef unsigned __int128 UInt;
constexpr Int kMax = static_cast<Int>(~static_cast<UInt>(0) >> 1);
constexpr Int kMin = -kMax - 1;

std::string digits(Int v) {  // v >= 0
  if (v == 0) return "0";
  std::string s;
  while (v > 0) {
    s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  }
  return s;
}

}  // namespace

Fraction::Fraction(Int num, Int den) {
  if (den == 0) throw std::domain_error("fraction with a zero denominator");
  if (num == kMin || den == kMin) overflow();
  if (den < 0) {
    num = -num;
    den = -den;
  }
  Int g = gcd_of(num, den);
  if (g > 1) {
    num /= g;
    den /= g;
  }
  num_ = num;
  den_ = den;
}

Fraction Fraction::from_credit(std::uint64_t num, std::uint64_t den) {
  if (den == 0) throw std::domain_error("credit with a zero denominator");
  if (num == 0) return Fraction();
  if (num == den) return Fraction(1);
  return Fraction(static_cast<Int>(num), static_cast<Int>(den));
}

// Sums and products of integers need no normalising: most credits, weights and points are
// whole numbers, so the arithmetic of a typical result never divides.
Fraction operator+(const Fraction& a, const Fraction& b) {
  if (a.den_ == 1 && b.den_ == 1) {
    Int sum = add(a.num_, b.num_);
    if (sum == kMin) overflow();
    Fraction r;
    r.num_ = sum;
    return r;
  }
  Int g = gcd_of(a.den_, b.den_);
  Int ad = a.den_ / g;
  Int bd = b.den_ / g;
  return Fraction(add(mul(a.num_, bd), mul(b.num_, ad)), mul(a.den_, bd));
}

Fraction Fraction::operator-() const {
  Fraction r;
  r.num_ = -num_;  // safe: num_ != kMin by construction
  r.den_ = den_;
  return r;
}

Fraction operator-(const Fraction& a, const Fraction& b) { return a + (-b); }

Fraction operator*(const Fraction& a, const Fraction& b) {
  if (a.den_ == 1 && b.den_ == 1) {
    Int product = mul(a.num_, b.num_);
    if (product == kMin) overflow();
    Fraction r;
    r.num_ = product;
    return r;
  }
  // Cross-cancel first so products stay small.
  Int g1 = gcd_of(a.num_, b.den_);
  Int g2 = gcd_of(b.num_, a.den_);
  if (g1 == 0) g1 = 1;
  if (g2 == 0) g2 = 1;
  return Fraction(mul(a.num_ / g1, b.num_ / g2), mul(a.den_ / g2, b.den_ / g1));
}

Fraction operator/(const Fraction& a, const Fraction& b) {
  if (b.num_ == 0) throw std::domain_error("fraction division by zero");
  return a * Fraction(b.den_, b.num_);
}

std::strong_ordering operator<=>(const Fraction& a, const Fraction& b) {
  // Compare a - b against 0 without risking the cross products: the difference checks overflow.
  Fraction d = a - b;
  if (d.num_ < 0) return std::strong_ordering::less;
  if (d.num_ > 0) return std::strong_ordering::greater;
  return std::strong_ordering::equal;
}

Fraction Fraction::percent(const Fraction& part, const Fraction& whole) {
  if (whole.is_zero()) return Fraction();
  return part * Fraction(100) / whole;
}

std::string Fraction::to_string() const {
  std::string s = num_ < 0 ? "-" + digits(-num_) : digits(num_);
  if (den_ != 1) s += "/" + digits(den_);
  return s;
}

std::string Fraction::to_decimal(int places) const {
  Int scale = 1;
  for (int i = 0; i < places; ++i) scale = mul(scale, 10);
  // Truncation toward zero of |num| * scale / den.
  Int mag = mul(abs_of(num_), scale) / den_;
  std::string d = digits(mag);
  if (places > 0) {
    if (d.size() <= static_cast<std::size_t>(places)) d.insert(0, static_cast<std::size_t>(places) + 1 - d.size(), '0');
    d.insert(d.size() - static_cast<std::size_t>(places), ".");
  }
  return (num_ < 0 && mag != 0) ? "-" + d : d;
}

std::string Fraction::to_rounded(int places) const {
  Int scale = 1;
  for (int i = 0; i < places; ++i) scale = mul(scale, 10);
  // Half away from zero: floor((2 |num| scale + den) / (2 den)).
  Int twice = mul(mul(abs_of(num_), scale), 2);
  Int mag = add(twice, den_) / mul(den_, 2);
  std::string d = digits(mag);
  if (places > 0) {
    if (d.size() <= static_cast<std::size_t>(places)) d.insert(0, static_cast<std::size_t>(places) + 1 - d.size(), '0');
    d.insert(d.size() - static_cast<std::size_t>(places), ".");
    while (d.back() == '0') d.pop_back();
    if (d.back() == '.') d.pop_back();
  }
  return (num_ < 0 && mag != 0) ? "-" + d : d;
}

std::string points_text(const Fraction& earned, const Fraction& max) {
  return earned.to_rounded(2) + " of " + max.to_rounded(2) + (max == Fraction(1) ? " point" : " points");
}

std::string percent_text(const Fraction& percent) { return percent.to_decimal(1) + "%"; }

Fraction Fraction::from_decimal(const sdk::Decimal& d) {
  Fraction f(d.mantissa(), 1);
  Fraction ten(10);
  for (int e = d.exponent(); e > 0; --e) f = f * ten;  // throws on overflow
  Int den = 1;
  for (int e = d.exponent(); e < 0; ++e)
    if (__builtin_mul_overflow(den, Int(10), &den))
      throw std::overflow_error("decimal '" + d.to_string() + "' does not fit an exact fraction");
  return den == 1 ? f : Fraction(d.mantissa(), den);
}

std::optional<Fraction> Fraction::parse(std::string_view text) {
  try {
    bool negative = false;
    std::size_t i = 0;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
      negative = text[i] == '-';
      ++i;
    }
    auto read_digits = [&](Int& out, Int& scale) {
      std::size_t start = i;
      while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
        out = add(mul(out, 10), text[i] - '0');
        scale = mul(scale, 10);
        ++i;
      }
      return i > start;
    };
    Int whole = 0, unused = 1;
    if (!read_digits(whole, unused)) return std::nullopt;
    Fraction value;
    if (i < text.size() && text[i] == '/') {
      ++i;
      Int den = 0, s = 1;
      if (!read_digits(den, s) || den == 0) return std::nullopt;
      value = Fraction(whole, den);
    } else if (i < text.size() && text[i] == '.') {
      ++i;
      Int frac = 0, scale = 1;
      if (!read_digits(frac, scale)) return std::nullopt;
      value = Fraction(add(mul(whole, scale), frac), scale);
    } else {
      value = Fraction(whole, 1);
    }
    if (i != text.size()) return std::nullopt;
    return negative ? -value : value;
  } catch (const std::overflow_error&) {
    return std::nullopt;
  }
}

}  // namespace assay
