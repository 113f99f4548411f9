// Tolerance arithmetic for performance verification, exact in decimal.
#pragma once

#include <assay/sdk.hpp>

#include <optional>

namespace device {

using assay::sdk::Decimal;

/// A tolerance: an absolute band, a percentage of the reference, or both, in which case the
/// greater applies ("±3 J or ±15 %, whichever is greater"). Bands are inclusive: an error exactly
/// at the band passes.
struct Tolerance {
  std::optional<Decimal> absolute;
  std::optional<Decimal> percent;
};

/// The permitted deviation at `reference`: max(absolute, percent × |reference| / 100).
Decimal allowed_deviation(const Tolerance& t, Decimal reference);

/// |measured − reference| <= allowed_deviation(t, reference).
bool within(const Tolerance& t, Decimal measured, Decimal reference);

/// The defibrillator delivered-energy tolerance of IEC 60601-2-4:2010 cl. 201.12.1 (via a
/// manufacturer's IFU; DOMAIN.md §3.3): ±3 J or ±15 % of the setting, whichever is greater, so
/// the two bands cross at 20 J.
Tolerance defibrillator_energy_tolerance();

/// Percentage error of a ratio measured/reference given as two exact products, e.g. infusion flow:
/// 100 × (measured − reference) / reference, rounded half away from zero to `places` decimals.
Decimal percent_error(Decimal measured, Decimal reference, int places);

/// Whether |100 × (measured − reference) / reference| <= percent, compared exactly (no division).
bool percent_within(Decimal measured, Decimal reference, Decimal percent);

/// Whether a candidate's percentage error is within one unit of the `places`-th decimal of the exact
/// value 100 × (measured − reference) / reference (tolerates rounding or truncation), exactly.
bool percent_answer_ok(Decimal answer, Decimal measured, Decimal reference, int places);

}  // namespace device
