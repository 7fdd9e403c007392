#!/usr/bin/env bash
# The repository carries its own test data: every fixture the tests read is
# under tests/fixtures/, byte for byte as listed in SOURCES.md, and no file in
# the repository points at a folder outside it.
. "$(dirname "$0")/lib.sh"
e2e_init
src=${PVECG_SOURCE_DIR:?}
fx=$src/tests/fixtures
for f in pve-8.4.js pve-9.1.js pbs-4.js; do
	[ -f "$fx/apidoc/$f" ] || e2e_fail "tests/fixtures/apidoc/$f is missing"
	sum=$(sha256sum "$fx/apidoc/$f" | cut -d' ' -f1)
	grep -q "\`$f\` .*\`$sum\`" "$fx/apidoc/SOURCES.md" ||
		e2e_fail "tests/fixtures/apidoc/$f: SHA-256 $sum is not the one in SOURCES.md"
done
[ -f "$fx/responses/README.md" ] || e2e_fail "tests/fixtures/responses/README.md is missing"
n=$(ls "$fx/responses"/*.json | wc -l)
[ "$n" -ge 40 ] || e2e_fail "tests/fixtures/responses holds $n recordings, expected at least 40"
# The pattern is built from two halves so this file does not match itself.
needle="shared/""fixtures"
hits=$(cd "$src" && git ls-files -z 2>/dev/null | xargs -0 grep -l -I -e "$needle" -e '\.\./shared' -- 2>/dev/null || true)
if [ -z "$(cd "$src" && git ls-files 2>/dev/null | head -1)" ]; then
	hits=$(cd "$src" && grep -rlI --exclude-dir=.git --exclude-dir=node_modules \
		--exclude-dir='build*' -e "$needle" -e '\.\./shared' . || true)
fi
[ -z "$hits" ] || e2e_fail "files refer to a folder outside the repository: $hits"
e2e_pass
