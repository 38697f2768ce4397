#!/bin/sh
# SPDX-License-Identifier: MIT
# nvme.sh - run the bare-metal NVMe tests under QEMU aarch64 virt (PCIe).
#   nvme.sh read   ELF IMAGE     hash IMAGE through the driver; passes if it
#                                prints the sha256 that sha256sum gives
#   nvme.sh random ELF SECTORS   the same on a fresh random image of SECTORS x 512
#   nvme.sh write  ELF SECTORS   the write test on a random scratch image of
#                                SECTORS x 512, whose bytes the host then checks
# NVME_MACHINE=riscv64 runs the riscv64 virt build instead of aarch64's.
# The guest must also print "<name>: N passed, 0 failed" (name = ELF's stem).
set -u
mode=$1
elf=$2
name=$(basename "$elf" .elf)
secs=${NVME_TIMEOUT:-100}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
# NVME_MACHINE=riscv64: the riscv64 virt board (M-mode, -bios none)
if [ "${NVME_MACHINE:-aarch64}" = riscv64 ]; then
	qemu="qemu-system-riscv64 -M virt -bios none -m 128M -nographic -monitor none
  -nic none -semihosting"
else
	qemu="qemu-system-aarch64 -M virt -cpu cortex-a53 -m 128M -nographic -monitor none
  -nic none -semihosting"
fi

. "$(dirname "$0")/qemu_run.sh"
run() { qemu_run "nvme.sh: $name" "$name" "$@"; }

hash_check() {
	img=$1
	if [ ! -r "$img" ] || [ ! -s "$img" ] || [ $(( $(stat -L -c %s "$img") % 512 )) -ne 0 ]; then
		echo "nvme.sh: $img: not a readable file of whole 512-byte sectors" >&2
		exit 2
	fi
	# shellcheck disable=SC2086
	run $qemu -drive "file=$img,if=none,format=raw,id=d0,readonly=on" \
		-device "nvme,serial=coh0001,drive=d0" -kernel "$elf"
	want=$(sha256sum "$img" | cut -d' ' -f1)
	sectors=$(( $(stat -L -c %s "$img") / 512 ))
	if ! tr -d '\r' <"$tmp/out" | grep -q "^nvme: sha256 $want $sectors sectors"; then
		echo "nvme.sh: driver's sha256 differs from sha256sum $want ($sectors sectors)" >&2
		exit 1
	fi
	echo "nvme.sh: sha256 matches sha256sum ($want, $sectors sectors)"
}

case $mode in
read)
	hash_check "$3" ;;
random)
	head -c "$(( $3 * 512 ))" /dev/urandom >"$tmp/img"
	hash_check "$tmp/img" ;;
write)
	head -c "$(( $3 * 512 ))" /dev/urandom >"$tmp/img"
	# shellcheck disable=SC2086
	run $qemu -drive "file=$tmp/img,if=none,format=raw,id=d0" \
		-device "nvme,serial=coh0002,drive=d0" -kernel "$elf"
	# the guest's pattern (tests/nvme/qemu_nvme.c pattern()), checked on the file
	python3 - "$tmp/img" <<'PY' || exit 1
import sys
data = open(sys.argv[1], "rb").read()
bad = 0
for s in range(len(data) // 512):
    exp = bytes((s * 131 + i * 7 + (s >> 8) + 0x5a) & 0xff for i in range(512))
    if data[s * 512:(s + 1) * 512] != exp:
        bad += 1
if bad:
    print("nvme.sh: host check: %d of %d sectors wrong" % (bad, len(data) // 512))
    sys.exit(1)
print("nvme.sh: host check: all %d sectors as written" % (len(data) // 512))
PY
	;;
*)
	echo "usage: nvme.sh read|random|write ELF [IMAGE|SECTORS]" >&2
	exit 2 ;;
esac
exit 0
