# The SDK works outside the tree: install the build into a temporary prefix, build the installed
# plugin template against it with find_package(Assay), install the plugin, and check it with the
# assay of the build. Then, on the same install, a project written by `assay new-plugin` with two
# item types is configured without a build type, built, and its CTest (plugin-check by the
# installed assay) run.
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
          share/assay/schemas/response.schema.json share/assay/template/CMakeLists.txt share/assay/template/README.md)
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

# assay new-plugin: two item types, no -DCMAKE_BUILD_TYPE (the project defaults to Release).
set(project_dir ${WORK_DIR}/new-plugin)
set(project_build ${WORK_DIR}/new-plugin-build)
run("assay new-plugin" ${ASSAY} new-plugin infusion-checks --type pump-rate --type dose-limit --dir ${project_dir})
foreach(f CMakeLists.txt README.md src/plugin.cpp src/pump_rate.hpp src/pump_rate.cpp src/dose_limit.hpp src/dose_limit.cpp)
  if(NOT EXISTS ${project_dir}/${f})
    message(FATAL_ERROR "assay new-plugin did not write ${f}:\n${last_output}")
  endif()
endforeach()
run("configuring the new plugin" ${CMAKE_COMMAND} -S ${project_dir} -B ${project_build} -G ${GENERATOR}
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF -DCMAKE_COMPILE_WARNING_AS_ERROR=ON)
file(STRINGS ${project_build}/CMakeCache.txt build_type REGEX "^CMAKE_BUILD_TYPE:")
if(NOT build_type MATCHES "=Release$")
  message(FATAL_ERROR "the new plugin's build type is not Release by default: ${build_type}")
endif()
run("building the new plugin" ${CMAKE_COMMAND} --build ${project_build})
get_filename_component(cmake_bin ${CMAKE_COMMAND} DIRECTORY)
find_program(CTEST ctest HINTS ${cmake_bin} REQUIRED)
run("the new plugin's CTest" ${CTEST} --test-dir ${project_build} --output-on-failure -V)
if(NOT last_output MATCHES "plugin-check passed: [0-9]+ checks, no findings" OR NOT last_output MATCHES "100% tests passed")
  message(FATAL_ERROR "the new plugin's CTest did not run a clean plugin-check:\n${last_output}")
endif()
run("assay plugin-check on the new plugin" ${ASSAY} plugin-check --json ${project_build}/libinfusion_checks.so)
foreach(type pump-rate dose-limit)
  if(NOT last_output MATCHES "\"item_type\": \"${type}\",[^}]*\"status\": \"passed\"")
    message(FATAL_ERROR "plugin-check did not check item type ${type} of the new plugin:\n${last_output}")
  endif()
endforeach()
if(NOT last_output MATCHES "\"check\": \"generated-material\",[^}]*\"status\": \"passed\"")
  message(FATAL_ERROR "the new plugin has no example with generated material that plugin-check saw:\n${last_output}")
endif()
message(STATUS "assay new-plugin: built and checked ${project_build}/libinfusion_checks.so")

# The provider signs it; a hospital that trusts the provider's key loads it with --require-signed
# (serve included), refuses it without the key, and refuses it once one byte has changed.
set(serve_plugins ${WORK_DIR}/serve-plugins)
set(keys ${WORK_DIR}/keys)
file(REMOVE_RECURSE ${serve_plugins} ${keys})
file(MAKE_DIRECTORY ${serve_plugins} ${keys}/trusted)
file(COPY ${project_build}/libinfusion_checks.so DESTINATION ${serve_plugins})
run("making a signing key" ${ASSAY} plugin-sign --new-key ${keys}/provider --comment "Infusion Checks Ltd")
file(COPY ${keys}/provider.pub DESTINATION ${keys}/trusted)
run("signing the new plugin" ${ASSAY} plugin-sign ${serve_plugins}/libinfusion_checks.so --key ${keys}/provider.key)
# The build's own plugins beside the binary are signed with its development key, trusted here too.
run("listing it with its key trusted" ${ASSAY} plugins --plugin-dir ${serve_plugins} --require-signed --trusted-keys ${keys}/trusted
    --trusted-keys ${BUILD_DIR}/dev-signing)
if(NOT last_output MATCHES "infusion-checks [^\n]*\n[^\n]*\n  signed by trusted key [0-9a-f]+ \\(Infusion Checks Ltd\\)")
  message(FATAL_ERROR "the signed plugin is not listed as signed by the trusted key:\n${last_output}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E env ASSAY_PLUGIN_PATH= timeout 5 ${ASSAY} serve --listen 127.0.0.1:0
                        --data-dir ${WORK_DIR}/serve-data --plugin-dir ${serve_plugins} --require-signed
                        --trusted-keys ${keys}/trusted --trusted-keys ${BUILD_DIR}/dev-signing
                OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT err MATCHES "plugins loaded: [^\n]*infusion-checks [^\n]*\\(each signed by a trusted key\\)")
  message(FATAL_ERROR "assay serve --require-signed did not load the signed plugin:\n${out}\n${err}")
endif()
execute_process(COMMAND ${ASSAY} plugins --plugin-dir ${serve_plugins} --require-signed RESULT_VARIABLE rc
                OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc EQUAL 0 OR NOT err MATCHES "libinfusion_checks.so: error: refused: signed by key [0-9a-f]+, which is not trusted")
  message(FATAL_ERROR "the plugin loaded without its key trusted (exit ${rc}):\n${out}\n${err}")
endif()
execute_process(COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/../trust/flip_byte.sh ${serve_plugins}/libinfusion_checks.so
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "could not change a byte of the plugin")
endif()
execute_process(COMMAND ${ASSAY} plugins --plugin-dir ${serve_plugins} --require-signed --trusted-keys ${keys}/trusted
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc EQUAL 0 OR NOT err MATCHES "libinfusion_checks.so: error: refused: its signature is not valid: the file changed after it was signed")
  message(FATAL_ERROR "the plugin loaded after a byte changed (exit ${rc}):\n${out}\n${err}")
endif()
message(STATUS "the new plugin, signed: loaded with its key trusted, refused without it and after one byte changed")
