/* SPDX-License-Identifier: MIT */
/* Two threads allocating and freeing from one region and one pool (run under TSan). */
#include <pthread.h>
#include <string.h>

#include "coherent/coherent.h"
#include "harness.h"

TH_DEFINE_COUNTERS;

static unsigned char arena[1 << 20] __attribute__((aligned(4096)));
static struct coh_region reg;
static struct coh_device dev;
static struct coh_pool pool;
static int failures;

static void *worker(void *arg)
{
	uint32_t seed = (uint32_t)(uintptr_t)arg;

	for (int it = 0; it < 3000; it++) {
		COH_SHARED(uint32_t) h;
		coh_bus_t bus;
		void *b;

		seed = seed * 1664525u + 1013904223u;
		if (coh_alloc_shared(&h, &dev, 1 + (seed >> 20), 0)) {
			__atomic_fetch_add(&failures, 1, __ATOMIC_RELAXED);
			continue;
		}
		coh_write(&h, [0], seed);
		if (coh_read(&h, [0]) != seed)
			__atomic_fetch_add(&failures, 1, __ATOMIC_RELAXED);
		/* the ownership checker's table is shared between the threads */
		coh_give(&dev, coh_raw(&h), coh_size(&h), COH_TO_DEVICE);
#if COH_DEBUG
		if (coh_free(&h) != -COH_EBUSY)
			__atomic_fetch_add(&failures, 1, __ATOMIC_RELAXED);
#endif
		coh_take(&dev, coh_raw(&h), coh_size(&h), COH_TO_DEVICE);
		b = coh_pool_alloc(&pool, &bus);
		if (b) {
			memset(b, 0x5a, 64);
			coh_pool_free(&pool, b);
		}
		if (coh_free(&h))
			__atomic_fetch_add(&failures, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void t_two_threads(void)
{
	pthread_t a, b;
	size_t before;

	CHECK_EQ(coh_region_add(&reg, arena, 0x80000000u, sizeof(arena), 0), 0);
	coh_device_init(&dev, "mt", COH_DEV_COHERENT);
	CHECK_EQ(coh_pool_create(&pool, &dev, "mt", 64, 64, 0, 16), 0);
	before = coh_region_free_bytes(&reg);
	pthread_create(&a, NULL, worker, (void *)1);
	pthread_create(&b, NULL, worker, (void *)2);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	CHECK_EQ(failures, 0);
	CHECK_EQ(coh_region_free_bytes(&reg), before);
	CHECK_EQ(coh_pool_avail(&pool), 16);
	CHECK_EQ(dev.stats.allocs, 6000 + 2);
}

int main(void)
{
	RUN(t_two_threads);
	return th_finish("threads-tsan");
}
