#!/usr/bin/env bash
# The checked-in generated/ tree is exactly what the current code makes from
# the fixtures, and it passes verify. A code change that alters output without
# regenerating (scripts/regenerate.sh) fails here.
. "$(dirname "$0")/lib.sh"
e2e_init
e2e_need_fixtures
cd "$PVECG_SOURCE_DIR" || e2e_fail "no source dir"
[ -d generated/proxmox/9.1 ] || e2e_fail "generated/proxmox/9.1 is not checked in"
PVECG_BIN=$PVECG_BIN scripts/regenerate.sh --check --quiet >"$E2E_TMP/check.out" 2>&1 ||
	e2e_fail "generated/ drifted from the code:
$(cat "$E2E_TMP/check.out")"
"$PVECG_BIN" verify generated --schemas schemas >"$E2E_TMP/verify.out" 2>&1 ||
	e2e_fail "verify generated failed:
$(cat "$E2E_TMP/verify.out")"
# The check can fail: one changed byte is reported by name.
cp -r generated/pbs "$E2E_TMP/pbs"
printf ' ' >>"$E2E_TMP/pbs/4/openapi.json"
"$PVECG_BIN" --check --quiet --source "$PVECG_FIXTURES/pbs-4.js" --source-label fixtures/apidoc/pbs-4.js \
	--product pbs --version-tag 4 --output-dir "$E2E_TMP/pbs" >"$E2E_TMP/drift.out" 2>&1 &&
	e2e_fail "--check did not notice a changed openapi.json"
grep -q "4/openapi.json: differs" "$E2E_TMP/drift.out" || e2e_fail "drift not named: $(cat "$E2E_TMP/drift.out")"
e2e_pass
