#!/usr/bin/env python3
"""A small Proxmox node for the credential e2e tests (stdlib only).

    python3 proxmoxserver.py --root DIR --bind ADDR --tls CERT KEY
        --port-file F --log F [--token HEADER] [--user U --password P]
        [--totp CODE] [--release 9.2 --version 9.2.3]

Serves DIR as static files (a directory without its trailing slash gets a
301 to the slash, as Proxmox's proxy does) plus:

    GET  /api2/json/version        {"data": {...}}; 401 unless the request
                                   carries Authorization: HEADER or a
                                   ticket cookie this server issued
    POST /api2/json/access/ticket  username + password (and, with --totp,
                                   a second POST with tfa-challenge and
                                   password=totp:CODE) -> ticket + CSRF
    GET  /redirect?to=URL          302 to URL

Every request is appended to --log as one JSON line with the method, the
path and the Authorization, Cookie and CSRFPreventionToken headers it
carried (null when absent), so a test can prove where credentials went.
The server exits on SIGTERM and when its parent dies.
"""
import argparse
import http.server
import json
import os
import secrets
import signal
import socketserver
import ssl
import sys
import threading
import time
import urllib.parse


class Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        sys.stderr.write("proxmoxserver: " + (fmt % args) + "\n")

    def _record(self):
        entry = {"method": self.command, "path": self.path,
                 "authorization": self.headers.get("Authorization"),
                 "cookie": self.headers.get("Cookie"),
                 "csrf": self.headers.get("CSRFPreventionToken")}
        with self.server.lock:
            with open(self.server.opts.log, "a") as f:
                f.write(json.dumps(entry) + "\n")

    def _json(self, code, doc, headers=()):
        data = json.dumps(doc).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _authorized(self):
        o = self.server.opts
        if o.token and self.headers.get("Authorization") == o.token:
            return True
        for part in (self.headers.get("Cookie") or "").split(";"):
            name, _, value = part.strip().partition("=")
            if name == "PVEAuthCookie" and value in self.server.tickets:
                return True
        return False

    def do_GET(self):
        self._record()
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/api2/json/version":
            if not self._authorized():
                return self._json(401, {"data": None})
            o = self.server.opts
            return self._json(200, {"data": {"release": o.release,
                                             "version": o.version,
                                             "repoid": "0123abcd"}})
        if url.path == "/redirect":
            to = urllib.parse.parse_qs(url.query).get("to", ["/"])[0]
            return self._json(302, {}, [("Location", to)])
        return super().do_GET()

    def do_POST(self):
        self._record()
        n = int(self.headers.get("Content-Length") or 0)
        form = urllib.parse.parse_qs(self.rfile.read(n).decode())
        get = lambda k: form.get(k, [None])[0]
        o = self.server.opts
        if urllib.parse.urlsplit(self.path).path != "/api2/json/access/ticket":
            return self._json(404, {"data": None})
        if get("tfa-challenge") is not None:
            ok = (get("tfa-challenge") in self.server.challenges and
                  get("password") == "totp:%s" % o.totp)
        else:
            ok = get("username") == o.user and get("password") == o.password
            if ok and o.totp:
                chal = "PVE:%s:!tfa!%s" % (o.user, secrets.token_hex(8))
                self.server.challenges.add(chal)
                return self._json(200, {"data": {"ticket": chal, "NeedTFA": 1,
                                                 "CSRFPreventionToken": "c0",
                                                 "username": o.user}})
        if not ok:
            return self._json(401, {"data": None})
        ticket = "PVE:%s:%s" % (o.user, secrets.token_hex(16))
        self.server.tickets.add(ticket)
        return self._json(200, {"data": {"ticket": ticket, "username": o.user,
                                         "CSRFPreventionToken": "csrf-" + secrets.token_hex(4)}})


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, opts, tls):
        self.opts = opts
        self.tls = tls
        self.lock = threading.Lock()
        self.tickets = set()
        self.challenges = set()
        super().__init__((opts.bind, 0), Handler)

    def get_request(self):
        sock, addr = self.socket.accept()
        return self.tls.wrap_socket(sock, server_side=True,
                                    do_handshake_on_connect=False), addr

    def finish_request(self, request, client_address):
        Handler(request, client_address, self, directory=self.opts.root)

    def handle_error(self, request, client_address):
        pass  # handshakes a pinning client aborts are expected


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--bind", default="127.0.0.1")
    ap.add_argument("--tls", nargs=2, required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--token")
    ap.add_argument("--user")
    ap.add_argument("--password")
    ap.add_argument("--totp")
    ap.add_argument("--release", default="9.2")
    ap.add_argument("--version", default="9.2.3")
    o = ap.parse_args()
    o.root = os.path.abspath(o.root)
    open(o.log, "a").close()
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(o.tls[0], o.tls[1])
    server = Server(o, tls)
    signal.signal(signal.SIGTERM, lambda *a: os._exit(0))
    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)
    threading.Thread(target=watch, daemon=True).start()
    tmp = o.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % server.server_address[1])
    os.replace(tmp, o.port_file)
    server.serve_forever(poll_interval=0.2)


if __name__ == "__main__":
    main()
