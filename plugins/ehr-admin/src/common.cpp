#include "common.hpp"

#include <cctype>

namespace assay::ehr {

std::string read_id(const sdk::Params& p) {
  auto s = p.str();
  if (s.empty() || s.size() > 64) p.fail("expected an id of 1 to 64 characters, found \"" + s + "\"");
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (!(std::islower(u) || std::isdigit(u) || c == '-' || c == '_')) {
      p.fail("expected an id of lowercase letters, digits, '-' and '_', found \"" + s + "\"");
    }
  }
  return s;
}

sdk::json presentation(const std::string& prompt, sdk::json material, sdk::json interactions) {
  return sdk::json{
      {"presentation", 1}, {"prompt", prompt}, {"material", std::move(material)}, {"interactions", std::move(interactions)}};
}

const sdk::json* response_member(const sdk::json& response, const std::string& id, sdk::json::value_t type) {
  auto it = response.find(id);
  if (it == response.end() || it->is_null()) return nullptr;
  if (it->type() != type) {
    static const char* kNames[] = {"null", "an object", "an array", "a string", "a boolean", "a number", "a number", "a number"};
    auto t = static_cast<std::size_t>(type);
    throw sdk::ResponseError("interaction '" + id + "': expected " + (t < 8 ? kNames[t] : "another value") + ", found " +
                             sdk::json_kind(*it));
  }
  return &*it;
}

sdk::json options_of(const std::vector<std::string>& ids) {
  sdk::json out = sdk::json::array();
  for (auto& i : ids) out.push_back({{"id", i}, {"text", i}});
  return out;
}

sdk::json table_interaction(const std::string& id, sdk::json rows, sdk::json columns, const std::string& prompt) {
  sdk::json t = {{"id", id}, {"type", "table"}};
  if (!prompt.empty()) t["prompt"] = prompt;
  t["rows"] = std::move(rows);
  t["columns"] = std::move(columns);
  return t;
}

std::map<std::string, std::string> table_column(const sdk::json& response, const std::string& id, const std::string& column,
                                                const std::string& what, bool keep_empty) {
  std::map<std::string, std::string> out;
  const sdk::json* t = response_member(response, id, sdk::json::value_t::object);
  if (t == nullptr) return out;
  for (auto& [row, cols] : t->items()) {
    if (!cols.is_object()) throw sdk::ResponseError("interaction '" + id + "': row '" + row + "' is not an object");
    auto it = cols.find(column);
    if (it == cols.end() || it->is_null()) continue;
    if (!it->is_string()) throw sdk::ResponseError("interaction '" + id + "': row '" + row + "': expected " + what);
    if (it->get_ref<const std::string&>().empty() && !keep_empty) continue;
    out[row] = it->get<std::string>();
  }
  return out;
}

std::set<std::string> selected_lines(const sdk::json& response, const std::string& id) {
  std::set<std::string> lines;
  if (auto f = response_member(response, id, sdk::json::value_t::array)) {
    for (auto& x : *f) {
      if (!x.is_string())
        throw sdk::ResponseError("interaction '" + id + "': expected line ids, found " + std::string(sdk::json_kind(x)));
      lines.insert(x.get<std::string>());
    }
  }
  return lines;
}

void read_range(const sdk::Params& p, const char* key, int lo, int hi, int& min, int& max) {
  auto q = p.find(key);
  if (!q) return;
  auto a = q->at("min").integer(), b = q->at("max").integer();
  if (a < lo || a > hi)
    q->at("min").fail("expected " + std::to_string(lo) + " to " + std::to_string(hi) + ", found " + std::to_string(a));
  if (b < a || b > hi) q->at("max").fail("expected 'min' to " + std::to_string(hi) + ", found " + std::to_string(b));
  min = static_cast<int>(a);
  max = static_cast<int>(b);
}

sdk::json flagged_and_named(const std::map<std::string, std::set<std::string>>& key, const std::string& table,
                            const std::string& column) {
  sdk::json flagged = sdk::json::array(), rows = sdk::json::object();
  for (auto& [id, kinds] : key) {
    flagged.push_back(id);
    rows[id] = {{column, *kinds.begin()}};
  }
  return sdk::json{{"flagged", flagged}, {table, rows}};
}

}  // namespace assay::ehr
