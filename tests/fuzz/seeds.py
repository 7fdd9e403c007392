#!/usr/bin/env python3
"""Seed corpora for the fuzzers, made from the fixture files at run time."""
import json, os, sys

fx, work = sys.argv[1], sys.argv[2]
index, payloads = (sys.argv[3], sys.argv[4]) if len(sys.argv) > 4 else (None, None)


def put(kind, name, data):
    d = os.path.join(work, "corpus_" + kind)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


put("viewer", "pve.html", '<!DOCTYPE html><html><head><title>Proxmox VE API Documentation</title>'
    '<script type="text/javascript" src="extjs/ext-all.js"></script>'
    '<script type="text/javascript" src="apidoc.js"></script></head><body></body></html>')
put("viewer", "split.html", '<html><head><script src="/pve2/ext6/ext-all.js"></script>'
    '<script src="apidata.js"></script><script src="PVEAPI.js"></script></head></html>')
# URL/path classifier: every parser-differential spelling found so far.
for i, u in enumerate(["https://pve.example.com:8006", "https://pve1.lan:8006/",
                       "https:/host/path", "https:host/path", "https:///host/path",
                       "https:\\\\host\\path", " https://host/", "\thttps://host/",
                       "ht\ttps://host/", "file:/etc/passwd", "file:///etc/passwd",
                       "HTTPS://[::1]:8006/", "https://a@b/", "apidoc.js",
                       "./https://host/x", "c:/windows"]):
    put("source", "seed%02d" % i, u)
for f in ("pve-9.1.js", "pbs-4.js"):
    src = open(os.path.join(fx, f), "rb").read()
    put("split", f + ".head", src[:16384])
    put("split", f + ".tail", src[-16384:])
    text = src.decode()
    start = text.index("[")
    tree, _ = json.JSONDecoder().raw_decode(text, start)
    for i, node in enumerate(tree[0].get("children", [])[:6]):
        put("normalize", f"{f}.{i}.json", json.dumps([node]))

if index:
    # The runtime harness reads two bytes of operation index (sorted ids).
    ops = sorted(json.load(open(index))["operations"])
    for name in sorted(os.listdir(payloads)):
        op = name[:-5]
        if op in ops:
            i = ops.index(op)
            body = open(os.path.join(payloads, name), "rb").read()
            put("runtime", name, bytes([i >> 8, i & 255]) + body)

# The property-string harness reads a format byte, a dialect byte, then the
# text: every string member of the recorded qemu/lxc configs, with every
# format and dialect index the first bytes may pick.
resp = os.path.join(os.path.dirname(os.path.abspath(fx)), "responses")
n = 0
for name in ("009.json", "036.json", "037.json"):
    path = os.path.join(resp, name)
    if not os.path.exists(path):
        continue
    data = json.load(open(path))["body"]["data"]
    for key, value in sorted(data.items()):
        if isinstance(value, str) and ("=" in value or "," in value):
            put("propstr", f"{name}.{key}", bytes([n % 256, n % 4]) + value.encode())
            n += 1
put("propstr", "rust-quoted", bytes([7, 1]) + b'a,b="x,\\"y\\"",c=1')
