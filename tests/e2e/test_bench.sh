#!/usr/bin/env bash
# tests/bench/bench.py and bench_floors work end to end on the repository's
# PVE 9.1 fixture: one pair (this checks that they run, not how fast), every
# case and stage in the tables, every floor row with its numbers.
. "$(dirname "$0")/lib.sh"
e2e_init
[ -x /usr/bin/python3 ] || e2e_skip "/usr/bin/python3 is not installed"
FLOORS="$PVECG_BUILD_DIR/tests/bench_floors"
[ -x "$FLOORS" ] || e2e_fail "no $FLOORS (built with the tests)"
OUT="$E2E_TMP/bench.txt"

python3 "$PVECG_SOURCE_DIR/tests/bench/bench.py" --runs 1 --only pve-9.1.js \
	--bin "$PVECG_BIN" --fixtures "$PVECG_SOURCE_DIR/tests/fixtures/apidoc" \
	--floors --floors-bin "$FLOORS" >"$OUT" 2>&1 || e2e_fail "bench.py failed: $(cat "$OUT")"
num='[0-9]+\.[0-9]'
for row in "pipeline this, default, fresh dir" "pipeline this, --workers 1, fresh dir" \
	"json.loads of the slice" "reference cat"; do
	grep -qE -- "$row +$num+ +$num+ +$num+ +$num+" "$OUT" || e2e_fail "no \"$row\" row: $(cat "$OUT")"
done
for stage in fetch scripts capture openapi models routes verify write total; do
	grep -qE "^$stage +$num+$" "$OUT" || e2e_fail "no stage \"$stage\": $(cat "$OUT")"
done
for row in "parse the schema slice (cJSON)" "write the JSON documents (canonical)" \
	"SHA-256 of every output file" "parse the JSON documents (self-check)" \
	"write the files to a fresh dir + fsync"; do
	grep -qE -- "^  $(sed 's/[()+]/\\&/g' <<<"$row") +$num+ +$num+ +$num+$" "$OUT" ||
		e2e_fail "no floor \"$row\": $(cat "$OUT")"
done
for row in "start-up: this binary, --version" "start-up: /usr/bin/python3 -c pass" \
	"python json.loads of the slice, in-process"; do
	grep -qE -- "^  $row +$num+ +$num+$" "$OUT" || e2e_fail "no \"$row\" row: $(cat "$OUT")"
done
# bench_floors refuses a tree whose documents the writer does not give back
cp -a "$PVECG_SOURCE_DIR/generated/proxmox/9.1" "$E2E_TMP/tree"
sed -i '1s/^{/{ /' "$E2E_TMP/tree/openapi.json"
"$FLOORS" "$PVECG_SOURCE_DIR/tests/fixtures/apidoc/pve-9.1.js" "$E2E_TMP/tree" 1 \
	>"$E2E_TMP/floors.txt" 2>&1 && e2e_fail "bench_floors measured a document it does not reproduce"
grep -q "openapi.json: written again, the bytes differ" "$E2E_TMP/floors.txt" ||
	e2e_fail "bench_floors: $(cat "$E2E_TMP/floors.txt")"
e2e_pass
