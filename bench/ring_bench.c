/* SPDX-License-Identifier: MIT */
/*
 * Maintenance per received frame on a cached descriptor ring (DWMAC-shaped:
 * 16-byte descriptors, 1536-byte buffers, a NAPI poll of N frames then a
 * refill of N), the ring's calls of today against the calls the ring made
 * before (replayed with the public fence calls: acquire of the owner word,
 * acquire of the descriptor, take and give of the buffer, release of the
 * owner word, each with its own barrier).
 *
 * Built twice: against the recording backend (RING_BENCH_COUNT: exact line
 * operations and barriers per frame, and their ratio) and against the
 * host's real backend (time per frame: paired samples of 4 polls each,
 * the median of the per-sample ratios, bench.h), both old and new
 * measured in the same run.  ROW lines
 * for bench/report.py.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coherent/coherent.h"
#include "bench.h"

#define NDESC 64
#define N 16		/* frames per poll and per refill */
#define BUFSZ 1536u
#define OWN (1u << 31)

struct qos_desc {
	uint32_t des0, des1, des2, des3;
};

static unsigned char arena[1 << 20] __attribute__((aligned(4096)));
static unsigned char bufs[N][2048] __attribute__((aligned(128)));
static struct coh_region reg;
static struct coh_device nc;
static struct coh_ring ring;
static volatile uint32_t sink;
static int failed;

static void device_receive(size_t slot)
{
	volatile struct qos_desc *d =
		(volatile struct qos_desc *)(ring.mem.cpu_ + slot * ring.stride);

	d->des3 = 60;	/* OWN cleared, a length */
}

/* the ring's calls now: reap each, take_n, give_n, post_n */
static void rx_new(void)
{
	struct coh_span sp[N];
	struct qos_desc d[N], out;

	for (int k = 0; k < N; k++) {
		sp[k] = (struct coh_span){ bufs[k], BUFSZ, COH_FROM_DEVICE };
		d[k] = (struct qos_desc){ .des0 = (uint32_t)k, .des3 = 1u << 24 };
	}
	for (int k = 0; k < N; k++) {
		device_receive(coh_ring_pending_slot(&ring, (size_t)k));
	}
	for (int k = 0; k < N; k++) {
		if (coh_ring_reap(&ring, &out) < 0)
			failed = 1;
		sink += out.des3;
	}
	coh_take_n(&nc, sp, N);
	coh_give_n(&nc, sp, N);
	if (coh_ring_post_n(&ring, d, N) < 0)
		failed = 1;
}

/* before: the same frames through the calls the ring and driver made */
static size_t old_tail, old_head;

static void rx_old(void)
{
	for (int k = 0; k < N; k++)
		device_receive((old_tail + (size_t)k) % NDESC);
	for (int k = 0; k < N; k++) {
		unsigned char *s = (unsigned char *)ring.mem.cpu_ + old_tail * ring.stride;
		uint32_t *own = (uint32_t *)(void *)(s + 12);
		struct qos_desc out;

		coh_acquire(&nc, own, 4);
		if (*(volatile uint32_t *)own & OWN)
			failed = 1;
		coh_dma_rmb();
		coh_acquire(&nc, s, sizeof(out));
		memcpy(&out, s, sizeof(out));
		sink += out.des3;
		old_tail = (old_tail + 1) % NDESC;
		coh_take(&nc, bufs[k], BUFSZ, COH_FROM_DEVICE);
	}
	for (int k = 0; k < N; k++) {
		unsigned char *s = (unsigned char *)ring.mem.cpu_ + old_head * ring.stride;
		uint32_t *own = (uint32_t *)(void *)(s + 12);

		coh_give(&nc, bufs[k], BUFSZ, COH_FROM_DEVICE);
		memset(s, 0, 12);
		*(volatile uint32_t *)own = OWN | (1u << 24);
		coh_release(&nc, own, 4);
		old_head = (old_head + 1) % NDESC;
	}
}

static int setup(void)
{
	struct qos_desc d[N];
	struct coh_span sp[N];

	coh_device_init(&nc, "bench-rx", 0);
	nc.dma_mask = ~(uint64_t)0;
#ifdef RING_BENCH_COUNT
	rec_hw_line = 64;
	coh_set_cache_line_size(64);
#endif
	if (coh_region_add(&reg, arena, (uintptr_t)arena, sizeof(arena), 0) ||
	    coh_ring_create(&ring, &nc, NDESC, struct qos_desc, des3, OWN, 0))
		return -1;
	/* N slots out, N buffers given: the steady state of an RX ring */
	for (int k = 0; k < N; k++) {
		sp[k] = (struct coh_span){ bufs[k], BUFSZ, COH_FROM_DEVICE };
		d[k] = (struct qos_desc){ .des3 = 1u << 24 };
	}
	if (coh_give_n(&nc, sp, N) || coh_ring_post_n(&ring, d, N) < 0)
		return -1;
	return 0;
}

#ifdef RING_BENCH_COUNT
static void tally(size_t from, double *lines, double *barriers, double *rmbs)
{
	size_t l = 0, b = 0, r = 0;

	for (size_t i = from; i < rec_n && i < REC_MAX; i++) {
		char op = rec_log[i].op;

		l += op == 'C' || op == 'I' || op == 'F';
		b += op == 'B';
		r += op == 'r';
	}
	*lines = (double)l / N;
	*barriers = (double)b / N;
	*rmbs = (double)r / N;
}

int main(void)
{
	double ln, bn, rn, lo, bo, ro;

	if (setup()) {
		printf("ring_bench: set-up failed\n");
		return 1;
	}
	rec_n = 0;
	rx_new();
	tally(0, &ln, &bn, &rn);
	/* the old calls on the same ring: its slots are where rx_new left them */
	old_tail = coh_ring_pending_slot(&ring, 0);
	old_head = coh_ring_next(&ring);
	rec_n = 0;
	rx_old();
	tally(0, &lo, &bo, &ro);
	printf("ring_bench: cached RX per frame (line 64, 16-byte descriptor, %u-byte buffer = 24 lines, poll/refill of %d), recording backend\n",
	       BUFSZ, N);
	printf("  %-38s %8s %10s %6s\n", "", "barriers", "line ops", "rmb");
	printf("  %-38s %8.3f %10.2f %6.2f\n", "before (acquire x2, take, give, release)", bo, lo, ro);
	printf("  %-38s %8.3f %10.2f %6.2f\n", "now (reap, take_n, give_n, post_n)", bn, ln, rn);
	printf("  ratio now/before: barriers %.3f, descriptor+buffer line ops %.3f (the issue's sketch: 6 maintenance calls per frame -> %.3f)\n",
	       bn / bo, ln / lo, bn / 6.0);
	/* ROW lines for bench/report.py: exact counts, goal: fewer than before */
	printf("ROW|per-frame|cached RX ring, line 64, 16 B descriptors, 1536 B buffers, polls of %d: barriers|"
	       "the ring's calls before issue 9 (6 in the issue's sketch)|%.2f vs %.2f per frame|%.3f|<=|0.50\n",
	       N, bn, bo, bn / bo);
	printf("ROW|per-frame|cached RX ring, line 64, 16 B descriptors, 1536 B buffers, polls of %d: line ops|"
	       "the ring's calls before issue 9|%.2f vs %.2f per frame|%.3f|<=|1.00\n",
	       N, ln, lo, ln / lo);
	return failed;
}
#else
/* paired samples (bench.h): 4 polls of N frames per sample, now and before */
#define POLLS 4

static void time_prep(void *c, int m)
{
	(void)c;
	(void)m;
	/* both variants start where the ring is: N slots out at the same place */
	old_tail = coh_ring_pending_slot(&ring, 0);
	old_head = coh_ring_next(&ring);
}

static double time_run(void *c, int m)
{
	(void)c;
	for (int p = 0; p < POLLS; p++) {
		if (m == 0)
			rx_new();
		else
			rx_old();
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct bench_set b = { 2, argc > 1 ? atoi(argv[1]) : 100000, NULL, time_prep, time_run,
			       NULL, 0 };
	struct bench_res r;

	bench_fixed_layout(argv);
	if (setup() || b.samples < 1) {
		printf("ring_bench: set-up failed\n");
		return 1;
	}
	if (bench_paired(&b, &r))
		return 1;
	printf("ring_bench: cached RX, %s backend, time per frame: before %.1f ns, now %.1f ns, ratio %.3f%s\n",
	       coh_backend_name(), r.sec[1] * 1e9 / (N * POLLS), r.sec[0] * 1e9 / (N * POLLS),
	       r.ratio[0], failed ? " (A ROUND TRIP FAILED)" : "");
	printf("ROW|cache|cached RX ring per frame (reap, take, give, post; %d-frame polls)|"
	       "the ring's calls before issue 9|%.1f vs %.1f ns, %d/%d pairs, CI %.1f%%|%.4f|<=|1.00\n",
	       N, r.sec[0] * 1e9 / (N * POLLS), r.sec[1] * 1e9 / (N * POLLS), r.samples, r.taken,
	       r.ci[0] * 100, r.ratio[0]);
	return failed;
}
#endif
