// `assay types`: item types described from their own contract. Everything here is read from the
// plugin (schema, criteria, examples); nothing is written by hand per type.
#include "assay/types.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <vector>

#include "assay/diagnostic.hpp"

namespace assay::model {

namespace {

using nlohmann::json;

bool bare(std::string_view key) {
  return !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

std::string toml_key(std::string_view key) { return bare(key) ? std::string(key) : json(std::string(key)).dump(); }

// JSON string escapes are TOML basic-string escapes (\uXXXX included), so a dump is valid TOML.
std::string toml_string(const std::string& s) { return json(s).dump(-1, ' ', false, json::error_handler_t::replace); }

std::string toml_inline(const json& v) {
  switch (v.type()) {
    case json::value_t::string:
      return toml_string(v.get<std::string>());
    case json::value_t::boolean:
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return v.dump();
    case json::value_t::array: {
      std::string s = "[";
      for (const auto& e : v) {
        if (e.is_null()) continue;
        s += (s.size() > 1 ? ", " : " ") + toml_inline(e);
      }
      return s + (s.size() > 1 ? " ]" : "]");
    }
    case json::value_t::object: {
      std::string s = "{";
      for (const auto& [k, e] : v.items()) {
        if (e.is_null()) continue;  // TOML has no null: an absent member is what a plugin reads as none
        s += (s.size() > 1 ? ", " : " ") + toml_key(k) + " = " + toml_inline(e);
      }
      return s + (s.size() > 1 ? " }" : "}");
    }
    default:
      return "\"\"";
  }
}

// A top-level param: arrays of tables one element per line, so a long options list stays readable.
std::string toml_param(const std::string& key, const json& v) {
  if (v.is_array() && !v.empty() &&
      std::any_of(v.begin(), v.end(), [](const json& e) { return e.is_object() || e.is_array(); })) {
    std::string s = toml_key(key) + " = [\n";
    for (const auto& e : v) s += "  " + toml_inline(e) + ",\n";
    return s + "]\n";
  }
  return toml_key(key) + " = " + toml_inline(v) + "\n";
}

// The schema of one property, following a local "$ref" once.
const json& resolve(const json& schema, const json& root) {
  if (auto ref = schema.find("$ref"); ref != schema.end() && ref->is_string()) {
    std::string r = ref->get<std::string>();
    if (r.starts_with("#")) {
      try {
        json::json_pointer p(r.substr(1));
        if (root.contains(p)) return root.at(p);
      } catch (const json::exception&) {
      }
    }
  }
  return schema;
}

std::string type_word(const json& s, const json& root) {
  const json& schema = resolve(s, root);
  if (auto t = schema.find("type"); t != schema.end()) {
    if (t->is_string()) {
      std::string word = t->get<std::string>();
      if (word == "array") {
        if (auto items = schema.find("items"); items != schema.end() && items->is_object()) {
          std::string inner = type_word(*items, root);
          if (!inner.empty()) return "array of " + inner;
        }
      }
      return word;
    }
    if (t->is_array()) {
      std::string s;
      for (const auto& e : *t) s += (s.empty() ? "" : " or ") + e.get<std::string>();
      return s;
    }
  }
  if (auto e = schema.find("enum"); e != schema.end() && e->is_array()) {
    std::string s = "one of";
    for (const auto& v : *e) s += " " + v.dump();
    return s;
  }
  if (auto c = schema.find("const"); c != schema.end()) return "the constant " + c->dump();
  for (const char* k : {"anyOf", "oneOf"}) {
    if (auto a = schema.find(k); a != schema.end() && a->is_array()) {
      std::string s;
      for (const auto& e : *a) {
        std::string w = type_word(e, root);
        if (!w.empty() && s.find(w) == std::string::npos) s += (s.empty() ? "" : " or ") + w;
      }
      return s;
    }
  }
  return "any";
}

json example_of(const plugins::ItemType& type) {
  const auto& raw = type.raw();
  if (raw.n_examples == 0 || raw.examples[0] == nullptr) return json();
  return json::parse(raw.examples[0]->params_json, nullptr, false);
}

std::vector<std::string> interactions_of(const plugins::ItemType& type) {
  std::vector<std::string> kinds;
  const auto& raw = type.raw();
  if (raw.n_examples == 0 || raw.examples[0] == nullptr) return kinds;
  auto item = type.prepare(raw.examples[0]->params_json);
  if (!item) return kinds;
  auto shown = item->present(raw.examples[0]->seed);
  if (!shown) return kinds;
  json doc = json::parse(*shown, nullptr, false);
  if (!doc.is_object() || !doc.contains("interactions") || !doc["interactions"].is_array()) return kinds;
  for (const auto& i : doc["interactions"]) {
    if (!i.is_object() || !i.contains("type") || !i["type"].is_string()) continue;
    std::string t = i["type"].get<std::string>();
    if (std::find(kinds.begin(), kinds.end(), t) == kinds.end()) kinds.push_back(t);
  }
  return kinds;
}

std::string criterion_kind(const json& c) {
  if (c.at("safety").get<bool>()) return "safety (lost only by the unsafe error)";
  if (c.at("rated").get<bool>()) return "rated (a person picks a level)";
  return "scored";
}

}  // namespace

std::string types_listing(const plugins::Registry& registry) {
  std::size_t width = 0;
  for (const auto& p : registry.plugins())
    for (const auto& t : p->item_types()) width = std::max(width, t->qualified_name().size());
  std::string out;
  for (const auto& p : registry.plugins())
    for (const auto& t : p->item_types()) out += fmt::format("{:<{}}  {}\n", t->qualified_name(), width, t->summary());
  if (out.empty()) out = "no item types: no plugins loaded ('assay plugins' says where it looked)\n";
  return out;
}

json types_listing_json(const plugins::Registry& registry) {
  json list = json::array();
  for (const auto& p : registry.plugins())
    for (const auto& t : p->item_types())
      list.push_back({{"type", t->qualified_name()}, {"plugin", p->name()}, {"summary", t->summary()}});
  return list;
}

Expected<const plugins::ItemType*, std::string> find_item_type(const plugins::Registry& registry, std::string_view name) {
  if (const auto* t = registry.find_type(name)) return t;
  std::vector<std::string> names;
  const plugins::ItemType* only = nullptr;
  int matches = 0;
  for (const auto& p : registry.plugins())
    for (const auto& t : p->item_types()) {
      names.push_back(t->qualified_name());
      if (t->name() == name) {
        only = t.get();
        ++matches;
      }
    }
  if (matches == 1) return only;
  std::string msg = fmt::format("assay: error: unknown item type '{}'", name);
  if (matches > 1) {
    msg = fmt::format("assay: error: item type '{}' is declared by more than one plugin", name);
    msg += "\n  hint: name it as plugin/type";
  } else if (auto near = nearest(std::string(name), names); !near.empty()) {
    msg += fmt::format("\n  hint: did you mean '{}'?", near);
  }
  msg += "\n  hint: 'assay types' lists the item types";
  return msg;
}

json describe_type(const plugins::ItemType& type) {
  const json& schema = type.params_schema();
  // The loader's reading of "x-assay-secret" (what sdk::secret writes), so this page and the
  // engine never disagree on what is secret.
  const auto& secret = type.secret_params();
  json params = json::array();
  std::set<std::string> required;
  if (auto r = schema.find("required"); r != schema.end() && r->is_array())
    for (const auto& n : *r)
      if (n.is_string()) required.insert(n.get<std::string>());
  if (auto props = schema.find("properties"); props != schema.end() && props->is_object()) {
    for (const auto& [name, s] : props->items()) {
      const json& p = resolve(s, schema);
      json entry = {{"name", name},
                    {"type", type_word(s, schema)},
                    {"required", required.count(name) > 0},
                    {"description", p.value("description", s.value("description", std::string()))},
                    {"secret", std::find(secret.begin(), secret.end(), name) != secret.end()}};
      if (auto d = s.find("default"); d != s.end())
        entry["default"] = *d;
      else if (auto d2 = p.find("default"); d2 != p.end())
        entry["default"] = *d2;
      params.push_back(std::move(entry));
    }
  }
  // Required params first, each group in the schema's (alphabetical) order.
  std::stable_partition(params.begin(), params.end(), [](const json& p) { return p["required"].get<bool>(); });
  json criteria = json::array();
  for (const auto& c : type.criteria())
    criteria.push_back({{"id", c.id}, {"description", c.description}, {"rated", c.rated}, {"safety", c.safety}});
  json d = {{"type", type.qualified_name()},
            {"plugin", type.plugin().name()},
            {"plugin_version", type.plugin().version()},
            {"summary", type.summary()},
            {"params", params},
            {"criteria", criteria},
            {"interactions", interactions_of(type)}};
  // The schema's root annotations (docs/plugins.md): material drawn from the item seed, and the
  // response fields a candidate is meant to see.
  d["generated_material"] = schema.is_object() && schema.value("x-assay-material", json()) == "generated";
  json shown = json::array();
  if (schema.is_object())
    if (auto f = schema.find("x-assay-shown"); f != schema.end() && f->is_array())
      for (const auto& field : *f)
        if (field.is_string()) shown.push_back(field);
  d["shown_fields"] = shown;
  if (std::string toml = example_item_toml(type); !toml.empty())
    d["example"] = {{"name", type.raw().examples[0]->name != nullptr ? type.raw().examples[0]->name : ""}, {"toml", toml}};
  return d;
}

std::string example_item_toml(const plugins::ItemType& type) {
  json params = example_of(type);
  if (!params.is_object()) return "";
  std::string id = std::string(type.raw().examples[0]->name != nullptr ? type.raw().examples[0]->name : "example");
  std::string item_id;
  for (char c : id) {
    char k = (bare(std::string(1, c)) || c == '.') ? c : '-';
    if (k != '-' || (!item_id.empty() && item_id.back() != '-')) item_id += k;
  }
  while (!item_id.empty() && item_id.back() == '-') item_id.pop_back();
  if (item_id.empty()) item_id = "example";
  std::string s = "[[item]]\n";
  s += "id = " + toml_string(item_id) + "\n";
  s += "section = \"main\"\ncompetency = \"main\"\n";
  s += "type = " + toml_string(type.qualified_name()) + "\n";
  s += "[item.params]\n";
  for (const auto& [k, v] : params.items())
    if (!v.is_null()) s += toml_param(k, v);
  for (const auto& c : type.criteria()) {
    s += "[[item.criteria]]\nid = " + toml_string(c.id) + "\npoints = " + (c.rated ? "2" : "1") + "\n";
    if (c.rated)
      s += "[[item.criteria.levels]]\nname = \"complete\"\npoints = 2\n"
           "[[item.criteria.levels]]\nname = \"missing\"\npoints = 0\n";
  }
  return s;
}

std::string minimal_assessment_toml(const plugins::ItemType& type, std::string_view item_toml) {
  return fmt::format(
      "schema = 1\n\n[assessment]\nid = \"types-example\"\ntitle = \"Example of {}\"\nversion = \"1\"\n"
      "kind = \"practice\"\nrequires = {{ {} = \"^{}\" }}\n\n[outcome]\npass_percent = 50\n\n"
      "[[competency]]\nid = \"main\"\ntitle = \"Main\"\n\n[[section]]\nid = \"main\"\ntitle = \"Main\"\n\n{}",
      type.qualified_name(), toml_key(type.plugin().name()), type.plugin().version(), item_toml);
}

std::string type_text(const json& d) {
  std::string out = fmt::format("{}: {}\nplugin: {} {}\n", d["type"].get<std::string>(), d["summary"].get<std::string>(),
                                d["plugin"].get<std::string>(), d["plugin_version"].get<std::string>());
  if (d.value("generated_material", false))
    out += "material: can be generated from the item seed (each candidate then sees their own)\n";
  out += "\nparams:\n";
  if (d["params"].empty()) out += "  none\n";
  for (const auto& p : d["params"]) {
    std::string flags = p["required"].get<bool>() ? "required" : "optional";
    if (p.contains("default")) flags += ", default " + p["default"].dump();
    if (p["secret"].get<bool>()) flags += ", secret (never shown)";
    out += fmt::format("  {} ({}; {})\n", p["name"].get<std::string>(), p["type"].get<std::string>(), flags);
    if (!p["description"].get<std::string>().empty()) out += "      " + p["description"].get<std::string>() + "\n";
  }
  out += "\ncriteria:\n";
  for (const auto& c : d["criteria"])
    out += fmt::format("  {} ({}): {}\n", c["id"].get<std::string>(), criterion_kind(c), c["description"].get<std::string>());
  out += "\ninteractions: ";
  std::string kinds;
  for (const auto& i : d["interactions"]) kinds += (kinds.empty() ? "" : ", ") + i.get<std::string>();
  out += (kinds.empty() ? "not known (no example could be shown)" : kinds) + "\n";
  if (d.contains("example")) {
    out += fmt::format("\nexample (the plugin's example '{}'):\n\n", d["example"]["name"].get<std::string>());
    out += d["example"]["toml"].get<std::string>();
  } else {
    out += "\nexample: none (the plugin declares no example)\n";
  }
  return out;
}

namespace {
// A table cell: no line breaks, no bare pipes.
std::string cell(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == '\n')
      out += ' ';
    else if (c == '|')
      out += "\\|";
    else
      out += c;
  }
  return out;
}
}  // namespace

std::string type_markdown(const json& d) {
  std::string type = d["type"].get<std::string>();
  std::string out = fmt::format("## `{}`\n\n{}\n\n", type, d["summary"].get<std::string>());
  if (d.value("generated_material", false))
    out += "The type can generate its material from the item seed: each candidate then sees their own.\n\n";
  out += "### Params\n\n";
  if (d["params"].empty()) {
    out += "None.\n\n";
  } else {
    out += "| name | type | required | default | secret | description |\n|---|---|---|---|---|---|\n";
    for (const auto& p : d["params"])
      out += fmt::format("| `{}` | {} | {} | {} | {} | {} |\n", p["name"].get<std::string>(), cell(p["type"].get<std::string>()),
                         p["required"].get<bool>() ? "yes" : "no",
                         p.contains("default") ? "`" + cell(p["default"].dump()) + "`" : "", p["secret"].get<bool>() ? "yes" : "",
                         cell(p["description"].get<std::string>()));
    out += "\nSecret params are the answer key: never shown to a candidate.\n\n";
  }
  out += "### Criteria\n\n| id | kind | description |\n|---|---|---|\n";
  for (const auto& c : d["criteria"])
    out += fmt::format("| `{}` | {} | {} |\n", c["id"].get<std::string>(), criterion_kind(c),
                       cell(c["description"].get<std::string>()));
  out += "\nOnly a safety criterion should be marked critical in a screening (docs/authoring.md).\n\n";
  out += "### Interactions\n\n";
  std::string kinds;
  for (const auto& i : d["interactions"]) kinds += (kinds.empty() ? "`" : ", `") + i.get<std::string>() + "`";
  out +=
      (kinds.empty() ? "Not known: the first example could not be shown." : "The first example shows: " + kinds + ".") + "\n\n";
  out += "### Example\n\n";
  if (d.contains("example"))
    out += fmt::format("From the plugin's example `{}`; `assay validate` passes it.\n\n```toml\n{}```\n",
                       d["example"]["name"].get<std::string>(), d["example"]["toml"].get<std::string>());
  else
    out += "The plugin declares no example.\n";
  return out;
}

}  // namespace assay::model
