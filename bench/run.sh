#!/usr/bin/env bash
# Builds the scrape benchmarks in Release (own build directory) and runs them: time per /metrics
# scrape and peak RSS at 100k and 1M Post series, the exporter against prometheus-cpp holding the
# same series, then a Markdown table with the ratios and targets. Not part of the test suite.
#
#   bench/run.sh [--quick]      --quick: 100k series only (about a minute)
#
# BENCH_BUILD_DIR overrides the build directory (default: build-bench next to this folder's parent).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BENCH_BUILD_DIR:-$root/build-bench}
sizes=(100000 1000000)
case "${1:-}" in
  --quick) sizes=(100000) ;;
  "") ;;
  *) echo "usage: $0 [--quick]" >&2; exit 2 ;;
esac

cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DXEE_BUILD_TESTS=OFF \
  -DXEE_BUILD_BENCH=ON >/dev/null
cmake --build "$build_dir" --target xee_scrape_bench xee_scrape_rss

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')," \
  "$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) RAM, load $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== peak RSS: one process per measurement"
for series in "${sizes[@]}"; do
  for impl in ours prometheus-cpp; do
    for encoding in plain gzip; do
      "$build_dir/bench/xee_scrape_rss" --impl="$impl" --series="$series" --encoding="$encoding" |
        tee -a "$work/rss.txt"
    done
  done
done

echo "== time per scrape"
size_list=$(IFS=,; echo "${sizes[*]}")
"$build_dir/bench/xee_scrape_bench" --sizes="$size_list" --rss="$work/rss.txt"
