# The SDK works outside the tree: install the build into a temporary prefix, build the installed
# plugin template against it with find_package(Assay), install the plugin, and check it with the
# assay of the build.
#
#   cmake -DBUILD_DIR=... -DWORK_DIR=... -DASSAY=... -DGENERATOR=... -P install_test.cmake
foreach(v BUILD_DIR WORK_DIR ASSAY GENERATOR)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "install_test.cmake: -D${v}=... is required")
  endif()
endforeach()

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${ARGN}\n${out}\n${err}")
  endif()
  set(last_output "${out}" PARENT_SCOPE)
endfunction()

set(prefix ${WORK_DIR}/prefix)
set(template_build ${WORK_DIR}/template-build)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

run("installing the build" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
foreach(f include/assay/plugin.h include/assay/sdk.hpp include/assay/sdk/boundary.hpp include/assay/sdk/credit.hpp
          include/assay/sdk/decimal.hpp include/assay/sdk/item.hpp include/assay/sdk/params.hpp include/assay/sdk/rng.hpp
          include/assay/sdk/reading.hpp include/assay/sdk/utf8.hpp share/assay/schemas/presentation.schema.json
          share/assay/schemas/response.schema.json share/assay/template/CMakeLists.txt)
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "the install lacks ${f}")
  endif()
endforeach()

# Only the installed prefix may be found: not the source tree, not the build tree.
run("configuring the template" ${CMAKE_COMMAND} -S ${prefix}/share/assay/template -B ${template_build} -G ${GENERATOR}
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_INSTALL_PREFIX=${prefix}
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF -DCMAKE_COMPILE_WARNING_AS_ERROR=ON)
run("building the template" ${CMAKE_COMMAND} --build ${template_build})
run("installing the template plugin" ${CMAKE_COMMAND} --install ${template_build})

file(GLOB plugin_dirs LIST_DIRECTORIES true ${prefix}/lib*/assay/plugins)
set(plugin "")
foreach(d ${plugin_dirs})
  if(EXISTS ${d}/libexample_plugin.so)
    set(plugin_dir ${d})
    set(plugin ${d}/libexample_plugin.so)
  endif()
endforeach()
if(NOT plugin)
  message(FATAL_ERROR "the template plugin was not installed under ${prefix}/lib*/assay/plugins")
endif()

execute_process(COMMAND ${ASSAY} plugins --plugin-dir ${plugin_dir} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT out MATCHES "example-plugin")
  message(FATAL_ERROR "'assay plugins --plugin-dir ${plugin_dir}' does not list example-plugin (exit ${rc}):\n${out}\n${err}")
endif()

run("assay plugin-check" ${ASSAY} plugin-check ${plugin})
message(STATUS "assay plugin-check ${plugin}:\n${last_output}")
