#!/usr/bin/env bash
# Builds the libFuzzer harnesses with clang, makes seed corpora from the
# fixture files (nothing is copied into the repository), and runs each
# harness for SECONDS (default 60). Prints executions per harness; exits 1
# on the first crash, leaving the reproducer in the work directory.
# usage: tests/fuzz/run.sh [SECONDS] [harness...]
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-60}
shift || true
fixtures=${PVECG_FIXTURES:-$(pwd)/tests/fixtures/apidoc}
[ -f "$fixtures/pve-9.1.js" ] || { echo "fuzz: fixtures missing: $fixtures" >&2; exit 1; }
build=$(pwd)/build-fuzz
export PVECG_SOURCE_DIR=$(pwd) # harnesses that read repository fixtures
work=${PVECG_FUZZ_DIR:-fuzz-out}
cmake -S . -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DPVECG_FUZZ=ON -DPVECG_TESTS=OFF -DPVECG_WERROR=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null
mkdir -p "$work"
# The runtime harness links a generated tree (PVE 9.1) with the runtime.
"$build/proxmox-sdk-codegen" --quiet --source "$fixtures/pve-9.1.js" --version-tag fuzz \
  --output-dir "$work/gen"
gen="$work/gen/fuzz"
for h in runtime propstr; do
  clang -std=c11 -O1 -g -fsanitize=fuzzer,address,undefined -I"$gen" -I"$gen/models" \
    "tests/fuzz/runtime/fuzz_$h.c" "$gen/pve_models.c" "$gen/models/pvecg_rt.c" \
    "$gen/models/pvecg_rt_propstr.c" -lcjson -lm -o "$build/tests/fuzz/fuzz_$h"
done
python3 tests/fuzz/seeds.py "$fixtures" "$work" "$gen/model_index.json" tests/models/payloads
harnesses=("$@")
[ "${#harnesses[@]}" -gt 0 ] || harnesses=($(cd "$build/tests/fuzz" && ls fuzz_* | grep -v '\.'))
for h in "${harnesses[@]}"; do
  corpus="$work/corpus_${h#fuzz_}"
  mkdir -p "$corpus"
  log="$work/$h.log"
  if ! (cd "$work" && "$build/tests/fuzz/$h" -max_total_time="$secs" -max_len=262144 \
      -timeout=20 -rss_limit_mb=4096 -print_final_stats=1 "corpus_${h#fuzz_}" >"$h.log" 2>&1); then
    echo "fuzz: $h found a failure; see $log" >&2
    tail -40 "$log" >&2
    exit 1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
  echo "fuzz: $h: $runs executions in ${secs}s, no crash"
done
