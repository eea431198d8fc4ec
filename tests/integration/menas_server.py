#!/usr/bin/env python3
"""A Menas test server: the part of the Menas REST API Spot uses, as implemented in the Enceladus
repository (plugins/enrichers/enceladus/README.md, "Menas"), serving Run documents built from the
real Atum control measures of tests/fixtures/enceladus. No Menas can run here (it needs MongoDB and a servlet
container), so this stands in for it, following the documented behaviour:

- POST /api/login with username and password as form fields or query parameters; 401 when they
  are wrong. API 2 (Menas 2.x) answers with a `JWT` cookie and an X-CSRF-TOKEN header; API 3
  (the rest-api module) with a `JWT` response header. Later requests must send the token back
  the same way (cookie, or `JWT` request header); without it, or once it has expired, 401.
- GET /api/runs/bySparkAppId/{appId}: a JSON array of full Run documents whose
  additionalInfo.std_application_id or conform_application_id is appId; 200 with [] when none.
- Anything else: 404 with an empty body.

    menas_server.py SPEC_JSON PORT_FILE

SPEC_JSON: {"fixtures": DIR, "api": 2|3, "user": U, "password": P, "token_uses": N (requests a
token is good for; 0: unlimited), "stall": seconds before each runs answer,
"runs": [{"info": FILE in DIR, "run_id": N, "app_ids": {"std": ID, "conform": ID},
"attempt_ids": {"std": "1"}, "override": {Run field: value}}]}.
Each run is the control measure of FILE with the given application (and attempt) ids written into
its additionalInfo, the dataset and version its command line names, and the fields of a Run
(uniqueId, runId, splineRef, startDateTime, runStatus) as Enceladus fills them. GET /__test/stats
(not Menas: for the tests) answers {"logins", "runs_requests", "refused"}.
"""
import copy
import http.server
import json
import os
import secrets
import sys
import threading
import time
import urllib.parse
import uuid

with open(sys.argv[1]) as f:
    spec = json.load(f)
api = int(spec.get("api", 2))
token_uses = int(spec.get("token_uses", 0))
lock = threading.Lock()
tokens = {}  # token -> requests left (None: unlimited)
stats = {"logins": 0, "runs_requests": 0, "refused": 0}


def build_run(entry):
    with open(os.path.join(spec["fixtures"], entry["info"])) as f:
        measure = json.load(f)
    info = measure["metadata"].setdefault("additionalInfo", {})
    for prefix, app_id in entry.get("app_ids", {}).items():
        info[f"{prefix}_application_id"] = app_id
    for prefix, attempt in entry.get("attempt_ids", {}).items():
        info[f"{prefix}_spark_attempt_id"] = attempt
    args = (info.get("conform_cmd_line_args") or info.get("std_cmd_line_args") or "").split()
    flag = lambda name: args[args.index(name) + 1] if name in args else None
    checkpoints = measure.get("checkpoints", [])
    run = {
        "uniqueId": measure.get("runUniqueId") or str(uuid.uuid5(uuid.NAMESPACE_URL, entry["info"] + str(entry["run_id"]))),
        "runId": entry["run_id"],
        "dataset": flag("--dataset-name"),
        "datasetVersion": int(flag("--dataset-version") or 0),
        "splineRef": {"sparkApplicationId": info.get("conform_application_id") or info.get("std_application_id"),
                      "outputPath": info.get("conform_output_dir") or info.get("std_output_dir", "")},
        "startDateTime": checkpoints[0]["processStartTime"] if checkpoints else "01-01-2020 00:00:00 +0000",
        "runStatus": {"status": "allSucceeded"},
        "controlMeasure": measure,
    }
    run.update(copy.deepcopy(entry.get("override", {})))
    return run


runs = [build_run(e) for e in spec.get("runs", [])]


class Menas(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body=b"", ctype="application/json", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def token_of_request(self):
        if api == 3:
            return self.headers.get("JWT")
        for part in (self.headers.get("Cookie") or "").split(";"):
            name, _, value = part.strip().partition("=")
            if name == "JWT":
                return value
        return None

    def authorised(self):
        token = self.token_of_request()
        with lock:
            if token not in tokens:
                stats["refused"] += 1
                return False
            if tokens[token] is not None:
                if tokens[token] <= 0:
                    del tokens[token]  # expired
                    stats["refused"] += 1
                    return False
                tokens[token] -= 1
            return True

    def do_POST(self):
        url = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        if url.path != "/api/login":
            self.answer(404)
            return
        form = urllib.parse.parse_qs(url.query)
        form.update(urllib.parse.parse_qs(body))
        if form.get("username") != [spec["user"]] or form.get("password") != [spec["password"]]:
            self.answer(401)
            return
        token = secrets.token_hex(16)
        with lock:
            tokens[token] = token_uses or None
            stats["logins"] += 1
        csrf = str(uuid.uuid4())
        if api == 3:
            self.answer(200, headers=[("JWT", token)])
        else:
            self.answer(200, headers=[("Set-Cookie", f"JWT={token}; Path=/; Max-Age=28800; HttpOnly"),
                                      ("X-CSRF-TOKEN", csrf)])

    def do_GET(self):
        path = urllib.parse.urlsplit(self.path).path
        if path == "/__test/stats":
            with lock:
                self.answer(200, json.dumps(stats).encode())
            return
        prefix = "/api/runs/bySparkAppId/"
        if not path.startswith(prefix):
            self.answer(404)
            return
        if not self.authorised():
            self.answer(401, headers=[("WWW-Authenticate", "Negotiate")])
            return
        with lock:
            stats["runs_requests"] += 1
        time.sleep(float(spec.get("stall", 0)))
        app_id = urllib.parse.unquote(path[len(prefix):])
        found = [r for r in runs
                 if app_id in (r["controlMeasure"]["metadata"]["additionalInfo"].get("std_application_id"),
                               r["controlMeasure"]["metadata"]["additionalInfo"].get("conform_application_id"))]
        self.answer(200, json.dumps(found).encode())


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Menas)
server.daemon_threads = True
with open(sys.argv[2] + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
server.serve_forever()
