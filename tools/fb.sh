#!/bin/sh
# SPDX-License-Identifier: MIT
# usage: sh tools/fb.sh virtio-gpu|ramfb <guest.elf> <in.ppm> [out.ppm] [timeout s]
# Runs the framebuffer guest (tests/fb/qemu_fb.c) on QEMU aarch64 virt with
# -display none and the HMP monitor on a unix socket; the guest reads
# in.ppm by semihosting (as fb-in.ppm in a scratch directory, QEMU's cwd),
# draws it in several partial updates and says "fb: ready 1"; the harness
# takes a screendump, which must equal in.ppm pixel for pixel (out.ppm gets
# it), and lets the guest go on: it inverts one rectangle and says
# "fb: ready 2 x y w h"; in the second screendump that rectangle must be
# the negative of in.ppm and every other pixel unchanged.  Exit 0 only if
# both dumps are right and the guest exits 0.
set -eu
dev=$1 elf=$2 in=$3 out=${4:-} tmo=${5:-60}
case $dev in
virtio-gpu) devopt="-global virtio-mmio.force-legacy=false -device virtio-gpu-device" ;;
ramfb) devopt="-device ramfb" ;;
*) echo "fb.sh: unknown device $dev" >&2; exit 2 ;;
esac
elf=$(cd "$(dirname "$elf")" && pwd)/$(basename "$elf")
tmp=$(mktemp -d)
[ -n "${FB_KEEP:-}" ] && echo "fb.sh: keeping $tmp" >&2 || trap 'rm -rf "$tmp"' EXIT
cp "$in" "$tmp/fb-in.ppm"
start=$(date +%s)
(cd "$tmp" && exec timeout "$tmo" qemu-system-aarch64 -M virt -cpu cortex-a53 -m 128M \
	-display none -serial none -monitor "unix:$tmp/mon,server,nowait" -nic none \
	-semihosting $devopt -kernel "$elf" >"$tmp/log" 2>&1) &
qpid=$!
rc=0
python3 - "$tmp" "$qpid" "$tmo" <<'PY' || rc=$?
import os, socket, sys, time
tmp, qpid, tmo = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
t0 = time.time()

def alive():
    try:
        os.kill(qpid, 0)
        return True
    except OSError:
        return False

def wait_line(prefix):
    while time.time() - t0 < tmo:
        with open(os.path.join(tmp, "log"), errors="replace") as f:
            for line in f:
                if line.startswith("fb: error"):
                    sys.exit("fb.sh: guest: " + line.strip())
                if line.startswith(prefix):
                    return line.split()
        if not alive():
            sys.exit("fb.sh: QEMU ended before '%s'" % prefix)
        time.sleep(0.05)
    sys.exit("fb.sh: timeout waiting for '%s'" % prefix)

def read_ppm(path, dump=False):
    d = open(path, "rb").read()
    fields, i = [], 0
    while len(fields) < 4:
        while d[i:i + 1].isspace():
            i += 1
        if d[i:i + 1] == b"#":
            while d[i:i + 1] != b"\n":
                i += 1
            continue
        j = i
        while not d[j:j + 1].isspace():
            j += 1
        fields.append(d[i:j])
        i = j
    i += 1
    if fields[0] != b"P6" or fields[3] != b"255":
        sys.exit("fb.sh: %s is not an 8-bit P6 PPM" % path)
    w, h = int(fields[1]), int(fields[2])
    px = d[i:]
    pad = (w * 3 + 3) // 4 * 4
    if dump and w * 3 != pad and len(px) == h * pad:
        # QEMU 7.2's PPM screendump writes each row with its pixman stride
        # (3 * width rounded up to 4 bytes): drop the padding
        px = b"".join(px[r * pad:r * pad + w * 3] for r in range(h))
    if len(px) < w * h * 3:
        sys.exit("fb.sh: %s: short pixel data" % path)
    return w, h, px[:w * h * 3]

NEG = bytes(255 - v for v in range(256))
mon = None
def dump(name):
    global mon
    if mon is None:
        mon = socket.socket(socket.AF_UNIX)
        mon.connect(os.path.join(tmp, "mon"))
        mon.settimeout(tmo)
        buf = b""
        while b"(qemu)" not in buf:
            buf += mon.recv(4096)
    path = os.path.join(tmp, name)
    mon.sendall(("screendump %s\n" % path).encode())
    buf = b""
    # HMP answers each command with a new prompt once it has completed
    while b"(qemu)" not in buf:
        buf += mon.recv(4096)
    if not os.path.exists(path):
        sys.exit("fb.sh: no screendump: %s" % buf.decode(errors="replace"))
    return read_ppm(path, True)

w, h, ref = read_ppm(os.path.join(tmp, "fb-in.ppm"))
# QEMU shows no mode under 16x16: the guest draws a smaller picture in the
# top-left corner of a 16-pixel mode, and the dumps are cropped to it
mw, mh = max(w, 16), max(h, 16)

def crop(dw, dh, px):
    if (dw, dh) != (mw, mh) or (mw, mh) == (w, h):
        return dw, dh, px
    return w, h, b"".join(px[r * dw * 3:r * dw * 3 + w * 3] for r in range(h))

wait_line("fb: ready 1")
dw, dh, px = crop(*dump("dump1.ppm"))
with open(os.path.join(tmp, "out.ppm"), "wb") as f:
    f.write(b"P6\n%d %d\n255\n" % (dw, dh) + px)
if (dw, dh) != (w, h):
    sys.exit("fb.sh: screendump is %dx%d, the picture %dx%d" % (dw, dh, w, h))
bad = ref != px and sum(1 for k in range(0, len(ref), 3) if ref[k:k + 3] != px[k:k + 3])
if bad:
    sys.exit("fb.sh: first screendump: %d of %d pixels differ" % (bad, w * h))
open(os.path.join(tmp, "fb-go-1"), "w").close()
x, y, rw, rh = (int(v) for v in wait_line("fb: ready 2")[3:7])
dw, dh, px2 = crop(*dump("dump2.ppm"))
inside = outside = 0
for row in range(h):
    a, b = row * w * 3, (row + 1) * w * 3
    if y <= row < y + rh:
        l, r = a + x * 3, a + (x + rw) * 3
        outside += ref[a:l] != px2[a:l] or ref[r:b] != px2[r:b]
        inside += ref[l:r].translate(NEG) != px2[l:r]
    else:
        outside += ref[a:b] != px2[a:b]
if (dw, dh) != (w, h) or inside or outside:
    sys.exit("fb.sh: second screendump: %d rows wrong inside the rectangle %d,%d %dx%d, "
             "%d rows changed outside it" % (inside, x, y, rw, rh, outside))
open(os.path.join(tmp, "fb-go-2"), "w").close()
print("fb.sh: %dx%d: both screendumps equal the expected pictures" % (w, h))
PY
if [ $rc -ne 0 ]; then
	kill "$qpid" 2>/dev/null || true
	wait "$qpid" 2>/dev/null || true
	cat "$tmp/log" >&2
	exit 1
fi
qrc=0
wait "$qpid" || qrc=$?
cat "$tmp/log"
echo "fb.sh: $dev: QEMU ran $(( $(date +%s) - start )) s, exit $qrc"
[ "$qrc" -eq 0 ] || exit 1
if [ -n "$out" ]; then
	cp "$tmp/out.ppm" "$out"
fi
