/* SPDX-License-Identifier: MIT */
/*
 * Streaming DMA against the simulated non-coherent SoC.
 *
 *   stream_sim sweep <seeds> [bounce]   every edge misalignment, sizes from
 *       1 byte to several pages, all three directions, a device reading and
 *       writing through the bus address, the CPU dirtying the neighbours
 *       during the DMA; data exact and zero sanitizer reports, per seed.
 *       "bounce": every mapping goes through the bounce pool.
 *   stream_sim misuse                    what Linux's checker cannot see:
 *       the CPU writing a mapped buffer, the CPU reading FROM_DEVICE data
 *       without a sync; both must be reported by the simulator.
 */
#include <stdlib.h>
#include <string.h>

#include "coherent/coherent.h"
#include "harness.h"
#include "sim.h"

TH_DEFINE_COUNTERS;

static struct coh_device dev;
static struct coh_stream st;
static struct coh_map_rec recs[64];
static unsigned char *ram, *pool, *area;
static uint64_t ram_phys;
static unsigned long nreports, ndiag;
static int quiet;

static void hook(const struct sim_report *r, void *ctx)
{
	(void)ctx;
	if (nreports++ < 5 && !quiet)
		sim_print_report(r, NULL);
}

static void diag(const struct coh_where *w, const char *msg, int err)
{
	if (ndiag++ < 5)
		printf("diag: %s:%d: %s (%d)\n", w ? w->file : "?", w ? w->line : 0,
		       msg, err);
}

static uint32_t rnd;
static unsigned char next8(void)
{
	rnd = rnd * 1664525u + 1013904223u;
	return (unsigned char)(rnd >> 24);
}

static unsigned refill = 200;

static int setup(uint64_t seed, size_t line, unsigned int sflags)
{
	struct sim_config cfg;
	size_t size;

	sim_fini();
	sim_config_default(&cfg);
	cfg.ram_size = 1u << 20;
	cfg.line = line;
	cfg.seed = seed;
	cfg.evict_permille = 200;
	cfg.refill_permille = refill;
	if (sim_init(&cfg))
		return -1;
	sim_set_report_hook(hook, NULL);
	sim_area(0, (void **)&ram, &ram_phys, &size);
	pool = ram;			/* [0, 256K): bounce pool */
	area = ram + (512u << 10);	/* buffers and their neighbours */
	coh_device_init(&dev, "dma", 0);
	coh_stream_init(&st, recs, 64, sflags);
	coh_stream_bounce(&st, pool, ram_phys, 256u << 10);
	return coh_device_set_stream(&dev, &st);
}

/* a device transfer through the bus address, checked byte for byte */
static int dev_expect(coh_bus_t b, size_t len, const unsigned char *want)
{
	static unsigned char tmp[5 * 4096];

	if (sim_dev_read(&dev, b, tmp, len))
		return -1;
	return memcmp(tmp, want, len) ? -1 : 0;
}

static void fill(unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = next8();
}

/* One mapping of [start, start+len) inside area, neighbours dirtied meanwhile. */
static int one(size_t start, size_t len, enum coh_dir dir, size_t line)
{
	static unsigned char a[5 * 4096], d[5 * 4096], nb[2][256];
	unsigned char *p = area + start;
	coh_bus_t b;

	fill(nb[0], line);
	fill(nb[1], line);
	memcpy(p - line, nb[0], line);
	memcpy(p + len, nb[1], line);
	fill(a, len);
	memcpy(p, a, len); /* TO: the data; FROM: dirty lines that must not land on the device's */
	b = coh_map_single(&dev, p, len, dir);
	if (coh_mapping_error(&dev, b))
		return -1;
	fill(nb[0], line);	/* the CPU keeps using the neighbours */
	memcpy(p - line, nb[0], line);
	sim_step();
	if (dir != COH_FROM_DEVICE && dev_expect(b, len, a))
		return -2;
	fill(d, len);
	if (dir != COH_TO_DEVICE && sim_dev_write(&dev, b, d, len))
		return -3;
	sim_step();
	fill(nb[1], line);
	memcpy(p + len, nb[1], line);
	if (coh_sync_for_cpu(&dev, b, 0, len, dir))
		return -4;
	coh_consume(&dev, p, len);
	if (memcmp(p, dir == COH_TO_DEVICE ? a : d, len))
		return -5;
	if (dir != COH_FROM_DEVICE) { /* the CPU writes again and hands it back */
		fill(a, len);
		memcpy(p, a, len);
	}
	if (coh_sync_for_device(&dev, b, 0, len, dir))
		return -6;
	sim_step();
	if (dir != COH_FROM_DEVICE && dev_expect(b, len, a))
		return -7;
	if (dir != COH_TO_DEVICE) {
		fill(d, len);
		if (sim_dev_write(&dev, b, d, len))
			return -8;
	}
	sim_step();
	if (coh_unmap_single(&dev, b, len, dir))
		return -9;
	coh_consume(&dev, p, len);
	if (memcmp(p, dir == COH_TO_DEVICE ? a : d, len))
		return -10;
	if (memcmp(p - line, nb[0], line) || memcmp(p + len, nb[1], line))
		return -11;
	return 0;
}

static int sweep(int seeds, unsigned int sflags)
{
	static const size_t lines[] = { 32, 64, 128 };
	static const size_t ks[] = { 0, 1, 2, 23, 96 }; /* whole lines between the edges */
	unsigned long maps = 0, bounces = 0;

	for (int seed = 1; seed <= seeds; seed++) {
		size_t line = lines[seed % 3];

		if (setup((uint64_t)seed, line, sflags)) {
			printf("seed %d: setup failed\n", seed);
			return -1;
		}
		rnd = (uint32_t)seed * 2654435761u;
		for (size_t head = 0; head < line; head++) {
			size_t tail = (head + (size_t)seed / 3) % line;
			size_t k = ks[(head + (size_t)seed) % 5];
			size_t len, start;
			enum coh_dir dir = (enum coh_dir)((head + (size_t)seed) % 3);
			int rc;

			if (line == 128 && k == 96)
				k = 48; /* several pages at every line size */
			if (k == 0 && tail <= head)
				k = 1;
			len = k * line + tail - head;
			start = line + head;
			rc = one(start, len, dir, line);
			if (!rc && dir != COH_TO_DEVICE) /* and in place, line-exact */
				rc = one(2 * line * (k + 2), (k + 1) * line, dir, line);
			if (rc) {
				printf("seed %d line %zu head %zu tail %zu len %zu %s: step %d failed\n",
				       seed, line, head, tail, len, coh_dir_name((int)dir), rc);
				return -1;
			}
		}
		if (sim_quiesce() || nreports) {
			printf("seed %d line %zu: %lu sanitizer reports\n", seed, line, nreports);
			return -1;
		}
		if (coh_stream_live(&st) || st.b_free != st.b_ngran) {
			printf("seed %d: leaked mappings or bounce slots\n", seed);
			return -1;
		}
		maps += dev.stats.maps;
		bounces += dev.stats.bounces;
	}
	printf("stream_sim: %d seeds, %lu maps, %lu bounced, 0 reports\n", seeds,
	       maps, bounces);
	return ndiag ? -1 : 0;
}

/* What only the simulator sees. */
static void t_misuse(void)
{
	unsigned char *p;
	unsigned char d[256];
	coh_bus_t b;

	quiet = 1;
	CHECK_EQ(setup(7, 64, 0), 0);
	p = area;
	/* CPU writes a buffer the device owns */
	b = coh_map_single(&dev, p, 256, COH_TO_DEVICE);
	CHECK(!coh_mapping_error(&dev, b));
	p[10] = 1;
	CHECK_EQ(coh_unmap_single(&dev, b, 256, COH_TO_DEVICE), 0);
	CHECK(sim_reports(SIM_CPU_WRITE_DEVICE_OWNED) >= 1);

	/* CPU reads FROM_DEVICE data without sync_for_cpu */
	refill = 1000; /* the CPU refills lines speculatively during the DMA */
	CHECK_EQ(setup(8, 64, 0), 0);
	refill = 200;
	p = area;
	b = coh_map_single(&dev, p, 256, COH_FROM_DEVICE);
	CHECK(!coh_mapping_error(&dev, b));
	for (int i = 0; i < 16; i++)
		sim_step();
	memset(d, 0x5A, sizeof(d));
	CHECK_EQ(sim_dev_write(&dev, b, d, 256), 0);
	CHECK(coh_consume(&dev, p, 256) != 0);
	CHECK(sim_reports(SIM_STALE_CPU_READ) + sim_reports(SIM_SPECULATIVE_STALE) >= 1);
	CHECK_EQ(coh_unmap_single(&dev, b, 256, COH_FROM_DEVICE), 0);
	CHECK_EQ(coh_consume(&dev, p, 256), 0); /* after unmap: fresh */

	/* bounced: the slot is what the device owns */
	CHECK_EQ(setup(9, 64, COH_STREAM_FORCE_BOUNCE), 0);
	b = coh_map_single(&dev, area, 256, COH_FROM_DEVICE);
	CHECK(!coh_mapping_error(&dev, b));
	CHECK_EQ(sim_dev_write(&dev, b, d, 256), 0);
	CHECK(coh_consume(&dev, sim_phys_to_virt(b - dev.bus_offset), 256) != 0);
	CHECK_EQ(coh_unmap_single(&dev, b, 256, COH_FROM_DEVICE), 0);
	CHECK(memcmp(area, d, 256) == 0);
	sim_fini();
	quiet = 0;
}

/*
 * The page-pool pattern: a receive buffer mapped once with
 * COH_ATTR_SKIP_CPU_SYNC and recycled, each use bracketed by
 * sync_for_device / sync_for_cpu of the bytes used.  Correct: zero reports
 * and exact data over seeds and line sizes.  Leaving out either sync is
 * reported.  bug: 0 none, 1 no sync_for_cpu, 2 no sync_for_device.
 */
static int page_pool(uint64_t seed, size_t line, int bug)
{
	static unsigned char d[2048];
	unsigned char *p;
	coh_bus_t b;
	int bad = 0;

	refill = bug == 1 ? 1000 : 200;
	if (setup(seed, line, 0))
		return -1;
	refill = 200;
	p = area;
	fill(p, sizeof(d));	/* the buffer's lines are dirty when it is mapped */
	b = coh_map_single_attrs(&dev, p, sizeof(d), COH_FROM_DEVICE,
				 COH_ATTR_SKIP_CPU_SYNC);
	if (coh_mapping_error(&dev, b))
		return -1;
	for (int use = 0; use < 20; use++) {
		size_t n = 64 + next8() * 7u;

		if (!(bug == 2 && use == 0) &&
		    coh_sync_for_device(&dev, b, 0, sizeof(d), COH_FROM_DEVICE))
			return -1;
		for (int k = 0; k < 16; k++)
			sim_step();
		fill(d, n);
		if (sim_dev_write(&dev, b, d, n))
			return -1;
		sim_step();
		if (!(bug == 1 && use == 3) &&
		    coh_sync_for_cpu(&dev, b, 0, n, COH_FROM_DEVICE))
			return -1;
		if (coh_consume(&dev, p, n) || memcmp(p, d, n))
			bad++;
	}
	if (coh_unmap_single_attrs(&dev, b, sizeof(d), COH_FROM_DEVICE,
				   COH_ATTR_SKIP_CPU_SYNC))
		return -1;
	if (coh_stream_live(&st))
		return -1;
	return bad;
}

static void t_page_pool(void)
{
	static const size_t lines[] = { 32, 64, 128 };
	unsigned long caught1 = 0, caught2 = 0;
	int bad = 0;

	quiet = 1;
	for (uint64_t seed = 1; seed <= 200; seed++) {
		for (int l = 0; l < 3; l++) {
			nreports = 0;
			bad |= page_pool(seed, lines[l], 0) != 0;
			bad |= nreports != 0;
			nreports = 0;
			(void)page_pool(seed, lines[l], 1);
			caught1 += nreports != 0;
			nreports = 0;
			(void)page_pool(seed, lines[l], 2);
			caught2 += nreports != 0;
		}
	}
	quiet = 0;
	CHECK_EQ(bad, 0);
	printf("page-pool: 600 correct runs clean; no sync_for_cpu caught in %lu/600, no sync_for_device in %lu/600\n",
	       caught1, caught2);
	CHECK(caught1 >= 540);
	CHECK(caught2 >= 540);
	CHECK_EQ(ndiag, 0);
	sim_fini();
}

int main(int argc, char **argv)
{
	coh_set_diag_handler(diag);
	if (argc >= 3 && !strcmp(argv[1], "sweep")) {
		int rc = sweep(atoi(argv[2]),
			       argc > 3 && !strcmp(argv[3], "bounce") ? COH_STREAM_FORCE_BOUNCE : 0);
		sim_fini();
		return rc ? 1 : 0;
	}
	RUN(t_misuse);
	RUN(t_page_pool);
	return th_finish("stream-sim-misuse");
}
