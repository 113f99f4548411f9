// numeric: a decimal number and, where asked, its unit (4.95 mA).
#include <fmt/format.h>

#include <algorithm>
#include <assay/sdk/decimal.hpp>
#include <assay/sdk/reading.hpp>
#include <assay/sdk/rng.hpp>

#include "detail.hpp"

namespace assay::presentation::detail {

namespace numeric_kind {

std::string hint(const json& in) {
  std::string unit = str(in, "unit");
  auto units = strings(list(in, "units"));
  std::string text = str(in, "decimal_mark") == "comma" ? "enter a number with a decimal comma (4,95)" : "enter a number";
  if (!unit.empty()) text += " in " + unit;
  if (!units.empty()) {
    text += "; units:";
    for (const auto& u : units) text += " " + u;
  }
  return text;
}

// Unlike the other hint lines, wrapped with its indent inside the text: its continuation lines
// hang two columns further in.
std::string render(const json& in, bool color, std::size_t cols) {
  return styled(Style{color}, &Style::dim, wrap("  (" + hint(in) + ")", cols, "", "   "));
}

Expected<json, std::string> parse(const json& in, const json&, std::string_view input) {
  // Read as sdk::read_quantity reads it for the plugin: the Unicode minus, a leading '+', digit
  // groups and the spaces people paste, a unit with or without a space ("500uA"); the value is
  // passed on in plain digits and the unit as typed, the plugin converting it exactly.
  std::string problem;
  auto mark = str(in, "decimal_mark") == "comma" ? sdk::DecimalMark::kComma : sdk::DecimalMark::kPoint;
  auto quantity = sdk::read_quantity(input, &problem, mark);
  if (!quantity) return problem;
  json out = {{"value", quantity->value.to_string()}};
  std::vector<std::string> units;
  if (in.contains("units"))
    for (const auto& u : in["units"]) units.push_back(u.get<std::string>());
  std::string fixed = in.value("unit", "");
  if (fixed.empty() && units.size() == 1) fixed = units[0];
  const std::string& unit = quantity->unit;
  if (!unit.empty()) {
    // Any unit that converts to one the item asks for ("0.5 mA" for µA); never one that does not.
    std::vector<std::string> wanted = units.empty() ? std::vector<std::string>{fixed} : units;
    bool converts = false;
    for (const auto& w : wanted) converts = converts || (!w.empty() && sdk::unit_factor(unit, w).has_value());
    if (wanted.size() == 1 && wanted[0].empty()) return fmt::format("this answer takes no unit, found '{}'", unit);
    if (!converts)
      return fmt::format("'{}' cannot be converted to {}", unit,
                         wanted.size() == 1 ? wanted[0] : "any of " + fmt::format("{}", fmt::join(wanted, ", ")));
    out["unit"] = unit;
  } else if (!fixed.empty()) {
    out["unit"] = fixed;
  } else if (!units.empty()) {
    return fmt::format("give the unit too: {} (e.g. {} {})", fmt::join(units, ", "), out["value"].get<std::string>(), units[0]);
  }
  return out;
}

json enter(const json& in, const json& presentation, const json* kept, Keyboard& keyboard) {
  return enter_line(in, presentation, kept, keyboard);
}

std::string keys(const json&, const json&, const json& value) {
  auto text = [&](const char* key) { return value.contains(key) && value[key].is_string(); };
  if (!value.is_object() || !text("value") || (value.contains("unit") && !text("unit"))) return as_json(value);
  return value["value"].get<std::string>() + (value.contains("unit") ? " " + value["unit"].get<std::string>() : "");
}

json guess(const json&, const json&, const json& correct, sdk::Rng& rng) {
  json out = correct.is_object() ? correct : json::object();
  auto value = sdk::Decimal::from_json(out.value("value", json("0")));
  auto base = value ? *value : sdk::Decimal(0);
  auto percent = static_cast<std::int64_t>(rng.between(10, 30)) * (rng.chance(1, 2) ? 1 : -1);
  auto off = base * sdk::Decimal(percent).scaled(-2);
  if (off == sdk::Decimal(0)) off = sdk::Decimal(percent);
  out["value"] = (base + off).to_string();
  return out;
}

std::string readable(const json& in, const json& presentation, const json& value) { return keys(in, presentation, value); }

}  // namespace numeric_kind

InteractionType numeric_type() {
  using namespace numeric_kind;
  return {.name = "numeric",
          .help = {{"numbers", "the value and, if asked, its unit (4.95 mA)"}},
          .hint = hint,
          .render = render,
          .allows_empty = nullptr,
          .parse = parse,
          .enter = enter,
          .keys = keys,
          .readable = readable,
          .guess = guess};
}

}  // namespace assay::presentation::detail
