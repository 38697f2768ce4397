/* SPDX-License-Identifier: MIT */
/*
 * bench/bench.h - timing for the make-bench programs: every figure is the
 * best of several trials of a loop, each trial after an untimed warm-up
 * pass (1/8 of the iterations), so a loop is timed in its own steady state
 * and the least disturbed trial on a shared machine is the one kept.
 * The loop body sees its iteration number as i_.
 */
#ifndef COHERENT_BENCH_H
#define COHERENT_BENCH_H

#include <time.h>

static inline double bench_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* var = min(var, seconds per iteration of body over iters iterations) */
#define BENCH_BEST(var, iters, body)                                           \
	do {                                                                   \
		for (long i_ = 0; i_ < (iters) / 8; i_++) {                    \
			body;                                                  \
		}                                                              \
		double t0_ = bench_now();                                      \
		for (long i_ = 0; i_ < (iters); i_++) {                        \
			body;                                                  \
		}                                                              \
		double d_ = (bench_now() - t0_) / (double)(iters);             \
		if (d_ < (var))                                                \
			(var) = d_;                                            \
	} while (0)

#endif
