#!/usr/bin/env bash
# Installs what is missing, builds with gcc and clang (-Werror), runs every
# test with gcc, then again under AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
fixtures=${PVECG_FIXTURES:-$(pwd)/tests/fixtures/apidoc}
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
  cmake -S . -B "$dir" -DPVECG_TESTS=ON -DPVECG_FIXTURES="$fixtures" "$@" >/dev/null
  cmake --build "$dir" -j"$jobs"
}
build build-clang -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Release
build build -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=Release
summary=$(mktemp)
trap 'rm -f "$summary"' EXIT
ctest --test-dir build --output-on-failure -j"$jobs" | tee -a "$summary"
build build-asan -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=Debug -DPVECG_SANITIZE=ON
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs" -LE no-sanitizer | tee -a "$summary"
# libFuzzer harnesses, 60 s each (PVECG_FUZZ_SECONDS to change; 0 skips).
if [ "${PVECG_FUZZ_SECONDS:-60}" != 0 ]; then
  tests/fuzz/run.sh "${PVECG_FUZZ_SECONDS:-60}" | tee -a "$summary"
fi
# One closing line over both ctest runs and the fuzzers (set -o pipefail
# above already stopped on any failure).
passed=$(grep -o 'tests failed out of [0-9]*' "$summary" | awk '{n += $5} END {print n + 0}')
fuzzed=$(grep -c '^fuzz: .*no crash' "$summary" || true)
echo "all: $((passed + fuzzed)) passed, 0 failed"
