# XEE_BUILD_FUZZERS: every object of the project is compiled with libFuzzer's coverage
# instrumentation and AddressSanitizer + UndefinedBehaviorSanitizer, so the targets in fuzz/ find
# memory errors and undefined behaviour in the real parsers, not in copies. clang only: GCC has no
# libFuzzer. Debian 12: clang-14 and libclang-rt-14-dev (scripts/install-deps.sh).
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR
    "XEE_BUILD_FUZZERS needs clang (libFuzzer): configure a separate build folder with "
    "CC=clang-14 CXX=clang++-14, e.g. scripts/fuzz.sh")
endif()

# Any sanitizer report aborts, so libFuzzer records the input as a crash instead of a log line.
# fuzz/sanitizer-ignorelist.txt leaves one known, harmless report out of RapidJSON's headers.
add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
                    -fno-omit-frame-pointer
                    -fsanitize-ignorelist=${PROJECT_SOURCE_DIR}/fuzz/sanitizer-ignorelist.txt)
add_link_options(-fsanitize=address,undefined)
# libstdc++'s bounds checks on operator[], front(), back() of strings, string_views and vectors.
add_compile_definitions(_GLIBCXX_ASSERTIONS)
