#!/usr/bin/env python3
"""Writes the Elasticsearch sink's explicit field types from documents Spot wrote.

    tools/gen-mappings.py OUT_DIR JSONL_DIR...

Reads every <stream>.jsonl (and rotated <stream>.<time>.jsonl) of the file sink in the given
folders and writes OUT_DIR/<stream>.json: {"properties": ...} with one explicit type per field
path: whole numbers long, other numbers double, true/false boolean, ISO-8601 times date, other
strings text with a keyword subfield (what the reference dashboards query). Fields covered by a
path template of OUT_DIR/families.json (statistics named by their suffix, maps keyed by data) are
left to it. A path seen with two kinds that do not widen (a number and a string) is an error.
Run it over documents of every fixture after a change of what Spot writes, then review the diff:
plugins/sinks/elasticsearch/README.md says how.
"""
import fnmatch
import json
import re
import sys
from pathlib import Path

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
STRING = {"type": "text", "fields": {"keyword": {"type": "keyword", "ignore_above": 1024}}}
# Words that dashboards group by (deploy/dashboards/spot-analysis.ndjson): keyword, no text.
KEYWORDS = {"attempt.analysis.severity", "attempt.analysis.findings.heuristic",
            "attempt.analysis.findings.severity", "attempt.analysis.findings.suggestion.key",
            "attempt.analysis.findings.suggestion.value"}


def kind(value):
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    if isinstance(value, str):
        return "date" if DATE.match(value) else "string"
    return None


def walk(value, path, kinds):
    if isinstance(value, dict):
        for key, v in value.items():
            walk(v, f"{path}.{key}" if path else key, kinds)
    elif isinstance(value, list):
        for v in value:
            walk(v, path, kinds)
    elif value is not None:
        kinds.setdefault(path, set()).add(kind(value))


def family_globs(families):
    globs = []
    for entry in families["dynamic_templates"]:
        (rule,) = entry.values()
        if "path_match" in rule:
            globs.append(rule["path_match"])
    return globs


def resolve(path, seen):
    if path in KEYWORDS and seen <= {"string", "date"}:
        return {"type": "keyword"}
    if seen <= {"long", "double"}:
        return {"type": "double" if "double" in seen else "long"}
    if seen == {"date"}:
        return {"type": "date"}
    if seen <= {"date", "string"}:
        return STRING  # some values are not times: the field is text
    if len(seen) == 1:
        return {"type": "boolean"} if seen == {"boolean"} else STRING
    sys.exit(f"gen-mappings: {path} holds {sorted(seen)}; make the writer consistent first")


def nest(flat):
    root = {}
    for path in sorted(flat):
        node = root
        parts = path.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {"properties": {}})
            if "properties" not in node:
                sys.exit(f"gen-mappings: {path} is below a field with a value")
            node = node["properties"]
        if parts[-1] in node:
            sys.exit(f"gen-mappings: {path} is both a value and an object")
        node[parts[-1]] = flat[path]
    return root


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out = Path(sys.argv[1])
    globs = family_globs(json.loads((out / "families.json").read_text()))
    streams = {}
    for folder in map(Path, sys.argv[2:]):
        for f in sorted(folder.glob("*.jsonl")):
            stream = f.name.split(".")[0]
            kinds = streams.setdefault(stream, {})
            for line in f.read_text().splitlines():
                if line.strip():
                    walk(json.loads(line).get("_source", {}), "", kinds)
    for stream, kinds in sorted(streams.items()):
        flat = {}
        for p, k in kinds.items():
            if not any(fnmatch.fnmatchcase(p, g) for g in globs):
                flat[p] = resolve(p, k)
            elif len(k) > 1:  # a path template types by the first value: it must not vary
                sys.exit(f"gen-mappings: {p} (a path template's) holds {sorted(k)}")
        (out / f"{stream}.json").write_text(json.dumps({"properties": nest(flat)}, indent=1) + "\n")
        print(f"{stream}: {len(flat)} fields typed, {len(kinds) - len(flat)} left to path templates")


if __name__ == "__main__":
    main()
