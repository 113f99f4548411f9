#include "response.hpp"

namespace assay::cyber {

namespace {

std::string in_quotes(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string name_of(std::string_view id, std::string_view label) {
  return label.empty() ? "'" + std::string(id) + "'" : std::string(label);
}

}  // namespace

std::optional<sdk::Decimal> numeric_answer(const sdk::json& response, std::string_view id, std::string_view label,
                                           sdk::Decimal lo, sdk::Decimal hi) {
  auto it = response.find(id);
  if (it == response.end() || it->is_null()) return std::nullopt;
  auto what = name_of(id, label);
  const sdk::json* value = &*it;
  if (it->is_object()) {
    auto v = it->find("value");
    if (v == it->end() || v->is_null()) return std::nullopt;
    value = &*v;
    auto unit = it->find("unit");
    if (unit != it->end() && unit->is_string() && !sdk::trim_typed(unit->get_ref<const std::string&>()).empty()) {
      const auto& u = unit->get_ref<const std::string&>();
      bool digits = u.find_first_not_of("0123456789") == std::string::npos;
      throw sdk::ResponseError(what + ": " +
                               (digits ? "expected one decimal number, found " +
                                             in_quotes(value->is_string() ? value->get<std::string>() : "") + " followed by " +
                                             in_quotes(u) + "; write it with a point for decimals (such as 9.8)"
                                       : "expected a number without a unit (such as 9.8), found the unit " + in_quotes(u)));
    }
  }
  std::optional<sdk::Decimal> d;
  if (value->is_string()) {
    if (sdk::trim_typed(value->get_ref<const std::string&>()).empty()) return std::nullopt;
    std::string problem;
    d = sdk::read_number(value->get_ref<const std::string&>(), &problem);
    if (!d) throw sdk::ResponseError(what + ": " + problem);
  } else if (value->is_number()) {
    d = sdk::decimal_from_json(*value);
  }
  if (!d) throw sdk::ResponseError(what + ": expected a decimal number as a string, found " + sdk::json_kind(*value));
  if (*d < lo || *d > hi) {
    throw sdk::ResponseError(what + ": expected a number from " + lo.to_fixed(1) + " to " + hi.to_fixed(1) + ", found " +
                             in_quotes(d->to_string()));
  }
  return d;
}

std::optional<std::string> text_answer(const sdk::json& response, std::string_view id) {
  auto it = response.find(id);
  if (it == response.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) throw sdk::ResponseError("'" + std::string(id) + "': expected a string");
  return it->get<std::string>();
}

std::set<std::string> ids_answer(const sdk::json& response, std::string_view id, const std::set<std::string>& allowed,
                                 std::string_view label, std::string_view noun) {
  std::set<std::string> out;
  auto it = response.find(id);
  if (it == response.end() || it->is_null()) return out;
  auto what = name_of(id, label);
  if (!it->is_array()) throw sdk::ResponseError(what + ": expected an array of ids");
  for (const auto& e : *it) {
    if (!e.is_string()) throw sdk::ResponseError(what + ": expected an array of ids");
    const auto& s = e.get_ref<const std::string&>();
    if (!allowed.empty() && allowed.count(s) == 0) {
      throw sdk::ResponseError(what + ": " + std::string(noun) + " " + in_quotes(s) + " is not one of the " + std::string(noun) +
                               "s offered" + (allowed.size() <= 12 ? " (" + quoted_list(allowed) + ")" : ""));
    }
    out.insert(s);
  }
  return out;
}

std::optional<std::string> single_answer(const sdk::json& response, std::string_view id, const std::vector<std::string>& options,
                                         std::string_view label) {
  std::set<std::string> allowed(options.begin(), options.end());
  auto chosen = ids_answer(response, id, allowed, label);
  if (chosen.empty()) return std::nullopt;
  if (chosen.size() > 1) {
    throw sdk::ResponseError(name_of(id, label) + ": expected one option, found " + std::to_string(chosen.size()) + " (" +
                             quoted_list(chosen) + ")");
  }
  return *chosen.begin();
}

std::string quoted_list(const std::set<std::string>& ids) {
  return quoted_list(std::vector<std::string>(ids.begin(), ids.end()));
}

std::string quoted_list(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& s : ids) out += (out.empty() ? "" : ", ") + in_quotes(s);
  return out;
}

sdk::Credit selection_credit(const std::set<std::string>& key, const std::set<std::string>& chosen) {
  if (key.empty()) return sdk::Credit::of(chosen.empty());
  std::uint64_t hits = 0, misses = 0;
  for (const auto& c : chosen) (key.count(c) != 0 ? hits : misses) += 1;
  return sdk::Credit::fraction(hits > misses ? hits - misses : 0, key.size());
}

}  // namespace assay::cyber
