#include "decimal_math.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace device {

using assay::sdk::Int128;
using assay::sdk::ParamError;
using assay::sdk::Params;

int decimals(Decimal d) {
  auto s = d.to_string();
  auto dot = s.find('.');
  return dot == std::string::npos ? 0 : static_cast<int>(s.size() - dot - 1);
}

std::int64_t to_units(Decimal d, int places) {
  if (decimals(d) > places)
    throw std::logic_error("to_units: " + d.to_string() + " has more than " + std::to_string(places) + " decimals");
  auto text = d.scaled(places).to_string();
  // A value past int64 (a candidate's 1e900) is a number this arithmetic cannot hold.
  if (text.size() > 18 + (text[0] == '-')) throw assay::sdk::DecimalOverflow();
  return std::stoll(text);
}

Decimal divide(Decimal a, Decimal b, int places) {
  if (b.sign() == 0) throw std::logic_error("divide: division by zero");
  int p = std::max(decimals(a), decimals(b));
  Int128 num = to_units(a, p), den = to_units(b, p);
  for (int k = 0; k < places; ++k)
    if (__builtin_mul_overflow(num, Int128(10), &num)) throw assay::sdk::DecimalOverflow();
  Int128 q = num / den, r = num % den;
  Int128 ar = r < 0 ? -r : r, ad = den < 0 ? -den : den;
  bool negative = (num < 0) != (den < 0);
  if (2 * ar >= ad) q += negative ? -1 : 1;
  return Decimal(static_cast<std::int64_t>(q)).scaled(-places);
}

Decimal draw(assay::sdk::Rng& rng, const Range& range) {
  int p = std::max({decimals(range.min), decimals(range.max), decimals(range.step)});
  auto lo = to_units(range.min, p), hi = to_units(range.max, p), st = to_units(range.step, p);
  auto steps = (hi - lo) / st;
  auto k = rng.between(0, steps);
  return Decimal(lo + k * st).scaled(-p);
}

std::vector<Decimal> grid_ends(const Range& range) {
  int p = std::max({decimals(range.min), decimals(range.max), decimals(range.step)});
  auto lo = to_units(range.min, p), hi = to_units(range.max, p), st = to_units(range.step, p);
  auto steps = (hi - lo) / st;
  std::vector<std::int64_t> ks = {0, 1, steps - 1, steps};
  std::sort(ks.begin(), ks.end());
  ks.erase(std::unique(ks.begin(), ks.end()), ks.end());
  std::vector<Decimal> out;
  for (auto k : ks)
    if (k >= 0 && k <= steps) out.push_back(Decimal(lo + k * st).scaled(-p));
  return out;
}

Decimal read_decimal(const Params& p) {
  auto d = p.decimal();
  if (decimals(d) > 6) p.fail("expected at most 6 decimals, found " + d.to_string());
  return d;
}

Decimal read_positive(const Params& p, bool allow_zero) {
  auto d = read_decimal(p);
  if (d.sign() < 0 || (!allow_zero && d.sign() == 0)) {
    p.fail(std::string("expected a ") + (allow_zero ? "non-negative" : "positive") + " number, found " + d.to_string());
  }
  return d;
}

Range read_range(const Params& p, bool allow_negative) {
  Range r;
  r.min = allow_negative ? read_decimal(p.at("min")) : read_positive(p.at("min"), true);
  r.max = allow_negative ? read_decimal(p.at("max")) : read_positive(p.at("max"), true);
  if (auto step = p.find("step")) r.step = read_positive(*step);
  if (r.min > r.max) p.at("max").fail("expected max >= min (" + r.min.to_string() + "), found " + r.max.to_string());
  for (auto& [key, value] : p.members()) {
    if (key != "min" && key != "max" && key != "step") value.fail("unknown key '" + key + "' (expected min, max, step)");
  }
  return r;
}

}  // namespace device
