"""Walks every route of a route_metadata.json against a mock started with
--no-auth and a seed of two nodes, pve (with the built-in objects) and pve2: one well-formed request per route (path, query and body values
made from the parameter schemas; items a path needs are created first
through their collection), then one invalid request per route, which must
answer 400 naming the offending parameter. Responses go to a JSON-lines
file (recorder format) for the Ajv and C-model checks.
Prints "walk: tested T/N routes answered 2xx" and every skip with its reason.
Usage: walk_routes.py BASE_URL route_metadata.json OUT.jsonl
Exit 1 when a well-formed request fails or an invalid one is not refused."""
import json
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

base, meta_path, out_path = sys.argv[1:4]
meta = json.load(open(meta_path))
schemas = meta['schemas']
routes = meta['routes']
out = open(out_path, 'w')
by_key = {(r['method'], r['path']): r for r in routes}


def unptr(tok):
    return urllib.parse.unquote(tok).replace('~1', '/').replace('~0', '~')


def resolve(s):
    for _ in range(32):
        if not isinstance(s, dict) or '$ref' not in s:
            return s
        parts = s['$ref'][len('#/schemas/'):].split('/')
        cur = schemas[unptr(parts[0])]
        for p in parts[1:]:
            cur = cur[int(p)] if isinstance(cur, list) else cur[unptr(p)]
        s = cur
    return s


def declared(s):
    t = s.get('x-proxmox-type', s.get('type'))
    if isinstance(t, list):
        t = next((x for x in t if x != 'null'), None)
    return t


CANDIDATES = ['walk1', 'mock', 'pve', 'local', '100', '1', '0', 'vmbr0', 'root@pam', 'a1',
              '00000000', '0123456789abcdef', 'aa:bb:cc:dd:ee:ff', '10.0.0.1', '10.0.0.0/24',
              '2026-01-01', 'local:iso/walk.iso', 'https://localhost', 'none', 'walk-1',
              '/dev/sda', '100-0', ':'.join(['AA'] * 32), 'pve1c-0123456789', 'docker.io/library/debian:12',
              'global:fsid', 'walk2', '100-1', '00000000-0000-0000-0000-000000000000', '0' * 64,
              ':'.join(['00'] * 32), 'sda', 'root@pam!mock']


def pattern_ok(pat, v):
    try:
        return re.fullmatch(pat.replace('(?^:', '(?:'), v) is not None
    except re.error:
        return True


def prop_string(fmt):
    parts = []
    for k, ks in sorted(fmt.items()):
        if not isinstance(ks, dict) or ks.get('alias') or ks.get('keyAlias') or ks.get('optional'):
            continue
        v = str(value(ks, k))
        parts.insert(0, v) if ks.get('default_key') else parts.append('%s=%s' % (k, v))
    return ','.join(parts) if parts else None


def value(s, name):
    s = resolve(s)
    t = declared(s)
    if 'enum' in s:
        return s['enum'][0]
    if t == 'boolean':
        return 1
    if t in ('integer', 'number'):
        lo = s.get('minimum', 0)
        hi = s.get('maximum')
        v = max(lo, 1) if hi is None or hi >= 1 else lo
        return int(v) if t == 'integer' else v
    if t == 'array':
        v = value(s.get('items', {}), name)
        return None if v is None else [v]
    if isinstance(s.get('x-proxmox-property-string'), dict):
        fs = resolve(s['x-proxmox-property-string'])
        dk = fs.get('x-proxmox-default-key')
        parts = []
        for k in fs.get('required', []):
            v = str(value(fs['properties'][k], k))
            parts.insert(0, v) if k == dk else parts.append('%s=%s' % (k, v))
        if parts:
            return ','.join(parts)
    if isinstance(s.get('x-proxmox-format'), dict):
        ps = prop_string(s['x-proxmox-format'])
        if ps is not None:
            return ps
    pat = s.get('pattern')
    for c in CANDIDATES:
        if (not pat or pattern_ok(pat, c)) and len(c) <= s.get('maxLength', 1e9) and \
                len(c) >= s.get('minLength', 0):
            return c
    return 'walk1' + 'x' * max(0, int(s.get('minLength', 0)) - 5)


def request(method, path, params, record=True):
    url = base + '/api2/json' + urllib.parse.quote(path, safe='/:@!$,;=')
    data = None
    if method in ('GET', 'DELETE'):
        if params:
            url += '?' + urllib.parse.urlencode(params, doseq=True)
    else:
        data = urllib.parse.urlencode(params, doseq=True).encode()
    req = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        req.add_header('Content-Type', 'application/x-www-form-urlencoded')
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            status, text = resp.status, resp.read()
    except urllib.error.HTTPError as e:
        status, text = e.code, e.read()
    try:
        body = json.loads(text)
    except ValueError:
        body = {'unparsable': text[:200].decode('latin-1')}
    return status, body


def record(r, path, status, body):
    out.write(json.dumps({'method': r['method'], 'url': path, 'route': r['path'],
                          'op': r['operation_id'], 'status': status, 'body': body}) + '\n')


def all_params(r):
    return r['parameters']['path'] + r['parameters']['query'] + r['parameters']['body']


def body_for(r, overrides):
    p = {}
    for prm in r['parameters']['query'] + r['parameters']['body']:
        n = prm['name']
        if n in overrides:
            p[n] = overrides[n]
        elif prm['required'] and 'name_pattern' not in prm:
            v = value(prm['schema'], n)
            if v is not None:
                p[n] = v
    return p


FIXED = {'node': 'pve'}
LOGIN = {'username': 'root@pam', 'password': 'proxmox'}   # the built-in seed's user
created = {}
upid_box = []


def item_template(segs, i):
    """The GET route of the item whose id is segment i, if its collection has a POST."""
    tpl = '/' + '/'.join(segs[:i + 1])
    g = by_key.get(('GET', tpl))
    if g and g['parent'] and ('POST', g['parent']['template']) in by_key:
        return g
    return None


def ensure(segs, vals, i):
    """Creates the item at segment i (through its collection) unless done.
    A collection whose POST takes no id names its children 0, 1, ... (the
    mock's rule): the path then uses the id the mock gave."""
    g = item_template(segs, i)
    name = segs[i][1:-1]
    if g is None:
        return True
    coll_tpl = g['parent']['template']
    coll = concrete(coll_tpl.strip('/').split('/'), vals)
    post = by_key[('POST', coll_tpl)]
    takes_id = any(p['name'] == name for p in all_params(post))
    key = coll + '/' + (str(vals[name]) if takes_id else '*')
    if key in created:
        if created[key] and not takes_id:
            vals[name] = created[key]
        return bool(created[key])
    if takes_id and request('GET', key, {})[0] == 200:   # seeded, or made by an earlier route
        created[key] = True
        return True
    params = body_for(post, {name: vals[name]} if takes_id else {})
    if takes_id:
        params[name] = vals[name]
    status, body = request('POST', coll, params)
    created[key] = status == 200
    if status != 200:
        print('  (could not create %s: %s %s)' % (key, status, body.get('errors') or body.get('message')))
    elif not takes_id:
        created[key] = vals[name] = '0'
    return bool(created[key])


def concrete(segs, vals):
    return '/' + '/'.join(str(vals[s[1:-1]]) if s.startswith('{') else s for s in segs)


def path_values(r):
    segs = [s for s in r['path'].split('/') if s]
    vals = {}
    for i, s in enumerate(segs):
        if not s.startswith('{'):
            continue
        name = s[1:-1]
        prm = next(p for p in r['parameters']['path'] if p['name'] == name)
        if name in FIXED:
            vals[name] = FIXED[name]
        elif name == 'vmid':
            vals[name] = 101 if i > 0 and segs[i - 1] == 'lxc' else 100
        elif name == 'storage':
            vals[name] = 'local'
        elif name == 'upid':
            vals[name] = upid_box[0]
        else:
            vals[name] = value(prm['schema'], name)
    return segs, vals


def fresh_id(r, vals):
    """A new child id for a POST to a collection (the walker's own items use walk1)."""
    name = r['child']['parameter']
    prm = next((p for p in all_params(r) if p['name'] == name), None)
    if prm is None:
        return {}
    s = resolve(prm['schema'])
    if declared(s) in ('integer', 'number'):
        fresh_id.n += 1
        return {name: 9000 + fresh_id.n}
    v = value(s, name)
    pat = s.get('pattern', '.*')
    return {name: next((c for c in CANDIDATES[::-1] if c != v and pattern_ok(pat, c)), v)}


fresh_id.n = 0


def well_formed(r):
    segs, vals = path_values(r)
    for i, s in enumerate(segs):
        if s.startswith('{') and not ensure(segs, vals, i):
            return None, 'could not create the item %s needs' % s
    path = concrete(segs, vals)
    overrides = dict(FIXED)
    fresh_id.n += 1
    overrides.update({'newid': 9500 + fresh_id.n, 'target': 'pve2'})   # clone, migrate
    if r['path'] == '/access/ticket':
        overrides.update(LOGIN)
    if r['child'] and r['method'] == 'POST':
        overrides.update(fresh_id(r, vals))
    params = body_for(r, overrides)
    status, body = request(r['method'], path, params)
    record(r, path, status, body)
    if status == 200 and r['method'] == 'POST' and \
            re.fullmatch(r'/nodes/\{node\}/(qemu|lxc)/\{vmid\}/migrate', r['path']):   # bring the guest back
        back = path.replace('/nodes/pve/', '/nodes/pve2/', 1)
        st, b = request('POST', back, dict(params, target='pve'))
        if st != 200:
            return st, b
    return status, body


def invalid(r):
    """One bad request: a missing required, a wrong type, or an unknown name."""
    segs, vals = path_values(r)
    params = body_for(r, dict(FIXED))
    want = None
    for prm in r['parameters']['query'] + r['parameters']['body']:
        if prm['required'] and prm['name'] in params and prm['name'] not in FIXED:
            del params[prm['name']]
            want = prm['name']
            break
    if want is None:
        for prm in r['parameters']['path']:
            if declared(resolve(prm['schema'])) == 'integer':
                vals[prm['name']] = 'x1'
                want = prm['name']
                break
    if want is None:
        want = 'walk-bogus'
        params[want] = 1
    path = concrete(segs, vals)
    status, body = request(r['method'], path, params)
    return want, status, body


def order(r):
    m = {'GET': 0, 'PUT': 1, 'POST': 2, 'DELETE': 3}[r['method']]
    return (m, -len(r['path']) if m == 3 else 0, r['path'])


# a task id for the task routes
st, b = request('POST', '/nodes/pve/qemu/100/status/start', {})
upid_box.append(b.get('data') if st == 200 else 'UPID:pve:00000000:00000000:00000000:x:1:root@pam:')
tested, failures, skips = 0, [], []
for r in sorted(routes, key=order):
    status, body = well_formed(r)
    if status is None:
        skips.append('%s %s: %s' % (r['method'], r['path'], body))
        continue
    if status != 200:
        failures.append('%s %s: HTTP %s %s' % (r['method'], r['path'], status,
                                               json.dumps(body)[:200]))
        continue
    tested += 1
bad_ok, bad_fail = 0, []
for r in sorted(routes, key=order):
    want, status, body = invalid(r)
    if status == 400 and want in (body.get('errors') or {}):
        bad_ok += 1
    else:
        bad_fail.append('%s %s: %s gave HTTP %s %s' % (r['method'], r['path'], want, status,
                                                      json.dumps(body)[:160]))
print('walk: tested %d/%d routes answered 2xx to a well-formed request; %d skipped'
      % (tested, len(routes), len(skips)))
for s in skips:
    print('  skip: ' + s)
print('walk: %d/%d invalid requests answered 400 naming the parameter' % (bad_ok, len(routes)))
for f in failures[:40]:
    print('  FAIL: ' + f)
for f in bad_fail[:40]:
    print('  FAIL (invalid request): ' + f)
sys.exit(1 if failures or bad_fail else 0)
