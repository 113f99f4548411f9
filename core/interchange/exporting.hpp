// What the two exporters (Moodle XML, QTI 3.0) share, private to core/interchange: reading a
// number of an item's params exactly, and the walk over a section's items that leaves out, by
// name, what no other platform can score or what the format cannot express.
#pragma once

#include <assay/sdk/decimal.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "assay/export.hpp"
#include "assay/model.hpp"
#include "questions.hpp"

namespace assay::interchange::detail {

/// A number of an item's params as an exact decimal; Refused when the exporter cannot read it.
inline sdk::Decimal exported_decimal(const nlohmann::json& v) {
  auto d = sdk::Decimal::from_json(v);
  if (!d) throw Refused{"a number the exporter cannot read: " + v.dump()};
  return *d;
}

/// Calls `write(item, params)` for each item of `section`, in order. An item of a plugin's type,
/// one whose `write` throws Refused, or whose params cannot be read, is added to `refused` with
/// why; `write` must leave nothing behind when it throws.
template <class Write>
void export_items(const model::Assessment& assessment, const std::string& section, std::vector<Exported::Refusal>& refused,
                  Write write) {
  for (const auto& item : assessment.items) {
    if (item.section != section) continue;
    if (item.type.rfind("core-items/", 0) != 0) {
      refused.push_back({item.id, "item type '" + item.type + "' comes from a plugin: no other platform can score it"});
      continue;
    }
    try {
      write(item, nlohmann::json::parse(item.params_json));
    } catch (const Refused& r) {
      refused.push_back({item.id, r.why});
    } catch (const nlohmann::json::exception& e) {
      refused.push_back({item.id, std::string("params the exporter cannot read: ") + e.what()});
    }
  }
}

}  // namespace assay::interchange::detail
