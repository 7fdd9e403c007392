#!/usr/bin/env python3
"""Rewrites an openapi.json into the other shapes the project's documents
take, without changing what they declare, so test_diff.sh can check that
`diff` sees no change across shapes:

- inline property strings (x-proxmox-format objects in the Proxmox dialect:
  "optional", 0/1 booleans) become object components referenced by
  x-proxmox-property-string {"$ref": ...} (JSON Schema: "required", true/false);
- indexed members (patternProperties "^net\\d+$") become explicit members
  net0..net31, each a $ref to one shared component;
- response members get their wire forms: booleans type ["boolean","integer"],
  integers anyOf integer/string, with the declared type in x-proxmox-type.

usage: diff_reshape.py IN/openapi.json OUT/openapi.json
"""
import json
import re
import sys

components = {}


def add_component(prefix, schema):
    name = f"{prefix}{len(components)}"
    components[name] = schema
    return {"$ref": f"#/components/schemas/{name}"}


def property_string(fmt):
    props, required = {}, []
    for key, v in fmt.items():
        v = dict(v)
        optional = v.pop("optional", 0) in (1, True, "1")
        if not optional and "alias" not in v:
            required.append(key)
        if v.get("type") == "boolean" and v.get("default") in (0, 1):
            v["default"] = bool(v["default"])
        props[key] = v
    comp = {"type": "object", "properties": props}
    if required:
        comp["required"] = required
    return add_component("PropertyString", comp)


def wire(schema):
    t = schema.get("type")
    if t == "boolean":
        schema["type"] = ["boolean", "integer"]
        schema["x-proxmox-type"] = "boolean"
    elif t == "integer":
        del schema["type"]
        schema["anyOf"] = [{"type": "integer"}, {"type": "string"}]
        schema["x-proxmox-type"] = "integer"


def walk(node, response):
    if isinstance(node, list):
        for x in node:
            walk(x, response)
        return
    if not isinstance(node, dict):
        return
    fmt = node.get("x-proxmox-format")
    if isinstance(fmt, dict):
        node["x-proxmox-property-string"] = property_string(fmt)
        del node["x-proxmox-format"]
    pats = node.get("patternProperties")
    if isinstance(pats, dict):
        for pat in list(pats):
            m = re.fullmatch(r"\^(.+)\\d\+\$", pat)
            if not m:
                continue
            member = pats.pop(pat)
            walk(member, response)
            ref = add_component("Member", member)
            props = node.setdefault("properties", {})
            for i in range(32):
                props[f"{m.group(1)}{i}"] = dict(ref)
        if not pats:
            del node["patternProperties"]
    for k, v in list(node.items()):
        if k != "x-proxmox-property-string":
            walk(v, response)
    if response and isinstance(node.get("type"), str):
        wire(node)


def main():
    doc = json.load(open(sys.argv[1]))
    schemas = doc["components"]["schemas"]
    for name, s in schemas.items():
        walk(s, name.endswith("Response") or name.endswith("ResponseItem"))
    for item in doc["paths"].values():
        for op in item.values():
            if isinstance(op, dict):
                walk(op.get("parameters"), False)
    schemas.update(components)
    with open(sys.argv[2], "w") as f:
        json.dump(doc, f, indent=2, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
