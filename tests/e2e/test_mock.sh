#!/usr/bin/env bash
# `mock` end to end, on PVE 9.1 generated from the fixture, served from a
# copy of the version directory WITHOUT openapi.json (the mock reads only
# route_metadata.json; the checks below may read openapi.json):
# - Debian's python3-proxmoxer over HTTPS (certificate made here): ticket
#   login (cookie + CSRF token) and API token, nodes, create/config/start/
#   task/list/delete a VM; the same CRUD on containers, pools and storage
#   (tests/mock/proxmoxer_session.py);
# - every route of route_metadata.json answers 2xx to a well-formed request,
#   and 400 naming the parameter to an invalid one (tests/mock/walk_routes.py);
# - every recorded 2xx answer validates against openapi.json with Ajv and
#   parses and validates with the generated C models; error answers carry
#   {"data":null,"message"...};
# - auth refusals, CSRF, unknown routes, bad usage; --state survives a restart;
#   a bad seed is refused with one line.
. "$(dirname "$0")/lib.sh"
e2e_init
e2e_need_fixtures
e2e_need_cmd openssl
e2e_need_cmd curl
e2e_need_cmd gcc
e2e_need_cmd node
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import proxmoxer' 2>/dev/null ||
	e2e_skip "Debian's python3-proxmoxer is not installed (scripts/deps.sh)"
pkg-config --exists libcjson || e2e_skip "libcjson development files are not installed"

SRC=${PVECG_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
NPM=$SRC/tests/npm
if [ ! -d "$NPM/node_modules/ajv" ]; then
	npm ci --prefix "$NPM" --no-audit --no-fund --loglevel=error >/dev/null || e2e_fail "npm ci"
fi

# --- the version directory, without openapi.json -----------------------------
"$PVECG_BIN" --source "$PVECG_FIXTURES/pve-9.1.js" --version-tag 9.1 --output-dir "$E2E_TMP/gen" \
    -q >"$E2E_TMP/gen.log" 2>&1 || e2e_fail "generating PVE 9.1: $(cat "$E2E_TMP/gen.log")"
G=$E2E_TMP/gen/9.1
mkdir -p "$E2E_TMP/root/proxmox"
cp -r "$G" "$E2E_TMP/root/proxmox/9.1"
rm "$E2E_TMP/root/proxmox/9.1/openapi.json"
V=$E2E_TMP/root/proxmox/9.1
[ ! -e "$V/openapi.json" ] || e2e_fail "openapi.json still there"

# --- C-model checker of recorded answers ---------------------------------------
gcc -std=c11 -Wall -Wextra -Werror -pedantic -g $(pkg-config --cflags libcjson) \
    -DAGG_HEADER='"pve_models.h"' -DAGG_PREFIX=pve_models -I"$G" -I"$G/models" \
    "$SRC/tests/mock/parse_models.c" "$G/pve_models.c" $(ls "$G"/models/pvecg_rt*.c | grep -v lazy) \
    -o "$E2E_TMP/parse_models" $(pkg-config --libs libcjson) -lm || e2e_fail "building parse_models"

MOCK_PIDS=()
MOCK_NAMES=()
start_mock() { # name args... ; sets PORT
	local name=$1 i
	shift
	"$PVECG_BIN" mock "$@" --listen 127.0.0.1:0 >"$E2E_TMP/$name.out" 2>"$E2E_TMP/$name.log" &
	MOCK_PIDS+=($!)
	MOCK_NAMES+=("$name")
	E2E_SERVER_PIDS+=($!)
	for i in $(seq 300); do
		PORT=$(sed -n 's|.* on https\{0,1\}://127\.0\.0\.1:\([0-9]*\)/api2/json/.*|\1|p' "$E2E_TMP/$name.log" 2>/dev/null)
		[ -n "$PORT" ] && return 0
		kill -0 "${MOCK_PIDS[-1]}" 2>/dev/null || e2e_fail "mock $name died: $(cat "$E2E_TMP/$name.log")"
		sleep 0.1
	done
	e2e_fail "mock $name did not start"
}
stop_mock() { # SIGTERM; it must exit 0 and (sanitizer builds) report nothing
	local rc log=$E2E_TMP/${MOCK_NAMES[-1]}.log
	kill "${MOCK_PIDS[-1]}"
	wait "${MOCK_PIDS[-1]}"
	rc=$?
	[ "$rc" = 0 ] || e2e_fail "mock ${MOCK_NAMES[-1]} exited $rc: $(tail -5 "$log")"
	! grep -q 'Sanitizer\|runtime error' "$log" || e2e_fail "mock ${MOCK_NAMES[-1]}: $(grep -m3 'Sanitizer\|runtime error' "$log")"
	unset 'MOCK_PIDS[-1]' 'MOCK_NAMES[-1]'
}

check_recorded() { # jsonl what
	node "$NPM/mock_responses.mjs" "$G/openapi.json" "$1" >"$E2E_TMP/ajv.out" 2>&1 ||
		e2e_fail "$2: Ajv: $(head -25 "$E2E_TMP/ajv.out")"
	echo "$2: $(tail -1 "$E2E_TMP/ajv.out")"
	grep '^schema defect' "$E2E_TMP/ajv.out" || true
	"$E2E_TMP/parse_models" "$1" >"$E2E_TMP/models.out" 2>&1 ||
		e2e_fail "$2: C models: $(head -25 "$E2E_TMP/models.out")"
	echo "$2: $(tail -1 "$E2E_TMP/models.out")"
}

# --- proxmoxer over HTTPS ---------------------------------------------------------
e2e_make_cert "$E2E_TMP"
start_mock tls "$E2E_TMP/root" --version 9.1 --tls-cert "$E2E_TMP/cert.pem" --tls-key "$E2E_TMP/key.pem"
grep -q "mock of pve 9.1 (646 routes" "$E2E_TMP/tls.log" || e2e_fail "announce: $(cat "$E2E_TMP/tls.log")"
timeout 300 /usr/bin/python3 "$SRC/tests/mock/proxmoxer_session.py" "127.0.0.1:$PORT" "$E2E_TMP/cert.pem" \
    "$V/route_metadata.json" "$E2E_TMP/session.jsonl" >"$E2E_TMP/session.out" 2>&1 ||
	e2e_fail "proxmoxer session: $(tail -20 "$E2E_TMP/session.out")"
cat "$E2E_TMP/session.out"
grep -q '^proxmoxer session: [0-9]* checks passed$' "$E2E_TMP/session.out" || e2e_fail "session summary"
check_recorded "$E2E_TMP/session.jsonl" "proxmoxer session"

# --- auth and protocol details, with curl ----------------------------------------
B=https://127.0.0.1:$PORT/api2/json
C="curl -sS --cacert $E2E_TMP/cert.pem -o $E2E_TMP/body -w %{http_code}"
[ "$($C "$B/nodes")" = 401 ] || e2e_fail "no ticket: not 401"
grep -q '"message":"No ticket"' "$E2E_TMP/body" || e2e_fail "no ticket body: $(cat "$E2E_TMP/body")"
[ "$($C -d username=root@pam -d password=proxmox "$B/access/ticket")" = 200 ] || e2e_fail "login"
TICKET=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["data"]["ticket"])' "$E2E_TMP/body")
CSRF=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["data"]["CSRFPreventionToken"])' "$E2E_TMP/body")
[ "$($C -b "PVEAuthCookie=$TICKET" "$B/nodes")" = 200 ] || e2e_fail "ticket GET"
[ "$($C -b "PVEAuthCookie=$TICKET" -d poolid=p1 "$B/pools")" = 401 ] || e2e_fail "write without CSRF token: not 401"
grep -q 'invalid csrf token' "$E2E_TMP/body" || e2e_fail "csrf body: $(cat "$E2E_TMP/body")"
[ "$($C -b "PVEAuthCookie=$TICKET" -H "CSRFPreventionToken: $CSRF" -d poolid=p1 "$B/pools")" = 200 ] ||
	e2e_fail "write with CSRF token: $(cat "$E2E_TMP/body")"
if [ "${TICKET: -1}" = 0 ]; then FORGED=${TICKET%?}1; else FORGED=${TICKET%?}0; fi
[ "$($C -b "PVEAuthCookie=$FORGED" "$B/nodes")" = 401 ] || e2e_fail "forged ticket accepted"
[ "$($C -H 'Authorization: PVEAPIToken=root@pam!mock=00000000-0000-4000-8000-000000000000' \
    -X DELETE "$B/pools/p1")" = 200 ] || e2e_fail "token write (no CSRF needed)"
A=(-H 'Authorization: PVEAPIToken=root@pam!mock=00000000-0000-4000-8000-000000000000')
[ "$($C "${A[@]}" "$B/nodes/pve/nosuch")" = 501 ] || e2e_fail "unknown route: not 501"
grep -q "Method 'GET /nodes/pve/nosuch' not implemented" "$E2E_TMP/body" || e2e_fail "501 body: $(cat "$E2E_TMP/body")"
[ "$($C "${A[@]}" "$B/nodes/pve/qemu?full=TRUE")" = 200 ] || e2e_fail "boolean TRUE refused"
[ "$($C "${A[@]}" "$B/nodes/pve/qemu?full=maybe")" = 400 ] || e2e_fail "boolean maybe accepted"
grep -q "\"full\":\"type check ('boolean') failed - got 'maybe'\"" "$E2E_TMP/body" || e2e_fail "bool error: $(cat "$E2E_TMP/body")"
[ "$($C "${A[@]}" -H 'Content-Type: application/json' -d '{"vmid":777,"name":"json","onboot":true}' \
    "$B/nodes/pve/qemu")" = 200 ] || e2e_fail "JSON body create: $(cat "$E2E_TMP/body")"
[ "$($C "${A[@]}" "$B/cluster/nextid?vmid=777")" = 400 ] || e2e_fail "nextid of a used vmid"
grep -q '"vmid":"VM 777 already exists"' "$E2E_TMP/body" || e2e_fail "nextid body: $(cat "$E2E_TMP/body")"
[ "$($C "${A[@]}" -d 'net0=virtio,bogus=1' -X PUT "$B/nodes/pve/qemu/777/config")" = 400 ] ||
	e2e_fail "bad property string accepted"
grep -q 'bogus: property is not defined in schema' "$E2E_TMP/body" || e2e_fail "property string body: $(cat "$E2E_TMP/body")"
# /api2/extjs: HTTP 200, success 0/1, the error status in the body
[ "$($C "${A[@]}" "$B/../extjs/nodes/pve/qemu/99999/config")" = 200 ] || e2e_fail "extjs status"
python3 - "$E2E_TMP/body" <<'PY' || e2e_fail "extjs body: $(cat "$E2E_TMP/body")"
import json, sys
b = json.load(open(sys.argv[1]))
assert b == {"data": None, "message": "Configuration file 'nodes/pve/qemu-server/99999.conf' does not exist",
             "status": 500, "success": 0}, b
PY
[ "$($C "${A[@]}" "$B/../extjs/version")" = 200 ] && grep -q '"success":1' "$E2E_TMP/body" || e2e_fail "extjs success"
stop_mock

# --- every route, on plain HTTP with --no-auth ---------------------------------------
cat >"$E2E_TMP/walk-seed.json" <<'EOF'
{"users": {"root@pam": "proxmox"}, "objects": {"/nodes/pve": {}, "/nodes/pve2": {}, "/storage/local": {"type": "dir", "content": "images,iso"},
 "/nodes/pve/qemu/100": {"name": "alpha", "memory": 2048}, "/nodes/pve/lxc/101": {"hostname": "beta"}}}
EOF
start_mock walk "$E2E_TMP/root" --version-tag 9.1 --no-auth --seed "$E2E_TMP/walk-seed.json"
timeout 600 python3 "$SRC/tests/mock/walk_routes.py" "http://127.0.0.1:$PORT" "$V/route_metadata.json" \
    "$E2E_TMP/walk.jsonl" >"$E2E_TMP/walk.out" 2>&1 || e2e_fail "route walk: $(head -40 "$E2E_TMP/walk.out")"
cat "$E2E_TMP/walk.out"
grep -q '^walk: tested 646/646 routes answered 2xx to a well-formed request; 0 skipped$' "$E2E_TMP/walk.out" ||
	e2e_fail "walk summary"
grep -q '^walk: 646/646 invalid requests answered 400 naming the parameter$' "$E2E_TMP/walk.out" ||
	e2e_fail "walk invalid summary"
check_recorded "$E2E_TMP/walk.jsonl" "route walk"
stop_mock

# --- --state survives a restart; --seed; bad input --------------------------------------
cat >"$E2E_TMP/seed.json" <<'EOF'
{"users": {"ci@pve": "secret-ci"}, "tokens": {},
 "objects": {"/nodes/n1": {}, "/nodes/n2": {}, "/nodes/n1/qemu/500": {"name": "seeded", "memory": 256}}}
EOF
start_mock state "$V" --seed "$E2E_TMP/seed.json" --state "$E2E_TMP/state.json" --no-auth
B=http://127.0.0.1:$PORT/api2/json
[ "$(curl -s "$B/nodes" | python3 -c 'import json,sys; print(sorted(n["node"] for n in json.load(sys.stdin)["data"]))')" = "['n1', 'n2']" ] ||
	e2e_fail "seeded nodes"
curl -s -d vmid=501 -d name=kept "$B/nodes/n2/qemu" >/dev/null
[ "$(curl -s "$B/cluster/nextid")" = '{"data":100}' ] || e2e_fail "nextid with 500/501 used"
# guest actions: migrate moves the guest, clone copies it (no handler per family)
curl -s -d target=n1 "$B/nodes/n2/qemu/501/migrate" | grep -q ':qmmigrate:501:' || e2e_fail "migrate task"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$B/nodes/n2/qemu/501/config")" = 500 ] || e2e_fail "migrated guest still on n2"
curl -s -d newid=502 -d name=copy -d target=n2 "$B/nodes/n1/qemu/501/clone" | grep -q ':qmclone:501:' ||
	e2e_fail "clone task"
[ "$(curl -s "$B/cluster/resources?type=vm" | python3 -c 'import json,sys; print(sorted((r["id"], r["node"], r["name"]) for r in json.load(sys.stdin)["data"]))')" = \
  "[('qemu/500', 'n1', 'seeded'), ('qemu/501', 'n1', 'kept'), ('qemu/502', 'n2', 'copy')]" ] || e2e_fail "resources after migrate and clone"
stop_mock
start_mock state2 "$V" --state "$E2E_TMP/state.json" --no-auth
B=http://127.0.0.1:$PORT/api2/json
[ "$(curl -s "$B/nodes/n1/qemu/501/config" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["name"])')" = kept ] ||
	e2e_fail "state lost across a restart"
[ ! -e "$E2E_TMP/state.json.tmp" ] || e2e_fail "temporary state file left behind"
stop_mock

echo '{"objects": {"/nowhere/1": {}}}' >"$E2E_TMP/bad-seed.json"
e2e_expect_error 1 "bad-seed.json" "not an item path" -- mock "$V" --seed "$E2E_TMP/bad-seed.json" --listen 127.0.0.1:0
e2e_expect_error 2 "no route_metadata.json" -- mock "$E2E_TMP/nowhere" --listen 127.0.0.1:0
e2e_expect_error 2 "--tls-cert and --tls-key go together" -- mock "$V" --tls-cert "$E2E_TMP/cert.pem"
e2e_pass
