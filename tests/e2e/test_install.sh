#!/usr/bin/env bash
# `cmake --install` of the tool into a DESTDIR holds exactly the binary, the
# man page and the JSON Schemas of the artifacts (every file of schemas/),
# and the installed binary runs.
. "$(dirname "$0")/lib.sh"
e2e_init
e2e_need_cmd cmake

SRC=${PVECG_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${PVECG_BUILD_DIR:-$(dirname "$PVECG_BIN")}
[ -f "$BUILD/cmake_install.cmake" ] || e2e_fail "no cmake_install.cmake in $BUILD"

DEST=$E2E_TMP/dest
DESTDIR=$DEST cmake --install "$BUILD" --prefix /opt/pvecg >"$E2E_TMP/install.log" 2>&1 ||
	e2e_fail "cmake --install: $(tail -5 "$E2E_TMP/install.log")"

{
	echo opt/pvecg/bin/proxmox-sdk-codegen
	echo opt/pvecg/share/man/man1/proxmox-sdk-codegen.1
	(cd "$SRC/schemas" && find . -type f | sed 's|^\./|opt/pvecg/share/proxmox-sdk-codegen/schemas/|')
} | LC_ALL=C sort >"$E2E_TMP/want"
(cd "$DEST" && find . -type f -o -type l | sed 's|^\./||' | LC_ALL=C sort) >"$E2E_TMP/got"
diff -u "$E2E_TMP/want" "$E2E_TMP/got" >"$E2E_TMP/diff" ||
	e2e_fail "installed files differ from binary + man page + schemas: $(cat "$E2E_TMP/diff")"
[ "$(wc -l <"$E2E_TMP/got")" -ge 3 ] || e2e_fail "too few files installed"

for f in $(cd "$SRC/schemas" && find . -type f); do
	cmp -s "$SRC/schemas/$f" "$DEST/opt/pvecg/share/proxmox-sdk-codegen/schemas/$f" ||
		e2e_fail "installed schema $f differs from schemas/$f"
done
cmp -s "$SRC/doc/proxmox-sdk-codegen.1" "$DEST/opt/pvecg/share/man/man1/proxmox-sdk-codegen.1" ||
	e2e_fail "installed man page differs"
[ -x "$DEST/opt/pvecg/bin/proxmox-sdk-codegen" ] || e2e_fail "installed binary is not executable"
"$DEST/opt/pvecg/bin/proxmox-sdk-codegen" --help >"$E2E_TMP/help" 2>&1 ||
	e2e_fail "installed binary --help: $(head -3 "$E2E_TMP/help")"
grep -q -- '--source' "$E2E_TMP/help" || e2e_fail "installed binary --help lacks --source"
echo "installed $(wc -l <"$E2E_TMP/got") files: binary, man page, $(($(wc -l <"$E2E_TMP/got") - 2)) schemas"
e2e_pass
