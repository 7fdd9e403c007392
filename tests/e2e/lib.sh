# Shared helpers for the e2e tests. Source it first thing:
#
#   . "$(dirname "$0")/lib.sh"
#   e2e_init                  # set -u; checks $PVECG_BIN, makes $E2E_TMP, cleans up on exit
#   e2e_need_fixtures         # fails when $PVECG_FIXTURES lacks the viewer files
#   e2e_need_cmd openssl      # exit 77 when a tool is missing
#   e2e_make_cert DIR [SAN]   # DIR/cert.pem + DIR/key.pem, self-signed, SAN default IP:127.0.0.1
#   e2e_start_server NAME ROOT [--tls CERT KEY]
#                             # testserver.py on 127.0.0.1; sets E2E_PORT; stopped on exit
#   e2e_port NAME / e2e_requests NAME / e2e_connections NAME
#                             # port, HTTP requests served, TCP connections accepted
#   e2e_closed_port           # prints a port nothing listens on
#   e2e_tree_digest DIR       # one hash over every file name and byte under DIR
#   e2e_run OUTVAR ERRVAR RCVAR -- ARGS...   # runs $PVECG_BIN, captures stdout/stderr/status
#   e2e_expect_error RC TEXT... -- ARGS...    # runs $PVECG_BIN; fails unless it exits RC
#                             # with exactly one stderr line containing every TEXT (kept in E2E_STDERR)
#   e2e_fail MSG / e2e_skip MSG / e2e_pass
#
# Everything lives under $E2E_TMP, removed on exit (kept when E2E_KEEP=1).
# Helpers never `exit 0` on their own; a test ends with e2e_pass.

E2E_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
E2E_SERVER_PIDS=()

e2e_skip() { echo "SKIP: $*"; exit 77; }
e2e_fail() { echo "FAIL: $*" >&2; exit 1; }
e2e_pass() { echo "PASS: $(basename "$0")"; exit 0; }
e2e_need_cmd() { command -v "$1" >/dev/null 2>&1 || e2e_skip "$1 is not installed"; }

e2e_cleanup() {
	local pid
	for pid in "${E2E_SERVER_PIDS[@]}"; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	if [ -n "${E2E_TMP:-}" ] && [ -z "${E2E_KEEP:-}" ]; then
		rm -rf "$E2E_TMP"
	elif [ -n "${E2E_TMP:-}" ]; then
		echo "kept $E2E_TMP" >&2
	fi
}

e2e_init() {
	set -u
	[ -n "${PVECG_BIN:-}" ] || e2e_fail "PVECG_BIN is not set"
	[ -x "$PVECG_BIN" ] || e2e_fail "PVECG_BIN=$PVECG_BIN is not executable"
	e2e_need_cmd python3
	E2E_TMP=$(mktemp -d "${TMPDIR:-/tmp}/pvecg-e2e.XXXXXX") || e2e_fail "mktemp failed"
	trap e2e_cleanup EXIT
	trap 'exit 130' INT TERM
}

e2e_need_fixtures() {
	[ -n "${PVECG_FIXTURES:-}" ] && [ -f "$PVECG_FIXTURES/pve-9.1.js" ] ||
		e2e_fail "PVECG_FIXTURES (${PVECG_FIXTURES:-unset}) does not hold pve-9.1.js"
}

e2e_make_cert() {
	e2e_need_cmd openssl
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
		-addext "subjectAltName=${2:-IP:127.0.0.1}" \
		-keyout "$1/key.pem" -out "$1/cert.pem" >/dev/null 2>&1 ||
		e2e_fail "openssl could not make a certificate"
}

# Starts the server and waits (up to 30 s) for its port file.
e2e_start_server() {
	local name=$1 root=$2 i
	shift 2
	rm -f "$E2E_TMP/$name.port"
	python3 "$E2E_LIB_DIR/testserver.py" --root "$root" "$@" \
		--port-file "$E2E_TMP/$name.port" --count-file "$E2E_TMP/$name.count" \
		--conn-file "$E2E_TMP/$name.conns" 2>"$E2E_TMP/$name.log" &
	E2E_SERVER_PIDS+=($!)
	for i in $(seq 300); do
		[ -s "$E2E_TMP/$name.port" ] && break
		kill -0 $! 2>/dev/null || e2e_fail "test server $name died: $(cat "$E2E_TMP/$name.log")"
		sleep 0.1
	done
	[ -s "$E2E_TMP/$name.port" ] || e2e_fail "test server $name did not start"
	E2E_PORT=$(cat "$E2E_TMP/$name.port")
}

e2e_port() { cat "$E2E_TMP/$1.port"; }
e2e_requests() { cat "$E2E_TMP/$1.count"; }
e2e_connections() { cat "$E2E_TMP/$1.conns"; }

e2e_closed_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

e2e_tree_digest() {
	(cd "$1" && find . -type f -print0 | LC_ALL=C sort -z |
		xargs -0 -r sha256sum | sha256sum | cut -d' ' -f1)
}

# e2e_run OUT ERR RC -- args: runs the binary with a 120 s cap.
e2e_run() {
	local __out=$1 __err=$2 __rc=$3 __o __e __r
	shift 4
	__o="$E2E_TMP/run.out"
	__e="$E2E_TMP/run.err"
	timeout 120 "$PVECG_BIN" "$@" >"$__o" 2>"$__e"
	__r=$?
	printf -v "$__out" '%s' "$(cat "$__o")"
	printf -v "$__err" '%s' "$(cat "$__e")"
	printf -v "$__rc" '%s' "$__r"
}

e2e_expect_error() {
	local want=$1 needles=() n out err rc
	shift
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do needles+=("$1"); shift; done
	[ $# -gt 0 ] || e2e_fail "e2e_expect_error: missing --"
	shift
	e2e_run out err rc -- "$@"
	[ "$rc" = "$want" ] || e2e_fail "exit $rc, want $want: $PVECG_BIN $*
stderr: $err"
	[ "$(printf '%s\n' "$err" | wc -l)" = 1 ] && [ -n "$err" ] ||
		e2e_fail "stderr is not one line: $PVECG_BIN $*
stderr: $err"
	for n in "${needles[@]}"; do
		case "$err" in *"$n"*) ;; *) e2e_fail "stderr lacks \"$n\": $err";; esac
	done
	E2E_STDERR=$err
}
