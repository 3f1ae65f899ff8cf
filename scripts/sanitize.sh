#!/usr/bin/env bash
# Builds the unit and integration suites under sanitizers and runs them; any report fails the run.
#   scripts/sanitize.sh [asan|tsan|all] [extra ctest arguments]
# asan: AddressSanitizer + LeakSanitizer + UndefinedBehaviorSanitizer in build-asan/;
# tsan: ThreadSanitizer in build-tsan/. Only the test executables and the two binaries the
# integration tests start are built (no benchmarks); the e2e (Prometheus), helm and rules tests
# are left out, since they exercise no more of our C++ than the integration suite does. Child
# processes inherit the options below, and tests/support/child_process fails the test whose
# child printed a report. Suppressions (scripts/sanitizers/) cover third-party code only.
# SANITIZE_BUILD_ROOT moves the build folders (default: the repository root).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mode=${1:-all}
[ $# -gt 0 ] && shift
supp=$root/scripts/sanitizers

case $mode in
  asan | tsan | all) ;;
  *) echo "usage: scripts/sanitize.sh [asan|tsan|all] [ctest arguments]" >&2; exit 2 ;;
esac

bash "$root/scripts/install-deps.sh"

# halt_on_error + a distinct exit code: a report ends the process, so no test can pass after one.
export ASAN_OPTIONS="halt_on_error=1:exitcode=66:detect_leaks=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1:suppressions=$supp/asan.supp"
export LSAN_OPTIONS="exitcode=66:suppressions=$supp/lsan.supp"
export UBSAN_OPTIONS="halt_on_error=1:exitcode=66:print_stacktrace=1:suppressions=$supp/ubsan.supp"
export TSAN_OPTIONS="halt_on_error=1:exitcode=66:second_deadlock_stack=1:suppressions=$supp/tsan.supp"
# Sanitized code runs 2-15x slower: tests scale their timing limits by this (tests/support).
export XEE_TIME_SCALE=${XEE_TIME_SCALE:-4}

run() {
  local name=$1 flags=$2
  local dir=${SANITIZE_BUILD_ROOT:-$root}/build-$name
  local started
  started=$(date +%s)
  # -O2 -g as CI's RelWithDebInfo, without NDEBUG so assertions are checked too (at -O1 GCC 12
  # reports false -Wmaybe-uninitialized on std::optional).
  cmake -S "$root" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O2 -g" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g" \
    -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" \
    -DCMAKE_EXE_LINKER_FLAGS="$flags" -DCMAKE_SHARED_LINKER_FLAGS="$flags" \
    -DXEE_BUILD_BENCH=OFF >/dev/null
  # Every GoogleTest executable except e2e's, and the binaries the integration tests start.
  local targets
  targets=$(cmake --build "$dir" --target help | sed -n 's/^\([a-z_]*_test\): .*/\1/p' |
    grep -vx e2e_test)
  cmake --build "$dir" --target x_engagement_exporter x_api_simulator $targets
  local built
  built=$(date +%s)
  echo "sanitize: $name build took $((built - started)) s" >&2
  # The RSS test measures how glibc's malloc gives memory back; the sanitizers replace malloc
  # (ASan's quarantine holds freed blocks on purpose), so it measures nothing here.
  (cd "$dir" && ctest --output-on-failure --timeout 1200 -j "$(nproc 2>/dev/null || echo 2)" \
    -LE 'e2e|helm|rules' -E 'NOT_BUILT|FailedReloadsOfAHugeJunkPostListGiveTheirMemoryBack' "$@")
  echo "sanitize: $name tests took $(($(date +%s) - built)) s" >&2
}

# With ASan+UBSan at -O2, GCC 12 reports false positives inside libstdc++: -Wrestrict on its own
# string assignment (GCC bug 105651, as at -O3, cmake/XeeWarnings.cmake) and
# -Wmaybe-uninitialized on std::function inside std::regex's compiler (tests/integration/stack.cpp).
asan_flags="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
asan_flags+=" -Wno-restrict -Wno-maybe-uninitialized"
tsan_flags="-fsanitize=thread -fno-omit-frame-pointer"
if [ "$mode" = asan ] || [ "$mode" = all ]; then run asan "$asan_flags" "$@"; fi
if [ "$mode" = tsan ] || [ "$mode" = all ]; then run tsan "$tsan_flags" "$@"; fi
