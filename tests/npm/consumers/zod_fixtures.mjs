// Every recorded response in tests/fixtures/responses/ against the zod
// schema openapi-zod-client generated for its operation's 200 response.
// Usage: node zod_fixtures.mjs api.js responses-dir [expected-failures]
// api.js is the generated client compiled to JavaScript. Prints one line per
// failing fixture and fails when the count differs from expected-failures
// (default 0).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [apiFile, dir, expected = "0"] = process.argv.slice(2);
const { api } = await import(pathToFileURL(apiFile).href);
const byRoute = new Map();
for (const e of api.api) byRoute.set(`${e.method.toUpperCase()} ${e.path.replace(/:([A-Za-z0-9_-]+)/g, "{$1}")}`, e);

let checked = 0, failed = 0, missing = 0;
for (const f of readdirSync(dir).filter((n) => /^\d+\.json$/.test(n)).sort()) {
  const fx = JSON.parse(readFileSync(join(dir, f), "utf8"));
  const e = byRoute.get(`${fx.method} ${fx.path}`);
  if (!e) { missing++; console.log(`${f}: ${fx.method} ${fx.path}: no such operation`); continue; }
  checked++;
  const r = e.response.safeParse(fx.body);
  if (!r.success) {
    failed++;
    const issues = r.error.issues.slice(0, 3).map((i) => `${i.path.join(".")}: ${i.message}`);
    console.log(`${f}: ${fx.method} ${fx.path}: ${r.error.issues.length} issues: ${issues.join("; ")}`);
  }
}
console.log(`zod ${checked} responses checked, ${failed} rejected, ${missing} without operation`);
process.exit(failed + missing === Number(expected) ? 0 : 1);
