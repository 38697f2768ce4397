#!/bin/sh
# SPDX-License-Identifier: MIT
# virtio-net.sh ELF - the bare-metal virtio-net test under QEMU aarch64 virt,
# against tools/net-peer.py over unix-socket -netdev dgram (no IP, no slirp).
# Passes if QEMU exits 0 with "virtio-net: N passed, 0 failed" and the peer
# found every guest payload intact.
set -u
elf=$1
here=$(dirname "$0")
secs=${VIRTIO_TIMEOUT:-120}
tmp=$(mktemp -d)
peer_pid=""
trap '[ -n "$peer_pid" ] && kill "$peer_pid" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
PEER_TIMEOUT=$secs python3 "$here/net-peer.py" "$tmp/peer.sock" "$tmp/qemu.sock" >"$tmp/peer" 2>&1 &
peer_pid=$!
for _ in 1 2 3 4 5 6 7 8 9 10; do [ -S "$tmp/peer.sock" ] && break; sleep 0.2; done
start=$(date +%s)
timeout --foreground -k 5 "$secs" qemu-system-aarch64 -M virt -cpu cortex-a53 -m 128M \
	-nographic -monitor none -semihosting -global virtio-mmio.force-legacy=false \
	-netdev "dgram,id=n0,local.type=unix,local.path=$tmp/qemu.sock,remote.type=unix,remote.path=$tmp/peer.sock" \
	-device virtio-net-device,netdev=n0,mac=52:54:00:12:34:56 \
	-kernel "$elf" </dev/null >"$tmp/out" 2>&1
rc=$?
tr -d '\r' <"$tmp/out"
echo "virtio-net.sh: QEMU ran $(( $(date +%s) - start )) s"
wait "$peer_pid"
prc=$?
peer_pid=""
cat "$tmp/peer"
[ "$rc" -eq 0 ] || { echo "virtio-net.sh: QEMU exit status $rc" >&2; exit 1; }
[ "$prc" -eq 0 ] || { echo "virtio-net.sh: peer exit status $prc" >&2; exit 1; }
tr -d '\r' <"$tmp/out" | grep -Eq '^virtio-net: [1-9][0-9]* passed, 0 failed$' ||
	{ echo "virtio-net.sh: no 'virtio-net: N passed, 0 failed' line" >&2; exit 1; }
exit 0
