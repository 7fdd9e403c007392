#!/usr/bin/env python3
"""Every member the API viewer declares boolean or integer must still be
identifiable as such after the wire rewrite (doc/wire-dialect.md):

  - in openapi.json: x-proxmox-type (or, where no wire union was made, type)
    equals the declared type, for parameters, request bodies and returned
    members at any depth;
  - in the C descriptor tables (the `wire types` dump): the member has the
    declared type, wherever the models make a field of it (members of
    indexed net[n]-style groups and of free-form parents live in `extra`).

Usage: declared_types.py raw_capture.json openapi.json c_types.txt
Prints the counts; exit 1 on the first kind of mismatch (all are listed)."""
import json
import re
import sys

TYPES = ('boolean', 'integer')


def op_id(method, path):
    s = re.sub(r'[{}]', '', method + '_' + path)
    s = re.sub(r'[^A-Za-z0-9]+', '_', s).strip('_').lower()
    return s if path != '/' else method.lower() + '_root'


def main():
    cap = json.load(open(sys.argv[1]))
    doc = json.load(open(sys.argv[2]))
    schemas = doc['components']['schemas']
    ctypes = {}
    for line in open(sys.argv[3]):
        op, path, t = line.split()
        ctypes[(op, path)] = t
    problems = []
    stats = {'declared': 0, 'openapi_ok': 0, 'c_fields': 0, 'c_ok': 0, 'corrected': 0}

    def resolve(s):
        for _ in range(8):
            if isinstance(s, dict) and '$ref' in s:
                s = schemas.get(s['$ref'].split('/')[-1])
        return s if isinstance(s, dict) else None

    def oa_type(t):
        if not t:
            return None
        x = t.get('x-proxmox-type')
        return x if isinstance(x, str) else t.get('type')

    def check(src, t, where, op, cpath):
        declared = src.get('type')
        if declared not in TYPES:
            return
        stats['declared'] += 1
        if t and (t.get('x-proxmox-declared') or {}).get('type') == declared:
            stats['corrected'] += 1  # data/errata: the declared type is wrong
            return
        got = oa_type(t)
        if got == declared:
            stats['openapi_ok'] += 1
        else:
            problems.append('%s: openapi.json says %r, declared %s' % (where, got, declared))
        if cpath is not None and (op, cpath) in ctypes:
            stats['c_fields'] += 1
            if ctypes[(op, cpath)] == declared:
                stats['c_ok'] += 1
            else:
                problems.append('%s: C descriptor says %s, declared %s'
                                % (where, ctypes[(op, cpath)], declared))

    def walk(src, t, where, op, cpath, depth=0):
        """src: Proxmox schema; t: the openapi schema of the same value;
        cpath: the C dump path of the value (None: no C field)."""
        if not isinstance(src, dict) or depth > 40:
            return
        t = resolve(t)
        if src.get('type') == 'array' or ('items' in src and 'properties' not in src):
            items = src.get('items')
            if isinstance(items, dict):
                sub = resolve(t.get('items')) if t else None
                ip = cpath + '[]' if cpath is not None else None
                check(items, sub, where + '[]', op, ip)
                walk(items, sub, where + '[]', op, ip, depth + 1)
            return
        props = src.get('properties')
        if not isinstance(props, dict):
            return
        for name, p in props.items():
            if not isinstance(p, dict) or name.endswith('[n]'):
                continue
            sub = resolve((t or {}).get('properties', {}).get(name)) if t else None
            cp = cpath + '.' + name if cpath is not None else None
            if cp is not None and p.get('type') == 'array':
                cp += '[]'
                check(p, sub, where + '.' + name, op, None)
                item = p.get('items') if isinstance(p.get('items'), dict) else {}
                isub = resolve(sub.get('items')) if sub else None
                check(item, isub, where + '.' + name + '[]', op, cp)
                walk(item, isub, where + '.' + name + '[]', op, cp, depth + 1)
                continue
            check(p, sub, where + '.' + name, op, cp)
            walk(p, sub, where + '.' + name, op, cp, depth + 1)

    for ep in cap['endpoints']:
        for verb, info in ep.get('methods', {}).items():
            op = doc['paths'].get(ep['path'], {}).get(verb.lower())
            if op is None:
                problems.append('%s %s: no operation' % (verb, ep['path']))
                continue
            oid = op['operationId']
            where = '%s %s' % (verb, ep['path'])
            params = {p['name']: p for p in op.get('parameters', [])}
            body = None
            if 'requestBody' in op:
                body = resolve(op['requestBody']['content']['application/json']['schema'])
            for name, p in (info.get('parameters') or {}).get('properties', {}).items():
                if not isinstance(p, dict) or name.endswith('[n]'):
                    continue
                if name in params:
                    t = params[name].get('schema')
                    cp = 'params.' + name if params[name]['in'] == 'query' else None
                else:
                    t = resolve((body or {}).get('properties', {}).get(name))
                    cp = 'params.' + name
                if cp is not None and p.get('type') == 'array':
                    cp += '[]'
                    check(p, t, where + ' param ' + name, oid, None)
                    continue
                check(p, t, where + ' param ' + name, oid, cp)
            ret = info.get('returns')
            json200 = op['responses']['200'].get('content', {}).get('application/json')
            if isinstance(ret, dict) and json200 is None:
                # a download answers the file itself (application/octet-stream)
                pass
            elif isinstance(ret, dict):
                data = resolve(json200['schema']['properties']['data'])
                top = 'data[]' if ret.get('type') == 'array' else 'data'
                check(ret, data, where + ' returns', oid, None if ret.get('type') == 'array' else 'data')
                if ret.get('type') == 'array':
                    items = ret.get('items') if isinstance(ret.get('items'), dict) else {}
                    isub = resolve(data.get('items')) if data else None
                    check(items, isub, where + ' returns[]', oid, top)
                    walk(items, isub, where + ' returns[]', oid, top)
                else:
                    walk(ret, data, where + ' returns', oid, 'data')
    print('declared boolean/integer members: %(declared)d (%(corrected)d corrected by errata); '
          'identifiable in openapi.json: %(openapi_ok)d; C fields: %(c_fields)d, with the '
          'declared type: %(c_ok)d' % stats)
    for p in problems[:40]:
        print('  ' + p)
    ok = not problems and stats['declared'] == stats['openapi_ok'] + stats['corrected'] and \
        stats['c_fields'] == stats['c_ok'] and stats['c_ok'] > 0
    sys.exit(0 if ok else 1)


if __name__ == '__main__':
    main()
