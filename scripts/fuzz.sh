#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ in a clang build folder of their own and runs them
# (docs/fuzzing.md):
#   scripts/fuzz.sh test                   every target ~10 s over its seeds (CTest label "fuzz")
#   scripts/fuzz.sh run SECONDS [TARGET…]  each target SECONDS long, two at a time, then a table of
#                                          executions and coverage; logs in <build>/fuzz/logs/
# FUZZ_BUILD_DIR overrides the folder (default build-fuzz); further arguments after "test" go to
# ctest. Exits non-zero when a target finds a crash (the input is kept in <build>/fuzz/artifacts/).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${FUZZ_BUILD_DIR:-$root/build-fuzz}
mode=${1:-test}
[ $# -gt 0 ] && shift

bash "$root/scripts/install-deps.sh"

if [ ! -f "$build_dir/build.ninja" ]; then
  # -O1 and line tables only, as libFuzzer's documentation and OSS-Fuzz build: quicker to build
  # than -O2 -g, and stack traces still name file and line.
  CC=clang-14 CXX=clang++-14 cmake -S "$root" -B "$build_dir" -G Ninja \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
    -DXEE_BUILD_TESTS=OFF -DXEE_BUILD_BENCH=OFF -DXEE_BUILD_FUZZERS=ON >/dev/null
fi
cmake --build "$build_dir" --target fuzzers

case "$mode" in
  test)
    cd "$build_dir"
    ctest -L fuzz --output-on-failure -j "$(nproc 2>/dev/null || echo 2)" "$@"
    ;;
  run)
    seconds=${1:?"usage: scripts/fuzz.sh run SECONDS [TARGET...]"}
    shift
    targets=("$@")
    if [ ${#targets[@]} -eq 0 ]; then
      for args in "$build_dir"/fuzz/*.args; do targets+=("$(basename "$args" .args)"); done
    fi
    logs=$build_dir/fuzz/logs
    mkdir -p "$logs"
    export build_dir seconds logs
    # Two at a time: the reference machine has two cores.
    printf '%s\n' "${targets[@]}" | xargs -P 2 -I{} bash -c '
      mapfile -t args < "$build_dir/fuzz/{}.args"
      echo "fuzz: {} for ${seconds} s" >&2
      "$build_dir/fuzz/{}" -max_total_time="$seconds" "${args[@]}" > "$logs/{}.log" 2>&1 ||
        { echo "fuzz: {} FAILED, see $logs/{}.log" >&2; exit 1; }' || failed=1
    echo "| target | seconds | executions | exec/s | cov | ft | corpus | crashes |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    for target in "${targets[@]}"; do
      log=$logs/$target.log
      last=$(grep -E '^#[0-9]+' "$log" | tail -1)
      stat() { sed -n "s/^stat::$1: *//p" "$log" | tail -1; }
      field() { sed -n "s/.* $1: \([^ ]*\).*/\1/p" <<<"$last"; }
      crashes=$(grep -c 'Test unit written to' "$log" || true)
      echo "| $target | $seconds | $(stat number_of_executed_units) | $(stat average_exec_per_sec) |" \
        "$(field cov) | $(field ft) | $(field corp) | $crashes |"
    done
    exit "${failed:-0}"
    ;;
  *)
    echo "usage: scripts/fuzz.sh test [CTEST ARGS...] | run SECONDS [TARGET...]" >&2
    exit 2
    ;;
esac
