#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write a mutant of one library source: the test copy a mutant test links.

usage: mutate_src.py <spec.mut> <source> <out>

A spec (tests/mutants/*.mut) names its source on a line "file: src/ring.c"
and holds one or more edits:

    <<<<
    exact text of the source
    ====
    what replaces it
    >>>>

Each edit must match the source at least once (every occurrence is
replaced): a source changed so that a mutant no longer applies fails the
build instead of silently testing the unmutated library.  Lines starting
with '#' outside edits are comments.  The product sources carry no test
scaffolding: the mutation lives here and in the spec.
"""
import sys


def edits(spec):
    out, cur, part = [], None, None
    for line in open(spec).read().split("\n"):
        if cur is None:
            if line == "<<<<":
                cur, part = ([], []), 0
            continue
        if line == "====" and part == 0:
            part = 1
        elif line == ">>>>" and part == 1:
            out.append(("\n".join(cur[0]), "\n".join(cur[1])))
            cur = None
        else:
            cur[part].append(line)
    if cur is not None:
        sys.exit("%s: an edit is not closed with >>>>" % spec)
    return out


def main():
    spec, src, dst = sys.argv[1:4]
    text = open(src).read()
    es = edits(spec)
    if not es:
        sys.exit("%s: no edit" % spec)
    for i, (old, new) in enumerate(es):
        if old not in text:
            sys.exit("%s: edit %d does not match %s:\n%s" % (spec, i + 1, src, old))
        text = text.replace(old, new)
    with open(dst, "w") as f:
        f.write("/* a mutant of %s, written by tests/mutants/mutate_src.py from %s */\n%s"
                % (src, spec, text))


if __name__ == "__main__":
    main()
