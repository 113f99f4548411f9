# cmake -DOUT=<file.cpp> -DROOT=<dir> -DFILES=<a;b;...> -P AssayEmbedWeb.cmake
#
# Writes a C++ source holding each file of the browser UI (core/serve/web/) as a byte array,
# with its path relative to ROOT and its media type, for the server's asset table
# (core/serve/assets.hpp). core/CMakeLists.txt runs it whenever an asset changes.
set(body "")
set(table "")
set(count 0)
foreach(file IN LISTS FILES)
  file(RELATIVE_PATH rel "${ROOT}" "${file}")
  get_filename_component(ext "${file}" LAST_EXT)
  string(TOLOWER "${ext}" ext)
  if(ext STREQUAL ".html")
    set(type "text/html; charset=utf-8")
  elseif(ext STREQUAL ".js")
    set(type "text/javascript; charset=utf-8")
  elseif(ext STREQUAL ".css")
    set(type "text/css; charset=utf-8")
  elseif(ext STREQUAL ".svg")
    set(type "image/svg+xml")
  elseif(ext STREQUAL ".png")
    set(type "image/png")
  elseif(ext STREQUAL ".ico")
    set(type "image/x-icon")
  elseif(ext STREQUAL ".woff2")
    set(type "font/woff2")
  elseif(ext STREQUAL ".json")
    set(type "application/json")
  else()
    set(type "application/octet-stream")
  endif()
  file(READ "${file}" hex HEX)
  string(LENGTH "${hex}" hex_length)
  math(EXPR size "${hex_length} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
  string(APPEND body "const char kAsset${count}[] = {${bytes}'\\0'};\n")
  string(APPEND table "    {\"/${rel}\", \"${type}\", kAsset${count}, ${size}},\n")
  math(EXPR count "${count} + 1")
endforeach()
if(count EQUAL 0)
  message(FATAL_ERROR "no web asset files given")
endif()
set(source "// Generated from core/serve/web by cmake/AssayEmbedWeb.cmake: do not edit.
#include <cstddef>

namespace assay::serve::detail {

struct EmbeddedAsset {
  const char* path;
  const char* media_type;
  const char* data;
  std::size_t size;
};

namespace {
${body}}  // namespace

extern const EmbeddedAsset kEmbeddedAssets[] = {
${table}};
extern const std::size_t kEmbeddedAssetCount = ${count};

}  // namespace assay::serve::detail
")
file(WRITE "${OUT}" "${source}")
