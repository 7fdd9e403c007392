#!/usr/bin/env bash
# The man page's OPTIONS section says what --help says (manpage_options.py):
# every entry of --help, in order, with the same tag and description, and
# nothing else. The checker is first shown a page with one word changed and
# one with an entry missing.
. "$(dirname "$0")/lib.sh"
e2e_init
CHECK="$PVECG_SOURCE_DIR/tests/e2e/manpage_options.py"
MAN="$PVECG_SOURCE_DIR/doc/proxmox-sdk-codegen.1"
"$PVECG_BIN" --help >"$E2E_TMP/help.txt" || e2e_fail "--help failed"

sed 's/^connect time cap (default 10)$/connect time cap (default 11)/' "$MAN" >"$E2E_TMP/word.1"
cmp -s "$MAN" "$E2E_TMP/word.1" && e2e_fail "the man page lacks the --connect-timeout line the check edits"
python3 "$CHECK" check "$E2E_TMP/help.txt" "$E2E_TMP/word.1" >"$E2E_TMP/word.out" &&
	e2e_fail "a changed description passed"
grep -q "'--connect-timeout S', 'connect time cap (default 10)'" "$E2E_TMP/word.out" ||
	e2e_fail "changed description: $(cat "$E2E_TMP/word.out")"
awk '/^\\fB\\-\\-insecure\\fR$/ { skip = 1; getline; next } { if (!(skip && $0 == ".TP")) print; skip = 0 }' \
	"$MAN" >"$E2E_TMP/missing.1"
python3 "$CHECK" check "$E2E_TMP/help.txt" "$E2E_TMP/missing.1" >"$E2E_TMP/missing.out" &&
	e2e_fail "a missing entry passed"
grep -q "'--insecure', 'do not verify TLS certificates (dangerous)'" "$E2E_TMP/missing.out" ||
	e2e_fail "missing entry: $(cat "$E2E_TMP/missing.out")"

python3 "$CHECK" check "$E2E_TMP/help.txt" "$MAN" >"$E2E_TMP/out.txt" ||
	e2e_fail "doc/proxmox-sdk-codegen.1 OPTIONS differs from --help ($(cat "$E2E_TMP/out.txt")); \
the section as roff: python3 tests/e2e/manpage_options.py render HELP.txt"
n=$(grep -c '^  [^ ]' "$E2E_TMP/help.txt")
[ "$(cat "$E2E_TMP/out.txt")" = "$n options agree" ] ||
	e2e_fail "--help has $n entries, the check saw: $(cat "$E2E_TMP/out.txt")"
e2e_pass
