// Exact decimal helpers the SDK's Decimal does not provide: fixed-point units, rounded division
// and seeded draws on a decimal grid. No binary floating point anywhere.
#pragma once

#include <assay/sdk.hpp>

#include <cstdint>
#include <string_view>
#include <vector>

namespace device {

using assay::sdk::Decimal;

/// Number of digits after the decimal point in the shortest text of `d` ("0.25" -> 2, "500" -> 0).
int decimals(Decimal d);

/// `d` × 10^places as an integer; `d` must have at most `places` decimals (else std::logic_error).
std::int64_t to_units(Decimal d, int places);

/// a / b rounded half away from zero to `places` decimals; b must not be zero.
Decimal divide(Decimal a, Decimal b, int places);

/// A decimal grid [min, max] with spacing `step` (all exact).
struct Range {
  Decimal min;
  Decimal max;
  Decimal step{1};
};

/// A value drawn uniformly from the grid points min, min+step, ... <= max.
Decimal draw(assay::sdk::Rng& rng, const Range& range);

/// The first two and the last two grid points of `range` (fewer when it has fewer): among them
/// are the largest values of either sign with the most decimals any drawn value has.
std::vector<Decimal> grid_ends(const Range& range);

/// Reads `{min, max, step?}` (step defaults to 1); refuses min > max, step <= 0 and (unless
/// `allow_negative`) negative bounds with the pointer.
Range read_range(const assay::sdk::Params& p, bool allow_negative = false);

/// A decimal with at most 6 decimals, refused with the pointer otherwise.
Decimal read_decimal(const assay::sdk::Params& p);

/// A decimal that must be > 0 (or >= 0 when `allow_zero`), refused with the pointer otherwise.
Decimal read_positive(const assay::sdk::Params& p, bool allow_zero = false);

}  // namespace device
