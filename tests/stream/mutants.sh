#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/stream/mutants.sh [build dir]: the streaming bugs issue 20 fixed,
# planted again in COPIES of src/ files (never src/ itself), each linked
# ahead of the library into a test, which must then fail.  Run after
# building stream_paths_sim and stream_record (host build, GCC).
set -u
R=$(cd "$(dirname "$0")/../.." && pwd)
B=${1:-$R/build/host}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
mut() { # mut <name> <src file> <sim|record>: the mutation is $T/<name>.old -> .new
	name=$1 file=$2 lib=$3
	mkdir -p "$T/$name"
	python3 - "$R/src/$file" "$T/$name/$file" "$T/$name.old" "$T/$name.new" <<'PY'
import sys
s = open(sys.argv[1]).read()
old, new = open(sys.argv[3]).read(), open(sys.argv[4]).read()
assert old in s, "mutation site not found in " + sys.argv[1]
open(sys.argv[2], "w").write(s.replace(old, new, 1))
PY
	if [ "$lib" = sim ]; then
		inc=-I$R/sim a=$B/sim/libcoherent_sim.a
		tobj=$B/tests/stream/CMakeFiles/stream_paths_sim.dir/stream_paths_sim.c.o
		extra=-Wl,--wrap=coh_arch_range_check,--wrap=coh_arch_op,--wrap=coh_arch_op_end
	elif [ "$lib" = compat ]; then
		inc=-I$R/sim a=$B/sim/libcoherent_sim.a extra=
		tobj=$B/tests/compat/CMakeFiles/compat_calls.dir/compat_calls.c.o
	else
		inc=-I$R/tests/record a=$B/libcoherent_record.a extra=
		tobj=$B/tests/stream/CMakeFiles/stream_record.dir/test_stream.c.o
	fi
	cc -O1 -std=gnu11 -I"$R/include" "$inc" -I"$R/src" -c "$T/$name/$file" -o "$T/$name/m.o" &&
		cc -O1 $extra "$tobj" "$T/$name/m.o" "$a" -o "$T/$name/t" || exit 2
	if "$T/$name/t" >"$T/$name/out"; then
		echo "mutant $name ($lib): NOT caught"; fails=1
	else
		echo "mutant $name ($lib): caught by $(grep '^FAIL' "$T/$name/out" | tr '\n' ' ')"
	fi
}
# the op not ended when a bounced unmap's invalidate fails
cat >"$T/opend.old" <<'EOF'
		rc = coh__to_cpu(dev, m->slot + off, len, m->dir);
		if (!rc && m->dir != COH_TO_DEVICE)
			coh__bounce_out(dev, m, off, len);
	}
EOF
cat >"$T/opend.new" <<'EOF'
		rc = coh__to_cpu(dev, m->slot + off, len, m->dir);
		if (rc)
			return rc;
		if (!rc && m->dir != COH_TO_DEVICE)
			coh__bounce_out(dev, m, off, len);
	}
EOF
# a FROM_DEVICE slot starts zeroed
cat >"$T/zerofill.old" <<'EOF'
	__builtin_memcpy((void *)(m->slot + off), (const void *)(m->cpu + off), len);
	if (!off) {
EOF
cat >"$T/zerofill.new" <<'EOF'
	if (m->dir == COH_FROM_DEVICE)
		__builtin_memset((void *)(m->slot + off), 0, len);
	else
		__builtin_memcpy((void *)(m->slot + off), (const void *)(m->cpu + off), len);
	if (!off) {
EOF
# the first live record for an address, whatever the call names
cat >"$T/firstrec.old" <<'EOF'
		sc = coh__rec_score(&c, want, len_inside);
EOF
cat >"$T/firstrec.new" <<'EOF'
		sc = 7;
		(void)coh__rec_score;
EOF
# contiguity by the first and last byte only
cat >"$T/lastbyte.old" <<'EOF'
	for (pg = (p & ~(page - 1)) + page; pg - p < len; pg += page) {
EOF
cat >"$T/lastbyte.new" <<'EOF'
	for (pg = p + len - 1; pg != p + len - 1 + page && pg - p < len; pg += page) {
EOF
# COH_MAP_SG_SPLIT ignored
cat >"$T/nosplit.old" <<'EOF'
	if (!split) {
		if (dev->max_seg_size && len > dev->max_seg_size) {
EOF
cat >"$T/nosplit.new" <<'EOF'
	if (split || !split) {
		if (dev->max_seg_size && len > dev->max_seg_size) {
EOF
# dma_pool blocks placed across the boundary
cat >"$T/poolbound.old" <<'EOF'
		if (boundary && (((bus + off) ^ (bus + off + size - 1)) & ~(uint64_t)(boundary - 1)))
EOF
cat >"$T/poolbound.new" <<'EOF'
		if (0)
EOF
# dma_free_pages frees whatever direction it is told
cat >"$T/pagesdir.old" <<'EOF'
	if (!m || m->dev != dev || m->size < size || coh__linux_dir[m - coh__linux_mem] != dir + 1) {
EOF
cat >"$T/pagesdir.new" <<'EOF'
	if (!m || m->dev != dev || m->size < size) {
EOF
mut opend stream_map.c sim
mut zerofill stream_bounce.c sim
mut zerofill stream_bounce.c record
mut firstrec stream_rec.c sim
mut firstrec stream_rec.c record
mut lastbyte stream_map.c record
mut nosplit stream_sg.c record
mut poolbound compat_linux.c compat
mut pagesdir compat_linux.c compat
exit $fails
