#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Collects the ROW lines of every make-bench part into one table.

usage: report.py <rows file> [--md docs/benchmarks.md] [--readme README.md]
                 [--plot file.png]
A row is  ROW|section|what|baseline|figure|ratio|goal op|goal  where op is
<=, >= or "-" (no goal: information only).  The table goes to stdout and,
with --md, to a Markdown file headed by the machine and the date; with
--readme, the block between the bench-headline markers in the README is
replaced by the HEADLINE lines.  Exits 1 if a row is malformed, so the
smoke test fails when a part stops producing what it should.
"""
import datetime
import os
import platform
import sys

SECTIONS = {
    "instructions": "1. Instructions per call (callgrind, exact: identical every run)",
    "per-frame": "2. Maintenance per frame, from the device statistics",
    "cache": "3. The real cache on this CPU (paired samples, median of per-sample ratios)",
    "stream": "4. Streaming and bounce copies (paired samples, median of per-sample ratios)",
    "sim": "4. Simulator throughput (paired samples in CPU time, median of per-sample ratios)",
    "stats": "4b. Statistics on a coherent device's fence calls (paired samples, median)",
    "isa": "5. Cross backends: instructions per line and barriers per call (objdump)",
}
BEGIN, END = "<!-- bench-headline:begin -->", "<!-- bench-headline:end -->"


def machine():
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return "%s, %d cores, %s %s" % (model, os.cpu_count() or 0, platform.system(),
                                    platform.release())


def parse(path):
    rows, heads, bad = [], [], 0
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("HEADLINE|"):
                heads.append(line.split("|", 1)[1])
            if not line.startswith("ROW|"):
                continue
            p = line.split("|")
            if len(p) != 8 or p[1] not in SECTIONS or p[6] not in ("<=", ">=", "-"):
                print("report: malformed row: " + line, file=sys.stderr)
                bad += 1
                continue
            _, sec, what, base, fig, ratio, op, goal = p
            try:
                r = float(ratio)
                g = float(goal) if op != "-" else None
            except ValueError:
                print("report: malformed row: " + line, file=sys.stderr)
                bad += 1
                continue
            shown = "%.3f" % r if abs(r) >= 0.1 or r == 0 else "%.3g" % r
            if op == "-":
                verdict, goal_s = "no goal", "-"
            else:
                met = r <= g + 1e-9 if op == "<=" else r >= g - 1e-9
                verdict, goal_s = ("met" if met else "MISSED"), "%s %s" % (op, goal)
                shown_met = float(shown) <= g + 1e-9 if op == "<=" else float(shown) >= g - 1e-9
                if shown_met != met:  # rounding would show a missed goal as met
                    shown = "%.4f" % r
            rows.append((sec, what, base, fig, shown, goal_s, verdict))
    return rows, heads, bad


def table(rows, md):
    out, cur = [], None
    for sec in SECTIONS:
        srows = [r for r in rows if r[0] == sec]
        if not srows:
            continue
        if md:
            out += ["", "### " + SECTIONS[sec], "",
                    "| what | baseline | figure | ratio | goal | |",
                    "|---|---|---|---:|---|---|"]
            out += ["| %s |" % " | ".join(r[1:]) for r in srows]
        else:
            out += ["", SECTIONS[sec]]
            for r in srows:
                out.append("  %-52s %-7s %-10s %-7s  %s | vs %s" % (r[1], r[4], r[5], r[6], r[3], r[2]))
        cur = sec
    del cur
    return out


def main():
    args = sys.argv[1:]
    src, md, readme, plot = args[0], None, None, None
    for i, a in enumerate(args):
        if a == "--md":
            md = args[i + 1]
        elif a == "--readme":
            readme = args[i + 1]
        elif a == "--plot":
            plot = args[i + 1]
    rows, heads, bad = parse(src)
    missed = sum(1 for r in rows if r[6] == "MISSED")
    met = sum(1 for r in rows if r[6] == "met")
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    summary = "%d rows: %d goals met, %d MISSED, %d without a goal" % (
        len(rows), met, missed, len(rows) - met - missed)
    print("make bench, %s, %s" % (when, machine()))
    print("ratio = library / baseline (instructions, time); = library / baseline throughput "
          "(cache: bytes/s)")
    print("\n".join(table(rows, False)))
    print("\n" + summary)
    if md:
        with open(md, "w") as f:
            f.write("# Benchmarks\n\n")
            f.write("Written by `make bench` (bench/run.sh, bench/report.py): do not edit by hand.\n\n")
            f.write("- Machine: %s\n- Date: %s\n- %s\n" % (machine(), when, summary))
            f.write("- Ratio: library / baseline for instruction counts and times; library / "
                    "baseline bytes per second for the cache rows, so higher is better there.\n")
            f.write("- Timed rows (bench/bench.h): paired samples, the library and its baseline "
                    "microseconds apart, tens of microseconds each; the ratio is the median of "
                    "the per-sample ratios over the pairs taken while the host left this vCPU's "
                    "core to it (a throughput probe around each sample), sampled until its 95% "
                    "confidence interval is within 1%; `make bench-check` runs make bench twice "
                    "and compares (bench/compare.py).\n")
            if plot:
                f.write("\n![range maintenance on this CPU](%s)\n" % os.path.basename(plot))
            if heads:
                f.write("\nHeadlines:\n\n" + "".join("- %s\n" % h for h in heads))
            f.write("\n".join(table(rows, True)) + "\n")
    if readme and heads:
        with open(readme) as f:
            text = f.read()
        if BEGIN in text and END in text:
            a, rest = text.split(BEGIN, 1)
            _, b = rest.split(END, 1)
            block = "\n".join("- %s" % h for h in heads)
            with open(readme, "w") as f:
                f.write(a + BEGIN + "\n" + block + " (%s)\n" % when[:10] + END + b)
    if bad or not rows:
        print("report: %d malformed row(s), %d rows" % (bad, len(rows)), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
