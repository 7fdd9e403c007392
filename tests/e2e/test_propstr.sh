#!/usr/bin/env bash
# Property strings and indexed members end to end, with the real binary on
# every fixture:
# - openapi.json: every object format is one component referenced by
#   x-proxmox-property-string (no x-proxmox-format object left); every
#   indexed family of the viewer is enumerated from the maxima table
#   (src/indexed.c) or is on its list of families without a maximum, and
#   where a description states the range ("n is 0 to 30") the table agrees;
#   prints the counts per fixture and the component names;
# - C: parse -> format -> parse of every format with generated strings that
#   use every key, alias and default key (coverage line per format), and
#   invalid strings rejected at their key (tests/models/propstr_roundtrip.c,
#   ASan+UBSan); the recorded qemu/lxc configs and documented examples land
#   in typed fields (tests/models/propstr_configs.c);
# - openapi-typescript types a create-VM body with vmid, net0 and scsi0,
#   and refuses net32 (past the maximum), a numeric net0 and a missing vmid.
. "$(dirname "$0")/lib.sh"
e2e_init
e2e_need_fixtures
e2e_need_cmd gcc
e2e_need_cmd pkg-config
pkg-config --exists libcjson || e2e_skip "libcjson development files are not installed"

SRC=${PVECG_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
MODELS_TESTS=$SRC/tests/models
CJSON_CFLAGS=$(pkg-config --cflags libcjson)
CJSON_LIBS=$(pkg-config --libs libcjson)
STRICT="-std=c11 -Wall -Wextra -Werror -pedantic"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
FIXTURES="pve-9.1 pve-8.4 pbs-4"

# the version tags the fixtures are (8.4, 9.1, 4): the maxima table is per version
for fx in $FIXTURES; do
	"$PVECG_BIN" --quiet --source "$PVECG_FIXTURES/$fx.js" --version-tag "${fx#*-}" \
	    --output-dir "$E2E_TMP/gen/$fx" >"$E2E_TMP/gen.out" 2>&1 ||
		e2e_fail "generating $fx: $(cat "$E2E_TMP/gen.out")"
	mkdir -p "$E2E_TMP/out"
	mv "$E2E_TMP/gen/$fx/${fx#*-}" "$E2E_TMP/out/$fx"
done

# --- openapi.json: components, indexed families, the maxima table -------------
python3 - "$E2E_TMP/out" $FIXTURES <<'EOF' || e2e_fail "openapi.json property strings / indexed families"
import json, re, sys
out, fixtures = sys.argv[1], sys.argv[2:]
bad = []
names = {}
for fx in fixtures:
    doc = json.load(open(f"{out}/{fx}/openapi.json"))
    cap = json.load(open(f"{out}/{fx}/raw_capture.json"))
    schemas = doc["components"]["schemas"]
    formats = sorted(k for k, v in schemas.items() if "x-proxmox-property-string-dialect" in v)
    members = {k: v for k, v in schemas.items() if "x-proxmox-indexed" in v and "x-proxmox-index-max" in v}
    text = json.dumps(doc)
    if '"x-proxmox-format": {' in text:
        bad.append(f"{fx}: an x-proxmox-format object is left inline")
    refs = set(re.findall(r'"x-proxmox-property-string": \{"\$ref": "#/components/schemas/([^"]+)"', text))
    if refs != set(formats):
        bad.append(f"{fx}: referenced formats differ from the components: {sorted(refs ^ set(formats))}")
    # every family of the capture, by the path segment that names its guest
    fams = {}
    def walk(o, path):
        if isinstance(o, dict):
            for k, v in o.items():
                if isinstance(k, str) and k.endswith("[n]") and isinstance(v, dict):
                    segs = [s for s in path.split("/") if s and not s.startswith("{")]
                    if segs and segs[0] == "nodes":
                        segs = segs[1:]
                    m = re.search(r"\(n is 0 to (\d+)\)", v.get("description", ""))
                    fams.setdefault((segs[0] if segs else "", k), set()).add(int(m.group(1)) if m else None)
                walk(v, path)
        elif isinstance(o, list):
            for v in o:
                walk(v, path)
    for ep in cap["endpoints"]:
        walk(ep.get("methods", {}), ep["path"])
    maxima = {}
    for name, v in members.items():
        maxima.setdefault(v["x-proxmox-indexed"], set()).add(v["x-proxmox-index-max"])
    left = sorted(set(re.findall(r'"\^([a-z0-9]+)\\\\d\+\$"', text)))
    for (guest, fam), stated in sorted(fams.items()):
        got = maxima.get(fam)
        if not got:
            bad.append(f"{fx}: {guest} {fam}: neither in the maxima table nor enumerated")
            continue
        for n in stated - {None}:
            if n not in got:
                bad.append(f"{fx}: {guest} {fam}: description says 0 to {n}, table {sorted(got)}")
    if left:
        bad.append(f"{fx}: patternProperties left for {left}")
    print(f"{fx}: {len(formats)} property-string formats, {len({f for _, f in fams})} indexed families "
          f"({len(fams)} with their guest), {len(members)} member schemas, "
          f"{sum(1 for s in fams.values() if s - {None})} checked against a stated range, "
          f"openapi.json {len(open(f'{out}/{fx}/openapi.json', 'rb').read())} bytes, "
          f"route_metadata.json {len(open(f'{out}/{fx}/route_metadata.json', 'rb').read())} bytes")
    print(f"  formats: {' '.join(formats)}")
    names[fx] = set(formats)
# a format kept from one version to the next keeps its name
if "pve-8.4" in names and "pve-9.1" in names and not names["pve-8.4"] <= names["pve-9.1"]:
    bad.append(f"names not kept from 8.4 to 9.1: {sorted(names['pve-8.4'] - names['pve-9.1'])}")
for b in bad:
    print("FAIL", b)
sys.exit(1 if bad else 0)
EOF

# --- C: round trip of every format, typed configs -----------------------------
for fx in $FIXTURES; do
	V=$E2E_TMP/out/$fx
	prefix=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["aggregate_header"][:-2])' "$V/model_index.json")
	gcc $STRICT $SAN -g -O1 $CJSON_CFLAGS -DAGG_HEADER="\"$prefix.h\"" -DAGG_PREFIX="$prefix" \
	    -I"$V" -I"$V/models" "$MODELS_TESTS/propstr_roundtrip.c" "$V/$prefix.c" \
	    "$V/models/pvecg_rt.c" "$V/models/pvecg_rt_propstr.c" \
	    -o "$E2E_TMP/rt-$fx" $CJSON_LIBS -lm 2>"$E2E_TMP/cc.log" ||
		e2e_fail "building propstr_roundtrip for $fx: $(head -5 "$E2E_TMP/cc.log")"
	"$E2E_TMP/rt-$fx" "$fx" >"$E2E_TMP/rt-$fx.out" 2>&1 || {
		cat "$E2E_TMP/rt-$fx.out"
		e2e_fail "property-string round trip of $fx"
	}
	cat "$E2E_TMP/rt-$fx.out"
done
V=$E2E_TMP/out/pve-9.1
gcc $STRICT $SAN -g -O1 $CJSON_CFLAGS -I"$V" -I"$V/models" "$MODELS_TESTS/propstr_configs.c" \
    "$V/pve_models.c" "$V/models/pvecg_rt.c" "$V/models/pvecg_rt_propstr.c" \
    -o "$E2E_TMP/configs" $CJSON_LIBS -lm 2>"$E2E_TMP/cc.log" ||
	e2e_fail "building propstr_configs: $(head -5 "$E2E_TMP/cc.log")"
"$E2E_TMP/configs" "$SRC/tests/fixtures/responses" || e2e_fail "typed configs"

# --- openapi-typescript: a create-VM body ---------------------------------------
nbin=$SRC/tests/npm/node_modules/.bin
if [ ! -x "$nbin/openapi-typescript" ] && command -v npm >/dev/null 2>&1; then
	npm ci --prefix "$SRC/tests/npm" --no-audit --no-fund >/dev/null 2>&1 || e2e_fail "npm ci"
fi
if [ -x "$nbin/openapi-typescript" ] && [ -x "$nbin/tsc" ]; then
	mkdir -p "$E2E_TMP/ts"
	# --default-non-nullable=false: a member with a default stays optional
	"$nbin/openapi-typescript" "$V/openapi.json" -o "$E2E_TMP/ts/api.ts" \
	    --default-non-nullable=false >"$E2E_TMP/ts.log" 2>&1 ||
		e2e_fail "openapi-typescript: $(tail -5 "$E2E_TMP/ts.log")"
	cat >"$E2E_TMP/ts/body.ts" <<'EOF'
import type { components } from "./api";
type CreateVm = components["schemas"]["PostNodesNodeQemuRequest"];
export const ok: CreateVm = { vmid: 100, net0: "virtio,bridge=vmbr0", scsi0: "local-lvm:32", unused255: "local-lvm:vm-100-disk-9" };
// @ts-expect-error net32 is past the maximum of 32 network devices
export const past: CreateVm = { vmid: 100, net32: "virtio" };
// @ts-expect-error net0 travels as a string
export const wrong: CreateVm = { vmid: 100, net0: 1 };
// @ts-expect-error vmid is required
export const novmid: CreateVm = { net0: "virtio" };
export const net: components["schemas"]["PveQemuNet"] = { model: "virtio", bridge: "vmbr0", firewall: true };
EOF
	"$nbin/tsc" --strict --noEmit --target es2020 --module es2020 --moduleResolution node \
	    "$E2E_TMP/ts/body.ts" >"$E2E_TMP/tsc.log" 2>&1 ||
		e2e_fail "tsc on a create-VM body: $(head -10 "$E2E_TMP/tsc.log")"
	echo "openapi-typescript: create-VM body with vmid, net0, scsi0 types; net32, numeric net0, missing vmid refused"
elif [ -n "${CI:-}" ]; then
	e2e_fail "tests/npm/node_modules missing in CI (npm ci)"
else
	echo "note: tests/npm/node_modules missing, openapi-typescript check skipped"
fi
e2e_pass
