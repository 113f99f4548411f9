#include "safety_limits.hpp"

namespace device::safety {

std::optional<ProtectionClass> parse_class(std::string_view s) {
  if (s == "I") return ProtectionClass::kI;
  if (s == "II") return ProtectionClass::kII;
  return std::nullopt;
}

std::optional<AppliedPart> parse_applied_part(std::string_view s) {
  if (s == "none") return AppliedPart::kNone;
  if (s == "B") return AppliedPart::kB;
  if (s == "BF") return AppliedPart::kBF;
  if (s == "CF") return AppliedPart::kCF;
  return std::nullopt;
}

std::optional<Method> parse_method(std::string_view s) {
  if (s == "direct") return Method::kDirect;
  if (s == "differential") return Method::kDifferential;
  if (s == "alternative") return Method::kAlternative;
  return std::nullopt;
}

std::optional<EarthConfig> parse_earth_config(std::string_view s) {
  if (s == "non-detachable") return EarthConfig::kNonDetachable;
  if (s == "detachable-inlet") return EarthConfig::kDetachableInlet;
  if (s == "cord") return EarthConfig::kCordAlone;
  if (s == "cord-and-equipment") return EarthConfig::kCordAndEquipment;
  return std::nullopt;
}

std::string to_string(ProtectionClass c) { return c == ProtectionClass::kI ? "I" : "II"; }

std::string to_string(AppliedPart a) {
  switch (a) {
    case AppliedPart::kNone:
      return "none";
    case AppliedPart::kB:
      return "B";
    case AppliedPart::kBF:
      return "BF";
    case AppliedPart::kCF:
      return "CF";
  }
  return "none";
}

std::string to_string(Method m) {
  switch (m) {
    case Method::kDirect:
      return "direct";
    case Method::kDifferential:
      return "differential";
    case Method::kAlternative:
      return "alternative";
  }
  return "direct";
}

std::string describe(EarthConfig e) {
  switch (e) {
    case EarthConfig::kNonDetachable:
      return "non-detachable power cord, mains plug to protectively earthed parts";
    case EarthConfig::kDetachableInlet:
      return "detachable power cord removed, appliance inlet to protectively earthed parts";
    case EarthConfig::kCordAlone:
      return "detachable power cord measured alone";
    case EarthConfig::kCordAndEquipment:
      return "detachable power cord and equipment measured together";
  }
  return "";
}

// IEC 62353:2014, protective earth resistance (text as publicly reproduced; DOMAIN.md §3.1):
// non-detachable cord 0.3 Ω, appliance inlet to parts 0.2 Ω, cord alone 0.1 Ω, cord and
// equipment together 0.3 Ω.
Decimal earth_limit_ohm(EarthConfig config) {
  switch (config) {
    case EarthConfig::kNonDetachable:
      return Decimal(3).scaled(-1);
    case EarthConfig::kDetachableInlet:
      return Decimal(2).scaled(-1);
    case EarthConfig::kCordAlone:
      return Decimal(1).scaled(-1);
    case EarthConfig::kCordAndEquipment:
      return Decimal(3).scaled(-1);
  }
  return Decimal(1).scaled(-1);
}

// IEC 62353:2007 / VDE 0751-1 leakage table as printed in the Gossen Metrawatt SECUTEST manual
// and the Fluke ESA615 manual (DOMAIN.md §3.1): class I 1000 µA by the alternative method and
// 500 µA direct or differential; class II 100 µA direct or differential. Class II by the
// alternative method is not confirmed (500 µA believed, a vendor table shows 200 µA), so it is
// deliberately absent: items give it in params.limits.equipment_uA with their source.
std::optional<Decimal> equipment_leakage_limit_uA(ProtectionClass cls, Method method) {
  if (cls == ProtectionClass::kI) return method == Method::kAlternative ? Decimal(1000) : Decimal(500);
  if (method == Method::kAlternative) return std::nullopt;
  return Decimal(100);
}

// Same sources: applied-part leakage (mains on applied part) BF 5000 µA, CF 50 µA, for class I
// and class II alike.
std::optional<Decimal> applied_part_limit_uA(AppliedPart part) {
  if (part == AppliedPart::kBF) return Decimal(5000);
  if (part == AppliedPart::kCF) return Decimal(50);
  return std::nullopt;
}

}  // namespace device::safety
