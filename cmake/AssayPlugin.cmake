# assay_add_plugin(NAME <name> [ENTRY <file>] SOURCES <files...>)
#
# Builds plugins/<name> as a MODULE written only against the SDK. The domain logic (SOURCES) goes
# into a static library <target>_impl that the plugin's tests link; ENTRY (default src/plugin.cpp)
# holds the ASSAY_PLUGIN registration and goes into the module alone. Only the two ABI symbols are
# exported (hidden visibility).
function(assay_add_plugin)
  cmake_parse_arguments(P "" "NAME;ENTRY" "SOURCES" ${ARGN})
  string(REPLACE "-" "_" target "${P_NAME}")
  if(NOT P_ENTRY)
    set(P_ENTRY src/plugin.cpp)
  endif()
  add_library(${target}_impl STATIC ${P_SOURCES})
  target_link_libraries(${target}_impl PUBLIC assay::sdk)
  target_include_directories(${target}_impl PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/src)
  set_target_properties(${target}_impl PROPERTIES CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
  assay_warnings(${target}_impl)
  assay_precompile(${target}_impl <nlohmann/json.hpp>)

  add_library(${target} MODULE ${P_ENTRY})
  target_link_libraries(${target} PRIVATE ${target}_impl)
  set_target_properties(${target} PROPERTIES
    PREFIX "lib" OUTPUT_NAME "${target}"
    LIBRARY_OUTPUT_DIRECTORY ${ASSAY_PLUGIN_OUTPUT_DIR}
    CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
  # Only the two ABI symbols leave the library: template code the plugin instantiates (std::regex,
  # say) would otherwise export weak symbols that can bind to another library's copy.
  # Under libFuzzer (ASSAY_FUZZ) the sanitizer and coverage runtimes live in the harness executable,
  # so a plugin leaves their symbols undefined.
  target_link_options(${target} PRIVATE $<$<NOT:$<BOOL:${ASSAY_FUZZ}>>:-Wl,--no-undefined>
                      -Wl,--version-script=${PROJECT_SOURCE_DIR}/cmake/plugin_exports.map)
  set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS ${PROJECT_SOURCE_DIR}/cmake/plugin_exports.map)
  assay_warnings(${target})
  install(TARGETS ${target} LIBRARY DESTINATION ${ASSAY_INSTALL_PLUGIN_DIR})
  set_property(GLOBAL APPEND PROPERTY ASSAY_PLUGINS ${target})
endfunction()
