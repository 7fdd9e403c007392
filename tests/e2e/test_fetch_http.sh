#!/bin/bash
# The viewer fetched over HTTP and HTTPS gives the same raw_capture.json,
# byte for byte, as the local file; HTTPS needs the right CA (--cacert).
. "$(dirname "$0")/lib.sh"
e2e_init
e2e_need_fixtures
e2e_make_cert "$E2E_TMP"

# A viewer tree like a node's: index.html, ExtJS (a dummy) and apidoc.js.
www="$E2E_TMP/www"
viewer="$www/pve-docs/api-viewer"
mkdir -p "$viewer/extjs"
cp "$PVECG_FIXTURES/pve-9.1.js" "$viewer/apidoc.js"
echo '/* dummy ExtJS: the tool must not need it */' >"$viewer/extjs/ext-all.js"
cat >"$viewer/index.html" <<'EOF'
<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>Proxmox VE API Documentation</title>
<script type="text/javascript" src="extjs/ext-all.js"></script>
<script type="text/javascript" src="apidoc.js"></script>
</head>
<body></body>
</html>
EOF

e2e_start_server plain "$www"
http_port=$E2E_PORT
e2e_start_server tls "$www" --tls "$E2E_TMP/cert.pem" "$E2E_TMP/key.pem"
https_port=$E2E_PORT

common=(--source-label fixture --version-tag t1 --quiet)

# Reference: the local file.
e2e_run out err rc -- --source "$PVECG_FIXTURES/pve-9.1.js" "${common[@]}" \
	--output-dir "$E2E_TMP/ref"
[ "$rc" = 0 ] || e2e_fail "local run exited $rc: $err"
ref="$E2E_TMP/ref/t1/raw_capture.json"
[ -s "$ref" ] || e2e_fail "local run wrote no raw_capture.json"

# same_as_local NAME ARGS...: a successful run whose capture equals ref.
same_as_local() {
	local name=$1
	shift
	e2e_run out err rc -- "$@" "${common[@]}" --output-dir "$E2E_TMP/$name"
	[ "$rc" = 0 ] || e2e_fail "$name: exit $rc: $err"
	cmp -s "$ref" "$E2E_TMP/$name/t1/raw_capture.json" ||
		e2e_fail "$name: raw_capture.json differs from the local run"
}

base_http="http://127.0.0.1:$http_port/pve-docs/api-viewer"
base_https="https://127.0.0.1:$https_port/pve-docs/api-viewer"

same_as_local http_dir --source "$base_http/" --allow-http --allow-private-network
same_as_local http_index --source "$base_http/index.html" --allow-http --allow-private-network
same_as_local http_script --source "$base_http/apidoc.js" --allow-http --allow-private-network
same_as_local https_dir --source "$base_https/" --allow-private-network \
	--cacert "$E2E_TMP/cert.pem"
same_as_local https_index --source "$base_https/index.html" --allow-private-network \
	--cacert "$E2E_TMP/cert.pem"

# The ExtJS library is never fetched; the viewer page and its script are.
requests=$(e2e_requests plain)
[ "$requests" = 5 ] || e2e_fail "HTTP server served $requests requests, want 5 (page+script, page+script, script)"
grep -q 'ext-all' "$E2E_TMP/plain.log" && e2e_fail "ext-all.js was requested"

# Without the CA: a certificate error, nothing written.
e2e_expect_error 1 "$base_https/" "certificate" -- --source "$base_https/" \
	--allow-private-network "${common[@]}" --output-dir "$E2E_TMP/nocert"
[ -e "$E2E_TMP/nocert" ] && e2e_fail "failed TLS run created its output dir"

# A CA file that does not exist is an error too, not a silent fallback.
e2e_expect_error 1 "$base_https/" -- --source "$base_https/" --allow-private-network \
	--cacert "$E2E_TMP/missing.pem" "${common[@]}" --output-dir "$E2E_TMP/nocafile"

# --insecure skips verification (the CLI warns about it).
e2e_run out err rc -- --source "$base_https/" --allow-private-network --insecure \
	"${common[@]}" --output-dir "$E2E_TMP/insecure"
[ "$rc" = 0 ] || e2e_fail "--insecure run exited $rc: $err"
cmp -s "$ref" "$E2E_TMP/insecure/t1/raw_capture.json" ||
	e2e_fail "--insecure: raw_capture.json differs from the local run"

e2e_pass
