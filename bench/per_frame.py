#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Maintenance per frame (or per request) of a driver demo against its
documented minimum, from the summary line the demo prints from its device
statistics:

  <name>: <N> frames, ..., <X> line ops per frame (minimum <Y>), <B> barriers per frame[ (minimum <Z>)], ...

usage: per_frame.py <label> <demo> [args...]
Runs the demo on the simulator and prints ROW lines for bench/report.py:
line ops against the minimum (goal 1.00), and barriers when the demo
prints a minimum for them.  A "layout <L>:" line names the layout of the
summary that follows it; a layout that could not run is reported as a row
without a goal, so the table says so.  The comparison with a hand-written
U-Boot-style driver is bench/dwmac_bench.c (recording backend).
"""
import re
import subprocess
import sys

SUMMARY = re.compile(r"^(\S+): (\d+) (frames|requests),.*?([\d.]+) line ops per \w+ "
                     r"\(minimum ([\d.]+)\), ([\d.]+) barriers per \w+(?: \(minimum ([\d.]+)\))?")
LAYOUT = re.compile(r"^(?:\S+: )?layout (\S+?):")


VIO = re.compile(r"^virtio-blk read, (.+?): .*; (\d+) line ops, (\d+) barriers "
                 r"\(minimum (\d+), (\d+)\)")
# tests/virtio/record_net.c: per burst of received frames, per frame sent
VIO_NET = re.compile(r"^virtio-net (.+?): .*; (\d+) line ops, (\d+) barriers per (\d+) "
                     r"frame\(s\) \(minimum (\d+), (\d+)\)")


def ratio(x, y):
    """x against a minimum y; 0 against 0 is at the minimum."""
    return float(x) / float(y) if y else (1.0 if not x else float("inf"))


def virtio(label, cmd):
    """tests/virtio/record_blk.c's tallies against the minimum it asserts."""
    p = subprocess.run(cmd, capture_output=True, text=True)
    rows = 0
    for line in p.stdout.splitlines():
        m, per = VIO.match(line), "per 2-sector read"
        if m:
            lay, lo, b, lomin, bmin = m.groups()
        else:
            m = VIO_NET.match(line)
            if not m:
                continue
            lay, lo, b, n, lomin, bmin = m.groups()
            per = "per %s frame%s" % (n, "s" if n != "1" else "")
        for what, x, y in (("line ops", lo, lomin), ("barriers of every kind", b, bmin)):
            print("ROW|per-frame|%s, %s, %s: %s|docs/virtio.md minimum "
                  "(the recording test asserts every kind equal)|%s vs %s|%.3f|<=|1.00"
                  % (label, lay, per, what, x, y, ratio(int(x), int(y))))
        rows += 1
    if p.returncode or not rows:
        print("per_frame: %s failed (exit %d)" % (" ".join(cmd), p.returncode), file=sys.stderr)
        return 1
    return 0


def main():
    if sys.argv[1] == "--virtio-record":
        return virtio(sys.argv[2], sys.argv[3:])
    label, cmd = sys.argv[1], sys.argv[2:]
    p = subprocess.run(cmd, capture_output=True, text=True)
    layout, rows = "", 0
    for line in p.stdout.splitlines():
        m = LAYOUT.match(line)
        if m:
            layout = m.group(1)
            if "open:" in line or "ENOTSUP" in line:
                print("ROW|per-frame|%s, %s layout|documented minimum|not run: %s|0|-|0"
                      % (label, layout, line.split(":", 2)[-1].strip()))
                rows += 1
            continue
        m = SUMMARY.match(line)
        if not m:
            continue
        _, n, unit, x, y, b, bmin = m.groups()
        what = "%s, %s layout, %s %s" % (label, layout or "default", n, unit)
        print("ROW|per-frame|%s: line ops|documented minimum|%s vs %s per %s|%.3f|<=|1.00"
              % (what, x, y, unit[:-1], float(x) / float(y)))
        if bmin:
            print("ROW|per-frame|%s: barriers|documented minimum|%s vs %s per %s|%.3f|<=|1.00"
                  % (what, b, bmin, unit[:-1], float(b) / float(bmin)))
        else:
            print("ROW|per-frame|%s: barriers|(no minimum printed)|%s per %s|0|-|0"
                  % (what, b, unit[:-1]))
        rows += 1
    if not rows:
        print("per_frame: no summary line from %s (exit %d)" % (" ".join(cmd), p.returncode),
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
