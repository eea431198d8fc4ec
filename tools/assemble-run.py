#!/usr/bin/env python3
"""Assembles one Run (the History Server REST shape Spot's sources produce) from saved REST
responses: the application, and for its attempt the executors, stages and environment.

  tools/assemble-run.py --app one_app.json --executors executors.json --stages stages.json \
      [--environment environment.json] > run.json

Used to make deploy/examples/runs/ from Apache Spark's HistoryServerExpectations fixtures.
"""
import argparse
import json
import sys


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--app", required=True, help="applications/{id} response")
    p.add_argument("--executors", required=True, help="applications/{id}/allexecutors response")
    p.add_argument("--stages", required=True, help="applications/{id}/stages response")
    p.add_argument("--environment", help="applications/{id}/environment response")
    a = p.parse_args()
    app = load(a.app)
    if len(app.get("attempts", [])) != 1:
        sys.exit("assemble-run.py: only single-attempt applications are supported")
    attempt = app["attempts"][0]
    attempt["allexecutors"] = load(a.executors)
    attempt["stages"] = load(a.stages)
    attempt["environment"] = load(a.environment) if a.environment else {}
    json.dump(app, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
