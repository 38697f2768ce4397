/* SPDX-License-Identifier: MIT */
/*
 * bench/bench.h - timing for the make-bench programs: every figure is the
 * median of several trials of a loop, the trials of the library and of its
 * baseline interleaved, each trial after an untimed warm-up pass (1/8 of
 * the iterations), so a loop is timed in its own steady state and a
 * compile on the other core disturbs both sides alike.  Rows are printed
 * as ROW lines for bench/report.py.  The loop body sees its iteration
 * number as i_.
 */
#ifndef COHERENT_BENCH_H
#define COHERENT_BENCH_H

#include <stdint.h>
#include <stdlib.h>
#include <time.h>

static inline double bench_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* var = seconds per iteration of body over iters iterations (one trial) */
#define BENCH_TIME(var, iters, body)                                           \
	do {                                                                   \
		for (long i_ = 0; i_ < (iters) / 8; i_++) {                    \
			body;                                                  \
		}                                                              \
		double t0_ = bench_now();                                      \
		for (long i_ = 0; i_ < (iters); i_++) {                        \
			body;                                                  \
		}                                                              \
		(var) = (bench_now() - t0_) / (double)(iters);                 \
	} while (0)

static inline int bench_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* the median of n trials (sorts them) */
static inline double bench_median(double *t, int n)
{
	qsort(t, (size_t)n, sizeof(*t), bench_cmp);
	return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

/*
 * Interleaved samples, the robust way on a shared machine: sample k runs every
 * method once, in an order that rotates with k, each call timed on its
 * own after an untimed prep (the lines put in the state a driver finds
 * them).  A preemption spoils one sample of one method, which the median
 * ignores; a compile on the other core slows all methods alike.
 * t[m * n + k] = seconds of method m in sample k, timer cost removed.
 */
struct bench_set {
	int methods, samples;
	void (*prep)(void *ctx, int m);
	void (*run)(void *ctx, int m);
	void *ctx;
};

/*
 * The paired samples are timed with the TSC (constant and non-stop on
 * every x86-64 this runs on; the VM's clock_gettime steps by ~10 ns, 2-3%
 * of a one-frame map), fenced so the timed call neither starts early nor
 * finishes late.  Ticks are converted to seconds against CLOCK_MONOTONIC.
 */
static inline uint64_t bench_ticks(void)
{
	uint32_t lo, hi;

	/*
	 * MFENCE: what the timed call left in flight (weakly ordered
	 * CLFLUSHOPTs after an SFENCE, buffered stores) completes inside its
	 * own sample, not in the next one's.
	 */
	__asm__ volatile("mfence; lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi) :: "memory");
	return (uint64_t)hi << 32 | lo;
}

static inline double bench_tick_seconds(void)
{
	static double s;

	if (!s) {
		double t0 = bench_now();
		uint64_t c0 = bench_ticks();

		while (bench_now() - t0 < 0.02)
			;
		s = (bench_now() - t0) / (double)(bench_ticks() - c0);
	}
	return s;
}

static inline double bench_timer_cost(void)
{
	double t[501];

	for (int k = 0; k < 501; k++) {
		uint64_t t0 = bench_ticks();

		t[k] = (double)(bench_ticks() - t0);
	}
	return bench_median(t, 501);
}

/*
 * The mean of the middle half of n sorted samples: as robust to a
 * preempted sample as the median, and it resolves below the VM's TSC step
 * (~10 ns, visible in every sample) because the noise dithers the samples.
 */
static inline double bench_midmean(double *t, int n)
{
	double sum = 0;
	int lo = n / 4, hi = n - n / 4;

	qsort(t, (size_t)n, sizeof(*t), bench_cmp);
	for (int k = lo; k < hi; k++)
		sum += t[k];
	return sum / (hi - lo);
}

/* fills med[m] with the interquartile mean of method m's seconds per call */
static inline int bench_interleave(const struct bench_set *b, double *med)
{
	int n = b->samples, nm = b->methods;
	double *t = malloc(sizeof(double) * (size_t)(n * nm));
	double tc = bench_timer_cost(), ts = bench_tick_seconds();

	if (!t)
		return -1;
	for (int k = 0; k < n; k++)
		for (int j = 0; j < nm; j++) {
			int m = (j + k) % nm;
			uint64_t t0;

			b->prep(b->ctx, m);
			t0 = bench_ticks();
			b->run(b->ctx, m);
			t[m * n + k] = (double)(bench_ticks() - t0) - tc;
		}
	for (int m = 0; m < nm; m++)
		med[m] = bench_midmean(t + m * n, n) * ts;
	free(t);
	return 0;
}

#endif
