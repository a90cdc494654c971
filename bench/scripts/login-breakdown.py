#!/usr/bin/env python3
"""Splits recent password grants (from the Aspire dashboard's telemetry API) into the password hash and
everything else, per request: the hash is the gap between reading the credential and writing the session's
authorization. Usage: login-breakdown.py [dashboard-url]"""
import json, sys, urllib.request, collections, statistics

url = (sys.argv[1] if len(sys.argv) > 1 else "http://localhost:18888") + "/api/telemetry/traces?limit=5000"
data = json.load(urllib.request.urlopen(url))
spans = []
def walk(node):
    if isinstance(node, dict):
        if "spanId" in node and "startTimeUnixNano" in node:
            spans.append(node)
        for value in node.values():
            walk(value)
    elif isinstance(node, list):
        for value in node:
            walk(value)
walk(data)

traces = collections.defaultdict(list)
for span in spans:
    traces[span["traceId"]].append(span)

def query(span):
    for attribute in span.get("attributes", []):
        if attribute["key"] in ("db.query.text", "db.statement"):
            return list(attribute["value"].values())[0]
    return ""

totals, hashes, rest = [], [], []
for trace in traces.values():
    root = [s for s in trace if s["name"].startswith("POST /connect/")]
    credential = [s for s in trace if "FROM credentials" in query(s) and "FOR UPDATE" in query(s)]
    authorization = [s for s in trace if query(s).startswith('INSERT INTO "OpenIddictAuthorizations"')]
    if not (root and credential and authorization):
        continue
    total = (int(root[0]["endTimeUnixNano"]) - int(root[0]["startTimeUnixNano"])) / 1e6
    hashed = (int(authorization[0]["startTimeUnixNano"]) - int(credential[0]["endTimeUnixNano"])) / 1e6
    totals.append(total); hashes.append(hashed); rest.append(total - hashed)

if not totals:
    sys.exit("no password grants with a session found in the dashboard's traces")
print(f"password grants traced: {len(totals)}")
print(f"gateway span p50 {statistics.median(totals):.1f} ms; hash (credential read → session write) p50 {statistics.median(hashes):.1f} ms; "
      f"everything else p50 {statistics.median(rest):.1f} ms; login ÷ hash per request p50 {statistics.median(t / h for t, h in zip(totals, hashes)):.3f}")
