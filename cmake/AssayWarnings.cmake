# Warnings for the project's own targets; errors with ASSAY_WERROR=ON (CI).
function(assay_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic $<$<COMPILE_LANGUAGE:CXX>:-Wnon-virtual-dtor>)
  if(ASSAY_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

if(ASSAY_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
