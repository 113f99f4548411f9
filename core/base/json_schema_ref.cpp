// JSON Schema references: a $ref resolved to a JSON Pointer (RFC 6901, percent-encoded) within
// its schema or into a built-in schema by "$id", and the built-in schemas themselves
// (sdk/schemas/*.schema.json, compiled in).
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "assay/json_schema.hpp"
#include "json_schema_internal.hpp"

namespace assay {

namespace detail {
// Generated at build time from sdk/schemas/*.schema.json (cmake/AssayEmbedFiles.cmake).
struct EmbeddedSchema {
  const char* name;
  const char* text;
};
extern const EmbeddedSchema kEmbeddedSchemas[];
extern const std::size_t kEmbeddedSchemaCount;
}  // namespace detail

namespace schema_internal {

/// The built-in schema whose "$id" is `id` ("urn:assay:schema:presentation:1"); null when none.
const json* builtin_by_id(const std::string& id) {
  for (std::size_t i = 0; i < detail::kEmbeddedSchemaCount; ++i) {
    const json& s = builtin_schema(detail::kEmbeddedSchemas[i].name);
    if (auto it = s.find("$id"); it != s.end() && *it == id) return &s;
  }
  return nullptr;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// A URI fragment with its %XX escapes decoded; nullopt when an escape is malformed.
std::optional<std::string> percent_decoded(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    int hi = hex_digit(s[i + 1]), lo = hex_digit(s[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

/// The value `pointer` (RFC 6901: "" or "/a/0/b~1c") names in `doc`; null when none.
const json* at_pointer(const json& doc, std::string_view pointer) {
  const json* cur = &doc;
  if (pointer.empty()) return cur;
  if (pointer.front() != '/') return nullptr;
  std::size_t i = 1;
  while (true) {
    auto slash = pointer.find('/', i);
    std::string_view raw = pointer.substr(i, slash == std::string_view::npos ? std::string_view::npos : slash - i);
    std::string token;
    for (std::size_t k = 0; k < raw.size(); ++k) {
      if (raw[k] != '~') {
        token += raw[k];
        continue;
      }
      if (k + 1 >= raw.size() || (raw[k + 1] != '0' && raw[k + 1] != '1')) return nullptr;
      token += raw[k + 1] == '0' ? '~' : '/';
      ++k;
    }
    if (cur->is_object()) {
      auto it = cur->find(token);
      if (it == cur->end()) return nullptr;
      cur = &*it;
    } else if (cur->is_array()) {
      if (token.empty() || token.size() > 9 || (token.size() > 1 && token[0] == '0') ||
          !std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return nullptr;
      auto n = std::stoul(token);
      if (n >= cur->size()) return nullptr;
      cur = &(*cur)[n];
    } else {
      return nullptr;
    }
    if (slash == std::string_view::npos) return cur;
    i = slash + 1;
  }
}

/// "#/json/pointer" (percent-encoded) within `root`, or a built-in schema's "$id[#pointer]".
Target resolve_ref(const json& root, const std::string& ref) {
  auto hash = ref.find('#');
  std::string base = ref.substr(0, hash);
  const json* document = base.empty() ? &root : builtin_by_id(base);
  if (document == nullptr) return {};
  if (hash == std::string::npos) return {document, document};
  auto fragment = percent_decoded(std::string_view(ref).substr(hash + 1));
  if (!fragment) return {};
  const json* schema = at_pointer(*document, *fragment);
  if (schema == nullptr) return {};
  return {document, schema};
}

}  // namespace schema_internal

const nlohmann::json& builtin_schema(const std::string& name) {
  using json = nlohmann::json;
  static const std::map<std::string, json> schemas = [] {
    std::map<std::string, json> m;
    for (std::size_t i = 0; i < detail::kEmbeddedSchemaCount; ++i) {
      m.emplace(detail::kEmbeddedSchemas[i].name, json::parse(detail::kEmbeddedSchemas[i].text));
    }
    return m;
  }();
  auto it = schemas.find(name);
  if (it == schemas.end()) throw std::out_of_range("no built-in schema named '" + name + "'");
  return it->second;
}

}  // namespace assay
