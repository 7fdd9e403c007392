// Recorded Proxmox responses against the 200 response schemas of an
// openapi.json, with Ajv 2020-12 and no coercion:
//  - every realistic recording must validate;
//  - a hand-written mock may fail only when it is listed below with the way
//    it contradicts what Proxmox sends (and a listed one must still fail);
//  - mutations of the realistic recordings (an object or "abc" where an
//    integer is declared, 2 or "maybe" for a boolean, the child-link key of
//    a list item removed) must all be rejected; they are also written to
//    MUTDIR so the C runtime can be checked with the same cases.
// Prints one line per response and per mutation kind.
// Usage: node wire_responses.mjs openapi.json RESPONSES_DIR [MUTDIR]
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";

// Mocks that contradict Proxmox, by file: why Proxmox would never send them.
const MOCK_CONTRADICTIONS = {
};

const [docFile, dir, mutDir] = process.argv.slice(2);
const doc = JSON.parse(readFileSync(docFile, "utf8"));
const schemas = doc.components.schemas;
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false, coerceTypes: false });
const rewrite = (s) => JSON.parse(JSON.stringify(s).replaceAll('"#/components/schemas/', '"https://pvecg.invalid/doc#/$defs/'));
ajv.addSchema(rewrite({ $id: "https://pvecg.invalid/doc", $defs: schemas }));
const resolve = (s) => {
  for (let i = 0; i < 8 && s && s.$ref; i++) s = schemas[s.$ref.replace("#/components/schemas/", "")];
  return s;
};

const validators = new Map();
function operation(method, path) {
  return doc.paths[path]?.[method.toLowerCase()];
}
function validatorFor(method, path) {
  const key = `${method} ${path}`;
  if (!validators.has(key)) {
    const op = operation(method, path);
    const s = op?.responses?.["200"]?.content?.["application/json"]?.schema;
    validators.set(key, s ? ajv.compile(rewrite(s)) : null);
  }
  return validators.get(key);
}
const dataSchema = (method, path) =>
  resolve(operation(method, path).responses["200"].content["application/json"].schema.properties.data);

function countMembers(v) {
  if (Array.isArray(v)) return v.reduce((n, e) => n + countMembers(e), 0);
  if (v && typeof v === "object") return Object.values(v).reduce((n, e) => n + 1 + countMembers(e), 0);
  return 0;
}

// Paths (arrays of keys) of the first members whose declared type is t.
function findDeclared(value, schema, t, path = [], out = []) {
  schema = resolve(schema);
  if (!schema || out.length >= 1) return out;
  if (Array.isArray(value) && schema.items) {
    value.forEach((e, i) => findDeclared(e, schema.items, t, [...path, i], out));
  } else if (value && typeof value === "object" && schema.properties) {
    for (const [k, v] of Object.entries(value)) {
      const ps = resolve(schema.properties[k]);
      if (!ps) continue;
      if (ps["x-proxmox-type"] === t && v !== null) { out.push([...path, k]); break; }
      findDeclared(v, ps, t, [...path, k], out);
    }
  }
  return out;
}

function mutate(body, path, value) {
  const copy = structuredClone(body);
  let o = copy.data;
  for (const k of path.slice(0, -1)) o = o[k];
  if (value === undefined) delete o[path.at(-1)];
  else o[path.at(-1)] = value;
  return copy;
}

function mutations(rec) {
  const out = [];
  const s = dataSchema(rec.method, rec.path);
  const body = rec.body;
  for (const p of findDeclared(body.data, s, "integer")) {
    out.push(["integer-as-object", p, mutate(body, p, { value: 1 })]);
    out.push(["integer-as-abc", p, mutate(body, p, "abc")]);
  }
  for (const p of findDeclared(body.data, s, "boolean")) {
    out.push(["boolean-as-2", p, mutate(body, p, 2)]);
    out.push(["boolean-as-maybe", p, mutate(body, p, "maybe")]);
  }
  const items = resolve(s?.items);
  if (Array.isArray(body.data) && body.data.length && items?.required?.length) {
    const k = items.required[0];
    if (k in body.data[0]) out.push(["list-key-missing", [0, k], mutate(body, [0, k], undefined)]);
  }
  return out;
}

let failed = 0, realistic = 0, realisticValid = 0, mocks = 0, mocksValid = 0, nmut = 0, mutRejected = 0;
const kinds = {};
for (const f of readdirSync(dir).filter((n) => /^\d+\.json$/.test(n)).sort()) {
  const rec = JSON.parse(readFileSync(join(dir, f), "utf8"));
  const v = validatorFor(rec.method, rec.path);
  if (!v) {
    failed++;
    console.log(`FAIL ${f} ${rec.method} ${rec.path}: no operation / 200 schema`);
    continue;
  }
  const ok = v(rec.body);
  const errs = ok ? [] : v.errors.map((e) => `${e.instancePath || "/"} ${e.message}`);
  const members = countMembers(rec.body.data);
  const what = `${f} ${rec.method} ${rec.path} (${rec.realistic ? "realistic" : "mock"}, ${members} members)`;
  if (rec.realistic) {
    realistic++;
    if (ok) realisticValid++;
    else failed++;
    console.log(`${ok ? "valid" : "FAIL "} ${what}${ok ? "" : ": " + errs.slice(0, 8).join("; ")}`);
  } else {
    mocks++;
    if (ok) mocksValid++;
    const why = MOCK_CONTRADICTIONS[f];
    if (ok && why) {
      failed++;
      console.log(`FAIL ${what}: listed as contradicting Proxmox (${why}) but valid`);
    } else if (!ok && !why) {
      failed++;
      console.log(`FAIL ${what}: ${errs.slice(0, 8).join("; ")}`);
    } else {
      console.log(`${ok ? "valid" : "mock-contradicts-proxmox"} ${what}${ok ? "" : ": " + why + " [" + errs.slice(0, 4).join("; ") + "]"}`);
    }
  }
  if (!rec.realistic) continue;
  for (const [kind, path, body] of mutations(rec)) {
    nmut++;
    kinds[kind] = (kinds[kind] || 0) + 1;
    const rejected = !v(body);
    if (rejected) mutRejected++;
    else {
      failed++;
      console.log(`FAIL mutation ${kind} of ${f} at data/${path.join("/")} validates`);
    }
    if (mutDir) {
      writeFileSync(join(mutDir, `${f.replace(".json", "")}-${kind}.json`),
        JSON.stringify({ method: rec.method, path: rec.path, mutation: kind, at: path, body }));
    }
  }
}
console.log(`responses ${realisticValid}/${realistic} realistic valid (${(100 * realisticValid / Math.max(realistic, 1)).toFixed(1)} %), ` +
  `${mocksValid}/${mocks} mocks valid`);
console.log(`mutations ${mutRejected}/${nmut} rejected ${JSON.stringify(kinds)}`);
process.exit(failed ? 1 : 0);
