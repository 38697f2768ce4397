#!/bin/sh
# SPDX-License-Identifier: MIT
# usage: run.sh <mode> <cc> <coherent source> <coherent build>
# Builds tests/install/project (an out-of-tree user project) one way and
# runs its programs; each must print "example: ok".
#   find_package     cmake --install into a fresh prefix, find_package(coherent)
#   pkg-config       the same prefix, a plain compiler command with pkg-config
#   add_subdirectory the source tree pulled into the project, nothing installed
#   drop-in          include/, src/ and arch/ copied into a "kernel tree",
#                    one backend, one config header, one compiler command
set -eu
mode=$1 cc=$2 root=$3 build=$4
proj=$root/tests/install/project
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
flags="-std=gnu11 -Wall -Wextra -Werror"

run() { # run <program> [arg]: it must exit 0 and say ok
	out=$("$@") || { echo "install-$mode: $* failed: $out"; exit 1; }
	echo "$out"
	case "$out" in "example: ok"*) ;; *) echo "install-$mode: $1: no 'example: ok'"; exit 1 ;; esac
}
install_prefix() {
	cmake --install "$build" --prefix "$work/prefix" >/dev/null
}

case $mode in
find_package)
	install_prefix
	cmake -S "$proj" -B "$work/b" -DCMAKE_C_COMPILER="$cc" \
		-DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
	cmake --build "$work/b" >/dev/null
	run "$work/b/example_sim"
	run "$work/b/example_host"
	run "$work/b/example_stale"
	run "$work/b/example_stale" planted
	;;
pkg-config)
	install_prefix
	export PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig"
	want=$(sed -n 's/^#define COH_VERSION_\(MAJOR\|MINOR\|PATCH\) \([0-9]*\).*/\2/p' \
		"$root/include/coherent/version.h" | paste -sd.)
	got=$(pkg-config --modversion coherent)
	[ "$got" = "$want" ] || { echo "install-$mode: pkg-config says $got, version.h $want"; exit 1; }
	# shellcheck disable=SC2046
	"$cc" $flags "$proj/sim_app.c" $(pkg-config --cflags --libs coherent-sim) -o "$work/sim"
	# shellcheck disable=SC2046
	"$cc" $flags "$proj/host_app.c" $(pkg-config --cflags --libs coherent) -o "$work/host"
	# coherent-sim's Cflags instrument: the access observer sees the driver
	# shellcheck disable=SC2046
	"$cc" $flags "$proj/stale_app.c" $(pkg-config --cflags --libs coherent-sim) -o "$work/stale"
	run "$work/sim"
	run "$work/host"
	run "$work/stale"
	run "$work/stale" planted
	;;
add_subdirectory)
	cmake -S "$proj" -B "$work/b" -DCMAKE_C_COMPILER="$cc" \
		-DCOHERENT_SOURCE_DIR="$root" >/dev/null
	cmake --build "$work/b" -j2 >/dev/null
	# the subproject builds the libraries only: no tests, no demo
	[ ! -e "$work/b/coherent/tests" ] || { echo "install-$mode: tests built in a subproject"; exit 1; }
	run "$work/b/example_sim"
	run "$work/b/example_host"
	run "$work/b/example_stale" planted
	;;
drop-in)
	k=$work/kernel/third_party/coherent
	mkdir -p "$k" "$work/kernel/include"
	cp -r "$root/include" "$root/src" "$root/arch" "$k/"
	cp "$root/tests/install/dropin_config.h" "$work/kernel/include/coh_config.h"
	# shellcheck disable=SC2086
	"$cc" $flags -I"$k/include" -I"$k/arch/x86_64" -I"$work/kernel/include" \
		-DCOH_USER_CONFIG='"coh_config.h"' -DEXAMPLE_DROPIN \
		"$k"/src/*.c "$k"/arch/x86_64/*.c "$proj/host_app.c" -o "$work/host"
	run "$work/host"
	;;
*)
	echo "install: unknown mode $mode"; exit 2 ;;
esac
