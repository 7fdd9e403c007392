// @hey-api/openapi-ts with the fetch client. The operation-level response
// alias is named <Operation>Envelope: the default <Operation>Response is the
// name of our `data` model (GetNodesResponse), and hey-api would rename one of
// the two to GetNodesResponse2.
// Usage: node hey_api.mjs openapi.json outdir
import { createClient } from "@hey-api/openapi-ts";

const [input, output] = process.argv.slice(2);
await createClient({
  input,
  output,
  logs: { level: "error" },
  plugins: [
    "@hey-api/client-fetch",
    { name: "@hey-api/typescript", responses: { response: "{{name}}Envelope" } },
    "@hey-api/sdk",
  ],
});
