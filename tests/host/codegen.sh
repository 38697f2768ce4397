#!/bin/sh
# usage: codegen.sh <cc> <root> <backend dir> [extra cflags]
# Asserts that coh_read/coh_write compile to exactly the instructions of a
# plain volatile access when the build knows every device is coherent.
set -eu
cc=$1 root=$2 backend=$3
shift 3
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$cc" -O2 -std=gnu11 -DNDEBUG -S -o "$out/c.s" -I"$root/include" -I"$backend" "$@" \
	"$root/tests/host/codegen.c"
body() { # instructions of function $1, labels, directives and comments dropped
	# GCC ends a function with .cfi_endproc or .size, Clang with .Lfunc_endN:
	# and puts "# @name" comments after labels and "# %bb.0:" lines inside.
	awk -v f="$1" 'index($0, f":") == 1 {on=1; next}
		on && (/^\t\.cfi_endproc|^\t\.size/ || /^\.Lfunc_end/) {exit}
		on && /^\t[a-z]/ && !/^\t\./ {sub(/[ \t]*#.*$/, ""); print}' "$out/c.s"
}
fail=0
for pair in read write; do
	a=$(body ${pair}_accessor) v=$(body ${pair}_volatile)
	if [ -z "$a" ] || [ "$a" != "$v" ]; then
		echo "codegen: ${pair}_accessor differs from ${pair}_volatile:"
		echo "--- accessor"; echo "$a"; echo "--- volatile"; echo "$v"
		fail=1
	else
		echo "codegen: ${pair}: $(echo "$a" | wc -l) instructions, identical"
	fi
done
[ $fail -eq 0 ] && echo "codegen: 2 passed, 0 failed" || { echo "codegen: 0 passed, 1 failed"; exit 1; }
