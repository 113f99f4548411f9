# find_package(Assay) for plugins built outside the Assay tree.
#
#   find_package(Assay 0.1 REQUIRED)
#   assay_add_plugin(NAME my-plugin SOURCES src/my_type.cpp)   # ENTRY defaults to src/plugin.cpp
#
# Provides the header-only target assay::sdk and the function assay_add_plugin().
include(CMakeFindDependencyMacro)
find_dependency(nlohmann_json 3.11)

get_filename_component(_assay_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
if(NOT TARGET assay::sdk)
  add_library(assay::sdk INTERFACE IMPORTED)
  set_target_properties(assay::sdk PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${_assay_prefix}/include"
    INTERFACE_LINK_LIBRARIES nlohmann_json::nlohmann_json
    INTERFACE_COMPILE_FEATURES cxx_std_20)
endif()
set(Assay_PLUGIN_DIR "${_assay_prefix}/lib/assay/plugins")
set(Assay_SCHEMA_DIR "${_assay_prefix}/share/assay/schemas")

function(assay_add_plugin)
  cmake_parse_arguments(P "" "NAME;ENTRY" "SOURCES" ${ARGN})
  string(REPLACE "-" "_" target "${P_NAME}")
  if(NOT P_ENTRY)
    set(P_ENTRY src/plugin.cpp)
  endif()
  add_library(${target} MODULE ${P_ENTRY} ${P_SOURCES})
  target_link_libraries(${target} PRIVATE assay::sdk)
  set_target_properties(${target} PROPERTIES PREFIX "lib" OUTPUT_NAME "${target}"
    CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
  target_link_options(${target} PRIVATE -Wl,--no-undefined)
endfunction()
