#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Runs bench/stats_bench.c built three ways - the statistics as a release
build ships them (COH_STATS=1), compiled out (COH_STATS=0), and counting
every call of a coherent device (COH_STATS=2, what release builds did
before) - interleaved, and prints ROW lines: the median ns per fence call
of a coherent device on one thread and on two threads using one device,
against COH_STATS=0 (goal for the shipped build: within 1.2x).

usage: stats_rows.py <shipped> <compiled out> <count all> <trials> <calls>
"""
import statistics
import subprocess
import sys


def run(exe, calls):
    out = subprocess.run([exe, str(calls)], check=True, capture_output=True,
                         text=True).stdout.split()
    return float(out[0]), float(out[1])


def main():
    exes, trials, calls = sys.argv[1:4], int(sys.argv[4]), sys.argv[5]
    one = {e: [] for e in exes}
    two = {e: [] for e in exes}
    for k in range(trials):
        order = exes[k % 3:] + exes[:k % 3]	# rotate: drift hits all alike
        for exe in order:
            a, b = run(exe, calls)
            one[exe].append(a)
            two[exe].append(b)
    shipped, off, every = exes
    for what, t in (("1 thread", one), ("2 threads on one device", two)):
        base = statistics.median(t[off])
        for exe, name, op in ((shipped, "stats as shipped (COH_STATS=1)", "<="),
                              (every, "every call counted (COH_STATS=2, before)", "-")):
            fig = statistics.median(t[exe])
            print("ROW|stats|coherent release+acquire ns/call, %s: %s vs COH_STATS=0|%.2f|%.2f|%.2f|%s|%s"
                  % (what, name, base, fig, fig / base if base else 0.0, op,
                     "1.2" if op == "<=" else "-"))


if __name__ == "__main__":
    main()
