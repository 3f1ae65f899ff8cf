#!/usr/bin/env bash
# Installs every Debian 12 package the project needs to build, test, benchmark and run its demo.
# Idempotent: packages already present are skipped, and apt is not touched when nothing is missing.
# Works as root, and through sudo otherwise.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git curl ca-certificates
  prometheus-cpp-dev libcivetweb-dev libcurl4-openssl-dev rapidjson-dev libtomlplusplus-dev
  libssl-dev openssl zlib1g-dev libcli11-dev libexpected-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang-14 libclang-rt-14-dev
  prometheus
  golang-go golang-github-masterminds-sprig-dev golang-gopkg-yaml.v3-dev
  nodejs
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done

# Debian's nodejs ships npm separately; NodeSource's includes it.
if ! command -v npm >/dev/null 2>&1; then
  missing+=(npm)
fi

# The validators the dashboard, Helm and Dockerfile tests run (tests/node/package-lock.json),
# installed into tests/node/node_modules; npm ci runs again only when the lock file changed.
install_node_modules() {
  local node_dir
  node_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tests/node"
  if [ ! -f "$node_dir/node_modules/.package-lock.json" ] ||
     [ "$node_dir/package-lock.json" -nt "$node_dir/node_modules/.package-lock.json" ]; then
    echo "install-deps: npm ci in $node_dir" >&2
    npm ci --prefix "$node_dir" --no-audit --no-fund --loglevel=error >/dev/null
  fi
}

if [ ${#missing[@]} -eq 0 ]; then
  install_node_modules
  exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "install-deps: missing packages (${missing[*]}) and not root; install sudo or run as root" >&2
    exit 1
  fi
  as_root=(sudo)
fi

echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
install_node_modules
