#!/usr/bin/env bash
# Every fixture gives the documented counts; two runs and any --workers give
# byte-identical trees.
. "$(dirname "$0")/lib.sh"
e2e_init
e2e_need_fixtures

check_counts() { # product-dir tag endpoints methods [GET POST PUT DELETE]
	python3 - "$E2E_TMP/out/$1/raw_capture.json" "${@:2}" <<'PY' || e2e_fail "counts of $1"
import json, sys
c = json.load(open(sys.argv[1]))
n = c["counts"]
want = [int(x) for x in sys.argv[2:]]
got = [n["endpoints"], n["methods"]]
if len(want) > 2:
    got += [n["per_method"].get(m, 0) for m in ("GET", "POST", "PUT", "DELETE")]
assert got == want, (got, want)
assert len(c["endpoints"]) == n["endpoints"]
assert sum(len(e["methods"]) for e in c["endpoints"]) == n["methods"]
paths = [e["path"] for e in c["endpoints"]]
assert paths == sorted(paths), "endpoints not sorted by path"
PY
}

run_fixture() { # fixture tag
	e2e_run out err rc -- --quiet --source "$PVECG_FIXTURES/$1" --source-label "$1" \
		--version-tag "$2" --output-dir "$E2E_TMP/out"
	[ "$rc" = 0 ] || e2e_fail "$1: exit $rc: $err"
	[ -z "$out$err" ] || e2e_fail "$1: --quiet printed: $out$err"
}

run_fixture pve-9.1.js pve91
check_counts pve91 432 646 326 167 79 74
run_fixture pve-8.4.js pve84
check_counts pve84 400 605
run_fixture pbs-4.js pbs4
check_counts pbs4 248 367
python3 - "$E2E_TMP/out/pbs4/raw_capture.json" <<'PY' || e2e_fail "pbs paths"
import json, sys
c = json.load(open(sys.argv[1]))
paths = {e["path"] for e in c["endpoints"]}
assert "/" in paths and "/backup/_upgrade_" in paths
assert c["product"] == "pbs" and c["schema_variable"] == "apiSchema"
PY
first=$(e2e_tree_digest "$E2E_TMP/out/pve91")
e2e_run out err rc -- --quiet --workers 1 --source "$PVECG_FIXTURES/pve-9.1.js" \
	--source-label pve-9.1.js --version-tag pve91 --output-dir "$E2E_TMP/out"
[ "$(e2e_tree_digest "$E2E_TMP/out/pve91")" = "$first" ] || e2e_fail "second run (--workers 1) differs"
e2e_run out err rc -- --quiet --workers 4 --source "$PVECG_FIXTURES/pve-9.1.js" \
	--source-label pve-9.1.js --version-tag pve91 --output-dir "$E2E_TMP/out"
[ "$(e2e_tree_digest "$E2E_TMP/out/pve91")" = "$first" ] || e2e_fail "--workers 4 run differs"
# An old split viewer: index.html loads the data (var pveapi) and a viewer
# script written for browsers; the capture comes from the data script.
split="$E2E_TMP/split"
mkdir -p "$split/ext6"
printf '<html><head><title>Proxmox VE API Documentation</title>\n<script src="ext6/ext-all.js"></script>\n<script src="apidata.js"></script>\n<script src="PVEAPI.js"></script></head></html>\n' >"$split/index.html"
printf 'var pveapi = [{"path": "/version", "text": "version", "leaf": 1, "info": {"GET": {"method": "GET", "name": "version", "parameters": {"additionalProperties": 0}, "returns": {"type": "object"}}}}];\n' >"$split/apidata.js"
printf 'const render = (x) => `${x?.path ?? ""}`;\nlet store = Ext.create("Ext.data.TreeStore", { root: { children: pveapi } });\nExt.onReady(() => render(store));\n' >"$split/PVEAPI.js"
e2e_run out err rc -- --quiet --source "$split/index.html" --version-tag old --output-dir "$E2E_TMP/out"
[ "$rc" = 0 ] || e2e_fail "split viewer: $err"
python3 - "$E2E_TMP/out/old/raw_capture.json" <<'PY' || e2e_fail "split viewer capture"
import json, sys
c = json.load(open(sys.argv[1]))
assert c["schema_variable"] == "pveapi", c["schema_variable"]
assert c["product"] == "pve"
assert c["counts"]["endpoints"] == 1 and c["counts"]["methods"] == 1
assert c["endpoints"][0]["methods"]["GET"]["name"] == "version"
PY

# --verbose says what it read, what it found and what it wrote.
e2e_run out err rc -- --verbose --source "$PVECG_FIXTURES/pbs-4.js" --version-tag v --output-dir "$E2E_TMP/out"
[ "$rc" = 0 ] || e2e_fail "--verbose run: $err"
for want in "pbs-4.js: 1506992 bytes" "schema in 'apiSchema'" "v: 39 files written"; do
	case "$err" in *"$want"*) ;; *) e2e_fail "--verbose lacks \"$want\": $err";; esac
done
e2e_pass
