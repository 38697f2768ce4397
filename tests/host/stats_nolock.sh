#!/bin/sh
# usage: stats_nolock.sh <cc> <root> [extra cflags]
# The maintenance calls' statistics take no locked instruction: src/fence.c
# built as a release build ships it (x86_64 backend, -O2 -DNDEBUG) has no
# LOCK-prefixed instruction and no XCHG with memory (implicitly locked; a
# register XCHG such as "xchg %ax,%ax" is a NOP used as padding) in the
# range functions coh__release_range, coh__acquire_range and
# coh__flush_range.
# With -DCOH_STATS_EXACT=1 it has (ctest stats_exact_locks, expected to
# fail): the check can fail.
set -eu
cc=$1 root=$2
shift 2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$cc" -O2 -std=gnu11 -DNDEBUG -ffreestanding -c -o "$out/f.o" -I"$root/include" -I"$root/src" \
	-I"$root/arch/x86_64" "$@" "$root/src/fence.c"
objdump -d --no-show-raw-insn "$out/f.o" >"$out/f.s"
locked='[[:space:]]lock[[:space:]]|[[:space:]]xchg[a-z]*[[:space:]].*\('
fail=0
for f in coh__release_range coh__acquire_range coh__flush_range; do
	body=$(awk -v f="<$f>:" '$2 == f {on=1; next} on && /^$/ {exit} on' "$out/f.s")
	if [ -z "$body" ]; then
		echo "stats_nolock: $f not found"
		fail=1
	elif echo "$body" | grep -Eq "$locked"; then
		echo "stats_nolock: $f has a locked instruction:"
		echo "$body" | grep -E "$locked"
		fail=1
	else
		echo "stats_nolock: $f: $(echo "$body" | wc -l) instructions, none locked"
	fi
done
[ $fail -eq 0 ] && echo "stats_nolock: 3 passed" || { echo "stats_nolock: failed"; exit 1; }
