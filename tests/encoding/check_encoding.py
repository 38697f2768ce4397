#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Instruction-level checks of the fence contract, per backend.

src/fence.c is compiled at -O2 with each backend's cross compiler and
disassembled with the matching objdump.  For every function that contains
cache maintenance, with loop back edges cut, every path from entry to exit
is walked (as a small state machine over the DAG) and must:
  - issue exactly one completion barrier, after its last maintenance
    instruction, and no other barrier (SiFive: one full fence before the
    first Flush64 store as well);
  - (paths without maintenance) issue at most one barrier.
Loops must hold no barrier and exactly one maintenance instruction each:
one operation per line, one barrier per call.  The range functions must hold
the expected kinds (release: one clean; flush: one flush; acquire: one
invalidate in a loop and clean+invalidate for the edges).
Encodings QEMU cannot execute (Zicbom, XTheadCMO) are matched on the raw
32-bit words, whatever mnemonic objdump prints.

usage: check_encoding.py <repo root> [backend...]
"""
import os
import re
import subprocess
import sys
import tempfile

ARM_COND = r"(eq|ne|cs|cc|hs|lo|mi|pl|vs|vc|hi|ls|ge|lt|gt|le)"

BACKENDS = {
    "aarch64": ("aarch64-linux-gnu-", ["-mcpu=cortex-a53"], "a64"),
    "armv7a": ("arm-none-eabi-", ["-mcpu=cortex-a15", "-marm"], "arm"),
    "armv7a-thumb": ("arm-none-eabi-", ["-mcpu=cortex-a15", "-mthumb"], "arm"),
    "armv7m": ("arm-none-eabi-", ["-mcpu=cortex-m7", "-mthumb"], "armv7m"),
    "riscv64-zicbom": ("riscv64-unknown-elf-", ["-march=rv64gc", "-mabi=lp64d", "-mno-relax"], "zicbom"),
    "riscv64-thead": ("riscv64-unknown-elf-", ["-march=rv64gc", "-mabi=lp64d", "-mno-relax"], "thead"),
    "riscv64-sifive-ccache": ("riscv64-unknown-elf-", ["-march=rv64gc", "-mabi=lp64d", "-mno-relax"], "sifive"),
}
ARCH_DIR = {"armv7a-thumb": "armv7a"}
CLANG_TARGET = {"aarch64-linux-gnu-": "aarch64-none-elf", "arm-none-eabi-": "arm-none-eabi",
                "riscv64-unknown-elf-": "riscv64-unknown-elf"}

# Armv7-M SCB maintenance registers
M_REGS = {0xE000EF68: "clean", 0xE000EF5C: "inval", 0xE000EF70: "flush"}


class Insn:
    def __init__(self, addr, raw, mnem, ops):
        self.addr, self.raw, self.mnem, self.ops = addr, raw, mnem, ops
        self.kind = None        # clean / inval / flush
        self.barrier = False    # any memory barrier
        self.completion = False  # the barrier that completes maintenance
        self.succ = []          # successor indices (forward edges only)
        self.back = []          # back-edge targets (loop heads)
        self.exit = False
        self.relocs = []        # symbols of relocations at this instruction


def disassemble(root, name, prefix, flags, out):
    arch = ARCH_DIR.get(name, name)
    obj = os.path.join(out, name + ".o")
    # COH_ENCODING_CC=clang: the same source and flags through Clang for the
    # same target; GNU objdump reads either compiler's objects.
    cc = [prefix + "gcc"]
    if os.environ.get("COH_ENCODING_CC") == "clang":
        cc = ["clang", "--target=" + CLANG_TARGET[prefix]]
        if prefix == "arm-none-eabi-":
            cc.append("-fshort-enums")
        # Clang unrolls the per-line loop 2-4x at -O2: still one operation
        # per line, but the loop check counts one per loop body.
        cc.append("-fno-unroll-loops")
    cmd = [*cc, "-O2", "-ffreestanding", "-DNDEBUG", "-Wall", "-Wextra",
           "-Werror", "-Wconversion", "-Wsign-conversion", "-Wshadow", "-Wundef",
           "-Wmissing-prototypes", "-Wstrict-prototypes", "-Wpointer-arith",
           "-Wcast-align", "-Wvla", *flags,
           "-I" + os.path.join(root, "include"), "-I" + os.path.join(root, "src"),
           "-I" + os.path.join(root, "arch", arch),
           "-c", os.path.join(root, "src", "fence.c"), "-o", obj]
    subprocess.run(cmd, check=True)
    dis = subprocess.run([prefix + "objdump", "-d", "-r", "-z", obj], check=True,
                         capture_output=True, text=True).stdout
    with open(os.path.join(out, name + ".dis"), "w") as f:
        f.write(dis)
    funcs, cur = {}, None
    for line in dis.splitlines():
        m = re.match(r"^([0-9a-f]+) <([^>]+)>:$", line)
        if m:
            if not m.group(2).startswith(".L"):
                cur = funcs.setdefault(m.group(2), [])
            continue
        m = re.match(r"^\s*[0-9a-f]+: (R_\w+)\s+(\S+)", line)
        if m and cur:
            cur[-1].relocs.append(m.group(2))
            continue
        m = re.match(r"^\s*([0-9a-f]+):\t([0-9a-f ]+?)\s*\t([^\t]+?)(?:\t(.*))?$", line)
        if m and cur is not None:
            raw = int(m.group(2).replace(" ", ""), 16) if m.group(2).strip() else 0
            if " " in m.group(2).strip():  # thumb: two halfwords, first first
                hw = m.group(2).split()
                raw = (int(hw[0], 16) << 16) | int(hw[1], 16)
            ops = (m.group(4) or "").split("@")[0].split("//")[0].strip()
            cur.append(Insn(int(m.group(1), 16), raw, m.group(3).strip(), ops))
    return funcs


def classify(style, ins, consts):
    mn, ops, raw = ins.mnem, ins.ops, ins.raw
    if style == "a64":
        if mn == "dc":
            op = ops.split(",")[0].strip()
            ins.kind = {"cvac": "clean", "ivac": "inval", "civac": "flush"}.get(op)
        ins.barrier = mn in ("dsb", "dmb")
        ins.completion = mn == "dsb"
    elif style in ("arm", "armv7m"):
        base = re.sub(r"(\.[nw])$", "", mn)
        if base.startswith("mcr") and re.match(r"(p)?15, 0, \w+, cr7, cr(10|6|14), \{1\}", ops):
            crm = re.search(r"cr7, cr(\d+)", ops).group(1)
            ins.kind = {"10": "clean", "6": "inval", "14": "flush"}[crm]
        ins.barrier = base in ("dsb", "dmb")
        ins.completion = base == "dsb"
        if style == "armv7m":
            track_m_consts(ins, base, ops, consts)
    else:  # RISC-V, raw words
        if (raw & 0x707F) == 0x000F and len_of(raw) == 4:
            ins.barrier = True  # FENCE (any predecessor/successor sets)
        if style == "zicbom":
            if (raw & 0x7FFF) == 0x200F:
                ins.kind = {1: "clean", 0: "inval", 2: "flush"}.get(raw >> 20)
            ins.completion = raw == 0x0FF0000F  # fence iorw, iorw
        elif style == "thead":
            if (raw & 0xFE007FFF) == 0x0200000B:
                ins.kind = {5: "clean", 6: "inval", 7: "flush"}.get((raw >> 20) & 31)
            if raw == 0x0190000B:  # th.sync.s
                ins.barrier = ins.completion = True
        elif style == "sifive":
            ins.completion = raw == 0x0FF0000F
            track_flush64(ins, mn, ops, consts)


def len_of(raw):
    return 4 if (raw & 3) == 3 else 2


def track_m_consts(ins, base, ops, consts):
    """Enough constant propagation to see which SCB register a STR hits."""
    regs = [r.strip() for r in re.split(r",(?![^\[]*\])", ops)]
    m = re.match(r"^str(\.w)?$", base)
    if m or base == "str":
        mm = re.match(r"\w+, \[(\w+)(?:, #(-?\d+))?\]$", ops)
        if mm and mm.group(1) in consts:
            addr = (consts[mm.group(1)] + int(mm.group(2) or 0)) & 0xFFFFFFFF
            ins.kind = M_REGS.get(addr)
        return
    imm = re.match(r"^(\w+), #(-?\d+)$", ops)
    if base in ("mov", "movw", "movs") and imm:
        consts[imm.group(1)] = int(imm.group(2)) & 0xFFFFFFFF
        return
    if base == "movt" and imm and imm.group(1) in consts:
        consts[imm.group(1)] = (consts[imm.group(1)] & 0xFFFF) | (int(imm.group(2)) << 16)
        return
    addi = re.match(r"^(\w+), (\w+), #(-?\d+)$", ops)
    if base in ("add", "adds", "addw") and addi and addi.group(2) in consts:
        consts[addi.group(1)] = (consts[addi.group(2)] + int(addi.group(3))) & 0xFFFFFFFF
        return
    if regs and regs[0] in consts and not base.startswith(("cmp", "tst", "b", "cb", "push", "st")):
        del consts[regs[0]]  # overwritten by something we do not model


def track_flush64(ins, mn, ops, consts):
    """A 64-bit store to coh__sifive_ccache_base + 0x200 is a Flush64 write."""
    ops_l = [o.strip() for o in ops.split("#")[0].split(",")]
    if mn in ("sd", "c.sd"):
        m = re.match(r"^(-?\d+)\((\w+)\)$", ops_l[1]) if len(ops_l) > 1 else None
        if m:
            off = int(m.group(1)) + {"base": 0, "reg": 0x200}.get(consts.get(m.group(2)), -1 << 20)
            if off == 0x200:
                ins.kind = "flush"
        return
    if not ops_l or not ops_l[0] or mn.startswith(("b", "j", "fence", "amo", "s")):
        return
    rd, src = ops_l[0], consts.get(ops_l[1]) if len(ops_l) > 1 else None
    consts.pop(rd, None)
    if mn in ("ld", "c.ld") and "coh__sifive_ccache_base" in ins.relocs:
        consts[rd] = "base"
    elif mn in ("add", "addi", "c.addi") and len(ops_l) == 3 and \
            src == "base" and ops_l[2] == "512":
        consts[rd] = "reg"
    elif mn in ("mv", "c.mv") and len(ops_l) == 2 and src:
        consts[rd] = src


def build_cfg(style, insns):
    addrs = {ins.addr: i for i, ins in enumerate(insns)}
    for i, ins in enumerate(insns):
        mn, ops = ins.mnem, ins.ops
        base = re.sub(r"(\.[nw])$", "", mn)
        tgt = re.search(r"\b([0-9a-f]+) <", ops)
        target = int(tgt.group(1), 16) if tgt else None
        falls, jumps, ends = True, None, False
        if style == "a64":
            if mn == "ret" or mn == "br":
                falls, ends = False, True
            elif mn == "b":
                falls, jumps = False, target
            elif re.match(r"^(b\.\w+|cbz|cbnz|tbz|tbnz)$", mn):
                jumps = target
        elif style in ("arm", "armv7m"):
            cond = re.match(r"^(b|bx|pop|ldm\w*|ldr)" + ARM_COND + r"?$", base)
            is_cond = bool(re.search(ARM_COND + r"$", base)) and base not in ("bls",) or base in ("bls",)
            if re.match(r"^b" + ARM_COND + "?$", base) and target is not None:
                jumps = target
                falls = base != "b"
            elif base in ("cbz", "cbnz"):
                jumps = target
            elif cond and (base.startswith("bx") or ("pc" in ops and not base.startswith("b"))):
                if base.startswith("ldr") and not ops.startswith("pc"):
                    pass
                else:
                    ends = True
                    falls = bool(re.search(ARM_COND + r"$", base)) and base not in ("pop", "ldr", "bx")
            del is_cond
        else:  # RISC-V
            if mn in ("ret", "jr", "c.jr", "mret") or (mn == "jalr" and ops.startswith("zero")):
                falls, ends = False, True
            elif mn in ("j", "c.j"):
                falls, jumps = False, target
            elif mn.startswith("b") or mn in ("c.beqz", "c.bnez"):
                jumps = target
        if ends:
            ins.exit = True
        if jumps is not None:
            if jumps in addrs:
                j = addrs[jumps]
                ins.succ.append(j)
            else:
                ins.exit = True  # tail call
        if falls and i + 1 < len(insns):
            ins.succ.append(i + 1)
        elif falls:
            ins.exit = True


def check_function(name, style, insns, errors):
    def err(msg):
        errors.append("%s: %s" % (name, msg))

    n = len(insns)
    # loops: strongly connected components with a cycle (Tarjan, iterative)
    index, low, onstk, stack, comp, counter = {}, {}, set(), [], [None] * n, [0]
    for root in range(n):
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            v, k = work.pop()
            if k == 0:
                index[v] = low[v] = counter[0]
                counter[0] += 1
                stack.append(v)
                onstk.add(v)
            succ = insns[v].succ
            if k < len(succ):
                work.append((v, k + 1))
                w = succ[k]
                if w not in index:
                    work.append((w, 0))
                elif w in onstk:
                    low[v] = min(low[v], index[w])
                continue
            for w in succ:
                if w in onstk and comp[w] is None:
                    low[v] = min(low[v], low[w])
            if low[v] == index[v]:
                members = []
                while True:
                    w = stack.pop()
                    onstk.discard(w)
                    comp[w] = v
                    members.append(w)
                    if w == v:
                        break
                if len(members) > 1 or v in insns[v].succ:
                    body = [insns[m] for m in sorted(members)]
                    lo, hi = body[0].addr, body[-1].addr
                    for x in body:
                        x.loop = (lo, hi)
                        if x.barrier:
                            err("barrier %s at %#x inside the loop %#x..%#x" % (x.mnem, x.addr, lo, hi))
                    maint = [x for x in body if x.kind]
                    if len(maint) > 1:
                        err("%d maintenance instructions in the loop %#x..%#x (one per line expected)"
                            % (len(maint), lo, hi))
    in_loop = lambda x: getattr(x, "loop", None) is not None

    # DAG: drop DFS back edges, walk in topological order
    order, seen_v, dag = [], set(), [[] for _ in range(n)]
    work, onpath = [(0, 0)], set()
    seen_v.add(0)
    onpath.add(0)
    while work:
        v, k = work.pop()
        succ = insns[v].succ
        if k < len(succ):
            work.append((v, k + 1))
            w = succ[k]
            if w in onpath:
                continue  # back edge: a loop is walked once
            dag[v].append(w)
            if w not in seen_v:
                seen_v.add(w)
                onpath.add(w)
                work.append((w, 0))
            continue
        onpath.discard(v)
        order.append(v)
    order.reverse()

    # state = (barriers, completions, maintenance seen, completions since the
    # last maintenance, completions before the first)
    states = [set() for _ in insns]
    states[0].add((0, 0, False, 0, 0))
    finals = set()
    for i in order:
        ins = insns[i]
        for (nb, nc, seen, after, pre) in states[i]:
            if ins.kind:
                seen, after = True, 0
            if ins.barrier:
                nb = min(nb + 1, 3)
            if ins.completion:
                nc = min(nc + 1, 3)
                after = min(after + 1, 3)
                if not seen:
                    pre = min(pre + 1, 3)
            st = (nb, nc, seen, after, pre)
            if ins.exit:
                finals.add(st)
            for j in dag[i]:
                states[j].add(st)
    sifive = style == "sifive"
    for (nb, nc, seen, after, pre) in sorted(finals):
        if seen and name in BATCH_STEPS:
            # a step of a maintenance batch: line operations only; the one
            # barrier is coh__batch_barrier's (SiFive: the fence before the
            # first Flush64 of a batch may be in this step)
            if after != 0 or nb > (1 if sifive else 0):
                err("a batch step issues %d barriers (%d after its last maintenance), want none"
                    % (nb, after))
        elif seen:
            want = 2 if sifive else 1
            if nc != want or nb != want:
                err("a path with maintenance has %d barriers (%d completing), want %d"
                    % (nb, nc, want))
            if after != 1:
                err("a path with maintenance does not end it with exactly one barrier")
            if sifive and pre != 1:
                err("a path with Flush64 stores has no full fence before them")
        elif nb > (2 if sifive else 1):
            # (SiFive: the fence pair around a loop the compiler cannot
            # prove runs at least once)
            err("a path without maintenance has %d barriers" % nb)
    # (bench/isa_loops.py reads the paths' barrier counts from finals)
    return in_loop, finals


# src/fence.c's maintenance batches (src/internal.h): coh__batch_add, its
# checked form and coh__batch_inval_field issue line operations and no
# barrier; coh__batch_barrier issues at most one barrier on every path and
# no line operation.
BATCH_STEPS = {"coh__batch_add", "coh__batch_add_checked", "coh__batch_inval_field"}
BATCH_BARRIER = "coh__batch_barrier"

EXPECT = {  # per range function: (kind, min, max, how many of them in loops)
    "coh__release_range": {"clean": (1, 1, 1)},
    "coh__flush_range": {"flush": (1, 1, 1)},
    "coh__acquire_range": {"inval": (1, 1, 1), "flush": (1, 2, 0)},
}
EXPECT_FLUSH_ONLY = {
    "coh__release_range": {"flush": (1, 1, 1)},
    "coh__flush_range": {"flush": (1, 1, 1)},
    # the edge flush is one line; Clang keeps it as a loop that runs once
    "coh__acquire_range": {"flush": (2, 3, (1, 2))},
}


def check_backend(root, name, out):
    prefix, flags, style = BACKENDS[name]
    funcs = disassemble(root, name, prefix, flags, out)
    errors, checked = [], 0
    for fname, insns in funcs.items():
        consts = {}
        for ins in insns:
            classify(style, ins, consts)
        if not insns:
            continue
        build_cfg(style, insns)
        if not any(x.kind for x in insns) and fname not in EXPECT and fname != BATCH_BARRIER:
            continue
        checked += 1
        in_loop, _ = check_function(fname, style, insns, errors)
        exp = (EXPECT_FLUSH_ONLY if style == "sifive" else EXPECT).get(fname)
        if exp is None:
            continue
        kinds = {}
        for x in insns:
            if x.kind:
                kinds.setdefault(x.kind, []).append(x)
        for k in set(kinds) - set(exp):
            errors.append("%s: unexpected %s instructions" % (fname, k))
        for k, (lo, hi, looped) in exp.items():
            got = kinds.get(k, [])
            if not lo <= len(got) <= hi:
                errors.append("%s: %d %s instructions, want %d..%d" % (fname, len(got), k, lo, hi))
            nl = sum(1 for x in got if in_loop(x))
            llo, lhi = looped if isinstance(looped, tuple) else (looped, looped)
            if looped and not llo <= nl <= lhi:
                errors.append("%s: %d %s instructions in a loop, want %d..%d" % (fname, nl, k, llo, lhi))
    for fname in list(EXPECT) + list(BATCH_STEPS) + [BATCH_BARRIER]:
        if fname not in funcs:
            errors.append("%s: not found in the object" % fname)
    for e in errors:
        print("encoding %s: %s" % (name, e))
    print("encoding %s: %d functions checked, %s" % (name, checked,
          "FAILED" if errors else "ok"))
    return not errors


def main():
    root = sys.argv[1]
    names = sys.argv[2:] or list(BACKENDS)
    out = os.environ.get("COH_ENCODING_OUT") or tempfile.mkdtemp(prefix="coh-enc-")
    os.makedirs(out, exist_ok=True)
    ok = all([check_backend(root, n, out) for n in names])
    print("disassembly in", out)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
