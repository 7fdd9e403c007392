#!/usr/bin/env bash
# The command line: help, version, exit codes, and the README's copy of --help.
. "$(dirname "$0")/lib.sh"
e2e_init
e2e_run out err rc -- --help
[ "$rc" = 0 ] && [ -z "$err" ] || e2e_fail "--help: exit $rc: $err"
case "$out" in "Usage: proxmox-sdk-codegen"*) ;; *) e2e_fail "--help does not start with Usage";; esac
"$PVECG_BIN" --help >"$E2E_TMP/help.txt"
python3 - "$PVECG_SOURCE_DIR/README.md" "$E2E_TMP/help.txt" <<'PY' || e2e_fail "README.md's option list differs from --help; paste the new --help output"
import sys
readme, helptext = open(sys.argv[1]).read(), open(sys.argv[2]).read()
sys.exit(0 if helptext in readme else 1)
PY
e2e_run out err rc -- --version
[ "$rc" = 0 ] || e2e_fail "--version: exit $rc"
case "$out" in "proxmox-sdk-codegen "[0-9]*) ;; *) e2e_fail "--version printed: $out";; esac
e2e_expect_error 2 "unknown command 'frobnicate'" -- frobnicate
e2e_expect_error 2 "--workers" "from 1 to 256" -- --workers 0
e2e_expect_error 2 "--max-size" -- --max-size 12Q
e2e_expect_error 2 "--latest-mode" -- --latest-mode hard
e2e_expect_error 2 "--source" "missing argument" -- --source
e2e_expect_error 2 "--product" "given twice" -- --source a.js --product pve --product pbs
e2e_pass
