#!/bin/sh
# SPDX-License-Identifier: MIT
# sd.sh - the sunxi-mmc driver under QEMU orangepi-pc (docs/sdhost.md).
#   sd.sh read   ELF IMAGE [MIN_MIB]   hash IMAGE (any whole number of 512-byte
#                                      sectors) through the driver; passes if it
#                                      prints the sha256 sha256sum gives
#   sd.sh random ELF KIB [MIN_MIB]     the same on a fresh random image of KIB KiB
#   sd.sh write  ELF KIB               the write test on a random scratch image,
#                                      whose bytes the host then checks
#   sd.sh nocard ELF                   no medium: the driver must give up in time
# QEMU wants a power-of-two card: the image is copied into a sparse card of
# the next power of two (at least MIN_MIB MiB, default 1; above 2048 the card
# is SDHC) with a trailer in the last sector: "COHSDIMG" and the image's
# sector count (u64 little endian), so the guest hashes only the image.
# The guest must also print "sdhost: N passed, 0 failed".
set -u
mode=$1
elf=$2
secs=${SD_TIMEOUT:-60}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
qemu="qemu-system-arm -M orangepi-pc -nographic -monitor none -nic none -semihosting"

. "$(dirname "$0")/qemu_run.sh"
run() { qemu_run sd.sh sdhost "$@"; }

# card IMAGE MIN_MIB -> $tmp/card: the image, padding, trailer
card() {
	img=$1
	size=$(stat -L -c %s "$img")
	if [ ! -r "$img" ] || [ "$size" -eq 0 ] || [ $(( size % 512 )) -ne 0 ]; then
		echo "sd.sh: $img: not a readable file of whole 512-byte sectors" >&2
		exit 2
	fi
	sectors=$(( size / 512 ))
	c=$(( ${2:-1} * 1048576 ))
	while [ "$c" -lt $(( size + 512 )) ]; do c=$(( c * 2 )); done
	cp "$img" "$tmp/card"
	truncate -s "$c" "$tmp/card"
	python3 - "$tmp/card" "$sectors" <<'PY'
import struct, sys
with open(sys.argv[1], "r+b") as f:
    f.seek(-512, 2)
    f.write(b"COHSDIMG" + struct.pack("<Q", int(sys.argv[2])))
PY
}

hash_check() {
	card "$1" "${2:-1}"
	# shellcheck disable=SC2086
	run $qemu -drive "file=$tmp/card,if=sd,format=raw" -kernel "$elf"
	want=$(sha256sum "$1" | cut -d' ' -f1)
	if ! grep -q "^sdhost: sha256 $want $sectors sectors" "$tmp/out"; then
		echo "sd.sh: driver's sha256 differs from sha256sum $want ($sectors sectors)" >&2
		exit 1
	fi
	echo "sd.sh: sha256 matches sha256sum ($want, $sectors sectors)"
}

case $mode in
read)
	hash_check "$3" "${4:-1}" ;;
random)
	head -c "$(( $3 * 1024 ))" /dev/urandom >"$tmp/img"
	hash_check "$tmp/img" "${4:-1}" ;;
write)
	head -c "$(( $3 * 1024 ))" /dev/urandom >"$tmp/img"
	card "$tmp/img" 1
	# shellcheck disable=SC2086
	run $qemu -drive "file=$tmp/card,if=sd,format=raw" -kernel "$elf"
	# the guest's pattern (tests/sdhost/qemu_sd.c pattern()), checked on the card
	python3 - "$tmp/card" "$sectors" <<'PY' || exit 1
import sys
n = int(sys.argv[2])
data = open(sys.argv[1], "rb").read()
bad = 0
for s in range(n):
    exp = bytes((s * 131 + i * 7 + (s >> 8) + 0x5a) & 0xff for i in range(512))
    if data[s * 512:(s + 1) * 512] != exp:
        bad += 1
if data[-512:-496] != b"COHSDIMG" + n.to_bytes(8, "little"):
    print("sd.sh: host check: the trailer past the image was overwritten")
    sys.exit(1)
if bad:
    print("sd.sh: host check: %d of %d sectors wrong" % (bad, n))
    sys.exit(1)
print("sd.sh: host check: all %d sectors as written, trailer intact" % n)
PY
	;;
nocard)
	# shellcheck disable=SC2086
	run $qemu -kernel "$elf" ;;
*)
	echo "usage: sd.sh read|random|write|nocard ELF [arg]" >&2
	exit 2 ;;
esac
exit 0
