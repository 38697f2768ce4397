#!/bin/sh
# SPDX-License-Identifier: MIT
# usage: run.sh <cc> <coherent source> <coherent build>
# docs/tutorial.md the way a reader follows it: install the package, paste
# the page's code blocks into first_driver.c, build it with the page's
# pkg-config command, run it; the output must be the page's.
set -eu
cc=$1 root=$2 build=$3
doc=$root/docs/tutorial.md
check=$root/tests/tutorial/check_doc.py
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build" --prefix "$work/coh" >/dev/null
python3 "$check" "$doc" --layout "$work/coh"
cd "$work"
python3 "$check" "$doc" --extract first_driver.c
export PKG_CONFIG_PATH="$work/coh/lib/pkgconfig"
# the page's command, with this build's compiler
line=$(grep -m1 '^cc -std=gnu11 first_driver.c' "$doc")
[ -n "$line" ] || { echo "tutorial: no build command on the page"; exit 1; }
eval "$cc ${line#cc } -Wall -Wextra -Werror"
python3 "$check" "$doc" first_driver.c ./first_driver
