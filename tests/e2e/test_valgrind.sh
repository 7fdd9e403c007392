#!/usr/bin/env bash
# valgrind memcheck over the full pipeline for every fixture (the script
# sandbox child included): 0 errors, 0 bytes definitely lost.
. "$(dirname "$0")/lib.sh"
e2e_init
e2e_need_fixtures
e2e_need_cmd valgrind
for f in pve-9.1.js pve-8.4.js pbs-4.js; do
	log="$E2E_TMP/$f.vg"
	valgrind --tool=memcheck --leak-check=full --errors-for-leak-kinds=definite \
		--error-exitcode=99 --trace-children=no --child-silent-after-fork=no \
		--log-file="$log" "$PVECG_BIN" --quiet --workers 2 --source "$PVECG_FIXTURES/$f" \
		--version-tag vg --output-dir "$E2E_TMP/out-$f"
	rc=$?
	[ "$rc" = 0 ] || e2e_fail "$f: exit $rc under valgrind: $(grep -E 'ERROR SUMMARY|definitely|Invalid' "$log" | head -5)"
	grep -q "ERROR SUMMARY: 0 errors" "$log" || e2e_fail "$f: valgrind errors: $(grep 'ERROR SUMMARY' "$log")"
	if grep -q "definitely lost: [1-9]" "$log"; then
		e2e_fail "$f: $(grep 'definitely lost' "$log" | head -1)"
	fi
	echo "$f: $(grep 'ERROR SUMMARY' "$log" | head -1 | sed 's/==[0-9]*== //')"
done
e2e_pass
