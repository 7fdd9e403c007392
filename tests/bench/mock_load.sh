#!/usr/bin/env bash
# Bounded load run of `proxmox-sdk-codegen mock` on loopback (about 20 s):
# wrk with 64 connections against GET /api2/json/nodes/pve/qemu (API-token
# auth, the built-in seed), reporting requests/s, p99 latency, errors and
# the mock's peak RSS (VmHWM). Exits non-zero on any error response.
#
#   PVECG_BIN=build/proxmox-sdk-codegen PVECG_FIXTURES=tests/fixtures/apidoc \
#       bash tests/bench/mock_load.sh [seconds, default 15] [threads, default 4]
set -u
DUR=${1:-15}
THREADS=${2:-4}
[ "$DUR" -le 60 ] 2>/dev/null || { echo "seconds must be <= 60"; exit 2; }
BIN=${PVECG_BIN:?PVECG_BIN must point at proxmox-sdk-codegen}
if [ -z "${PVECG_FIXTURES:-}" ] || [ ! -f "$PVECG_FIXTURES/pve-9.1.js" ]; then
	echo "SKIP: PVECG_FIXTURES (folder with pve-9.1.js) is not available"
	exit 77
fi
command -v wrk >/dev/null || { echo "SKIP: wrk is not installed (Debian package wrk)"; exit 77; }

T=$(mktemp -d "${TMPDIR:-/tmp}/pvecg-mock-bench.XXXXXX")
MPID=""
cleanup() {
	[ -n "$MPID" ] && kill "$MPID" 2>/dev/null && wait "$MPID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

"$BIN" generate --quiet --source "$PVECG_FIXTURES/pve-9.1.js" --version-tag 9.1 \
	--output-dir "$T/root/proxmox" || { echo "FAIL: generate"; exit 1; }
rm "$T/root/proxmox/9.1/openapi.json"
"$BIN" mock "$T/root" --version 9.1 --listen 127.0.0.1:0 --threads "$THREADS" 2>"$T/mock.log" &
MPID=$!
PORT=""
for _ in $(seq 300); do
	PORT=$(sed -n 's|.* on http://127\.0\.0\.1:\([0-9][0-9]*\)/api2.*|\1|p' "$T/mock.log" | head -1)
	[ -n "$PORT" ] && break
	sleep 0.1
done
[ -n "$PORT" ] || { echo "FAIL: mock did not start"; cat "$T/mock.log"; exit 1; }
U="http://127.0.0.1:$PORT/api2/json/nodes/pve/qemu"
AUTH='Authorization: PVEAPIToken=root@pam!mock=00000000-0000-4000-8000-000000000000'
curl -sf -H "$AUTH" "$U" >/dev/null || { echo "FAIL: first request"; exit 1; }
echo "mock pid $MPID, --threads $THREADS, ${DUR}s, 64 connections, GET /api2/json/nodes/pve/qemu"
echo "RSS after start: $(awk '/^VmRSS/ {print $2 " kB"}' "/proc/$MPID/status")"
wrk -t2 -c64 -d"${DUR}s" --timeout 10s --latency -H "$AUTH" "$U" >"$T/wrk.out" 2>&1
rps=$(awk '/^Requests\/sec/ {print $2}' "$T/wrk.out")
p50=$(awk '$1 == "50%" {print $2}' "$T/wrk.out")
p99=$(awk '$1 == "99%" {print $2}' "$T/wrk.out")
non2xx=$(awk '/Non-2xx or 3xx responses/ {print $NF}' "$T/wrk.out")
sock=$(awk -F'[ ,]+' '/Socket errors/ {print $4+$6+$8+$10}' "$T/wrk.out")
echo "requests/s: $rps   p50: $p50   p99: $p99   non-2xx: ${non2xx:-0}   socket errors: ${sock:-0}"
echo "peak RSS (VmHWM): $(awk '/^VmHWM/ {print $2 " kB"}' "/proc/$MPID/status")"
[ -z "$non2xx" ] && [ "${sock:-0}" = 0 ] || { cat "$T/wrk.out"; exit 1; }
