#!/usr/bin/env python3
"""A misbehaving HTTP proxy in front of a real server (History Server, OpenSearch, Elasticsearch),
for the fault tests.

    fault_proxy.py UPSTREAM_PORT RULES_JSON PORT_FILE

RULES_JSON is a list of {"path": regex searched in the request path, "fault": kind,
"times": n (-1: always), "method": optional HTTP method the rule is limited to}. Kinds: html500 (an HTML 500 page), truncated (the real answer cut in
half, with a matching Content-Length: a 200 with broken JSON), notfound (404, plain text), reset
(the connection reset without an answer), stall (10 s of silence, then the real answer), throttle
(429 with Retry-After: 1); for the /logs zips also zipbomb (a 200 with a zip whose one entry
inflates 64 MiB of zeros, ratio ~1000) and traversal (the real zip with an extra entry named
../../spot-escape, which a reader must refuse). Requests no rule matches are passed through. Writes the port it
listens on to PORT_FILE and a line per injected fault to stdout. For a search node: garbage (a 200
whose body is not JSON) and badversion (GET / answered with a JSON object of the wrong shape: a
version that is a number). GET, HEAD, PUT, POST and DELETE are forwarded with their bodies.
"""
import http.server
import json
import os
import re
import socket
import struct
import sys
import threading
import time
import urllib.error
import urllib.request
import zipfile
import io

upstream_port = int(sys.argv[1])
with open(sys.argv[2]) as f:
    rules = json.load(f)
lock = threading.Lock()


def pick(method, path):
    with lock:
        for rule in rules:
            if rule.get("method", method) != method:
                continue
            if re.search(rule["path"], path) and rule.get("times", -1) != 0:
                if rule.get("times", -1) > 0:
                    rule["times"] -= 1
                return rule["fault"]
    return None


class Proxy(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def upstream(self):
        req = urllib.request.Request(f"http://127.0.0.1:{upstream_port}{self.path}", data=self.data,
                                     method=self.command)
        if self.headers.get("Content-Type"):
            req.add_header("Content-Type", self.headers["Content-Type"])
        try:
            with urllib.request.urlopen(req, timeout=120) as r:
                return r.status, r.headers.get("Content-Type", "application/json"), r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers.get("Content-Type", "text/plain"), e.read()

    def answer(self, status, ctype, body, extra=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.data = self.rfile.read(length) if length else None  # read whatever the answer
        fault = pick(self.command, self.path)
        if fault:
            print(f"{fault} {self.path}", flush=True)
        if fault == "html500":
            self.answer(500, "text/html", b"<html><head><title>Error 500 Server Error</title></head>"
                                          b"<body><h2>HTTP ERROR 500</h2></body></html>")
        elif fault == "truncated":
            status, ctype, body = self.upstream()
            self.answer(200, ctype, body[: len(body) // 2])
        elif fault == "notfound":
            self.answer(404, "text/plain", b"unknown app")
        elif fault == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
        elif fault == "stall":
            time.sleep(10)
            self.answer(*self.upstream())
        elif fault == "zipbomb":
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
                z.writestr("eventlog", b"\0" * (64 << 20))
            self.answer(200, "application/octet-stream", out.getvalue())
        elif fault == "traversal":
            status, ctype, body = self.upstream()
            out = io.BytesIO()
            with zipfile.ZipFile(io.BytesIO(body)) as real, \
                    zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
                z.writestr("../../spot-escape", b"written outside the work area")
                for info in real.infolist():
                    z.writestr(info, real.read(info))
            self.answer(200, "application/octet-stream", out.getvalue())
        elif fault == "throttle":
            self.answer(429, "text/plain", b"slow down", [("Retry-After", "1")])
        elif fault == "garbage":
            self.upstream()  # the server did the work; the answer is lost on the way
            self.answer(200, "application/json", b"<<this is not JSON>>")
        elif fault == "badversion":
            self.answer(200, "application/json", b'{"name":"n","version":7,"tagline":"odd"}')
        else:
            self.answer(*self.upstream())

    do_HEAD = do_GET
    do_PUT = do_GET
    do_POST = do_GET
    do_DELETE = do_GET


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
server.daemon_threads = True
with open(sys.argv[3] + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(sys.argv[3] + ".tmp", sys.argv[3])  # the test reads it only once it is whole
server.serve_forever()
