/* SPDX-License-Identifier: MIT */
/*
 * Two threads mapping, syncing and unmapping on one device at once (some
 * bounced, all directions), under ThreadSanitizer: the records, the bounce
 * pool and the checker table are shared state.  Then two threads racing to
 * map and unmap the same buffer in a small record table: every map gets a
 * record, every mapping is unmapped exactly once, a surplus unmap fails.
 */
#include <pthread.h>
#include <string.h>

#include "coherent/coherent.h"
#include "harness.h"

TH_DEFINE_COUNTERS;

static unsigned char pool[256 << 10] __attribute__((aligned(4096)));
static unsigned char bufs[2][64][512] __attribute__((aligned(128)));
static struct coh_device dev;
static struct coh_stream st;
static struct coh_map_rec recs[256];
static int failures, reports;

static void diag(const struct coh_where *w, const char *msg, int err)
{
	(void)w;
	(void)msg;
	(void)err;
	__atomic_fetch_add(&reports, 1, __ATOMIC_RELAXED);
}

static void *worker(void *arg)
{
	int t = (int)(uintptr_t)arg;
	uint32_t seed = (uint32_t)t + 1;

	for (int it = 0; it < 4000; it++) {
		unsigned char *p;
		size_t off, len;
		enum coh_dir dir;
		coh_bus_t b;

		seed = seed * 1664525u + 1013904223u;
		p = bufs[t][seed % 64];
		off = (seed >> 8) % 64;
		len = 1 + (seed >> 14) % (512 - 64);
		dir = (enum coh_dir)((seed >> 24) % 3);
		memset(p + off, (int)(seed & 0xff), len);
		b = coh_map_single(&dev, p + off, len, dir);
		if (coh_mapping_error(&dev, b)) {
			__atomic_fetch_add(&failures, 1, __ATOMIC_RELAXED);
			continue;
		}
		if (dir != COH_TO_DEVICE) /* the device (same memory, coherent view) writes */
			memset((void *)(uintptr_t)b, (int)(~seed & 0xff), len);
		if (coh_sync_for_cpu(&dev, b, 0, len, dir) ||
		    coh_unmap_single(&dev, b, len, dir))
			__atomic_fetch_add(&failures, 1, __ATOMIC_RELAXED);
		if (p[off + len - 1] != (unsigned char)(dir != COH_TO_DEVICE ? ~seed : seed))
			__atomic_fetch_add(&failures, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void t_two_threads(void)
{
	pthread_t a, b;

	coh_set_diag_handler(diag);
	coh_device_init(&dev, "mt", 0);
	dev.dma_mask = ~(uint64_t)0;
	CHECK_EQ(coh_stream_init(&st, recs, 256, 0), 0);
	CHECK_EQ(coh_stream_bounce(&st, pool, (uintptr_t)pool, sizeof(pool)), 0);
	CHECK_EQ(coh_device_set_stream(&dev, &st), 0);
	pthread_create(&a, NULL, worker, (void *)0);
	pthread_create(&b, NULL, worker, (void *)1);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	CHECK_EQ(failures, 0);
	CHECK_EQ(reports, 0);
	CHECK_EQ(coh_stream_live(&st), 0);
	CHECK_EQ(st.b_free, st.b_ngran);
	CHECK_EQ(dev.stats.maps, 8000);
	CHECK(dev.stats.bounces > 1000);
	CHECK_EQ(coh_device_teardown(&dev), 0);
}

static struct coh_device dev2;
static struct coh_stream st2;
static struct coh_map_rec recs2[4];
static unsigned char shared_buf[256] __attribute__((aligned(128)));
static pthread_barrier_t bar;
static int unmapped, refused;

static void *racer(void *arg)
{
	(void)arg;
	for (int it = 0; it < 2000; it++) {
		coh_bus_t b = coh_map_single(&dev2, shared_buf, sizeof(shared_buf),
					     COH_TO_DEVICE);

		if (coh_mapping_error(&dev2, b))
			__atomic_fetch_add(&failures, 1, __ATOMIC_RELAXED);
		pthread_barrier_wait(&bar);
		/* two records share this bus: four unmaps, two must fail */
		for (int k = 0; k < 2; k++) {
			int rc = coh_unmap_single(&dev2, b, sizeof(shared_buf),
						  COH_TO_DEVICE);

			if (rc == 0)
				__atomic_fetch_add(&unmapped, 1, __ATOMIC_RELAXED);
			else if (rc == -COH_EINVAL)
				__atomic_fetch_add(&refused, 1, __ATOMIC_RELAXED);
			else
				__atomic_fetch_add(&failures, 1, __ATOMIC_RELAXED);
		}
		pthread_barrier_wait(&bar);
	}
	return NULL;
}

static void t_racing_unmaps(void)
{
	pthread_t a, b;

	failures = 0;
	coh_device_init(&dev2, "race", 0);
	dev2.dma_mask = ~(uint64_t)0;
	CHECK_EQ(coh_stream_init(&st2, recs2, 4, 0), 0);
	CHECK_EQ(coh_device_set_stream(&dev2, &st2), 0);
	pthread_barrier_init(&bar, NULL, 2);
	pthread_create(&a, NULL, racer, NULL);
	pthread_create(&b, NULL, racer, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	pthread_barrier_destroy(&bar);
	CHECK_EQ(failures, 0);
	CHECK_EQ(unmapped, 4000);
	CHECK_EQ(refused, 4000);
	CHECK_EQ(coh_stream_live(&st2), 0);
	CHECK_EQ(dev2.stats.maps, 4000);
	CHECK_EQ(coh_device_teardown(&dev2), 0);
}

int main(void)
{
	RUN(t_two_threads);
	RUN(t_racing_unmaps);
	return th_finish("stream-threads-tsan");
}
