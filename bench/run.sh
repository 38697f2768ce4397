#!/bin/sh
# SPDX-License-Identifier: MIT
# usage: sh bench/run.sh <build dir> [--smoke]   (make bench passes build/bench)
# Every part prints ROW lines (bench/report.py describes them); report.py
# turns them into one table on stdout and, in a full run, into
# docs/benchmarks.md, the plot docs/bench-cache.png and the README's
# headline block.  --smoke: every part with the fewest samples, written
# into the build directory only (the ctest bench_smoke), a few seconds.
set -eu
b=${1:-build/bench}
smoke=${2:-}
root=$(cd "$(dirname "$0")/.." && pwd)
out=$b/bench/out
mkdir -p "$out"
rows=$out/rows.txt
: >"$rows"
export COH_BENCH_OUT="$out"
if [ "$smoke" = --smoke ]; then
	calls=10 cache=1 stream=1 sim=1 frames=200 isa="aarch64 riscv64-sifive-ccache" stats="1 1000"
else
	calls=1000 cache=4001 stream=20001 sim=11 frames=10000 isa="" stats="31 500000"
fi
part() { # part <name> <command...>: its ROW lines, or a failure
	name=$1
	shift
	echo "bench: $name" >&2
	"$@" >>"$rows" || { echo "bench: $name FAILED" >&2; exit 1; }
}

# 1. instruction counts (callgrind), identical every run
part instructions python3 "$root/bench/icount.py" $calls \
	"$b/bench/icount_generic" "$b/bench/icount_x86_64" "$b/bench/icount_sim"

# 2. maintenance per frame: each driver's bench adds one line here printing
#    its ROW|per-frame|... rows (built only once the driver can run)
part ring "$b/bench/ring_bench_count"
part ring-time "$b/bench/ring_bench"
#    against the documented minimum, from the demos' own summary lines
if [ -x "$b/demo/coh-dwmac-demo" ]; then
	part dwmac-demo python3 "$root/bench/per_frame.py" "dwmac demo (sim)" \
		"$b/demo/coh-dwmac-demo" --layout all --frames $frames
fi
#    against a hand-written U-Boot-style driver, on the recording backend
if [ -x "$b/bench/dwmac_bench" ]; then
	part dwmac "$b/bench/dwmac_bench"
fi

# 3. the real cache on this CPU
part cache "$b/bench/cache_bench" $cache "$out/cache.dat"

# 4. streaming maps and bounce copies; simulator throughput (the sanitizer's
#    "instrumented" configuration is one more entry in bench/sim_dma.c)
part stream "$b/bench/stream/stream_bench" $stream
part sim "$b/bench/coh-bench" $sim

# 4b. statistics on a coherent device's fence calls, shipped vs compiled out
# shellcheck disable=SC2086
part stats python3 "$root/bench/stats_rows.py" "$b/bench/stats_bench_shipped" \
	"$b/bench/stats_bench_nostats" "$b/bench/stats_bench_stats2" $stats

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
