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

namespace {

std::string in_quotes(const std::string& s) { return "\"" + s + "\""; }

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

const sdk::json* find_id(const sdk::json& list, const std::string& id) {
  if (!list.is_array()) return nullptr;
  for (auto& x : list) {
    if (x.is_object() && x.value("id", "") == id) return &x;
  }
  return nullptr;
}

/// "a, b or c" of the options' texts.
std::string texts(const sdk::json& options) {
  std::string out;
  for (std::size_t i = 0; i < options.size(); ++i) {
    out += (i == 0 ? "" : i + 1 == options.size() ? " or " : ", ") + options[i].value("text", "");
  }
  return out;
}

/// The id of the option `typed` names (its id, or its id or text in any case).
std::string option_id(const sdk::json& options, const std::string& typed, const std::string& where) {
  auto t = lower(std::string(sdk::trim_typed(typed)));
  for (auto& o : options) {
    if (o.value("id", "") == typed) return typed;
  }
  for (auto& o : options) {
    if (lower(o.value("id", "")) == t || lower(o.value("text", "")) == t) return o.value("id", "");
  }
  throw sdk::ResponseError(where + ": " + in_quotes(typed) + " is not one of the options; choose " + texts(options));
}

std::string label_of(const sdk::json& interaction) {
  auto prompt = interaction.value("prompt", "");
  return prompt.empty() ? "'" + interaction.value("id", "") + "'" : lower(prompt.substr(0, 1)) + prompt.substr(1);
}

/// "cell Verdict of c2 B1.11": the labels as shown, their column-aligning spaces made one.
std::string cell_where(const sdk::json& row, const sdk::json& column) {
  std::string out;
  for (char c : "cell " + column.value("label", column.value("id", "")) + " of " + row.value("label", row.value("id", ""))) {
    if (c != ' ' || out.empty() || out.back() != ' ') out += c;
  }
  return out;
}

}  // namespace

sdk::json checked_response(const sdk::json& presentation, const sdk::json& response) {
  sdk::json out = sdk::json::object();
  const auto& interactions = presentation.at("interactions");
  for (auto& [id, value] : response.items()) {
    if (value.is_null()) continue;
    const sdk::json* in = find_id(interactions, id);
    if (in == nullptr) throw sdk::ResponseError("the item asks no question '" + id + "'");
    auto type = in->value("type", "");
    auto what = label_of(*in);
    auto strings = [&](const char* noun) {
      if (!value.is_array()) throw sdk::ResponseError(what + ": expected an array of " + noun + " ids");
      for (auto& x : value) {
        if (!x.is_string()) throw sdk::ResponseError(what + ": expected " + noun + " ids, found " + sdk::json_kind(x));
      }
    };
    if (type == "choice") {
      strings("option");
      sdk::json ids = sdk::json::array();
      for (auto& x : value) ids.push_back(option_id(in->at("options"), x.get<std::string>(), what));
      if (!in->value("multiple", false) && ids.size() > 1) {
        throw sdk::ResponseError(what + ": expected one option, found " + std::to_string(ids.size()));
      }
      out[id] = ids;
    } else if (type == "select-lines") {
      strings("line");
      const auto& lines = presentation.at("material").at(in->at("material").get<std::size_t>()).at("lines");
      for (auto& x : value) {
        if (find_id(lines, x.get<std::string>()) == nullptr) {
          throw sdk::ResponseError(what + ": there is no line " + in_quotes(x.get<std::string>()) + "; the lines are " +
                                   lines.front().value("id", "") + " to " + lines.back().value("id", ""));
        }
      }
      out[id] = value;
    } else if (type == "table") {
      if (!value.is_object()) throw sdk::ResponseError(what + ": expected an object {row id: {column id: text}}");
      sdk::json rows = sdk::json::object();
      for (auto& [row_id, cells] : value.items()) {
        const sdk::json* row = find_id(in->at("rows"), row_id);
        if (row == nullptr) throw sdk::ResponseError(what + ": the table has no row " + in_quotes(row_id));
        if (cells.is_null()) continue;
        if (!cells.is_object()) throw sdk::ResponseError(what + ": row " + in_quotes(row_id) + " is not an object");
        sdk::json kept = sdk::json::object();
        for (auto& [col_id, cell] : cells.items()) {
          const sdk::json* col = find_id(in->at("columns"), col_id);
          if (col == nullptr) throw sdk::ResponseError(what + ": the table has no column " + in_quotes(col_id));
          if (cell.is_null()) continue;
          if (!cell.is_string())
            throw sdk::ResponseError(cell_where(*row, *col) + ": expected text, found " + sdk::json_kind(cell));
          std::string text(sdk::trim_typed(cell.get_ref<const std::string&>()));
          if (text.empty()) continue;
          if (col->contains("options")) text = option_id(col->at("options"), text, cell_where(*row, *col));
          kept[col_id] = text;
        }
        if (!kept.empty()) rows[row_id] = kept;
      }
      out[id] = rows;
    } else if (type == "fields") {
      if (!value.is_object()) throw sdk::ResponseError(what + ": expected an object {field id: text}");
      sdk::json kept = sdk::json::object();
      for (auto& [field_id, text] : value.items()) {
        const sdk::json* field = find_id(in->at("fields"), field_id);
        if (field == nullptr) throw sdk::ResponseError(what + ": there is no field " + in_quotes(field_id));
        if (text.is_null()) continue;
        if (!text.is_string()) {
          throw sdk::ResponseError("field " + field->value("label", field_id) + ": expected text, found " + sdk::json_kind(text));
        }
        kept[field_id] = text;
      }
      out[id] = kept;
    } else {
      out[id] = value;
    }
  }
  return out;
}

void require_column(const sdk::json& presentation, const sdk::json& response, const std::string& id, const std::string& column) {
  auto t = response.find(id);
  if (t == response.end() || t->empty()) return;
  const sdk::json* in = find_id(presentation.at("interactions"), id);
  const sdk::json* col = find_id(in->at("columns"), column);
  for (auto& row : in->at("rows")) {
    auto r = t->find(row.value("id", ""));
    if (r != t->end() && r->contains(column)) continue;
    throw sdk::ResponseError(cell_where(row, *col) + " is empty: " +
                             (col->contains("options") ? "choose " + texts(col->at("options")) : std::string("fill it in")));
  }
}

sdk::json range_schema(int lo, int hi) {
  return sdk::json{{"type", "object"},
                   {"properties",
                    {{"min", {{"type", "integer"}, {"minimum", lo}, {"maximum", hi}}},
                     {"max", {{"type", "integer"}, {"minimum", lo}, {"maximum", hi}}}}},
                   {"required", {"min", "max"}},
                   {"additionalProperties", false}};
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
