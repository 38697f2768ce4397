#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The median run of each row, over several runs of one bench part.

usage: median.py <rows of run 1> <rows of run 2> ...   (an odd number)
Prints, for each ROW (in the first run's order), the ROW line of the run
whose ratio is the median, and every other line of the first run.  A
timed part run in fresh processes: where one process's pages, buffers and
bounce slots fell can hold a ratio 3-6% off for that whole process (the
RX ring row: 0.433 to 0.462 from one process to the next, each to within
1%), and the median of the processes does not follow one of them.
"""
import sys


def rows(path):
    out, seen, other = {}, {}, []
    with open(path) as f:
        for line in f:
            p = line.rstrip("\n").split("|")
            if p[0] != "ROW" or len(p) != 8:
                other.append(line)
                continue
            k = (p[1], p[2])
            seen[k] = seen.get(k, 0) + 1
            out[k + (seen[k],)] = (float(p[5]), line)
    return out, other


def main():
    runs = [rows(p) for p in sys.argv[1:]]
    if not runs:
        print(__doc__, file=sys.stderr)
        return 2
    first, other = runs[0]
    for key in first:
        got = sorted((r[0][key] for r in runs if key in r[0]), key=lambda x: x[0])
        sys.stdout.write(got[(len(got) - 1) // 2][1])
    sys.stdout.write("".join(other))
    return 0


if __name__ == "__main__":
    sys.exit(main())
