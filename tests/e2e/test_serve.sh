#!/usr/bin/env bash
# e2e: `proxmox-sdk-codegen serve` on 127.0.0.1, driven with curl.
# Auth (403/401), reads (200, exact bytes), generate (200 and its pins),
# validation (400), body cap (413), rate limits (429 + Retry-After),
# one generation at a time (409), SSRF refused without any connection,
# slow clients cut off, TLS, SIGTERM finishing a generation atomically.
set -u

if [ -z "${PVECG_FIXTURES:-}" ] || [ ! -f "$PVECG_FIXTURES/pve-9.1.js" ]; then
	echo "SKIP: PVECG_FIXTURES (folder with pve-9.1.js) is not available"
	exit 77
fi
BIN=${PVECG_BIN:?PVECG_BIN must point at proxmox-sdk-codegen}
SRC=${PVECG_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
for tool in curl python3 tar sha256sum openssl; do
	command -v "$tool" >/dev/null || { echo "SKIP: $tool not installed"; exit 77; }
done

T=$(mktemp -d "${TMPDIR:-/tmp}/pvecg-serve.XXXXXX")
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

PASS=0
FAIL=0
ok() { PASS=$((PASS + 1)); echo "ok - $1"; }
bad() { FAIL=$((FAIL + 1)); echo "FAIL - $1"; }
check() { # name want got; on failure shows the last answer's start
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		bad "$1: want '$2', got '$3'"
		[ -f "$T/body" ] && head -c 300 "$T/body" | sed 's/^/    | /' && echo
	fi
}

# req METHOD URL [curl args...]: STATUS, body in $T/body, headers in $T/hdrs
req() {
	local m=$1 u=$2
	shift 2
	STATUS=$(curl -sS --max-time 60 -o "$T/body" -D "$T/hdrs" -w '%{http_code}' -X "$m" "$@" "$u" 2>"$T/curl.err") || STATUS="curl-failed:$(cat "$T/curl.err")"
}
json_field() { # file key -> value (python repr for non-strings)
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); v=d.get(sys.argv[2]); print(v if isinstance(v,str) else json.dumps(v))' "$1" "$2" 2>/dev/null
}
header() { # name -> value from $T/hdrs
	tr -d '\r' <"$T/hdrs" | awk -v h="$(echo "$1" | tr 'A-Z' 'a-z')" -F': ' 'tolower($1)==h {print $2}' | tail -1
}

# --- the upstream: a local HTTP server with copies of the fixtures -----------
mkdir -p "$T/www"
cp "$PVECG_FIXTURES/pve-9.1.js" "$PVECG_FIXTURES/pve-8.4.js" "$T/www/"
python3 "$SRC/tests/e2e/testserver.py" --root "$T/www" --port-file "$T/up.port" \
	--count-file "$T/up.count" --conn-file "$T/up.conns" 2>"$T/up.log" &
PIDS+=($!)
for _ in $(seq 100); do [ -s "$T/up.port" ] && break; sleep 0.1; done
UP=$(cat "$T/up.port" 2>/dev/null)
[ -n "$UP" ] || { echo "FAIL - test server did not start"; cat "$T/up.log"; exit 1; }
UPURL="http://127.0.0.1:$UP"
count() { cat "$T/up.$1"; }

# start_serve NAME KEY ARGS...: starts serve, sets PORT_<NAME>, PID_<NAME>
start_serve() {
	local name=$1 key=$2
	shift 2
	if [ -n "$key" ]; then
		CODEGEN_API_KEY=$key "$BIN" serve --listen 127.0.0.1:0 "$@" 2>"$T/$name.log" &
	else
		env -u CODEGEN_API_KEY "$BIN" serve --listen 127.0.0.1:0 "$@" 2>"$T/$name.log" &
	fi
	local pid=$!
	PIDS+=("$pid")
	local port=""
	for _ in $(seq 100); do
		port=$(sed -n 's|.* on https\{0,1\}://127\.0\.0\.1:\([0-9][0-9]*\).*|\1|p' "$T/$name.log" | head -1)
		[ -n "$port" ] && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if [ -z "$port" ]; then
		echo "FAIL - serve $name did not start"; cat "$T/$name.log"; exit 1
	fi
	printf -v "PORT_$name" '%s' "$port"
	printf -v "PID_$name" '%s' "$pid"
}

KEY="test-key-$$-$RANDOM$RANDOM"
AUTH=(-H "Authorization: Bearer $KEY")
gen_body() { # url tag [product]
	printf '{"proxmox_url": "%s", "version_tag": "%s", "product": "%s"}' "$1" "$2" "${3:-pve}"
}

# --- 1. no API key configured: 403 everywhere but /healthz ------------------
start_serve nokey "" --output-dir "$T/root-nokey"
U="http://127.0.0.1:$PORT_nokey"
req GET "$U/healthz"
check "healthz answers 200 without a key" 200 "$STATUS"
check "healthz body" ok "$(json_field "$T/body" status)"
for ep in /versions/ "/codegen/openapi?version=9.1" /codegen/models /codegen/model-index; do
	req GET "$U$ep" -H "Authorization: Bearer anything"
	check "no key configured: GET $ep is 403" 403 "$STATUS"
done
req POST "$U/codegen/generate" -H "Authorization: Bearer anything" -d "$(gen_body "$UPURL/pve-9.1.js" 9.1)"
check "no key configured: POST generate is 403" 403 "$STATUS"
check "403 error body names the cause" forbidden "$(json_field "$T/body" error)"

# --- 2. main server: auth, generate, reads, validation, caps, 409 -----------
ROOT="$T/root"
start_serve main "$KEY" --output-dir "$ROOT" --allow-http --allow-private-network \
	--rate-generate 1000 --rate-read 1000 --max-body 2048 --timeout 4 --verbose
U="http://127.0.0.1:$PORT_main"

req GET "$U/versions/"
check "missing Authorization is 401" 401 "$STATUS"
check "401 carries WWW-Authenticate: Bearer" Bearer "$(header WWW-Authenticate)"
req GET "$U/versions/" -H "Authorization: Bearer wrong-$KEY"
check "wrong key is 401" 401 "$STATUS"
req GET "$U/versions/" -H "Authorization: Bearer ${KEY%?}"
check "key prefix is 401" 401 "$STATUS"
req GET "$U/versions/" -H "Authorization: Basic $(printf 'x:%s' "$KEY" | base64 -w0)"
check "Basic auth with the key is 401" 401 "$STATUS"
req GET "$U/versions/" "${AUTH[@]}"
check "versions with the key is 200" 200 "$STATUS"
check "versions of an empty root is an empty JSON list" "[]" \
	"$(python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))))' "$T/body" 2>&1)"
req GET "$U/nowhere" "${AUTH[@]}"
check "unknown endpoint is 404" 404 "$STATUS"
req GET "$U/codegen/generate" "${AUTH[@]}"
check "GET on generate is 405" 405 "$STATUS"

# a real generation from the loopback upstream
req POST "$U/codegen/generate" "${AUTH[@]}" -H 'Content-Type: application/json' \
	-d "$(gen_body "$UPURL/pve-9.1.js" 9.1)"
check "generate pve 9.1 is 200" 200 "$STATUS"
V="$ROOT/proxmox/9.1"
if [ "$STATUS" = 200 ] && [ -f "$V/openapi.json" ]; then
	SHA=$(sha256sum "$V/openapi.json" | cut -d' ' -f1)
	check "generate answers the openapi.json sha256" "$SHA" "$(json_field "$T/body" openapi_sha256)"
	check "generate answers the version tag" 9.1 "$(json_field "$T/body" version_tag)"
	OPS=$(json_field "$T/body" operations)
	[ "${OPS:-0}" -gt 100 ] 2>/dev/null && ok "generate answers the operation count ($OPS)" ||
		bad "generate operation count: '$OPS'"
	NOPS=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sum(1 for p in d["paths"].values() for m in p if m in ("get","post","put","delete")))' "$V/openapi.json")
	check "operation count matches openapi.json" "$NOPS" "$OPS"
	python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["timings"]; assert all(k in t for k in ("fetch","openapi","models","write","total"))' "$T/body" 2>/dev/null &&
		ok "generate answers per-stage timings" || bad "generate answers per-stage timings"

	req GET "$U/codegen/openapi?version=9.1" "${AUTH[@]}"
	check "openapi?version=9.1 is 200" 200 "$STATUS"
	cmp -s "$T/body" "$V/openapi.json" && ok "openapi bytes are the file's" || bad "openapi bytes differ"
	req GET "$U/codegen/openapi" "${AUTH[@]}"
	check "openapi defaults to latest" 200 "$STATUS"
	cmp -s "$T/body" "$V/openapi.json" && ok "latest openapi is 9.1's" || bad "latest openapi is not 9.1's"
	req GET "$U/codegen/model-index?version=9.1&product=pve" "${AUTH[@]}"
	check "model-index is 200" 200 "$STATUS"
	cmp -s "$T/body" "$V/model_index.json" && ok "model-index bytes are the file's" || bad "model-index bytes differ"
	req GET "$U/codegen/models?version=9.1" "${AUTH[@]}"
	check "models is 200" 200 "$STATUS"
	check "models content type" application/gzip "$(header Content-Type)"
	check "models names the archive" 'attachment; filename="proxmox-9.1-models.tar.gz"' \
		"$(header Content-Disposition)"
	check "models has the common headers (nosniff)" nosniff "$(header X-Content-Type-Options)"
	check "models has the common headers (no-store)" no-store "$(header Cache-Control)"
	mkdir -p "$T/x"
	if tar -xzf "$T/body" -C "$T/x" 2>"$T/tar.err"; then
		ok "models archive extracts with tar -xz"
		diff -r "$V/models" "$T/x/proxmox-9.1/models" >/dev/null &&
			ok "archive models/ equals the generated models/" || bad "archive models/ differs"
		cmp -s "$V/model_index.json" "$T/x/proxmox-9.1/model_index.json" &&
			ok "archive holds model_index.json" || bad "archive lacks model_index.json"
		ORIG=$(stat -c %s "$T/body")
		RAW=$(gzip -dc <"$T/body" | wc -c)
		[ "$ORIG" -lt $((RAW / 2)) ] && ok "archive is compressed ($ORIG of $RAW bytes)" ||
			bad "archive not compressed: $ORIG of $RAW bytes"
	else
		bad "models archive extracts: $(cat "$T/tar.err")"
	fi
	req GET "$U/versions/" "${AUTH[@]}"
	check "versions lists 9.1 right after the generation" 9.1 \
		"$(python3 -c 'import json,sys; print(",".join(sorted(v["tag"] for v in json.load(open(sys.argv[1])) if v.get("tag") != "latest")))' "$T/body" 2>&1)"
fi
req GET "$U/codegen/openapi?version=7.0" "${AUTH[@]}"
check "unknown version is 404" 404 "$STATUS"
req GET "$U/codegen/openapi?version=..%2F..%2Fetc" "${AUTH[@]}"
check "traversal in version query is 400" 400 "$STATUS"
req GET "$U/codegen/openapi?product=nope" "${AUTH[@]}"
check "unknown product in query is 400" 400 "$STATUS"

# validation: every refusal is a 400 with a detail, none reaches upstream
C0=$(count conns)
for tag in "../x" "a/b" ".." "latest" "a b" ""; do
	req POST "$U/codegen/generate" "${AUTH[@]}" -d "$(gen_body "$UPURL/pve-9.1.js" "$tag")"
	check "bad tag '$tag' is 400" 400 "$STATUS"
done
req POST "$U/codegen/generate" "${AUTH[@]}" -d "$(gen_body "$UPURL/pve-9.1.js" 9.1 windows)"
check "unknown product is 400" 400 "$STATUS"
req POST "$U/codegen/generate" "${AUTH[@]}" -d '{"version_tag": "9.1"}'
check "missing proxmox_url is 400" 400 "$STATUS"
req POST "$U/codegen/generate" "${AUTH[@]}" -d '{"proxmox_url": 5, "version_tag": "9.1"}'
check "non-string proxmox_url is 400" 400 "$STATUS"
req POST "$U/codegen/generate" "${AUTH[@]}" -d '{"proxmox_url": '
check "invalid JSON is 400" 400 "$STATUS"
req POST "$U/codegen/generate" "${AUTH[@]}" -d "$(gen_body "$PVECG_FIXTURES/pve-9.1.js" 9.1)"
check "a local file path as proxmox_url is 400" 400 "$STATUS"
req POST "$U/codegen/generate" "${AUTH[@]}" -d "$(gen_body "file://$PVECG_FIXTURES/pve-9.1.js" 9.1)"
check "file:// proxmox_url is 400" 400 "$STATUS"
check "no connection reached upstream during validation" "$C0" "$(count conns)"

# body cap: declared length and chunked streaming both end in 413
BIG=$(python3 -c 'print("{\"proxmox_url\": \"http://x/%s\", \"version_tag\": \"9.1\"}" % ("a" * 3000))')
req POST "$U/codegen/generate" "${AUTH[@]}" -d "$BIG"
check "body over --max-body (Content-Length) is 413" 413 "$STATUS"
req POST "$U/codegen/generate" "${AUTH[@]}" -H 'Transfer-Encoding: chunked' -d "$BIG"
check "body over --max-body (chunked) is 413" 413 "$STATUS"

# one generation at a time: the first hangs on /slow until --timeout 4
curl -sS --max-time 30 -o "$T/slow.body" -w '%{http_code}' -X POST "${AUTH[@]}" \
	-d "$(gen_body "$UPURL/slow" slowtag)" "$U/codegen/generate" >"$T/slow.status" 2>/dev/null &
SLOWCURL=$!
R0=$(count count)
for _ in $(seq 50); do [ "$(count count)" != "$R0" ] && break; sleep 0.1; done
req POST "$U/codegen/generate" "${AUTH[@]}" -d "$(gen_body "$UPURL/pve-8.4.js" 8.4)"
check "concurrent generate is 409" 409 "$STATUS"
grep -q "slowtag' running since 20[0-9][0-9]-[01][0-9]-[0-3][0-9]T" "$T/body" &&
	ok "409 names the running job and its start time" || bad "409 detail: $(cat "$T/body")"
req GET "$U/healthz"
check "reads are served while a generation runs" 200 "$STATUS"
wait "$SLOWCURL"
check "the stalled generation fails as 502 after --timeout" 502 "$(cat "$T/slow.status")"
[ ! -e "$ROOT/proxmox/slowtag" ] && ok "failed generation left no output" || bad "failed generation left output"
LEFT=$(find "$ROOT" -name '*.tmp-*' | wc -l)
check "no temporary directories remain" 0 "$LEFT"

# slow client: one header byte a second never completes a request
python3 - "$PORT_main" >"$T/slowloris" <<'EOF'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.settimeout(1.0)
t0 = time.time()
s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
closed = None
while time.time() - t0 < 30:
    try:
        s.sendall(b"X")
        if s.recv(4096) == b"":
            closed = time.time() - t0
            break
    except socket.timeout:
        continue
    except OSError:
        closed = time.time() - t0
        break
print("closed" if closed is not None else "open", round(closed or 30, 1))
EOF
read -r STATE SECS <"$T/slowloris"
check "slow client is cut off" closed "$STATE"
python3 -c "import sys; sys.exit(0 if 9 <= float(sys.argv[1]) <= 13 else 1)" "$SECS" &&
	ok "cut off after the request deadline (${SECS}s, deadline 10 s)" || bad "cut off after ${SECS}s"
req GET "$U/healthz"
check "server still answers after the slow client" 200 "$STATUS"
curl -sS -v -o /dev/null -o /dev/null "${AUTH[@]}" "$U/versions/" "$U/versions/" 2>"$T/ka.err"
grep -q 'Re-using existing connection' "$T/ka.err" && ok "keep-alive: two requests on one connection" ||
	bad "keep-alive: the server closed the connection after one request"
grep -qE '^[0-9T:.-]+Z 127\.0\.0\.1 GET /healthz 200 ' "$T/main.log" &&
	ok "the access log goes to stderr, one line per request" || bad "access log line missing"
grep -q "$KEY" "$T/main.log" && bad "the API key appears in the log" || ok "the API key is not logged"

# --- 3. SSRF: without --allow-private-network nothing private is contacted --
start_serve guard "$KEY" --output-dir "$T/root-guard" --allow-http --rate-generate 1000
U="http://127.0.0.1:$PORT_guard"
C0=$(count conns)
for url in "$UPURL/pve-9.1.js" "http://169.254.169.254/latest/meta-data/" \
	"http://[::ffff:127.0.0.1]:$UP/pve-9.1.js" "http://2130706433:$UP/pve-9.1.js" \
	"http://0x7f.1:$UP/pve-9.1.js" "http://localhost:$UP/pve-9.1.js" "http://10.0.0.1/" \
	"gopher://127.0.0.1:$UP/"; do
	req POST "$U/codegen/generate" "${AUTH[@]}" -d "$(gen_body "$url" 9.1)"
	check "SSRF $url is 400" 400 "$STATUS"
done
grep -q 'proxmox_url' "$T/body" && ok "400 detail carries the guard's message" || bad "400 detail"
check "the upstream saw no connection from the SSRF attempts" "$C0" "$(count conns)"
[ ! -e "$T/root-guard/proxmox/9.1" ] && ok "refused requests wrote nothing" || bad "refused requests wrote output"

# --- 4. rate limits: token buckets per client, Retry-After ------------------
start_serve rate "$KEY" --output-dir "$ROOT" --allow-http --allow-private-network \
	--rate-read 2 --rate-generate 1
U="http://127.0.0.1:$PORT_rate"
req GET "$U/codegen/openapi?version=9.1" "${AUTH[@]}"
R1=$STATUS
req GET "$U/codegen/model-index?version=9.1" "${AUTH[@]}"
R2=$STATUS
[ "$R1" != 429 ] && [ "$R2" != 429 ] && ok "reads within --rate-read 2 pass ($R1, $R2)" || bad "reads within the limit: $R1 $R2"
req GET "$U/codegen/openapi?version=9.1" "${AUTH[@]}"
check "third read in the hour is 429" 429 "$STATUS"
RA=$(header Retry-After)
[ -n "$RA" ] && [ "$RA" -ge 1790 ] && [ "$RA" -le 1800 ] &&
	ok "Retry-After is the time to the next token ($RA s of 1800)" || bad "Retry-After '$RA' (want 1790..1800)"
req GET "$U/healthz"
check "healthz is not rate limited" 200 "$STATUS"
req GET "$U/versions/"
check "unauthenticated requests get 401, not 429" 401 "$STATUS"
req POST "$U/codegen/generate" "${AUTH[@]}" -d "$(gen_body "$UPURL/pve-9.1.js" '../bad')"
check "a refused generate (400) costs no token" 400 "$STATUS"
req POST "$U/codegen/generate" "${AUTH[@]}" -d "$(gen_body "$UPURL/status/404" 9.1)"
check "first generate in the hour runs (upstream 404 -> 502)" 502 "$STATUS"
req POST "$U/codegen/generate" "${AUTH[@]}" -d "$(gen_body "$UPURL/pve-9.1.js" 9.1)"
check "second generate in the hour is 429" 429 "$STATUS"
RA=$(header Retry-After)
[ -n "$RA" ] && [ "$RA" -ge 3590 ] && [ "$RA" -le 3600 ] &&
	ok "generate Retry-After ($RA s of 3600)" || bad "generate Retry-After '$RA' (want 3590..3600)"

# --- 5. TLS ------------------------------------------------------------------
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
	-addext "subjectAltName=IP:127.0.0.1" -keyout "$T/key.pem" -out "$T/cert.pem" 2>/dev/null
start_serve tls "$KEY" --output-dir "$ROOT" --tls-cert "$T/cert.pem" --tls-key "$T/key.pem"
grep -q "on https://127.0.0.1:" "$T/tls.log" && ok "TLS server announces https" || bad "TLS announce"
req GET "https://127.0.0.1:$PORT_tls/codegen/openapi?version=9.1" --cacert "$T/cert.pem" "${AUTH[@]}"
check "openapi over TLS is 200" 200 "$STATUS"
req GET "http://127.0.0.1:$PORT_tls/healthz"
[ "$STATUS" != 200 ] && ok "plain HTTP to the TLS port is refused" || bad "plain HTTP answered on the TLS port"

# --- 6. SIGTERM during a generation -----------------------------------------
# (a) a generation that will fail: the previous 9.1 output stays untouched
SUM0=$(cd "$ROOT/proxmox/9.1" 2>/dev/null && find . -type f -exec sha256sum {} + | sort | sha256sum)
start_serve term "$KEY" --output-dir "$ROOT" --allow-http --allow-private-network \
	--rate-generate 1000 --timeout 4
U="http://127.0.0.1:$PORT_term"
R0=$(count count)
curl -sS --max-time 30 -o "$T/t1.body" -w '%{http_code}' -X POST "${AUTH[@]}" \
	-d "$(gen_body "$UPURL/slow" 9.1)" "$U/codegen/generate" >"$T/t1.status" 2>/dev/null &
TC=$!
for _ in $(seq 50); do [ "$(count count)" != "$R0" ] && break; sleep 0.1; done
kill -TERM "$PID_term"
sleep 0.5
req GET "$U/healthz"
[ "$STATUS" != 200 ] && ok "after SIGTERM no new connection is accepted" || bad "accepted after SIGTERM"
wait "$PID_term"
check "serve exits 0 after SIGTERM" 0 "$?"
wait "$TC"
check "the running generation still got its answer (502)" 502 "$(cat "$T/t1.status")"
SUM1=$(cd "$ROOT/proxmox/9.1" 2>/dev/null && find . -type f -exec sha256sum {} + | sort | sha256sum)
check "previous 9.1 output unchanged" "$SUM0" "$SUM1"
check "no temporary directories after SIGTERM (a)" 0 "$(find "$ROOT" -name '*.tmp-*' | wc -l)"

# (b) a generation that succeeds: SIGTERM waits for the complete new output
start_serve term2 "$KEY" --output-dir "$ROOT" --allow-http --allow-private-network
U="http://127.0.0.1:$PORT_term2"
R0=$(count count)
curl -sS --max-time 120 -o "$T/t2.body" -w '%{http_code}' -X POST "${AUTH[@]}" \
	-d "$(gen_body "$UPURL/pve-8.4.js" 8.4)" "$U/codegen/generate" >"$T/t2.status" 2>/dev/null &
TC=$!
for _ in $(seq 50); do [ "$(count count)" != "$R0" ] && break; sleep 0.05; done
kill -TERM "$PID_term2"
wait "$PID_term2"
check "serve exits 0 after SIGTERM during a generation" 0 "$?"
grep -q "stopping after the running generation" "$T/term2.log" &&
	ok "SIGTERM arrived while the generation ran" || bad "SIGTERM did not meet a running generation: $(cat "$T/term2.log")"
wait "$TC"
check "the generation finished and answered 200" 200 "$(cat "$T/t2.status")"
if [ -f "$ROOT/proxmox/8.4/openapi.json" ]; then
	check "8.4 output complete (sha matches the answer)" \
		"$(json_field "$T/t2.body" openapi_sha256)" "$(sha256sum "$ROOT/proxmox/8.4/openapi.json" | cut -d' ' -f1)"
	for f in model_index.json route_metadata.json raw_capture.json; do
		[ -s "$ROOT/proxmox/8.4/$f" ] && ok "8.4/$f written" || bad "8.4/$f missing"
	done
else
	bad "8.4 output missing after SIGTERM"
fi
check "no temporary directories after SIGTERM (b)" 0 "$(find "$ROOT" -name '*.tmp-*' | wc -l)"
check "latest still follows the newest tag (9.1), not the older 8.4" \
	"$(sha256sum <"$ROOT/proxmox/9.1/openapi.json")" "$(sha256sum <"$ROOT/proxmox/latest/openapi.json")"

# --- 7. every server still running stops cleanly on SIGTERM ------------------
# (under -DPVECG_SANITIZE=ON this is where leaks would be reported)
for name in nokey main guard rate tls; do
	pid_var="PID_$name"
	kill -TERM "${!pid_var}" 2>/dev/null
	wait "${!pid_var}"
	check "serve '$name' exits 0 on SIGTERM" 0 "$?"
done
if grep -lE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$T"/*.log >/dev/null 2>&1; then
	bad "sanitizer reports in the server logs"
	grep -hE -A12 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$T"/*.log | head -60
else
	ok "no sanitizer report in any server log"
fi

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
