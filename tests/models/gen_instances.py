#!/usr/bin/env python3
"""Makes test instances for every response model of an openapi.json.

For each operation: one valid instance (every property, enum values, ranges,
lengths and patterns respected, an unknown member added), one "tolerant"
variant of it (booleans as 1/"yes"/"on", numbers as numeric strings) that must
parse to the same JSON, and invalid instances (wrong type, enum miss, out of
range, missing required) with the JSON path the runtime must report.
The classification below mirrors src/models.c: only members the runtime types
(scalars, objects with properties, arrays of those) get type violations.

Usage: gen_instances.py openapi.json out.jsonl  (one JSON object per line)
"""
import json
import re
import sys

try:
    import re._parser as sre_parse  # Python >= 3.11
    import re._constants as C
except ImportError:  # pragma: no cover
    import sre_parse
    import sre_constants as C

DOC = None
MAX_DEPTH = 32


def resolve(s):
    for _ in range(8):
        if isinstance(s, dict) and isinstance(s.get('$ref'), str) and \
                s['$ref'].startswith('#/components/schemas/'):
            s = DOC['components']['schemas'].get(s['$ref'][21:])
        else:
            break
    return flat(s) if isinstance(s, dict) else None


def flat(s):
    """A wire union (anyOf of single-typed branches, doc/wire-dialect.md) as
    its declared type: type [declared, "null"?] and the declared enum."""
    xt, alts = s.get('x-proxmox-type'), s.get('anyOf')
    if xt not in ('boolean', 'integer', 'number', 'string') or not isinstance(alts, list):
        return s
    branch = next((b for b in alts if isinstance(b, dict) and b.get('type') == xt), None)
    if branch is None:
        return s
    out = {k: v for k, v in s.items() if k != 'anyOf'}
    nullable = any(isinstance(b, dict) and b.get('type') == 'null' for b in alts)
    out['type'] = [xt, 'null'] if nullable else xt
    if 'enum' in branch:
        out['enum'] = branch['enum']
    return out


def stype(s):
    """(type or None, nullable)"""
    t = s.get('type')
    nullable = s.get('nullable') is True
    if isinstance(t, str):
        return t, nullable
    if isinstance(t, list):
        rest = [x for x in t if x != 'null']
        nullable = nullable or 'null' in t
        if len(rest) == 1:
            return rest[0], nullable
        # a wire union (doc/wire-dialect.md) is its declared type
        xt = s.get('x-proxmox-type')
        if len(rest) > 1 and xt in ('boolean', 'integer', 'number', 'string') and xt in rest:
            return xt, nullable
        return ('null' if not rest else None), nullable
    if 'properties' in s:
        return 'object', nullable
    return None, nullable


def combinator(s):
    return any(k in s for k in ('oneOf', 'anyOf', 'allOf'))


SCALARS = ('boolean', 'integer', 'number', 'string')


def classify(s, depth=0):
    """('scalar', t, nullable) | ('object', s, nullable) |
    ('array', inner, item) | ('any',)"""
    s = resolve(s)
    if s is None:
        return ('any',)
    t, nullable = stype(s)
    if not combinator(s) and t in SCALARS:
        return ('scalar', t, nullable)
    if not combinator(s) and t == 'object' and s.get('properties') and depth < MAX_DEPTH:
        return ('object', s, nullable)
    if not combinator(s) and t == 'array':
        it = resolve(s.get('items'))
        if it is None:
            return ('any',)
        c = classify(it, depth + 1)
        if c[0] == 'scalar' and not c[2]:
            return ('array', c, it)
        if c[0] == 'object':
            return ('array', c, it)
        return ('anyarray', it)
    return ('any',)


# ---- strings matching a pattern -------------------------------------------

class Unsupported(Exception):
    pass


CAT = {
    C.CATEGORY_DIGIT: '0', C.CATEGORY_WORD: 'a', C.CATEGORY_SPACE: ' ',
    C.CATEGORY_NOT_DIGIT: 'a', C.CATEGORY_NOT_WORD: '-', C.CATEGORY_NOT_SPACE: 'a',
}


def in_class(ch, items):
    for op, av in items:
        if op == C.LITERAL and chr(av) == ch:
            return True
        if op == C.RANGE and av[0] <= ord(ch) <= av[1]:
            return True
        if op == C.CATEGORY:
            rx = {C.CATEGORY_DIGIT: r'\d', C.CATEGORY_WORD: r'\w', C.CATEGORY_SPACE: r'\s',
                  C.CATEGORY_NOT_DIGIT: r'\D', C.CATEGORY_NOT_WORD: r'\W',
                  C.CATEGORY_NOT_SPACE: r'\S'}.get(av)
            if rx and re.fullmatch(rx, ch, re.ASCII):
                return True
    return False


def pick_in(items):
    if items and items[0][0] == C.NEGATE:
        for ch in 'abxZ09_-.':
            if not in_class(ch, items[1:]):
                return ch
        raise Unsupported('negated class')
    op, av = items[0]
    if op == C.LITERAL:
        return chr(av)
    if op == C.RANGE:
        return chr(av[0])
    if op == C.CATEGORY:
        return CAT[av]
    raise Unsupported(str(op))


def emit(seq, extra=0):
    """extra: additional repetitions for every open-ended repeat, to reach
    a minLength."""
    out = []
    for op, av in seq:
        if op == C.LITERAL:
            out.append(chr(av))
        elif op == C.NOT_LITERAL:
            out.append('a' if av != ord('a') else 'b')
        elif op == C.ANY:
            out.append('a')
        elif op == C.IN:
            out.append(pick_in(av))
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT):
            lo, hi, sub = av
            n = lo if lo > 0 else (1 if hi != 0 else 0)
            if hi > n:
                n = min(hi, n + extra)
            out.append(''.join(emit(sub, extra) for _ in range(n)))
        elif op == C.SUBPATTERN:
            out.append(emit(av[-1], extra))
        elif op == C.BRANCH:
            out.append(emit(av[1][0], extra))
        elif op == C.AT:
            pass
        else:
            raise Unsupported(str(op))
    return ''.join(out)


def sample_for(pattern, mn=0, mx=None):
    # ECMA named groups (?<n>...) are spelled (?P<n>...) in Python
    pattern = re.sub(r'\(\?<([A-Za-z_])', r'(?P<\1', pattern)
    try:
        tree = sre_parse.parse(pattern)
    except re.error:
        return None
    for extra in range(0, max(mn, 0) + 1):
        try:
            s = emit(tree, extra)
            if len(s) >= mn and (mx is None or len(s) <= mx) and re.search(pattern, s):
                return s
        except (Unsupported, re.error, KeyError, IndexError, TypeError):
            return None
    return None


# ---- valid values ----------------------------------------------------------

STATS = {'unsatisfied': 0}


def scalar_value(s, t):
    if 'enum' in s and isinstance(s['enum'], list) and s['enum']:
        return s['enum'][0], True
    if t == 'boolean':
        return True, True
    if t in ('integer', 'number'):
        lo, hi = s.get('minimum'), s.get('maximum')
        xlo, xhi = s.get('exclusiveMinimum'), s.get('exclusiveMaximum')
        if t == 'integer':
            if isinstance(xlo, (int, float)) and not isinstance(xlo, bool):
                lo = int(xlo) + 1
            if isinstance(xhi, (int, float)) and not isinstance(xhi, bool):
                hi = int(xhi) - 1
            v = 42
            if isinstance(lo, (int, float)) and v < lo:
                v = int(lo)
            if isinstance(hi, (int, float)) and v > hi:
                v = int(hi)
            if abs(v) >= 2 ** 53:
                v = int(lo) if isinstance(lo, (int, float)) and abs(lo) < 2 ** 53 else 0
            return int(v), True
        v = 1.5
        if isinstance(lo, (int, float)) and v < lo:
            v = float(lo)
        if isinstance(hi, (int, float)) and v > hi:
            v = float(hi)
        return v, True
    # string
    mn = s.get('minLength', 0) if isinstance(s.get('minLength'), int) else 0
    mx = s.get('maxLength') if isinstance(s.get('maxLength'), int) else None
    if isinstance(s.get('pattern'), str):
        v = sample_for(s['pattern'], mn, mx)
        if v is not None:
            return v, True
        STATS['unsatisfied'] += 1
        return 'x' * max(mn, 1), False
    return 's' * max(mn, 1 if (mx is None or mx >= 1) else 0), True


class Gen:
    def __init__(self):
        self.ok = True  # all constraints satisfied

    def value(self, s, depth=0):
        c = classify(s, depth)
        s = resolve(s)
        if c[0] == 'scalar':
            v, ok = scalar_value(s, c[1])
            self.ok &= ok
            return v
        if c[0] == 'object':
            return self.obj(c[1], depth)
        if c[0] == 'array':
            return [self.value(c[2], depth + 1) for _ in range(2)]
        if c[0] == 'anyarray':
            return [{"free": [1, "two"]}]
        t = stype(s)[0] if s else None
        if t == 'object':
            return {"free": {"form": True}}
        if t == 'null':
            return None
        return {"any": "value"}

    def obj(self, s, depth):
        out = {}
        for k in sorted(s['properties']):
            out[k] = self.value(s['properties'][k], depth + 1)
        out['x-unknown-member'] = {'kept': [1, 2]}
        return out


# ---- tolerant forms: same meaning, Proxmox spelling ---------------------------

BOOL_FORMS = [(1, 0), ('yes', 'no'), ('on', 'off'), ('1', '0'), ('true', 'false')]


def tolerant(s, v, counter, depth=0):
    c = classify(s, depth)
    if v is None:
        return v
    if c[0] == 'scalar':
        if c[1] == 'boolean' and isinstance(v, bool):
            counter[0] += 1
            f = BOOL_FORMS[counter[0] % len(BOOL_FORMS)]
            return f[0] if v else f[1]
        if c[1] in ('integer', 'number') and not isinstance(v, bool):
            counter[0] += 1
            return str(v)
        return v
    if c[0] == 'object':
        props = c[1]['properties']
        return {k: (tolerant(props[k], x, counter, depth + 1) if k in props else x)
                for k, x in v.items()}
    if c[0] == 'array':
        return [tolerant(c[2], x, counter, depth + 1) for x in v]
    return v


# ---- invalid instances ------------------------------------------------------

WRONG = {
    'boolean': ('maybe', 'expected boolean'),
    'integer': ({'n': 1}, 'expected integer'),
    'number': ('many', 'expected number'),
    'string': (True, 'expected string'),  # a number is a wire form of a string
}


def walk(s, v, path, depth=0):
    """Yields (path, container, key, schema, classification) for every typed
    position of a valid value."""
    c = classify(s, depth)
    yield path, c, resolve(s)
    if c[0] == 'object' and isinstance(v, dict):
        props = c[1]['properties']
        for k in sorted(props):
            if k in v:
                yield from walk(props[k], v[k], path + [k], depth + 1)
    elif c[0] == 'array' and isinstance(v, list) and v:
        yield from walk(c[2], v[0], path + [0], depth + 1)


def render(path):
    out = 'data'
    for p in path:
        out += '[%d]' % p if isinstance(p, int) else '.' + p
    return out


def set_at(v, path, new, delete=False):
    v = json.loads(json.dumps(v))
    if not path:
        return new
    cur = v
    for p in path[:-1]:
        cur = cur[p]
    if delete:
        del cur[path[-1]]
    else:
        cur[path[-1]] = new
    return v


def required_of(s):
    r = s.get('required')
    return r if isinstance(r, list) else []


def invalids(s, valid):
    found = {}
    for path, c, rs in walk(s, valid, []):
        if c[0] == 'scalar' and not c[2] and 'wrong_type' not in found:
            bad, msg = WRONG[c[1]]
            found['wrong_type'] = (path, bad, msg)
        if c[0] == 'object' and 'wrong_type' not in found:
            found['wrong_type'] = (path, 7, 'expected object')
        if c[0] == 'array' and 'wrong_type' not in found:
            found['wrong_type'] = (path, 7, 'expected array')
        if c[0] == 'scalar' and rs and 'enum_miss' not in found and \
                isinstance(rs.get('enum'), list) and rs['enum'] and \
                all(isinstance(x, str) for x in rs['enum']) and c[1] == 'string':
            found['enum_miss'] = (path, 'not-an-allowed-value-x', 'is not one of the allowed values')
        if c[0] == 'scalar' and c[1] in ('integer', 'number') and rs and \
                'out_of_range' not in found and 'enum' not in rs:
            if isinstance(rs.get('maximum'), (int, float)) and abs(rs['maximum']) < 2 ** 52:
                bad = rs['maximum'] + 1
                found['out_of_range'] = (path, int(bad) if c[1] == 'integer' else bad + 0.5,
                                         'above maximum')
            elif isinstance(rs.get('minimum'), (int, float)) and abs(rs['minimum']) < 2 ** 52:
                bad = rs['minimum'] - 1
                found['out_of_range'] = (path, int(bad) if c[1] == 'integer' else bad - 0.5,
                                         'below minimum')
        if c[0] == 'object' and 'missing_required' not in found:
            req = [k for k in required_of(c[1]) if k in c[1]['properties']]
            if req:
                found['missing_required'] = (path + [sorted(req)[0]], None,
                                             'missing required member')
    out = []
    for kind, (path, bad, msg) in sorted(found.items()):
        data = set_at(valid, path, bad, delete=(kind == 'missing_required'))
        out.append({'kind': kind, 'data': data, 'path': render(path), 'message': msg})
    return out


def main():
    global DOC
    DOC = json.load(open(sys.argv[1]))
    schemas = DOC.get('components', {}).get('schemas', {})
    n = 0
    with open(sys.argv[2], 'w') as out:
        for path, item in sorted(DOC['paths'].items()):
            for method, op in sorted(item.items()):
                if not isinstance(op, dict) or 'operationId' not in op:
                    continue
                oid = op['operationId']
                name = ''.join(w[:1].upper() + w[1:] for w in oid.split('_')) + 'Response'
                s = schemas.get(name, {})
                g = Gen()
                valid = g.value(s)
                rec = {'op': oid, 'kind': 'valid', 'data': valid, 'novalidate': not g.ok}
                out.write(json.dumps(rec) + '\n')
                cnt = [0]
                tol = tolerant(s, valid, cnt)
                if cnt[0]:
                    out.write(json.dumps({'op': oid, 'kind': 'tolerant', 'data': tol,
                                          'expect': valid, 'novalidate': not g.ok}) + '\n')
                if g.ok:
                    for bad in invalids(s, valid):
                        bad['op'] = oid
                        out.write(json.dumps(bad) + '\n')
                n += 1
    print('operations %d, patterns without a sample %d' % (n, STATS['unsatisfied']))


if __name__ == '__main__':
    main()
