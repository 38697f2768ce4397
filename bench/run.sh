#!/bin/sh
# SPDX-License-Identifier: MIT
# usage: sh bench/run.sh <build dir>   (make bench passes build/bench)
# Simulated DMA throughput, sanitizer off and on, as a ratio against a
# plain memcpy of the same bytes measured in the same run; then streaming
# maps (stream_bench) and typed accessors and the ring (accessor_bench) on
# the host's real backend, each against the same work done by hand.
set -eu
b=${1:-build/bench}
exe=$b/bench/coh-bench
[ -x "$exe" ] || { echo "bench: $exe not built" >&2; exit 1; }
echo "simulated DMA throughput (4 KiB transfers through the DMA controller, give/take each)"
printf '%-44s %10s %9s\n' "configuration" "MB/s" "ratio"
"$exe" | while IFS='|' read -r name mbs ratio; do
	printf '%-44s %10s %9s\n' "$name" "$mbs" "$ratio"
done

echo
"$b/bench/stream/stream_bench"

echo
"$b/bench/accessor_bench"

if [ -x "$b/bench/dwmac_bench" ]; then
	echo
	"$b/bench/dwmac_bench"
fi
