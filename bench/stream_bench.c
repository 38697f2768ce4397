/* SPDX-License-Identifier: MIT */
/*
 * Streaming DMA cost, side by side in one run, on the host's real backend
 * (x86_64: CLFLUSHOPT + MFENCE for a non-coherent device):
 *
 *  1. map + sync_for_cpu + unmap of a 1,500-byte frame versus the same
 *     maintenance done by hand with the fence calls (goal: ratio <= 1.10),
 *     with the frame as a driver has it (written by the CPU before a
 *     transmit, read after a receive; that CPU work is done untimed before
 *     each call); and, for reference, the same with lines
 *     already clean, where the maintenance is cheapest and bookkeeping's
 *     share largest;
 *  2. bounce copy throughput versus memcpy of the same bytes
 *     (goal: ratio >= 0.90 from 64 KiB up), copy-in (TO_DEVICE map) and
 *     copy-out (FROM_DEVICE sync_for_cpu).
 *
 * One sample of a method is NF maps of NF distinct frames (the bounce
 * rows: copies of up to 256 KiB in all, the small ones spread over 8
 * buffers 5 KiB apart: one pair of addresses can be slow or fast for a whole
 * run, by where its pages fell), so it lasts tens of microseconds;
 * each ratio is the median of per-sample ratios (bench.h: paired samples
 * until its confidence interval is tight); the most samples can be
 * lowered on the command line (the smoke test).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "coherent/coherent.h"
#include "bench.h"

#define NF 32		/* frames per sample, 2 KiB apart */
#define NBUF 8		/* small bounce copies: over 8 buffers, 5 KiB apart */
#define FSTRIDE 2048
static unsigned char frames[NF * FSTRIDE] __attribute__((aligned(4096)));
static unsigned char big[1 << 20] __attribute__((aligned(4096)));
static unsigned char bigdst[1 << 20] __attribute__((aligned(4096)));
static unsigned char big2[1 << 20] __attribute__((aligned(4096)));
static unsigned char pool[2 << 20] __attribute__((aligned(4096)));
static struct coh_device nc, cd;
static struct coh_stream snc, scd;
static struct coh_map_rec rnc[64], rcd[64];
static volatile int sink;

static int samples = 100000;

static int failed;

static void stream_cycle(unsigned char *frame, enum coh_dir dir, size_t len)
{
	coh_bus_t b = coh_map_single(&nc, frame, len, dir);

	if (coh_mapping_error(&nc, b)) {
		failed = 1;
		return;
	}
	coh_sync_for_cpu(&nc, b, 0, len, dir);
	coh_unmap_single(&nc, b, len, dir);
}

static void raw_cycle(unsigned char *frame, enum coh_dir dir, size_t len)
{
	if (dir == COH_TO_DEVICE) {
		coh_release(&nc, frame, len);	/* map */
		return;				/* sync_for_cpu, unmap: nothing */
	}
	coh_flush(&nc, frame, len);		/* map */
	coh_acquire(&nc, frame, len);		/* sync_for_cpu */
	coh_acquire(&nc, frame, len);		/* unmap */
}

/*
 * The CPU's side of one frame: it writes what it transmits, reads what it
 * received.  Timed on its own and subtracted, so only maintenance and
 * bookkeeping are compared; but it leaves the lines as a driver finds them
 * (dirty before a transmit, absent after a receive), which is what the
 * maintenance really costs.
 */
static void payload(unsigned char *frame, enum coh_dir dir, size_t len, long i)
{
	if (dir != COH_FROM_DEVICE)
		memset(frame, (int)(i & 0xff), len);
	if (dir != COH_TO_DEVICE) {
		unsigned int sum = 0;

		for (size_t k = 0; k < len; k += 64)
			sum += ((volatile unsigned char *)frame)[k];
		sink += (int)sum;
	}
}

/* map rows: method 0 the library, 1 by hand; prep = the CPU's side */
struct map_ctx {
	enum coh_dir dir;
	size_t len;
	int payload;
	long k;
};

static void map_prep(void *c, int m)
{
	struct map_ctx *x = c;

	(void)m;
	if (x->payload)
		for (int f = 0; f < NF; f++)
			payload(frames + f * FSTRIDE, x->dir, x->len, x->k++);
}

static double map_run(void *c, int m)
{
	struct map_ctx *x = c;

	for (int f = 0; f < NF; f++) {
		if (m == 0)
			stream_cycle(frames + f * FSTRIDE, x->dir, x->len);
		else
			raw_cycle(frames + f * FSTRIDE, x->dir, x->len);
	}
	return 0;
}

static void row_map(const char *name, enum coh_dir dir, size_t len)
{
	struct map_ctx x = { dir, len, 1, 0 };
	struct bench_set b = { 2, samples, NULL, map_prep, map_run, &x, 0 };
	struct bench_res r;

	if (bench_paired(&b, &r))
		exit(1);
	printf("ROW|stream|map+sync+unmap %s (x86_64)|the same maintenance by hand|"
	       "%.1f vs %.1f ns, %d/%d pairs, CI %.1f%%|%.4f|<=|1.10\n",
	       name, r.sec[0] / NF * 1e9, r.sec[1] / NF * 1e9, r.samples, r.taken, r.ci[0] * 100,
	       r.ratio[0]);
	x.payload = 0;
	if (bench_paired(&b, &r))
		exit(1);
	printf("ROW|stream|  the same, lines already clean (bookkeeping's worst share)|the same by hand|"
	       "%.1f vs %.1f ns, %d/%d pairs, CI %.1f%%|%.4f|-|0\n",
	       r.sec[0] / NF * 1e9, r.sec[1] / NF * 1e9, r.samples, r.taken, r.ci[0] * 100, r.ratio[0]);
	fflush(stdout);
}

/*
 * Bounce copy against memcpy of the same bytes.  The goal is about copy
 * throughput, so it is judged where the copy dominates (64 KiB up); the
 * 1,500-byte row shows what a whole bounced map+unmap of one frame costs
 * against a bare memcpy of it, fixed per-call cost included.
 * Methods: 0 memcpy, 1 copy-in (map + unmap TO_DEVICE), 2 copy-out
 * (sync_for_cpu FROM_DEVICE of a buffer mapped throughout).
 */
struct copy_ctx {
	size_t len;
	int reps, nbuf;		/* calls per sample, over nbuf buffers 5 KiB apart */
	coh_bus_t out[NBUF];
};

static void copy_one(struct copy_ctx *x, int m, int i)
{
	size_t o = (size_t)(i % x->nbuf) * 5120;

	if (m == 0) {
		memcpy(bigdst + o, big + o, x->len);
		sink += bigdst[o + x->len - 1];
	} else if (m == 1) {
		coh_bus_t b = coh_map_single(&cd, big + o, x->len, COH_TO_DEVICE);

		if (coh_mapping_error(&cd, b)) {
			failed = 1;
			return;
		}
		coh_unmap_single(&cd, b, x->len, COH_TO_DEVICE);
	} else {
		coh_sync_for_cpu(&cd, x->out[i % x->nbuf], 0, x->len, COH_FROM_DEVICE);
	}
}

static double copy_run(void *c, int m)
{
	struct copy_ctx *x = c;

	for (int i = 0; i < x->reps; i++)
		copy_one(x, m, i);
	return 0;
}

static void row_copy(size_t len, int goal)
{
	/* methods 1 and 2 each against memcpy (0): time ratio memcpy / copy */
	static const int base[3] = { -1, 0, 0 };
	size_t reps = (256u << 10) / len;
	struct copy_ctx x = { len, reps > 1 ? (int)reps : 1, len <= 4096 ? NBUF : 1, { 0 } };
	struct bench_set b = { 3, samples, base, NULL, copy_run, &x, 0 };
	struct bench_res r;
	double gb[3];

	/* copy-out from buffers of its own, mapped through all samples */
	for (int i = 0; i < x.nbuf; i++) {
		x.out[i] = coh_map_single(&cd, big2 + (size_t)i * 5120, len, COH_FROM_DEVICE);
		if (coh_mapping_error(&cd, x.out[i])) {
			failed = 1;
			return;
		}
	}
	if (bench_paired(&b, &r))
		exit(1);
	for (int i = 0; i < x.nbuf; i++)
		coh_unmap_single(&cd, x.out[i], len, COH_FROM_DEVICE);
	for (int m = 0; m < 3; m++)
		gb[m] = (double)len * x.reps / r.sec[m] * 1e-9;
	printf("ROW|stream|bounce copy-in %zu B (map TO_DEVICE)|memcpy of the same bytes|"
	       "%.2f vs %.2f GB/s, %d/%d pairs, CI %.1f%%|%.4f|%s\n",
	       len, gb[1], gb[0], r.samples, r.taken, r.ci[1] * 100, 1 / r.ratio[1],
	       goal ? ">=|0.90" : "-|0");
	printf("ROW|stream|bounce copy-out %zu B (sync FROM_DEVICE)|memcpy of the same bytes|"
	       "%.2f vs %.2f GB/s, %d/%d pairs, CI %.1f%%|%.4f|%s\n",
	       len, gb[2], gb[0], r.samples, r.taken, r.ci[2] * 100, 1 / r.ratio[2],
	       goal ? ">=|0.90" : "-|0");
	fflush(stdout);
}

int main(int argc, char **argv)
{
	bench_fixed_layout(argv);
	if (argc > 1)
		samples = atoi(argv[1]);
	if (samples < 1) {
		fprintf(stderr, "usage: stream_bench [samples >= 1]\n");
		return 2;
	}

	coh_device_init(&nc, "bench-nc", 0);
	coh_device_init(&cd, "bench-coherent", COH_DEV_COHERENT);
	nc.dma_mask = cd.dma_mask = ~(uint64_t)0;
	coh_stream_init(&snc, rnc, 64, 0);
	coh_stream_init(&scd, rcd, 64, COH_STREAM_FORCE_BOUNCE);
	coh_stream_bounce(&scd, pool, (uintptr_t)pool, sizeof(pool));
	coh_device_set_stream(&nc, &snc);
	coh_device_set_stream(&cd, &scd);
	memset(big, 0x5a, sizeof(big));
	memset(big2, 0x5a, sizeof(big2));	/* no first-touch fault in a sample */
	memset(bigdst, 0x5a, sizeof(bigdst));
	row_map("TX 1500 B TO_DEVICE", COH_TO_DEVICE, 1500);
	row_map("RX 1536 B FROM_DEVICE", COH_FROM_DEVICE, 1536);
	row_map("RX 1536 B BIDIRECTIONAL", COH_BIDIRECTIONAL, 1536);
	row_copy(1500, 0);
	row_copy(64 << 10, 1);
	row_copy(1 << 20, 1);
	if (failed)
		fprintf(stderr, "stream_bench: a mapping failed\n");
	return failed ? 1 : 0;
}
