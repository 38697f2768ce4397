#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""usage: make_ppm.py <width> <height> <seed> <out.ppm>: a deterministic
binary PPM (gradients, a checkerboard and pseudo-random pixels, so that a
wrong row, column or channel shows) for the framebuffer tests."""
import random
import sys

w, h, seed, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
rnd = random.Random(seed)
noise = rnd.randbytes(w * h * 3)
px = bytearray(noise)
for y in range(h):
    row = y * w * 3
    for x0 in range((y // 16) % 2 * 16, w, 32):
        n = min(16, w - x0)
        px[row + x0 * 3:row + (x0 + n) * 3] = bytes(
            v for x in range(x0, x0 + n)
            for v in ((x * 255) // max(w - 1, 1), (y * 255) // max(h - 1, 1), (x ^ y) & 255))
with open(out, "wb") as f:
    f.write(b"P6\n# coherent tests/fb\n%d %d\n255\n" % (w, h) + bytes(px))
