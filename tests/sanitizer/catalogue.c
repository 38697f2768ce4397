/* SPDX-License-Identifier: MIT */
/*
 * tests/sanitizer/catalogue.c - small drivers for the simulated DMA
 * controller, each in a correct and a buggy version.  The correct one must
 * run with zero reports (and intact payloads) over every seed and line
 * size; the buggy one must be reported with its class within a bounded
 * number of consecutive seeds; in coherent-device mode no buggy driver may
 * produce a stale-data report.
 *
 *   catalogue <scenario> correct|buggy|buggy-coherent|correct-coherent
 *             [--seeds N] [--line L] [--seed S] [-v]
 *   catalogue --classes     every sanitizer class has a scenario (or fail)
 *
 * The drivers use only the public coherent/ API and the DMA controller's
 * registers; sim_* calls are set-up and checking only (and
 * sim_raw_invalidate, the careless hand-written invalidate).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coherent/coherent.h"
#include "sim.h"
#include "sim_dmac.h"

#define RAM_PHYS 0x40000000u
#define BUS_OFFSET 0x40000000u	/* bus = phys + 1 GiB: devices speak bus addresses */

struct env {
	struct coh_device dev;
	volatile uint8_t *regs;
	uint8_t *c, *u;		/* cached and uncached areas */
	size_t coff, uoff;	/* bump allocators */
	size_t line;
	int coherent;
	uint64_t seed;
	int payload_bad;	/* a correct driver got wrong data: a model bug */
	int refused;		/* the library's debug checker refused the bug first */
};

static struct env E;

static void *calloc_c(size_t n, size_t align)
{
	void *p;

	E.coff = (E.coff + align - 1) & ~(align - 1);
	p = E.c + E.coff;
	E.coff += n;
	return p;
}

static void *calloc_u(size_t n)
{
	void *p;

	E.uoff = (E.uoff + 127) & ~(size_t)127;
	p = E.u + E.uoff;
	E.uoff += n;
	return p;
}

static coh_bus_t bus(const void *p)
{
	return sim_virt_to_phys(p) + E.dev.bus_offset;
}

static void pattern(uint8_t *p, size_t n, unsigned salt)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(0x40 + ((i * 7 + salt + E.seed) % 191));
}

static void expect(const uint8_t *got, const uint8_t *want, size_t n)
{
	if (memcmp(got, want, n))
		E.payload_bad = 1;
}

static void w32(size_t off, uint32_t v)
{
	coh_mmio_write32(E.regs + off, v);
}

static uint32_t r32(size_t off)
{
	return coh_mmio_read32(E.regs + off);
}

/* single transfer, polled; 0, or -1 on a device error */
static int dma_copy(const void *src, void *dst, size_t len)
{
	uint32_t st = 0;

	w32(DMAC_SRC_LO, (uint32_t)bus(src));
	w32(DMAC_SRC_HI, (uint32_t)(bus(src) >> 32));
	w32(DMAC_DST_LO, (uint32_t)bus(dst));
	w32(DMAC_DST_HI, (uint32_t)(bus(dst) >> 32));
	w32(DMAC_LEN, (uint32_t)len);
	w32(DMAC_CTRL, DMAC_CTRL_START);
	for (int i = 0; i < 10000 && !((st = r32(DMAC_STATUS)) & DMAC_ST_DONE); i++)
		;
	w32(DMAC_STATUS, DMAC_ST_DONE | DMAC_ST_ERR);
	return (st & DMAC_ST_ERR) ? -1 : 0;
}

static void dma_start(const void *src, void *dst, size_t len)
{
	w32(DMAC_SRC_LO, (uint32_t)bus(src));
	w32(DMAC_SRC_HI, (uint32_t)(bus(src) >> 32));
	w32(DMAC_DST_LO, (uint32_t)bus(dst));
	w32(DMAC_DST_HI, (uint32_t)(bus(dst) >> 32));
	w32(DMAC_LEN, (uint32_t)len);
	w32(DMAC_CTRL, DMAC_CTRL_START);
}

static void dma_wait(void)
{
	for (int i = 0; i < 10000 && !(r32(DMAC_STATUS) & DMAC_ST_DONE); i++)
		;
	w32(DMAC_STATUS, DMAC_ST_DONE | DMAC_ST_ERR);
}

/* ------------------------------------------------------------- drivers */

/* (a) transmit: the CPU fills a buffer, the device reads it. */
static void sc_forgot_clean(int bug)
{
	size_t n = 700;
	uint8_t *src = calloc_c(n, 128), *dst = calloc_u(n), want[700];

	sim_name(src, n, "tx");
	pattern(want, n, 1);
	memcpy(src, want, n);
	if (!bug)
		coh_give(&E.dev, src, n, COH_TO_DEVICE);
	dma_copy(src, dst, n);
	if (!bug) {
		coh_take(&E.dev, src, n, COH_TO_DEVICE);
		expect(dst, want, n);
	}
}

/* (b) receive: no acquire after completion (only a clean before). */
static void sc_no_acquire(int bug)
{
	size_t n = 600;
	uint8_t *src = calloc_u(n), *dst = calloc_c(n, 128);

	sim_name(dst, n, "rx");
	pattern(src, n, 2);
	if (bug)
		coh_release(&E.dev, dst, n);	/* "did maintenance": wrong kind */
	else
		coh_give(&E.dev, dst, n, COH_FROM_DEVICE);
	dma_copy(src, dst, n);
	if (!bug)
		coh_take(&E.dev, dst, n, COH_FROM_DEVICE);
	coh_consume(&E.dev, dst, n);
	if (!bug)
		expect(dst, src, n);
}

/* (c) a CPU counter shares the first line of an unaligned rx buffer. */
static void sc_partial_inval(int bug)
{
	size_t n = 2 * E.line + 20;
	uint8_t *blk = calloc_c(4 * E.line, 128), *src = calloc_u(n);
	volatile uint32_t *counter = (volatile uint32_t *)(void *)blk;
	uint8_t *rx = blk + 8;

	sim_name(blk, 8, "counter");
	sim_name(rx, n, "rx");
	pattern(src, n, 3);
	*counter += 1;
	if (bug && !E.coherent)
		sim_raw_invalidate(rx, n);	/* drops the counter update too */
	else if (!bug)
		coh_give(&E.dev, rx, n, COH_FROM_DEVICE);
	dma_copy(src, rx, n);
	if (bug && !E.coherent)
		sim_raw_invalidate(rx, n);
	else if (!bug)
		coh_take(&E.dev, rx, n, COH_FROM_DEVICE);
	coh_consume(&E.dev, rx, n);
	*counter += 1;
	if (!bug) {
		expect(rx, src, n);
		if (*counter != 2)
			E.payload_bad = 1;
	}
}

/* (d) the CPU clears an rx buffer and hands it over without a clean. */
static void sc_evict_over(int bug)
{
	size_t n = 1024;
	uint8_t *src = calloc_u(n), *dst = calloc_c(n, 128);

	sim_name(dst, n, "rx");
	pattern(src, n, 4);
	memset(dst, 0xee, n);
	if (!bug)
		coh_give(&E.dev, dst, n, COH_FROM_DEVICE);
	dma_copy(src, dst, n);
	if (bug)
		coh_acquire(&E.dev, dst, n);
	else
		coh_take(&E.dev, dst, n, COH_FROM_DEVICE);
	coh_consume(&E.dev, dst, n);
	if (!bug)
		expect(dst, src, n);
}

/* (e) the CPU writes a buffer it has given to the device. */
static void sc_write_owned(int bug)
{
	size_t n = 512;
	uint8_t *src = calloc_u(n), *dst = calloc_c(n, 128);

	sim_name(dst, n, "rx");
	pattern(src, n, 5);
	if (!bug)
		dst[0] = 0x5a; /* mark the buffer while the CPU owns it */
	coh_give(&E.dev, dst, n, COH_FROM_DEVICE);
	dma_start(src, dst, n);
	if (bug)
		dst[0] = 0x5a; /* ... after the hand-over */
	dma_wait();
	coh_take(&E.dev, dst, n, COH_FROM_DEVICE);
	coh_consume(&E.dev, dst, n);
	if (!bug)
		expect(dst, src, n);
}

/* (f) invalidate before the DMA only, nothing after. */
static void sc_inval_before_only(int bug)
{
	size_t n = 1024;
	uint8_t *src = calloc_u(n), *dst = calloc_c(n, 128);

	sim_name(dst, n, "rx");
	pattern(src, n, 6);
	coh_give(&E.dev, dst, n, COH_FROM_DEVICE);
	dma_copy(src, dst, n);
	if (!bug)
		coh_take(&E.dev, dst, n, COH_FROM_DEVICE);
	coh_consume(&E.dev, dst, n);
	if (!bug)
		expect(dst, src, n);
}

/* ring helpers: ring base, stride, n descriptors */
static void ring_setup(void *ring, uint32_t stride, uint32_t n)
{
	w32(DMAC_RING_LO, (uint32_t)bus(ring));
	w32(DMAC_RING_HI, (uint32_t)(bus(ring) >> 32));
	w32(DMAC_DESC_STRIDE, stride);
	w32(DMAC_RING_SIZE, n);
	w32(DMAC_CTRL, DMAC_CTRL_RING_EN);
}

/*
 * Descriptor ring in cached memory, one descriptor per line: the driver
 * releases each descriptor before the doorbell and acquires it to poll.
 * Bug: no release of the descriptor.
 */
static void sc_ring_cached(int bug)
{
	enum { ND = 4, SZ = 300 };
	uint32_t stride = (uint32_t)(E.line > 32 ? E.line : 32);
	uint8_t *ring = calloc_c(ND * stride, 128);
	uint8_t *src[ND], *dst[ND];

	sim_name(ring, ND * stride, "ring");
	for (int k = 0; k < ND; k++) {
		src[k] = calloc_c(SZ, 128);
		dst[k] = calloc_c(SZ, 128);
		pattern(src[k], SZ, 10u + (unsigned)k);
	}
	ring_setup(ring, stride, ND);
	for (uint32_t k = 0; k < ND - 1; k++) {
		struct dmac_desc *d = (struct dmac_desc *)(void *)(ring + k * stride);

		coh_give(&E.dev, src[k], SZ, COH_TO_DEVICE);
		coh_give(&E.dev, dst[k], SZ, COH_FROM_DEVICE);
		d->src = bus(src[k]);
		d->dst = bus(dst[k]);
		d->cookie = k;
		d->ctrl = DMAC_DESC_OWN | SZ;
		if (!bug)
			coh_release(&E.dev, d, sizeof(*d));
	}
	w32(DMAC_RING_TAIL, ND - 1);
	for (uint32_t k = 0; k < ND - 1; k++) {
		struct dmac_desc *d = (struct dmac_desc *)(void *)(ring + k * stride);
		int i;

		for (i = 0; i < 10000; i++) {
			(void)r32(DMAC_STATUS);
			coh_acquire(&E.dev, d, sizeof(*d));
			if (!(d->ctrl & DMAC_DESC_OWN))
				break;
		}
		if (i == 10000)
			return; /* the device never saw the descriptor */
		coh_take(&E.dev, src[k], SZ, COH_TO_DEVICE);
		coh_take(&E.dev, dst[k], SZ, COH_FROM_DEVICE);
		coh_consume(&E.dev, dst[k], SZ);
		if (!bug)
			expect(dst[k], src[k], SZ);
	}
}

/*
 * Descriptor ring in uncached memory (no maintenance for descriptors,
 * coh_dma_wmb before OWN); cached buffers.  Bug: the transmit buffer is
 * not given (never cleaned).
 */
static void sc_ring_uncached(int bug)
{
	enum { ND = 8, SZ = 200 };
	struct dmac_desc *ring = calloc_u(ND * sizeof(*ring));
	uint8_t *src[ND], *dst[ND];

	for (int k = 0; k < ND; k++) {
		src[k] = calloc_c(SZ, 128);
		dst[k] = calloc_c(SZ, 128);
		pattern(src[k], SZ, 20u + (unsigned)k);
	}
	sim_name(src[0], SZ, "tx[0]");
	ring_setup(ring, sizeof(*ring), ND);
	for (uint32_t k = 0; k < ND - 1; k++) {
		if (!bug || k)
			coh_give(&E.dev, src[k], SZ, COH_TO_DEVICE);
		coh_give(&E.dev, dst[k], SZ, COH_FROM_DEVICE);
		ring[k].src = bus(src[k]);
		ring[k].dst = bus(dst[k]);
		coh_dma_wmb(); /* addresses before OWN */
		ring[k].ctrl = DMAC_DESC_OWN | SZ;
	}
	w32(DMAC_RING_TAIL, ND - 1);
	for (uint32_t k = 0; k < ND - 1; k++) {
		int i;

		for (i = 0; i < 10000 && (ring[k].ctrl & DMAC_DESC_OWN); i++)
			(void)r32(DMAC_STATUS);
		coh_dma_rmb(); /* OWN before the data */
		if (!bug || k)
			coh_take(&E.dev, src[k], SZ, COH_TO_DEVICE);
		coh_take(&E.dev, dst[k], SZ, COH_FROM_DEVICE);
		coh_consume(&E.dev, dst[k], SZ);
		if (!bug)
			expect(dst[k], src[k], SZ);
	}
}

/* A descriptor with a bus address outside RAM: error status, no crash. */
static void sc_bad_bus(int bug)
{
	size_t n = 256;
	uint8_t *src = calloc_u(n), *dst = calloc_c(n, 128);
	int rc;

	pattern(src, n, 7);
	coh_give(&E.dev, dst, n, COH_FROM_DEVICE);
	w32(DMAC_SRC_LO, (uint32_t)bus(src));
	w32(DMAC_SRC_HI, 0);
	w32(DMAC_DST_LO, bug ? 0xfff00000u : (uint32_t)bus(dst));
	w32(DMAC_DST_HI, 0);
	w32(DMAC_LEN, (uint32_t)n);
	w32(DMAC_CTRL, DMAC_CTRL_START);
	dma_wait();
	rc = (int)r32(DMAC_ERR_COUNT);
	coh_take(&E.dev, dst, n, COH_FROM_DEVICE);
	if (bug != rc)
		E.payload_bad = 1;
	if (!bug)
		expect(dst, src, n);
}

/*
 * A CPU variable shares a line with a DMA buffer and is written during the
 * transfer.  Correct: the buffer is TO_DEVICE (the device only reads it).
 * Bug: the buffer is FROM_DEVICE: the dirty line is written back over it.
 */
static void sc_shared_neighbour(int bug)
{
	size_t n = 3 * E.line;
	uint8_t *blk = calloc_c(5 * E.line, 128);
	uint8_t *other = calloc_u(n), want[3 * 128];
	volatile uint32_t *var = (volatile uint32_t *)(void *)(blk + E.line - 8);
	uint8_t *buf = blk + E.line;	/* var is in the line before... */

	buf -= 4;			/* ...and the buffer starts inside it */
	sim_name(buf, n, "buf");
	sim_name((void *)(uintptr_t)var, 4, "var");
	if (!bug) {
		pattern(buf, n, 8);
		memcpy(want, buf, n);
		coh_give(&E.dev, buf, n, COH_TO_DEVICE);
		dma_start(buf, other, n);
		*var += 1;
		dma_wait();
		coh_take(&E.dev, buf, n, COH_TO_DEVICE);
		expect(other, want, n);
	} else {
		pattern(other, n, 8);
		coh_give(&E.dev, buf, n, COH_FROM_DEVICE);
		*var += 1;
		dma_start(other, buf, n);
		dma_wait();
		coh_take(&E.dev, buf, n, COH_FROM_DEVICE);
		coh_consume(&E.dev, buf, n);
	}
}

/*
 * (g) A shared allocation holds a receive area; the driver frees it while
 * the device still owns the area (no coh_take).  A debug build of the
 * library refuses (-COH_EBUSY, the checker in src/mem.c) before the
 * simulator sees a free; with the checker compiled out (COH_DEBUG=0, the
 * san_catalogue_ndebug build) the free goes through and the simulator's
 * own ownership bits catch it.
 */
static void sc_free_owned(int bug)
{
	enum { N = 512, AREA = 16 << 10 };
	struct coh_region reg;
	COH_SHARED(uint8_t) h;
	uint8_t *src = calloc_u(N), *area = calloc_c(AREA, 4096), *rx;
	int rc;

	if (coh_region_add(&reg, area, sim_virt_to_phys(area), AREA, 0) ||
	    coh_alloc_shared(&h, &E.dev, 2 * N, 0)) {
		E.payload_bad = 1;
		return;
	}
	rx = (uint8_t *)coh_raw(&h) + N;
	sim_name(rx, N, "rx");
	pattern(src, N, 9);
	coh_give(&E.dev, rx, N, COH_FROM_DEVICE);
	dma_copy(src, rx, N);
	if (!bug) {
		coh_take(&E.dev, rx, N, COH_FROM_DEVICE);
		coh_consume(&E.dev, rx, N);
		expect(rx, src, N);
	}
	rc = coh_free(&h);
	if (rc == -COH_EBUSY && bug) {
		E.refused = 1;
		coh_take(&E.dev, rx, N, COH_FROM_DEVICE);
		rc = coh_free(&h);
	}
	if (rc || coh_region_remove(&reg))
		E.payload_bad = 1;
}

/* (h) and (i): an uncached ring written and read through the typed accessors */
enum { UND = 8, USZ = 256, UAREA = 8192 };
COH_DECLARE_SHARED(typed_ring, struct dmac_desc);

/*
 * Region, ring, controller programmed with ctrl, and UND-1 buffer pairs
 * given to the device (sources filled from seed).  0, or -1 and payload_bad.
 */
static int typed_ring_open(struct coh_region *reg, struct typed_ring *h,
			   uint32_t ctrl, uint8_t **src, uint8_t **dst,
			   unsigned int seed)
{
	uint8_t *area = calloc_u(UAREA);

	if (coh_region_add(reg, area, sim_virt_to_phys(area), UAREA, COH_REGION_UNCACHED) ||
	    coh_alloc_shared(h, &E.dev, UND, COH_ATTR_UNCACHED)) {
		E.payload_bad = 1;
		return -1;
	}
	sim_name(coh_raw(h), UND * sizeof(struct dmac_desc), "ring");
	w32(DMAC_RING_LO, (uint32_t)coh_bus(h));
	w32(DMAC_RING_HI, (uint32_t)(coh_bus(h) >> 32));
	w32(DMAC_DESC_STRIDE, sizeof(struct dmac_desc));
	w32(DMAC_RING_SIZE, UND);
	w32(DMAC_CTRL, ctrl);
	for (int k = 0; k < UND - 1; k++) {
		src[k] = calloc_c(USZ, 128);
		dst[k] = calloc_c(USZ, 128);
		pattern(src[k], USZ, seed + (unsigned)k);
		coh_give(&E.dev, src[k], USZ, COH_TO_DEVICE);
		coh_give(&E.dev, dst[k], USZ, COH_FROM_DEVICE);
	}
	return 0;
}

static void typed_ring_close(struct coh_region *reg, struct typed_ring *h)
{
	w32(DMAC_CTRL, 0);
	if (coh_free(h) || coh_region_remove(reg))
		E.payload_bad = 1;
}

/* descriptor k: fields, (barrier), OWN */
static void typed_ring_post(struct typed_ring *h, int k, uint8_t *src,
			    uint8_t *dst, bool wmb)
{
	coh_write(h, [k].src, bus(src));
	coh_write(h, [k].dst, bus(dst));
	coh_write(h, [k].cookie, (uint64_t)k);
	if (wmb)
		coh_dma_wmb(); /* the fields before OWN */
	coh_write(h, [k].ctrl, DMAC_DESC_OWN | USZ);
}

/*
 * (h) For a controller that polls OWN (no doorbell), the fields must be
 * ordered before OWN with coh_dma_wmb().  Bug: no barrier, so the
 * controller can see OWN and act on fields it does not see yet.
 */
static void sc_unordered(int bug)
{
	struct coh_region reg;
	struct typed_ring h;
	uint8_t *src[UND], *dst[UND];

	if (typed_ring_open(&reg, &h, DMAC_CTRL_RING_EN | DMAC_CTRL_POLL, src, dst, 30))
		return;
	/* the controller is polling slot 0 already: post back to back */
	for (int k = 0; k < UND - 1; k++)
		typed_ring_post(&h, k, src[k], dst[k], !bug);
	for (int k = 0; k < UND - 1; k++) {
		int i;

		for (i = 0; i < 10000 && (coh_read(&h, [k].ctrl) & DMAC_DESC_OWN); i++)
			(void)r32(DMAC_STATUS);
		coh_dma_rmb(); /* OWN before the data */
		coh_take(&E.dev, src[k], USZ, COH_TO_DEVICE);
		coh_take(&E.dev, dst[k], USZ, COH_FROM_DEVICE);
		coh_consume(&E.dev, dst[k], USZ);
		if (!bug)
			expect(dst[k], src[k], USZ);
	}
	typed_ring_close(&reg, &h);
}

/*
 * (i) Reaping: the driver waits for OWN to clear (a relaxed register read
 * between polls, which orders nothing), then reads the status the device
 * wrote before clearing OWN.  A coh_dma_rmb() must separate the two reads.
 * Bug: no barrier, so the status load may have been satisfied before the
 * device wrote it, although OWN was seen cleared.
 */
static void sc_unordered_loads(int bug)
{
	struct coh_region reg;
	struct typed_ring h;
	uint8_t *src[UND], *dst[UND];

	if (typed_ring_open(&reg, &h, DMAC_CTRL_RING_EN, src, dst, 40))
		return;
	for (int k = 0; k < UND - 1; k++)
		typed_ring_post(&h, k, src[k], dst[k], true);
	w32(DMAC_RING_TAIL, UND - 1);
	for (int k = 0; k < UND - 1; k++) {
		uint32_t moved;
		int i;

		for (i = 0; i < 10000 && (coh_read(&h, [k].ctrl) & DMAC_DESC_OWN); i++)
			(void)coh_mmio_read32_relaxed(E.regs + DMAC_DONE_COUNT);
		if (!bug)
			coh_dma_rmb(); /* OWN before the status written before it */
		moved = coh_read(&h, [k].status);
		coh_take(&E.dev, src[k], USZ, COH_TO_DEVICE);
		coh_take(&E.dev, dst[k], USZ, COH_FROM_DEVICE);
		coh_consume(&E.dev, dst[k], USZ);
		if (!bug) {
			if (moved != USZ)
				E.payload_bad = 1;
			expect(dst[k], src[k], USZ);
		}
	}
	typed_ring_close(&reg, &h);
}

/* -------------------------------------------------------------- runner */

struct scenario {
	const char *name;
	void (*fn)(int bug);
	int cls;		/* class the buggy version must raise */
	int bound;		/* caught at least once in every window of this many seeds */
};

static const struct scenario scenarios[] = {
	{ "forgot_clean", sc_forgot_clean, SIM_STALE_DEVICE_READ, 4 },
	{ "no_acquire", sc_no_acquire, SIM_STALE_CPU_READ, 1 },
	{ "partial_inval", sc_partial_inval, SIM_PARTIAL_LINE_LOSS, 1 },
	{ "evict_over", sc_evict_over, SIM_EVICT_OVER_DEVICE, 20 },
	{ "write_owned", sc_write_owned, SIM_CPU_WRITE_DEVICE_OWNED, 1 },
	{ "inval_before_only", sc_inval_before_only, SIM_SPECULATIVE_STALE, 10 },
	{ "ring_cached", sc_ring_cached, SIM_STALE_DEVICE_READ, 4 },
	{ "ring_uncached", sc_ring_uncached, SIM_STALE_DEVICE_READ, 4 },
	{ "bad_bus", sc_bad_bus, SIM_BAD_BUS_ADDRESS, 1 },
	{ "shared_neighbour", sc_shared_neighbour, SIM_EVICT_OVER_DEVICE, 16 },
	{ "free_owned", sc_free_owned, SIM_FREE_DEVICE_OWNED, 1 },
	{ "unordered", sc_unordered, SIM_UNORDERED_STORES, 8 },
	{ "unordered_loads", sc_unordered_loads, SIM_UNORDERED_LOADS, 4 },
};

static struct sim_report first;
static int have_first;

static void hook(const struct sim_report *r, void *ctx)
{
	(void)ctx;
	if (!have_first) {
		first = *r;
		have_first = 1;
	}
}

static int verbose;

/* run one scenario once; returns the report counts in cnt[] */
static int run(const struct scenario *sc, int bug, size_t line, uint64_t seed,
	       int coherent, unsigned long cnt[SIM_NCLASSES], int *refused)
{
	struct sim_config cfg;
	void *c, *u;

	sim_config_default(&cfg);
	cfg.ram_size = 64 << 10;
	cfg.uncached_size = 16 << 10;
	cfg.ram_phys = RAM_PHYS;
	cfg.line = line;
	cfg.seed = seed;
	cfg.evict_permille = 200;
	cfg.refill_permille = 100;
	if (sim_init(&cfg)) {
		printf("sim_init failed\n");
		return -1;
	}
	have_first = 0;
	if (!verbose)
		sim_set_report_hook(hook, NULL);
	memset(&E, 0, sizeof(E));
	coh_device_init(&E.dev, "dmac", coherent ? COH_DEV_COHERENT : 0);
	E.dev.bus_offset = BUS_OFFSET;
	E.regs = sim_dmac_create(&E.dev);
	sim_area(0, &c, NULL, NULL);
	sim_area(1, &u, NULL, NULL);
	E.c = c;
	E.u = u;
	E.coff = 128; /* a little CPU data first */
	E.line = line;
	E.coherent = coherent;
	E.seed = seed;
	sc->fn(bug);
	sim_quiesce();
	for (int k = 0; k < SIM_NCLASSES; k++)
		cnt[k] = sim_reports(k);
	*refused = E.refused;
	sim_fini();
	return E.payload_bad;
}

static int stale_class(int k)
{
	return k == SIM_STALE_DEVICE_READ || k == SIM_STALE_CPU_READ ||
	       k == SIM_PARTIAL_LINE_LOSS || k == SIM_EVICT_OVER_DEVICE ||
	       k == SIM_SPECULATIVE_STALE;
}

int main(int argc, char **argv)
{
	const struct scenario *sc = NULL;
	const char *mode;
	unsigned long seeds = 1000, seed0 = 1, cnt[SIM_NCLASSES];
	size_t lines[3] = { 32, 64, 128 }, nl = 3;
	int fails = 0, coherent, bug;

	if (argc == 2 && !strcmp(argv[1], "--classes")) {
		/* every class the simulator can raise has a buggy driver here */
		for (int k = 0; k < SIM_NCLASSES; k++) {
			const char *who = NULL;

			for (size_t j = 0; j < sizeof(scenarios) / sizeof(scenarios[0]); j++)
				if (scenarios[j].cls == k && !who)
					who = scenarios[j].name;
			printf("%-24s %s\n", sim_class_name(k), who ? who : "MISSING");
			fails += !who;
		}
		return fails ? 1 : 0;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: %s <scenario> correct|buggy|correct-coherent|buggy-coherent [--seeds N] [--seed S] [--line L] [-v]\n", argv[0]);
		return 2;
	}
	for (size_t k = 0; k < sizeof(scenarios) / sizeof(scenarios[0]); k++)
		if (!strcmp(argv[1], scenarios[k].name))
			sc = &scenarios[k];
	if (!sc) {
		fprintf(stderr, "unknown scenario %s\n", argv[1]);
		return 2;
	}
	mode = argv[2];
	bug = !strncmp(mode, "buggy", 5);
	coherent = strstr(mode, "coherent") != NULL;
	for (int k = 3; k < argc; k++) {
		if (!strcmp(argv[k], "--seeds") && k + 1 < argc)
			seeds = strtoul(argv[++k], NULL, 0);
		else if (!strcmp(argv[k], "--seed") && k + 1 < argc)
			seed0 = strtoul(argv[++k], NULL, 0), seeds = 1;
		else if (!strcmp(argv[k], "--line") && k + 1 < argc)
			lines[0] = strtoul(argv[++k], NULL, 0), nl = 1;
		else if (!strcmp(argv[k], "-v"))
			verbose = 1;
	}
	for (size_t li = 0; li < nl; li++) {
		unsigned long caught = 0, gap = 0, worst_gap = 0, refusals = 0;

		for (unsigned long s = seed0; s < seed0 + seeds; s++) {
			int refused = 0;
			int bad = run(sc, bug, lines[li], s, coherent, cnt, &refused);
			unsigned long total = 0, stale = 0;

			for (int k = 0; k < SIM_NCLASSES; k++) {
				total += cnt[k];
				if (stale_class(k))
					stale += cnt[k];
			}
			if (!bug && (bad || total)) {
				printf("FAIL %s %s line=%zu seed=%lu: %s, %lu report(s)\n",
				       sc->name, mode, lines[li], s,
				       bad ? "payload corrupted" : "payload ok", total);
				if (have_first)
					sim_print_report(&first, stdout);
				if (++fails > 5)
					return 1;
			} else if (bug && coherent && stale) {
				printf("FAIL %s %s line=%zu seed=%lu: false stale-data report on a coherent device\n",
				       sc->name, mode, lines[li], s);
				if (have_first)
					sim_print_report(&first, stdout);
				if (++fails > 5)
					return 1;
			} else if (bug && !coherent) {
				refusals += (unsigned long)refused;
				caught += cnt[sc->cls] != 0;
				if (cnt[sc->cls] || refused) {
					gap = 0;
				} else if (++gap > worst_gap) {
					worst_gap = gap;
				}
			}
		}
		if (bug && !coherent) {
			printf("%s: %s caught in %lu/%lu seeds at line %zu, longest miss run %lu (bound %d)\n",
			       sc->name, sim_class_name(sc->cls), caught, seeds,
			       lines[li], worst_gap, sc->bound);
			if (refusals)
				printf("%s: refused by the library's debug checker (-COH_EBUSY) in %lu/%lu seeds, before the simulator saw a free\n",
				       sc->name, refusals, seeds);
			if (!(caught + refusals) || worst_gap >= (unsigned long)sc->bound) {
				printf("FAIL %s: not caught within %d seeds\n",
				       sc->name, sc->bound);
				fails++;
			}
		}
	}
	if (!fails && !(bug && !coherent))
		printf("%s %s: %lu seeds x %zu line sizes, 0 false reports\n",
		       sc->name, mode, seeds, nl);
	return fails ? 1 : 0;
}
