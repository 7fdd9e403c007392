#!/usr/bin/env bash
# e2e: host URLs, the version tag from the host, and credentials bound to
# their origin, against real HTTPS listeners on two loopback addresses.
#
# A (localhost, 127.0.0.1) is a Proxmox node: viewer at /pve-docs/api-viewer/,
# POST /api2/json/access/ticket, GET /api2/json/version (401 without a valid
# token or ticket). B (127.0.0.2) is another origin that logs what it gets:
# it must be reached (generate page, script, redirect hop) and never receive
# the token or the ticket, while A does (positive control).
. "$(dirname "$0")/lib.sh"
e2e_init
e2e_need_fixtures
e2e_need_cmd openssl
e2e_need_cmd curl
python3 -c 'import socket; socket.socket().bind(("127.0.0.2", 0))' 2>/dev/null ||
	e2e_skip "cannot bind 127.0.0.2"

T=$E2E_TMP
e2e_make_cert "$T" "DNS:localhost,IP:127.0.0.1,IP:127.0.0.2"
TOKEN='root@pam!ci=0b5e-secret-4d1c'
HDR="PVEAPIToken=$TOKEN"

viewer_tree() { # DIR
	mkdir -p "$1/pve-docs/api-viewer"
	cp "$PVECG_FIXTURES/pve-9.1.js" "$1/pve-docs/api-viewer/apidoc.js"
	cat >"$1/pve-docs/api-viewer/index.html" <<'HTML'
<!DOCTYPE html>
<html><head><title>Proxmox VE API Documentation</title>
<script type="text/javascript" src="apidoc.js"></script>
</head><body></body></html>
HTML
}

start_node() { # NAME BIND ARGS...
	local name=$1 bind=$2 i
	shift 2
	python3 "$E2E_LIB_DIR/proxmoxserver.py" --root "$T/$name" --bind "$bind" \
		--tls "$T/cert.pem" "$T/key.pem" --port-file "$T/$name.port" \
		--log "$T/$name.jsonl" "$@" 2>"$T/$name.err" &
	E2E_SERVER_PIDS+=($!)
	for i in $(seq 300); do [ -s "$T/$name.port" ] && break; sleep 0.1; done
	[ -s "$T/$name.port" ] || e2e_fail "node $name did not start: $(cat "$T/$name.err")"
}

viewer_tree "$T/b"
start_node b 127.0.0.2 --token "$HDR"
PB=$(cat "$T/b.port")
B="https://127.0.0.2:$PB"
viewer_tree "$T/a"
mkdir -p "$T/a/cross"
cat >"$T/a/cross/index.html" <<HTML
<!DOCTYPE html>
<html><head><title>Proxmox VE API Documentation</title>
<script src="$B/pve-docs/api-viewer/apidoc.js"></script>
</head><body></body></html>
HTML
start_node a 127.0.0.1 --token "$HDR" --user root@pam --password 'pw&=%' \
	--totp 424242 --release 9.2 --version 9.2.3
PA=$(cat "$T/a.port")
A="https://localhost:$PA"

NET=(--allow-private-network --allow-any-domain --cacert "$T/cert.pem")

# log_count NAME PYTHON-CONDITION(e): requests in NAME's log matching it
log_count() {
	python3 - "$T/$1.jsonl" "$2" <<'PY'
import json, sys
n = 0
for line in open(sys.argv[1]):
    e = json.loads(line)
    if eval(sys.argv[2], {}, {"e": e}):
        n += 1
print(n)
PY
}
want() { # what want got
	[ "$2" = "$3" ] || e2e_fail "$1: want '$2', got '$3'"
	echo "ok - $1"
}
at_least() { # what min got
	[ "$3" -ge "$2" ] 2>/dev/null || e2e_fail "$1: want at least $2, got '$3'"
	echo "ok - $1 ($3)"
}
gen() { # OUTDIR ARGS... (env set by the caller); fails the test on error
	local out=$1
	shift
	e2e_run OUT ERR RC -- "$@" "${NET[@]}" --output-dir "$out"
	[ "$RC" = 0 ] || e2e_fail "generate $*: exit $RC: $ERR"
}
auth_is() { printf 'e["authorization"] == "%s"' "$HDR"; }

# --- CLI: a host URL with a token -> the viewer, the tag from the host ------
export PROXMOX_API_TOKEN=$TOKEN
gen "$T/o1" --source "$A" --verbose
want "host URL + token: output under the reported release" yes \
	"$([ -s "$T/o1/9.2/openapi.json" ] && echo yes || echo no)"
case "$OUT" in *"version tag 9.2: release reported by https://localhost:$PA/api2/json/version"*) ;;
	*) e2e_fail "the chosen tag and its reason are not printed: $OUT";; esac
case "$ERR" in *"pve API viewer at https://localhost:$PA/pve-docs/api-viewer/: answered"*) ;;
	*) e2e_fail "--verbose does not say which product answered: $ERR";; esac
at_least "positive control: A got the token on the viewer page" 1 \
	"$(log_count a "e['path'] == '/pve-docs/api-viewer/' and $(auth_is)")"
at_least "positive control: A got the token on the version request" 1 \
	"$(log_count a "e['path'] == '/api2/json/version' and $(auth_is)")"

# --- product unknown: pve, pbs, pmg, pdm tried in order; PBS token spelling --
mkdir -p "$T/c/docs/api-viewer"
cp "$PVECG_FIXTURES/pbs-4.js" "$T/c/docs/api-viewer/apidoc.js"
cat >"$T/c/docs/api-viewer/index.html" <<'HTML'
<!DOCTYPE html>
<html><head><title>Proxmox Backup Server API Documentation</title>
<script type="text/javascript" src="apidoc.js"></script>
</head><body></body></html>
HTML
start_node c 127.0.0.1 --token "PBSAPIToken=root@pam!ci:0b5e-secret-4d1c" --release 1 --version 4.0.14
PC=$(cat "$T/c.port")
gen "$T/oc" --source "https://localhost:$PC" --verbose
case "$ERR" in *"pve API viewer at https://localhost:$PC/pve-docs/api-viewer/: HTTP 404"*"pbs API viewer at https://localhost:$PC/docs/api-viewer/: answered"*) ;;
	*) e2e_fail "--verbose does not show the probing order: $ERR";; esac
want "PBS host: tag from version 4.0.14 (release is one number)" yes \
	"$([ -s "$T/oc/4.0/openapi.json" ] && echo yes || echo no)"
want "PBS host: product pbs" pbs "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["product"])' "$T/oc/4.0/raw_capture.json")"
want "PBS host: token sent as PBSAPIToken with ':'" 1 \
	"$(log_count c "e['path'] == '/api2/json/version' and e['authorization'] == 'PBSAPIToken=root@pam!ci:0b5e-secret-4d1c'")"

# $PROXMOX_URL goes through the same mapping as --source.
PROXMOX_URL=$A gen "$T/oe"
want "\$PROXMOX_URL host URL: output under the reported release" yes \
	"$([ -s "$T/oe/9.2/openapi.json" ] && echo yes || echo no)"

# --api-token-origin names another origin: A gets no token, the tag stays latest.
: >"$T/a.jsonl"
gen "$T/of" --source "$A" --api-token-origin "$B"
want "--api-token-origin elsewhere: output under latest" yes \
	"$([ -s "$T/of/latest/openapi.json" ] && echo yes || echo no)"
want "--api-token-origin elsewhere: A received no credential" 0 \
	"$(log_count a "e['authorization'] is not None or e['cookie'] is not None")"
at_least "--api-token-origin elsewhere: A was reached" 1 "$(wc -l <"$T/a.jsonl")"
e2e_expect_error 2 "--api-token-origin" -- --source "$A" --api-token-origin "pve1.lan:8006"

# An explicit tag wins and is not printed as a choice.
gen "$T/o1" --source "$A/" --version-tag 7.7
want "explicit --version-tag" yes "$([ -s "$T/o1/7.7/openapi.json" ] && echo yes || echo no)"

# --- CLI: without credentials -> latest --------------------------------------
unset PROXMOX_API_TOKEN
before=$(log_count a "e['path'] == '/api2/json/version'")
gen "$T/o2" --source "$A"
want "no credentials: output under latest" yes \
	"$([ -s "$T/o2/latest/openapi.json" ] && echo yes || echo no)"
case "$OUT" in *"version tag latest: no version tag given and no credentials"*) ;;
	*) e2e_fail "latest without a reason: $OUT";; esac
want "no credentials: the host was not asked for its version" "$before" \
	"$(log_count a "e['path'] == '/api2/json/version'")"
export PROXMOX_API_TOKEN=$TOKEN

# --- a script on another host gets no token ---------------------------------
gen "$T/o3" --source "$A/cross/index.html" --version-tag x1
at_least "B reached for a script of A's page" 1 \
	"$(log_count b "e['path'] == '/pve-docs/api-viewer/apidoc.js'")"
at_least "positive control: A's page carried the token" 1 \
	"$(log_count a "e['path'] == '/cross/index.html' and $(auth_is)")"

# --- a redirect hop to another host gets no token; relative scripts ---------
# resolve against the final URL
: >"$T/b.jsonl"
gen "$T/o4" --source "$A/redirect?to=$B/pve-docs/api-viewer/" --follow-redirects --version-tag x2
at_least "redirect: A's hop carried the token" 1 \
	"$(log_count a "e['path'].startswith('/redirect') and $(auth_is)")"
want "redirect: B got the page and its relative script" "1 1" \
	"$(log_count b "e['path'] == '/pve-docs/api-viewer/'") $(log_count b "e['path'] == '/pve-docs/api-viewer/apidoc.js'")"
gen "$T/o5" --source "$A/pve-docs/api-viewer" --follow-redirects --version-tag x3
want "viewer URL without the trailing slash (301) generates" yes \
	"$([ -s "$T/o5/x3/openapi.json" ] && echo yes || echo no)"

# --- parser differentials are URLs, never local files -----------------------
mkdir -p "$T/cwd/https:/localhost" && cp "$T/a/pve-docs/api-viewer/index.html" "$T/cwd/https:/localhost/x"
cd "$T/cwd" || e2e_fail "cd"
for src in "https:/localhost/x" "https:///localhost/x" "https:\\localhost/x"; do
	e2e_expect_error 1 "malformed URL" -- --source "$src" --version-tag d1 \
		"${NET[@]}" --output-dir "$T/cwd/out"
done
for src in " https://localhost/x" "	https:/localhost/x" "ht	tps:/localhost/x"; do
	e2e_expect_error 1 "not a URL of the form scheme://host/path" -- --source "$src" \
		--version-tag d1 "${NET[@]}" --output-dir "$T/cwd/out"
done
cd - >/dev/null || e2e_fail "cd -"
want "differential forms wrote nothing" no "$([ -e "$T/cwd/out" ] && echo yes || echo no)"

# --- ticket login (password with form metacharacters, TOTP) ----------------
unset PROXMOX_API_TOKEN
printf 'user=root\nrealm=pam\npassword=pw&=%%\ntotp=424242\n' >"$T/login"
chmod 600 "$T/login"
gen "$T/o6" --source "$A" --login-file "$T/login"
want "ticket login: output under the reported release" yes \
	"$([ -s "$T/o6/9.2/openapi.json" ] && echo yes || echo no)"
want "ticket login: two POSTs (password, then TOTP)" 2 \
	"$(log_count a "e['method'] == 'POST' and e['path'] == '/api2/json/access/ticket'")"
at_least "ticket login: version request carried the ticket cookie" 1 \
	"$(log_count a "e['path'] == '/api2/json/version' and (e['cookie'] or '').startswith('PVEAuthCookie=PVE:root@pam:')")"
printf 'user=root@pam\npassword=pw&=%%\ntotp=000000\n' >"$T/login-bad"
chmod 600 "$T/login-bad"
e2e_expect_error 1 "access/ticket" "credentials were refused" -- --source "$A" --login-file "$T/login-bad" \
	"${NET[@]}" --output-dir "$T/o7"
chmod 644 "$T/login-bad"
e2e_expect_error 1 "readable by group or others" -- --source "$A" --login-file "$T/login-bad" \
	"${NET[@]}" --output-dir "$T/o7"

# --- certificate pinning -----------------------------------------------------
PIN="sha256//$(openssl x509 -in "$T/cert.pem" -pubkey -noout | openssl pkey -pubin -outform der |
	openssl dgst -sha256 -binary | base64)"
WRONG="sha256//$(printf 'another key' | openssl dgst -sha256 -binary | base64)"
export PROXMOX_API_TOKEN=$TOKEN
e2e_run OUT ERR RC -- --source "$A" --pinned-pubkey "$PIN" --allow-private-network \
	--allow-any-domain --output-dir "$T/o8"
want "right pin, no --cacert: generates under the release" "0 yes" \
	"$RC $([ -s "$T/o8/9.2/openapi.json" ] && echo yes || echo no)"
lines=$(wc -l <"$T/a.jsonl")
e2e_expect_error 1 "does not match --pinned-pubkey" -- --source "$A" --pinned-pubkey "$WRONG" \
	--allow-private-network --allow-any-domain --output-dir "$T/o9"
want "wrong pin: no request reached the server" "$lines" "$(wc -l <"$T/a.jsonl")"
e2e_expect_error 2 "--pinned-pubkey" -- --source "$A" --pinned-pubkey "sha256//short"

# --- serve: the operator's token goes only to PROXMOX_URL's origin ---------
KEY="k-$$-$RANDOM"
PROXMOX_URL=$A CODEGEN_API_KEY=$KEY "$PVECG_BIN" serve --listen 127.0.0.1:0 \
	--output-dir "$T/root" --rate-generate 1000 --follow-redirects "${NET[@]}" 2>"$T/serve.log" &
E2E_SERVER_PIDS+=($!)
for i in $(seq 100); do
	SP=$(sed -n 's|.* on http://127\.0\.0\.1:\([0-9][0-9]*\).*|\1|p' "$T/serve.log" | head -1)
	[ -n "$SP" ] && break
	sleep 0.1
done
[ -n "$SP" ] || e2e_fail "serve did not start: $(cat "$T/serve.log")"
S="http://127.0.0.1:$SP"
post() { # BODY -> STATUS, body in $T/body
	STATUS=$(curl -sS --max-time 120 -o "$T/body" -w '%{http_code}' -X POST \
		-H "Authorization: Bearer $KEY" -d "$1" "$S/codegen/generate")
}
field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get(sys.argv[2]))' "$T/body" "$1"; }
grep -q "API token is sent only to $A" "$T/serve.log" || e2e_fail "serve does not say where the token goes: $(cat "$T/serve.log")"

: >"$T/a.jsonl"
: >"$T/b.jsonl"
post "{\"proxmox_url\": \"$A\"}"
want "serve: host URL without version_tag is 200" 200 "$STATUS"
want "serve: tag is the reported release" 9.2 "$(field version_tag)"
want "serve: output under the release" yes "$([ -s "$T/root/proxmox/9.2/openapi.json" ] && echo yes || echo no)"
at_least "serve: positive control, A got the token" 1 \
	"$(log_count a "e['path'] == '/api2/json/version' and $(auth_is)")"

post "{\"proxmox_url\": \"$B\"}"
want "serve: a client-named host is 200" 200 "$STATUS"
want "serve: no credentials for that host -> latest" latest "$(field version_tag)"
at_least "serve: B reached for the generate page" 1 "$(log_count b "e['path'] == '/pve-docs/api-viewer/'")"

post "{\"proxmox_url\": \"$A/redirect?to=$B/pve-docs/api-viewer/\", \"version_tag\": \"r1\"}"
want "serve: redirect to B is 200" 200 "$STATUS"
at_least "serve: B reached by the redirect hop" 2 "$(log_count b "e['path'] == '/pve-docs/api-viewer/'")"

post "{\"proxmox_url\": \"https:/localhost:$PA/pve-docs/api-viewer/\", \"version_tag\": \"d2\"}"
want "serve: one-slash URL is 400" 400 "$STATUS"
post "{\"proxmox_url\": \"cross/index.html\", \"version_tag\": \"d3\"}"
want "serve: a relative path is 400" 400 "$STATUS"

STATUS=$(curl -sS -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $KEY" "$S/codegen/pydantic")
want "serve: /codegen/pydantic is 404" 404 "$STATUS"
grep -q '/codegen/models' "$T/body" || e2e_fail "/codegen/pydantic does not name /codegen/models: $(cat "$T/body")"

# --- B never saw a credential, in any of the runs above -------------------
at_least "B was reached" 1 "$(wc -l <"$T/b.jsonl")"
want "B never received a token, ticket or CSRF token" 0 \
	"$(log_count b "e['authorization'] is not None or e['cookie'] is not None or e['csrf'] is not None")"
e2e_pass
