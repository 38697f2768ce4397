#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The public API: documented, and listed.

usage: api_check.py <repo root> <out dir> [--update]

Runs Doxygen (docs/api/Doxyfile) over include/coherent/ and sim/sim.h,
sim/sim_dmac.h (the simulator's public headers), HTML into <out dir>/html,
and fails on:
  - a public header without a @file block (Doxygen would skip its members
    silently);
  - any Doxygen warning: an undocumented function, macro, type, field or
    enumerator, a bad @param;
  - a public function whose documentation (its own, or its header's @file
    text for the rules a whole header shares) does not state its errors
    (@retval / @return / "errors"; for calls returning an int code or a
    pointer), or its context ("context", "any thread" or "concurrency");
  - a call that hands memory over (give, take, map, sync, alloc, free, post,
    reap, ...) whose own documentation does not state its ownership effect;
  - a difference between the public symbols and docs/api/symbols.txt, the
    committed list: removing or changing one breaks users (bump MAJOR; MINOR
    while 0.x), adding one is a MINOR change; either way update the list
    (--update) and CHANGELOG.md in the same commit.
"""
import glob
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET


OWNERSHIP_VERBS = {"give", "take", "map", "unmap", "sync", "alloc", "free", "post", "reap",
                   "share", "bounce", "destroy", "teardown"}


def text(node):
    return "".join(node.itertext()) if node is not None else ""


def main():
    root, out = sys.argv[1], sys.argv[2]
    update = "--update" in sys.argv
    os.makedirs(out, exist_ok=True)
    headers = sorted(glob.glob(os.path.join(root, "include/coherent/**/*.h"), recursive=True))
    headers += [os.path.join(root, "sim", h) for h in ("sim.h",)
                if os.path.exists(os.path.join(root, "sim", h))]
    errors = []
    for h in headers:
        if "@file" not in open(h).read():
            errors.append("%s: no @file block: Doxygen would skip its members" % os.path.relpath(h, root))
    conf = open(os.path.join(root, "docs/api/Doxyfile")).read()
    conf += "\nINPUT = %s\nOUTPUT_DIRECTORY = %s\nWARN_LOGFILE = %s\nSTRIP_FROM_PATH = %s\n" % (
        " ".join(headers), out, os.path.join(out, "warnings.log"), root)
    r = subprocess.run(["doxygen", "-"], input=conf, text=True, capture_output=True)
    warns = open(os.path.join(out, "warnings.log")).read().strip().splitlines()
    errors += [w.replace(root + "/", "") for w in warns if w.strip()]
    if r.returncode and not warns:
        errors.append("doxygen failed: " + r.stderr.strip())

    symbols, xml = set(), os.path.join(out, "xml")
    index = ET.parse(os.path.join(xml, "index.xml")).getroot()
    for comp in index.findall("compound"):
        kind = comp.get("kind")
        if kind in ("struct", "union"):
            symbols.add("%s %s" % (kind, comp.findtext("name")))
        if kind != "file":
            continue
        doc = ET.parse(os.path.join(xml, comp.get("refid") + ".xml")).getroot()
        fdef = doc.find("compounddef")
        fname = fdef.findtext("compoundname")
        ftext = text(fdef.find("detaileddescription")) + text(fdef.find("briefdescription"))
        for m in fdef.iter("memberdef"):
            mk, name = m.get("kind"), m.findtext("name")
            symbols.add("%s %s" % (mk, name))
            if mk == "enum":
                for v in m.findall("enumvalue"):
                    symbols.add("enumvalue %s" % v.findtext("name"))
            # calls that hand memory over say what happens to its ownership
            words = set(name.lower().split("_"))
            if (mk in ("function", "define") and name.islower() and words & OWNERSHIP_VERBS and
                    not words & {"error", "bytes", "name"} and not name.startswith("sim_")):
                both = text(m.find("detaileddescription")) + text(m.find("briefdescription"))
                if not re.search(r"own|shared|device-only|belongs", both, re.I):
                    errors.append("%s: %s: its ownership effect is not documented" % (fname, name))
            if mk != "function":
                continue
            own = text(m.find("detaileddescription")) + text(m.find("briefdescription"))
            both = (own + ftext).lower()
            rtype = text(m.find("type")).strip()
            # fallible calls (an int code, a pointer or NULL) say how they fail
            fallible = rtype == "int" or rtype.endswith("*")
            if fallible and not (m.find(".//simplesect[@kind='return']") is not None or
                                        m.find(".//parameterlist[@kind='retval']") is not None or
                                        re.search(r"error|never fails|\bnull\b|\bretval\b", own.lower())):
                errors.append("%s: %s(): its errors (or 'never fails') are not documented" % (fname, name))
            if not re.search(r"context|any thread|concurren", both):
                errors.append("%s: %s(): no context rule, in its doc or its header's" % (fname, name))

    listed = os.path.join(root, "docs/api/symbols.txt")
    now = sorted(symbols)
    if update:
        with open(listed, "w") as f:
            f.write("".join(s + "\n" for s in now))
    else:
        old = open(listed).read().split("\n") if os.path.exists(listed) else []
        old = [s for s in old if s]
        gone, new = sorted(set(old) - set(now)), sorted(set(now) - set(old))
        for s in gone:
            errors.append("API: %s is gone (breaking: bump MAJOR, or MINOR while 0.x)" % s)
        for s in new:
            errors.append("API: %s is new (a MINOR change)" % s)
        if gone or new:
            errors.append("API: if intended, run tools/api_check.py . build/docs --update and add "
                          "the change to CHANGELOG.md")
    with open(os.path.join(out, "problems.txt"), "w") as f:
        f.write("".join(e + "\n" for e in errors))
    for e in errors[:60]:
        print("api: " + e)
    if len(errors) > 60:
        print("api: ... %d more in %s" % (len(errors) - 60, os.path.join(out, "problems.txt")))
    print("api: %d public symbols, %d headers; %d problem(s)" % (len(now), len(headers), len(errors)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
