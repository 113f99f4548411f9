# cmake -DOUT=<file.cpp> -DSCHEMAS=<a;b;...> -P AssayEmbedSchemas.cmake
#
# Writes a C++ source holding each sdk/schemas/<name>.schema.json as a raw string literal, for
# assay::builtin_schema(). core/CMakeLists.txt runs it whenever a schema file changes.
set(body "")
set(table "")
set(count 0)
foreach(file IN LISTS SCHEMAS)
  get_filename_component(base "${file}" NAME)
  string(REGEX REPLACE "\\.schema\\.json$" "" name "${base}")
  file(READ "${file}" text)
  string(FIND "${text}" ")assay_schema\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${file} contains the raw-string delimiter )assay_schema\"")
  endif()
  string(APPEND body "const char kSchema${count}[] = R\"assay_schema(${text})assay_schema\";\n")
  string(APPEND table "    {\"${name}\", kSchema${count}},\n")
  math(EXPR count "${count} + 1")
endforeach()
if(count EQUAL 0)
  message(FATAL_ERROR "no schema files given")
endif()
set(source "// Generated from sdk/schemas by cmake/AssayEmbedSchemas.cmake: do not edit.
#include <cstddef>

namespace assay::detail {

struct EmbeddedSchema {
  const char* name;
  const char* text;
};

namespace {
${body}}  // namespace

extern const EmbeddedSchema kEmbeddedSchemas[] = {
${table}};
extern const std::size_t kEmbeddedSchemaCount = ${count};

}  // namespace assay::detail
")
file(WRITE "${OUT}" "${source}")
