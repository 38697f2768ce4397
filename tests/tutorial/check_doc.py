#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""usage: check_doc.py <doc.md> <source.c> [<program>] [--extract <out.c>] [--layout <prefix>]

The tutorial is tested as a reader follows it:
  - its ```c blocks, concatenated in order, are the source file exactly (the
    page is the whole program, includes and main too);
  - with <program>: every ```text block that follows a ```sh block ending in
    "./first_driver [args]" is what the program prints with those args: each
    line of the block, in order, is a line of the real output ("..." stands
    for lines left out);
  - --extract: write the page's program to <out.c> instead of comparing;
  - --layout: every path the install-layout block names exists under <prefix>.
"""
import glob
import os
import re
import subprocess
import sys

args = sys.argv[1:]
doc = open(args[0]).read()
fails = []

blocks = re.findall(r"```c\n(.*?)```", doc, re.S)
if "--extract" in args:
    open(args[args.index("--extract") + 1], "w").write("".join(blocks))
    sys.exit(0)
if "--layout" in args:
    prefix = args[args.index("--layout") + 1]
    lay = re.search(r"That gives, under `~/coh`:\n\n```text\n(.*?)```", doc, re.S)
    paths = [l.split()[0] for l in lay.group(1).splitlines()] if lay else []
    for p in paths:
        if not glob.glob(os.path.join(prefix, p)):
            fails.append("layout: %s not installed" % p)
    print("tutorial: %d installed paths named, %d missing" % (len(paths), len(fails)))
    sys.exit(1 if fails or not paths else 0)

src = open(args[1]).read()
if not blocks or "".join(blocks) != src:
    fails.append("the page's c blocks, in order, are not %s" % args[1])

runs = 0
if len(args) > 2 and not args[2].startswith("--"):
    prog = args[2]
    for cmd, out in re.findall(r"```sh\n(?:.*\n)*?\./first_driver([^\n]*)\n```\n```text\n((?:.*\n)*?)```",
                               doc):
        runs += 1
        p = subprocess.run([prog] + cmd.split(), stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=120)
        real = p.stdout.splitlines()
        pos = 0
        for want in out.splitlines():
            if want == "...":
                continue
            try:
                pos = real.index(want, pos) + 1
            except ValueError:
                fails.append("./first_driver%s: the page shows a line the program does not print "
                             "(in that order):\n  %s" % (cmd, want))
                break
    if not runs:
        fails.append("no output block to check")
for f in fails:
    print("tutorial: " + f)
print("tutorial: %d code blocks, %d outputs checked, %d problem(s)" % (len(blocks), runs, len(fails)))
sys.exit(1 if fails else 0)
