#!/bin/sh
# SPDX-License-Identifier: MIT
# ctest rust_crate: the crate's tests (layout, the DMAC driver on the
# simulator, planted misuses, doc and compile_fail tests) with Debian's
# Rust (rustc-web / cargo-web in /usr/bin), never a rustup toolchain, and
# no registry: --offline --locked, CARGO_HOME inside the build directory.
# usage: cargo_test.sh <crate dir> <dir of libcoherent_sim.a> <target dir> <cc> [cflags]
set -eu
crate=$1 libdir=$2 target=$3 cc=$4 cflags=${5:-}
PATH=/usr/bin:/bin
export PATH
for t in cargo rustc rustdoc; do
	[ -x /usr/bin/$t ] || { echo "rust_crate: /usr/bin/$t missing: sh tools/deps.sh (rustc-web, cargo-web)"; exit 1; }
done
/usr/bin/rustc --version
export CARGO_HOME="$target/cargo-home" RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc
export COH_LIB_DIR="$libdir" CC="$cc" COH_CFLAGS="$cflags" CARGO_TERM_COLOR=never
unset RUSTFLAGS RUSTDOCFLAGS CARGO_BUILD_TARGET RUSTUP_TOOLCHAIN
mkdir -p "$target"
out="$target/cargo-test.log"
rc=0
(cd "$crate" && cargo test --offline --locked --features sim --target-dir "$target") >"$out" 2>&1 || rc=$?
cat "$out"
# every suite (lib, api, dmac, layout, misuse, doc, compile_fail) must say ok, none FAILED
n=$(grep -c '^test result: ok\.' "$out" || true)
if [ "$rc" -ne 0 ] || grep -q '^test result: FAILED' "$out" || [ "$n" -lt 7 ]; then
	echo "rust_crate: cargo test failed (exit $rc, $n suites ok)"
	exit 1
fi
echo "rust_crate: $n suites ok"
