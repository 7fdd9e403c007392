// Validates openapi.json files with @seriousme/openapi-schema-validator.
// Strict here means: the document must validate against the official
// OpenAPI 3.1 schema, declare exactly "openapi": "3.1.x", and every $ref
// must resolve (resolveRefs throws otherwise).
// Usage: node validate_openapi.mjs FILE...   exit 0 only if all are valid.
import { readFileSync } from "node:fs";
import { Validator } from "@seriousme/openapi-schema-validator";

let failed = 0;
for (const file of process.argv.slice(2)) {
  const spec = JSON.parse(readFileSync(file, "utf8"));
  const validator = new Validator();
  const res = await validator.validate(spec);
  const problems = [];
  if (!res.valid) problems.push(JSON.stringify(res.errors, null, 1).slice(0, 4000));
  if (validator.version !== "3.1") problems.push(`version ${validator.version}, expected 3.1`);
  if (!/^3\.1\.\d+$/.test(spec.openapi)) problems.push(`"openapi": ${spec.openapi}`);
  if (res.valid) {
    try {
      validator.resolveRefs();
    } catch (e) {
      problems.push(`unresolved $ref: ${e.message}`);
    }
  }
  if (problems.length) {
    failed++;
    console.log(`INVALID ${file}\n${problems.join("\n")}`);
  } else {
    console.log(`valid ${file} (OpenAPI ${spec.openapi}, ${Object.keys(spec.paths).length} paths)`);
  }
}
process.exit(failed ? 1 : 0);
