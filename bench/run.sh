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
	calls=10 cache=1 stream=1 sim=1 isa="aarch64 riscv64-sifive-ccache"
else
	calls=1000 cache=4001 stream=20001 sim=7 isa=""
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
if [ -x "$b/bench/dwmac_bench" ]; then
	part dwmac "$b/bench/dwmac_bench"
fi

# 3. the real cache on this CPU
part cache "$b/bench/cache_bench" $cache "$out/cache.dat"

# 4. streaming maps and bounce copies; simulator throughput (the sanitizer's
#    "instrumented" configuration is one more entry in bench/sim_dma.c)
part stream "$b/bench/stream/stream_bench" $stream
part sim "$b/bench/coh-bench" $sim

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
