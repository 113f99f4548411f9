#include "tolerance.hpp"

#include "decimal_math.hpp"

namespace device {

Decimal allowed_deviation(const Tolerance& t, Decimal reference) {
  Decimal band{0};
  if (t.absolute) band = *t.absolute;
  if (t.percent) {
    Decimal relative = (*t.percent * reference.abs()).scaled(-2);
    if (relative > band) band = relative;
  }
  return band;
}

bool within(const Tolerance& t, Decimal measured, Decimal reference) {
  return (measured - reference).abs() <= allowed_deviation(t, reference);
}

Tolerance defibrillator_energy_tolerance() { return {Decimal(3), Decimal(15)}; }

Decimal percent_error(Decimal measured, Decimal reference, int places) {
  return divide((measured - reference) * Decimal(100), reference, places);
}

bool percent_within(Decimal measured, Decimal reference, Decimal percent) {
  // |100 (m − r) / r| <= p  <=>  |100 (m − r)| <= p |r|   (r != 0)
  return ((measured - reference) * Decimal(100)).abs() <= percent * reference.abs();
}

bool percent_answer_ok(Decimal answer, Decimal measured, Decimal reference, int places) {
  // |a − 100 (m − r) / r| <= 10^-places  <=>  |a r − 100 (m − r)| <= 10^-places |r|
  Decimal gap = (answer * reference - (measured - reference) * Decimal(100)).abs();
  return gap <= Decimal(1).scaled(-places) * reference.abs();
}

}  // namespace device
