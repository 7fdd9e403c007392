#!/usr/bin/env python3
"""Independent count of the API changes between two openapi.json files, for
test_diff.sh to hold against `proxmox-sdk-codegen diff`.

Prints one line per count: operations_old, operations_new,
operations_added, operations_removed, parameters_added, parameters_removed,
parameters_changed. Parameters are the path/query parameters and request
body members of operations present in both documents; an indexed family
(patternProperties "^net\\d+$", or net0..netN that all $ref one schema) is
one parameter "net[n]". A parameter is changed when any declared fact
differs: declared type (x-proxmox-type, else type without "null"),
required, location, enum values (as a set), minimum/maximum/minLength/
maxLength, pattern (x-proxmox-pattern, else pattern), named format,
default (booleans as 0/1), family maximum, property-string keys (inline
x-proxmox-format or an x-proxmox-property-string $ref) with the same facts,
object members (when both sides list members) and array items.

usage: diff_counts.py OLD/openapi.json NEW/openapi.json
"""
import json
import re
import sys

METHODS = ("get", "post", "put", "delete")


def resolve(doc, s):
    for _ in range(16):
        if not isinstance(s, dict) or not isinstance(s.get("$ref"), str):
            return s
        ref = s["$ref"]
        if not ref.startswith("#/"):
            return s
        cur = doc
        for seg in ref[2:].split("/"):
            seg = seg.replace("~1", "/").replace("~0", "~")
            if not isinstance(cur, dict) or seg not in cur:
                return s
            cur = cur[seg]
        s = cur
    return s


def declared_type(doc, s):
    s = resolve(doc, s)
    if not isinstance(s, dict):
        return ""
    t = s.get("x-proxmox-type", s.get("type"))
    if isinstance(t, str):
        return t
    if isinstance(t, list):
        parts = [x for x in t if isinstance(x, str) and x != "null"]
        return "|".join(parts) if parts else "null"
    if "properties" in s or "patternProperties" in s:
        return "object"
    if "items" in s:
        return "array"
    return ""


def members(doc, s, location=None):
    """name -> (schema, required, location, family max or None)."""
    s = resolve(doc, s)
    out = {}
    if not isinstance(s, dict):
        return out
    props = s.get("properties") or {}
    req = set(s.get("required") or [])
    groups = {}
    for name, p in props.items():
        m = re.fullmatch(r"(.*\D)(\d{1,6})", name)
        if m and isinstance(p, dict) and isinstance(p.get("$ref"), str):
            groups.setdefault((m.group(1), p["$ref"]), []).append((int(m.group(2)), name))
    folded = set()
    for (prefix, ref), items in groups.items():
        target = resolve(doc, {"$ref": ref})
        if len(items) >= 2 or (isinstance(target, dict) and "x-proxmox-indexed" in target):
            first = min(items, key=lambda x: x[1])[1]
            out[prefix + "[n]"] = (props[first], any(n in req for _, n in items), location,
                                   max(i for i, _ in items))
            folded.update(n for _, n in items)
    for name, p in props.items():
        if name not in folded:
            out[name] = (p, name in req, location, None)
    for pat, p in (s.get("patternProperties") or {}).items():
        m = re.fullmatch(r"\^(.+)\\d\+\$", pat)
        name = m.group(1) + "[n]" if m else pat
        if name in out:
            continue
        mx = p.get("x-proxmox-index-max") if isinstance(p, dict) else None
        if mx is None:
            mx = (resolve(doc, p) or {}).get("x-proxmox-index-max")
        out[name] = (p, False, location, mx if m else None)
    return out


def ps_keys(doc, s):
    """Property-string keys, or None when s is not a property string."""
    ps = s.get("x-proxmox-property-string")
    if isinstance(ps, dict):
        return members(doc, ps)
    fmt = s.get("x-proxmox-format")
    if not isinstance(fmt, dict):
        return None
    out = {}
    for k, v in fmt.items():
        opt = v.get("optional") in (1, True, "1") if isinstance(v, dict) else False
        out[k] = (v, not opt and "alias" not in v, None, None)
    return out


def norm_default(s):
    if "default" not in s:
        return None
    v = s["default"]
    if isinstance(v, bool):
        v = int(v)
    return json.dumps(v, sort_keys=True)


def enum_set(s):
    e = s.get("enum")
    if not isinstance(e, list):
        return None
    return frozenset(json.dumps(x, sort_keys=True) for x in e)


def pattern(s):
    return s.get("x-proxmox-pattern", s.get("pattern"))


def num(s, k):
    v = s.get(k)
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def schema_differs(da, a, db, b, depth=0):
    if depth > 12:
        return False
    if declared_type(da, a) != declared_type(db, b):
        return True
    a, b = resolve(da, a), resolve(db, b)
    if not isinstance(a, dict) or not isinstance(b, dict):
        return False
    if enum_set(a) != enum_set(b):
        return True
    for k in ("minimum", "maximum", "minLength", "maxLength"):
        if num(a, k) != num(b, k):
            return True
    if pattern(a) != pattern(b):
        return True
    fa = a.get("format") if isinstance(a.get("format"), str) else None
    fb = b.get("format") if isinstance(b.get("format"), str) else None
    if fa != fb or norm_default(a) != norm_default(b):
        return True
    ka, kb = ps_keys(da, a), ps_keys(db, b)
    if (ka is None) != (kb is None):
        return True
    if ka is not None and fields_differ(da, ka, db, kb, depth + 1):
        return True
    has = lambda s: "properties" in s or "patternProperties" in s
    if has(a) and has(b) and fields_differ(da, members(da, a), db, members(db, b), depth + 1):
        return True
    ia, ib = a.get("items"), b.get("items")
    if isinstance(ia, dict) and isinstance(ib, dict) and schema_differs(da, ia, db, ib, depth + 1):
        return True
    return False


def field_differs(da, fa, db, fb, depth=0):
    (sa, ra, la, ma), (sb, rb, lb, mb) = fa, fb
    if ra != rb or (la and lb and la != lb):
        return True
    if ma is not None and mb is not None and ma >= 0 and mb >= 0 and ma != mb:
        return True
    return schema_differs(da, sa, db, sb, depth)


def fields_differ(da, a, db, b, depth):
    if set(a) != set(b):
        return True
    return any(field_differs(da, a[k], db, b[k], depth) for k in a)


def params(doc, op):
    out = {}
    for p in op.get("parameters") or []:
        p = resolve(doc, p)
        if isinstance(p, dict) and "name" in p:
            out[p["name"]] = (p.get("schema"), p.get("required") is True, p.get("in"), None)
    body = resolve(doc, op.get("requestBody")) or {}
    content = body.get("content") or {}
    media = content.get("application/json") or content.get("application/x-www-form-urlencoded")
    if media and "schema" in media:
        out.update(members(doc, media["schema"], "body"))
    return out


def operations(doc):
    return {(m, path): op for path, item in doc["paths"].items() for m in METHODS
            if isinstance(item.get(m), dict) for op in [item[m]]}


def main():
    da = json.load(open(sys.argv[1]))
    db = json.load(open(sys.argv[2]))
    oa, ob = operations(da), operations(db)
    counts = {"operations_old": len(oa), "operations_new": len(ob),
              "operations_added": len(ob.keys() - oa.keys()),
              "operations_removed": len(oa.keys() - ob.keys()),
              "parameters_added": 0, "parameters_removed": 0, "parameters_changed": 0}
    for key in oa.keys() & ob.keys():
        pa, pb = params(da, oa[key]), params(db, ob[key])
        counts["parameters_added"] += len(pb.keys() - pa.keys())
        counts["parameters_removed"] += len(pa.keys() - pb.keys())
        counts["parameters_changed"] += sum(field_differs(da, pa[n], db, pb[n])
                                            for n in pa.keys() & pb.keys())
    for k, v in counts.items():
        print(f"{k} {v}")


if __name__ == "__main__":
    main()
