#include "key_leak.hpp"

#include <algorithm>

namespace assay::plugincheck::detail {

namespace {

using nlohmann::json;

void add_text(std::string& text, const std::string& s) {
  if (s.empty()) return;
  text += s;
  text += '\n';
}

/// Strings of a material block: every one is read, but for its kind, a code block's language
/// and the ids of material lines (choices of a select-lines interaction).
void read_material(const json& v, const std::string& key, Shown& out) {
  if (v.is_string()) {
    if (key == "kind" || key == "language") return;
    if (key == "id") {
      out.offered.insert(v.get<std::string>());
      return;
    }
    add_text(out.text, v.get<std::string>());
  } else if (v.is_object()) {
    for (const auto& [k, member] : v.items()) read_material(member, k, out);
  } else if (v.is_array()) {
    for (const auto& member : v) read_material(member, key, out);
  }
}

/// Strings of an interaction: prompts and hints are read as text; everything else (ids,
/// option texts, labels, units) is offered.
void read_interaction(const json& v, const std::string& key, Shown& out, std::vector<std::string>& all) {
  if (v.is_string()) {
    all.push_back(v.get<std::string>());
    if (key == "prompt" || key == "hint")
      add_text(out.text, v.get<std::string>());
    else if (key != "type" && key != "decimal_mark")
      out.offered.insert(v.get<std::string>());
  } else if (v.is_object()) {
    for (const auto& [k, member] : v.items()) read_interaction(member, k, out, all);
  } else if (v.is_array()) {
    for (const auto& member : v) read_interaction(member, key, out, all);
  }
}

bool digit(char c) { return c >= '0' && c <= '9'; }

/// "4.950" -> "4.95", "+120" -> "120", "7.0" -> "7"; "" when the text is not a decimal number.
std::string canonical_decimal(const std::string& s) {
  std::size_t i = 0;
  std::string sign;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) sign = s[i++] == '-' ? "-" : "";
  std::size_t int_start = i;
  while (i < s.size() && digit(s[i])) ++i;
  if (i == int_start) return "";
  std::string integer = s.substr(int_start, i - int_start);
  std::string fraction;
  if (i < s.size() && s[i] == '.') {
    std::size_t frac_start = ++i;
    while (i < s.size() && digit(s[i])) ++i;
    if (i == frac_start) return "";
    fraction = s.substr(frac_start, i - frac_start);
  }
  if (i != s.size()) return "";
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  auto nz = integer.find_first_not_of('0');
  integer = nz == std::string::npos ? "0" : integer.substr(nz);
  return sign + integer + (fraction.empty() ? "" : "." + fraction);
}

/// Whether a canonical decimal is worth looking for (KeyValue's rule).
bool telling_number(const std::string& canonical) {
  if (canonical.find('.') != std::string::npos) return true;
  std::size_t digits = canonical.size() - (canonical[0] == '-' ? 1 : 0);
  return digits >= 3;
}

void collect(const json& v, const std::string& field, const std::string& path, std::vector<KeyValue>& out) {
  if (v.is_object()) {
    for (const auto& [k, member] : v.items()) collect(member, field.empty() ? k : field, path.empty() ? k : path + "." + k, out);
  } else if (v.is_array()) {
    for (std::size_t i = 0; i < v.size(); ++i) collect(v[i], field, path + "[" + std::to_string(i) + "]", out);
  } else if (v.is_number()) {
    std::string text = v.dump();
    if (std::string c = canonical_decimal(text); !c.empty() && telling_number(c)) out.push_back({field, path, text, true});
  } else if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    auto first = s.find_first_not_of(" \t\n");
    if (first == std::string::npos) return;
    std::string trimmed = s.substr(first, s.find_last_not_of(" \t\n") - first + 1);
    if (std::string c = canonical_decimal(trimmed); !c.empty()) {
      if (telling_number(c)) out.push_back({field, path, trimmed, true});
    } else if (trimmed.size() >= kMinKeyText) {
      out.push_back({field, path, trimmed, false});
    }
  }
}

/// `needle` in `text` as a whole number: no digit, point or comma-and-digit joined to it.
bool contains_number(const std::string& text, const std::string& needle) {
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    if (at > 0 && (digit(text[at - 1]) || text[at - 1] == '.')) continue;
    std::size_t end = at + needle.size();
    if (end < text.size() && digit(text[end])) continue;
    if (end + 1 < text.size() && (text[end] == '.' || text[end] == ',') && digit(text[end + 1])) continue;
    return true;
  }
  return false;
}

}  // namespace

Shown read_presentation(const json& doc) {
  Shown out;
  if (!doc.is_object()) return out;
  if (auto p = doc.find("prompt"); p != doc.end() && p->is_string()) add_text(out.text, p->get<std::string>());
  if (auto m = doc.find("material"); m != doc.end()) read_material(*m, "", out);
  std::vector<std::string> all;
  if (auto in = doc.find("interactions"); in != doc.end()) read_interaction(*in, "", out, all);
  // What the interactions offer counts as material too (a table whose rows are generated
  // flows), but not the order it is offered in: shuffled options are the same material.
  std::sort(all.begin(), all.end());
  out.material = doc.value("prompt", json()).dump() + "\n" + doc.value("material", json()).dump() + "\n" + json(all).dump();
  return out;
}

std::vector<KeyValue> key_values(const json& response) {
  std::vector<KeyValue> out;
  collect(response, "", "", out);
  return out;
}

bool shows(const Shown& shown, const KeyValue& value) {
  if (shown.offered.count(value.value) > 0) return false;
  if (!value.number) return shown.text.find(value.value) != std::string::npos;
  std::string c = canonical_decimal(value.value);
  if (shown.offered.count(c) > 0) return false;
  return contains_number(shown.text, value.value) || (c != value.value && contains_number(shown.text, c));
}

}  // namespace assay::plugincheck::detail
