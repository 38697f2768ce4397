#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The trace (sim_trace_start) as the demo writes it with --trace.

usage: check_trace.py <coh-demo> <work dir>
       check_trace.py --dwmac <coh-dwmac-demo> <work dir>

Runs the demo twice and checks each file:
  - it is JSON in the trace-event object format: traceEvents, each event with
    name/ph/ts/pid/tid, ph one of M (names), i (instant), X (span, dur > 0);
    timestamps never go backwards in file order (the simulator's clock);
    every track used has a name;
  - a clean run (--count 8): the ownership events of one transfer, in order,
    on the tracks of its buffers: src[0] given TO_DEVICE, read by the device,
    taken back; dst[0] given FROM_DEVICE, written by the device, taken back;
    a "device owns" span for each with the file:line of the give and the
    take; clean and invalidate events on cache-line tracks; no report;
  - an --inject no-acquire run: STALE_CPU_READ reports with the demo's line
    of the last ownership change; every report also marked on a cache-line
    track.
With --dwmac (make demo's DWMAC driver, 8 frames each way): valid JSON, and
one received frame's ownership on its buffer's track (eth1.rx[0]: given
FROM_DEVICE, written by the MAC, taken back, consumed, with the span), a
transmitted frame's bytes given TO_DEVICE and read by the MAC, the rings'
descriptor fetches and write-backs.
Silent on success but for one summary line; names what is missing otherwise.
"""
import json
import os
import subprocess
import sys

fails = []


def expect(cond, what):
    if not cond:
        fails.append(what)
    return cond


def load(path):
    with open(path) as f:
        doc = json.load(f)
    evs = doc["traceEvents"]
    named, last = set(), -1
    for k, e in enumerate(evs):
        for f in ("name", "ph", "pid"):
            if f not in e:
                expect(False, "%s: event %d has no %s" % (path, k, f))
                return evs
        if e["ph"] == "M":
            named.add((e["pid"], e.get("tid", 0)) if e["name"] == "thread_name" else (e["pid"], None))
            continue
        expect(e["ph"] in ("i", "X"), "%s: event %d: phase %r" % (path, k, e["ph"]))
        expect(isinstance(e["ts"], int), "%s: event %d: ts %r" % (path, k, e.get("ts")))
        expect(isinstance(e["tid"], int), "%s: event %d: tid" % (path, k))
        if e["ph"] == "X":
            expect(e.get("dur", 0) > 0, "%s: span %d without a duration" % (path, k))
            continue  # a span is written when it ends, with its start time
        expect(e["ts"] >= last, "%s: event %d goes back in time" % (path, k))
        last = e["ts"]
    for e in evs:
        if e["ph"] != "M" and not (e["pid"], e["tid"]) in named:
            expect(False, "%s: track pid %d tid %d has no name" % (path, e["pid"], e["tid"]))
            break
    return evs


def track(evs, name):
    for e in evs:
        if e["ph"] == "M" and e["name"] == "thread_name" and e["args"]["name"] == name:
            return [x for x in evs if x["ph"] != "M" and x["pid"] == e["pid"] and x["tid"] == e["tid"]]
    expect(False, "no track named %r" % name)
    return []


def in_order(evs, names, where):
    """The first occurrence of each name, in this order."""
    pos, ts = 0, -1
    for n in names:
        hit = [e for e in evs[pos:] if e["name"] == n]
        if not expect(hit, "%s: no %r after the earlier events" % (where, n)):
            return
        pos = evs.index(hit[0]) + 1
        ts = hit[0]["ts"]
    return ts


def frame(evs, buf, dirn, device_op):
    t = track(evs, buf)
    inst = [e for e in t if e["ph"] == "i"]
    in_order(inst, ["coh_give " + dirn, device_op, "coh_take " + dirn], buf)
    spans = [e for e in t if e["ph"] == "X" and e["name"] == "device owns " + dirn]
    if expect(spans, "%s: no 'device owns %s' span" % (buf, dirn)):
        a = spans[0]["args"]
        expect(a["given at"].startswith("demo.c:") and a["taken at"].startswith("demo.c:"),
               "%s: span without the give/take lines: %r" % (buf, a))
        give = [e for e in inst if e["name"] == "coh_give " + dirn][0]
        expect(spans[0]["ts"] == give["ts"], "%s: span does not start at the give" % buf)


def dwmac(demo, work):
    path = os.path.join(work, "dwmac.json")
    out = subprocess.run([demo, "--frames", "8", "--layout", "uncached", "--trace", path],
                         capture_output=True, text=True)
    expect(out.returncode == 0 and "0 errors" in out.stdout, "dwmac demo run failed: " + out.stdout)
    evs = load(path)
    rx = [e for e in track(evs, "eth1.rx[0]") if e["ph"] == "i"]
    in_order(rx, ["coh_give FROM_DEVICE", "device write", "coh_take FROM_DEVICE", "coh_consume"],
             "eth1.rx[0]")
    expect(any(e["ph"] == "X" and e["name"] == "device owns FROM_DEVICE"
               for e in track(evs, "eth1.rx[0]")), "eth1.rx[0]: no ownership span")
    tx = [e for e in track(evs, "eth0.txbufs") if e["ph"] == "i"]
    in_order(tx, ["coh_give TO_DEVICE", "device read"], "eth0.txbufs")
    for ring in ("eth0.txring", "eth1.rxring"):
        t = [e["name"] for e in track(evs, ring)]
        expect("device fetch" in t and "device write" in t, "%s: no descriptor fetch/write-back" % ring)


def main():
    if sys.argv[1] == "--dwmac":
        dwmac(sys.argv[2], sys.argv[3])
        for f in fails[:10]:
            print("trace: " + f)
        print("trace: %d passed, %d failed" % (1 if not fails else 0, len(fails)))
        return 1 if fails else 0
    demo, work = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    clean = os.path.join(work, "clean.json")
    bug = os.path.join(work, "no-acquire.json")
    out = subprocess.run([demo, "--count", "8", "--trace", clean], capture_output=True, text=True)
    expect(out.returncode == 0 and "errors=0" in out.stdout, "clean demo run failed: " + out.stdout)
    evs = load(clean)
    frame(evs, "src[0]", "TO_DEVICE", "device read")
    frame(evs, "dst[0]", "FROM_DEVICE", "device write")
    ring = [e for e in track(evs, "ring") if e["ph"] == "i"]
    expect(any(e["name"].startswith("coh_release") for e in ring), "ring: no release of a descriptor")
    lines = {e["name"] for e in evs if e["ph"] == "i" and e["pid"] == 2}
    expect({"clean", "invalidate", "device write"} <= lines, "cache lines: only %r" % sorted(lines))
    expect(not [e for e in evs if e.get("cat") == "report"], "clean run: reports in the trace")

    subprocess.run([demo, "--count", "64", "--inject", "no-acquire", "--trace", bug],
                   capture_output=True, text=True)
    evs = load(bug)
    reps = [e for e in evs if e.get("cat") == "report" and e["pid"] == 3]
    if expect(reps, "no-acquire run: no report in the trace"):
        stale = [e for e in reps if e["name"] == "STALE_CPU_READ"]
        if expect(stale, "no-acquire: no STALE_CPU_READ, only %r" % sorted({e["name"] for e in reps})):
            expect(stale[0]["args"]["last change"].startswith("demo.c:"),
                   "report without the demo's line: %r" % stale[0]["args"])
        on_lines = [e for e in evs if e.get("cat") == "report" and e["pid"] == 2]
        expect(len(on_lines) == len(reps), "reports not marked on their lines")
    for f in fails[:10]:
        print("trace: " + f)
    print("trace: %d passed, %d failed" % (1 if not fails else 0, len(fails)))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
