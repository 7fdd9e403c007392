#!/usr/bin/env bash
# Installs the Debian packages the build, the tests and the benchmark need.
# Does nothing when they are all present, unless PVECG_FORCE_APT=1 (CI).
set -euo pipefail
PKGS=(build-essential cmake pkg-config gcc clang libclang-rt-14-dev
      libcurl4-openssl-dev libcjson-dev libxml2-dev duktape-dev libcmocka-dev
      libssl-dev libmicrohttpd-dev zlib1g-dev openssl curl python3 nodejs valgrind
      hyperfine wrk time python3-proxmoxer clang-format git)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ] && [ "${PVECG_FORCE_APT:-0}" != 1 ]; then
  command -v npm >/dev/null && exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends "${PKGS[@]}"
# nodejs from the machine's Node.js repository ships npm itself; Debian's
# separate npm package conflicts with it, so it is not listed above.
# On a plain Debian 12 (nodejs 18 from Debian) npm is its own package.
command -v npm >/dev/null || $SUDO apt-get install -y --no-install-recommends npm
command -v npm >/dev/null || { echo "error: npm not found (install Node.js with npm)" >&2; exit 1; }
