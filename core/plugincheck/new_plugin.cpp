// The scaffold of `assay new-plugin`. Its only source is the plugin template (sdk/template, also
// installed as share/assay/template): the build compiles those files in
// (cmake/AssayEmbedFiles.cmake) and this file replaces the template's names with the
// author's. The install test builds a project written here, so a template edit that breaks the
// replacement fails a test rather than an author's first build.
#include "assay/new_plugin.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cstddef>
#include <set>
#include <string_view>
#include <system_error>

#include "assay/io.hpp"

namespace assay::plugincheck {

namespace detail {
struct TemplateFile {
  const char* path;
  const char* text;
};
extern const TemplateFile kTemplateFiles[];
extern const std::size_t kTemplateFileCount;
}  // namespace detail

namespace {

namespace fs = std::filesystem;

// The template's own names, as its files write them.
constexpr std::string_view kName = "example-plugin";
constexpr std::string_view kNameSnake = "example_plugin";
constexpr std::string_view kNamespace = "example";
constexpr std::string_view kType = "reading-check";
constexpr std::string_view kTypeSnake = "reading_check";
constexpr std::string_view kTypeClass = "ReadingCheck";

// The plugin's namespace is its name with '_' for '-': a C++ keyword cannot be one, and the
// template's classes refer to assay::sdk as `sdk`, which a namespace of that name would hide.
const std::set<std::string_view> kReserved = {
    "alignas",     "alignof",  "and",          "and_eq",    "asm",       "assay",     "auto",         "bitand",
    "bitor",       "bool",     "break",        "case",      "catch",     "char",      "char8_t",      "char16_t",
    "char32_t",    "class",    "compl",        "concept",   "const",     "consteval", "constexpr",    "constinit",
    "const_cast",  "continue", "co_await",     "co_return", "co_yield",  "decltype",  "default",      "delete",
    "do",          "double",   "dynamic_cast", "else",      "enum",      "explicit",  "export",       "extern",
    "false",       "float",    "for",          "friend",    "goto",      "if",        "inline",       "int",
    "long",        "mutable",  "namespace",    "new",       "noexcept",  "not",       "not_eq",       "nullptr",
    "operator",    "or",       "or_eq",        "private",   "protected", "public",    "register",     "reinterpret_cast",
    "requires",    "return",   "sdk",          "short",     "signed",    "sizeof",    "static",       "static_assert",
    "static_cast", "std",      "struct",       "switch",    "template",  "this",      "thread_local", "throw",
    "true",        "try",      "typedef",      "typeid",    "typename",  "union",     "unsigned",     "using",
    "virtual",     "void",     "volatile",     "wchar_t",   "while",     "xor",       "xor_eq"};

bool lower_or_digit(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

/// Lowercase words of letters and digits joined by single '-', starting with a letter.
bool kebab_name(std::string_view s) {
  if (s.empty() || !(s[0] >= 'a' && s[0] <= 'z') || s.back() == '-') return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '-') {
      if (s[i - 1] == '-') return false;
    } else if (!lower_or_digit(s[i])) {
      return false;
    }
  }
  return true;
}

/// The kebab-case spelling of a name that is not one ("My_Plugin" -> "my-plugin"); "" when no
/// letter or digit is left or it would not start with a letter.
std::string kebab_guess(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (lower_or_digit(c)) {
      out += c;
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return kebab_name(out) ? out : "";
}

std::string snake(std::string_view s) {
  std::string out(s);
  std::replace(out.begin(), out.end(), '-', '_');
  return out;
}

std::string camel(std::string_view s) {
  std::string out;
  bool upper = true;
  for (char c : s) {
    if (c == '-') {
      upper = true;
      continue;
    }
    out += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    upper = false;
  }
  return out;
}

std::string replace_all(std::string text, std::string_view from, std::string_view to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

std::string name_error(std::string_view what, std::string_view name, std::string_view example) {
  std::string msg = fmt::format(
      "assay: error: {} '{}': expected kebab-case: lowercase letters and digits in words joined by '-', starting with a "
      "letter",
      what, name);
  std::string guess = kebab_guess(name);
  msg += guess.empty() ? fmt::format("\n  hint: for example '{}'", example) : fmt::format("\n  hint: did you mean '{}'?", guess);
  return msg;
}

/// The plugin's names in a file of the template.
std::string with_names(std::string text, const NewPlugin& r) {
  text = replace_all(std::move(text), kName, r.name);
  text = replace_all(std::move(text), kNameSnake, snake(r.name));
  text = replace_all(std::move(text), fmt::format("namespace {}", kNamespace), "namespace " + snake(r.name));
  return replace_all(std::move(text), fmt::format("{}::", kNamespace), snake(r.name) + "::");
}

/// A file that lists the item types (CMakeLists.txt, src/plugin.cpp): the template's one type
/// becomes the list of the author's.
std::string with_type_list(std::string text, const NewPlugin& r, const std::vector<std::string>& types) {
  std::string includes, classes, sources;
  for (const auto& t : types) {
    includes += fmt::format("{}#include \"{}.hpp\"", includes.empty() ? "" : "\n", snake(t));
    classes += fmt::format("{}{}::{}", classes.empty() ? "" : ", ", kNamespace, camel(t));
    sources += fmt::format("{}src/{}.cpp", sources.empty() ? "" : " ", snake(t));
  }
  text = replace_all(std::move(text), fmt::format("#include \"{}.hpp\"", kTypeSnake), includes);
  text = replace_all(std::move(text), fmt::format("{}::{}", kNamespace, kTypeClass), classes);
  text = replace_all(std::move(text), fmt::format("src/{}.cpp", kTypeSnake), sources);
  return with_names(std::move(text), r);
}

/// A file of the template's item type, for the author's type `type`.
std::string with_type(std::string text, const NewPlugin& r, const std::string& type) {
  text = replace_all(std::move(text), kType, type);
  text = replace_all(std::move(text), kTypeSnake, snake(type));
  text = replace_all(std::move(text), kTypeClass, camel(type));
  return with_names(std::move(text), r);
}

}  // namespace

std::string check_new_plugin_names(const NewPlugin& request) {
  if (!kebab_name(request.name)) return name_error("plugin name", request.name, "my-plugin");
  if (kReserved.count(snake(request.name)) > 0) {
    return fmt::format(
        "assay: error: plugin name '{}': its C++ namespace would be '{}', which is reserved\n  hint: for example "
        "'{}-items'",
        request.name, snake(request.name), request.name);
  }
  std::set<std::string> seen;
  for (const auto& t : request.types) {
    if (!kebab_name(t)) return name_error("item type", t, "reading-check");
    if (t == "plugin") {
      return fmt::format(
          "assay: error: item type 'plugin': src/plugin.cpp is the plugin's entry point\n  hint: for example "
          "'plugin-check' or another name");
    }
    if (!seen.insert(t).second) return fmt::format("assay: error: item type '{}' is given twice", t);
  }
  return "";
}

Expected<NewPluginProject, NewPluginError> try_new_plugin(const NewPlugin& request) {
  using Kind = NewPluginError::Kind;
  if (auto bad = check_new_plugin_names(request); !bad.empty()) return NewPluginError{Kind::kName, bad};
  std::vector<std::string> types = request.types;
  if (types.empty()) types.emplace_back(kType);
  NewPluginProject project;
  project.dir = request.dir.empty() ? fs::path(request.name) : request.dir;
  std::error_code ec;
  if (fs::exists(project.dir, ec)) {
    if (!fs::is_directory(project.dir, ec)) {
      return NewPluginError{Kind::kExists, fmt::format("assay: error: '{}' exists and is not a directory\n  hint: give "
                                                       "another --dir",
                                                       project.dir.string())};
    }
    if (!fs::is_empty(project.dir, ec)) {
      return NewPluginError{
          Kind::kExists,
          fmt::format("assay: error: '{}' exists and is not empty: new-plugin writes only into a new or empty directory\n  "
                      "hint: give another --dir, or move '{}' away",
                      project.dir.string(), project.dir.string())};
    }
  }
  std::vector<std::pair<std::string, std::string>> files;
  for (std::size_t i = 0; i < detail::kTemplateFileCount; ++i) {
    std::string path = detail::kTemplateFiles[i].path;
    std::string text = detail::kTemplateFiles[i].text;
    if (path.find(kTypeSnake) == std::string::npos) {
      files.emplace_back(path, with_type_list(std::move(text), request, types));
      continue;
    }
    for (const auto& t : types) files.emplace_back(replace_all(path, kTypeSnake, snake(t)), with_type(text, request, t));
  }
  for (const auto& [path, text] : files) {
    fs::path target = project.dir / path;
    fs::create_directories(target.parent_path(), ec);
    if (ec) {
      return NewPluginError{
          Kind::kIo, fmt::format("{}: error: cannot create the directory: {}", target.parent_path().string(), ec.message())};
    }
    auto written = io::try_write_atomic(target, text);
    if (!written) return NewPluginError{Kind::kIo, written.error().format()};
    project.files.push_back(path);
  }
  return project;
}

}  // namespace assay::plugincheck
