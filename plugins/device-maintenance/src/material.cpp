#include "material.hpp"

#include <algorithm>

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

std::string overall_feedback(bool device_passes, const std::string& given) {
  if (given.empty()) return "; you gave no overall verdict.";
  if (given == verdict_id(device_passes)) return "; your overall verdict is right.";
  if (given == verdict_id(true))
    return "; your overall verdict is wrong, and unsafe: you passed for service a device that fails, the error that must "
           "never happen.";
  return "; your overall verdict is wrong, but over-cautious rather than unsafe: you held back a device that passes.";
}

namespace {

std::string in_quotes(const std::string& s) { return "\"" + s + "\""; }

std::string lower(std::string s) {
  for (auto& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

/// The option `typed` names (its id or text, in any case), or nullopt.
std::optional<std::string> option_named(const std::string& typed, const Options& options) {
  auto t = lower(std::string(assay::sdk::trim_typed(typed)));
  for (auto& [id, text] : options) {
    if (t == lower(id) || t == lower(text)) return id;
  }
  return std::nullopt;
}

/// "choose Pass or Fail", "choose A, B or C".
std::string choose(const Options& options) {
  std::string out = "choose ";
  for (std::size_t i = 0; i < options.size(); ++i) {
    out += (i == 0 ? "" : i + 1 == options.size() ? " or " : ", ") + options[i].second;
  }
  return out;
}

std::string not_offered(const std::string& what, const std::string& typed, const Options& options) {
  return what + ": " + in_quotes(typed) + " is not one of the options; " + choose(options);
}

}  // namespace

std::optional<std::string> single_choice(const json& response, const std::string& id, const Options& options,
                                         const std::string& label) {
  auto it = response.find(id);
  if (it == response.end() || it->is_null()) return std::nullopt;
  std::vector<std::string> typed;
  if (it->is_string()) {
    typed.push_back(it->get<std::string>());
  } else if (it->is_array()) {
    for (auto& v : *it) {
      if (!v.is_string()) throw assay::sdk::ResponseError(label + ": expected an array of option ids");
      typed.push_back(v.get<std::string>());
    }
  } else {
    throw assay::sdk::ResponseError(label + ": expected an array of option ids");
  }
  if (typed.empty()) return std::nullopt;
  if (typed.size() > 1) {
    throw assay::sdk::ResponseError(label + ": expected one option, found " + std::to_string(typed.size()) + "; " +
                                    choose(options));
  }
  auto chosen = option_named(typed[0], options);
  if (!chosen) throw assay::sdk::ResponseError(not_offered(label, typed[0], options));
  return chosen;
}

std::set<std::string> multiple_choice(const json& response, const std::string& id, const Options& options,
                                      const std::string& label) {
  std::set<std::string> out;
  auto it = response.find(id);
  if (it == response.end() || it->is_null()) return out;
  if (!it->is_array()) throw assay::sdk::ResponseError(label + ": expected an array of option ids");
  for (auto& v : *it) {
    if (!v.is_string()) throw assay::sdk::ResponseError(label + ": expected an array of option ids");
    auto chosen = option_named(v.get<std::string>(), options);
    if (!chosen) {
      throw assay::sdk::ResponseError(label + ": " + in_quotes(v.get<std::string>()) + " is not one of the options");
    }
    out.insert(*chosen);
  }
  return out;
}

std::string cell_name(const Options& rows, const std::string& row, const Column& column) {
  std::string label = row;
  for (auto& [id, text] : rows) {
    if (id == row) label = text;
  }
  return "cell " + column.label + " of " + label;
}

std::optional<TableAnswer> table_answer(const json& response, const std::string& interaction, const Options& rows,
                                        const std::vector<Column>& columns) {
  auto t = response.find(interaction);
  if (t == response.end() || t->is_null()) return std::nullopt;
  if (!t->is_object()) throw assay::sdk::ResponseError("'" + interaction + "': expected an object {row id: {column id: text}}");
  bool any = false;
  for (auto r = t->begin(); r != t->end(); ++r) {
    if (std::none_of(rows.begin(), rows.end(), [&](auto& x) { return x.first == r.key(); })) {
      throw assay::sdk::ResponseError("'" + interaction + "': the table has no row " + in_quotes(r.key()));
    }
    if (r->is_null()) continue;
    if (!r->is_object())
      throw assay::sdk::ResponseError("'" + interaction + "': row " + in_quotes(r.key()) + " is not an object");
    for (auto c = r->begin(); c != r->end(); ++c) {
      if (std::none_of(columns.begin(), columns.end(), [&](auto& x) { return x.id == c.key(); })) {
        throw assay::sdk::ResponseError("'" + interaction + "': the table has no column " + in_quotes(c.key()));
      }
      if (c->is_null()) continue;
      if (!c->is_string()) throw assay::sdk::ResponseError("'" + interaction + "': expected text in every cell");
      any = any || !assay::sdk::trim_typed(c->get_ref<const std::string&>()).empty();
    }
  }
  if (!any) return std::nullopt;
  TableAnswer out;
  for (auto& [row, _] : rows) {
    for (auto& col : columns) {
      std::string text;
      auto r = t->find(row);
      if (r != t->end() && r->is_object()) {
        auto c = r->find(col.id);
        if (c != r->end() && c->is_string()) text = std::string(assay::sdk::trim_typed(c->get_ref<const std::string&>()));
      }
      auto where = cell_name(rows, row, col);
      if (text.empty())
        throw assay::sdk::ResponseError(where + " is empty: " + (col.options.empty() ? col.form : choose(col.options)));
      if (!col.options.empty()) {
        auto chosen = option_named(text, col.options);
        if (!chosen) throw assay::sdk::ResponseError(not_offered(where, text, col.options));
        text = *chosen;
      }
      out[row][col.id] = text;
    }
  }
  return out;
}

}  // namespace device
