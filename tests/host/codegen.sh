#!/bin/sh
# usage: codegen.sh <cc> <root> <backend dir> [extra cflags]
# Asserts that coh_read/coh_write compile to exactly the instructions of a
# plain volatile access when the build knows every device is coherent, and
# that a fence call for a coherent device is its barrier alone (no
# statistics counter: COH_STATS as a release build ships it).
set -eu
cc=$1 root=$2 backend=$3
shift 3
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$cc" -O2 -std=gnu11 -DNDEBUG -S -o "$out/c.s" -I"$root/include" -I"$backend" "$@" \
	"$root/tests/host/codegen.c"
"$cc" -O2 -std=gnu11 -DNDEBUG -S -o "$out/f.s" -I"$root/include" -I"$root/src" -I"$backend" "$@" \
	"$root/tests/host/codegen_fence.c"
cat "$out/f.s" >> "$out/c.s"
body() { # instructions of function $1, labels, directives and comments dropped
	# GCC ends a function with .cfi_endproc or .size, Clang with .Lfunc_endN:
	# and puts "# @name" comments after labels and "# %bb.0:" lines inside.
	awk -v f="$1" 'index($0, f":") == 1 {on=1; next}
		on && (/^\t\.cfi_endproc|^\t\.size/ || /^\.Lfunc_end/) {exit}
		on && /^\t[a-z]/ && !/^\t\./ {sub(/[ \t]*#.*$/, ""); print}' "$out/c.s"
}
fail=0
for pair in read_accessor:read_volatile write_accessor:write_volatile \
	    release_coherent:release_barrier acquire_coherent:acquire_barrier \
	    flush_coherent:flush_barrier; do
	x=${pair%%:*} y=${pair#*:}
	a=$(body $x) v=$(body $y)
	if [ -z "$a" ] || [ "$a" != "$v" ]; then
		echo "codegen: $x differs from $y:"
		echo "--- $x"; echo "$a"; echo "--- $y"; echo "$v"
		fail=1
	else
		echo "codegen: $x: $(echo "$a" | wc -l) instructions, identical to $y"
	fi
done
[ $fail -eq 0 ] && echo "codegen: 5 passed, 0 failed" || { echo "codegen: 0 passed, 1 failed"; exit 1; }
