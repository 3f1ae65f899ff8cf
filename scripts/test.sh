#!/usr/bin/env bash
# Runs every test: installs what is missing, builds, then runs the whole CTest suite (unit,
# integration against the simulator over real HTTP, and end-to-end with a real Prometheus).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BUILD_DIR:-$root/build}

bash "$root/scripts/build.sh"

cd "$build_dir"
jobs=$(nproc 2>/dev/null || echo 2)
ctest --output-on-failure --timeout 600 -j "$jobs" "$@"

# The fuzz targets, ~10 s each over their seeds, in a clang build folder of their own
# (docs/fuzzing.md). After the main suite, so a failure there is reported first.
bash "$root/scripts/fuzz.sh" test
