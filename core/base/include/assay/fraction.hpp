// Exact rational numbers for scores: every total, percent and comparison with a pass mark is
// exact (docs/authoring.md). Percents are shown truncated toward zero, so 69.95% shows as "69.9" and a
// fail never shows as the mark it missed; points are shown rounded half up ("2.67 of 4 points").
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <assay/sdk/decimal.hpp>

namespace assay {

/// A normalised fraction num/den with den > 0 and gcd(|num|, den) = 1, over 128-bit integers.
/// Every operation checks for overflow and throws std::overflow_error instead of wrapping.
class Fraction {
 public:
  __extension__ typedef __int128 Int;

  constexpr Fraction() = default;
  Fraction(std::int64_t integer) : num_(integer) {}  // NOLINT(google-explicit-constructor)
  /// num/den, normalised. Throws std::domain_error when den is 0.
  Fraction(Int num, Int den);
  /// The exact value of a decimal (TOML weights, percents, limits): no text in between. Throws
  /// std::overflow_error when it does not fit 128 bits (a weight of 1e40).
  static Fraction from_decimal(const sdk::Decimal& d);
  /// An unsigned credit from a plugin (assay_credit): num/den with den >= 1.
  static Fraction from_credit(std::uint64_t num, std::uint64_t den);

  /// "3", "-7/2", or a decimal "69.95" / "-0.5"; nullopt on any other text or on overflow.
  static std::optional<Fraction> parse(std::string_view text);

  Int num() const { return num_; }
  Int den() const { return den_; }
  bool is_zero() const { return num_ == 0; }
  bool is_negative() const { return num_ < 0; }
  bool is_integer() const { return den_ == 1; }

  friend Fraction operator+(const Fraction& a, const Fraction& b);
  friend Fraction operator-(const Fraction& a, const Fraction& b);
  friend Fraction operator*(const Fraction& a, const Fraction& b);
  /// Throws std::domain_error on division by zero.
  friend Fraction operator/(const Fraction& a, const Fraction& b);
  Fraction operator-() const;
  Fraction& operator+=(const Fraction& b) { return *this = *this + b; }
  Fraction& operator-=(const Fraction& b) { return *this = *this - b; }
  Fraction& operator*=(const Fraction& b) { return *this = *this * b; }

  friend bool operator==(const Fraction& a, const Fraction& b) { return a.num_ == b.num_ && a.den_ == b.den_; }
  friend std::strong_ordering operator<=>(const Fraction& a, const Fraction& b);

  /// 100 × part / whole, exact; 0 when whole is 0.
  static Fraction percent(const Fraction& part, const Fraction& whole);

  /// Exact text: "3", "-7/2" (parse reads it back).
  std::string to_string() const;
  /// Decimal text with `places` digits after the point, truncated toward zero: 1399/20 with one
  /// place is "69.9", never "70.0". A value that truncates to zero prints without a minus sign.
  std::string to_decimal(int places) const;
  /// Decimal text rounded half away from zero to at most `places` digits after the point, with
  /// trailing zeros (and a bare point) dropped: 8/3 is "2.67", 5/2 "2.5", 1 "1".
  std::string to_rounded(int places) const;

 private:
  Int num_ = 0;
  Int den_ = 1;
};

/// Points as a person reads them, rounded half up to two places: "1 of 1 point", "2.67 of 4 points".
std::string points_text(const Fraction& earned, const Fraction& max);

/// A percent as every screen and report shows it: truncated to one place, no space before the
/// sign ("57.2%").
std::string percent_text(const Fraction& percent);

}  // namespace assay
