// Checks every schema object of an openapi.json:
//  - no key outside JSON Schema 2020-12 / OpenAPI 3.1 except x-* keys;
//  - every "type" is a JSON Schema type (or an array of them);
//  - every "format" is a string;
//  - every "pattern" and patternProperties key compiles as new RegExp(p, "u");
//  - every schema compiles with Ajv 2020-12 in strict mode (x-* registered
//    as annotation keywords, format validation off: Proxmox formats are names).
// Usage: node check_schema_keys.mjs FILE...
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";

const KEYWORDS = new Set([
  // core
  "$schema", "$id", "$ref", "$anchor", "$dynamicRef", "$dynamicAnchor", "$vocabulary", "$comment", "$defs",
  // applicator
  "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas", "prefixItems", "items",
  "contains", "properties", "patternProperties", "additionalProperties", "propertyNames",
  // unevaluated
  "unevaluatedItems", "unevaluatedProperties",
  // validation
  "type", "enum", "const", "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
  "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "maxContains", "minContains",
  "maxProperties", "minProperties", "required", "dependentRequired",
  // meta-data, format, content
  "title", "description", "default", "deprecated", "readOnly", "writeOnly", "examples", "format",
  "contentEncoding", "contentMediaType", "contentSchema",
  // OpenAPI 3.1 schema object additions
  "discriminator", "xml", "externalDocs", "example",
]);
const TYPES = new Set(["string", "integer", "number", "boolean", "object", "array", "null"]);
const MAP_KEYS = ["properties", "patternProperties", "$defs", "dependentSchemas"];
const ONE_KEYS = ["additionalProperties", "items", "not", "if", "then", "else", "contains",
  "propertyNames", "unevaluatedItems", "unevaluatedProperties", "contentSchema"];
const LIST_KEYS = ["allOf", "anyOf", "oneOf", "prefixItems"];

function walkSchema(s, where, out) {
  if (typeof s === "boolean") return;
  if (s === null || typeof s !== "object" || Array.isArray(s)) {
    out.problems.push(`${where}: schema is not an object`);
    return;
  }
  out.schemas++;
  for (const [k, v] of Object.entries(s)) {
    if (k.startsWith("x-")) { out.xkeys.add(k); continue; }
    if (!KEYWORDS.has(k)) out.problems.push(`${where}: key "${k}" is not JSON Schema 2020-12 / OpenAPI 3.1`);
  }
  if ("type" in s) {
    const ts = Array.isArray(s.type) ? s.type : [s.type];
    for (const t of ts) if (!TYPES.has(t)) out.problems.push(`${where}: type ${JSON.stringify(t)}`);
  }
  if ("format" in s && typeof s.format !== "string") out.problems.push(`${where}: format is not a string`);
  const compile = (p, what) => {
    out.patterns++;
    try { new RegExp(p, "u"); } catch (e) { out.problems.push(`${where}: ${what} ${JSON.stringify(p)}: ${e.message}`); }
  };
  if ("pattern" in s) {
    if (typeof s.pattern !== "string") out.problems.push(`${where}: pattern is not a string`);
    else compile(s.pattern, "pattern");
  }
  for (const k of MAP_KEYS) {
    if (!(k in s)) continue;
    for (const [n, sub] of Object.entries(s[k])) {
      if (k === "patternProperties") compile(n, "patternProperties key");
      walkSchema(sub, `${where}.${k}[${JSON.stringify(n)}]`, out);
    }
  }
  for (const k of ONE_KEYS) if (k in s) walkSchema(s[k], `${where}.${k}`, out);
  for (const k of LIST_KEYS) if (k in s) s[k].forEach((sub, i) => walkSchema(sub, `${where}.${k}[${i}]`, out));
}

// Every place OpenAPI 3.1 holds a schema object, outside components.schemas too.
function collectSchemas(doc) {
  const list = [];
  for (const [n, s] of Object.entries(doc.components?.schemas ?? {})) list.push([`components.schemas.${n}`, s]);
  const media = (content, where) => {
    for (const [mt, m] of Object.entries(content ?? {})) if (m.schema) list.push([`${where}.content[${mt}].schema`, m.schema]);
  };
  for (const [p, item] of Object.entries(doc.paths ?? {})) {
    for (const [verb, op] of Object.entries(item)) {
      const w = `paths[${p}].${verb}`;
      for (const [i, prm] of (op.parameters ?? []).entries()) if (prm.schema) list.push([`${w}.parameters[${i}].schema`, prm.schema]);
      if (op.requestBody) media(op.requestBody.content, `${w}.requestBody`);
      for (const [code, r] of Object.entries(op.responses ?? {})) media(r.content, `${w}.responses[${code}]`);
    }
  }
  for (const [n, r] of Object.entries(doc.components?.responses ?? {})) media(r.content, `components.responses.${n}`);
  return list;
}

// The node a strictTypes message points at ("at \"urn:component:Name#/a/b\"").
function offendingNode(message, s, doc) {
  const m = /at "(?:urn:component:([^#/"]+))?#?([^"]*)"/.exec(message);
  if (!m) return undefined;
  let node = m[1] ? doc.components.schemas[m[1]] : s;
  for (const part of m[2].split("/").filter(Boolean)) {
    node = node?.[decodeURIComponent(part).replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return node;
}

// Ajv strict compile of every schema. strictTypes is relaxed only where the
// offending schema has no "type" at all: Proxmox declared none (e.g. PVE 8.4's
// items {"format": "string"}) or declared one its own keywords contradict
// (openapi.c then keeps it as x-proxmox-type). A wrong type still fails.
function ajvCheck(doc, list, xkeys, out) {
  const make = (strictTypes) => {
    const ajv = new Ajv2020({ strict: true, strictTypes, strictRequired: false,
      allowUnionTypes: true, validateFormats: false });
    for (const k of [...xkeys, "example", "discriminator", "xml", "externalDocs"]) ajv.addKeyword(k);
    const rewrite = (s) => JSON.parse(JSON.stringify(s, (k, v) =>
      k === "$ref" && typeof v === "string" && v.startsWith("#/components/schemas/")
        ? "urn:component:" + v.slice(21) : v));
    for (const [n, s] of Object.entries(doc.components?.schemas ?? {})) ajv.addSchema(rewrite(s), "urn:component:" + n);
    return { ajv, rewrite };
  };
  const strict = make(true);
  let relaxed = null;
  for (const [where, s] of list) {
    try {
      if (where.startsWith("components.schemas.")) strict.ajv.getSchema("urn:component:" + where.slice(19));
      else strict.ajv.compile(strict.rewrite(s));
      out.compiled++;
    } catch (e) {
      const node = /strictTypes/.test(e.message) ? offendingNode(e.message, s, doc) : undefined;
      if (node && typeof node === "object" && !("type" in node)) {
        relaxed ??= make(false);
        try {
          if (where.startsWith("components.schemas.")) relaxed.ajv.getSchema("urn:component:" + where.slice(19));
          else relaxed.ajv.compile(relaxed.rewrite(s));
          out.compiled++;
          out.untyped.push(where.startsWith("components.") ? where.slice(19) : where);
          continue;
        } catch (e2) { e = e2; }
      }
      out.problems.push(`${where}: ajv strict: ${e.message}`);
    }
  }
}

let failed = 0;
for (const file of process.argv.slice(2)) {
  const doc = JSON.parse(readFileSync(file, "utf8"));
  const out = { problems: [], schemas: 0, patterns: 0, xkeys: new Set(), compiled: 0, untyped: [] };
  const list = collectSchemas(doc);
  for (const [where, s] of list) walkSchema(s, where, out);
  if (out.problems.length === 0) ajvCheck(doc, list, out.xkeys, out);
  if (out.problems.length) {
    failed++;
    console.log(`FAIL ${file}: ${out.problems.length} problems`);
    for (const p of out.problems.slice(0, 30)) console.log("  " + p);
  } else {
    console.log(`ok ${file}: ${list.length} schema roots, ${out.schemas} schema objects, ` +
      `${out.patterns} patterns compile with 'u', ${out.compiled} compiled by Ajv 2020-12 strict ` +
      `(${out.untyped.length} with strictTypes relaxed for untyped Proxmox schemas: ` +
      `${out.untyped.filter((w) => !w.startsWith("paths[")).join(", ") || "none"}), ` +
      `${out.xkeys.size} x- keys: ${[...out.xkeys].sort().join(" ")}`);
  }
}
process.exit(failed ? 1 : 0);
