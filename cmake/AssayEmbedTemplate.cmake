# cmake -DOUT=<file.cpp> -DROOT=<sdk/template> "-DFILES=<a;b;...>" -P AssayEmbedTemplate.cmake
#
# Writes a C++ source holding each file of the plugin template as a raw string literal, for
# `assay new-plugin` (core/plugincheck/new_plugin.cpp). The installed share/assay/template and
# the projects new-plugin writes come from the same files. core/CMakeLists.txt runs it whenever
# a template file changes.
set(body "")
set(table "")
set(count 0)
list(SORT FILES)
foreach(file IN LISTS FILES)
  file(RELATIVE_PATH rel "${ROOT}" "${file}")
  file(READ "${file}" text)
  string(FIND "${text}" ")assay_template\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${file} contains the raw-string delimiter )assay_template\"")
  endif()
  string(APPEND body "const char kFile${count}[] = R\"assay_template(${text})assay_template\";\n")
  string(APPEND table "    {\"${rel}\", kFile${count}},\n")
  math(EXPR count "${count} + 1")
endforeach()
if(count EQUAL 0)
  message(FATAL_ERROR "no template files given")
endif()
set(source "// Generated from sdk/template by cmake/AssayEmbedTemplate.cmake: do not edit.
#include <cstddef>

namespace assay::plugincheck::detail {

struct TemplateFile {
  const char* path;
  const char* text;
};

namespace {
${body}}  // namespace

extern const TemplateFile kTemplateFiles[] = {
${table}};
extern const std::size_t kTemplateFileCount = ${count};

}  // namespace assay::plugincheck::detail
")
file(WRITE "${OUT}" "${source}")
