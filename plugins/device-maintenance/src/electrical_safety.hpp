// device-maintenance/electrical-safety: a recurrent electrical safety test record (IEC 62353)
// to judge test by test, with the limit that applies.
#pragma once

#include <assay/sdk.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "decimal_math.hpp"
#include "safety_limits.hpp"

namespace device {

class ElectricalSafety {
 public:
  static constexpr const char* kName = "electrical-safety";
  static constexpr const char* kSummary =
      "judge a recurrent electrical safety test record (IEC 62353): limit and verdict per test, overall verdict";

  /// One test on the record as the key sees it.
  struct Row {
    std::string id;                 // "earth", "equipment", "applied-part"
    std::string label;              // "Protective earth resistance"
    std::string unit;               // "Ω" or "µA"
    std::vector<Decimal> readings;  // one, or two for the earth test at both DC polarities
    Decimal value;                  // the reading judged: the highest of `readings`
    Decimal limit;                  // the limit that applies
    bool pass = false;              // value <= limit
  };

  static assay::sdk::json schema();
  static std::vector<assay::sdk::Criterion> criteria();
  static std::vector<assay::sdk::Example> examples();
  static ElectricalSafety prepare(const assay::sdk::json& params);

  /// The record for a seed with its key: generated from the non-secret params, or the fixed
  /// readings, in test order.
  std::vector<Row> record(std::uint64_t seed) const;
  /// The key for the record's limits question: whether every recorded limit is the one that
  /// applies; nullopt when the item does not ask it.
  std::optional<bool> recorded_limits_correct() const;

  assay::sdk::json present(std::uint64_t seed) const;
  std::vector<assay::sdk::Credit> score(std::uint64_t seed, const assay::sdk::json& response) const;
  assay::sdk::json solve(std::uint64_t seed) const;
  std::string feedback(std::uint64_t seed, const assay::sdk::json& response) const;

 private:
  /// What a response answers per test (row id -> verdict id / limit in the test's unit) and
  /// overall; unanswered parts are absent. Malformed cells and choices: sdk::ResponseError.
  struct Answer {
    std::map<std::string, std::string> verdicts;
    std::map<std::string, Decimal> limits;
    std::optional<std::string> overall, recorded;
  };
  Answer read(const std::vector<Row>& rows, const assay::sdk::json& response) const;
  /// What the limit of a test is, in words: "the recurrent-test equipment leakage limit for ...".
  std::string limit_basis(const std::string& test_id) const;
  /// A note when a wrong limit given is the IEC 60601-1 type-test figure, else "".
  std::string type_test_note(const std::string& test_id, Decimal given) const;

  struct Test {
    std::string id, label, unit, param_key;
    Decimal limit;
    std::optional<Range> range;
    std::vector<Decimal> fixed;
    int count = 1;
    std::optional<Decimal> recorded_limit;
  };
  /// Whose limits apply: IEC 62353 (the built-in table), NFPA 99 or the manufacturer (limits all
  /// given by the item; the manufacturer's are shown on the record).
  enum class Regime { kIec62353, kNfpa99, kManufacturer };
  Regime regime_ = Regime::kIec62353;
  std::string equipment_;
  std::string standard_;
  safety::ProtectionClass class_ = safety::ProtectionClass::kI;
  safety::AppliedPart applied_part_ = safety::AppliedPart::kNone;
  safety::Method method_ = safety::Method::kDirect;               // equipment leakage
  safety::Method applied_part_method_ = safety::Method::kDirect;  // never differential
  std::optional<safety::EarthConfig> earth_config_;
  std::vector<Test> tests_;
};

}  // namespace device
