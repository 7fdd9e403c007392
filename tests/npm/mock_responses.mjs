// Validates recorded mock responses against openapi.json with Ajv
// (JSON Schema 2020-12, as OpenAPI 3.1 uses): each line of the JSON-lines
// file {"method","route","status","body"} is checked against the
// operation's response for that status ("200", else "4XX"/"5XX"/"default").
// Usage: node mock_responses.mjs openapi.json responses.jsonl
// Prints "ajv: N responses valid"; exit 1 on the first 20 failures listed.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const Ajv2020 = require("ajv/dist/2020").default;

const [oaFile, linesFile] = process.argv.slice(2);
const oa = JSON.parse(readFileSync(oaFile, "utf8"));
const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: false });
oa.$id = "https://mock.invalid/openapi.json";
ajv.addSchema(oa);

const esc = (s) => s.replace(/~/g, "~0").replace(/\//g, "~1");
const cache = new Map();
function validatorFor(route, method, status) {
  const op = oa.paths?.[route]?.[method.toLowerCase()];
  if (!op) return null;
  const keys = [String(status), `${String(status)[0]}XX`, "default"];
  const key = keys.find((k) => op.responses?.[k]);
  if (!key) return null;
  const id = `${route} ${method} ${key}`;
  if (!cache.has(id)) {
    let resp = op.responses[key];
    let ptr = `#/paths/${esc(route)}/${method.toLowerCase()}/responses/${key}`;
    if (resp.$ref) ptr = resp.$ref, resp = resp.$ref.slice(2).split("/").reduce((o, k) => o[k.replace(/~1/g, "/").replace(/~0/g, "~")], oa);
    if (!resp.content?.["application/json"]?.schema) { cache.set(id, null); return null; }
    cache.set(id, ajv.compile({ $ref: `${oa.$id}${ptr}/content/application~1json/schema` }));
  }
  return cache.get(id);
}

let valid = 0, failed = 0, errorAnswers = 0;
const ambiguous = [];
const noSchema = [];
for (const line of readFileSync(linesFile, "utf8").split("\n")) {
  if (!line.trim()) continue;
  const r = JSON.parse(line);
  if (!r.route) { failed++; console.log(`no route for ${r.method} ${r.url}`); continue; }
  if (r.status >= 400) {
    // openapi.json declares error answers without a body schema (Proxmox
    // puts the reason in the status line): check the envelope here.
    const ok = r.body && r.body.data === null && (typeof r.body.message === "string") &&
      (r.status !== 400 || (r.body.errors && Object.keys(r.body.errors).length > 0));
    if (ok) errorAnswers++;
    else { failed++; console.log(`BAD ERROR BODY ${r.method} ${r.url} (${r.status}): ${JSON.stringify(r.body).slice(0, 300)}`); }
    continue;
  }
  const v = validatorFor(r.route, r.method, r.status);
  if (v === null) { noSchema.push(`${r.method} ${r.route} ${r.status}`); continue; }
  if (v(r.body)) { valid++; continue; }
  // A oneOf that several branches pass is a defect of the schema (no value
  // can satisfy it), not of the answer: listed, not counted as a failure.
  if (v.errors.every((e) => e.keyword === "oneOf" && e.params?.passingSchemas?.length > 1)) {
    ambiguous.push(`${r.method} ${r.route} at ${v.errors[0].instancePath}`);
    continue;
  }
  failed++;
  if (failed <= 20)
    console.log(`INVALID ${r.method} ${r.url} (${r.status}): ${JSON.stringify(v.errors.slice(0, 3))} body ${JSON.stringify(r.body).slice(0, 300)}`);
}
for (const a of ambiguous) console.log(`schema defect (oneOf branches overlap): ${a}`);
console.log(`ajv: ${valid} responses valid, ${failed} invalid, ${errorAnswers} error answers with the {data:null,message[,errors]} envelope` +
  (noSchema.length ? `, ${noSchema.length} without a response schema: ${[...new Set(noSchema)].join("; ")}` : ""));
process.exit(failed || noSchema.length ? 1 : 0);
