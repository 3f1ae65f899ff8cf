# Warnings are errors on the project's own code; third-party headers are included as SYSTEM.
# -Wnull-dereference is left out: at -O2 GCC 12 reports it on inlined toml++ and libstdc++ code
# that checks for null first (false positives that broke the RelWithDebInfo build CI uses).
# -Wrestrict is left out of Release (-O3, the benchmark build): GCC 12 reports it on libstdc++'s
# own `"literal" + std::string` at -O3 (GCC bug 105651), where no overlap is possible.
function(xee_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align -Woverloaded-virtual
    -Wimplicit-fallthrough -Werror $<$<CONFIG:Release>:-Wno-restrict>)
endfunction()

# A static library of the project's own code: warnings on, include root = the repository root.
function(xee_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
  xee_warnings(${name})
endfunction()

# One GoogleTest executable per tested part (tests/<part>/), each test case registered with CTest.
# Tests run from their own source folder so fixtures are found by relative path; XEE_TEST_DIR and
# XEE_BINARY_DIR are passed in for tests that need absolute paths (fixtures, built binaries).
function(xee_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gmock GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE
    XEE_TEST_DIR="${CMAKE_CURRENT_SOURCE_DIR}"
    XEE_BINARY_DIR="${PROJECT_BINARY_DIR}")
  xee_warnings(${name})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 120)
  endif()
  gtest_discover_tests(${name}
    WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}
    DISCOVERY_TIMEOUT 30
    PROPERTIES TIMEOUT ${ARG_TIMEOUT} LABELS "${ARG_LABELS}")
endfunction()
