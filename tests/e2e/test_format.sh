#!/usr/bin/env bash
# The C sources match .clang-format (scripts/format.sh --check). The check
# first has to fail on a badly formatted file, to show that it can.
. "$(dirname "$0")/lib.sh"
e2e_init
command -v clang-format >/dev/null || e2e_fail "clang-format is not installed (scripts/deps.sh installs it)"
printf 'int  f( void ){return 0;}\n' >"$E2E_TMP/bad.c"
cp "$PVECG_SOURCE_DIR/.clang-format" "$E2E_TMP/.clang-format"
clang-format --dry-run -Werror "$E2E_TMP/bad.c" 2>/dev/null && e2e_fail "a badly formatted file passed"
out=$(cd "$PVECG_SOURCE_DIR" && scripts/format.sh --check 2>&1) || e2e_fail "format drift: $out"
e2e_pass
