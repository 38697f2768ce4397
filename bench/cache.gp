# SPDX-License-Identifier: MIT
# gnuplot -e "data='cache.dat'; out='x.png'" bench/cache.gp
# Columns of cache.dat: size, then GB/s of the library (release acquire
# flush), of the naive loop (same order), of the best hand loop.
set terminal pngcairo size 1100,460 font ",10"
set output out
set multiplot layout 1,2 title "x86-64 range maintenance on this CPU (non-coherent device, CLFLUSHOPT), make bench"
set logscale x 2
set xtics ("64 B" 64, "256 B" 256, "1 KiB" 1024, "4 KiB" 4096, "16 KiB" 16384, \
	   "64 KiB" 65536, "256 KiB" 262144, "1 MiB" 1048576, "4 MiB" 4194304)
set xlabel "range size"
set key right bottom
set grid
set ylabel "GB/s (log)"
set logscale y
set title "throughput"
plot data u 1:2 w lp lw 2 t "coh\\_release", \
     data u 1:3 w lp lw 2 t "coh\\_acquire", \
     data u 1:4 w lp lw 2 t "coh\\_flush", \
     data u 1:8 w l dt 2 lc "black" t "best hand loop (release)", \
     data u 1:5 w lp dt 3 lc "gray" t "naive: CLFLUSH+MFENCE per line"
set title "library / best hand loop (goal >= 0.95)"
set ylabel "ratio"
unset logscale y
set yrange [0.8:1.1]
set key left bottom
plot data u 1:($2/$8) w lp lw 2 t "release", \
     data u 1:($3/$9) w lp lw 2 t "acquire", \
     data u 1:($4/$10) w lp lw 2 t "flush", \
     0.95 w l dt 2 lc "red" t "goal"
unset multiplot
