#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Instruction counts of the bench/icount.c rows, under callgrind.

usage: icount.py <calls> <icount binary>...
Each binary is run once under valgrind --tool=callgrind with collection
switched on only inside the ic_* functions (--toggle-collect), so every
instruction counted belongs to one of them or to what it calls.  The
inclusive count of each function divided by the number of calls is its
cost per call; a row is the sum over its library functions against the sum
over its hand-written ones.  Callgrind counts guest instructions, not
time: the figures are identical from run to run.  Prints ROW lines for
bench/report.py; exits non-zero when a row cannot be measured.
"""
import os
import re
import subprocess
import sys
import tempfile


def inclusive(path):
    """Inclusive Ir per function name from a callgrind output file."""
    names, incl, cur = {}, {}, None
    with open(path) as f:
        for line in f:
            m = re.match(r"c?fn=(?:\((\d+)\))?\s*(.*)", line.rstrip("\n"))
            if m:  # compressed names: "(id) name" once, "(id)" after
                ident, name = m.group(1), m.group(2)
                if ident and name:
                    names[ident] = name
                if line.startswith("fn="):
                    cur = names.get(ident, name) if ident else name
                continue
            if cur is None or not line[:1] or not (line[0].isdigit() or line[0] in "+-*"):
                continue
            # "<position> <Ir>": self cost, or (after calls=) the call's inclusive cost
            parts = line.split()
            if len(parts) >= 2:
                incl[cur] = incl.get(cur, 0) + int(parts[1])
    return incl


def run(binary, calls, out):
    rows = subprocess.run([binary, "--rows"], check=True, capture_output=True,
                          text=True).stdout.splitlines()
    cg = os.path.join(out, os.path.basename(binary) + ".callgrind")
    env = dict(os.environ, LD_BIND_NOW="1")  # no lazy binding inside a counted call
    subprocess.run(["valgrind", "--tool=callgrind", "--toggle-collect=ic_*",
                    "--collect-atstart=no", "--callgrind-out-file=" + cg,
                    binary, str(calls)], check=True, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    incl = inclusive(cg)
    ok = True
    for r in rows:
        rid, what, base, op, goal, lib, hand = r.split("|")
        try:
            li = sum(incl[f] for f in lib.split("+")) / calls
            hi = sum(incl[f] for f in hand.split("+")) / calls
        except KeyError as e:
            print("icount: %s: %s was not counted" % (rid, e), file=sys.stderr)
            ok = False
            continue
        print("ROW|instructions|%s|%s|%.1f vs %.1f instructions per call|%.3f|%s|%s"
              % (what, base, li, hi, li / hi, op, goal))
    return ok


def main():
    calls = int(sys.argv[1])
    out = os.environ.get("COH_BENCH_OUT") or tempfile.mkdtemp(prefix="coh-icount-")
    os.makedirs(out, exist_ok=True)
    ok = all([run(b, calls, out) for b in sys.argv[2:]])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
