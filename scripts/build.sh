#!/usr/bin/env bash
# Configures and builds the project in build/ (RelWithDebInfo by default). Shared by the demo and
# the test command so both build the same way. BUILD_DIR and BUILD_TYPE override the defaults.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BUILD_DIR:-$root/build}
build_type=${BUILD_TYPE:-RelWithDebInfo}

bash "$root/scripts/install-deps.sh"

if [ ! -f "$build_dir/build.ninja" ]; then
  cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="$build_type" >/dev/null
fi
# Two cores on the reference machine; ninja picks the job count from nproc.
cmake --build "$build_dir" "$@"
