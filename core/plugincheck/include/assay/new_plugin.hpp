// `assay new-plugin`: writes an out-of-tree plugin project from the plugin template (sdk/template,
// compiled in), under the author's plugin and item-type names.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "assay/expected.hpp"

namespace assay::plugincheck {

struct NewPlugin {
  std::string name;                // kebab-case: the plugin's name, its library and namespace
  std::vector<std::string> types;  // kebab-case item-type names; empty: the template's one type
  std::filesystem::path dir;       // where the project goes; empty: ./NAME
};

struct NewPluginError {
  enum class Kind { kName, kExists, kIo };
  Kind kind;
  std::string message;  // "assay: error: ..." with hint lines
};

struct NewPluginProject {
  std::filesystem::path dir;
  std::vector<std::string> files;  // relative to dir, in the order written
};

/// The error for a plugin or item-type name that cannot name a project: not kebab-case starting
/// with a letter, a C++ keyword as the namespace, a type that repeats or is called "plugin"
/// (src/plugin.cpp is the entry point). "" when every name is usable.
std::string check_new_plugin_names(const NewPlugin& request);

/// Writes the project: the template's files with its names ("example-plugin", the type
/// "reading-check") replaced, one header and source per item type. Refuses a directory that
/// exists and is not empty; writes nothing when a name is refused.
Expected<NewPluginProject, NewPluginError> try_new_plugin(const NewPlugin& request);

}  // namespace assay::plugincheck
