#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Compares the rows of two make-bench runs (the rows files bench/run.sh
writes: build/bench/bench/out/rows.txt, and rows.prev.txt for the run
before it).

usage: compare.py <rows A> <rows B> [--tolerance 0.05]
Exact sections (instruction counts, counts per frame, cross-backend loops)
must give the same ratio in both runs, digit for digit.  Timed sections
(the real cache, streaming, the simulator, the statistics) must give time
ratios within the tolerance of each other: |B / A - 1| <= 5%.  Prints the
largest difference per section and every row beyond it; exits 1 if a row
differs too much or is in one run only.  Every row is held to it: a
figure that cannot hold (the 2-thread every-call-counted statistics row,
which follows where the host runs the two vCPUs) is not printed at all.
"""
import sys

EXACT = ("instructions", "per-frame", "isa")


def load(path):
    """ratio per row, keyed by section, text and occurrence (some rows share a text)"""
    rows, seen = {}, {}
    with open(path) as f:
        for line in f:
            p = line.rstrip("\n").split("|")
            if p[0] == "ROW" and len(p) == 8:
                k = (p[1], p[2])
                seen[k] = seen.get(k, 0) + 1
                rows[(p[1], p[2] if seen[k] == 1 else "%s (#%d)" % (p[2], seen[k]))] = p[5]
    return rows


def main():
    args = sys.argv[1:]
    tol = 0.05
    if "--tolerance" in args:
        i = args.index("--tolerance")
        tol = float(args[i + 1])
        del args[i:i + 2]
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    a, b = load(args[0]), load(args[1])
    bad, worst, order = [], {}, []
    for key in list(a) + [k for k in b if k not in a]:
        sec, what = key
        if sec not in order:
            order.append(sec)
        if key not in a or key not in b:
            bad.append("%s: %s: only in run %s" % (sec, what, "B" if key in b else "A"))
            continue
        ra, rb = a[key], b[key]
        if sec in EXACT:
            d = 0.0 if ra == rb else float("inf")
            if ra != rb:
                bad.append("%s: %s: %s vs %s (must be identical)" % (sec, what, ra, rb))
        else:
            fa, fb = float(ra), float(rb)
            d = abs(fb / fa - 1) if fa else (0.0 if fb == 0 else float("inf"))
            if d > tol:
                bad.append("%s: %s: %s vs %s (%+.1f%%)" % (sec, what, ra, rb, (fb / fa - 1) * 100 if fa else 0))
        if d >= worst.get(sec, (-1, ""))[0]:
            worst[sec] = (d, what)
    print("compare: %s vs %s, %d and %d rows" % (args[0], args[1], len(a), len(b)))
    for sec in order:
        if sec not in worst:
            continue
        d, what = worst[sec]
        kind = "identical" if sec in EXACT and d == 0 else \
            "DIFFER" if sec in EXACT else "max %.2f%%" % (d * 100)
        print("  %-13s %-10s (%s)" % (sec, kind, what if d else "every row"))
    for line in bad:
        print("  BEYOND: " + line)
    print("compare: %s (time ratios within %.0f%%, exact ratios identical)"
          % ("FAILED, %d row(s)" % len(bad) if bad else "passed", tol * 100))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
