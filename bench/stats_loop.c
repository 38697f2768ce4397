/* SPDX-License-Identifier: MIT */
/*
 * bench/stats_loop.c - the loop bench/stats_bench.c times: release and
 * acquire of 64 bytes on a coherent device (each a barrier alone on x86),
 * n times.  Built three times as shared objects, each linked with its own
 * copy of the library (COH_STATS as shipped, 0 and 2) and binding its own
 * symbols (-Bsymbolic), so one process holds all three and can time them
 * in paired samples; the name of the entry point tells them apart.
 */
#include "coherent/coherent.h"

void STATS_LOOP(long n);

static struct coh_device dev;
static unsigned char buf[256] __attribute__((aligned(128)));
static int ready;

void STATS_LOOP(long n)
{
	if (!__atomic_load_n(&ready, __ATOMIC_ACQUIRE)) {
		if (coh_device_init(&dev, "coherent", COH_DEV_COHERENT))
			return;
		__atomic_store_n(&ready, 1, __ATOMIC_RELEASE);
	}
	for (long i = 0; i < n; i++) {
		coh_release(&dev, buf, 64);
		coh_acquire(&dev, buf, 64);
	}
}
