# SPDX-License-Identifier: MIT
# Sourced by the storage drivers' QEMU scripts (virtio-blk.sh, nvme.sh, sd.sh).
# qemu_run <label> <test name> <command...>: runs QEMU under $secs seconds,
# output in $tmp/out (echoed), and exits the script unless QEMU exited 0 and
# printed "<test name>: N passed, 0 failed" with N > 0.
qemu_run() {
	label=$1 pass=$2
	shift 2
	start=$(date +%s)
	timeout --foreground -k 5 "$secs" "$@" </dev/null >"$tmp/out" 2>&1
	rc=$?
	tr -d '\r' <"$tmp/out"
	echo "$label: QEMU ran $(( $(date +%s) - start )) s"
	if [ "$rc" -ne 0 ]; then
		echo "$label: exit status $rc" >&2
		exit 1
	fi
	if ! tr -d '\r' <"$tmp/out" | grep -Eq "^$pass: [1-9][0-9]* passed, 0 failed\$"; then
		echo "$label: no '$pass: N passed, 0 failed' line" >&2
		exit 1
	fi
}
