#!/bin/sh
# SPDX-License-Identifier: MIT
# usage: sh bench/run.sh <build dir> [--smoke]   (make bench passes build/bench)
# Every part prints ROW lines (bench/report.py describes them); report.py
# turns them into one table on stdout and, in a full run, into
# docs/benchmarks.md, the plot docs/bench-cache.png and the README's
# headline block.  --smoke: every part with the fewest samples, written
# into the build directory only (the ctest bench_smoke), a few seconds.
# The rows of the run before are kept in rows.prev.txt: bench/compare.py
# compares two runs (make bench-check: two runs and the comparison).
set -eu
b=${1:-build/bench}
smoke=${2:-}
root=$(cd "$(dirname "$0")/.." && pwd)
out=$b/bench/out
mkdir -p "$out"
rows=$out/rows.txt
if [ "$smoke" != --smoke ] && [ -s "$rows" ]; then
	mv "$rows" "$out/rows.prev.txt"
fi
: >"$rows"
export COH_BENCH_OUT="$out"
# timed parts: the most samples per row (full runs: until each ratio is
# tight, bench/bench.h)
# runs: fresh processes per timed part, the median run of each row kept
if [ "$smoke" = --smoke ]; then
	calls=10 samples=3 frames=200 isa="aarch64 riscv64-sifive-ccache" runs=1
else
	calls=1000 samples=100000 frames=10000 isa="" runs=3
fi
part() { # part <name> <command...>: its ROW lines, or a failure
	name=$1
	shift
	echo "bench: $name" >&2
	"$@" >>"$rows" || { echo "bench: $name FAILED" >&2; exit 1; }
}
part_median() { # part_median <name> <command...>: each row's median run of $runs
	name=$1
	shift
	echo "bench: $name (the median of $runs runs)" >&2
	i=0 files=
	while [ $i -lt "$runs" ]; do
		"$@" >"$out/$name.$i" || { echo "bench: $name FAILED" >&2; exit 1; }
		files="$files $out/$name.$i"
		i=$((i + 1))
	done
	# shellcheck disable=SC2086
	python3 "$root/bench/median.py" $files >>"$rows"
}

# 1. instruction counts (callgrind), identical every run
part instructions python3 "$root/bench/icount.py" $calls \
	"$b/bench/icount_generic" "$b/bench/icount_x86_64" "$b/bench/icount_sim"

# 2. maintenance per frame: each driver's bench adds one line here printing
#    its ROW|per-frame|... rows (built only once the driver can run)
part ring "$b/bench/ring_bench_count"
part_median ring-time "$b/bench/ring_bench" $samples
#    against the documented minimum, from the demos' own summary lines
if [ -x "$b/demo/coh-dwmac-demo" ]; then
	part dwmac-demo python3 "$root/bench/per_frame.py" "dwmac demo (sim)" \
		"$b/demo/coh-dwmac-demo" --layout all --frames $frames
fi
if [ -x "$b/tests/virtio/vio_record" ]; then
	part virtio python3 "$root/bench/per_frame.py" --virtio-record "virtio-blk (recording backend)" \
		"$b/tests/virtio/vio_record"
fi
if [ -x "$b/tests/virtio/vio_record_net" ]; then
	part virtio-net python3 "$root/bench/per_frame.py" --virtio-record \
		"virtio-net (recording backend)" "$b/tests/virtio/vio_record_net"
fi
#    NVMe: maintenance per 4 KiB / 128 KiB command against the minimum and
#    U-Boot's pattern (tests/nvme/record_nvme.c, recording backend)
if [ -x "$b/tests/nvme/nvme_record" ]; then
	part nvme "$b/tests/nvme/nvme_record" --rows
fi
#    framebuffers: a dirty rectangle's line ops (tests/fb/rect_bench.c)
if [ -x "$b/tests/fb/fb_rect_bench" ]; then
	part fb-rect "$b/tests/fb/fb_rect_bench"
fi
#    SD reads through the sunxi-mmc host's IDMA (tests/sdhost/sdh_bench.c)
if [ -x "$b/tests/sdhost/sdh_bench" ]; then
	part sdhost "$b/tests/sdhost/sdh_bench"
fi
#    against a hand-written U-Boot-style driver, on the recording backend
if [ -x "$b/bench/dwmac_bench" ]; then
	part dwmac "$b/bench/dwmac_bench"
fi

# 3. the real cache on this CPU
part cache "$b/bench/cache_bench" $samples "$out/cache.dat"

# 4. streaming maps and bounce copies; simulator throughput (the sanitizer's
#    "instrumented" configuration is one more entry in bench/sim_dma.c)
part_median stream "$b/bench/stream/stream_bench" $samples
part_median sim "$b/bench/coh-bench" $samples

# 4b. statistics on a coherent device's fence calls, shipped vs compiled out
part_median stats "$b/bench/stats_bench" $samples

# 5. every cross backend's loop, from the cross objdump
# shellcheck disable=SC2086
part isa python3 "$root/bench/isa_loops.py" "$root" $isa

# 6. one table
if [ "$smoke" = --smoke ]; then
	python3 "$root/bench/report.py" "$rows" --md "$out/benchmarks.md"
	exit
fi
plot=$root/docs/bench-cache.png
if command -v gnuplot >/dev/null 2>&1; then
	gnuplot -e "data='$out/cache.dat'; out='$plot'" "$root/bench/cache.gp"
else
	echo "bench: gnuplot missing (tools/deps.sh installs gnuplot-nox): no plot" >&2
fi
python3 "$root/bench/report.py" "$rows" --md "$root/docs/benchmarks.md" \
	--readme "$root/README.md" --plot "$plot"
