#!/bin/sh
# SPDX-License-Identifier: MIT
# usage: compile_fail.sh CC ROOT CASE [PATTERN]
# CASE 0 of tests/typed/box_type.c must compile; any other must fail to
# compile with a diagnostic matching PATTERN (extended regex): a misuse the
# type system catches, for the reason it is meant to.
cc=$1 root=$2 case=$3 pat=$4
log=$(mktemp)
trap 'rm -f "$log"' EXIT
"$cc" -std=gnu11 -fsyntax-only -Wall -Wextra -Werror -I"$root/include" \
	-I"$root/arch/x86_64" -DCASE="$case" "$root/tests/typed/box_type.c" >"$log" 2>&1
rc=$?
if [ "$case" = 0 ]; then
	[ $rc -eq 0 ] && exit 0
	echo "box_type CASE 0 (correct use) does not compile:"; cat "$log"; exit 1
fi
if [ $rc -eq 0 ]; then
	echo "box_type CASE $case (a misuse) compiled"; exit 1
fi
if ! grep -Eq "$pat" "$log"; then
	echo "box_type CASE $case failed to compile, but not for /$pat/:"; cat "$log"; exit 1
fi
exit 0
