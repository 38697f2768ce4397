#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Static cost of every cross backend's maintenance loops.

usage: isa_loops.py <repo root> [backend...]
src/fence.c is compiled and disassembled for each backend by
tests/encoding/check_encoding.py (imported, not copied), which also finds
the loops and walks every path.  For release, acquire and flush this counts
the instructions of the loop that holds the per-line maintenance
instruction, and the most barriers any path of one call issues, and
compares them with the shape of Linux arm64 dcache_clean_poc: one dc, an
add, a compare and a branch per line (4 instructions), one dsb per call.
Prints ROW lines for bench/report.py.
"""
import os
import sys
import tempfile

LINUX_PER_LINE = 4
# objdump prints the encodings it does not know as .4byte
NAMES = {("zicbom", "clean"): "cbo.clean", ("zicbom", "inval"): "cbo.inval",
         ("zicbom", "flush"): "cbo.flush", ("thead", "clean"): "th.dcache.cva",
         ("thead", "inval"): "th.dcache.iva", ("thead", "flush"): "th.dcache.civa"}
FUNCS = (("release", "coh__release_range"), ("acquire", "coh__acquire_range"),
         ("flush", "coh__flush_range"))


def main():
    root = sys.argv[1]
    sys.path.insert(0, os.path.join(root, "tests", "encoding"))
    import check_encoding as ce

    names = sys.argv[2:] or list(ce.BACKENDS)
    out = os.environ.get("COH_BENCH_OUT") or tempfile.mkdtemp(prefix="coh-isa-")
    out = os.path.join(out, "isa")
    os.makedirs(out, exist_ok=True)
    ok = True
    for name in names:
        prefix, flags, style = ce.BACKENDS[name]
        funcs = ce.disassemble(root, name, prefix, flags, out)
        for what, fname in FUNCS:
            insns = funcs.get(fname)
            if not insns:
                print("isa_loops: %s: %s not found" % (name, fname), file=sys.stderr)
                ok = False
                continue
            consts, errors = {}, []
            for ins in insns:
                ce.classify(style, ins, consts)
            ce.build_cfg(style, insns)
            in_loop, finals = ce.check_function(fname, style, insns, errors)
            loops = {}
            for x in insns:
                if in_loop(x):
                    loops.setdefault(x.loop, []).append(x)
            maint = [body for body in loops.values() if any(x.kind for x in body)]
            if not maint or errors:
                print("isa_loops: %s %s: no maintenance loop or %s" % (name, fname, errors),
                      file=sys.stderr)
                ok = False
                continue
            per_line = max(len(body) for body in maint)
            barriers = max(f[0] for f in finals if f[2])
            shape = " ".join(NAMES.get((style, x.kind), x.mnem) if x.kind else x.mnem
                             for x in max(maint, key=len))
            note = ", hardware needs a fence before and after" if style == "sifive" else ""
            print("ROW|isa|%s %s (%s)|Linux arm64 dcache_clean_poc: 4 per line, 1 dsb|"
                  "%d per line (%s), %d barrier(s) per call%s|%.3f|<=|1.00"
                  % (name, what, fname, per_line, shape, barriers, note,
                     per_line / LINUX_PER_LINE))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
