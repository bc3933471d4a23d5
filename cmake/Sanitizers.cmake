# AGENTCOUNCIL_SANITIZE=ON builds with AddressSanitizer and UndefinedBehaviorSanitizer.

option(AGENTCOUNCIL_SANITIZE "Build with -fsanitize=address,undefined" OFF)

function(agentcouncil_apply_sanitizers target)
  if(NOT AGENTCOUNCIL_SANITIZE)
    return()
  endif()
  target_compile_options(${target} PRIVATE
    -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_link_options(${target} PRIVATE -fsanitize=address,undefined)
endfunction()

# The JVM is not built with ASan, so a sanitized library only works when the ASan
# runtime is the first library in the process. This writes a launcher that preloads
# the runtime this compiler links, as <build>/sanitized-jvm/bin/java (test runners
# such as surefire insist that a JVM path ends in bin/java).
function(agentcouncil_write_sanitized_java_launcher)
  if(NOT AGENTCOUNCIL_SANITIZE)
    return()
  endif()
  execute_process(
    COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=libasan.so
    OUTPUT_VARIABLE ASAN_RUNTIME
    OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT IS_ABSOLUTE "${ASAN_RUNTIME}" OR NOT EXISTS "${ASAN_RUNTIME}")
    message(FATAL_ERROR "${CMAKE_CXX_COMPILER} does not know its ASan runtime (got '${ASAN_RUNTIME}')")
  endif()
  # The JVM does not load libstdc++ itself; unless it is there when ASan starts, ASan cannot find
  # the real __cxa_throw and aborts at the library's first C++ exception.
  execute_process(
    COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=libstdc++.so.6
    OUTPUT_VARIABLE CXX_RUNTIME
    OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT IS_ABSOLUTE "${CXX_RUNTIME}" OR NOT EXISTS "${CXX_RUNTIME}")
    message(FATAL_ERROR "${CMAKE_CXX_COMPILER} does not know its C++ runtime (got '${CXX_RUNTIME}')")
  endif()
  configure_file(
    ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/sanitized-java.in
    ${CMAKE_BINARY_DIR}/sanitized-jvm/bin/java
    @ONLY
    FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
endfunction()
