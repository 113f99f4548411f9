// One shipped plugin's item types through the engine's registry, as `assay validate` prepares
// them and `assay score` scores them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace assay::fuzz {

/// Input: "TYPE[ SEED]\nPARAMS[\0RESPONSE]". TYPE is a type of `plugin` ("single-choice"), SEED
/// the item seed (default: the first example's). PARAMS is the params JSON, or empty for the first
/// example's. A type that prepares must present a valid presentation v1 and solve it: the solved
/// response is a valid response to it and earns full credit on every criterion scored. RESPONSE,
/// when given, is scored and given feedback on. No call may fail as the plugin's own fault
/// ("internal error"): bad params and bad responses are refused as such.
void fuzz_plugin(std::string_view plugin, const std::uint8_t* data, std::size_t size);

}  // namespace assay::fuzz
