#!/bin/sh
# SPDX-License-Identifier: MIT
# run-netpeer.sh [--expect-fail REGEX] <name> <timeout-s> <netpeer> <qemu> <args...>
# A bare-metal network test: starts tools/netpeer on a fresh unix-socket
# pair, then QEMU with "-netdev dgram" on the same pair (one Ethernet frame
# per datagram; no IP, no slirp) and the NIC on it, e.g.
#   run-netpeer.sh sun8i-emac 60 ./netpeer qemu-system-arm -M orangepi-pc ... -kernel x.elf
# Passes only when QEMU exits 0 within the timeout AND prints
# "<name>: N passed, 0 failed" AND the peer exits 0 (it checked every frame
# it got).  With --expect-fail REGEX it passes only when the run fails and
# the output matches REGEX: a planted bug must fail the run, and say why.
# Output streams as it comes (make qemu-dwmac runs this interactively).
# NETPEER_NIC replaces the "-net nic,netdev=n0" that attaches the board's
# NIC (e.g. "-device virtio-net-device,netdev=n0" on aarch64 virt).
set -u
expect=""
if [ "${1:-}" = "--expect-fail" ]; then
	expect=$2
	shift 2
fi
if [ $# -lt 5 ]; then
	echo "usage: run-netpeer.sh [--expect-fail REGEX] name timeout netpeer qemu args..." >&2
	exit 2
fi
name=$1
secs=$2
peer=$3
qemu=$4
shift 4

if ! command -v "$qemu" >/dev/null 2>&1; then
	echo "run-netpeer: $name: $qemu not found: install QEMU >= 7.2 (Debian: qemu-system-arm, or sh tools/deps.sh)" >&2
	exit 1
fi
ver=$("$qemu" --version 2>/dev/null | sed -n 's/.*version \([0-9][0-9]*\)\.\([0-9][0-9]*\).*/\1 \2/p' | head -n1)
set -- $ver "$@"
if [ -z "$ver" ] || [ "$1" -lt 7 ] || { [ "$1" -eq 7 ] && [ "$2" -lt 2 ]; }; then
	echo "run-netpeer: $name: $qemu is too old ($(echo "${ver:-unknown version}" | tr ' ' .)): -netdev dgram needs QEMU >= 7.2" >&2
	exit 1
fi
shift 2
if [ ! -x "$peer" ]; then
	echo "run-netpeer: $name: peer program $peer not built" >&2
	exit 1
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/netpeer.XXXXXX")
out="$dir/out"
peer_pid=""
cleanup() {
	[ -n "$peer_pid" ] && kill "$peer_pid" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT INT TERM

"$peer" --local "$dir/peer.sock" --remote "$dir/qemu.sock" --idle "$secs" >"$dir/peer.out" 2>&1 &
peer_pid=$!
i=0
while [ ! -S "$dir/peer.sock" ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done

t0=$(date +%s)
{
	timeout --foreground -k 5 "$secs" "$qemu" \
		-netdev "dgram,id=n0,local.type=unix,local.path=$dir/qemu.sock,remote.type=unix,remote.path=$dir/peer.sock" \
		${NETPEER_NIC:--net nic,netdev=n0} "$@" </dev/null 2>&1
	echo $? >"$dir/rc"
} | tr -d '\r' | tee "$out"
rc=$(cat "$dir/rc")
t1=$(date +%s)
# the peer exits on BYE; give it a moment, then stop it
i=0
while kill -0 "$peer_pid" 2>/dev/null && [ $i -lt 15 ]; do
	sleep 0.1
	i=$((i + 1))
done
if kill -0 "$peer_pid" 2>/dev/null; then
	kill "$peer_pid" 2>/dev/null
	wait "$peer_pid" 2>/dev/null
	prc=124
else
	wait "$peer_pid"
	prc=$?
fi
peer_pid=""
cat "$dir/peer.out" | tee -a "$out"

fail=""
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
	fail="timed out after ${secs}s"
elif [ "$rc" -ne 0 ]; then
	fail="QEMU exit status $rc"
elif ! grep -Eq "^$name: [1-9][0-9]* passed, 0 failed\$" "$out"; then
	fail="no '$name: N passed, 0 failed' line"
elif [ "$prc" -ne 0 ]; then
	fail="netpeer exit status $prc (it saw bad frames, or no BYE)"
fi
echo "run-netpeer: $name: $((t1 - t0)) s of QEMU"

if [ -n "$expect" ]; then
	if [ -z "$fail" ]; then
		echo "run-netpeer: $name: expected to fail (planted bug), but it passed" >&2
		exit 1
	fi
	if ! grep -Eq "$expect" "$out"; then
		echo "run-netpeer: $name: failed ($fail) but without the expected message /$expect/" >&2
		exit 1
	fi
	echo "run-netpeer: $name: failed as planted ($fail), with /$expect/"
	exit 0
fi
if [ -n "$fail" ]; then
	echo "run-netpeer: $name: $fail" >&2
	exit 1
fi
exit 0
