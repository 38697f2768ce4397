#!/bin/sh
# SPDX-License-Identifier: MIT
# Installs the Debian packages the build and tests need (as root, or through
# sudo); otherwise prints the exact apt line.  Quiet when everything is present.
set -eu

need=""
want() { # want <package> <path-or-command>
	case "$2" in
	/*) [ -e "$2" ] || need="$need $1" ;;
	*) command -v "$2" >/dev/null 2>&1 || need="$need $1" ;;
	esac
}

want cmake cmake
want make make
want gcc gcc
want libc6-dev /usr/include/stdio.h
want qemu-system-arm qemu-system-aarch64
want qemu-system-arm qemu-system-arm
want qemu-system-misc qemu-system-riscv64
want gcc-aarch64-linux-gnu aarch64-linux-gnu-gcc
want gcc-arm-none-eabi arm-none-eabi-gcc
want gcc-riscv64-unknown-elf riscv64-unknown-elf-gcc
want picolibc-aarch64-linux-gnu /usr/lib/picolibc/aarch64-linux-gnu/picolibc.specs
want picolibc-arm-none-eabi /usr/lib/picolibc/arm-none-eabi/picolibc.specs
want picolibc-riscv64-unknown-elf /usr/lib/picolibc/riscv64-unknown-elf/picolibc.specs
want python3 python3
want clang clang               # sanitizer catalogue, Clang build (tests/sanitizer)
want binutils addr2line        # the simulator names the driver's line in reports
want valgrind valgrind         # make bench: instruction counts; make test: bench_smoke
want gnuplot-nox gnuplot       # make bench: docs/bench-cache.png
# make test runs the host suite with Clang as well (sanitizer runtimes: libclang-rt)
want clang clang
want doxygen doxygen
want libclang-rt-14-dev /usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.asan-x86_64.a
# ctest rust_crate: Debian's current Rust (bookworm-security), not the old rustc 1.63
for p in rustc-web cargo-web; do
	dpkg -s $p >/dev/null 2>&1 || need="$need $p"
done
# make fuzz only (tools/deps.sh fuzz): clang and its libFuzzer runtime
if [ "${1:-}" = fuzz ]; then
	want clang clang
	want libclang-rt-14-dev /usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a
fi

[ -z "$need" ] && exit 0
# de-duplicate
need=$(printf '%s\n' $need | sort -u | tr '\n' ' ')
# root installs directly; a user with sudo installs through it (it may ask
# for a password); anyone else gets the exact command to run.
if [ "$(id -u)" -eq 0 ]; then
	as=""
elif command -v sudo >/dev/null 2>&1; then
	as="sudo"
else
	echo "deps: missing packages; run as root:" >&2
	echo "  apt-get update && apt-get install -y $need" >&2
	exit 1
fi
echo "deps: installing $need"
# shellcheck disable=SC2086
# several builds may install at once (parallel checkouts): wait for dpkg's lock
lock="-o DPkg::Lock::Timeout=600"
# shellcheck disable=SC2086
$as env DEBIAN_FRONTEND=noninteractive apt-get $lock update -q >/dev/null
# shellcheck disable=SC2086
$as env DEBIAN_FRONTEND=noninteractive apt-get $lock install -y -q --no-install-recommends $need >/dev/null
