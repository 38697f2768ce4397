#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Drivers contain no cache instructions and no direct calls to backends.

usage: check_drivers.py ROOT [--expect N FILE...]

Without --expect: scans every driver source under ROOT (drivers/**, and the
demo driver demo/demo.c) and exits 1 listing each violation as
file:line: rule: text.  With --expect N: scans the given files instead and
exits 0 only if exactly N violations are found (the self-test: a sample of
every forbidden construct must be caught, so this check can fail).

Comments and string literals are blanked first (line numbers kept), so prose
such as "no dc civac here" does not count; code does.
"""
import os
import re
import sys

RULES = [
    ("inline assembly", re.compile(r"\b(__asm__|__asm|asm)\s*(volatile|__volatile__|goto)?\s*\(")),
    ("cache instruction", re.compile(
        r"\b(dc\s+(cvac|civac|ivac|cvau|cvap|zva|cisw|csw|isw)"
        r"|clflushopt|clflush|clwb|wbinvd|invd"
        r"|cbo\.(clean|inval|flush|zero)"
        r"|th\.dcache\.\w+"
        r"|DCCMVAC|DCIMVAC|DCCIMVAC|DCCSW|DCISW)\b", re.I)),
    ("cache intrinsic", re.compile(
        r"\b(__builtin_ia32_(clflush|clflushopt|clwb|wbinvd)|_mm_clflush(opt)?|_mm_clwb"
        r"|SCB_(Clean|Invalidate|CleanInvalidate)DCache\w*|__builtin___clear_cache"
        r"|sys_cache_data_\w+|arch_dcache_\w+|flush_dcache_range|invalidate_dcache_range)\b")),
    ("backend header", re.compile(r'#\s*include\s*[<"](coherent/backend\.h|coh_arch\.h|[^">]*/coh_arch\.h)[">]')),
    ("backend call", re.compile(r"\bcoh_arch_\w+\s*\(")),
    ("library internal", re.compile(r"\bcoh__\w+")),
    # the members of library handles (struct coh_mem m_ and its cpu_, the
    # type markers t_, bt_, u_): drivers use the accessors (coh_bus,
    # coh_is_allocated, coh_cpu_addr, coh_count, coh_size)
    ("private member", re.compile(r"(\.|->)\s*(m_|cpu_|t_|bt_|u_)\b")),
    # one driver source for every board, emulator and CPU: no build-target
    # conditionals, no code that names a board or an emulator
    ("target conditional", re.compile(
        r"^\s*#\s*(if|ifdef|ifndef|elif)\b.*\b(COH_TARGET\w*|COH_BACKEND\w*|COH_ARCH_\w+"
        r"|COH_SIM\w*|SIM_\w+|__arm__|__aarch64__|__x86_64__|__i386__|__riscv\w*|__ARM_ARCH\w*"
        r"|__thumb\w*)\b")),
    ("board or emulator name", re.compile(r"\b\w*(qemu|orangepi|opi_|board_)\w*", re.I)),
]

# Known violations, each waived by its exact text until the change that
# removes it lands; a waiver that no longer matches fails the check, so the
# list can only shrink.  VirtIO forges typed handles from its queues'
# memory (issue 19 item 1: queues become protocols over a handle; the
# queues and drivers engineers' change).
WAIVED = {
    ("drivers/virtio/virtqueue.c", "vq->avail.m_ = vq->aq.mem;"),
    ("drivers/virtio/virtqueue.c", "vq->used.m_ = vq->uq.mem;"),
}


def blank(src):
    """Comments and string/char literals replaced by spaces, newlines kept."""
    out, i, n = [], 0, len(src)
    while i < n:
        c = src[i]
        if src.startswith("/*", i):
            j = src.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", src[i:j]))
            i = j
        elif src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and src[j] != c and src[j] != "\n":
                j += 2 if src[j] == "\\" else 1
            j = min(j + 1, n)
            # keep #include "x.h": the backend-header rule needs it
            line_start = src.rfind("\n", 0, i) + 1
            if re.match(r"\s*#\s*include\s*$", src[line_start:i]):
                out.append(src[i:j])
            else:
                out.append(c + re.sub(r"[^\n]", " ", src[i + 1:j - 1]) + src[j - 1:j])
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def scan(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    found = []
    for no, line in enumerate(blank(text).split("\n"), 1):
        for name, rx in RULES:
            m = rx.search(line)
            if m:
                key = (waiver_path(path), line.strip())
                if name == "private member" and key in WAIVED:
                    USED.add(key)
                    continue
                found.append(f"{path}:{no}: {name}: {m.group(0).strip()}")
    return found


USED = set()
ROOT = [""]


def waiver_path(path):
    return os.path.relpath(path, ROOT[0]) if ROOT[0] else path


def driver_files(root):
    files = []
    d = os.path.join(root, "drivers")
    for base, _, names in os.walk(d):
        files += [os.path.join(base, x) for x in names if x.endswith((".c", ".h"))]
    demo = os.path.join(root, "demo", "demo.c")
    if os.path.exists(demo):
        files.append(demo)
    return sorted(files)


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    if len(argv) > 3 and argv[2] == "--expect":
        want, files = int(argv[3]), argv[4:]
        found = [v for f in files for v in scan(f)]
        for v in found:
            print("caught: " + v)
        ok = len(found) == want
        print(f"policy self-test: {len(found)} violation(s) caught, {want} planted: "
              + ("ok" if ok else "FAIL"))
        return 0 if ok else 1
    ROOT[0] = argv[1]
    files = driver_files(argv[1])
    if not files:
        print("policy: no driver sources found")
        return 1
    found = [v for f in files for v in scan(f)]
    found += [f"{w[0]}: stale waiver (the violation is gone: remove it from WAIVED): {w[1]}"
              for w in sorted(WAIVED - USED)]
    for v in found:
        print(v)
    print(f"policy: {len(files)} driver file(s), {len(found)} violation(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
