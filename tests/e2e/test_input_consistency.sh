#!/usr/bin/env bash
# Inputs that contradict themselves or are not what they claim: each run
# either is refused (exit 1, one line naming the input, the previous output
# byte-identical) or writes a tree that verify and `sha256sum -c` accept.
# The viewer files are the real PBS 4 and PVE 9.1 fixtures, edited here.
. "$(dirname "$0")/lib.sh"
e2e_init
e2e_need_fixtures
e2e_need_cmd sha256sum
in="$E2E_TMP/in"
out="$E2E_TMP/out"
mkdir -p "$in"

# edit_pbs OUT PYTHON: runs PYTHON on `tree` (the schema array of pbs-4.js,
# `find(path)` gives a node) and writes the viewer file back with the edit.
# The literal "ZZDUP": in the dump becomes "GET": (a repeated key).
edit_pbs() {
	python3 - "$PVECG_FIXTURES/pbs-4.js" "$1" "$2" <<'PY' || e2e_fail "cannot edit pbs-4.js"
import json, re, sys
src, dst, code = sys.argv[1:]
s = open(src, encoding="utf-8").read()
m = re.search(r"var\s+apiSchema\s*=\s*", s)
tree, end = json.JSONDecoder().raw_decode(s, m.end())
def find(path, nodes=None):
    for n in tree if nodes is None else nodes:
        if n.get("path") == path:
            return n
        r = find(path, n.get("children") or [])
        if r:
            return r
exec(code)
text = json.dumps(tree, indent=1).replace('"ZZDUP":', '"GET":')
open(dst, "w", encoding="utf-8").write(s[:m.end()] + text + s[end:])
PY
}

# json_get FILE EXPR: prints EXPR evaluated on the parsed FILE (as d).
json_get() {
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

expect_verified() { # DIR
	local o e rc
	e2e_run o e rc -- verify "$1"
	[ "$rc" = 0 ] || e2e_fail "verify $1 exit $rc: $o $e"
	(cd "$1" && sha256sum -c --quiet SHA256SUMS) || e2e_fail "sha256sum -c fails in $1"
}

# A good run first: refused runs below must leave it byte for byte.
e2e_run o e rc -- -q --source "$PVECG_FIXTURES/pbs-4.js" --version-tag t --output-dir "$out"
[ "$rc" = 0 ] || e2e_fail "good run failed: $e"
expect_verified "$out/t"
ops_before=$(json_get "$out/t/raw_capture.json" 'd["counts"]["methods"]')
[ "$ops_before" = 367 ] || e2e_fail "PBS 4 has $ops_before methods, want 367"

refused() { # NEEDLE... -- ARGS...: exit 1, one line, output unchanged
	local before
	before=$(e2e_tree_digest "$out")
	e2e_expect_error 1 "$@" --version-tag t --output-dir "$out"
	[ "$(e2e_tree_digest "$out")" = "$before" ] || e2e_fail "a refused run changed the output: $*"
	[ -z "$(find "$out" -maxdepth 1 -name '.*tmp*')" ] || e2e_fail "temporary directory left behind"
}

# 1. The same method twice in one node's info: the last one is kept (as
# JavaScript keeps it), with a warning and a record; counts stay exact.
edit_pbs "$in/dup-method.js" '
n = find("/version")
second = json.loads(json.dumps(n["info"]["GET"]))
second["description"] = "The second GET."
n["info"]["ZZDUP"] = second'
e2e_run o e rc -- --source "$in/dup-method.js" --version-tag dm --output-dir "$out"
[ "$rc" = 0 ] || e2e_fail "duplicate method: exit $rc: $e"
[ "$e" = "proxmox-sdk-codegen: warning: $in/dup-method.js: GET /version is given more than once; the last one is kept" ] ||
	e2e_fail "duplicate method: stderr is: $e"
expect_verified "$out/dm"
[ "$(json_get "$out/dm/raw_capture.json" 'd["duplicate_methods"]')" = "['GET /version']" ] ||
	e2e_fail "duplicate method not recorded"
[ "$(json_get "$out/dm/raw_capture.json" 'd["counts"]["methods"]')" = 367 ] || e2e_fail "duplicate method counted twice"
[ "$(json_get "$out/dm/openapi.json" 'd["paths"]["/version"]["get"]["description"]')" = "The second GET." ] ||
	e2e_fail "duplicate method: the first one was kept"
# The same viewer read through duktape (keys unquoted: not JSON, so the
# fast path does not take it) keeps the same GET.
sed -e 's/"description": "The second GET."/description: "The second GET."/' "$in/dup-method.js" >"$in/dup-method-js.js"
e2e_run o e rc -- -q --source "$in/dup-method-js.js" --version-tag dmjs --output-dir "$out"
[ "$rc" = 0 ] || e2e_fail "duplicate method (duktape): exit $rc: $e"
expect_verified "$out/dmjs"
[ "$(json_get "$out/dmjs/openapi.json" 'd["paths"]["/version"]["get"]["description"]')" = "The second GET." ] ||
	e2e_fail "duplicate method: duktape and the JSON path disagree"

# 2. The same path in two tree nodes: one endpoint with the methods of both,
# the later node winning for a method both give.
edit_pbs "$in/dup-path.js" '
n = find("/version")
later = {"path": "/version", "text": "version", "leaf": 1, "info": {
    "GET": dict(n["info"]["GET"], description="From the later node."),
    "PUT": {"method": "PUT", "name": "set", "description": "Added by the later node.",
            "parameters": {"type": "object", "additionalProperties": 0, "properties": {}},
            "returns": {"type": "null"}}}}
tree.append(later)'
e2e_run o e rc -- --source "$in/dup-path.js" --version-tag dp --output-dir "$out"
[ "$rc" = 0 ] || e2e_fail "duplicate path: exit $rc: $e"
[ "$e" = "proxmox-sdk-codegen: warning: $in/dup-path.js: path /version is given by more than one tree node; their methods were merged, the later node winning
proxmox-sdk-codegen: warning: $in/dup-path.js: GET /version is given more than once; the last one is kept" ] ||
	e2e_fail "duplicate path: stderr is: $e"
expect_verified "$out/dp"
[ "$(json_get "$out/dp/raw_capture.json" 'd["duplicate_paths"], d["counts"]["endpoints"], d["counts"]["methods"]')" = "(['/version'], 248, 368)" ] ||
	e2e_fail "duplicate path: capture is $(json_get "$out/dp/raw_capture.json" 'd["duplicate_paths"], d["counts"]')"
[ "$(json_get "$out/dp/openapi.json" 'd["paths"]["/version"]["get"]["description"], d["paths"]["/version"]["put"]["description"]')" = "('From the later node.', 'Added by the later node.')" ] ||
	e2e_fail "duplicate path: methods not merged"
[ "$(json_get "$out/dp/route_metadata.json" 'd["route_count"]')" = 368 ] || e2e_fail "duplicate path: route count"

# 3. A method outside GET/POST/PUT/DELETE is refused.
edit_pbs "$in/patch.js" '
n = find("/version")
n["info"]["PATCH"] = dict(n["info"]["GET"], method="PATCH")'
refused "$in/patch.js" "/version: unsupported HTTP method PATCH" "(supported: GET, POST, PUT, DELETE)" -- \
	--source "$in/patch.js"

# 4. A syntax error: the message names the script, the line and column
# (where the literal stops being JSON, the unterminated string here), where
# the statement starts, and duktape's message.
printf 'var a = 1;\nvar b = 2; var pmgapi = [{"path": "/x", "info": {"GET": {"method": "GET",\n  "description": "unterminated}}}];\nvar c = 3;\n' >"$in/syntax.js"
refused "$in/syntax.js: no schema array found: line 3, column 18: SyntaxError: unterminated string" \
	"(in the statement from line 2, column 12, which assigns the schema variable; ran 3 statements, skipped 1)" -- \
	--source "$in/syntax.js"
# the real PBS viewer cut inside its schema (after a member and its comma):
# the line and column it was cut at
at=$(python3 - "$PVECG_FIXTURES/pbs-4.js" "$in/cut.js" <<'PY'
import sys
s = open(sys.argv[1], encoding="utf-8").read()
cut = s[:s.index('"Delete smtp endpoint.",') + len('"Delete smtp endpoint.",')]
open(sys.argv[2], "w", encoding="utf-8").write(cut + "\n")
print("line %d, column %d" % (cut.count("\n") + 1, len(cut.split("\n")[-1]) + 1))
PY
) || e2e_fail "cannot cut pbs-4.js"
refused "$in/cut.js: no schema array found: $at: SyntaxError:" \
	"(in the statement from line 1, column 1, which assigns the schema variable" -- --source "$in/cut.js"

# 5. A FIFO (nobody writing) is refused at once instead of blocking.
mkfifo "$in/fifo.js"
SECONDS=0
refused "$in/fifo.js: not a regular file (a FIFO)" -- --source "$in/fifo.js"
[ "$SECONDS" -lt 10 ] || e2e_fail "the FIFO took $SECONDS s to refuse"
mkfifo "$in/fifo.json"
refused "$in/fifo.json: not a regular file (a FIFO)" -- --source "$in/fifo.json"
refused "/dev/null: not a regular file (a device)" -- --source /dev/null

# 6. An old PMG viewer: `var pmgapi`, no /quarantine path. The schema
# variable decides, and --verbose says so.
sed -e '0,/const apiSchema = /s//var pmgapi = /' "$PVECG_FIXTURES/pve-9.1.js" >"$in/pmg-old.js"
grep -q '^var pmgapi = ' "$in/pmg-old.js" || e2e_fail "could not rename the schema variable"
! grep -q '"/quarantine' "$in/pmg-old.js" || e2e_fail "the PMG input has /quarantine paths"
e2e_run o e rc -- --verbose --source "$in/pmg-old.js" --version-tag pmg --output-dir "$out"
[ "$rc" = 0 ] || e2e_fail "PMG run: exit $rc: $e"
grep -qxF "proxmox-sdk-codegen: $in/pmg-old.js: product pmg, decided by the schema variable pmgapi" <<<"$e" ||
	e2e_fail "--verbose does not name the signal: $e"
expect_verified "$out/pmg"
[ "$(json_get "$out/pmg/raw_capture.json" 'd["product"], d["schema_variable"]')" = "('pmg', 'pmgapi')" ] ||
	e2e_fail "PMG: capture says $(json_get "$out/pmg/raw_capture.json" 'd["product"]')"
[ -f "$out/pmg/pmg_models.h" ] || e2e_fail "PMG: no pmg_models.h"

# 7. verify without --schemas, run where no schemas/ folder is: the schemas
# built into the program still catch a schema violation.
mkdir -p "$E2E_TMP/copy" && cp -a "$out/t" "$E2E_TMP/copy/t"
python3 - "$E2E_TMP/copy/t/raw_capture.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["product"] = "vms"
open(sys.argv[1], "w").write(json.dumps(d, indent=2, sort_keys=True) + "\n")
PY
(cd "$E2E_TMP/copy/t" && find . -type f ! -path ./SHA256SUMS | sed 's|^\./||' | LC_ALL=C sort |
	xargs -d '\n' sha256sum >"$E2E_TMP/sums" && mv "$E2E_TMP/sums" SHA256SUMS)
[ ! -e "$E2E_TMP/schemas" ] || e2e_fail "a schemas/ folder is in the way"
o=$(cd "$E2E_TMP" && "$PVECG_BIN" verify copy/t 2>"$E2E_TMP/verify.err"); rc=$?
[ "$rc" = 1 ] || e2e_fail "verify with built-in schemas: exit $rc: $o"
[ "$o" = "copy/t/raw_capture.json: \$.product: value is not one of the enum values (schema)" ] ||
	e2e_fail "verify with built-in schemas said: $o"
[ "$(cat "$E2E_TMP/verify.err")" = "proxmox-sdk-codegen: copy/t: 1 problem(s) in 1 version directory" ] ||
	e2e_fail "verify with built-in schemas: stderr $(cat "$E2E_TMP/verify.err")"

e2e_pass
