#!/usr/bin/env bash
# e2e: `proxmox-sdk-codegen serve` under attack, on 127.0.0.1 only.
# - version tags that name internal files (.9.1.lock, .latest.tmp-1) are 400;
# - failed authentications: after 5, 429 with a Retry-After growing from 1 s;
#   the right key works again once it has passed;
# - a full rate-limit table evicts idle clients instead of refusing all;
#   --trust-proxy honours X-Forwarded-For from that address only, IPv6
#   clients share a bucket per /64;
# - request smuggling: conflicting Content-Length, Content-Length with
#   Transfer-Encoding (400) and unknown codings (501) end the connection;
# - a second SIGTERM during the drain: the answer is sent, exit status 0;
# - the access log: one line per request, never the key;
# - error bodies name the version, never the server's root; a real
#   `latest` folder with the user's files is not deleted.
. "$(dirname "$0")/lib.sh"
e2e_init
e2e_need_fixtures
e2e_need_cmd curl

PASS=0
FAIL=0
ok() { PASS=$((PASS + 1)); echo "ok - $1"; }
bad() { FAIL=$((FAIL + 1)); echo "FAIL - $1"; }
check() { # name want got
	if [ "$2" = "$3" ]; then ok "$1"; else
		bad "$1: want '$2', got '$3'"
		[ -f "$E2E_TMP/body" ] && head -c 300 "$E2E_TMP/body" | sed 's/^/    | /' && echo
	fi
}
# req METHOD URL [curl args...]: STATUS, body in $E2E_TMP/body, headers in $E2E_TMP/hdrs
req() {
	local m=$1 u=$2
	shift 2
	STATUS=$(curl -sS --max-time 60 -o "$E2E_TMP/body" -D "$E2E_TMP/hdrs" -w '%{http_code}' \
		-X "$m" "$@" "$u" 2>"$E2E_TMP/curl.err") || STATUS="curl-failed:$(cat "$E2E_TMP/curl.err")"
}
header() {
	tr -d '\r' <"$E2E_TMP/hdrs" | awk -v h="$(echo "$1" | tr 'A-Z' 'a-z')" -F': ' 'tolower($1)==h {print $2}' | tail -1
}
json_field() {
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); v=d.get(sys.argv[2]); print(v if isinstance(v,str) else json.dumps(v))' "$1" "$2" 2>/dev/null
}

# the upstream: copies of the fixtures on a loopback HTTP server
mkdir -p "$E2E_TMP/www"
cp "$PVECG_FIXTURES/pve-9.1.js" "$E2E_TMP/www/"
e2e_start_server up "$E2E_TMP/www"
UPURL="http://127.0.0.1:$E2E_PORT"

SERVE_PIDS=()
stop_all() { local p; for p in "${SERVE_PIDS[@]}"; do kill "$p" 2>/dev/null; done; }
trap 'stop_all; e2e_cleanup' EXIT

# start_serve NAME ARGS...: sets PORT_<NAME>, PID_<NAME>; stderr in NAME.log
start_serve() {
	local name=$1 pid port=""
	shift
	CODEGEN_API_KEY=$KEY "$PVECG_BIN" serve --listen 127.0.0.1:0 "$@" 2>"$E2E_TMP/$name.log" &
	pid=$!
	SERVE_PIDS+=("$pid")
	for _ in $(seq 100); do
		port=$(sed -n 's|.* on http://127\.0\.0\.1:\([0-9][0-9]*\).*|\1|p' "$E2E_TMP/$name.log" | head -1)
		[ -n "$port" ] && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	[ -n "$port" ] || e2e_fail "serve $name did not start: $(cat "$E2E_TMP/$name.log")"
	printf -v "PORT_$name" '%s' "$port"
	printf -v "PID_$name" '%s' "$pid"
}

KEY="hardening-key-$$-$RANDOM$RANDOM"
AUTH=(-H "Authorization: Bearer $KEY")
WRONG=(-H "Authorization: Bearer not-$KEY")
gen_body() { printf '{"proxmox_url": "%s", "version_tag": "%s", "product": "pve"}' "$1" "$2"; }

# --- version tags that name internal files ---------------------------------
ROOT=$E2E_TMP/root
start_serve main --output-dir "$ROOT" --allow-http --allow-private-network \
	--rate-generate 1000 --rate-read 100000 --access-log "$E2E_TMP/access.log"
U="http://127.0.0.1:$PORT_main"
C0=$(e2e_connections up)
for tag in .9.1.lock .latest.tmp-1 .hidden 9.1.lock latest.tmp-7 -x _x 9..1; do
	req POST "$U/codegen/generate" "${AUTH[@]}" -d "$(gen_body "$UPURL/pve-9.1.js" "$tag")"
	check "POST tag '$tag' is 400" 400 "$STATUS"
	req GET "$U/codegen/openapi?version=$tag" "${AUTH[@]}"
	check "GET version '$tag' is 400" 400 "$STATUS"
done
check "no refused tag reached the upstream" "$C0" "$(e2e_connections up)"
check "no refused tag wrote into the root" "" "$(ls -A "$ROOT/proxmox" 2>/dev/null)"

# --- error bodies: the version and the reason, never the root ----------------
mkdir -p "$ROOT/proxmox/.9.1.lock"   # the lock cannot be opened: a server-side error
req POST "$U/codegen/generate" "${AUTH[@]}" -d "$(gen_body "$UPURL/pve-9.1.js" 9.1)"
check "a server-side write error is 500" 500 "$STATUS"
grep -qF "$E2E_TMP" "$E2E_TMP/body" && bad "error body exposes the server path: $(cat "$E2E_TMP/body")" ||
	ok "error body holds no server path"
case "$(json_field "$E2E_TMP/body" detail)" in
	"proxmox/.9.1.lock: cannot open lock: "*) ok "error detail names the place under the root and the reason" ;;
	*) bad "error detail: $(json_field "$E2E_TMP/body" detail)" ;;
esac
rmdir "$ROOT/proxmox/.9.1.lock"
mkdir -p "$ROOT/proxmox/latest"
echo "my notes" >"$ROOT/proxmox/latest/notes.txt"
req POST "$U/codegen/generate" "${AUTH[@]}" -d "$(gen_body "$UPURL/pve-9.1.js" 9.1)"
check "a real latest folder with the user's files is refused (422)" 422 "$STATUS"
grep -qF "$E2E_TMP" "$E2E_TMP/body" && bad "latest refusal exposes the server path" ||
	ok "latest refusal holds no server path"
grep -q 'notes.txt' "$E2E_TMP/body" && ok "latest refusal names the foreign file" || bad "latest refusal: $(cat "$E2E_TMP/body")"
check "the user's latest folder is untouched" "my notes" "$(cat "$ROOT/proxmox/latest/notes.txt")"
rm -r "$ROOT/proxmox/latest"
req POST "$U/codegen/generate" "${AUTH[@]}" -d "$(gen_body "$UPURL/pve-9.1.js" 9.1)"
check "with the folder gone, generate 9.1 is 200" 200 "$STATUS"
check "the answer names the output relative to the root" proxmox/9.1 "$(json_field "$E2E_TMP/body" output_dir)"
check "latest is now a link to 9.1" 9.1 "$(readlink "$ROOT/proxmox/latest")"

# --- request smuggling hygiene ----------------------------------------------
python3 - "$PORT_main" "$KEY" >"$E2E_TMP/smuggle" <<'PY'
import json, socket, sys
port, key = int(sys.argv[1]), sys.argv[2].encode()
def send(raw):
    s = socket.create_connection(("127.0.0.1", port))
    s.settimeout(5)
    s.sendall(raw)
    out, closed = b"", False
    try:
        while True:
            d = s.recv(65536)
            if not d:
                closed = True
                break
            out += d
    except socket.timeout:
        pass
    s.close()
    head, _, body = out.partition(b"\r\n\r\n")
    status = head.split(b" ")[1].decode() if head else "none"
    try:
        err = json.loads(body)["error"]
    except Exception:
        err = "not-json"
    return "%s %s %s" % (status, err.replace(" ", "_"), "closed" if closed else "open")
body = b'{"a": 1}'
pre = b"POST /codegen/generate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + key + b"\r\n"
cases = [
    ("conflicting-cl", pre + b"Content-Length: 8\r\nContent-Length: 9\r\n\r\n" + body + b"x"),
    ("cl-and-te", pre + b"Content-Length: 8\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n" + body + b"\r\n0\r\n\r\n"),
    ("te-gzip", pre + b"Transfer-Encoding: gzip\r\n\r\n" + body),
    ("te-gzip-chunked", pre + b"Transfer-Encoding: gzip, chunked\r\n\r\n8\r\n" + body + b"\r\n0\r\n\r\n"),
    ("get-conflicting-cl", b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"),
]
for name, raw in cases:
    print(name, send(raw))
PY
check "conflicting Content-Length: 400, JSON, closed" "400 bad_request closed" "$(sed -n 's/^conflicting-cl //p' "$E2E_TMP/smuggle")"
check "Content-Length with Transfer-Encoding: 400, JSON, closed" "400 bad_request closed" "$(sed -n 's/^cl-and-te //p' "$E2E_TMP/smuggle")"
check "Transfer-Encoding gzip: 501, JSON, closed" "501 not_implemented closed" "$(sed -n 's/^te-gzip //p' "$E2E_TMP/smuggle")"
check "Transfer-Encoding gzip, chunked: 501, JSON, closed" "501 not_implemented closed" "$(sed -n 's/^te-gzip-chunked //p' "$E2E_TMP/smuggle")"
check "GET with conflicting Content-Length: 400, closed" "400 bad_request closed" "$(sed -n 's/^get-conflicting-cl //p' "$E2E_TMP/smuggle")"
req POST "$U/codegen/generate" "${AUTH[@]}" -H 'Transfer-Encoding: chunked' -d '{"version_tag": "9.1"}'
check "a plain chunked body is still read (400 for the missing URL)" 400 "$STATUS"

# --- access log ---------------------------------------------------------------
req GET "$U/healthz"
HZ_BYTES=$(stat -c %s "$E2E_TMP/body")
req GET "$U/codegen/openapi?version=9.1" "${AUTH[@]}"
OA_BYTES=$(stat -c %s "$E2E_TMP/body")
req GET "$U/a%20b%22c" "${AUTH[@]}"
sleep 0.3
LOG=$E2E_TMP/access.log
python3 - "$LOG" "$HZ_BYTES" "$OA_BYTES" >"$E2E_TMP/logcheck" 2>&1 <<'PY'
import re, sys
lines = open(sys.argv[1]).read().splitlines()
pat = re.compile(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (\S+) (\S+) (\S+) (\d{3}) (\d+) (\d+\.\d{3})$')
bad = [l for l in lines if not pat.match(l)]
assert not bad, "malformed lines: %r" % bad[:3]
f = [pat.match(l).groups() for l in lines]
hz = [x for x in f if x[2] == "/healthz" and x[1] == "GET" and x[3] == "200"]
assert hz and hz[-1][0] == "127.0.0.1" and hz[-1][4] == sys.argv[2], hz[-1:]
oa = [x for x in f if x[2] == "/codegen/openapi" and x[3] == "200"]
assert oa and oa[-1][4] == sys.argv[3], oa[-1:]
esc = [x for x in f if x[3] == "404"]
assert esc and esc[-1][2] == "/a%20b%22c", esc[-1:]
assert any(x[3] == "400" and x[2] == "/codegen/generate" for x in f)
print(len(lines))
PY
[ $? = 0 ] && ok "access log: $(cat "$E2E_TMP/logcheck") well-formed lines, exact client/path/status/bytes" ||
	bad "access log: $(cat "$E2E_TMP/logcheck")"
grep -qF "$KEY" "$LOG" "$E2E_TMP/main.log" && bad "the API key appears in a log" || ok "the API key is never logged"
grep -q ' GET /healthz 200 ' "$E2E_TMP/main.log" && bad "--access-log FILE still logs to stderr" ||
	ok "with --access-log the lines go to the file only"

# --- failed authentications -------------------------------------------------
start_serve auth --output-dir "$ROOT" --rate-read 100000
U="http://127.0.0.1:$PORT_auth"
for i in 1 2 3 4 5; do
	req GET "$U/versions/" "${WRONG[@]}"
	check "wrong key #$i is 401" 401 "$STATUS"
done
req GET "$U/versions/" "${AUTH[@]}"
check "after 5 failures even the right key waits: 429" 429 "$STATUS"
check "the first wait is 1 s" 1 "$(header Retry-After)"
sleep 1.2
req GET "$U/versions/" "${AUTH[@]}"
check "after the wait the right key works" 200 "$STATUS"
req GET "$U/versions/" "${WRONG[@]}"
check "wrong key #6 is 401" 401 "$STATUS"
req GET "$U/versions/" "${WRONG[@]}"
check "the wait grows: 429" 429 "$STATUS"
check "the second wait is 2 s" 2 "$(header Retry-After)"
sleep 2.2
req GET "$U/versions/" "${WRONG[@]}"
check "wrong key #7 is 401" 401 "$STATUS"
# a burst of guesses: almost all refused before the key is compared
python3 - "$PORT_auth" "$KEY" >"$E2E_TMP/burst" <<'PY'
import http.client, sys
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=10)
n401 = n429 = 0
for i in range(200):
    c.request("GET", "/versions/", headers={"Authorization": "Bearer guess-%d" % i})
    r = c.getresponse()
    r.read()
    n401 += r.status == 401
    n429 += r.status == 429
    if r.getheader("Connection", "").lower() == "close":
        c.close()
        c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=10)
print(n401, n429)
PY
read -r N401 N429 <"$E2E_TMP/burst"
[ "${N401:-999}" -le 1 ] && [ "${N429:-0}" -ge 199 ] &&
	ok "200 rapid guesses: $N401 compared, $N429 refused with 429" || bad "burst: $N401 x 401, $N429 x 429"
req GET "$U/healthz"
check "healthz is never throttled" 200 "$STATUS"

# --- --trust-proxy, IPv6 /64, a full table ---------------------------------------
start_serve proxy --output-dir "$ROOT" --rate-read 1 --trust-proxy 127.0.0.1 \
	--access-log "$E2E_TMP/proxy.log"
start_serve noproxy --output-dir "$ROOT" --rate-read 1
start_serve otherproxy --output-dir "$ROOT" --rate-read 1 --trust-proxy 127.0.0.2
get_as() { # port xff -> status
	curl -sS --max-time 10 -o /dev/null -w '%{http_code}' "${AUTH[@]}" -H "X-Forwarded-For: $2" \
		"http://127.0.0.1:$1/versions/"
}
check "trusted proxy: client 10.0.0.1 first read" 200 "$(get_as "$PORT_proxy" 10.0.0.1)"
check "trusted proxy: client 10.0.0.1 second read is limited" 429 "$(get_as "$PORT_proxy" 10.0.0.1)"
check "trusted proxy: client 10.0.0.2 has its own bucket" 200 "$(get_as "$PORT_proxy" "203.0.113.9, 10.0.0.2")"
check "IPv6 client 2001:db8:1:2::a" 200 "$(get_as "$PORT_proxy" 2001:db8:1:2::a)"
check "IPv6 2001:db8:1:2::b shares the /64 bucket" 429 "$(get_as "$PORT_proxy" 2001:db8:1:2::b)"
check "IPv6 2001:db8:1:3::a is another /64" 200 "$(get_as "$PORT_proxy" 2001:db8:1:3::a)"
grep -q ' 10\.0\.0\.2 GET /versions/ 200 ' "$E2E_TMP/proxy.log" && ok "the access log names the forwarded client" ||
	bad "access log lacks the forwarded client: $(tail -3 "$E2E_TMP/proxy.log")"
check "untrusted: X-Forwarded-For ignored (first)" 200 "$(get_as "$PORT_noproxy" 10.0.0.1)"
check "untrusted: X-Forwarded-For ignored (same bucket)" 429 "$(get_as "$PORT_noproxy" 10.0.0.2)"
check "proxy address not the peer: ignored (first)" 200 "$(get_as "$PORT_otherproxy" 10.0.0.1)"
check "proxy address not the peer: ignored (same bucket)" 429 "$(get_as "$PORT_otherproxy" 10.0.0.2)"
# one client blocked for wrong keys does not block another behind the proxy
for i in 1 2 3 4 5; do get_as_wrong=$(curl -sS -o /dev/null -w '%{http_code}' "${WRONG[@]}" \
	-H "X-Forwarded-For: 10.9.9.9" "http://127.0.0.1:$PORT_proxy/versions/"); done
check "client 10.9.9.9 throttled after 5 wrong keys" 429 "$(get_as "$PORT_proxy" 10.9.9.9)"
check "client 10.9.9.8 behind the same proxy is not" 200 "$(get_as "$PORT_proxy" 10.9.9.8)"
# more clients than the table holds (4096), each with a drained bucket
python3 - "$PORT_proxy" "$KEY" >"$E2E_TMP/flood" <<'PY'
import http.client, sys
port, key = int(sys.argv[1]), sys.argv[2]
c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
counts = {}
for i in range(4400):
    ip = "10.%d.%d.%d" % (100 + i // 65536, (i // 256) % 256, i % 256)
    c.request("GET", "/versions/", headers={"Authorization": "Bearer " + key, "X-Forwarded-For": ip})
    r = c.getresponse()
    r.read()
    counts[r.status] = counts.get(r.status, 0) + 1
print(counts.get(200, 0), counts.get(429, 0))
PY
read -r F200 F429 <"$E2E_TMP/flood"
check "4400 new clients past a full table: all served (200)" "4400 0" "${F200:-x} ${F429:-x}"
check "a fresh client after the flood is served" 200 "$(get_as "$PORT_proxy" 10.250.0.1)"
check "and limited on its second read" 429 "$(get_as "$PORT_proxy" 10.250.0.1)"

# --- a second SIGTERM during the drain ------------------------------------------
start_serve term --output-dir "$E2E_TMP/root-term" --allow-http --allow-private-network --timeout 4
R0=$(e2e_requests up)
curl -sS --max-time 30 -o "$E2E_TMP/t.body" -w '%{http_code}' -X POST "${AUTH[@]}" \
	-d "$(gen_body "$UPURL/slow" 9.1)" "http://127.0.0.1:$PORT_term/codegen/generate" >"$E2E_TMP/t.status" 2>/dev/null &
TC=$!
for _ in $(seq 50); do [ "$(e2e_requests up)" != "$R0" ] && break; sleep 0.1; done
kill -TERM "$PID_term"
sleep 0.5
kill -TERM "$PID_term"
sleep 0.3
kill -INT "$PID_term"
wait "$PID_term"
check "two SIGTERMs and a SIGINT during the drain: exit status 0" 0 "$?"
wait "$TC"
check "the running generation still got its answer (502 from the stalled upstream)" 502 "$(cat "$E2E_TMP/t.status")"
grep -q "stopping after the running generation" "$E2E_TMP/term.log" &&
	ok "the first SIGTERM met the running generation" || bad "term log: $(cat "$E2E_TMP/term.log")"
grep -q "SIGTERM again during the drain: ignored" "$E2E_TMP/term.log" &&
	ok "the repeated signal is reported as ignored" || bad "term log: $(cat "$E2E_TMP/term.log")"

# --- every server stops cleanly ----------------------------------------------------
for name in main auth proxy noproxy otherproxy; do
	pid_var="PID_$name"
	kill -TERM "${!pid_var}"
	wait "${!pid_var}"
	check "serve '$name' exits 0 on SIGTERM" 0 "$?"
done
if grep -lE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$E2E_TMP"/*.log >/dev/null 2>&1; then
	bad "sanitizer reports in the server logs"
	grep -hE -A12 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$E2E_TMP"/*.log | head -60
else
	ok "no sanitizer report in any server log"
fi

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ] || exit 1
e2e_pass
