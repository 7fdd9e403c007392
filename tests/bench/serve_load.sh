#!/usr/bin/env bash
# Bounded load run of `proxmox-sdk-codegen serve` on loopback (about 50 s):
# wrk with 64 connections against GET /versions/ and GET /codegen/openapi,
# reporting throughput, p99 latency, errors, and the server's RSS before,
# between and after the runs. Exits non-zero on any error response.
#
#   PVECG_BIN=build/proxmox-sdk-codegen PVECG_FIXTURES=tests/fixtures/apidoc \
#       bash tests/bench/serve_load.sh [seconds-per-run, default 15]
set -u
DUR=${1:-15}
[ "$DUR" -le 18 ] 2>/dev/null || { echo "seconds per run must be <= 18 (3 runs, 60 s cap)"; exit 2; }
BIN=${PVECG_BIN:?PVECG_BIN must point at proxmox-sdk-codegen}
if [ -z "${PVECG_FIXTURES:-}" ] || [ ! -f "$PVECG_FIXTURES/pve-9.1.js" ]; then
	echo "SKIP: PVECG_FIXTURES (folder with pve-9.1.js) is not available"
	exit 77
fi
command -v wrk >/dev/null || { echo "SKIP: wrk is not installed (Debian package wrk)"; exit 77; }

T=$(mktemp -d "${TMPDIR:-/tmp}/pvecg-bench.XXXXXX")
SPID=""
cleanup() {
	[ -n "$SPID" ] && kill "$SPID" 2>/dev/null && wait "$SPID" 2>/dev/null
	[ -n "${KEEP_BENCH:-}" ] && echo "kept $T" || rm -rf "$T"
}
trap cleanup EXIT

"$BIN" generate --quiet --source "$PVECG_FIXTURES/pve-9.1.js" --version-tag 9.1 \
	--also-latest --output-dir "$T/root/proxmox" || { echo "FAIL: generate"; exit 1; }

KEY="bench-$$-$RANDOM$RANDOM"
CODEGEN_API_KEY=$KEY "$BIN" serve --listen 127.0.0.1:0 --output-dir "$T/root" \
	--rate-read 1000000000 --rate-generate 1 --threads 4 2>"$T/serve.log" &
SPID=$!
PORT=""
for _ in $(seq 100); do
	PORT=$(sed -n 's|.* on http://127\.0\.0\.1:\([0-9][0-9]*\).*|\1|p' "$T/serve.log" | head -1)
	[ -n "$PORT" ] && break
	sleep 0.1
done
[ -n "$PORT" ] || { echo "FAIL: serve did not start"; cat "$T/serve.log"; exit 1; }
U="http://127.0.0.1:$PORT"
rss() { awk '/^VmRSS/ {print $2 " kB"}' "/proc/$SPID/status"; }

# One cold request each first: the first /versions/ builds the listing
# (it reads every artifact); later ones reuse it until the tree changes.
COLD=$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $KEY" "$U/versions/")
SIZE=$(curl -s -H "Authorization: Bearer $KEY" "$U/codegen/openapi?version=9.1" | wc -c)
echo "first (cold) GET /versions/: ${COLD}s"
echo "server pid $SPID, threads 4, openapi.json $SIZE bytes, ${DUR}s per run, 64 connections"
echo "RSS at start:            $(rss)"

ERRORS=0
run() { # label path
	local out="$T/wrk.$1"
	wrk -t2 -c64 -d"${DUR}s" --timeout 10s --latency -H "Authorization: Bearer $KEY" "$U$2" >"$out" 2>&1
	local rps p99 non2xx sock
	rps=$(awk '/^Requests\/sec/ {print $2}' "$out")
	p99=$(awk '$1 == "99%" {print $2}' "$out")
	non2xx=$(awk '/Non-2xx or 3xx responses/ {print $NF}' "$out")
	sock=$(awk -F'[ ,]+' '/Socket errors/ {print $4+$6+$8+$10}' "$out")
	local tput
	tput=$(awk '/^Transfer\/sec/ {print $2}' "$out")
	printf '%-22s %10s req/s  p99 %8s  %9s/s  non-2xx %s  socket errors %s\n' "$1" "$rps" "$p99" \
		"$tput" "${non2xx:-0}" "${sock:-0}"
	ERRORS=$((ERRORS + ${non2xx:-0} + ${sock:-0}))
	echo "RSS after $1: $(rss)"
}
run versions /versions/
run openapi "/codegen/openapi?version=9.1"
run openapi-again "/codegen/openapi"
echo "errors: $ERRORS"
[ "$ERRORS" -eq 0 ]
