/* SPDX-License-Identifier: MIT */
/*
 * bench/bench.h - timing for the make-bench programs, built to give the
 * same ratio twice on a shared 2-core VM where others compile.
 *
 * A row compares the library (method 0) with its baselines.  One sample
 * runs every method once, in an order that rotates with the sample, each
 * after an untimed prep (the state a driver finds), each timed on its own
 * and doing enough calls (tens of microseconds and up) that the VM's TSC
 * step (~10 ns) is far below its length.  The ratio of a row is the median
 * over samples of the per-sample ratio library / baseline: the two times
 * of one sample are taken microseconds apart, so a compile that starts or
 * stops on the other core, a frequency change, a slow phase of the host
 * slows both sides of that sample alike and cancels; a sample that a
 * preemption or an interrupt hit is an outlier that the median ignores.
 * Sampling goes on until the 95% confidence interval of every ratio is
 * narrower than BENCH_CI of it (default 1%, environment COH_BENCH_CI),
 * or the row has used BENCH_CAP seconds (default 4, COH_BENCH_CAP), or
 * the most samples the caller allows (the smoke test: a few).
 * Rows are printed as ROW lines for bench/report.py.
 */
#ifndef COHERENT_BENCH_H
#define COHERENT_BENCH_H

#include <stdint.h>
#include <stdlib.h>
#include <sys/personality.h>
#include <time.h>
#include <unistd.h>

/*
 * One address layout every run: the program re-executes itself once with
 * address-space randomisation off (what setarch -R does).  With it on, the
 * stack, heap and libraries move by a different amount in each process, and
 * a 1500-byte bounce copy ran in one of two modes (0.31 or 0.42 of memcpy),
 * chosen by where the process happened to land, one run in three.
 */
static inline void bench_fixed_layout(char **argv)
{
	int p = personality(0xffffffff);

	if (p != -1 && !(p & ADDR_NO_RANDOMIZE) &&
	    personality((unsigned long)p | ADDR_NO_RANDOMIZE) != -1)
		execv("/proc/self/exe", argv);
	/* not allowed here: measure with the layout we have */
}

static inline double bench_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/*
 * CPU time of this thread: for samples of milliseconds (the simulator),
 * which a preemption would otherwise hit often on a loaded machine.
 */
static inline double bench_cpu_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static inline int bench_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* the median of n values (sorts them) */
static inline double bench_median(double *t, int n)
{
	qsort(t, (size_t)n, sizeof(*t), bench_cmp);
	return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

/*
 * The median of n values (sorts them) and the relative width of its 95%
 * confidence interval, from the order statistics n/2 -+ 0.98 sqrt(n)
 * (distribution-free).
 */
static inline double bench_median_ci(double *t, int n, double *ci)
{
	double m = bench_median(t, n), h = 1;
	int lo, hi;

	for (int i = 0; i < 30; i++)	/* sqrt(n), Newton: no libm */
		h = (h + n / h) / 2;
	h *= 0.98;
	lo = (int)((double)n / 2 - h);
	hi = (int)((double)n / 2 + h + 0.999);

	if (lo < 0)
		lo = 0;
	if (hi > n - 1)
		hi = n - 1;
	*ci = m > 0 ? (t[hi] - t[lo]) / m : 1;
	return m;
}

/* The mean of the middle half of n values (sorts them). */
static inline double bench_midmean(double *t, int n)
{
	double sum = 0;
	int lo = n / 4, hi = n - n / 4;

	qsort(t, (size_t)n, sizeof(*t), bench_cmp);
	for (int k = lo; k < hi; k++)
		sum += t[k];
	return sum / (hi - lo);
}

static inline double bench_env(const char *name, double dflt)
{
	const char *s = getenv(name);
	double v = s ? strtod(s, NULL) : 0;

	return v > 0 ? v : dflt;
}

/*
 * The samples are timed with the TSC (constant and non-stop on every
 * x86-64 this runs on), fenced so the timed work neither starts early nor
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

		while (bench_now() - t0 < 0.05)
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
 * The state of the core.  This VM's vCPU shares its physical core with
 * another hardware thread of the host for stretches of about a millisecond
 * and more: then throughput-bound work (the library's bookkeeping, a
 * memcpy from L1) runs up to 2x slower while memory-bound work (a line
 * written back, a fence waiting for it) does not, so a ratio of the two
 * moves with the host's load (7-25% between runs of make bench before
 * this probe).  The probe: 4000 independent adds, throughput-bound, in
 * about 0.4 us.  With the core to itself it runs within 3% of its fastest
 * (two thirds of the probes on a loaded day), shared it takes 35-75%
 * longer.  A sample pair counts only if every probe around it ran within
 * BENCH_FAST of the fastest probe of the process, found by probing for
 * 0.3 s at the start and updated by every later probe.
 */
#define BENCH_FAST 1.06

static inline uint64_t bench_probe(void)
{
	uint32_t lo, hi, lo2, hi2;
	long a = 0, b = 0, c = 0, d = 0;

	__asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi) :: "memory");
	for (int i = 0; i < 500; i++)
		__asm__ volatile("add $1, %0; add $1, %1; add $1, %2; add $1, %3\n\t"
				 "add $1, %0; add $1, %1; add $1, %2; add $1, %3"
				 : "+r"(a), "+r"(b), "+r"(c), "+r"(d));
	__asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo2), "=d"(hi2) :: "memory");
	return ((uint64_t)hi2 << 32 | lo2) - ((uint64_t)hi << 32 | lo);
}

/* the fastest probe of this process */
static double bench_probe_min(double p)
{
	static double min;

	if (!min) {
		double t0 = bench_now();

		min = 1e300;
		while (bench_now() - t0 < 0.3)
			for (int i = 0; i < 100; i++) {
				double q = (double)bench_probe();

				if (q < min)
					min = q;
			}
	}
	if (p > 0 && p < min)
		min = p;
	return min;
}

#define BENCH_MAXM 10

static double bench_run_probe;

/*
 * A row set: methods 0..methods-1 timed in paired samples.  base[m] is the
 * method m is compared with (-1: none); NULL compares method 0 (the
 * library) with method 1 (its baseline) only.
 * run() does one sample's work; it returns 0 to be timed by the TSC around
 * it, or the seconds it measured itself (a run that validates its own
 * sample, e.g. two threads that must overlap), or a negative value for a
 * sample that did not measure what it should (the pair is taken again).
 * A run on several threads stores the slowest probe of the others in
 * bench_run_probe (bench_probe() around their part).
 */
struct bench_set {
	int methods;
	int samples;		/* most samples (the smoke test passes a few) */
	const int *base;
	void (*prep)(void *ctx, int m);	/* untimed, before each run; may be NULL */
	double (*run)(void *ctx, int m);
	void *ctx;
	int cpu_time;		/* time run() in this thread's CPU time, not the TSC */
};

struct bench_res {
	double sec[BENCH_MAXM];		/* interquartile mean of a sample's seconds */
	double ratio[BENCH_MAXM];	/* median of t[m] / t[base[m]] over samples */
	double ci[BENCH_MAXM];		/* 95% confidence interval of ratio, relative width */
	int samples;			/* sample pairs used: the core to itself */
	int taken;			/* sample pairs taken */
};

static inline int bench_base(const struct bench_set *b, int m)
{
	return b->base ? b->base[m] : m ? -1 : 1;
}

/*
 * One sample of method m (tc: the timer's own cost in ticks); *probe: the
 * slower of the probes just before and just after the timed run.
 */
static inline double bench_sample(const struct bench_set *b, int m, double tc, double ts,
				  double *probe)
{
	double r, t, p;

	if (b->prep)
		b->prep(b->ctx, m);
	bench_run_probe = 0;
	p = (double)bench_probe();
	if (b->cpu_time) {
		double t0 = bench_cpu_now();

		r = b->run(b->ctx, m);
		t = r ? r : bench_cpu_now() - t0;
	} else {
		uint64_t t0 = bench_ticks();

		r = b->run(b->ctx, m);
		t = r ? r : ((double)(bench_ticks() - t0) - tc) * ts;
	}
	*probe = (double)bench_probe();
	if (p > *probe)
		*probe = p;
	if (bench_run_probe > *probe)
		*probe = bench_run_probe;
	return t < 0 ? -1 : t > 0 ? t : 1e-12;
}

/*
 * Ratios and their intervals over the sample pairs whose probes stayed
 * under thr: true when every interval is narrower than want.  w: scratch
 * of n doubles.
 */
static inline int bench_ratios(const struct bench_set *b, const double *t, const double *probe,
			       int cap, int n, double thr, double *w, struct bench_res *res,
			       double want)
{
	int tight = 1, used = 0;

	for (int m = 0; m < b->methods; m++) {
		int a = bench_base(b, m);

		res->ratio[m] = res->ci[m] = 0;
		if (a < 0)
			continue;
		used = 0;
		for (int k = 0; k < n; k++)
			if (probe[k] <= thr)
				w[used++] = t[m * cap + k] / t[a * cap + k];
		if (!used)
			return 0;
		res->ratio[m] = bench_median_ci(w, used, &res->ci[m]);
		if (res->ci[m] > want)
			tight = 0;
	}
	res->samples = used;
	return tight;
}

/*
 * Paired samples until every ratio is tight over at least 101 pairs taken
 * with the core to itself, or the row's time is up: fills res.  A few
 * untimed samples first, so caches, predictors and page tables are in
 * their steady state.  If too few pairs had the core to themselves (a
 * host busy all along), the ratio is over the third of 101 pairs whose
 * probes ran fastest, and res->samples says how many counted.
 */
static inline int bench_paired(const struct bench_set *b, struct bench_res *res)
{
	int cap = b->samples, nm = b->methods, n = 0, min = cap < 101 ? cap : 101, fast = 0;
	double *t = malloc(sizeof(double) * (size_t)(cap * nm + 2 * cap)), *probe, *w;
	double tc = b->cpu_time ? 0 : bench_timer_cost(), ts = bench_tick_seconds();
	double want = bench_env("COH_BENCH_CI", 0.01), limit = bench_env("COH_BENCH_CAP", 6);
	double t0 = bench_now(), thr = 0;

	*res = (struct bench_res){ .samples = 0 };
	if (!t || nm < 1 || nm > BENCH_MAXM || cap < 1) {
		free(t);
		return -1;
	}
	bench_probe_min(0);
	probe = t + cap * nm;
	w = probe + cap;
	for (int k = 0; k < (cap < 8 ? 1 : 8); k++)
		for (int m = 0; m < nm; m++)
			bench_sample(b, m, tc, ts, w);
	while (n < cap) {
		double pmax = 0, p;
		int bad = 0;

		for (int j = 0; j < nm; j++) {
			int m = (j + n) % nm;

			t[m * cap + n] = bench_sample(b, m, tc, ts, &p);
			bad |= t[m * cap + n] < 0;
			if (p > pmax)
				pmax = p;
		}
		if (bad) {
			if (bench_now() - t0 > limit)
				break;
			continue;
		}
		probe[n] = pmax;
		bench_probe_min(pmax);
		n++;
		if (n % 32 && n != cap)
			continue;
		thr = bench_probe_min(0) * BENCH_FAST;
		if (bench_ratios(b, t, probe, cap, n, thr, w, res, want) && res->samples >= min)
			break;
		if (bench_now() - t0 > limit)
			break;
	}
	thr = bench_probe_min(0) * BENCH_FAST;
	for (int k = 0; k < n; k++)
		fast += probe[k] <= thr;
	if (fast < (min + 2) / 3) {
		/* the host seldom left the core alone: the least disturbed pairs */
		for (int k = 0; k < n; k++)
			w[k] = probe[k];
		qsort(w, (size_t)n, sizeof(*w), bench_cmp);
		thr = w[((min + 2) / 3 < n ? (min + 2) / 3 : n) - 1];
	}
	bench_ratios(b, t, probe, cap, n, thr, w, res, want);
	for (int m = 0; m < nm; m++) {
		int used = 0;

		for (int k = 0; k < n; k++)
			if (probe[k] <= thr)
				w[used++] = t[m * cap + k];
		res->sec[m] = bench_midmean(w, used);
	}
	res->taken = n;
	free(t);
	return 0;
}

#endif
