#!/usr/bin/env bash
# Hardening of the CLI against hostile input, with the real binary:
# - version tags that could name the tool's own lock/temporary files or
#   start with '.' are refused (exit 2) and nothing is written;
# - route groups with hostile names ("2fa", "ünï", "--", "c*/d", "int")
#   give C identifiers that compile with gcc -Werror -pedantic;
# - --js-memory bounds the whole script stage: peak RSS of a 32 MiB
#   `1;1;...` script with --js-memory 16M stays under limit + 2 x input +
#   64 MiB (measured with /usr/bin/time -v);
# - --also-latest refuses to replace a real `latest` folder holding files it
#   did not write, and still replaces a link or its own tree;
# - a version directory that is a symlink to a folder outside the root does
#   not get hard links to the files there.
. "$(dirname "$0")/lib.sh"
e2e_init
e2e_need_cmd gcc
e2e_need_cmd pkg-config
pkg-config --exists libcjson || e2e_skip "libcjson development files are not installed"
[ -x /usr/bin/time ] || e2e_skip "/usr/bin/time is not installed (Debian package time)"

# A small viewer script whose route groups carry hostile names.
python3 - "$E2E_TMP/hostile.js" <<'PY'
import json, sys
names = ["2fa", "9", "a-b", "_x", "\u00fcn\u00ef", "x y", "int", "for", "Q.R", "--",
         "c*/d", "2fa_g", "z\"z", "version"]
nodes = [{"path": "/" + n, "text": n, "leaf": 1, "info": {"GET": {
    "method": "GET", "name": "index", "description": "hostile group",
    "parameters": {"additionalProperties": 0,
                   "properties": {"n": {"type": "integer", "optional": 1}}},
    "returns": {"type": "object", "properties": {"v": {"type": "string"}}}}}}
    for n in names]
open(sys.argv[1], "w", encoding="utf-8").write(
    "const apiSchema = " + json.dumps(nodes, ensure_ascii=False) + ";\n")
PY
SRCJS=$E2E_TMP/hostile.js

# --- version tags (CLI; serve uses the same check) ---------------------------
out=$E2E_TMP/tags
mkdir -p "$out"
for tag in .9.1.lock .latest.tmp-1 .. . .hidden -x _x 9.1.lock 9.1.LOCK latest.tmp-4 9..1; do
	e2e_expect_error 2 "--version-tag" -- --source "$SRCJS" --product pve \
		--version-tag "$tag" --output-dir "$out"
done
[ -z "$(ls -A "$out")" ] || e2e_fail "a refused tag wrote into the output root: $(ls -A "$out")"
e2e_run o e rc -- -q --source "$SRCJS" --product pve --version-tag 9.1-lockdown --output-dir "$out"
[ "$rc" = 0 ] || e2e_fail "tag 9.1-lockdown refused: $e"

# --- hostile route-group names compile ---------------------------------------
e2e_run o e rc -- -q --source "$SRCJS" --product pve --version-tag h --output-dir "$E2E_TMP/h"
[ "$rc" = 0 ] || e2e_fail "generating the hostile capture: $e"
V=$E2E_TMP/h/h
[ -f "$V/models/g_2fa.h" ] && [ -f "$V/models/g_9.c" ] ||
	e2e_fail "groups 2fa and 9 lack their shards g_2fa / g_9: $(ls "$V/models")"
CJ=$(pkg-config --cflags libcjson)
n=0
for f in "$V"/models/*.c "$V"/pve_models.c; do
	gcc -std=c11 -Wall -Wextra -Werror -pedantic -I "$V/models" -I "$V" $CJ -c "$f" \
		-o "$E2E_TMP/obj.o" 2>"$E2E_TMP/cc.err" ||
		e2e_fail "$(basename "$f") does not compile: $(head -5 "$E2E_TMP/cc.err")"
	n=$((n + 1))
done
[ "$n" -ge 15 ] || e2e_fail "compiled only $n units"
python3 - "$V/model_index.json" <<'PY' || e2e_fail "model_index.json groups of the hostile capture"
import json, re, sys
idx = json.load(open(sys.argv[1]))
groups = {e["group"] for e in idx["operations"].values()}
assert {"2fa", "9", "--", "int"} <= groups, groups
for stem in idx["shards"]:
    assert re.fullmatch(r"[a-z][a-z0-9_]*", stem), stem
PY

# --- --js-memory bounds the whole script stage -------------------------------
python3 -c 'import sys; sys.stdout.write("1;" * (16 << 20))' >"$E2E_TMP/ones.js"
IN_KB=$(( $(stat -c %s "$E2E_TMP/ones.js") / 1024 ))
BOUND_KB=$(( 16 * 1024 + 2 * IN_KB + 64 * 1024 ))
# Under AddressSanitizer, its quarantine keeps up to 256 MiB of freed blocks
# on purpose; it is capped here so the bound measures the program's memory
# (no effect on a normal build).
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=16" \
/usr/bin/time -v -o "$E2E_TMP/time.txt" "$PVECG_BIN" -q --source "$E2E_TMP/ones.js" \
	--js-memory 16M --js-timeout 3 --version-tag ones --output-dir "$E2E_TMP/ones" \
	>/dev/null 2>"$E2E_TMP/ones.err"
rc=$?
PEAK_KB=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$E2E_TMP/time.txt")
echo "peak RSS ${PEAK_KB} KB for a 32 MiB '1;' script, --js-memory 16M (bound ${BOUND_KB} KB)"
[ -n "$PEAK_KB" ] || e2e_fail "no peak RSS from /usr/bin/time: $(cat "$E2E_TMP/time.txt")"
[ "$PEAK_KB" -le "$BOUND_KB" ] || e2e_fail "peak RSS ${PEAK_KB} KB exceeds ${BOUND_KB} KB"
[ "$rc" = 1 ] || e2e_fail "the 32 MiB script: exit $rc, want 1 (no schema, time or memory limit)"
[ "$(wc -l <"$E2E_TMP/ones.err")" = 1 ] && grep -q "ones.js" "$E2E_TMP/ones.err" ||
	e2e_fail "the 32 MiB script: not one line naming the input: $(head -3 "$E2E_TMP/ones.err")"
[ ! -e "$E2E_TMP/ones/ones" ] || e2e_fail "the failed run wrote output"

# --- --also-latest and a real latest folder -----------------------------------
L=$E2E_TMP/lat
mkdir -p "$L/latest"
echo "my notes" >"$L/latest/notes.txt"
e2e_expect_error 1 "latest" "notes.txt" "refusing to replace it" -- --source "$SRCJS" \
	--product pve --version-tag 1.0 --also-latest --output-dir "$L"
[ "$(cat "$L/latest/notes.txt")" = "my notes" ] || e2e_fail "the user's latest folder was touched"
[ ! -e "$L/1.0" ] || e2e_fail "the refused run wrote 1.0"
e2e_expect_error 1 "latest" "notes.txt" -- --source "$SRCJS" \
	--product pve --version-tag 1.0 --also-latest --latest-mode copy --output-dir "$L"
[ "$(cat "$L/latest/notes.txt")" = "my notes" ] || e2e_fail "copy mode touched the user's latest folder"
rm -r "$L/latest"
# its own copy is replaced by a link, and a link by a link
e2e_run o e rc -- -q --source "$SRCJS" --product pve --version-tag 1.0 --also-latest \
	--latest-mode copy --output-dir "$L"
[ "$rc" = 0 ] && [ -f "$L/latest/openapi.json" ] && [ ! -L "$L/latest" ] || e2e_fail "latest copy: $e"
e2e_run o e rc -- -q --source "$SRCJS" --product pve --version-tag 1.1 --also-latest --output-dir "$L"
[ "$rc" = 0 ] && [ "$(readlink "$L/latest")" = 1.1 ] || e2e_fail "replacing the tool's own latest copy: $e"
e2e_run o e rc -- -q --source "$SRCJS" --product pve --version-tag 1.2 --also-latest --output-dir "$L"
[ "$rc" = 0 ] && [ "$(readlink "$L/latest")" = 1.2 ] || e2e_fail "replacing the latest link: $e"

# --- a version directory linked to a folder outside the root -----------------
R=$E2E_TMP/root
OUTSIDE=$E2E_TMP/outside
e2e_run o e rc -- -q --source "$SRCJS" --product pve --version-tag v --output-dir "$OUTSIDE"
[ "$rc" = 0 ] || e2e_fail "generating the outside tree: $e"
mkdir -p "$R"
ln -s "$OUTSIDE/v" "$R/v"
e2e_run o e rc -- -q --source "$SRCJS" --product pve --version-tag v --output-dir "$R"
[ "$rc" = 0 ] || e2e_fail "regenerating through the link: $e"
[ -d "$R/v" ] && [ ! -L "$R/v" ] || e2e_fail "the version is not a real directory now"
SHARED=$(find "$OUTSIDE" -type f -links +1 | wc -l)
[ "$SHARED" = 0 ] || e2e_fail "$SHARED file(s) outside the root got hard links into it"
# a real version directory still lends its unchanged files (same inode)
INO0=$(stat -c %i "$R/v/openapi.json")
e2e_run o e rc -- -q --source "$SRCJS" --product pve --version-tag v --output-dir "$R"
[ "$rc" = 0 ] || e2e_fail "regenerating v: $e"
[ "$(stat -c %i "$R/v/openapi.json")" = "$INO0" ] ||
	e2e_fail "an unchanged file of a real version directory was not hard-linked"
e2e_pass
