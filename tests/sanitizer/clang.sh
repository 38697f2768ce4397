#!/bin/sh
# SPDX-License-Identifier: MIT
# usage: clang.sh <source root> <build dir> <clang>
# The sanitizer catalogue, its unit test and the demo built with Clang (the
# main host build is GCC): coh_sim_instrument's Clang flags, and every
# scenario caught / every correct twin clean with both compilers.
set -eu
root=$1 dir=$2 cc=$3
CC=$cc cmake -S "$root" -B "$dir" -DCOH_WERROR=ON >/dev/null
cmake --build "$dir" -j2 --target san_catalogue san_catalogue_ndebug san_unit san_access san_diag \
	san_sites_O0 san_sites_O2 san_sites_ndebug coh-demo >/dev/null
ctest --test-dir "$dir" -L sanitizer -R '^(san_|demo_)' -j2 --output-on-failure
