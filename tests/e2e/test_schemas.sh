#!/usr/bin/env bash
# The generated raw_capture.json, route_metadata.json and model_index.json of
# PVE 9.1, PVE 8.4 and PBS 4 validate against schemas/*.schema.json with Ajv
# (JSON Schema 2020-12, strict) — an implementation independent of the C
# validator verify uses — and both reject the same broken copies.
. "$(dirname "$0")/lib.sh"
e2e_init
e2e_need_fixtures
e2e_need_cmd node
NPM_DIR="$PVECG_SOURCE_DIR/tests/npm"
SCHEMAS="$PVECG_SOURCE_DIR/schemas"
[ -d "$NPM_DIR/node_modules/ajv" ] || e2e_skip "ajv is not installed (run: npm ci --prefix tests/npm)"

ajv_check() {
	node "$NPM_DIR/validate_schemas.mjs" "$SCHEMAS" "$@"
}

OUT="$E2E_TMP/gen"
for spec in "pve-9.1.js 9.1 proxmox" "pve-8.4.js 8.4 proxmox" "pbs-4.js 4 pbs"; do
	set -- $spec
	e2e_run out err rc -- --source "$PVECG_FIXTURES/$1" --version-tag "$2" \
		--output-dir "$OUT/$3" -q
	[ "$rc" = 0 ] || e2e_fail "generate $1 exit $rc: $err"
	ajv_check "$OUT/$3/$2" || e2e_fail "Ajv rejects the $1 artifacts"
done
e2e_run out err rc -- verify --schemas "$SCHEMAS" "$OUT"
[ "$rc" = 0 ] || e2e_fail "verify rejects what Ajv accepts:
$out
$err"

# Broken copies: both validators must name the same member.
break_copy() {
	local name=$1 code=$2 dst="$E2E_TMP/broken/$1/proxmox/9.1"
	mkdir -p "$(dirname "$dst")"
	cp -a "$OUT/proxmox/9.1" "$dst"
	python3 - "$dst/$3" "$code" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
exec(sys.argv[2])
with open(sys.argv[1], "w") as f:
    json.dump(doc, f, indent=2, sort_keys=True)
    f.write("\n")
PY
	BROKEN=$dst
}

check_both_reject() {
	local file=$1 ajv_path=$2 c_path=$3 out err rc
	if out=$(ajv_check "$BROKEN"); then
		e2e_fail "Ajv accepts broken $file"
	fi
	grep -qF "$BROKEN/$file: $ajv_path" <<<"$out" || e2e_fail "Ajv did not name $ajv_path:
$out"
	e2e_run out err rc -- verify --schemas "$SCHEMAS" "$BROKEN"
	[ "$rc" = 1 ] || e2e_fail "verify accepts broken $file (exit $rc)"
	grep -qF "$BROKEN/$file: $c_path" <<<"$out" || e2e_fail "verify did not name $c_path:
$out"
}

break_copy method "doc['routes'][3]['method'] = 'PATCH'" route_metadata.json
check_both_reject route_metadata.json "/routes/3/method:" "\$.routes[3].method: value is not one of the enum values"
break_copy kind "doc['routes'][0]['get_kind'] = 'list'" route_metadata.json
check_both_reject route_metadata.json "/routes/0/get_kind:" "\$.routes[0].get_kind:"
break_copy sha "doc['openapi_sha256'] = 'XYZ'" model_index.json
check_both_reject model_index.json "/openapi_sha256:" "\$.openapi_sha256: does not match pattern"
break_copy capture "del doc['counts']['per_method']" raw_capture.json
check_both_reject raw_capture.json "/counts:" "\$.counts: missing required member \"per_method\""
e2e_pass
