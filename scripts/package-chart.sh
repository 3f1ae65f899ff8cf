#!/usr/bin/env bash
# Packages the Helm chart as a self-contained folder and a .tgz (the layout `helm package`
# writes): in the repository files/rules and files/dashboards are symlinks to rules/ and
# grafana/dashboards/ so the chart never ships stale copies; here they become copies, and the
# .helmignore patterns are left out, so the package renders anywhere.
#
#   scripts/package-chart.sh OUT_DIR    writes OUT_DIR/x-engagement-exporter/ and
#                                       OUT_DIR/x-engagement-exporter-<version>.tgz
#   helm install xee OUT_DIR/x-engagement-exporter-<version>.tgz ...
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
chart=$root/deploy/helm/x-engagement-exporter
out=${1:?usage: package-chart.sh OUT_DIR}
name=$(sed -n 's/^name: *//p' "$chart/Chart.yaml")
version=$(sed -n 's/^version: *//p' "$chart/Chart.yaml")

mkdir -p "$out"
out=$(cd "$out" && pwd)
case "$out/" in
  "$chart"/*) echo "package-chart: OUT_DIR must not be inside the chart" >&2; exit 1 ;;
esac
rm -rf "${out:?}/$name"
# -L copies what the symlinks point to; everything else is copied as it is.
cp -RL "$chart" "$out/$name"
# What .helmignore names stays out of the package, as helm package leaves it out.
while IFS= read -r pattern; do
  case "$pattern" in '' | '#'*) continue ;; esac
  (cd "$out/$name" && find . -path "./$pattern" -exec rm -rf {} + 2>/dev/null) || true
  (cd "$out/$name" && find . -name "$pattern" -exec rm -rf {} + 2>/dev/null) || true
done < "$chart/.helmignore"
if find "$out/$name" -type l | grep -q .; then
  echo "package-chart: symlinks left in $out/$name" >&2
  exit 1
fi
tar -C "$out" -czf "$out/$name-$version.tgz" "$name"
echo "$out/$name-$version.tgz"
