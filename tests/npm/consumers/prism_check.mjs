// Against a running Prism mock of openapi.json: GET /nodes answers 200 with a
// body that Ajv (JSON Schema 2020-12) validates against the document's own
// 200 schema, and a bad vmid (PVE documents) is refused with a 4xx (a 400
// with a body that fits the document's ProxmoxError schema).
// Usage: node prism_check.mjs openapi.json base-url
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";

const [file, base] = process.argv.slice(2);
const doc = JSON.parse(readFileSync(file, "utf8"));
const auth = { Authorization: "PVEAPIToken=root@pam!ci=00000000-0000-0000-0000-000000000000" };
const fail = (msg) => { console.log(`FAIL ${file}: ${msg}`); process.exit(1); };

async function get(path) {
  const r = await fetch(base + path, { headers: auth, signal: AbortSignal.timeout(20000) });
  return { status: r.status, text: await r.text() };
}

// formats are Proxmox names (pve-node, ...): annotations here, not checks
const ajv = new Ajv2020({ strict: false, allErrors: true, logger: false });
ajv.addSchema(doc, "doc");
const validate = ajv.compile({
  $ref: "doc#/paths/~1nodes/get/responses/200/content/application~1json/schema",
});

const nodes = await get("/nodes");
if (nodes.status !== 200) fail(`GET /nodes: status ${nodes.status}: ${nodes.text.slice(0, 300)}`);
const body = JSON.parse(nodes.text);
if (!validate(body)) fail(`GET /nodes body fails the schema: ${ajv.errorsText(validate.errors)}`);
console.log(`ok GET /nodes 200, body valid (${nodes.text.length} bytes)`);

if (doc.paths["/nodes/{node}/qemu/{vmid}/config"]) {
  const bad = await get("/nodes/pve1/qemu/not-a-vmid/config");
  if (bad.status < 400 || bad.status > 499) fail(`bad vmid: status ${bad.status}, want 4xx`);
  if (bad.status === 400) { // Prism answers with our declared 400: its body follows ProxmoxError
    const errBody = ajv.compile({ $ref: "doc#/components/schemas/ProxmoxError" });
    if (!errBody(JSON.parse(bad.text))) fail(`400 body fails ProxmoxError: ${ajv.errorsText(errBody.errors)}`);
  }
  const good = await get("/nodes/pve1/qemu/100/config");
  if (good.status !== 200) fail(`good vmid: status ${good.status}: ${good.text.slice(0, 300)}`);
  console.log(`ok bad vmid refused with ${bad.status}, vmid 100 answered 200`);
}
