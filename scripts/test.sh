#!/usr/bin/env bash
# Installs what is missing, builds with gcc and clang (-Werror), runs every
# test with gcc, then again under AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
fixtures=${PVECG_FIXTURES:-$(cd .. && pwd)/shared/fixtures/apidoc}
if [ ! -f "$fixtures/pve-9.1.js" ]; then
  echo "error: the viewer fixtures are missing: $fixtures (set PVECG_FIXTURES)" >&2
  exit 1
fi
scripts/deps.sh
if [ -f tests/npm/package-lock.json ]; then
  (cd tests/npm && npm ci --no-audit --no-fund --loglevel=error)
fi
jobs=$(nproc)
build() { # dir, extra cmake args...
  local dir=$1; shift
  cmake -S . -B "$dir" -DPVECG_FIXTURES="$fixtures" "$@" >/dev/null
  cmake --build "$dir" -j"$jobs"
}
build build-clang -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Release
build build -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=Release
ctest --test-dir build --output-on-failure -j"$jobs"
build build-asan -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=Debug -DPVECG_SANITIZE=ON
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs" -LE no-sanitizer
# libFuzzer harnesses, 60 s each (PVECG_FUZZ_SECONDS to change; 0 skips).
if [ "${PVECG_FUZZ_SECONDS:-60}" != 0 ]; then
  tests/fuzz/run.sh "${PVECG_FUZZ_SECONDS:-60}"
fi
