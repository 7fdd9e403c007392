#!/usr/bin/env bash
# Generated models as installed packages, two products in one program:
# - the PVE 9.1 and PBS 4 trees carry byte-identical runtime copies;
# - each tree's models/CMakeLists.txt builds and `cmake --install`s into
#   one temporary prefix: the runtime once (libpvecg_rt.so.ABI and .a,
#   PvecgRt package, pvecg_rt.pc), each aggregate without the runtime in it
#   (libpve_models.a, libpbs_models.a, PveModels / PbsModels packages,
#   pve_models.pc / pbs_models.pc);
# - a C program (tests/models/two_products.c) links both aggregates and the
#   one runtime, found once with find_package() and once with pkg-config,
#   and parses a recorded GET /nodes response with the PVE models and a
#   recorded GET /version response with the PBS models, checking values.
. "$(dirname "$0")/lib.sh"
e2e_init
e2e_need_fixtures
e2e_need_cmd gcc
e2e_need_cmd cmake
e2e_need_cmd nm
e2e_need_cmd pkg-config
pkg-config --exists libcjson || e2e_skip "libcjson development files are not installed"

SRC=${PVECG_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
RESP=$SRC/tests/fixtures/responses
PREFIX=$E2E_TMP/prefix
ABI=$(sed -n 's/^#define PVECG_RT_ABI \([0-9]*\)$/\1/p' "$SRC/src/runtime/pvecg_rt.h")
[ -n "$ABI" ] || e2e_fail "no PVECG_RT_ABI in src/runtime/pvecg_rt.h"

# --- generate the two trees ------------------------------------------------
gen() { # fixture tag
	"$PVECG_BIN" --source "$PVECG_FIXTURES/$1.js" --version-tag "$2" \
	    --output-dir "$E2E_TMP/out" >"$E2E_TMP/gen.out" 2>&1 ||
		e2e_fail "generating $1: $(cat "$E2E_TMP/gen.out")"
}
gen pve-9.1 9.1
gen pbs-4 4
PVE=$E2E_TMP/out/9.1
PBS=$E2E_TMP/out/4
[ -f "$PVE/pve_models.h" ] && [ -f "$PBS/pbs_models.h" ] || e2e_fail "aggregates missing: $(ls "$E2E_TMP/out"/*)"

n=0
for f in "$PVE"/models/pvecg_rt*; do
	cmp -s "$f" "$PBS/models/$(basename "$f")" || e2e_fail "runtime copies differ: $(basename "$f")"
	n=$((n + 1))
done
[ "$n" = 5 ] || e2e_fail "expected 5 runtime files, found $n"
[ "$(ls "$PBS"/models/pvecg_rt* | wc -l)" = 5 ] || e2e_fail "PBS tree has other runtime files"

# --- build and install both trees into one prefix --------------------------------
for tree in "$PVE" "$PBS"; do
	name=$(basename "$tree")
	cmake -S "$tree/models" -B "$E2E_TMP/build-$name" -DCMAKE_BUILD_TYPE=Release \
	    -DCMAKE_C_FLAGS="-Wall -Wextra -Werror -pedantic" \
	    -DCMAKE_INSTALL_PREFIX="$PREFIX" -DCMAKE_INSTALL_LIBDIR=lib \
	    >"$E2E_TMP/cmake-$name.log" 2>&1 ||
		e2e_fail "configuring $name: $(tail -5 "$E2E_TMP/cmake-$name.log")"
	cmake --build "$E2E_TMP/build-$name" -j2 >>"$E2E_TMP/cmake-$name.log" 2>&1 ||
		e2e_fail "building $name: $(grep -m5 -E 'error|Error' "$E2E_TMP/cmake-$name.log")"
	cmake --install "$E2E_TMP/build-$name" >>"$E2E_TMP/cmake-$name.log" 2>&1 ||
		e2e_fail "installing $name: $(tail -5 "$E2E_TMP/cmake-$name.log")"
done

for f in lib/libpvecg_rt.so.$ABI lib/libpvecg_rt.a lib/libpve_models.a lib/libpbs_models.a \
    lib/libpve_models_nodes.so lib/libpbs_models_admin.so \
    lib/cmake/PvecgRt/PvecgRtConfig.cmake lib/cmake/PvecgRt/PvecgRtConfigVersion.cmake \
    lib/cmake/PveModels/PveModelsConfig.cmake lib/cmake/PbsModels/PbsModelsConfig.cmake \
    lib/pkgconfig/pvecg_rt.pc lib/pkgconfig/pve_models.pc lib/pkgconfig/pbs_models.pc \
    include/pvecg_rt/pvecg_rt.h include/pvecg_rt/pvecg_rt_propstr.h \
    include/pve_models/pve_models.h include/pve_models/models/nodes.h \
    include/pbs_models/pbs_models.h include/pbs_models/models/version.h \
    share/pve_models/model_index.json share/pbs_models/model_index.json; do
	[ -f "$PREFIX/$f" ] || e2e_fail "not installed: $f"
done
[ "$(readlink "$PREFIX/lib/libpvecg_rt.so")" = "libpvecg_rt.so.$ABI" ] ||
	e2e_fail "libpvecg_rt.so does not point at libpvecg_rt.so.$ABI"
[ ! -e "$PREFIX/include/pve_models/models/pvecg_rt.h" ] || e2e_fail "runtime header installed beside the models"

# The aggregates hold models only: no runtime code in them.
for a in pve_models pbs_models; do
	rt=$(nm -g --defined-only "$PREFIX/lib/lib$a.a" | awk '$3 ~ /^pvecg_rt_/ { print $3 }' | head -3)
	[ -z "$rt" ] || e2e_fail "lib$a.a defines runtime symbols: $rt"
	nm -g --defined-only "$PREFIX/lib/lib$a.a" | grep -q " ${a}_find$" || e2e_fail "lib$a.a lacks ${a}_find"
done
# The runtime exports only pvecg_rt_* functions.
other=$(nm -D --defined-only "$PREFIX/lib/libpvecg_rt.so.$ABI" |
    awk '$2 ~ /^[A-Z]$/ && $3 !~ /^pvecg_rt_/ && $3 !~ /^_/ { print $3 }' | head -3)
[ -z "$other" ] || e2e_fail "libpvecg_rt.so exports $other"

# --- a program using both products: find_package ------------------------------
CONSUMER=$E2E_TMP/consumer
mkdir -p "$CONSUMER"
cp "$SRC/tests/models/two_products.c" "$CONSUMER/"
cat >"$CONSUMER/CMakeLists.txt" <<'EOF'
cmake_minimum_required(VERSION 3.13)
project(two_products C)
set(CMAKE_C_STANDARD 11)
find_package(PveModels 9.1 REQUIRED)
find_package(PbsModels 4 REQUIRED)
add_executable(two_products two_products.c)
target_link_libraries(two_products PRIVATE PveModels::pve_models PbsModels::pbs_models)
EOF
cmake -S "$CONSUMER" -B "$CONSUMER/build" -DCMAKE_PREFIX_PATH="$PREFIX" \
    -DCMAKE_C_FLAGS="-Wall -Wextra -Werror -pedantic -g -fsanitize=address,undefined -fno-sanitize-recover=all" \
    >"$E2E_TMP/consumer.log" 2>&1 || e2e_fail "configuring the consumer: $(tail -5 "$E2E_TMP/consumer.log")"
cmake --build "$CONSUMER/build" >>"$E2E_TMP/consumer.log" 2>&1 ||
	e2e_fail "building the consumer: $(grep -m5 -E 'error|Error' "$E2E_TMP/consumer.log")"
# one runtime, the shared one from the prefix
needed=$(readelf -d "$CONSUMER/build/two_products" 2>/dev/null | grep -c 'NEEDED.*libpvecg_rt\.so')
[ "$needed" = 1 ] || e2e_fail "the consumer does not need libpvecg_rt.so exactly once ($needed)"
"$CONSUMER/build/two_products" "$RESP/005.json" "$RESP/001.json" >"$E2E_TMP/fp.out" 2>&1 ||
	e2e_fail "find_package consumer: $(cat "$E2E_TMP/fp.out")"
want="646 + 367 operations, runtime ABI $ABI
pve 9.1 get_nodes: 4 nodes, node1 maxmem 33568288768
pbs 4 get_version: version 7.2-3 release 7.2 repoid c743d6c1"
[ "$(cat "$E2E_TMP/fp.out")" = "$want" ] || e2e_fail "find_package consumer printed: $(cat "$E2E_TMP/fp.out")"
ldd "$CONSUMER/build/two_products" | grep -q "libpvecg_rt.so.$ABI => $PREFIX/lib/" ||
	e2e_fail "the consumer does not load the installed runtime: $(ldd "$CONSUMER/build/two_products" | grep pvecg)"

# --- the same with pkg-config -----------------------------------------------------
export PKG_CONFIG_PATH=$PREFIX/lib/pkgconfig
pkg-config --exists pve_models pbs_models || e2e_fail "pkg-config does not find the packages"
[ "$(pkg-config --modversion pvecg_rt)" = "$ABI" ] || e2e_fail "pvecg_rt.pc version"
[ "$(pkg-config --modversion pve_models)" = 9.1 ] || e2e_fail "pve_models.pc version"
libs=$(pkg-config --libs pve_models pbs_models)
for l in -lpve_models -lpbs_models -lpvecg_rt; do
	# shellcheck disable=SC2086
	[ "$(printf '%s\n' $libs | grep -cx -- "$l")" = 1 ] || e2e_fail "pkg-config --libs does not list $l once: $libs"
done
# shellcheck disable=SC2046
gcc -std=c11 -Wall -Wextra -Werror -pedantic $(pkg-config --cflags pve_models pbs_models) \
    "$SRC/tests/models/two_products.c" -o "$E2E_TMP/two_products_pc" $libs \
    -Wl,-rpath,"$PREFIX/lib" 2>"$E2E_TMP/pc.log" || e2e_fail "pkg-config consumer: $(head -5 "$E2E_TMP/pc.log")"
"$E2E_TMP/two_products_pc" "$RESP/005.json" "$RESP/001.json" >"$E2E_TMP/pc.out" 2>&1 ||
	e2e_fail "pkg-config consumer: $(cat "$E2E_TMP/pc.out")"
[ "$(cat "$E2E_TMP/pc.out")" = "$want" ] || e2e_fail "pkg-config consumer printed: $(cat "$E2E_TMP/pc.out")"

echo "installed: $(cd "$PREFIX" && find . -type f | wc -l) files; both consumers parsed PVE get_nodes and PBS get_version"
e2e_pass
