"""Records every HTTP response a Python client receives (requests-based
clients such as proxmoxer), with the route it answers, as JSON lines:
{"method","url","route","op","status","body"}. The route is found in
route_metadata.json the way the mock finds it (literal segments first)."""
import json
import urllib.parse

import requests


class Routes:
    def __init__(self, metadata_path):
        meta = json.load(open(metadata_path))
        self.routes = []
        for r in meta['routes']:
            segs = [s for s in r['path'].split('/') if s]
            self.routes.append((r['method'], segs, r['path'], r['operation_id']))

    def find(self, method, path):
        segs = [urllib.parse.unquote(s) for s in path.split('/') if s]
        best = None
        for m, tsegs, tpath, op in self.routes:
            if m != method or len(tsegs) != len(segs):
                continue
            if all(t.startswith('{') or t == s for t, s in zip(tsegs, segs)):
                lit = sum(not t.startswith('{') for t in tsegs)
                if best is None or lit > best[0]:
                    best = (lit, tpath, op)
        return (best[1], best[2]) if best else (None, None)


def install(metadata_path, out_path):
    routes = Routes(metadata_path)
    out = open(out_path, 'a')
    original = requests.Session.request

    def request(self, method, url, *args, **kwargs):
        resp = original(self, method, url, *args, **kwargs)
        path = urllib.parse.urlsplit(resp.url).path
        path = path[len('/api2/json'):] if path.startswith('/api2/json') else path
        tpath, op = routes.find(method.upper(), path)
        try:
            body = resp.json()
        except ValueError:
            body = {'unparsable': resp.text[:200]}
        out.write(json.dumps({'method': method.upper(), 'url': path, 'route': tpath, 'op': op,
                              'status': resp.status_code, 'body': body}) + '\n')
        out.flush()
        return resp

    requests.Session.request = request
    # proxmoxer logs in with requests.post (a Session underneath)
    return routes
