#include "response.hpp"

namespace assay::cyber {

std::optional<sdk::Decimal> numeric_answer(const sdk::json& response, std::string_view id) {
  auto it = response.find(id);
  if (it == response.end() || it->is_null()) return std::nullopt;
  const sdk::json* value = &*it;
  if (it->is_object()) {
    auto v = it->find("value");
    if (v == it->end()) throw sdk::ResponseError("'" + std::string(id) + "': expected {\"value\": \"<decimal>\"}");
    value = &*v;
  }
  if (!value->is_string() && !value->is_number()) {
    throw sdk::ResponseError("'" + std::string(id) + "': expected a decimal number as a string");
  }
  return sdk::decimal_from_json(*value);
}

std::optional<std::string> text_answer(const sdk::json& response, std::string_view id) {
  auto it = response.find(id);
  if (it == response.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) throw sdk::ResponseError("'" + std::string(id) + "': expected a string");
  return it->get<std::string>();
}

std::set<std::string> ids_answer(const sdk::json& response, std::string_view id) {
  std::set<std::string> out;
  auto it = response.find(id);
  if (it == response.end() || it->is_null()) return out;
  if (!it->is_array()) throw sdk::ResponseError("'" + std::string(id) + "': expected an array of ids");
  for (const auto& e : *it) {
    if (!e.is_string()) throw sdk::ResponseError("'" + std::string(id) + "': expected an array of ids");
    out.insert(e.get<std::string>());
  }
  return out;
}

sdk::Credit selection_credit(const std::set<std::string>& key, const std::set<std::string>& chosen) {
  if (key.empty()) return sdk::Credit::of(chosen.empty());
  std::uint64_t hits = 0, misses = 0;
  for (const auto& c : chosen) (key.count(c) != 0 ? hits : misses) += 1;
  return sdk::Credit::fraction(hits > misses ? hits - misses : 0, key.size());
}

}  // namespace assay::cyber
