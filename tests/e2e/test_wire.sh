#!/usr/bin/env bash
# The wire dialect (doc/wire-dialect.md), end to end against the PVE 9.1
# document made by the real binary:
#  - every recorded response in tests/fixtures/responses/ validates against
#    its operation's 200 schema with Ajv 2020-12 (no coercion); a mock may
#    fail only where tests/npm/wire_responses.mjs lists how it contradicts
#    Proxmox;
#  - the same responses parse through the generated C models (default flags,
#    ASan+UBSan) and come back from to_json with every member;
#  - mutations (an object or "abc" for an integer, 2 or "maybe" for a
#    boolean, a list item without its child-link key) fail in Ajv and in C;
#  - every member the viewer declares boolean/integer is still identifiable
#    as such in openapi.json and in the C descriptor tables;
#  - the erratum of GET /nodes/{node}/ceph/mon host is applied and listed.
# Prints the numbers per response.
. "$(dirname "$0")/lib.sh"
e2e_init
e2e_need_fixtures
e2e_need_cmd gcc
e2e_need_cmd node
e2e_need_cmd pkg-config
pkg-config --exists libcjson || e2e_skip "libcjson development files are not installed"

SRC=${PVECG_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
NPM=$SRC/tests/npm
RESP=$SRC/tests/fixtures/responses
[ -d "$RESP" ] || e2e_fail "no recorded responses in $RESP"
if [ ! -d "$NPM/node_modules/ajv" ]; then
	npm ci --prefix "$NPM" --no-audit --no-fund >/dev/null 2>&1 || e2e_fail "npm ci"
fi

"$PVECG_BIN" --source "$PVECG_FIXTURES/pve-9.1.js" --version-tag 9.1 \
    --output-dir "$E2E_TMP/out" >"$E2E_TMP/gen.out" 2>&1 ||
	e2e_fail "generating pve-9.1: $(cat "$E2E_TMP/gen.out")"
V=$E2E_TMP/out/9.1

# --- Ajv -----------------------------------------------------------------------
mkdir -p "$E2E_TMP/mut"
node "$NPM/wire_responses.mjs" "$V/openapi.json" "$RESP" "$E2E_TMP/mut" >"$E2E_TMP/ajv.out" 2>&1
rc=$?
sed 's/^/ajv: /' "$E2E_TMP/ajv.out"
[ $rc -eq 0 ] || e2e_fail "Ajv: responses or mutations not as expected"
grep -Eq '^responses ([0-9]+)/\1 realistic valid' "$E2E_TMP/ajv.out" || e2e_fail "Ajv: not every realistic recording validates"
nmut=$(ls "$E2E_TMP/mut" | wc -l)
[ "$nmut" -ge 5 ] || e2e_fail "only $nmut mutations were made"
for kind in integer-as-object integer-as-abc boolean-as-2 boolean-as-maybe list-key-missing; do
	ls "$E2E_TMP/mut" | grep -q -- "-$kind.json\$" || e2e_fail "no $kind mutation"
done

# --- C models --------------------------------------------------------------------
CJSON_CFLAGS=$(pkg-config --cflags libcjson)
CJSON_LIBS=$(pkg-config --libs libcjson)
gcc -std=c11 -Wall -Wextra -Werror -pedantic -g -O1 \
    -fsanitize=address,undefined -fno-sanitize-recover=all $CJSON_CFLAGS \
    -I"$V" -I"$V/models" "$SRC/tests/models/wire.c" "$V/pve_models.c" "$V/models/pvecg_rt.c" "$V/models/pvecg_rt_propstr.c" \
    -o "$E2E_TMP/wire" $CJSON_LIBS -lm || e2e_fail "building tests/models/wire.c"
"$E2E_TMP/wire" parse "$RESP" >"$E2E_TMP/parse.out" 2>&1
rc=$?
sed 's/^/C: /' "$E2E_TMP/parse.out"
[ $rc -eq 0 ] || e2e_fail "C models: a recording did not parse or lost members"
grep -Eq '^parse ([0-9]+)/\1 realistic parsed with nothing lost' "$E2E_TMP/parse.out" ||
	e2e_fail "C models: not every realistic recording parsed"
# PVECG_RT_STRICT keeps the declared types: 0/1 booleans (GET /cluster/status),
# "106" for an integer (GET /nodes/{node}/lxc) and an absent declared-required
# member (GET /nodes/{node}/status) are refused again.
"$E2E_TMP/wire" strict "$RESP" >"$E2E_TMP/strict.out" 2>&1 || e2e_fail "strict parse run"
tail -n 1 "$E2E_TMP/strict.out" | sed 's/^/C strict: /'
grep -q '^FAIL   003.json .*: data\[0\]\.quorate: expected boolean$' "$E2E_TMP/strict.out" ||
	e2e_fail "strict: 0/1 for a boolean accepted"
grep -q '^FAIL   008.json .*: data\[0\]\.vmid: expected integer$' "$E2E_TMP/strict.out" ||
	e2e_fail "strict: a numeric string for an integer accepted"
grep -q '^FAIL   006.json .*: missing required member$' "$E2E_TMP/strict.out" ||
	e2e_fail "strict: a missing declared-required member accepted"
"$E2E_TMP/wire" reject "$E2E_TMP"/mut/*.json >"$E2E_TMP/reject.out" 2>&1
rc=$?
tail -n 1 "$E2E_TMP/reject.out" | sed 's/^/C: /'
[ $rc -eq 0 ] || e2e_fail "C runtime accepted a mutation: $(grep FAIL "$E2E_TMP/reject.out" | head -5)"

# --- declared types ----------------------------------------------------------------
"$E2E_TMP/wire" types >"$E2E_TMP/types.txt" || e2e_fail "dumping the descriptor types"
python3 "$SRC/tests/models/declared_types.py" "$V/raw_capture.json" "$V/openapi.json" \
    "$E2E_TMP/types.txt" >"$E2E_TMP/types.out" 2>&1
rc=$?
cat "$E2E_TMP/types.out"
[ $rc -eq 0 ] || e2e_fail "declared boolean/integer members lost their type"

# --- errata --------------------------------------------------------------------------
python3 - "$V/openapi.json" <<'EOF' || e2e_fail "erratum of GET /nodes/{node}/ceph/mon host"
import json, sys
d = json.load(open(sys.argv[1]))
e = d['x-proxmox-errata']
assert [x['operation'] for x in e] == ['GET /nodes/{node}/ceph/mon'], e
assert all(x['evidence'] for x in e)
host = d['components']['schemas']['GetNodesNodeCephMonResponse']['items']['properties']['host']
assert host['x-proxmox-type'] == 'string' and host['x-proxmox-declared'] == {'type': 'boolean'}, host
print('errata: %d applied, each with evidence' % len(e))
EOF
e2e_pass
