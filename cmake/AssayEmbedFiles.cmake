# cmake -DOUT=<file.cpp> -DROOT=<dir> "-DFILES=<a;b;...>" -DNAMESPACE=<ns> -DTYPE=<struct> -DKEY=<member>
#       -DTABLE=<array> -DCOUNT=<count> [-DSUFFIX=<ending to strip>] -P AssayEmbedFiles.cmake
#
# Writes a C++ source holding each file as a raw string literal in a table of {KEY, text}, KEY
# being the file's path below ROOT (less SUFFIX): sdk/schemas for assay::builtin_schema(), and
# sdk/template for `assay new-plugin`. assay_embed_files() in core/CMakeLists.txt runs it whenever
# a file changes.
foreach(v OUT ROOT NAMESPACE TYPE KEY TABLE COUNT)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "AssayEmbedFiles.cmake: -D${v}=... is required")
  endif()
endforeach()
set(body "")
set(table "")
set(count 0)
list(SORT FILES)
foreach(file IN LISTS FILES)
  file(RELATIVE_PATH key "${ROOT}" "${file}")
  if(SUFFIX)
    string(REGEX REPLACE "${SUFFIX}$" "" key "${key}")
  endif()
  file(READ "${file}" text)
  string(FIND "${text}" ")assay_embed\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${file} contains the raw-string delimiter )assay_embed\"")
  endif()
  string(APPEND body "const char kFile${count}[] = R\"assay_embed(${text})assay_embed\";\n")
  string(APPEND table "    {\"${key}\", kFile${count}},\n")
  math(EXPR count "${count} + 1")
endforeach()
if(count EQUAL 0)
  message(FATAL_ERROR "no files given below ${ROOT}")
endif()
file(RELATIVE_PATH from "${CMAKE_CURRENT_LIST_DIR}/.." "${ROOT}")
set(source "// Generated from ${from} by cmake/AssayEmbedFiles.cmake: do not edit.
#include <cstddef>

namespace ${NAMESPACE} {

struct ${TYPE} {
  const char* ${KEY};
  const char* text;
};

namespace {
${body}}  // namespace

extern const ${TYPE} ${TABLE}[] = {
${table}};
extern const std::size_t ${COUNT} = ${count};

}  // namespace ${NAMESPACE}
")
file(WRITE "${OUT}" "${source}")
