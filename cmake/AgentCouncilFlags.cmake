# Compiler and linker settings shared by every AgentCouncil native library.

option(AGENTCOUNCIL_WERROR "Treat compiler warnings as errors" ON)

if(NOT CMAKE_BUILD_TYPE AND NOT CMAKE_CONFIGURATION_TYPES)
  set(CMAKE_BUILD_TYPE Release CACHE STRING "Build type" FORCE)
endif()

# Deliberately no -march: the library must load on any x86-64, so code that needs
# AVX2 or AVX-512 is compiled per file with its own flags and chosen at run time.
function(agentcouncil_apply_flags target)
  set_target_properties(${target} PROPERTIES
    CXX_STANDARD 17
    CXX_STANDARD_REQUIRED ON
    CXX_EXTENSIONS OFF
    POSITION_INDEPENDENT_CODE ON
    # Only the C API marked AC_API is exported: a small dynamic symbol table, and
    # no C++ symbols for the JVM's other native libraries to collide with.
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  # -ffp-contract=off: the kernels state every fma ggml has (kernels_impl.h, "ggml's order"); the
  # compiler must not fuse any other a * b + c, which it would in the files built with -mfma.
  target_compile_options(${target} PRIVATE
    -ffp-contract=off
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion
    $<$<BOOL:${AGENTCOUNCIL_WERROR}>:-Werror>)
  # An unresolved symbol must fail the build here, not the JVM at load time.
  target_link_options(${target} PRIVATE -Wl,--no-undefined)
endfunction()
