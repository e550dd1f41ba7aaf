#!/usr/bin/env python3
"""Summarises a JFR recording's CPU samples: top frames (self) and top methods (total), by thread.

usage: jfr-top.py RECORDING.jfr [N]
"""
import collections
import json
import subprocess
import sys

path = sys.argv[1]
top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "64", "--events", "jdk.ExecutionSample", path],
                     check=True, capture_output=True, text=True).stdout
events = json.loads(out)["recording"]["events"]
self_counts = collections.Counter()
total_counts = collections.Counter()
threads = collections.Counter()
for e in events:
    v = e["values"]
    frames = v["stackTrace"]["frames"] if v.get("stackTrace") else []
    names = [f["method"]["type"]["name"].split(".")[-1] + "." + f["method"]["name"] for f in frames]
    thread = v["sampledThread"]["javaName"] or "?"
    threads[thread.split("-")[0] if thread.startswith("socket") else thread] += 1
    if names:
        self_counts[names[0]] += 1
    for n in set(names):
        total_counts[n] += 1
n = len(events)
print(f"{n} samples")
print("threads:", ", ".join(f"{t} {c * 100 / n:.0f}%" for t, c in threads.most_common(6)))
print(f"\ntop {top} frames (self):")
for name, c in self_counts.most_common(top):
    print(f"  {c * 100 / n:5.1f}%  {name}")
print(f"\ntop {top} methods (total):")
for name, c in total_counts.most_common(top):
    print(f"  {c * 100 / n:5.1f}%  {name}")
