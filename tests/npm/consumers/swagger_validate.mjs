// @apidevtools/swagger-parser: parse, dereference and validate (its own
// OpenAPI 3.1 schema plus spec rules). Usage: node swagger_validate.mjs openapi.json
import SwaggerParser from "@apidevtools/swagger-parser";

const file = process.argv[2];
try {
  const api = await SwaggerParser.validate(file);
  console.log(`valid ${file}: ${Object.keys(api.paths).length} paths`);
} catch (e) {
  console.log(`FAIL ${file}: ${String(e.message).slice(0, 3000)}`);
  process.exit(1);
}
