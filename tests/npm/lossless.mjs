// Losslessness of openapi.json against the raw_capture.json it was made from:
// for every parameter and every returned property (recursively) of every
// captured method, the name, type, required-ness, enum, minimum/maximum,
// length limits, default, description and pattern/format must be found in
// openapi.json — either in its JSON Schema form (coerced the documented way:
// 0/1 -> booleans, numeric strings -> numbers) or verbatim under x-proxmox-<key>.
// Wire schemas (doc/wire-dialect.md) keep the declared type in x-proxmox-type,
// write value lists as an anyOf of single-typed branches whose branch of
// the declared type holds the declared enum, keep the declared
// required list in x-proxmox-declared-required, checks Proxmox makes only on
// input in x-proxmox-input-checks, and a corrected key's declared value in
// x-proxmox-declared (data/errata).
// Also: operations = captured methods, paths = endpoints with methods.
// Usage: node lossless.mjs raw_capture.json openapi.json
import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";

const [capFile, oaFile] = process.argv.slice(2);
const cap = JSON.parse(readFileSync(capFile, "utf8"));
const doc = JSON.parse(readFileSync(oaFile, "utf8"));
const problems = [];
const stats = { operations: 0, parameters: 0, returned: 0, facts: 0 };
const truthy = (v) => v === true || v === 1 || v === "1" || v === "yes" || v === "on" || v === "true";
const schemaOf = (ref) => doc.components.schemas[ref.replace("#/components/schemas/", "")];

function coerced(v, type) {
  if (type === "boolean") {
    if (v === true || v === 1 || ["1", "true", "yes", "on"].includes(v)) return true;
    if (v === false || v === 0 || ["0", "false", "no", "off"].includes(v)) return false;
    return undefined;
  }
  if (type === "integer" || type === "number") {
    const n = typeof v === "number" ? v : typeof v === "string" && v.trim() === v && v !== "" ? Number(v) : NaN;
    return Number.isFinite(n) ? n : undefined;
  }
  if (type === "string") return typeof v === "number" ? String(v) : v;
  return v;
}

// Verbatim copies (x-proxmox-format) may have had a default that fails its
// own schema moved to x-proxmox-default; undo that before comparing.
function unmoved(v) {
  if (Array.isArray(v)) return v.map(unmoved);
  if (!v || typeof v !== "object") return v;
  const o = {};
  for (const [k, s] of Object.entries(v)) {
    if (k === "x-proxmox-default" && !("default" in v)) o.default = unmoved(s);
    else o[k] = unmoved(s);
  }
  return o;
}

// fact `key` of source schema src is in target schema t (or its parameter p)
// the declared JSON type of a (possibly wire) schema
const declaredType = (t) => (typeof t["x-proxmox-type"] === "string" &&
  (Array.isArray(t.type) || Array.isArray(t.anyOf))) ? t["x-proxmox-type"] : t.type;
// the enum of a wire union's declared branch, else the schema's own
function declaredEnum(t) {
  const b = Array.isArray(t.anyOf) ? t.anyOf.find((x) => x.type === t["x-proxmox-type"]) : undefined;
  return b ? b.enum : t.enum;
}

function found(key, src, t, p, where) {
  stats.facts++;
  const v = src[key];
  const x = unmoved(t["x-proxmox-" + key]);
  const checks = t["x-proxmox-input-checks"] ?? {};
  let ok = (x !== undefined && isDeepStrictEqual(x, v)) ||
    isDeepStrictEqual(t["x-proxmox-declared"]?.[key], v);
  if (!ok && (key in checks || ("x-proxmox-" + key) in checks)) {
    ok = isDeepStrictEqual(checks[key], v) || isDeepStrictEqual(checks["x-proxmox-" + key], v) ||
      checks[key] === coerced(v, "number");
  }
  if (!ok) {
    switch (key) {
      case "type":
        ok = declaredType(t) === v;
        break;
      case "enum":
        ok = Array.isArray(declaredEnum(t)) && isDeepStrictEqual(declaredEnum(t), v.map((e) => coerced(e, declaredType(t))));
        break;
      case "default":
        ok = "default" in t && isDeepStrictEqual(t.default, coerced(v, declaredType(t)));
        break;
      case "minimum": case "maximum": case "minLength": case "maxLength":
        ok = t[key] === coerced(v, "number");
        break;
      case "description":
        ok = t.description === v || p?.description === v;
        break;
      case "pattern":
        ok = t.pattern === v; // translated ones keep the original in x-proxmox-pattern
        break;
      case "format":
        ok = typeof v === "string" ? t.format === v : propstrFound(v, t, where);
        break;
    }
  }
  if (!ok) problems.push(`${where}: ${key} ${JSON.stringify(v)?.slice(0, 80)} not found`);
}

// an object format (a property string) lives in the component that
// x-proxmox-property-string points at: every key with its facts, every
// alias, the default key
function propstrFound(v, t, where) {
  const ref = t["x-proxmox-property-string"]?.$ref;
  const c = ref && schemaOf(ref);
  if (!c || typeof v !== "object" || v === null) return false;
  const w = `${where}{format}`;
  if (typeof v.type === "string") { // the Rust products: a whole schema
    compare(v, c, null, w);
    walkReturned(v, c, w);
    if (v.default_key !== undefined && c["x-proxmox-default-key"] !== v.default_key)
      problems.push(`${w}: default key lost`);
    return true;
  }
  for (const [k, ks] of Object.entries(v)) {
    if (ks?.alias !== undefined) {
      if (c["x-proxmox-alias"]?.[k] !== ks.alias ||
          (ks.keyAlias !== undefined && c["x-proxmox-key-alias"]?.[k] !== ks.keyAlias))
        problems.push(`${w}.${k}: alias lost`);
      continue;
    }
    const ts = c.properties?.[k];
    compare(ks, ts, null, `${w}.${k}`, ts ? (c.required ?? []).includes(k) : undefined);
    if (truthy(ks?.default_key) && c["x-proxmox-default-key"] !== k)
      problems.push(`${w}.${k}: default key lost`);
  }
  return true;
}

const FACTS = ["type", "enum", "minimum", "maximum", "minLength", "maxLength", "default",
  "description", "pattern", "format"];

function compare(src, t, p, where, required) {
  if (!t) { problems.push(`${where}: missing`); return; }
  for (const key of FACTS) if (key in src) found(key, src, t, p, where);
  if (required !== undefined) {
    stats.facts++;
    if (required !== !truthy(src.optional)) problems.push(`${where}: required-ness differs`);
  }
}

// the target of property `name` in object schema t
function member(t, name) {
  if (name.endsWith("[n]")) {
    for (const s of Object.values(t.patternProperties ?? {})) {
      if (s["x-proxmox-indexed"] === name) return [s, s["x-proxmox-required"] === true];
    }
    // enumerated: name0..nameN, each a $ref to the one member schema
    const first = t.properties?.[name.slice(0, -3) + "0"];
    const s = first?.$ref ? schemaOf(first.$ref) : undefined;
    if (s?.["x-proxmox-indexed"] === name) return [s, s["x-proxmox-required"] === true];
    return [undefined, false];
  }
  return [t.properties?.[name], (t.required ?? []).includes(name) ||
    (t["x-proxmox-declared-required"] ?? []).includes(name)];
}

// returned data: walk properties, items and additionalProperties
function walkReturned(src, t, where, depth = 0) {
  if (!src || typeof src !== "object" || !t || depth > 64) return;
  if (src.properties && typeof src.properties === "object") {
    for (const [name, sub] of Object.entries(src.properties)) {
      const [ts, req] = member(t, name);
      stats.returned++;
      compare(sub, ts, null, `${where}.${name}`, ts ? req : undefined);
      walkReturned(sub, ts, `${where}.${name}`, depth + 1);
    }
  }
  if (src.items && typeof src.items === "object") walkReturned(src.items, t.items, `${where}[]`, depth + 1);
  if (src.additionalProperties && typeof src.additionalProperties === "object")
    walkReturned(src.additionalProperties, t.additionalProperties, `${where}{}`, depth + 1);
}

let opCount = 0;
let pathCount = 0;
for (const ep of cap.endpoints) {
  const verbs = Object.keys(ep.methods ?? {});
  if (verbs.length) pathCount++;
  for (const verb of verbs) {
    opCount++;
    const info = ep.methods[verb];
    const where = `${verb} ${ep.path}`;
    const op = doc.paths?.[ep.path]?.[verb.toLowerCase()];
    if (!op) { problems.push(`${where}: operation missing`); continue; }
    stats.operations++;
    const pathNames = [...ep.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    const query = verb === "GET" || verb === "DELETE";
    const body = op.requestBody ? schemaOf(op.requestBody.content["application/json"].schema.$ref) : null;
    const bodyForm = op.requestBody ? op.requestBody.content["application/x-www-form-urlencoded"].schema.$ref : null;
    if (body && bodyForm !== op.requestBody.content["application/json"].schema.$ref)
      problems.push(`${where}: form and JSON bodies differ`);
    for (const [name, sub] of Object.entries(info.parameters?.properties ?? {})) {
      stats.parameters++;
      const w = `${where} param ${name}`;
      if (pathNames.includes(name)) {
        const p = op.parameters?.find((x) => x.in === "path" && x.name === name);
        compare(sub, p?.schema, p, w);
        if (p && (p.required !== true || (truthy(sub.optional) && p.schema["x-proxmox-optional"] !== true)))
          problems.push(`${w}: path parameter required-ness`);
      } else if (query) {
        const p = op.parameters?.find((x) => x.in === "query" && x.name === name);
        if (name.endsWith("[n]")) {
          const s = p && member(p.schema, name)[0];
          compare(sub, s, p, w);
        } else {
          compare(sub, p?.schema, p, w, p ? p.required === true : undefined);
        }
      } else {
        if (!body) { problems.push(`${w}: no request body`); continue; }
        const [t, req] = member(body, name);
        compare(sub, t, null, w, t ? req : undefined);
      }
    }
    // a download answers with the file itself, not the {"data": ...} envelope
    if (op.responses?.["200"]?.content?.["application/octet-stream"]) continue;
    const env = op.responses?.["200"]?.content?.["application/json"]?.schema;
    if (!env || !isDeepStrictEqual(env.required, ["data"]) || !env.properties?.data?.$ref) {
      problems.push(`${where}: no {"data": ...} envelope`);
      continue;
    }
    const ret = schemaOf(env.properties.data.$ref);
    if (info.returns) {
      compare(info.returns, ret, null, `${where} returns`);
      walkReturned(info.returns, ret, `${where} returns`);
    }
  }
}
const docOps = Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0);
const docPaths = Object.keys(doc.paths).length;
if (docOps !== opCount) problems.push(`operations: openapi.json ${docOps}, capture ${opCount}`);
if (docPaths !== pathCount) problems.push(`paths: openapi.json ${docPaths}, capture ${pathCount}`);
const ids = Object.values(doc.paths).flatMap((item) => Object.values(item).map((o) => o.operationId));
if (new Set(ids).size !== ids.length) problems.push("operationIds are not unique");

if (problems.length) {
  console.log(`FAIL ${oaFile}: ${problems.length} problems`);
  for (const p of problems.slice(0, 40)) console.log("  " + p);
  process.exit(1);
}
console.log(`lossless ${oaFile}: ${docOps} operations, ${docPaths} paths, ${stats.parameters} parameters, ` +
  `${stats.returned} returned properties, ${stats.facts} facts checked`);
