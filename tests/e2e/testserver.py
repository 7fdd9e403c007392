#!/usr/bin/env python3
"""Small HTTP/HTTPS server on 127.0.0.1 for the e2e tests (stdlib only).

    python3 testserver.py --root DIR [--tls CERT KEY] [--port N]
                          [--port-file F] [--count-file F] [--conn-file F]

--port 0 (the default) picks a free port; it is written to --port-file
(atomically, so a test may poll for the file). Files are served from DIR
(a directory answers with its index.html). Special paths:

    /status/NNN       answers HTTP NNN with a short body
    /redirect?to=URL  302 with Location: URL (URL taken verbatim)
    /loop             302 with the relative Location /loop, forever
    /slow             200, then one byte per second forever
    /big              200 without Content-Length, endless body
    /headers          200, echoes the request headers as text

--count-file gets the number of HTTP requests served (written after each
request, starts at 0); --conn-file the number of TCP connections accepted
(so a test can prove that not even a TLS handshake reached the server).
The server exits on SIGTERM/SIGINT and when its parent process dies.
"""
import argparse
import http.server
import os
import signal
import socketserver
import ssl
import sys
import threading
import time
import urllib.parse


class Counter:
    def __init__(self, path):
        self.path = path
        self.value = 0
        self.lock = threading.Lock()
        self._write()

    def bump(self):
        with self.lock:
            self.value += 1
            self._write()

    def _write(self):
        if not self.path:
            return
        tmp = "%s.%d.tmp" % (self.path, os.getpid())
        with open(tmp, "w") as f:
            f.write("%d\n" % self.value)
        os.replace(tmp, self.path)


class Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # one line per request on stderr
        sys.stderr.write("testserver: " + (fmt % args) + "\n")
        sys.stderr.flush()

    def parse_request(self):
        # Counted as soon as a request line arrived, so endless answers
        # (/slow, /big) and malformed requests count too.
        ok = super().parse_request()
        self.server.requests.bump()
        return ok

    def _simple(self, code, body, headers=()):
        data = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _drip(self, chunk, delay):
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        try:
            while not self.server.stopping.is_set():
                self.wfile.write(chunk)
                self.wfile.flush()
                if delay:
                    time.sleep(delay)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            pass

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        parts = url.path.split("/")
        if len(parts) == 3 and parts[1] == "status" and parts[2].isdigit():
            code = int(parts[2])
            return self._simple(code, "status %d\n" % code)
        if url.path == "/redirect":
            to = urllib.parse.parse_qs(url.query).get("to", ["/"])[0]
            return self._simple(302, "redirect\n", [("Location", to)])
        if url.path == "/loop":
            return self._simple(302, "loop\n", [("Location", "/loop")])
        if url.path == "/slow":
            return self._drip(b"x", 1.0)
        if url.path == "/big":
            return self._drip(b"y" * 65536, 0)
        if url.path == "/headers":
            return self._simple(200, str(self.headers))
        return super().do_GET()

    do_HEAD = do_GET


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, addr, handler, root, tls, counts, conns):
        self.root = root
        self.tls = tls
        self.requests = counts
        self.conns = conns
        self.stopping = threading.Event()
        super().__init__(addr, handler)

    def get_request(self):
        sock, addr = self.socket.accept()
        self.conns.bump()
        if self.tls is not None:
            # The handshake happens in the handler thread, so a stalled
            # client cannot block the accept loop.
            sock = self.tls.wrap_socket(sock, server_side=True,
                                        do_handshake_on_connect=False)
        return sock, addr

    def finish_request(self, request, client_address):
        self.RequestHandlerClass(request, client_address, self,
                                 directory=self.root)

    def handle_error(self, request, client_address):
        # TLS handshakes refused by a verifying client are expected.
        if os.environ.get("TESTSERVER_VERBOSE"):
            super().handle_error(request, client_address)


def watch_parent(server, parent):
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            server.stopping.set()
            os._exit(0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    ap.add_argument("--count-file")
    ap.add_argument("--conn-file")
    a = ap.parse_args()

    tls = None
    if a.tls:
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(a.tls[0], a.tls[1])
    server = Server(("127.0.0.1", a.port), Handler, os.path.abspath(a.root),
                    tls, Counter(a.count_file), Counter(a.conn_file))

    def stop(signum, frame):
        server.stopping.set()
        os._exit(0)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    threading.Thread(target=watch_parent, args=(server, os.getppid()),
                     daemon=True).start()

    port = server.server_address[1]
    if a.port_file:
        tmp = a.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % port)
        os.replace(tmp, a.port_file)
    server.serve_forever(poll_interval=0.2)


if __name__ == "__main__":
    main()
