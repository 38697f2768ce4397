/* SPDX-License-Identifier: MIT */
/*
 * bench/icount.c - instruction counts where time is noise.  Built once per
 * backend (generic: a coherent build; x86_64; sim) and run under callgrind
 * by bench/icount.py, which counts the instructions executed inside each
 * ic_* function, callees included (--toggle-collect=ic_*), and divides by
 * the number of calls.  The library side and the hand-written side of a
 * row are each one noinline function of the same signature, reached from
 * the same driver loop, so the call, the prologue and the return are
 * counted alike on both sides and nothing else is counted at all.
 *
 *   icount --rows     the rows this build measures (read by icount.py)
 *   icount N          call every ic_* function N times
 *
 * The hand-written side is what a driver does today: it keeps a pointer to
 * its descriptors in its own structure, stores with a volatile access and
 * calls the maintenance it needs (coh_release / coh_acquire: the same
 * primitive a U-Boot driver reaches as flush_dcache_range) itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coherent/coherent.h"
#include "hand.h"
#if defined(IC_SIM)
#include "sim.h"
#endif

#if defined(IC_SIM)
#define IC_BACKEND "sim"
#elif COH_ASSUME_COHERENT
#define IC_BACKEND "generic"
#else
#define IC_BACKEND "x86_64"
#endif

/* the non-coherent device (absent in a coherent build) and a coherent one */
#define IC_NC (!COH_ASSUME_COHERENT)
#if IC_NC && !defined(IC_SIM)
#define IC_FULL 1
#else
#define IC_FULL 0
#endif

/* no inlining, no specialised clones: each side is exactly one function */
#if defined(__clang__)
#define IC_FN static __attribute__((noinline, used)) void
#else
#define IC_FN static __attribute__((noinline, noclone, used)) void
#endif

static struct coh_region reg;
static struct coh_device nc __attribute__((unused)), cd;
static COH_SHARED(struct hand_desc) hn __attribute__((unused)), hc;
static struct hand_drv drv_nc __attribute__((unused)), drv_cd;
static volatile uint32_t sink;

/* accessors: one field of descriptor i */
IC_FN ic_write_nc_lib(unsigned i, uint32_t v)
{
	coh_write(&hn, [i & (HAND_NDESC - 1)].ctrl, v);
}

IC_FN ic_write_nc_hand(unsigned i, uint32_t v)
{
	uint32_t *f = &drv_nc.ring[i & (HAND_NDESC - 1)].ctrl;

	*(volatile uint32_t *)f = v;
	coh_release(drv_nc.dev, f, sizeof(*f));
}

IC_FN ic_read_nc_lib(unsigned i, uint32_t v)
{
	(void)v;
	sink = coh_read(&hn, [i & (HAND_NDESC - 1)].ctrl);
}

IC_FN ic_read_nc_hand(unsigned i, uint32_t v)
{
	uint32_t *f = &drv_nc.ring[i & (HAND_NDESC - 1)].ctrl;

	(void)v;
	coh_acquire(drv_nc.dev, f, sizeof(*f));
	sink = *(volatile uint32_t *)f;
}

IC_FN ic_write_cd_lib(unsigned i, uint32_t v)
{
	coh_write(&hc, [i & (HAND_NDESC - 1)].ctrl, v);
}

IC_FN ic_write_cd_hand(unsigned i, uint32_t v)
{
	*(volatile uint32_t *)&drv_cd.ring[i & (HAND_NDESC - 1)].ctrl = v;
}

IC_FN ic_read_cd_lib(unsigned i, uint32_t v)
{
	(void)v;
	sink = coh_read(&hc, [i & (HAND_NDESC - 1)].ctrl);
}

IC_FN ic_read_cd_hand(unsigned i, uint32_t v)
{
	(void)v;
	sink = *(volatile uint32_t *)&drv_cd.ring[i & (HAND_NDESC - 1)].ctrl;
}

#if IC_FULL
/* descriptor ring: post one descriptor, the device completes it, reap it */
static struct coh_ring ring;

IC_FN ic_post_lib(unsigned i, uint32_t v)
{
	struct hand_desc d = { v, 0, 1500, 0 };

	(void)i;
	if (coh_ring_post(&ring, &d) < 0)
		abort();
}

IC_FN ic_reap_lib(unsigned i, uint32_t v)
{
	struct hand_desc d;

	(void)i;
	(void)v;
	if (coh_ring_reap(&ring, &d) < 0)
		abort();
	sink = d.addr_lo;
}

IC_FN ic_post_hand(unsigned i, uint32_t v)
{
	struct hand_desc d = { v, 0, 1500, 0 };

	(void)i;
	hand_post(&drv_nc, &d);
}

IC_FN ic_reap_hand(unsigned i, uint32_t v)
{
	struct hand_desc d;

	(void)i;
	(void)v;
	if (hand_reap(&drv_nc, &d))
		abort();
	sink = d.addr_lo;
}

/* the device: done (a plain store, outside every counted function) */
static void device_done(volatile uint32_t *own)
{
	*own = 0;
}

/* streaming: map + sync_for_cpu + unmap of one received frame */
static unsigned char frame[4096] __attribute__((aligned(4096)));
static struct coh_stream snc;
static struct coh_map_rec rnc[8];
#define RX_LEN 1536
#define TX_LEN 1500

IC_FN ic_rx_lib(unsigned i, uint32_t v)
{
	coh_bus_t b = coh_map_single(&nc, frame, RX_LEN, COH_FROM_DEVICE);

	(void)i;
	(void)v;
	if (coh_mapping_error(&nc, b))
		abort();
	coh_sync_for_cpu(&nc, b, 0, RX_LEN, COH_FROM_DEVICE);
	coh_unmap_single(&nc, b, RX_LEN, COH_FROM_DEVICE);
}

IC_FN ic_rx_hand(unsigned i, uint32_t v)
{
	(void)i;
	(void)v;
	coh_flush(&nc, frame, RX_LEN);		/* map: nothing dirty left */
	coh_acquire(&nc, frame, RX_LEN);	/* sync_for_cpu */
	coh_acquire(&nc, frame, RX_LEN);	/* unmap: speculative refills */
}

IC_FN ic_tx_lib(unsigned i, uint32_t v)
{
	coh_bus_t b = coh_map_single(&nc, frame, TX_LEN, COH_TO_DEVICE);

	(void)i;
	(void)v;
	if (coh_mapping_error(&nc, b))
		abort();
	coh_unmap_single(&nc, b, TX_LEN, COH_TO_DEVICE);
}

IC_FN ic_tx_hand(unsigned i, uint32_t v)
{
	(void)i;
	(void)v;
	coh_release(&nc, frame, TX_LEN);
}

/* pool: one block out and back */
static struct coh_pool pool;
static struct hand_pool hpool;
static void *pool_blk;

IC_FN ic_palloc_lib(unsigned i, uint32_t v)
{
	coh_bus_t b;

	(void)i;
	(void)v;
	pool_blk = coh_pool_alloc(&pool, &b);
	if (!pool_blk)
		abort();
	sink = (uint32_t)b;
}

IC_FN ic_pfree_lib(unsigned i, uint32_t v)
{
	(void)i;
	(void)v;
	if (coh_pool_free(&pool, pool_blk))
		abort();
}

IC_FN ic_palloc_hand(unsigned i, uint32_t v)
{
	coh_bus_t b;

	(void)i;
	(void)v;
	pool_blk = hand_pool_alloc(&hpool, &b);
	if (!pool_blk)
		abort();
	sink = (uint32_t)b;
}

IC_FN ic_pfree_hand(unsigned i, uint32_t v)
{
	(void)i;
	(void)v;
	hand_pool_free(&hpool, pool_blk);
}
#endif

/* id | what | baseline | goal op | goal | library functions | hand functions */
static void rows(void)
{
	const char *be = IC_BACKEND;
	const char *acc_goal = COH_ASSUME_COHERENT ? "<=|1.00" : "<=|1.05";

	printf("%s.write.cd|coh_write 1 field, coherent device (%s)|volatile store|%s|ic_write_cd_lib|ic_write_cd_hand\n",
	       be, be, acc_goal);
	printf("%s.read.cd|coh_read 1 field, coherent device (%s)|volatile load|%s|ic_read_cd_lib|ic_read_cd_hand\n",
	       be, be, acc_goal);
#if IC_NC
	printf("%s.write.nc|coh_write 1 field, non-coherent (%s)|volatile store + coh_release|<=|1.05|ic_write_nc_lib|ic_write_nc_hand\n",
	       be, be);
	printf("%s.read.nc|coh_read 1 field, non-coherent (%s)|coh_acquire + volatile load|<=|1.05|ic_read_nc_lib|ic_read_nc_hand\n",
	       be, be);
#endif
#if IC_FULL
	printf("%s.ring|ring post+reap, non-coherent (%s)|same stores, loads and maintenance by hand|<=|1.10|ic_post_lib+ic_reap_lib|ic_post_hand+ic_reap_hand\n",
	       be, be);
	printf("%s.rx|map+sync+unmap RX 1536 B FROM_DEVICE (%s)|coh_flush + 2x coh_acquire|<=|1.15|ic_rx_lib|ic_rx_hand\n",
	       be, be);
	printf("%s.tx|map+unmap TX 1500 B TO_DEVICE (%s)|coh_release|<=|1.25|ic_tx_lib|ic_tx_hand\n",
	       be, be);
	printf("%s.pool|pool alloc+free (%s)|free list by hand|<=|2.00|ic_palloc_lib+ic_pfree_lib|ic_palloc_hand+ic_pfree_hand\n",
	       be, be);
#endif
}

static int setup(void)
{
	static unsigned char arena[1 << 20] __attribute__((aligned(4096)));
	void *mem = arena;
	uint64_t phys = (uintptr_t)arena;
	size_t size = sizeof(arena);

#if defined(IC_SIM)
	struct sim_config cfg;

	sim_config_default(&cfg);
	cfg.ram_size = 1 << 20;
	if (sim_init(&cfg) || sim_area(0, &mem, &phys, &size))
		return -1;
#elif IC_NC
	/*
	 * Valgrind cannot decode CLFLUSHOPT: count the CLFLUSH loop, which is
	 * the same loop with one prefix byte less (one instruction per line).
	 */
	(void)coh_cache_line_size();
	coh__x86_clflushopt = 0;
#endif
	coh_device_init(&cd, "ic-coherent", COH_DEV_COHERENT);
	cd.dma_mask = ~(uint64_t)0;
	if (coh_region_add(&reg, mem, phys, size, 0) ||
	    coh_alloc_shared(&hc, &cd, HAND_NDESC, 0))
		return -1;
	drv_cd.ring = coh_raw(&hc);
	drv_cd.dev = &cd;
#if IC_NC
	coh_device_init(&nc, "ic-nc", 0);
	nc.dma_mask = ~(uint64_t)0;
	if (coh_alloc_shared(&hn, &nc, HAND_NDESC, 0))
		return -1;
	drv_nc.ring = coh_raw(&hn);
	drv_nc.dev = &nc;
#endif
#if IC_FULL
	if (coh_ring_create(&ring, &nc, HAND_NDESC, struct hand_desc, ctrl, HAND_OWN, 0) ||
	    coh_stream_init(&snc, rnc, 8, 0) || coh_device_set_stream(&nc, &snc) ||
	    coh_pool_create(&pool, &nc, "ic", 2048, 64, 4096, 16) ||
	    hand_pool_init(&hpool, &nc, 2048, 16))
		return -1;
	/* the hand ring: its own lines, one descriptor per COH_MAX_LINE */
	drv_nc.slots = hand_ring_mem(&nc);
	if (!drv_nc.slots)
		return -1;
#endif
	return 0;
}

int main(int argc, char **argv)
{
	unsigned n;

	if (argc == 2 && !strcmp(argv[1], "--rows")) {
		rows();
		return 0;
	}
	if (argc != 2 || (n = (unsigned)strtoul(argv[1], NULL, 0)) == 0) {
		fprintf(stderr, "usage: icount --rows | icount N\n");
		return 2;
	}
	if (setup()) {
		fprintf(stderr, "icount: set-up failed\n");
		return 1;
	}
	for (unsigned i = 0; i < n; i++) {
		ic_write_cd_lib(i, i);
		ic_write_cd_hand(i, i);
		ic_read_cd_lib(i, i);
		ic_read_cd_hand(i, i);
#if IC_NC
		ic_write_nc_lib(i, i);
		ic_write_nc_hand(i, i);
		ic_read_nc_lib(i, i);
		ic_read_nc_hand(i, i);
#endif
#if IC_FULL
		uint32_t *own = (uint32_t *)(ring.mem.cpu_ +
					     coh_ring_next(&ring) % HAND_NDESC * ring.stride +
					     ring.own_off);

		ic_post_lib(i, i);
		device_done(own);
		ic_reap_lib(i, i);
		own = hand_own(&drv_nc, drv_nc.head);
		ic_post_hand(i, i);
		device_done(own);
		ic_reap_hand(i, i);
		ic_rx_lib(i, i);
		ic_rx_hand(i, i);
		ic_tx_lib(i, i);
		ic_tx_hand(i, i);
		ic_palloc_lib(i, i);
		ic_pfree_lib(i, i);
		ic_palloc_hand(i, i);
		ic_pfree_hand(i, i);
#endif
	}
#if defined(IC_SIM)
	sim_fini();
#endif
	return 0;
}
