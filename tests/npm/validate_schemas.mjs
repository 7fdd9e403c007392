// Validates generated artifacts against schemas/*.schema.json with Ajv
// (JSON Schema 2020-12, strict, all errors), independently of the C
// validator verify uses. Also checks that every "#/schemas/..." pointer in
// route_metadata.json resolves inside the file.
//
//   node validate_schemas.mjs SCHEMAS_DIR VERSION_DIR...
//
// Prints one line per problem and a summary; exit 1 if any.
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";

const [schemasDir, ...dirs] = process.argv.slice(2);
if (!schemasDir || dirs.length === 0) {
  console.error("usage: node validate_schemas.mjs SCHEMAS_DIR VERSION_DIR...");
  process.exit(2);
}
const artifacts = ["raw_capture", "route_metadata", "model_index"];
const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
const validators = {};
let problems = 0;
let checked = 0;

function problem(file, what) {
  console.log(`${file}: ${what}`);
  problems++;
}

for (const name of artifacts) {
  const path = join(schemasDir, `${name}.schema.json`);
  try {
    validators[name] = ajv.compile(JSON.parse(readFileSync(path, "utf8")));
  } catch (e) {
    problem(path, `does not compile: ${e.message}`);
  }
}

// RFC 6901 pointer inside a URI fragment ("#/schemas/X/properties/a%5Eb").
function resolvePointer(doc, ref) {
  let cur = doc;
  for (const raw of ref.slice(2).split("/")) {
    const seg = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (cur === null || typeof cur !== "object" || !(seg in cur)) return undefined;
    cur = cur[seg];
  }
  return cur;
}

function checkPointers(file, doc) {
  const refs = [];
  for (const r of doc.routes ?? []) {
    for (const loc of ["path", "query", "body"])
      for (const p of r.parameters?.[loc] ?? [])
        if (p.schema && typeof p.schema.$ref === "string") refs.push([r, p.schema.$ref]);
    const item = r.parent?.item_schema;
    if (item && typeof item === "object") refs.push([r, item.$ref]);
    if (typeof item === "string") refs.push([r, `#/schemas/${item}`]);
    for (const k of ["request_schema", "response_schema"])
      if (typeof r[k] === "string") refs.push([r, `#/schemas/${r[k]}`]);
  }
  for (const [r, ref] of refs)
    if (resolvePointer(doc, ref) === undefined)
      problem(file, `${r.method} ${r.path}: ${ref} does not resolve`);
}

for (const dir of dirs) {
  for (const name of artifacts) {
    const file = join(dir, `${name}.json`);
    if (!existsSync(file)) {
      problem(file, "missing");
      continue;
    }
    let doc;
    try {
      doc = JSON.parse(readFileSync(file, "utf8"));
    } catch (e) {
      problem(file, `not JSON: ${e.message}`);
      continue;
    }
    checked++;
    const validate = validators[name];
    if (validate && !validate(doc))
      for (const e of validate.errors)
        problem(file, `${e.instancePath || "/"}: ${e.message} (${e.schemaPath})`);
    if (name === "route_metadata") checkPointers(file, doc);
  }
}
console.log(`validate_schemas: ${checked} file(s) checked, ${problems} problem(s)`);
process.exit(problems === 0 ? 0 : 1);
