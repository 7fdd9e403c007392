#!/bin/bash
# Failed fetches: exit 1, one stderr line naming the URL and the reason,
# no output directory created, a previous output directory untouched.
. "$(dirname "$0")/lib.sh"
e2e_init

www="$E2E_TMP/www"
mkdir -p "$www"
# 4 KiB of JavaScript with a Content-Length, for the size cap.
head -c 4096 /dev/zero | tr '\0' ' ' >"$www/apidoc.js"
e2e_start_server plain "$www"
port=$E2E_PORT
base="http://127.0.0.1:$port"
flags=(--allow-http --allow-private-network --version-tag t1 --quiet)

# fails_cleanly URL TEXT... [-- EXTRA ARGS]: exit 1, one line naming URL
# and every TEXT, and the output directory was not created.
n=0
fails_cleanly() {
	local url=$1 texts=() extra=()
	shift
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do texts+=("$1"); shift; done
	[ $# -gt 0 ] && shift && extra=("$@")
	n=$((n + 1))
	# The query part is printed as "?..." (it may hold secrets).
	e2e_expect_error 1 "${url%%\?*}" "${texts[@]}" -- --source "$url" "${flags[@]}" \
		"${extra[@]}" --output-dir "$E2E_TMP/out$n"
	[ -e "$E2E_TMP/out$n" ] && e2e_fail "$url: the output dir was created"
	return 0
}

fails_cleanly "$base/status/404" "HTTP 404"
fails_cleanly "$base/status/500" "HTTP 500"
fails_cleanly "$base/missing.js" "HTTP 404"

closed=$(e2e_closed_port)
fails_cleanly "http://127.0.0.1:$closed/pve-docs/api-viewer/" "connect"

# A redirect is refused by default and the error names where it pointed.
target="http://127.0.0.1:$port/pve-docs/api-viewer/index.html"
fails_cleanly "$base/redirect?to=$target" "redirect" "$target"
# The query (it may hold secrets) is not echoed.
case "$E2E_STDERR" in *"?to="*) e2e_fail "the query was printed: $E2E_STDERR";; esac

# Size caps: with a Content-Length, and on an endless body.
fails_cleanly "$base/apidoc.js" "size limit" -- --max-size 1000
fails_cleanly "$base/big" "size limit" -- --max-size 100000

# A server that stalls hits the total timeout, in about that time.
start=$(date +%s)
fails_cleanly "$base/slow" "timed out" -- --timeout 2
elapsed=$(( $(date +%s) - start ))
[ "$elapsed" -le 10 ] || e2e_fail "--timeout 2 took ${elapsed}s"

# A previous output directory survives a failed run byte for byte.
prev="$E2E_TMP/prev"
mkdir -p "$prev/t1/models"
printf '{"previous": true}\n' >"$prev/t1/raw_capture.json"
printf '/* previous */\n' >"$prev/t1/models/nodes.h"
before=$(e2e_tree_digest "$prev")
for url in "$base/status/404" "$base/status/500" "http://127.0.0.1:$closed/" \
	"$base/redirect?to=$target"; do
	e2e_run out err rc -- --source "$url" "${flags[@]}" --output-dir "$prev"
	[ "$rc" = 1 ] || e2e_fail "$url into an existing dir: exit $rc, want 1: $err"
	[ "$(e2e_tree_digest "$prev")" = "$before" ] ||
		e2e_fail "$url: the previous output dir changed"
	[ "$(ls -A "$prev")" = "t1" ] || e2e_fail "$url: left files beside t1: $(ls -A "$prev")"
done

e2e_pass
