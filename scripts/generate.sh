#!/usr/bin/env bash
# Installs what is missing, builds, and runs the generator with your options
# (default: the public PVE viewer into generated/proxmox/latest).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DPVECG_TESTS=OFF >/dev/null
cmake --build build -j"$(nproc)"
exec ./build/proxmox-sdk-codegen "$@"
