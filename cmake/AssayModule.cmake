# assay_precompile(<target> <header>...): precompiles these third-party headers for the target
# when ASSAY_PCH is on (the default). They are the slowest to parse: nlohmann-json in nearly every
# file, CLI11 in every subcommand, Catch2 in every test (docs/architecture.md, "Build").
function(assay_precompile target)
  if(ASSAY_PCH)
    target_precompile_headers(${target} PRIVATE ${ARGN})
  endif()
endfunction()

# assay_module(NAME <name> LAYER <n> [DEPS <module>...] [LIBS <target>...] [PUBLIC_LIBS <target>...])
#
# One module of the engine (docs/architecture.md): core/<name>/*.cpp built as the static library
# assay_<name>, its public headers in core/<name>/include/assay/ and its private headers beside
# its sources. The layering is enforced twice:
#   - DEPS are other modules, each on a strictly lower LAYER: a backward dependency stops the
#     configure step with a message naming both modules;
#   - a module sees only its own headers and those of the modules it depends on, so a backward
#     #include does not compile (the test "architecture: ..." in tests/architecture proves it).
function(assay_module)
  cmake_parse_arguments(M "" "NAME;LAYER" "DEPS;LIBS;PUBLIC_LIBS" ${ARGN})
  set(target assay_${M_NAME})
  set(dir ${CMAKE_CURRENT_SOURCE_DIR}/${M_NAME})
  file(GLOB sources CONFIGURE_DEPENDS ${dir}/*.cpp)
  add_library(${target} STATIC ${sources})
  add_library(assay::${M_NAME} ALIAS ${target})
  target_include_directories(${target} PUBLIC ${dir}/include PRIVATE ${dir})
  set_target_properties(${target} PROPERTIES ASSAY_LAYER ${M_LAYER})
  foreach(dep IN LISTS M_DEPS)
    if(NOT TARGET assay_${dep})
      message(FATAL_ERROR "core/${M_NAME}: module '${dep}' is not defined yet (define the lower layers first)")
    endif()
    get_target_property(dep_layer assay_${dep} ASSAY_LAYER)
    if(NOT dep_layer LESS M_LAYER)
      message(FATAL_ERROR "core/${M_NAME} (layer ${M_LAYER}) may not depend on core/${dep} (layer ${dep_layer}): "
                          "a module uses only lower layers (docs/architecture.md)")
    endif()
    target_link_libraries(${target} PUBLIC assay_${dep})
  endforeach()
  target_link_libraries(${target} PUBLIC ${M_PUBLIC_LIBS} PRIVATE fmt::fmt nlohmann_json::nlohmann_json ${M_LIBS})
  assay_warnings(${target})
  assay_precompile(${target} <nlohmann/json.hpp> <fmt/format.h>)
  set_property(GLOBAL APPEND PROPERTY ASSAY_MODULES ${target})
endfunction()
