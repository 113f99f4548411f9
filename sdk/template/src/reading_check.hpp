// An item type is one class. This one shows a reading drawn with the item seed from a range in
// the params, and asks whether it is within a limit. The limit is the key: a secret param, so it
// never shapes what `present` shows. A second, rated criterion is scored by a person.
#pragma once

#include <assay/sdk.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace example {

namespace sdk = assay::sdk;

class ReadingCheck {
 public:
  static constexpr const char* kName = "reading-check";
  static constexpr const char* kSummary = "say whether a generated reading is within a limit, and why";

  static sdk::json schema();
  static std::vector<sdk::Criterion> criteria();
  static std::vector<sdk::Example> examples();
  /// Throws sdk::ParamError (with a JSON Pointer) on params the schema or the logic refuses.
  static ReadingCheck prepare(const sdk::json& params);

  // Const, deterministic for a seed, safe to call from several threads at once.
  sdk::json present(std::uint64_t seed) const;
  std::vector<sdk::Credit> score(std::uint64_t seed, const sdk::json& response) const;
  sdk::json solve(std::uint64_t seed) const;
  std::string feedback(std::uint64_t seed, const sdk::json& response) const;

 private:
  std::int64_t reading(std::uint64_t seed) const;
  bool within(std::uint64_t seed) const;

  std::string quantity_;
  std::string unit_;
  std::int64_t min_ = 0;
  std::int64_t max_ = 0;
  sdk::Decimal limit_;
};

}  // namespace example
