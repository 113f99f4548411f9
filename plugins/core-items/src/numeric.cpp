#include "numeric.hpp"

#include <array>
#include <assay/sdk/utf8.hpp>
#include <cctype>

namespace assay::core_items {

namespace {

using sdk::Decimal;

constexpr std::size_t kMaxDigits = 18;  // per entered or authored number: products stay within 36

struct Prefix {
  std::string_view symbol;
  int exponent;
};
// SI prefixes (SI Brochure, 9th edition, table 7), plus "u" for micro as typed on keyboards and
// both code points for micro (U+00B5 MICRO SIGN, U+03BC GREEK SMALL LETTER MU). The 2022
// prefixes (R, Q, r, q) are left out: no measurement in these assessments needs them.
constexpr std::array<Prefix, 23> kPrefixes = {{{"", 0},    {"Y", 24},  {"Z", 21},  {"E", 18},      {"P", 15},      {"T", 12},
                                               {"G", 9},   {"M", 6},   {"k", 3},   {"h", 2},       {"da", 1},      {"d", -1},
                                               {"c", -2},  {"m", -3},  {"u", -6},  {"\u00b5", -6}, {"\u03bc", -6}, {"n", -9},
                                               {"p", -12}, {"f", -15}, {"a", -18}, {"z", -21},     {"y", -24}}};

std::optional<int> prefix_exponent(std::string_view prefix) {
  for (const auto& p : kPrefixes) {
    if (p.symbol == prefix) return p.exponent;
  }
  return std::nullopt;
}

/// Digits of the plain decimal text: {before the point, after it}.
std::pair<std::size_t, std::size_t> digit_counts(const Decimal& d) {
  auto text = d.to_string();
  if (!text.empty() && text[0] == '-') text.erase(0, 1);
  auto dot = text.find('.');
  if (dot == std::string::npos) return {text.size(), 0};
  return {dot, text.size() - dot - 1};
}

std::size_t significant_digits(const Decimal& d) {
  auto text = d.to_string();
  std::string digits;
  for (char c : text) {
    if (c >= '0' && c <= '9') digits += c;
  }
  auto first = digits.find_first_not_of('0');
  if (first == std::string::npos) return 0;
  auto last = digits.find_last_not_of('0');
  return last - first + 1;
}

/// Digits needed to hold both values at a common exponent; sums beyond 36 could overflow.
std::size_t aligned_digits(const Decimal& a, const Decimal& b) {
  auto [ai, af] = digit_counts(a);
  auto [bi, bf] = digit_counts(b);
  return std::max(ai, bi) + std::max(af, bf);
}

Decimal bounded_decimal(const sdk::Params& p) {
  auto d = p.decimal();
  auto n = significant_digits(d);
  if (n > kMaxDigits)
    p.fail("expected at most " + std::to_string(kMaxDigits) + " significant digits, found " + std::to_string(n));
  return d;
}

Decimal non_negative(const sdk::Params& p) {
  auto d = bounded_decimal(p);
  if (d.sign() < 0) p.fail("expected 0 or more, found \"" + d.to_string() + "\"");
  return d;
}

std::string unit_list(const std::vector<Numeric::Unit>& units) {
  std::string out;
  for (const auto& u : units) out += (out.empty() ? "" : ", ") + quote(u.symbol);
  return out;
}

}  // namespace

std::optional<Decimal> Numeric::si_factor(std::string_view from, std::string_view to) {
  for (std::size_t base = std::min(from.size(), to.size()); base >= 1; --base) {
    if (from.substr(from.size() - base) != to.substr(to.size() - base)) continue;
    auto pf = prefix_exponent(from.substr(0, from.size() - base));
    auto pt = prefix_exponent(to.substr(0, to.size() - base));
    if (pf && pt) return Decimal(1).scaled(*pf - *pt);
  }
  return std::nullopt;
}

json Numeric::schema() {
  return sdk::object_schema(
      {{"prompt", {{"type", "string"}, {"minLength", 1}, {"description", "the question"}}},
       {"answer", sdk::secret({{"type", {"string", "number"}}, {"description", "the correct value, in 'unit'"}})},
       {"tolerance", {{"type", {"string", "number"}}, {"description", "accepted absolute deviation, in 'unit' (inclusive)"}}},
       {"partial",
        sdk::secret(
            {{"type", "array"},
             {"items",
              {{"type", "object"},
               {"properties",
                {{"value", {{"type", {"string", "number"}}}},
                 {"tolerance", {{"type", {"string", "number"}}}},
                 {"min", {{"type", {"string", "number"}}}},
                 {"max", {{"type", {"string", "number"}}}},
                 {"credit", percent_schema("")}}},
               {"required", {"credit"}},
               {"additionalProperties", false}}},
             {"description",
              "other answers earning part of the credit, in 'unit': { value, tolerance, credit } or { min, max, credit }, "
              "credit in percent (0 to 100); a value in several earns the best"}})},
       {"tolerance_percent",
        {{"type", {"string", "number"}}, {"description", "accepted deviation in percent of |answer| (inclusive)"}}},
       {"unit", {{"type", "string"}, {"minLength", 1}, {"maxLength", 40}, {"description", "the unit of the answer"}}},
       {"decimal_mark",
        {{"enum", {"point", "comma"}},
         {"default", "point"},
         {"description", "how the item's locale writes decimals: 4.95 (point) or 4,95 (comma); the other mark is refused"}}},
       {"units",
        {{"description", "other units accepted: symbols differing from 'unit' by an SI prefix, or { symbol = factor to 'unit' }"},
         {"oneOf",
          {{{"type", "array"}, {"items", {{"type", "string"}, {"minLength", 1}, {"maxLength", 40}}}},
           {{"type", "object"}, {"additionalProperties", {{"type", {"string", "number"}}}}}}}}}},
      {"prompt", "answer"});
}

std::vector<sdk::Criterion> Numeric::criteria() { return {{"correct", "the value is within the tolerance"}}; }

std::vector<sdk::Example> Numeric::examples() {
  return {{"milliamperes with prefixes",
           {{"prompt", "A 10 V source drives a 2 kilohm resistor. What current flows?"},
            {"answer", "5"},
            {"tolerance", "0.1"},
            {"unit", "mA"},
            {"units", {"A", "uA"}}},
           {{"answer", "7"}},
           3,
           {{"correct", {{"answer", {{"value", "5"}, {"unit", "mA"}}}}, {sdk::Credit::full()}},
            {"at the limit", {{"answer", {{"value", "4.9"}, {"unit", "mA"}}}}, {sdk::Credit::full()}},
            {"in amperes", {{"answer", {{"value", "0.00505"}, {"unit", "A"}}}}, {sdk::Credit::full()}},
            {"just outside", {{"answer", {{"value", "5101"}, {"unit", "uA"}}}}, {sdk::Credit::none()}},
            {"wrong unit magnitude", {{"answer", {{"value", "5"}, {"unit", "A"}}}}, {sdk::Credit::none()}},
            {"the unit typed with the value", {{"answer", {{"value", "5 mA"}}}}, {sdk::Credit::full()}}},
           {{"decimal comma", {{"answer", {{"value", "4,95"}, {"unit", "mA"}}}}},
            {"a unit the item cannot convert", {{"answer", {{"value", "5"}, {"unit", "mV"}}}}},
            {"no unit where the item offers several", {{"answer", {{"value", "5"}}}}}}},
          {"partial credit for nearby answers",
           {{"prompt", "A 10 V source drives a 2 kilohm resistor. What current flows, in mA?"},
            {"answer", "5"},
            {"tolerance", "0.1"},
            {"unit", "mA"},
            {"partial", {{{"value", "0.005"}, {"credit", 50}}, {{"min", "4"}, {"max", "6"}, {"credit", "25"}}}}},
           {{"answer", "20"}, {"partial", {{{"value", "2"}, {"credit", 50}}}}},
           11,
           {{"correct", {{"answer", {{"value", "5.05"}, {"unit", "mA"}}}}, {sdk::Credit::full()}},
            {"the unit slip", {{"answer", {{"value", "0.005"}, {"unit", "mA"}}}}, {sdk::Credit::fraction(1, 2)}},
            {"near", {{"answer", {{"value", "5.9"}, {"unit", "mA"}}}}, {sdk::Credit::fraction(1, 4)}},
            {"far", {{"answer", {{"value", "7"}, {"unit", "mA"}}}}, {sdk::Credit::none()}}}},
          {"percent tolerance, no unit",
           {{"prompt", "What is 1/8 written as a decimal?"}, {"answer", "0.125"}, {"tolerance_percent", "2"}},
           {{"answer", "0.25"}},
           11,
           {{"correct", {{"answer", {{"value", "0.125"}}}}, {sdk::Credit::full()}},
            {"at 2 percent", {{"answer", {{"value", "0.1275"}}}}, {sdk::Credit::full()}},
            {"beyond 2 percent", {{"answer", {{"value", "0.1276"}}}}, {sdk::Credit::none()}}},
           {{"a fraction instead of a decimal", {{"answer", {{"value", "1/8"}}}}},
            {"a unit on a number without one", {{"answer", {{"value", "0.125"}, {"unit", "%"}}}}}}}};
}

Numeric Numeric::prepare(const json& params) {
  sdk::Params p(params);
  check_keys(p, {"prompt", "answer", "tolerance", "tolerance_percent", "partial", "unit", "units", "decimal_mark"});
  Numeric item;
  item.prompt_ = required_text(p, "prompt");
  if (auto m = p.find("decimal_mark")) {
    auto mark = m->str();
    if (mark != "point" && mark != "comma") m->fail("expected \"point\" or \"comma\", found \"" + mark + "\"");
    if (mark == "comma") item.mark_ = sdk::DecimalMark::kComma;
  }
  item.answer_ = bounded_decimal(p.at("answer"));
  Decimal allowed;
  if (auto t = p.find("tolerance")) allowed = non_negative(*t);
  if (auto t = p.find("tolerance_percent")) {
    Decimal relative = item.answer_.abs() * non_negative(*t).scaled(-2);
    if (relative > allowed) allowed = relative;
  }
  if (aligned_digits(item.answer_, allowed) > 36) {
    p.at(p.has("tolerance") ? "tolerance" : "tolerance_percent")
        .fail("the tolerance and the answer differ too much in scale (over 36 digits)");
  }
  item.low_ = item.answer_ - allowed;
  item.high_ = item.answer_ + allowed;
  if (auto partial = p.find("partial")) {
    for (const auto& entry : partial->items()) {
      check_keys(entry, {"value", "tolerance", "min", "max", "credit"});
      Band band;
      band.credit = percent_credit(entry.at("credit"), false);
      if (entry.has("value")) {
        if (entry.has("min") || entry.has("max")) entry.fail("give either value (and tolerance) or min and max");
        Decimal value = bounded_decimal(entry.at("value"));
        Decimal tolerance = entry.has("tolerance") ? non_negative(entry.at("tolerance")) : Decimal();
        if (aligned_digits(value, tolerance) > 36)
          entry.at("tolerance").fail("the tolerance and the value differ too much in scale");
        band.low = value - tolerance;
        band.high = value + tolerance;
      } else {
        if (!entry.has("min") || !entry.has("max") || entry.has("tolerance"))
          entry.fail("expected { value, tolerance, credit } or { min, max, credit }");
        band.low = bounded_decimal(entry.at("min"));
        band.high = bounded_decimal(entry.at("max"));
        if (band.high < band.low) entry.at("max").fail("expected max >= min");
      }
      item.partial_.push_back(band);
    }
  }

  // A response names its unit in at most 40 characters (response.schema.json): a longer symbol
  // could never be answered.
  constexpr std::size_t kMaxUnit = 40;
  auto check_length = [&](const sdk::Params& at, const std::string& symbol) {
    if (auto n = sdk::utf8_length(symbol); n > kMaxUnit)
      at.fail("expected a unit of at most " + std::to_string(kMaxUnit) + " characters, found " + std::to_string(n));
  };
  if (auto u = p.find("unit")) {
    item.unit_ = u->str();
    if (item.unit_.empty()) u->fail("expected a non-empty string");
    check_length(*u, item.unit_);
    item.units_.push_back({item.unit_, Decimal(1)});
  }
  if (auto units = p.find("units")) {
    if (item.unit_.empty()) units->fail("'units' needs 'unit', the unit of the answer");
    auto add = [&](const sdk::Params& at, std::string symbol, Decimal factor) {
      if (symbol.empty()) at.fail("expected a non-empty unit symbol");
      check_length(at, symbol);
      for (const auto& known : item.units_) {
        if (known.symbol == symbol && known.factor != factor)
          at.fail("unit '" + symbol + "' is given twice with different factors");
        if (known.symbol == symbol) return;
      }
      item.units_.push_back({std::move(symbol), factor});
    };
    if (units->value().is_array()) {
      for (const auto& entry : units->items()) {
        auto symbol = entry.str();
        auto factor = si_factor(symbol, item.unit_);
        if (!factor) {
          entry.fail("cannot convert '" + symbol + "' to '" + item.unit_ + "' by an SI prefix; give units as a table of factors");
        }
        add(entry, symbol, *factor);
      }
    } else if (units->value().is_object()) {
      for (const auto& [symbol, entry] : units->members()) {
        auto factor = bounded_decimal(entry);
        if (factor.sign() <= 0) entry.fail("expected a factor greater than 0, found \"" + factor.to_string() + "\"");
        add(entry, symbol, factor);
      }
    } else {
      units->fail(std::string("expected an array of unit symbols or a table of factors, found ") +
                  sdk::json_kind(units->value()));
    }
    item.choose_unit_ = item.units_.size() > 1;
  }
  return item;
}

json Numeric::present(std::uint64_t) const {
  json interaction = {{"id", kAnswer}, {"type", "numeric"}};
  if (choose_unit_) {
    json symbols = json::array();
    for (const auto& u : units_) symbols.push_back(u.symbol);
    interaction["units"] = std::move(symbols);
  } else if (!unit_.empty()) {
    interaction["unit"] = unit_;
  }
  if (mark_ == sdk::DecimalMark::kComma) interaction["decimal_mark"] = "comma";
  return presentation(prompt_, std::move(interaction));
}

std::optional<Numeric::Entered> Numeric::entered(const json& response) const {
  const json* answer = answer_of(response);
  if (answer == nullptr) return std::nullopt;
  if (!answer->is_object())
    throw sdk::ResponseError(std::string("expected an object with a \"value\", found ") + sdk::json_kind(*answer));
  auto value = answer->find("value");
  if (value == answer->end() || value->is_null()) return std::nullopt;
  if (!value->is_string())
    throw sdk::ResponseError(std::string("expected a decimal number as a string, found ") + sdk::json_kind(*value));
  std::string_view text = sdk::trim_typed(value->get_ref<const std::string&>());
  if (text.empty()) return std::nullopt;  // nothing entered
  // The value may carry its unit ("5 mA", "5mA"); the number is read as people write it.
  // A response carries the number with a point (response v1); where the item's locale writes a
  // decimal comma, a value typed that way is read too.
  std::string problem;
  auto quantity = sdk::read_quantity(text, &problem);
  if (!quantity && mark_ == sdk::DecimalMark::kComma) quantity = sdk::read_quantity(text, &problem, mark_);
  if (!quantity) throw sdk::ResponseError(problem);
  if (auto n = significant_digits(quantity->value); n > kMaxDigits) {
    throw sdk::ResponseError("expected at most " + std::to_string(kMaxDigits) + " significant digits, found " +
                             std::to_string(n));
  }

  auto u = answer->find("unit");
  bool has_unit = u != answer->end() && !u->is_null() && !(u->is_string() && u->get_ref<const std::string&>().empty());
  if (has_unit && !u->is_string())
    throw sdk::ResponseError(std::string("expected a unit as a string, found ") + sdk::json_kind(*u));
  std::string symbol = has_unit ? std::string(sdk::trim_typed(u->get_ref<const std::string&>())) : "";
  if (!symbol.empty() && (std::isdigit(static_cast<unsigned char>(symbol[0])) || symbol[0] == ',' || symbol[0] == '.')) {
    // "11,112" or "11 112" split into a value and a "unit": one number was meant.
    throw sdk::ResponseError("expected one decimal number, found " + quote(text) + " followed by " + quote(symbol) +
                             "; write it with a point for decimals and no thousands separators (such as 4.95)");
  }
  if (!quantity->unit.empty()) {
    // A unit typed with the value wins over the item's own unit filled in beside it.
    bool filled_in = symbol.empty() || (!choose_unit_ && symbol == unit_);
    if (!filled_in && sdk::unit_factor(quantity->unit, symbol) != Decimal(1)) {
      throw sdk::ResponseError("the value " + quote(text) + " has a unit of its own and " + quote(symbol) +
                               " is given too; give the unit once");
    }
    symbol = quantity->unit;
  }

  Entered e{quantity->value, quantity->value.to_string(), nullptr, {}, Decimal(1)};
  if (!symbol.empty()) {
    if (units_.empty()) throw sdk::ResponseError("this item takes no unit, found " + quote(symbol));
    for (const auto& known : units_) {
      if (known.symbol == symbol) e.unit = &known;
    }
    // Another spelling of an offered unit ("ohms" for "ohm", "µA" for "uA"), else any unit the
    // answer's unit converts to by an SI prefix ("0.5 A" for an item in mA).
    for (auto it = units_.begin(); e.unit == nullptr && it != units_.end(); ++it) {
      if (sdk::unit_factor(symbol, it->symbol) == Decimal(1)) e.unit = &*it;
    }
    if (e.unit == nullptr) {
      auto factor = sdk::unit_factor(symbol, unit_);
      if (!factor) {
        throw sdk::ResponseError("unknown unit " + quote(symbol) + ": expected the value in " +
                                 (units_.size() == 1 ? quote(unit_) : "one of " + unit_list(units_)));
      }
      e.unit = &units_.front();
      e.factor = *factor;
    } else {
      e.factor = e.unit->factor;
    }
    e.symbol = symbol;
  } else if (choose_unit_) {
    throw sdk::ResponseError("expected a unit, one of " + unit_list(units_));
  } else if (!units_.empty()) {
    e.unit = &units_.front();
    e.symbol = unit_;
  }
  e.value = e.value * e.factor;
  return e;
}

std::int64_t Numeric::credit(const Decimal& value) const {
  if (low_ <= value && value <= high_) return kFullCredit;
  std::int64_t best = 0;
  for (const auto& band : partial_)
    if (band.low <= value && value <= band.high) best = std::max(best, band.credit);
  return best;
}

std::vector<sdk::Credit> Numeric::score(std::uint64_t, const json& response) const {
  auto e = entered(response);
  return {e ? credit_of_units(credit(e->value)) : sdk::Credit::none()};
}

json Numeric::solve(std::uint64_t) const {
  json value = {{"value", answer_.to_string()}};
  if (!unit_.empty()) value["unit"] = unit_;
  return {{kAnswer, std::move(value)}};
}

std::string Numeric::feedback(std::uint64_t, const json& response) const {
  auto e = entered(response);
  if (!e) return "no value was entered";
  std::string entered = e->text;
  if (!e->symbol.empty()) entered += " " + e->symbol;
  // An answer in another unit is compared after an exact conversion; say so.
  if (e->unit != nullptr && e->symbol != unit_) entered += " (" + e->value.to_string() + " " + unit_ + ")";
  if (auto units = credit(e->value); units > 0 && units < kFullCredit)
    return "partly right: " + entered + " earns " + percent_text(units) + "; it is outside the fully accepted range";
  if (e->value < low_) return "incorrect: " + entered + " is below the accepted range";
  if (e->value > high_) return "incorrect: " + entered + " is above the accepted range";
  return "correct: " + entered + " is within the accepted range";
}

}  // namespace assay::core_items
