#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write a test copy of a driver source with one named mutation applied.

usage: mutate.py SPEC NAME SRC OUT

SPEC holds mutations as hunks:

    @@ NAME FILE            (FILE: the source's base name)
    <<<
    text of the clean source, exactly (tabs included)
    ===
    what the test copy has instead
    >>>

Every hunk of NAME for FILE is applied; each must match the clean source
exactly once, else this fails (a mutant that no longer applies is a
build error, never a test that silently passes).  Mutants live in tests/
and demo/: the driver sources carry no test scaffolding.
"""
import os
import sys


def hunks(spec, name, base):
    out, cur, mode, frm, to = [], None, None, [], []
    for line in open(spec, encoding="utf-8").read().split("\n"):
        if line.startswith("@@ "):
            f = line.split()
            cur = (f[1], f[2]) if len(f) == 3 else None
            continue
        if line == "<<<":
            mode, frm, to = "from", [], []
        elif line == "===" and mode == "from":
            mode = "to"
        elif line == ">>>" and mode == "to":
            if cur == (name, base):
                out.append(("\n".join(frm), "\n".join(to)))
            mode = None
        elif mode == "from":
            frm.append(line)
        elif mode == "to":
            to.append(line)
    return out


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    spec, name, src, dst = sys.argv[1:]
    text = open(src, encoding="utf-8").read()
    hs = hunks(spec, name, os.path.basename(src))
    if not hs:
        sys.exit(f"mutate.py: no hunk for {name} in {os.path.basename(src)} ({spec})")
    for frm, to in hs:
        n = text.count(frm)
        if n != 1:
            sys.exit(f"mutate.py: {name}: {os.path.basename(src)}: the clean text "
                     f"matches {n} times, not once:\n{frm}")
        text = text.replace(frm, to)
    text = f'/* test copy: mutant "{name}" ({os.path.basename(spec)}) */\n#line 1 "{src}"\n' \
        + text
    os.makedirs(os.path.dirname(dst) or ".", exist_ok=True)
    tmp = dst + ".tmp"
    open(tmp, "w", encoding="utf-8").write(text)
    os.replace(tmp, dst)


if __name__ == "__main__":
    main()
