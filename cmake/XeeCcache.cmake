# Use ccache when it is installed: the test suite and the benchmarks rebuild the same objects often.
find_program(XEE_CCACHE ccache)
if(XEE_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_C_COMPILER_LAUNCHER ${XEE_CCACHE})
  set(CMAKE_CXX_COMPILER_LAUNCHER ${XEE_CCACHE})
endif()
