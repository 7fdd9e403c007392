#!/usr/bin/env bash
# Bad input: one-line error naming the input, exit 1, nothing created or changed.
. "$(dirname "$0")/lib.sh"
e2e_init
e2e_need_fixtures
out="$E2E_TMP/out"
in="$E2E_TMP/in"
mkdir -p "$in"

expect_nothing_written() { # args... ; the output dir must not appear
	e2e_expect_error 1 "$@" --version-tag t --output-dir "$out"
	[ ! -e "$out" ] || e2e_fail "output dir created by a failed run: $*"
}

expect_nothing_written "$in/missing.js" "cannot open" -- --source "$in/missing.js"

printf '<!DOCTYPE html><html><head><title>x</title></head><body>no scripts</body></html>\n' >"$in/index.html"
expect_nothing_written "$in/index.html" "no schema script" -- --source "$in/index.html"

printf '<html><head><script src="extjs/ext-all.js"></script><script src="code.js"></script></head></html>\n' >"$in/viewer.html"
printf 'var x = 1;\nfunction f() { return [1, 2]; }\n' >"$in/code.js"
expect_nothing_written "no schema array" -- --source "$in/viewer.html"
expect_nothing_written "$in/code.js" "no schema array" -- --source "$in/code.js"

head -c 1500000 "$PVECG_FIXTURES/pve-9.1.js" >"$in/truncated.js"
expect_nothing_written "truncated.js" -- --source "$in/truncated.js"

printf '{"capture_version": 1, "endpoints": [' >"$in/raw_capture.json"
expect_nothing_written "$in/raw_capture.json" "invalid JSON" -- --source "$in/raw_capture.json"

# A good run, then a bad one into the same place: the first stays byte-identical.
e2e_run o e rc -- --quiet --source "$PVECG_FIXTURES/pbs-4.js" --version-tag t --output-dir "$out"
[ "$rc" = 0 ] || e2e_fail "good run failed: $e"
before=$(e2e_tree_digest "$out")
e2e_expect_error 1 "truncated.js" -- --source "$in/truncated.js" --version-tag t --output-dir "$out"
[ "$(e2e_tree_digest "$out")" = "$before" ] || e2e_fail "a failed run changed the previous output"
[ -z "$(find "$out" -maxdepth 1 -name '.*tmp*')" ] || e2e_fail "temporary directory left behind"

# Usage errors exit 2.
e2e_expect_error 2 "--version-tag" '"../x"' -- --version-tag ../x --source "$in/code.js"
e2e_expect_error 2 "--bogus" -- --bogus
e2e_expect_error 2 "--product" -- --product pxe
e2e_pass
