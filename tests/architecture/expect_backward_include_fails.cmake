# cmake -DBUILD_DIR=<build> -P expect_backward_include_fails.cmake
# Builds the probe that includes a higher layer's header from the model module; passes only when
# that build fails because the header is not on model's include path.
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR} --target assay_layer_probe
                RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(code EQUAL 0)
  message(FATAL_ERROR "the model module compiled an #include of assay/report.hpp: the layering is not enforced")
endif()
if(NOT "${out}${err}" MATCHES "assay/report.hpp: No such file or directory")
  message(FATAL_ERROR "the probe failed to build, but not for want of the header:\n${out}${err}")
endif()
message(STATUS "model cannot see report's header, as docs/architecture.md says")
