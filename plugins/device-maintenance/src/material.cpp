#include "material.hpp"

namespace device {

json presentation(const std::string& prompt) {
  return json{{"presentation", 1}, {"prompt", prompt}, {"material", json::array()}, {"interactions", json::array()}};
}

json text_material(const std::string& text) { return json{{"kind", "text"}, {"text", text}}; }

json table_material(const std::vector<std::string>& columns, const std::vector<std::vector<std::string>>& rows) {
  return json{{"kind", "table"}, {"columns", columns}, {"rows", rows}};
}

json choice(const std::string& id, const std::string& prompt, const std::vector<std::pair<std::string, std::string>>& options,
            bool multiple) {
  json opts = json::array();
  for (auto& [oid, text] : options) opts.push_back({{"id", oid}, {"text", text}});
  return json{{"id", id}, {"type", "choice"}, {"prompt", prompt}, {"multiple", multiple}, {"options", opts}};
}

const std::vector<std::pair<std::string, std::string>>& pass_fail() {
  static const std::vector<std::pair<std::string, std::string>> kOptions = {{"pass", "Pass"}, {"fail", "Fail"}};
  return kOptions;
}

std::optional<std::string> single_choice(const json& response, const std::string& id) {
  auto it = response.find(id);
  if (it == response.end()) return std::nullopt;
  if (it->is_string()) return it->get<std::string>();
  if (!it->is_array() || it->size() != 1 || !(*it)[0].is_string()) return std::nullopt;
  return (*it)[0].get<std::string>();
}

std::optional<std::string> table_cell(const json& response, const std::string& interaction, const std::string& row,
                                      const std::string& column) {
  auto t = response.find(interaction);
  if (t == response.end() || !t->is_object()) return std::nullopt;
  auto r = t->find(row);
  if (r == t->end() || !r->is_object()) return std::nullopt;
  auto c = r->find(column);
  if (c == r->end() || !c->is_string()) return std::nullopt;
  return c->get<std::string>();
}

}  // namespace device
