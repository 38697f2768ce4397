#!/bin/sh
# SPDX-License-Identifier: MIT
# virtio-blk.sh - run the bare-metal virtio-blk tests under QEMU aarch64 virt.
#   virtio-blk.sh read   ELF IMAGE     hash IMAGE through the driver; passes if
#                                      it prints the sha256 that sha256sum gives
#   virtio-blk.sh random ELF MIB       the same on a fresh random image of MIB MiB
#   virtio-blk.sh sectors ELF N        the same on a random image of N sectors
#                                      (any count: odd ones too)
#   virtio-blk.sh random-ap ELF MIB    the same with the device offering
#                                      ACCESS_PLATFORM (iommu_platform=on), which
#                                      the driver must have accepted
#   virtio-blk.sh write  ELF KIB       the write test on a random scratch image,
#                                      whose bytes the host then checks
#   virtio-blk.sh legacy ELF           a legacy-only transport must be refused
# The guest must also print "<name>: N passed, 0 failed" (name = ELF's stem).
set -u
mode=$1
elf=$2
name=$(basename "$elf" .elf)
secs=${VIRTIO_TIMEOUT:-120}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
qemu="qemu-system-aarch64 -M virt -cpu cortex-a53 -m 128M -nographic -monitor none
  -nic none -semihosting"
modern="-global virtio-mmio.force-legacy=false"

. "$(dirname "$0")/qemu_run.sh"
run() { qemu_run "virtio-blk.sh: $name" "$name" "$@"; }

devopt=""
hash_check() {
	img=$1
	if [ ! -r "$img" ] || [ $(( $(stat -L -c %s "$img") % 512 )) -ne 0 ]; then
		echo "virtio-blk.sh: $img: not a readable file of whole 512-byte sectors" >&2
		exit 2
	fi
	# shellcheck disable=SC2086
	run $qemu $modern -drive "file=$img,if=none,format=raw,id=d0,readonly=on" \
		-device "virtio-blk-device,drive=d0$devopt" -kernel "$elf"
	want=$(sha256sum "$img" | cut -d' ' -f1)
	sectors=$(( $(stat -L -c %s "$img") / 512 ))
	if ! grep -q "^virtio-blk: sha256 $want $sectors sectors" "$tmp/out"; then
		echo "virtio-blk.sh: driver's sha256 differs from sha256sum $want" >&2
		exit 1
	fi
	echo "virtio-blk.sh: sha256 matches sha256sum ($want, $sectors sectors)"
}

case $mode in
read)
	hash_check "$3" ;;
random)
	head -c "$(( $3 * 1048576 ))" /dev/urandom >"$tmp/img"
	hash_check "$tmp/img" ;;
sectors)
	head -c "$(( $3 * 512 ))" /dev/urandom >"$tmp/img"
	hash_check "$tmp/img" ;;
random-ap)
	devopt=",iommu_platform=on"
	head -c "$(( $3 * 1048576 ))" /dev/urandom >"$tmp/img"
	hash_check "$tmp/img"
	f=$(sed -n 's/^virtio-blk: features \(0x[0-9a-f]*\),.*/\1/p' "$tmp/out")
	if [ -z "$f" ] || [ $(( (f >> 33) & 1 )) -ne 1 ]; then
		echo "virtio-blk.sh: ACCESS_PLATFORM (bit 33) not negotiated: features $f" >&2
		exit 1
	fi
	echo "virtio-blk.sh: ACCESS_PLATFORM negotiated (features $f)" ;;
write)
	head -c "$(( $3 * 1024 ))" /dev/urandom >"$tmp/img"
	# shellcheck disable=SC2086
	run $qemu $modern -drive "file=$tmp/img,if=none,format=raw,id=d0" \
		-device virtio-blk-device,drive=d0 -kernel "$elf"
	# the guest's pattern (tests/virtio/qemu_blk.c pattern()), checked on the file
	python3 - "$tmp/img" <<'PY' || exit 1
import sys
data = open(sys.argv[1], "rb").read()
bad = 0
for s in range(len(data) // 512):
    exp = bytes((s * 131 + i * 7 + (s >> 8) + 0x5a) & 0xff for i in range(512))
    if data[s * 512:(s + 1) * 512] != exp:
        bad += 1
if bad:
    print("virtio-blk.sh: host check: %d of %d sectors wrong" % (bad, len(data) // 512))
    sys.exit(1)
print("virtio-blk.sh: host check: all %d sectors as written" % (len(data) // 512))
PY
	;;
legacy)
	head -c 65536 /dev/zero >"$tmp/img"
	# shellcheck disable=SC2086
	run $qemu -drive "file=$tmp/img,if=none,format=raw,id=d0,readonly=on" \
		-device virtio-blk-device,drive=d0 -kernel "$elf" ;;
*)
	echo "usage: virtio-blk.sh read|random|write|legacy ELF [arg]" >&2
	exit 2 ;;
esac
exit 0
