#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Host Ethernet peer for QEMU `-netdev dgram` over unix sockets (one raw
frame per datagram, no IP anywhere).

usage: net-peer.py MY_SOCKET QEMU_SOCKET

Binds MY_SOCKET (QEMU's remote.path), answers frames of EtherType 0x88B5
sent by the guest of tests/virtio/qemu_net.c:
  kind 1 DATA   payload checked against its pattern; answered with kind 2
                ECHO: the same payload followed by its CRC-32 (LE)
  kind 3 BURST  u16 count: answered with `count` kind-4 frames of varied
                sizes and a known pattern
  kind 5 DONE   print the summary, exit 0 if every frame checked out
  kind 6 OVERSIZE  answered with one 1518-byte frame (4 above the MTU)
Payload header after the 14-byte Ethernet header: kind u8, flags u8,
seq u16 LE, dlen u16 LE; data follows.
"""
import os
import socket
import struct
import sys
import zlib

PEER_MAC = bytes([2, 0, 0, 0, 0, 2])
ETYPE = 0x88B5


def data_pattern(seq, n):
    return bytes((seq * 7 + i * 13 + 1) & 0xff for i in range(n))


def burst_pattern(seq, n):
    return bytes((seq * 3 + i * 5 + 7) & 0xff for i in range(n))


def burst_len(seq):
    return (seq * 37) % 1495          # 0..1494: frames of 20..1514 bytes


def main():
    me, qemu = sys.argv[1], sys.argv[2]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    if os.path.exists(me):
        os.unlink(me)
    s.bind(me)
    s.settimeout(float(os.environ.get("PEER_TIMEOUT", "60")))
    good = bad = sent = 0
    while True:
        try:
            f = s.recv(65536)
        except socket.timeout:
            print("peer: timed out waiting for the guest")
            return 1
        if len(f) < 20 or struct.unpack(">H", f[12:14])[0] != ETYPE:
            continue                   # not ours (e.g. nothing else should come)
        guest = f[6:12]
        kind, _, seq, dlen = struct.unpack("<BBHH", f[14:20])
        data = f[20:20 + dlen]
        hdr = guest + PEER_MAC + struct.pack(">H", ETYPE)
        if kind == 1:
            if len(data) == dlen and data == data_pattern(seq, dlen):
                good += 1
            else:
                bad += 1
                print("peer: DATA seq %d: payload differs" % seq)
            out = hdr + struct.pack("<BBHH", 2, 0, seq, dlen) + data + \
                struct.pack("<I", zlib.crc32(data) & 0xffffffff)
            s.sendto(out, qemu)
            sent += 1
        elif kind == 3:
            count = struct.unpack("<H", data[:2])[0]
            for q in range(count):
                n = burst_len(q)
                s.sendto(hdr + struct.pack("<BBHH", 4, 0, q, n) + burst_pattern(q, n), qemu)
                sent += 1
            good += 1
        elif kind == 6:
            s.sendto(hdr + struct.pack("<BBHH", 7, 0, 0, 1498) + bytes(1498), qemu)
            sent += 1
            good += 1
        elif kind == 5:
            print("peer: %d frames checked, %d bad, %d sent" % (good, bad, sent))
            return 1 if bad or good == 0 else 0
        else:
            bad += 1
            print("peer: unknown kind %d" % kind)


if __name__ == "__main__":
    sys.exit(main())
