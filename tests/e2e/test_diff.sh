#!/usr/bin/env bash
# `diff` on the checked-in PVE 8.4 -> 9.1 pair: its summary counts match
# counts computed independently (diff_counts.py) from the two openapi.json
# files, the JSON validates against schemas/diff.schema.json with Ajv, the
# output is deterministic and the same from raw_capture.json, the checked-in
# CHANGES-8.4-9.1.md is current, --breaking-only and --fail-on work, and
# bad input gives one line and a non-zero exit.
. "$(dirname "$0")/lib.sh"
e2e_init
NPM_DIR="$PVECG_SOURCE_DIR/tests/npm"
[ -d "$NPM_DIR/node_modules/ajv" ] || e2e_skip "ajv is not installed (run: npm ci --prefix tests/npm)"
e2e_need_cmd node
G="$PVECG_SOURCE_DIR/generated/proxmox"
OLD="$G/8.4" NEW="$G/9.1"
[ -f "$OLD/openapi.json" ] && [ -f "$NEW/openapi.json" ] || e2e_fail "generated/proxmox/8.4 and 9.1 are not checked in"

# Markdown and JSON, timed.
t0=$(date +%s%N)
"$PVECG_BIN" diff "$OLD" "$NEW" >"$E2E_TMP/changes.md" || e2e_fail "diff (md) failed"
t1=$(date +%s%N)
"$PVECG_BIN" diff "$OLD" "$NEW" --format json >"$E2E_TMP/changes.json" || e2e_fail "diff (json) failed"
echo "diff 8.4 -> 9.1 (Markdown): $(( (t1 - t0) / 1000000 )) ms"
[ $(( (t1 - t0) / 1000000 )) -lt 10000 ] || e2e_fail "diff took $(( (t1 - t0) / 1000000 )) ms"

# Summary counts against the independent count.
python3 "$(dirname "$0")/diff_counts.py" "$OLD/openapi.json" "$NEW/openapi.json" >"$E2E_TMP/want.txt" ||
	e2e_fail "diff_counts.py failed"
python3 - "$E2E_TMP/changes.json" >"$E2E_TMP/got.txt" <<'PY' || e2e_fail "cannot read the JSON summary"
import json, sys
s = json.load(open(sys.argv[1]))["summary"]
for k in ("operations_old", "operations_new", "operations_added", "operations_removed",
          "parameters_added", "parameters_removed", "parameters_changed"):
    print(k, s[k])
PY
diff -u "$E2E_TMP/want.txt" "$E2E_TMP/got.txt" >"$E2E_TMP/counts.diff" ||
	e2e_fail "summary counts differ from the independent count:
$(cat "$E2E_TMP/counts.diff")"
# The pair really differs: these are the numbers of the 8.4 -> 9.1 fixtures.
grep -qx "operations_added 42" "$E2E_TMP/want.txt" && grep -qx "operations_removed 1" "$E2E_TMP/want.txt" ||
	e2e_fail "unexpected operation counts: $(cat "$E2E_TMP/want.txt")"
# The Markdown header carries the same counts.
grep -qx "| Operations added | 42 |" "$E2E_TMP/changes.md" &&
	grep -qx "| Parameters changed | $(sed -n 's/^parameters_changed //p' "$E2E_TMP/want.txt") |" "$E2E_TMP/changes.md" ||
	e2e_fail "Markdown counts differ: $(head -14 "$E2E_TMP/changes.md")"
grep -qx -- '- \*\*breaking\*\*: `GET /nodes/{node}/scan/glusterfs` (`get_nodes_node_scan_glusterfs`)' "$E2E_TMP/changes.md" ||
	e2e_fail "the removed operation is not listed as breaking"

# The JSON validates against its schema (Ajv, 2020-12, strict).
node --input-type=module - "$PVECG_SOURCE_DIR/schemas/diff.schema.json" "$E2E_TMP/changes.json" \
	>"$E2E_TMP/ajv.out" 2>&1 <<JS || e2e_fail "Ajv rejects the diff JSON: $(head -20 "$E2E_TMP/ajv.out")"
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
const require = createRequire("$NPM_DIR/package.json");
const Ajv2020 = require("ajv/dist/2020.js").default;
const [schema, doc] = process.argv.slice(2).map((f) => JSON.parse(readFileSync(f, "utf8")));
const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
const validate = ajv.compile(schema);
if (!validate(doc)) { console.log(JSON.stringify(validate.errors, null, 1)); process.exit(1); }
if (doc.changes.length < 100) { console.log("only " + doc.changes.length + " changes"); process.exit(1); }
JS

# Deterministic, and the same from the raw captures (built in memory) and from tags.
"$PVECG_BIN" diff "$OLD/raw_capture.json" "$NEW/raw_capture.json" >"$E2E_TMP/raw.md" || e2e_fail "diff of raw captures failed"
cmp -s "$E2E_TMP/raw.md" "$E2E_TMP/changes.md" || e2e_fail "raw_capture.json input gives another changelog"
"$PVECG_BIN" diff 8.4 9.1 --output-dir "$G" >"$E2E_TMP/tags.md" || e2e_fail "diff by tag failed"
cmp -s "$E2E_TMP/tags.md" "$E2E_TMP/changes.md" || e2e_fail "tags give another changelog"
"$PVECG_BIN" diff "$OLD" "$NEW" --format json >"$E2E_TMP/again.json" || e2e_fail "second run failed"
cmp -s "$E2E_TMP/again.json" "$E2E_TMP/changes.json" || e2e_fail "two runs differ"

# Shapes do not matter: the same versions rewritten with property-string
# components, explicit indexed members and wire-form response types
# (diff_reshape.py) give no change against themselves and the same changelog.
python3 "$(dirname "$0")/diff_reshape.py" "$OLD/openapi.json" "$E2E_TMP/old-reshaped.json" &&
	python3 "$(dirname "$0")/diff_reshape.py" "$NEW/openapi.json" "$E2E_TMP/new-reshaped.json" ||
	e2e_fail "diff_reshape.py failed"
grep -q '"x-proxmox-property-string"' "$E2E_TMP/new-reshaped.json" && grep -q '"net31"' "$E2E_TMP/new-reshaped.json" &&
	grep -q '"x-proxmox-type": "boolean"' "$E2E_TMP/new-reshaped.json" || e2e_fail "diff_reshape.py changed nothing"
e2e_run out err rc -- diff "$NEW" "$E2E_TMP/new-reshaped.json" --fail-on potential
[ "$rc" = 0 ] || e2e_fail "9.1 against its reshaped self exited $rc: $(printf '%s\n' "$out" | grep '^- ' | head -5) $err"
case "$out" in *"No changes."*) ;; *) e2e_fail "9.1 against its reshaped self: $(printf '%s\n' "$out" | grep '^- ' | head -5)";; esac
"$PVECG_BIN" diff "$E2E_TMP/old-reshaped.json" "$E2E_TMP/new-reshaped.json" >"$E2E_TMP/reshaped.md" &&
	"$PVECG_BIN" diff "$OLD" "$E2E_TMP/new-reshaped.json" >"$E2E_TMP/mixed.md" || e2e_fail "diff of reshaped documents failed"
cmp -s "$E2E_TMP/reshaped.md" "$E2E_TMP/changes.md" || e2e_fail "reshaped documents give another changelog:
$(diff "$E2E_TMP/changes.md" "$E2E_TMP/reshaped.md" | head -20)"
cmp -s "$E2E_TMP/mixed.md" "$E2E_TMP/changes.md" || e2e_fail "8.4 against reshaped 9.1 gives another changelog:
$(diff "$E2E_TMP/changes.md" "$E2E_TMP/mixed.md" | head -20)"

# The checked-in changelog is what the code makes now.
[ -f "$G/CHANGES-8.4-9.1.md" ] || e2e_fail "generated/proxmox/CHANGES-8.4-9.1.md is not checked in (scripts/regenerate.sh)"
cmp -s "$G/CHANGES-8.4-9.1.md" "$E2E_TMP/changes.md" ||
	e2e_fail "generated/proxmox/CHANGES-8.4-9.1.md is stale; run scripts/regenerate.sh"

# scripts/regenerate.sh --check notices a stale changelog (on a copy of the tree).
e2e_need_fixtures
R="$E2E_TMP/repo"
mkdir -p "$R/scripts" "$R/generated"
cp "$PVECG_SOURCE_DIR/scripts/regenerate.sh" "$R/scripts/"
cp -r "$PVECG_SOURCE_DIR/generated/proxmox" "$PVECG_SOURCE_DIR/generated/pbs" "$R/generated/"
PVECG_BIN=$PVECG_BIN PVECG_FIXTURES=$PVECG_FIXTURES "$R/scripts/regenerate.sh" --check --quiet \
	>"$E2E_TMP/regen.out" 2>&1 || e2e_fail "regenerate.sh --check fails on an exact copy: $(cat "$E2E_TMP/regen.out")"
printf '\n' >>"$R/generated/proxmox/CHANGES-8.4-9.1.md"
PVECG_BIN=$PVECG_BIN PVECG_FIXTURES=$PVECG_FIXTURES "$R/scripts/regenerate.sh" --check --quiet \
	>"$E2E_TMP/regen.out" 2>&1 && e2e_fail "regenerate.sh --check missed a changed CHANGES-8.4-9.1.md"
grep -qx "generated/proxmox/CHANGES-8.4-9.1.md: differs" "$E2E_TMP/regen.out" ||
	e2e_fail "the stale changelog is not named: $(cat "$E2E_TMP/regen.out")"
# and without --check it writes the changelog back
PVECG_BIN=$PVECG_BIN PVECG_FIXTURES=$PVECG_FIXTURES "$R/scripts/regenerate.sh" --quiet \
	>"$E2E_TMP/regen.out" 2>&1 || e2e_fail "regenerate.sh failed: $(cat "$E2E_TMP/regen.out")"
cmp -s "$R/generated/proxmox/CHANGES-8.4-9.1.md" "$E2E_TMP/changes.md" || e2e_fail "regenerate.sh did not rewrite the changelog"

# --breaking-only lists only breaking changes; the counts stay.
"$PVECG_BIN" diff "$OLD" "$NEW" --breaking-only --format json >"$E2E_TMP/br.json" || e2e_fail "--breaking-only failed"
python3 - "$E2E_TMP/br.json" "$E2E_TMP/changes.json" <<'PY' || e2e_fail "--breaking-only is wrong"
import json, sys
br, full = (json.load(open(f)) for f in sys.argv[1:])
assert br["breaking_only"] is True
assert br["summary"] == full["summary"], "summary changed"
assert {c["severity"] for c in br["changes"]} == {"breaking"}, "non-breaking change listed"
assert br["changes"] == [c for c in full["changes"] if c["severity"] == "breaking"]
assert len(br["changes"]) == full["summary"]["breaking"] > 0
PY
"$PVECG_BIN" diff "$OLD" "$NEW" --breaking-only >"$E2E_TMP/br.md" || e2e_fail "--breaking-only (md) failed"
grep -q '^- safe:' "$E2E_TMP/br.md" && e2e_fail "--breaking-only Markdown lists safe changes"

# --fail-on: 3 when the level is reached, 0 for a version against itself.
e2e_run out err rc -- diff "$OLD" "$NEW" --fail-on breaking
[ "$rc" = 3 ] || e2e_fail "--fail-on breaking exited $rc: $err"
e2e_run out err rc -- diff "$OLD" "$NEW" --fail-on potential
[ "$rc" = 3 ] || e2e_fail "--fail-on potential exited $rc: $err"
e2e_run out err rc -- diff "$NEW" "$NEW" --fail-on potential
[ "$rc" = 0 ] || e2e_fail "a version against itself exited $rc: $err"
case "$out" in *"No changes."*) ;; *) e2e_fail "no 'No changes.' for identical inputs: $out";; esac

# Bad input: one line naming it, non-zero exit.
printf '{"hello": 1}\n' >"$E2E_TMP/other.json"
printf '{"openapi": ' >"$E2E_TMP/cut.json"
mkdir -p "$E2E_TMP/empty"
e2e_expect_error 1 "$E2E_TMP/other.json" "neither an OpenAPI document nor a raw_capture.json" -- diff "$E2E_TMP/other.json" "$NEW"
e2e_expect_error 1 "$E2E_TMP/cut.json" -- diff "$OLD" "$E2E_TMP/cut.json"
e2e_expect_error 1 "$E2E_TMP/empty" "no openapi.json or raw_capture.json" -- diff "$E2E_TMP/empty" "$NEW"
e2e_expect_error 1 "$E2E_TMP/nope" "no such version directory" -- diff "$E2E_TMP/nope" "$NEW"
e2e_expect_error 1 "OLD is pve and NEW is pbs" -- diff "$OLD" "$PVECG_SOURCE_DIR/generated/pbs/4"
e2e_expect_error 2 "expected OLD and NEW" -- diff "$OLD"
e2e_expect_error 2 "--format" "expected md or json" -- diff "$OLD" "$NEW" --format yaml
e2e_expect_error 2 "--fail-on" "expected breaking or potential" -- diff "$OLD" "$NEW" --fail-on safe
e2e_pass
