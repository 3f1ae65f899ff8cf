#!/usr/bin/env bash
# The packaged chart is self-contained: scripts/package-chart.sh writes it into a temporary
# folder outside the repository, it is unpacked into another, and it must render the "all" values
# there with every rule and dashboard. A plain `cp -R` of the chart folder (its symlinks then
# point nowhere) must fail to render: the proof that this test can fail.
#
#   package_test.sh RENDERER REPO
set -euo pipefail
renderer=${1:?usage: package_test.sh RENDERER REPO}
repo=$(cd "${2:?usage: package_test.sh RENDERER REPO}" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/xee-chart.XXXXXX")
trap 'rm -rf "$work"' EXIT
case "$work/" in
  "$repo"/*) echo "package_test: $work is inside the repository" >&2; exit 1 ;;
esac

package=$(bash "$repo/scripts/package-chart.sh" "$work/out")
mkdir "$work/unpacked"
tar -C "$work/unpacked" -xzf "$package"
chart=$work/unpacked/x-engagement-exporter
if find "$chart" -type l | grep -q .; then
  echo "package_test: the package holds symlinks" >&2
  exit 1
fi
"$renderer" render --chart "$chart" --out "$work/rendered" --scenario all --repo "$repo" \
  --values "$repo/tests/helm/values-all.yaml" >/dev/null
echo "package_test: $(basename "$package") renders the \"all\" values from $chart"

cp -R "$repo/deploy/helm/x-engagement-exporter" "$work/copied"
if "$renderer" render --chart "$work/copied" --out "$work/rendered-copy" \
  --values "$repo/tests/helm/values-all.yaml" >/dev/null 2>"$work/copy.err"; then
  echo "package_test: a plain copy of the chart folder rendered; the symlink check proves nothing" >&2
  exit 1
fi
echo "package_test: a plain copy fails as expected: $(head -c 200 "$work/copy.err")"
