/* SPDX-License-Identifier: MIT */
/*
 * Streaming DMA cost, side by side in one run, on the host's real backend
 * (x86_64: CLFLUSHOPT + MFENCE for a non-coherent device):
 *
 *  1. map + sync_for_cpu + unmap of a 1,500-byte frame versus the same
 *     maintenance done by hand with the fence calls (goal: ratio <= 1.10),
 *     with the frame as a driver has it (written by the CPU before a
 *     transmit, read after a receive; that CPU work is timed alone and
 *     subtracted from both sides); and, for reference, the same with lines
 *     already clean, where the maintenance is cheapest and bookkeeping's
 *     share largest;
 *  2. bounce copy throughput versus memcpy of the same bytes
 *     (goal: ratio >= 0.90 from 64 KiB up), copy-in (TO_DEVICE map) and
 *     copy-out (FROM_DEVICE sync_for_cpu).
 *
 * Each figure is the best of several interleaved trials.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "coherent/coherent.h"
#include "bench.h"

static unsigned char frame[4096] __attribute__((aligned(4096)));
static unsigned char big[1 << 20] __attribute__((aligned(4096)));
static unsigned char bigdst[1 << 20] __attribute__((aligned(4096)));
static unsigned char pool[2 << 20] __attribute__((aligned(4096)));
static struct coh_device nc, cd;
static struct coh_stream snc, scd;
static struct coh_map_rec rnc[64], rcd[64];
static volatile int sink;

#define TRIALS 7

static int failed;

static void stream_cycle(enum coh_dir dir, size_t len)
{
	coh_bus_t b = coh_map_single(&nc, frame, len, dir);

	if (coh_mapping_error(&nc, b)) {
		failed = 1;
		return;
	}
	coh_sync_for_cpu(&nc, b, 0, len, dir);
	coh_unmap_single(&nc, b, len, dir);
}

static void raw_cycle(enum coh_dir dir, size_t len)
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
static void payload(enum coh_dir dir, size_t len, long i)
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

static int row_map(const char *name, enum coh_dir dir, size_t len)
{
	double s = 1e9, r = 1e9, ps = 1e9, pr = 1e9, p = 1e9;
	long n = 20000;

	for (int t = 0; t < TRIALS; t++) {
		BENCH_BEST(r, n, raw_cycle(dir, len));
		BENCH_BEST(s, n, stream_cycle(dir, len));
		BENCH_BEST(p, n, payload(dir, len, i_));
		BENCH_BEST(pr, n, { payload(dir, len, i_); raw_cycle(dir, len); });
		BENCH_BEST(ps, n, { payload(dir, len, i_); stream_cycle(dir, len); });
	}
	printf("stream map+sync+unmap %-28s %8.1f ns   by hand %8.1f ns   ratio %.3f (goal <= 1.10)\n",
	       name, (ps - p) * 1e9, (pr - p) * 1e9, (ps - p) / (pr - p));
	printf("    lines already clean (bookkeeping's worst share) %8.1f ns   by hand %8.1f ns   ratio %.3f (no goal)\n",
	       s * 1e9, r * 1e9, s / r);
	return (ps - p) / (pr - p) <= 1.10;
}

/*
 * Bounce copy against memcpy of the same bytes.  The goal is about copy
 * throughput, so it is judged where the copy dominates (64 KiB up); the
 * 1,500-byte row shows what a whole bounced map+unmap of one frame costs
 * against a bare memcpy of it, fixed per-call cost included.
 */
static int row_copy(size_t len, int goal)
{
	double in = 1e9, out = 1e9, mc = 1e9;
	long n = (long)((256u << 20) / len);
	coh_bus_t b;

	for (int t = 0; t < TRIALS; t++) {
		BENCH_BEST(mc, n, memcpy(bigdst, big, len); sink += bigdst[len - 1]);
		BENCH_BEST(in, n, {
			coh_bus_t x = coh_map_single(&cd, big, len, COH_TO_DEVICE);
			if (coh_mapping_error(&cd, x)) { failed = 1; break; }
			coh_unmap_single(&cd, x, len, COH_TO_DEVICE);
		});
	}
	b = coh_map_single(&cd, big, len, COH_FROM_DEVICE);
	if (coh_mapping_error(&cd, b))
		return failed = 1, 0;
	for (int t = 0; t < TRIALS; t++)
		BENCH_BEST(out, n, coh_sync_for_cpu(&cd, b, 0, len, COH_FROM_DEVICE));
	coh_unmap_single(&cd, b, len, COH_FROM_DEVICE);
	printf("bounce copy %7zu B: memcpy %6.2f GB/s   copy-in (map TO_DEVICE) %6.2f GB/s ratio %.3f   copy-out (sync FROM_DEVICE) %6.2f GB/s ratio %.3f %s\n",
	       len, len / mc * 1e-9, len / in * 1e-9, mc / in, len / out * 1e-9,
	       mc / out, goal ? "(goal >= 0.90)" : "(per-frame cost, no goal)");
	return !goal || (mc / in >= 0.90 && mc / out >= 0.90);
}

int main(void)
{
	int ok = 1;

	coh_device_init(&nc, "bench-nc", 0);
	coh_device_init(&cd, "bench-coherent", COH_DEV_COHERENT);
	nc.dma_mask = cd.dma_mask = ~(uint64_t)0;
	coh_stream_init(&snc, rnc, 64, 0);
	coh_stream_init(&scd, rcd, 64, COH_STREAM_FORCE_BOUNCE);
	coh_stream_bounce(&scd, pool, (uintptr_t)pool, sizeof(pool));
	coh_device_set_stream(&nc, &snc);
	coh_device_set_stream(&cd, &scd);
	memset(big, 0x5a, sizeof(big));
	printf("stream_bench: backend %s, line %zu, non-coherent device\n",
	       coh_backend_name(), coh_cache_line_size());
	ok &= row_map("TX 1500 B TO_DEVICE", COH_TO_DEVICE, 1500);
	ok &= row_map("RX 1536 B FROM_DEVICE", COH_FROM_DEVICE, 1536);
	ok &= row_map("RX 1536 B BIDIRECTIONAL", COH_BIDIRECTIONAL, 1536);
	ok &= row_copy(1500, 0);
	ok &= row_copy(64 << 10, 1);
	ok &= row_copy(1 << 20, 1);
	if (failed)
		printf("stream_bench: a mapping failed\n");
	printf("stream_bench: %s\n", ok && !failed ? "all goals met" : "GOAL MISSED");
	return failed ? 1 : 0;
}
