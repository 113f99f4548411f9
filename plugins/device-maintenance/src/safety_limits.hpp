// IEC 62353 recurrent-test limits the plugin knows, and the verdict rule. Only limits with a
// source are here (see safety_limits.cpp); anything else comes from the item's params.
#pragma once

#include <assay/sdk.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace device::safety {

using assay::sdk::Decimal;

enum class ProtectionClass { kI, kII };
enum class AppliedPart { kNone, kB, kBF, kCF };
enum class Method { kDirect, kDifferential, kAlternative };
enum class EarthConfig { kNonDetachable, kDetachableInlet, kCordAlone, kCordAndEquipment };

std::optional<ProtectionClass> parse_class(std::string_view s);     // "I", "II"
std::optional<AppliedPart> parse_applied_part(std::string_view s);  // "none", "B", "BF", "CF"
std::optional<Method> parse_method(std::string_view s);             // "direct", "differential", "alternative"
std::optional<EarthConfig> parse_earth_config(
    std::string_view s);  // "non-detachable", "detachable-inlet", "cord", "cord-and-equipment"

std::string to_string(ProtectionClass c);
std::string to_string(AppliedPart a);
std::string to_string(Method m);
/// A phrase for the record: "non-detachable power cord, plug to protectively earthed parts".
std::string describe(EarthConfig e);

/// Protective earth resistance limit in ohms (IEC 62353:2014), for every configuration.
Decimal earth_limit_ohm(EarthConfig config);

/// Equipment leakage limit in µA, or nullopt where no source confirms one (class II by the
/// alternative method): such an item must give the limit in its params.
std::optional<Decimal> equipment_leakage_limit_uA(ProtectionClass cls, Method method);

/// Applied-part leakage limit in µA for F-type applied parts (BF, CF); nullopt for none and
/// type B, which have no separate applied-part test (type B falls under equipment leakage).
std::optional<Decimal> applied_part_limit_uA(AppliedPart part);

/// Whether a separate applied-part leakage test applies: F-type parts only.
inline bool has_applied_part_test(AppliedPart part) { return part == AppliedPart::kBF || part == AppliedPart::kCF; }

/// The verdict rule for every recurrent-test limit: limits are maxima and inclusive, so a reading
/// exactly at the limit passes and anything above it fails (compared in exact decimal arithmetic).
inline bool passes(Decimal reading, Decimal limit) { return reading <= limit; }

}  // namespace device::safety
