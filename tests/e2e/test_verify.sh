#!/usr/bin/env bash
# verify and versions on a generated tree: a clean tree passes; copies
# corrupted one way at a time (a byte of openapi.json, a deleted shard, an
# operation dropped from model_index.json, a wrong count in
# route_metadata.json, a wrong tag, a file SHA256SUMS does not match) fail
# with exit 1 and a line naming each. Each corruption but the SHA256SUMS ones
# rewrites SHA256SUMS after it, so only the check it aims at fails.
# Runs twice: on a small hand-made tree (no pipeline needed), then on the
# PVE 9.1 tree the real binary generates from the fixture.
. "$(dirname "$0")/lib.sh"
e2e_init
SCHEMAS="$PVECG_SOURCE_DIR/schemas"
[ -f "$SCHEMAS/route_metadata.schema.json" ] || e2e_fail "no schemas in $SCHEMAS"

# verify_out ROOT: runs verify, sets VOUT (stdout), VERR, VRC.
verify_out() {
	e2e_run VOUT VERR VRC -- verify --schemas "$SCHEMAS" "$1"
}

expect_pass() {
	verify_out "$1"
	[ "$VRC" = 0 ] || e2e_fail "verify $1 exit $VRC, want 0
$VOUT
$VERR"
}

# expect_fail ROOT LINES NEEDLE...: exit 1, every NEEDLE in some stdout
# line; LINES is the exact number of failure lines, or "-" for any.
expect_fail() {
	local root=$1 lines=$2 n
	shift 2
	verify_out "$root"
	[ "$VRC" = 1 ] || e2e_fail "verify $root exit $VRC, want 1
$VOUT
$VERR"
	for n in "$@"; do
		grep -qF -- "$n" <<<"$VOUT" || e2e_fail "verify $root: no line with \"$n\" in:
$VOUT"
	done
	if [ "$lines" != - ] && [ "$(grep -c . <<<"$VOUT")" != "$lines" ]; then
		e2e_fail "verify $root: want $lines failure line(s), got:
$VOUT"
	fi
	case "$VERR" in *"problem(s)"*) ;; *) e2e_fail "verify $root: no summary on stderr: $VERR";; esac
}

# A minimal but complete version directory, written by hand (python3).
make_tree() {
	python3 - "$1" "$2" <<'PY'
import hashlib, json, os, sys
d, tag = sys.argv[1], sys.argv[2]
os.makedirs(d + "/models", exist_ok=True)
def dump(name, obj):
    with open(os.path.join(d, name), "w") as f:
        json.dump(obj, f, indent=2, sort_keys=True)
        f.write("\n")
def resp(name):
    return {"200": {"content": {"application/json": {"schema": {"type": "object",
        "properties": {"data": {"$ref": "#/components/schemas/" + name}}, "required": ["data"]}}}}}
node = {"in": "path", "name": "node", "required": True, "schema": {"type": "string"}}
ops = [("/nodes", "get", "get_nodes", "GetNodes"), ("/nodes/{node}", "get", "get_nodes_node", "GetNodesNode"),
       ("/nodes/{node}", "post", "post_nodes_node", "PostNodesNode")]
paths = {}
for p, m, oid, model in ops:
    op = {"operationId": oid, "summary": "Summary of " + oid, "description": "d", "tags": ["nodes"],
          "responses": resp(model + "Response")}
    if "{node}" in p:
        op["parameters"] = [node]
    if m == "post":
        op["requestBody"] = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/PostNodesNodeRequest"}}}}
    paths.setdefault(p, {})[m] = op
schemas = {"GetNodesResponse": {"type": "array", "items": {"type": "object", "properties": {"node": {"type": "string"}}}},
           "GetNodesNodeResponse": {"type": "array", "items": {"type": "object"}},
           "PostNodesNodeResponse": {"type": "null"},
           "PostNodesNodeRequest": {"type": "object", "properties": {"comment": {"type": "string"}}}}
dump("openapi.json", {"openapi": "3.1.0", "info": {"title": "Proxmox VE API", "version": tag,
     "x-proxmox-product": "pve"}, "paths": paths, "components": {"schemas": schemas}})
sha = hashlib.sha256(open(os.path.join(d, "openapi.json"), "rb").read()).hexdigest()
nullp = None
def route(p, m, oid, model):
    return {"mounted_path": "/api2/json" + p, "path": p, "method": m.upper(), "operation_id": oid,
            "summary": "Summary of " + oid, "description": "d",
            "parameters": {"path": [{"name": "node", "required": True, "schema": {"type": "string"}}] if "{node}" in p else [],
                           "query": [], "body": [{"name": "comment", "required": False,
                           "schema": {"$ref": "#/schemas/PostNodesNodeRequest/properties/comment"}}] if m == "post" else []},
            "request_schema": "PostNodesNodeRequest" if m == "post" else None,
            "response_schema": model + "Response", "get_kind": "array",
            "child": {"template": "/nodes/{node}", "parameter": "node"} if p == "/nodes" else None,
            "parent": {"template": "/nodes", "parameter": "node", "item_schema": {"$ref": "#/schemas/GetNodesResponse/items"}}
                      if p != "/nodes" else None}
dump("route_metadata.json", {"schema_version": 1, "version_tag": tag, "openapi_sha256": sha, "product": "pve",
     "path_count": 2, "route_count": 3, "counts_per_method": {"DELETE": 0, "GET": 2, "POST": 1, "PUT": 0},
     "schemas": schemas, "routes": [route(*o) for o in ops]})
index_ops = {}
for p, m, oid, model in ops:
    index_ops[oid] = {"group": "nodes", "method": m.upper(), "path": p, "response_model": model + "Response",
                      "request_model": "PostNodesNodeRequest" if m == "post" else None,
                      "shard_header": "models/nodes.h", "shard_source": "models/nodes.c",
                      "shard_library": "libpve_models_nodes.so", "shard_symbol": "pvecg_shard_nodes"}
dump("model_index.json", {"abi": 1, "aggregate_header": "pve_models.h", "aggregate_source": "pve_models.c",
     "counts": {"models": 4, "operations": 3, "shards": 1}, "openapi_sha256": sha, "version_tag": tag,
     "product": "pve", "operations": index_ops,
     "shards": {"nodes": {"group": "nodes", "library": "libpve_models_nodes.so", "models": 4, "operations": 3}}})
with open(os.path.join(d, "models/pvecg_rt.h"), "w") as f:
    f.write("/* the shared runtime, copied verbatim: no pins */\n#define PVECG_RT_ABI 1\n")
pins = '#define PVECG_MODELS_OPENAPI_SHA256 "%s"\n#define PVECG_MODELS_VERSION_TAG "%s"\n' % (sha, tag)
with open(os.path.join(d, "models/nodes.h"), "w") as f:
    f.write("/* nodes shard */\n" + pins + "".join("typedef struct %s %s;\n" % (n, n) for n in
        ["GetNodesResponse", "GetNodesNodeResponse", "PostNodesNodeRequest", "PostNodesNodeResponse"]) +
        "extern const int pvecg_shard_nodes;\n")
with open(os.path.join(d, "models/nodes.c"), "w") as f:
    f.write('#include "nodes.h"\n')
with open(os.path.join(d, "pve_models.h"), "w") as f:
    f.write(pins + '#include "models/nodes.h"\n')
with open(os.path.join(d, "pve_models.c"), "w") as f:
    f.write('#include "pve_models.h"\n')
dump("raw_capture.json", {"capture_version": 1, "counts": {"endpoints": 2, "methods": 3,
     "per_method": {"GET": 2, "POST": 1}, "endpoints_without_methods": 0, "duplicate_paths": 0},
     "duplicate_paths": [], "endpoints_without_methods": [],
     "endpoints": [{"path": "/nodes", "text": "nodes", "leaf": 0, "methods": {"GET": {"method": "GET"}}},
                   {"path": "/nodes/{node}", "text": "{node}", "leaf": 1,
                    "methods": {"GET": {"method": "GET"}, "POST": {"method": "POST"}}}],
     "product": "pve", "schema_variable": "apiSchema", "scripts": {"statements": 1, "skipped": 0},
     "source_sha256": "0" * 64, "source_url": "hand-made"})
PY
}

# resum DIR: rewrites DIR/SHA256SUMS over every other file, as a release
# script with sha256sum would.
resum() {
	(cd "$1" && find . -type f ! -path ./SHA256SUMS | sed 's|^\./||' | LC_ALL=C sort |
		xargs -d '\n' sha256sum >"$E2E_TMP/sums.new" && mv "$E2E_TMP/sums.new" SHA256SUMS) ||
		e2e_fail "cannot rewrite $1/SHA256SUMS"
}

# json_edit FILE PYTHON-EXPR-ON-doc: rewrites FILE after running the code.
json_edit() {
	python3 - "$1" "$2" <<'PY'
import json, sys
path, code = sys.argv[1], sys.argv[2]
doc = json.load(open(path))
exec(code)
with open(path, "w") as f:
    json.dump(doc, f, indent=2, sort_keys=True)
    f.write("\n")
PY
}

# flip_byte FILE: changes one letter inside the first summary string, so
# the JSON stays valid and only the bytes (and the SHA-256) change.
flip_byte() {
	local off
	off=$(grep -bo '"summary": "' "$1" | head -1 | cut -d: -f1)
	[ -n "$off" ] || e2e_fail "no summary in $1"
	off=$((off + 12))
	if [ "$(dd if="$1" bs=1 skip="$off" count=1 2>/dev/null)" = X ]; then
		printf Y | dd of="$1" bs=1 seek="$off" conv=notrunc 2>/dev/null
	else
		printf X | dd of="$1" bs=1 seek="$off" conv=notrunc 2>/dev/null
	fi
}

# The shard header model_index.json names for an operation.
shard_of() {
	python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["operations"][sys.argv[2]]["shard_header"])' "$1" "$2"
}

# drop_op INDEX ID: the operation leaves model_index.json and its shard's
# count, so the index still agrees with itself.
drop_op() {
	json_edit "$1" "
rec = doc['operations'].pop('$2')
doc['shards'][rec['shard_header'][len('models/'):-len('.h')]]['operations'] -= 1
"
}

# run_corruptions BASE_PARENT TAG PRODUCT_DIR: BASE_PARENT/PRODUCT_DIR/TAG is a clean tree.
run_corruptions() {
	local base=$1 tag=$2 pd=$3 c shard paths
	local clean="$base/$pd/$tag"

	expect_pass "$base"
	expect_pass "$base/$pd"
	expect_pass "$clean"
	shard=$(shard_of "$clean/model_index.json" get_nodes) || e2e_fail "no shard for get_nodes"
	(cd "$clean" && sha256sum -c --quiet SHA256SUMS) || e2e_fail "sha256sum -c fails on $clean"

	# 1. one byte of openapi.json
	c="$E2E_TMP/$(basename "$base")-c1/$pd/$tag"; mkdir -p "$(dirname "$c")"; cp -a "$clean" "$c"
	flip_byte "$c/openapi.json"
	resum "$c"
	expect_fail "$c" - "$c/route_metadata.json: openapi_sha256" \
		"$c/model_index.json: openapi_sha256" "does not match openapi.json" \
		"$c/$shard: OPENAPI_SHA256"

	# 2. a deleted shard
	c="$E2E_TMP/$(basename "$base")-c2/$pd/$tag"; mkdir -p "$(dirname "$c")"; cp -a "$clean" "$c"
	rm "$c/$shard"
	resum "$c"
	expect_fail "$c" 1 "$c/model_index.json: shard file $shard does not exist"

	# 2b. a shard that no longer declares a model the index names for it
	c="$E2E_TMP/$(basename "$base")-c2b/$pd/$tag"; mkdir -p "$(dirname "$c")"; cp -a "$clean" "$c"
	sed -i 's/\bGetNodesResponse\b/GetNodesRenamed/g' "$c/$shard"
	resum "$c"
	expect_fail "$c" 1 "$c/model_index.json: get_nodes: model GetNodesResponse is not declared in its shard ($shard)"

	# 3. an operation removed from model_index.json
	c="$E2E_TMP/$(basename "$base")-c3/$pd/$tag"; mkdir -p "$(dirname "$c")"; cp -a "$clean" "$c"
	drop_op "$c/model_index.json" get_nodes_node
	resum "$c"
	expect_fail "$c" 1 "$c/model_index.json: operation get_nodes_node (GET /nodes/{node}) is missing"

	# 4. a wrong count in route_metadata.json
	c="$E2E_TMP/$(basename "$base")-c4/$pd/$tag"; mkdir -p "$(dirname "$c")"; cp -a "$clean" "$c"
	paths=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["paths"]))' "$c/openapi.json")
	json_edit "$c/route_metadata.json" "doc['path_count'] += 1"
	resum "$c"
	expect_fail "$c" 1 "$c/route_metadata.json: path_count is $((paths + 1)) but openapi.json has $paths paths"

	# 5a. a wrong tag in one file
	c="$E2E_TMP/$(basename "$base")-c5/$pd/$tag"; mkdir -p "$(dirname "$c")"; cp -a "$clean" "$c"
	json_edit "$c/model_index.json" "doc['version_tag'] = '0.0'"
	resum "$c"
	expect_fail "$c" 1 "$c/model_index.json: version_tag \"0.0\" does not match the directory (expected \"$tag\")"
	# 5b. the whole tree under another directory name
	c="$E2E_TMP/$(basename "$base")-c6/$pd/0.0"; mkdir -p "$(dirname "$c")"; cp -a "$clean" "$c"
	resum "$c"
	expect_fail "$c" - "$c/route_metadata.json: version_tag \"$tag\" does not match the directory (expected \"0.0\")" \
		"$c/openapi.json: info.version \"$tag\"" "$c/$shard: VERSION_TAG \"$tag\""

	# All five at once in one tree: every one is reported, not just the first.
	c="$E2E_TMP/$(basename "$base")-c7/$pd/$tag"; mkdir -p "$(dirname "$c")"; cp -a "$clean" "$c"
	rm "$c/$shard"
	drop_op "$c/model_index.json" get_nodes_node
	json_edit "$c/route_metadata.json" "doc['path_count'] += 1"
	json_edit "$c/raw_capture.json" "doc['product'] = 'vms'"
	resum "$c"
	expect_fail "$c" 4 "shard file $shard does not exist" "get_nodes_node (GET /nodes/{node}) is missing" \
		"path_count is" "$c/raw_capture.json: \$.product: value is not one of the enum values (schema)"
	# Two threads check a directory; the report does not depend on which ends first: the
	# second thread's lines (route_metadata.json, SHA256SUMS) follow the first thread's.
	first=$VOUT
	for _ in 1 2 3 4 5; do
		verify_out "$c"
		[ "$VOUT" = "$first" ] || e2e_fail "verify $c: the report changed between runs:
$first
---
$VOUT"
	done
	routes_line=$(grep -n 'path_count is' <<<"$first" | cut -d: -f1)
	index_line=$(grep -n 'is missing' <<<"$first" | cut -d: -f1)
	[ "$routes_line" -gt "$index_line" ] || e2e_fail "verify $c: route_metadata.json reported before model_index.json:
$first"

	# 8. SHA256SUMS: a changed file, an extra file, an unsorted or missing list
	c="$E2E_TMP/$(basename "$base")-c8/$pd/$tag"; mkdir -p "$(dirname "$c")"; cp -a "$clean" "$c"
	printf '/* changed */\n' >>"$c/${shard%.h}.c"
	expect_fail "$c" 1 "$c/SHA256SUMS: ${shard%.h}.c: SHA-256 is"
	(cd "$c" && ! sha256sum -c --quiet SHA256SUMS >/dev/null 2>&1) || e2e_fail "sha256sum -c passes a changed file"
	c="$E2E_TMP/$(basename "$base")-c9/$pd/$tag"; mkdir -p "$(dirname "$c")"; cp -a "$clean" "$c"
	printf 'x\n' >"$c/models/extra.txt"
	expect_fail "$c" 1 "$c/SHA256SUMS: does not list models/extra.txt"
	c="$E2E_TMP/$(basename "$base")-c10/$pd/$tag"; mkdir -p "$(dirname "$c")"; cp -a "$clean" "$c"
	LC_ALL=C sort -r -k2 "$c/SHA256SUMS" >"$c/x" && mv "$c/x" "$c/SHA256SUMS"
	expect_fail "$c" 1 "$c/SHA256SUMS: line 2:" "(paths are sorted, each once)"
	rm "$c/SHA256SUMS"
	expect_fail "$c" 1 "$c/SHA256SUMS: missing"

	# latest as a relative symlink and as a copy both pass; absolute links do not.
	ln -s "$tag" "$base/$pd/latest"
	expect_pass "$base/$pd"
	rm "$base/$pd/latest"
	ln -s "$(cd "$clean" && pwd)" "$base/$pd/latest"
	expect_fail "$base/$pd" 1 "$base/$pd/latest: symlink target" "is absolute"
	rm "$base/$pd/latest"
	cp -a "$clean" "$base/$pd/latest"
	expect_pass "$base/$pd"
	# a copy whose tag names no sibling with the same openapi.json fails
	json_edit "$base/$pd/latest/route_metadata.json" "doc['version_tag'] = '7.7'"
	resum "$base/$pd/latest"
	expect_fail "$base/$pd" 1 "$base/$pd/latest/route_metadata.json: version_tag \"7.7\" is neither"
	rm -rf "$base/$pd/latest"
	ln -s "$tag" "$base/$pd/latest"
}

check_versions() {
	local base=$1 pd=$2 tag=$3 ops=$4 sha out err rc
	sha=$(sha256sum "$base/$pd/$tag/openapi.json" | cut -d' ' -f1)
	e2e_run out err rc -- versions "$base"
	[ "$rc" = 0 ] || e2e_fail "versions exit $rc: $err"
	grep -qE "^$pd/$tag +pve +[0-9]+ +$ops +$sha\$" <<<"$out" || e2e_fail "versions text lacks $pd/$tag:
$out"
	grep -qE "^$pd/latest .*$sha  -> $tag\$" <<<"$out" || e2e_fail "versions text lacks latest -> $tag:
$out"
	e2e_run out err rc -- versions --json "$base"
	[ "$rc" = 0 ] || e2e_fail "versions --json exit $rc: $err"
	python3 - "$out" "$pd" "$tag" "$ops" "$sha" <<'PY' || e2e_fail "versions --json is wrong: $out"
import json, sys
out, pd, tag, ops, sha = sys.argv[1:]
v = json.loads(out)
byd = {e["dir"]: e for e in v}
e = byd[pd + "/" + tag]
assert e["operations"] == int(ops) and e["openapi_sha256"] == sha and e["product"] == "pve", e
assert e["tag"] == tag and e["product_dir"] == pd and e["link"] is None, e
l = byd[pd + "/latest"]
assert l["link"] == tag and l["openapi_sha256"] == sha, l
assert [x["dir"] for x in v] == sorted(x["dir"] for x in v)
PY
}

# --- hand-made tree -------------------------------------------------------
HAND="$E2E_TMP/hand"
make_tree "$HAND/proxmox/1.0" 1.0
resum "$HAND/proxmox/1.0"
run_corruptions "$HAND" 1.0 proxmox
check_versions "$HAND" proxmox 1.0 3

# An empty directory fails verify (nothing was checked) and lists as [].
mkdir -p "$E2E_TMP/empty"
e2e_run VOUT VERR VRC -- verify "$E2E_TMP/empty"
[ "$VRC" = 1 ] || e2e_fail "verify of an empty dir exit $VRC, want 1"
case "$VERR" in *"no version directory"*) ;; *) e2e_fail "verify empty dir: $VERR";; esac
e2e_run VOUT VERR VRC -- versions --json "$E2E_TMP/empty"
[ "$VRC" = 0 ] && [ "$VOUT" = "[]" ] || e2e_fail "versions --json of an empty dir: exit $VRC, output $VOUT"
# model_index.json absent: reported as missing.
c="$E2E_TMP/noindex/proxmox/1.0"; mkdir -p "$(dirname "$c")"; cp -a "$HAND/proxmox/1.0" "$c"
rm "$c/model_index.json"
resum "$c"
expect_fail "$c" 1 "$c/model_index.json: missing"

# --- PVE 9.1 from the real binary ----------------------------------------
if [ -z "${PVECG_FIXTURES:-}" ] || [ ! -f "$PVECG_FIXTURES/pve-9.1.js" ]; then
	echo "SKIP (partly): no fixtures, the PVE 9.1 part did not run"
	e2e_pass
fi
REAL="$E2E_TMP/real"
e2e_run out err rc -- --source "$PVECG_FIXTURES/pve-9.1.js" --version-tag 9.1 \
	--output-dir "$REAL/proxmox" --also-latest -q
[ "$rc" = 0 ] || e2e_fail "generate PVE 9.1 exit $rc: $err"
[ -e "$REAL/proxmox/latest" ] || e2e_fail "--also-latest made no latest"
expect_pass "$REAL"   # with the latest the tool made
rm -rf "$REAL/proxmox/latest"
# latest as the tool copies it, and a version generated as "latest" itself
e2e_run out err rc -- --source "$PVECG_FIXTURES/pve-9.1.js" --version-tag 9.1 \
	--output-dir "$E2E_TMP/copy/proxmox" --also-latest --latest-mode copy -q
[ "$rc" = 0 ] || e2e_fail "generate with --latest-mode copy exit $rc: $err"
[ -d "$E2E_TMP/copy/proxmox/latest" ] && [ ! -L "$E2E_TMP/copy/proxmox/latest" ] ||
	e2e_fail "--latest-mode copy made no directory"
expect_pass "$E2E_TMP/copy"
e2e_run out err rc -- --source "$PVECG_FIXTURES/pve-9.1.js" --version-tag latest \
	--output-dir "$E2E_TMP/own/proxmox" -q
[ "$rc" = 0 ] || e2e_fail "generate --version-tag latest exit $rc: $err"
expect_pass "$E2E_TMP/own"
run_corruptions "$REAL" 9.1 proxmox
OPS=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sum(1 for p in d["paths"].values() for m in p if m in ("get","post","put","delete")))' "$REAL/proxmox/9.1/openapi.json")
[ "$OPS" = 646 ] || echo "note: PVE 9.1 has $OPS operations (646 expected)" >&2
check_versions "$REAL" proxmox 9.1 "$OPS"

# Topology on the real output.
python3 - "$REAL/proxmox/9.1/route_metadata.json" "$REAL/proxmox/9.1/openapi.json" <<'PY' || e2e_fail "PVE 9.1 route topology"
import json, os, sys
m = json.load(open(sys.argv[1]))
routes = {(r["path"], r["method"]): r for r in m["routes"]}
def get(p):
    return routes[(p, "GET")]
for coll, item, param in [("/nodes", "/nodes/{node}", "node"),
                          ("/nodes/{node}/qemu", "/nodes/{node}/qemu/{vmid}", "vmid"),
                          ("/storage", "/storage/{storage}", "storage"),
                          ("/cluster/firewall/groups/{group}", "/cluster/firewall/groups/{group}/{pos}", "pos")]:
    c = get(coll)
    assert c["child"] == {"template": item, "parameter": param}, (coll, c["child"])
    i = get(item)
    assert i["parent"]["template"] == coll and i["parent"]["parameter"] == param, (item, i["parent"])
    assert i["parent"]["item_schema"] is not None, (item, i["parent"])
    assert c["get_kind"] == "array", (coll, c["get_kind"])
    assert i["mounted_path"] == "/api2/json" + item
assert get("/nodes/{node}")["child"] is None or get("/nodes/{node}")["child"]["template"].startswith("/nodes/{node}/{")
assert m["route_count"] == len(m["routes"]) == sum(m["counts_per_method"].values())
keys = [(r["path"], r["method"]) for r in m["routes"]]
assert keys == sorted(keys)
# every schema a route names is stored once
names = {r[k] for r in m["routes"] for k in ("request_schema", "response_schema") if r[k]}
assert names <= set(m["schemas"]), names - set(m["schemas"])
a, b = os.path.getsize(sys.argv[1]), os.path.getsize(sys.argv[2])
print("route_metadata.json %d bytes, openapi.json %d bytes" % (a, b))
assert a < b, "route_metadata.json is not smaller than openapi.json"
PY
e2e_pass
