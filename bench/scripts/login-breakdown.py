#!/usr/bin/env python3
"""Splits recent password grants (from the Aspire dashboard's telemetry API) into the password hash and
everything else, per request: the hash is identity's "password verify" span, the login is the gateway's span
of the whole request. Usage: login-breakdown.py [dashboard-url] [--since <unix seconds>]"""
import json, sys, urllib.request, collections, statistics

arguments = sys.argv[1:]
since = 0
if "--since" in arguments:
    at = arguments.index("--since")
    since = float(arguments[at + 1]) * 1e9
    del arguments[at:at + 2]
url = (arguments[0] if arguments else "http://localhost:18888") + "/api/telemetry/traces?limit=5000"
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

def duration(span):
    return (int(span["endTimeUnixNano"]) - int(span["startTimeUnixNano"])) / 1e6

totals, hashes, rest, parts = [], [], [], collections.defaultdict(list)
for trace in traces.values():
    roots = [s for s in trace if s["name"].startswith("POST /connect/") and not s.get("parentSpanId")]
    verify = [s for s in trace if s["name"] == "password verify"]
    if not (roots and int(roots[0]["startTimeUnixNano"]) >= since and len(verify) == 1 and any('INSERT INTO sessions' in query(s) for s in trace)):
        continue
    total, hashed = duration(roots[0]), duration(verify[0])
    totals.append(total); hashes.append(hashed); rest.append(total - hashed)
    for span in trace:
        if span is not roots[0] and span is not verify[0]:
            parts[(query(span)[:60] or span["name"])].append(duration(span))

if not totals:
    sys.exit("no password grants with a session found in the dashboard's traces")
def p50(values):
    return statistics.median(values)
print(f"password grants traced: {len(totals)}")
print(f"login (gateway span) p50 {p50(totals):.1f} ms; hash (password verify span) p50 {p50(hashes):.1f} ms; "
      f"everything else p50 {p50(rest):.1f} ms; login ÷ hash per request p50 {p50([t / h for t, h in zip(totals, hashes)]):.3f}")
print("spans inside a login besides the hash (p50 ms, count):")
for name, values in sorted(parts.items(), key=lambda item: -p50(item[1])):
    print(f"  {p50(values):7.2f}  {len(values):4d}  {name}")
