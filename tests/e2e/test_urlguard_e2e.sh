#!/bin/bash
# The URL guard on the real binary: refusals happen before any byte
# reaches a server (its connection and request counters stay 0).
. "$(dirname "$0")/lib.sh"
e2e_init
e2e_make_cert "$E2E_TMP"

www="$E2E_TMP/www"
mkdir -p "$www/pve-docs/api-viewer"
echo '<html><script src="apidoc.js"></script></html>' >"$www/pve-docs/api-viewer/index.html"
echo 'const apiSchema = [];' >"$www/pve-docs/api-viewer/apidoc.js"

e2e_start_server a "$www" --tls "$E2E_TMP/cert.pem" "$E2E_TMP/key.pem"
pa=$E2E_PORT
e2e_start_server b "$www"
pb=$E2E_PORT

untouched() {
	local name
	for name in "$@"; do
		[ "$(e2e_connections "$name")" = 0 ] ||
			e2e_fail "server $name accepted $(e2e_connections "$name") connections: $E2E_STDERR"
		[ "$(e2e_requests "$name")" = 0 ] ||
			e2e_fail "server $name served $(e2e_requests "$name") requests"
	done
}

args=(--version-tag t1 --quiet --output-dir "$E2E_TMP/out")

# Literal loopback in every spelling, localhost, and plain http: refused
# without flags, before connecting.
for host in 127.0.0.1 2130706433 0x7f000001 0177.0.0.1 127.1 '[::1]' \
	'[::ffff:127.0.0.1]' localhost localhost.; do
	e2e_expect_error 1 "https://$host:$pa/" "use --allow-private-network" -- \
		--source "https://$host:$pa/" "${args[@]}"
done
e2e_expect_error 1 "loopback address" -- --source "https://127.0.0.1:$pa/" "${args[@]}"
e2e_expect_error 1 "http://127.0.0.1:$pb/" "--allow-http" -- \
	--source "http://127.0.0.1:$pb/" "${args[@]}"
e2e_expect_error 1 "--allow-http" -- \
	--source "http://127.0.0.1:$pb/" --allow-private-network "${args[@]}"
e2e_expect_error 1 "userinfo" -- --source "https://pve.proxmox.com@127.0.0.1:$pa/" \
	--allow-private-network --allow-any-domain --cacert "$E2E_TMP/cert.pem" "${args[@]}"
e2e_expect_error 1 "scheme" -- --source "gopher://127.0.0.1:$pb/" \
	--allow-private-network --allow-any-domain "${args[@]}"
untouched a b
[ -e "$E2E_TMP/out" ] && e2e_fail "a refused run created the output dir"

# A name pinned to a private address: refused at connect time, the
# server sees nothing, and the message names the address.
e2e_expect_error 1 "127.0.0.1" "loopback" "--allow-private-network" -- \
	--source "https://pve.proxmox.com:$pa/pve-docs/api-viewer/" \
	--resolve "pve.proxmox.com:$pa:127.0.0.1" --cacert "$E2E_TMP/cert.pem" "${args[@]}"
e2e_expect_error 1 "127.0.0.1" "loopback" -- \
	--source "http://pve.proxmox.com:$pb/pve-docs/api-viewer/" --allow-http \
	--resolve "pve.proxmox.com:$pb:127.0.0.1" "${args[@]}"
untouched a b
# Control: the same pin with --allow-private-network does reach server b,
# so the zero above is the guard's doing.
e2e_run out err rc -- --source "http://pve.proxmox.com:$pb/pve-docs/api-viewer/" \
	--allow-http --allow-private-network --resolve "pve.proxmox.com:$pb:127.0.0.1" \
	"${args[@]}"
[ "$(e2e_requests b)" -ge 1 ] || e2e_fail "the control run did not reach server b: $err"
rm -rf "$E2E_TMP/out"

# Redirects are re-checked hop by hop: https on a -> http on b is refused
# for its scheme, and b counts nothing.
reqs_b=$(e2e_requests b)
conns_b=$(e2e_connections b)
to="http://127.0.0.1:$pb/pve-docs/api-viewer/"
e2e_expect_error 1 "redirect to $to refused" "--allow-http" -- \
	--source "https://127.0.0.1:$pa/redirect?to=$to" --follow-redirects \
	--allow-private-network --cacert "$E2E_TMP/cert.pem" "${args[@]}"
[ "$(e2e_requests b)" = "$reqs_b" ] && [ "$(e2e_connections b)" = "$conns_b" ] ||
	e2e_fail "server b was contacted after a refused redirect"
[ "$(e2e_requests a)" = 1 ] || e2e_fail "server a served $(e2e_requests a) requests, want 1"
# ... to a name outside the allowed domains, and to file://.
e2e_expect_error 1 "not in the allowed domains" -- \
	--source "https://127.0.0.1:$pa/redirect?to=https://evil.example/" --follow-redirects \
	--allow-private-network --cacert "$E2E_TMP/cert.pem" "${args[@]}"
e2e_expect_error 1 'scheme "file"' -- \
	--source "https://127.0.0.1:$pa/redirect?to=file:///etc/passwd" --follow-redirects \
	--allow-private-network --cacert "$E2E_TMP/cert.pem" "${args[@]}"
# ... and a relative Location followed at most 5 times.
loops_before=$(e2e_requests a)
e2e_expect_error 1 "too many redirects" -- --source "https://127.0.0.1:$pa/loop" \
	--follow-redirects --allow-private-network --cacert "$E2E_TMP/cert.pem" "${args[@]}"
[ "$(( $(e2e_requests a) - loops_before ))" = 6 ] ||
	e2e_fail "the redirect loop made $(( $(e2e_requests a) - loops_before )) requests, want 6"
# Without --follow-redirects nothing is followed.
e2e_expect_error 1 "redirect to $to refused" "--follow-redirects" -- \
	--source "https://127.0.0.1:$pa/redirect?to=$to" --allow-http \
	--allow-private-network --cacert "$E2E_TMP/cert.pem" "${args[@]}"
[ "$(e2e_requests b)" = "$reqs_b" ] || e2e_fail "server b was contacted without --follow-redirects"
[ -e "$E2E_TMP/out" ] && e2e_fail "a refused run created the output dir"

# Control: when every hop is allowed the redirect is followed to b.
e2e_run out err rc -- --source "https://127.0.0.1:$pa/redirect?to=$to" \
	--follow-redirects --allow-http --allow-private-network \
	--cacert "$E2E_TMP/cert.pem" "${args[@]}"
[ "$(e2e_requests b)" -gt "$reqs_b" ] || e2e_fail "an allowed redirect was not followed: $err"
rm -rf "$E2E_TMP/out"

# A remote page must not make the tool read local files: its scripts go
# through the guard like the page did, so a file:// src is refused.
mkdir -p "$www/evil"
cat >"$E2E_TMP/local-secret.js" <<'JS'
const apiSchema = [{"path": "/version", "text": "version", "leaf": 1, "info": {"GET":
  {"method": "GET", "name": "version", "parameters": {"type": "object", "properties": {}},
   "returns": {"type": "null"}}}}];
JS
echo "<html><script src=\"file://$E2E_TMP/local-secret.js\"></script></html>" \
	>"$www/evil/index.html"
e2e_expect_error 1 "file" -- --source "http://127.0.0.1:$pb/evil/" --allow-http \
	--allow-private-network "${args[@]}"
[ -e "$E2E_TMP/out" ] && e2e_fail "a remote page read a local file into the output"

e2e_pass
