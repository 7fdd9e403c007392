#!/usr/bin/env bash
# Regenerates the checked-in generated/ tree from the fixture viewer files in
# one invocation. Extra arguments are passed on: `--check` compares instead of
# writing (CI does that), `--timings` shows where the time goes.
set -euo pipefail
cd "$(dirname "$0")/.."
F=${PVECG_FIXTURES:-tests/fixtures/apidoc}
BIN=${PVECG_BIN:-build/proxmox-sdk-codegen}
exec "$BIN" "$@" \
  --source "$F/pve-8.4.js" --source-label fixtures/apidoc/pve-8.4.js --product pve --version-tag 8.4 \
  --source "$F/pve-9.1.js" --source-label fixtures/apidoc/pve-9.1.js --product pve --version-tag 9.1 --also-latest \
  --source "$F/pbs-4.js" --source-label fixtures/apidoc/pbs-4.js --product pbs --version-tag 4 --also-latest
