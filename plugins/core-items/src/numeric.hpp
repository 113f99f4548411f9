// numeric: a number with an optional unit, compared in exact decimal arithmetic.
#pragma once

#include "common.hpp"

namespace assay::core_items {

/// Params: `prompt`; secret `answer` (a decimal, in `unit`); `tolerance` (absolute, in `unit`,
/// default 0) and/or `tolerance_percent` (of |answer|): the accepted deviation is the larger of
/// the two and both limits are inclusive; `unit` (the answer's unit, optional); `units` (other
/// units a candidate may answer in): either an array of unit symbols that differ from `unit` only
/// by an SI prefix ("A", "uA" for "mA"; "u" and "µ" both mean micro), or a table
/// { symbol = factor } where value × factor is the value in `unit`; secret `partial` (other answers
/// earning part of the credit, in `unit`: { value, tolerance, credit } or { min, max, credit },
/// credit in percent; a value in several earns the best).
///
/// Response: `{"answer": {"value": "4.95", "unit": "mA"}}`; the value is a decimal of at most 18
/// significant digits, read as people write it (white space around it, the Unicode minus, a
/// leading '+', digit groups of three; sdk::read_number) and may carry its unit ("5 mA"); an
/// empty value is no answer. The unit may be omitted (absent, null or "") when the item offers
/// only `unit` or no unit; any unit the answer's unit converts to by an SI prefix is converted
/// exactly ("0.005 A" for an item in mA), and other spellings of a unit are the unit ("µA", "uA").
///
/// Malformed (sdk::ResponseError): a value that is not a number ("five", "11,112"), a unit the
/// item cannot convert ("months" for days), a unit on an item without one, no unit where the item
/// offers several, more than 18 significant digits.
class Numeric {
 public:
  static constexpr const char* kName = "numeric";
  static constexpr const char* kSummary = "a number with an optional unit, within a tolerance (exact decimal arithmetic)";
  static constexpr bool kSeedFreeScore = true;  // the key is in the params alone
  static json schema();
  static std::vector<sdk::Criterion> criteria();
  static std::vector<sdk::Example> examples();
  static Numeric prepare(const json& params);
  json present(std::uint64_t seed) const;
  std::vector<sdk::Credit> score(std::uint64_t seed, const json& response) const;
  json solve(std::uint64_t seed) const;
  std::string feedback(std::uint64_t seed, const json& response) const;

  struct Unit {
    std::string symbol;
    sdk::Decimal factor;  // value in this unit × factor = value in the answer's unit
  };

  /// The factor converting `from` into `to` when they differ only by SI prefixes
  /// (10^(prefix(from) - prefix(to))), or nullopt.
  static std::optional<sdk::Decimal> si_factor(std::string_view from, std::string_view to);

 private:
  struct Entered {
    sdk::Decimal value;          // in the answer's unit
    std::string text;            // the number as read ("-7.2" for "−7.2")
    const Unit* unit = nullptr;  // the offered unit it was given in; null for an item without units
    std::string symbol;          // the unit as given (or implied); empty for an item without units
    sdk::Decimal factor;         // value as given × factor = value in the answer's unit
  };
  /// The response converted to the answer's unit; nullopt when unanswered.
  std::optional<Entered> entered(const json& response) const;

  std::string prompt_;
  sdk::Decimal answer_;
  sdk::Decimal low_, high_;  // inclusive bounds
  /// Another accepted range and the credit it earns (units of kFullCredit).
  struct Band {
    sdk::Decimal low, high;
    std::int64_t credit = 0;
  };
  std::vector<Band> partial_;
  /// The credit a value (in the answer's unit) earns: all of it within the tolerance, else the
  /// best band's.
  std::int64_t credit(const sdk::Decimal& value) const;
  std::string unit_;
  std::vector<Unit> units_;  // the answer's unit first
  bool choose_unit_ = false;
  sdk::DecimalMark mark_ = sdk::DecimalMark::kPoint;  // how the item's locale writes decimals
};

}  // namespace assay::core_items
