#!/usr/bin/env bash
# Regenerates the checked-in generated/ tree from the fixture viewer files in
# one invocation, then the 8.4 -> 9.1 changelog (generated/proxmox/CHANGES-8.4-9.1.md).
# Extra arguments are passed on: `--check` compares instead of writing (CI
# does that), `--timings` shows where the time goes.
set -euo pipefail
cd "$(dirname "$0")/.."
F=${PVECG_FIXTURES:-tests/fixtures/apidoc}
BIN=${PVECG_BIN:-build/proxmox-sdk-codegen}
"$BIN" "$@" \
  --source "$F/pve-8.4.js" --source-label fixtures/apidoc/pve-8.4.js --product pve --version-tag 8.4 \
  --source "$F/pve-9.1.js" --source-label fixtures/apidoc/pve-9.1.js --product pve --version-tag 9.1 --also-latest \
  --source "$F/pbs-4.js" --source-label fixtures/apidoc/pbs-4.js --product pbs --version-tag 4 --also-latest

# The changelog is made from the version directories just written (or, with
# --check, just found identical to what the code makes).
CHANGES=generated/proxmox/CHANGES-8.4-9.1.md
check=0
for arg in "$@"; do
  [ "$arg" = --check ] && check=1
done
if [ $check = 1 ]; then
  tmp=$(mktemp "${TMPDIR:-/tmp}/pvecg-changes.XXXXXX")
else
  tmp=$(mktemp "$CHANGES.XXXXXX")
fi
trap 'rm -f "$tmp"' EXIT
"$BIN" diff generated/proxmox/8.4 generated/proxmox/9.1 >"$tmp"
if [ $check = 1 ]; then
  cmp -s "$tmp" "$CHANGES" || { echo "$CHANGES: differs" >&2; exit 1; }
  exit 0
fi
chmod 644 "$tmp"
mv "$tmp" "$CHANGES"
