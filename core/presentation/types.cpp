// The table of interaction types, and reading the members of an interaction a plugin may have
// left out.
#include <algorithm>

#include "detail.hpp"

namespace assay::presentation {

namespace detail {

std::string str(const json& j, const char* key) {
  if (!j.is_object()) return "";
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

const json& list(const json& j, const char* key) {
  static const json empty = json::array();
  if (!j.is_object()) return empty;
  auto it = j.find(key);
  return it != j.end() && it->is_array() ? *it : empty;
}

const json& member(const json& j, const char* key) {
  static const json none = json::array();
  if (!j.is_object()) return none;
  auto it = j.find(key);
  return it != j.end() ? *it : none;
}

std::optional<long long> count(const json& in, const char* key) {
  if (!in.is_object()) return std::nullopt;
  auto it = in.find(key);
  if (it == in.end() || !it->is_number_integer() || it->get<long long>() < 0) return std::nullopt;
  return it->get<long long>();
}

std::vector<std::string> strings(const json& arr) {
  std::vector<std::string> out;
  for (const auto& x : arr) out.push_back(x.is_string() ? x.get<std::string>() : x.dump());
  return out;
}

std::vector<std::string> ids_of(const json& list) {
  std::vector<std::string> ids;
  if (list.is_array())
    for (const auto& o : list) ids.push_back(o.value("id", ""));
  return ids;
}

std::optional<std::size_t> index_of(const json& list, const json& id) {
  for (std::size_t i = 0; i < list.size(); ++i)
    if (json(list[i].value("id", "")) == id) return i;
  return std::nullopt;
}

}  // namespace detail

const std::vector<InteractionType>& interaction_types() {
  // One entry per type, each defined in its own file. The order is the help's.
  static const std::vector<InteractionType> types = {
      detail::choice_type(),       detail::order_type(),   detail::match_type(),
      detail::select_lines_type(), detail::numeric_type(), detail::extended_text_type(),
      detail::text_type(),         detail::fields_type(),  detail::table_type(),
  };
  return types;
}

const InteractionType* find_interaction_type(std::string_view name) {
  const auto& types = interaction_types();
  auto it = std::find_if(types.begin(), types.end(), [&](const InteractionType& t) { return t.name == name; });
  return it != types.end() ? &*it : nullptr;
}

bool allows_empty(const nlohmann::json& interaction) {
  if (!interaction.is_object()) return false;
  const auto* t = find_interaction_type(detail::str(interaction, "type"));
  return t != nullptr && t->allows_empty != nullptr && t->allows_empty(interaction);
}

}  // namespace assay::presentation
