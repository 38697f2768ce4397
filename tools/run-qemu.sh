#!/bin/sh
# SPDX-License-Identifier: MIT
# run-qemu.sh <name> <timeout-seconds> <qemu command...>
# Runs a bare-metal test under QEMU (semihosting: the guest's printf is our
# stdout and its exit(n) is QEMU's exit status).  Passes only when QEMU
# exits 0 within the timeout AND the output holds "<name>: N passed, 0 failed"
# with N > 0 - so a guest that dies early, hangs or prints nothing fails.
set -u
name=$1
secs=$2
shift 2
out=$(mktemp)
trap 'rm -f "$out"' EXIT INT TERM
timeout --foreground -k 5 "$secs" "$@" </dev/null >"$out" 2>&1
rc=$?
tr -d '\r' <"$out"
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
	echo "run-qemu: $name: timed out after ${secs}s" >&2
	exit 1
fi
if [ "$rc" -ne 0 ]; then
	echo "run-qemu: $name: exit status $rc" >&2
	exit 1
fi
if ! tr -d '\r' <"$out" | grep -Eq "^$name: [1-9][0-9]* passed, 0 failed\$"; then
	echo "run-qemu: $name: no '$name: N passed, 0 failed' line" >&2
	exit 1
fi
exit 0
