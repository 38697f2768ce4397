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
 * Built with coh_sim_instrument(): every load and store below is observed
 * by the simulator (scenarios j..u need it; the others are caught without).
 *
 * The drivers use only the public coherent/ API and the DMA controller's
 * registers; sim_* calls are set-up and checking only (and
 * sim_raw_invalidate, the careless hand-written invalidate).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coherent/coherent.h"
#include "coherent/stream.h"
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
	int load_line;		/* the source line of the load a report must name */
	int hung;		/* a poll never ended */
	volatile uint8_t *after_fini;	/* touched once the simulator is gone */
	struct coh_stream st;
	struct coh_map_rec recs[16];
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

/*
 * (d) the CPU clears an rx buffer and hands it over without a clean; with
 * fill 0 (scenario k) the clearing changes no value: only an observed store
 * dirties the lines.
 */
static void evict_over(int bug, int fill, unsigned int salt)
{
	size_t n = 1024;
	uint8_t *src = calloc_u(n), *dst = calloc_c(n, 128);

	sim_name(dst, n, "rx");
	pattern(src, n, salt);
	memset(dst, fill, n);
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

static void sc_evict_over(int bug)
{
	evict_over(bug, 0xee, 4);
}

/*
 * (e) the CPU writes a buffer it has given to the device: a plain store,
 * or (rmw) a read-modify-write, the way a driver sets a flag in a word it
 * handed over (`desc->status |= OWN` after the give).  The rmw report must
 * name that line, when the store happens - not later at the take, where
 * the changed value would show without a site.  GCC's address
 * instrumentation checks `x |= v` once, as a load; the GCC build therefore
 * uses its thread instrumentation (cmake/sim_instrument.cmake).
 */
static void mark(uint8_t *dst, int rmw)
{
	if (rmw) {
		E.load_line = __LINE__ + 1;
		*(volatile uint32_t *)(void *)dst |= 0x80000000u;
	} else {
		dst[0] = 0x5a;
	}
}

static void write_owned(int bug, int rmw)
{
	size_t n = 512;
	uint8_t *src = calloc_u(n), *dst = calloc_c(n, 128);

	sim_name(dst, n, "rx");
	pattern(src, n, 5);
	if (!bug)
		mark(dst, rmw);	/* while the CPU owns the buffer */
	coh_give(&E.dev, dst, n, COH_FROM_DEVICE);
	dma_start(src, dst, n);
	if (bug)
		mark(dst, rmw);	/* ... after the hand-over */
	dma_wait();
	coh_take(&E.dev, dst, n, COH_FROM_DEVICE);
	coh_consume(&E.dev, dst, n);
	if (!bug)
		expect(dst, src, n);
}

static void sc_write_owned(int bug)
{
	write_owned(bug, 0);
}

static void sc_rmw_owned(int bug)
{
	write_owned(bug, 1);
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

/* ------------------------------------------ seen only by the access observer */

/* a descriptor ring of nd slots in cached memory, one slot per line */
static uint8_t *cached_ring(uint32_t nd, uint32_t *stride)
{
	uint8_t *ring;

	*stride = (uint32_t)(E.line > 32 ? E.line : 32);
	ring = calloc_c(nd * *stride, 128);
	sim_name(ring, nd * *stride, "ring");
	ring_setup(ring, *stride, nd);
	return ring;
}

/*
 * (j) A descriptor in cached memory polled through a plain pointer.  Each
 * poll needs an acquire.  Bug: none, so the CPU keeps reading its cached
 * copy (OWN still set) while the device has written the descriptor back:
 * reported at the load, with this file's line; the line is then evicted
 * and the poll ends instead of spinning.
 */
static void sc_stale_poll(int bug)
{
	enum { SZ = 256 };
	uint32_t stride;
	uint8_t *ring = cached_ring(2, &stride);
	uint8_t *src = calloc_c(SZ, 128), *dst = calloc_c(SZ, 128);
	struct dmac_desc *d = (struct dmac_desc *)(void *)ring;
	uint32_t own = DMAC_DESC_OWN;
	int i;

	pattern(src, SZ, 50);
	coh_give(&E.dev, src, SZ, COH_TO_DEVICE);
	coh_give(&E.dev, dst, SZ, COH_FROM_DEVICE);
	d->src = bus(src);
	d->dst = bus(dst);
	d->ctrl = DMAC_DESC_OWN | SZ;
	coh_release(&E.dev, d, sizeof(*d));
	w32(DMAC_RING_TAIL, 1);
	for (i = 0; i < 10000 && own; i++) {
		(void)r32(DMAC_STATUS);
		if (!bug)
			coh_acquire(&E.dev, d, sizeof(*d));
		E.load_line = __LINE__ + 1;
		own = d->ctrl & DMAC_DESC_OWN;
	}
	if (own) {
		E.hung = 1;	/* the model must end a stale poll */
		return;
	}
	coh_take(&E.dev, src, SZ, COH_TO_DEVICE);
	coh_take(&E.dev, dst, SZ, COH_FROM_DEVICE);
	coh_consume(&E.dev, dst, SZ);
	if (!bug)
		expect(dst, src, SZ);
}

/*
 * (k) The CPU zeroes a receive buffer the allocator had zeroed already
 * (the values do not change, the lines are dirty all the same).  Bug: no
 * give, an acquire after the DMA only: an eviction writes the zeros back
 * over the received data.
 */
static void sc_zero_evict(int bug)
{
	evict_over(bug, 0, 51);
}

/*
 * (l) The driver peeks at a receive buffer to see whether data arrived.
 * Bug: before coh_take, while the device owns it.
 */
static void sc_read_owned(int bug)
{
	size_t n = 512;
	uint8_t *src = calloc_u(n), *dst = calloc_c(n, 128);
	volatile uint8_t first = 0;

	sim_name(dst, n, "rx");
	pattern(src, n, 52);
	coh_give(&E.dev, dst, n, COH_FROM_DEVICE);
	dma_start(src, dst, n);
	dma_wait();
	if (bug)
		first = dst[0];
	coh_take(&E.dev, dst, n, COH_FROM_DEVICE);
	if (!bug)
		first = dst[0];
	coh_consume(&E.dev, dst, n);
	if (!bug && (first != src[0] || memcmp(dst, src, n)))
		E.payload_bad = 1;
}

/*
 * (m) A CPU flag shares the last line of a receive area the driver
 * maintains with release/acquire.  Bug: the flag is set after the DMA but
 * before the acquire: the store goes into the cached line whose RAM copy
 * the device has written since, so its write-back undoes them.
 */
static void sc_stale_line_store(int bug)
{
	size_t n = 2 * E.line - 8;
	uint8_t *rx = calloc_c(4 * E.line, 128), *src = calloc_u(n);
	volatile uint32_t *busy = (volatile uint32_t *)(void *)(rx + n + 4);

	sim_name(rx, n, "rx");
	sim_name(rx + n + 4, 4, "busy");
	pattern(src, n, 53);
	coh_release(&E.dev, rx, n);	/* nothing of the CPU's left in the lines */
	dma_copy(src, rx, n);
	if (!bug)
		coh_acquire(&E.dev, rx, n);
	*busy = 1;
	if (bug)
		coh_acquire(&E.dev, rx, n);
	coh_consume(&E.dev, rx, n);
	if (!bug) {
		expect(rx, src, n);
		if (*busy != 1)
			E.payload_bad = 1;
	}
}

/*
 * A ring of plain struct dmac_desc in uncached memory (the controller
 * programmed with ctrl) and UND-1 buffer pairs given; plain C posting.
 */
static struct dmac_desc *plain_ring(uint32_t ctrl, uint8_t **src, uint8_t **dst,
				    unsigned int seed)
{
	struct dmac_desc *ring = calloc_u(UND * sizeof(*ring));

	sim_name(ring, UND * sizeof(*ring), "ring");
	w32(DMAC_RING_LO, (uint32_t)bus(ring));
	w32(DMAC_RING_HI, (uint32_t)(bus(ring) >> 32));
	w32(DMAC_DESC_STRIDE, sizeof(*ring));
	w32(DMAC_RING_SIZE, UND);
	w32(DMAC_CTRL, ctrl);
	for (int k = 0; k < UND - 1; k++) {
		src[k] = calloc_c(USZ, 128);
		dst[k] = calloc_c(USZ, 128);
		pattern(src[k], USZ, seed + (unsigned)k);
		coh_give(&E.dev, src[k], USZ, COH_TO_DEVICE);
		coh_give(&E.dev, dst[k], USZ, COH_FROM_DEVICE);
	}
	return ring;
}

/* wait for slot k, take its buffers, check them (correct drivers) */
static void plain_reap(struct dmac_desc *ring, int k, uint8_t **src, uint8_t **dst,
		       int bug, int polls)
{
	int i;

	for (i = 0; i < polls && (ring[k].ctrl & DMAC_DESC_OWN); i++)
		(void)r32(DMAC_STATUS);
	coh_dma_rmb(); /* OWN before the data */
	coh_take(&E.dev, src[k], USZ, COH_TO_DEVICE);
	coh_take(&E.dev, dst[k], USZ, COH_FROM_DEVICE);
	coh_consume(&E.dev, dst[k], USZ);
	if (!bug)
		expect(dst[k], src[k], USZ);
}

/*
 * (n) A polling controller and descriptors written with plain C stores in
 * uncached memory.  Correct: addresses, coh_dma_wmb(), OWN.  Bug: OWN
 * first in program order (with a barrier after it, which orders nothing
 * useful): the device may act on OWN before the addresses reach it.
 */
static void sc_plain_own_first(int bug)
{
	uint8_t *src[UND], *dst[UND];
	struct dmac_desc *ring = plain_ring(DMAC_CTRL_RING_EN | DMAC_CTRL_POLL, src, dst, 54);

	for (int k = 0; k < UND - 1; k++) {
		if (bug) {
			ring[k].ctrl = DMAC_DESC_OWN | USZ;
			coh_dma_wmb();
			ring[k].src = bus(src[k]);
			ring[k].dst = bus(dst[k]);
		} else {
			ring[k].src = bus(src[k]);
			ring[k].dst = bus(dst[k]);
			coh_dma_wmb(); /* the addresses before OWN */
			ring[k].ctrl = DMAC_DESC_OWN | USZ;
		}
	}
	for (int k = 0; k < UND - 1; k++)
		plain_reap(ring, k, src, dst, bug, 10000);
	w32(DMAC_CTRL, 0);
}

/*
 * (n') The same, OWN last but no barrier at all: the device may see OWN
 * before the addresses stored just before it.
 */
static void sc_plain_no_wmb(int bug)
{
	uint8_t *src[UND], *dst[UND];
	struct dmac_desc *ring = plain_ring(DMAC_CTRL_RING_EN | DMAC_CTRL_POLL, src, dst, 60);

	for (int k = 0; k < UND - 1; k++) {
		ring[k].src = bus(src[k]);
		ring[k].dst = bus(dst[k]);
		if (!bug)
			coh_dma_wmb(); /* the addresses before OWN */
		ring[k].ctrl = DMAC_DESC_OWN | USZ;
	}
	for (int k = 0; k < UND - 1; k++)
		plain_reap(ring, k, src, dst, bug, 10000);
	w32(DMAC_CTRL, 0);
}

/*
 * (o) Reaping with plain loads from uncached memory: OWN seen cleared,
 * then the status the device wrote before it.  Bug: no coh_dma_rmb()
 * between the two loads.
 */
static void sc_plain_rmb(int bug)
{
	uint8_t *src[UND], *dst[UND];
	struct dmac_desc *ring = plain_ring(DMAC_CTRL_RING_EN, src, dst, 55);

	for (int k = 0; k < UND - 1; k++) {
		ring[k].src = bus(src[k]);
		ring[k].dst = bus(dst[k]);
		coh_dma_wmb(); /* the addresses before OWN */
		ring[k].ctrl = DMAC_DESC_OWN | USZ;
	}
	w32(DMAC_RING_TAIL, UND - 1);
	for (int k = 0; k < UND - 1; k++) {
		volatile uint32_t moved;
		int i;

		for (i = 0; i < 10000 && (ring[k].ctrl & DMAC_DESC_OWN); i++)
			(void)coh_mmio_read32_relaxed(E.regs + DMAC_DONE_COUNT);
		if (!bug)
			coh_dma_rmb(); /* OWN before the status written before it */
		moved = ring[k].status;
		coh_take(&E.dev, src[k], USZ, COH_TO_DEVICE);
		coh_take(&E.dev, dst[k], USZ, COH_FROM_DEVICE);
		coh_consume(&E.dev, dst[k], USZ);
		if (!bug && (moved != USZ || memcmp(dst[k], src[k], USZ)))
			E.payload_bad = 1;
	}
	w32(DMAC_CTRL, 0);
}

/*
 * (p) A tail doorbell after posting in uncached memory.  Correct: the
 * ordered coh_mmio_write32 (its barrier orders the OWN stores before it).
 * Bug: the relaxed write, with nothing ordering the last OWN store.
 */
static void sc_relaxed_doorbell(int bug)
{
	uint8_t *src[UND], *dst[UND];
	struct dmac_desc *ring = plain_ring(DMAC_CTRL_RING_EN, src, dst, 56);

	for (int k = 0; k < UND - 1; k++) {
		ring[k].src = bus(src[k]);
		ring[k].dst = bus(dst[k]);
		coh_dma_wmb(); /* the addresses before OWN */
		ring[k].ctrl = DMAC_DESC_OWN | USZ;
	}
	if (bug)
		coh_mmio_write32_relaxed(E.regs + DMAC_RING_TAIL, UND - 1);
	else
		w32(DMAC_RING_TAIL, UND - 1);
	/* a device that missed an OWN stalls: a bounded wait */
	for (int k = 0; k < UND - 1; k++)
		plain_reap(ring, k, src, dst, bug, bug ? 50 : 10000);
	w32(DMAC_CTRL, 0);
}

/*
 * (q) The destination is given TO_DEVICE, as if it were a source: the
 * device writes memory it may only read.
 */
static void sc_dev_write_to_device(int bug)
{
	size_t n = 512;
	uint8_t *src = calloc_u(n), *dst = calloc_c(n, 128);
	enum coh_dir dir = bug ? COH_TO_DEVICE : COH_FROM_DEVICE;

	sim_name(dst, n, "rx");
	pattern(src, n, 57);
	coh_give(&E.dev, dst, n, dir);
	dma_copy(src, dst, n);
	coh_take(&E.dev, dst, n, dir);
	coh_consume(&E.dev, dst, n);
	if (!bug)
		expect(dst, src, n);
}

/*
 * (r) Retransmission: the buffer was taken back after the first transfer.
 * Bug: the device is started on it again without a new coh_give (the data
 * happens to be in RAM still: only ownership tells).
 */
static void sc_retransmit(int bug)
{
	size_t n = 384;
	uint8_t *src = calloc_c(n, 128), *d1 = calloc_u(n), *d2 = calloc_u(n);

	sim_name(src, n, "tx");
	pattern(src, n, 58);
	coh_give(&E.dev, src, n, COH_TO_DEVICE);
	dma_copy(src, d1, n);
	coh_take(&E.dev, src, n, COH_TO_DEVICE);
	if (!bug)
		coh_give(&E.dev, src, n, COH_TO_DEVICE);
	dma_copy(src, d2, n);
	if (!bug)
		coh_take(&E.dev, src, n, COH_TO_DEVICE);
	expect(d1, src, n);
	expect(d2, src, n);
}

/*
 * (s) Device teardown.  Bug: the last receive buffer is still given (no
 * coh_take on the error path).  Reported by the simulator in release
 * builds of the library too.
 */
static void sc_leak(int bug)
{
	size_t n = 256;
	uint8_t *src = calloc_u(n), *dst = calloc_c(n, 128);

	sim_name(dst, n, "rx");
	pattern(src, n, 59);
	coh_give(&E.dev, dst, n, COH_FROM_DEVICE);
	dma_copy(src, dst, n);
	if (!bug) {
		coh_take(&E.dev, dst, n, COH_FROM_DEVICE);
		coh_consume(&E.dev, dst, n);
		expect(dst, src, n);
	}
	(void)coh_device_leaks(&E.dev);
}

/*
 * (t) Two streaming mappings.  Bug: both of the same receive buffer (two
 * queues handed one page).  Reported in release builds too.
 */
static void sc_overlap_map(int bug)
{
	size_t n = 512;
	uint8_t *rx = calloc_c(2 * n, 128), *other = bug ? rx : rx + n;
	coh_bus_t b1, b2;

	sim_name(rx, 2 * n, "rx");
	if (coh_stream_init(&E.st, E.recs, 16, 0) || coh_device_set_stream(&E.dev, &E.st)) {
		E.payload_bad = 1;
		return;
	}
	b1 = coh_map_single(&E.dev, rx, n, COH_FROM_DEVICE);
	b2 = coh_map_single(&E.dev, other, n, COH_FROM_DEVICE);
	if (coh_mapping_error(&E.dev, b1) || coh_mapping_error(&E.dev, b2)) {
		E.payload_bad = 1;
		return;
	}
	if (coh_unmap_single(&E.dev, b2, n, COH_FROM_DEVICE) ||
	    coh_unmap_single(&E.dev, b1, n, COH_FROM_DEVICE))
		E.payload_bad = !bug;
	if (coh_device_teardown(&E.dev))
		E.payload_bad = 1;
}

/*
 * (u) A pointer into simulated memory kept past sim_fini (a driver's
 * static left over from a previous test).  Bug: read after the simulator
 * is gone: a report, not a crash.
 */
static void sc_use_after_fini(int bug)
{
	uint8_t *p = calloc_c(64, 64);

	p[0] = 1;
	if (bug)
		E.after_fini = p;
}

/*
 * (v) A status block the CPU fills in, then a receive that never happened:
 * the driver acquires after every "transfer" whether the device wrote or
 * not.  Bug: no release before (the CPU's bytes are only in its cache),
 * so the acquire's invalidate destroys them; correct: released first.
 */
static void sc_inval_cpu_data(int bug)
{
	size_t n = 512;
	uint8_t *buf = calloc_c(n, 128), want[512];

	sim_name(buf, n, "status");
	pattern(want, n, 61);
	memcpy(buf, want, n);	/* the CPU owns buf: plain C */
	if (!bug)
		coh_release(&E.dev, buf, n);
	/* no DMA: the device had nothing to send */
	coh_acquire(&E.dev, buf, n);
	if (!bug)
		expect(buf, want, n);
}

/* -------------------------------------------------------------- runner */

struct scenario {
	const char *name;
	void (*fn)(int bug);
	int cls;		/* class the buggy version must raise */
	int bound;		/* caught at least once in every window of this many seeds */
	int at_line;		/* the first report of cls must name E.load_line in this file */
};

static const struct scenario scenarios[] = {
	{ "forgot_clean", sc_forgot_clean, SIM_STALE_DEVICE_READ, 4, 0 },
	{ "no_acquire", sc_no_acquire, SIM_STALE_CPU_READ, 1, 0 },
	{ "partial_inval", sc_partial_inval, SIM_PARTIAL_LINE_LOSS, 1, 0 },
	{ "evict_over", sc_evict_over, SIM_EVICT_OVER_DEVICE, 20, 0 },
	{ "write_owned", sc_write_owned, SIM_CPU_WRITE_DEVICE_OWNED, 1, 0 },
	{ "rmw_owned", sc_rmw_owned, SIM_CPU_WRITE_DEVICE_OWNED, 1, 1 },
	{ "inval_before_only", sc_inval_before_only, SIM_SPECULATIVE_STALE, 10, 0 },
	{ "ring_cached", sc_ring_cached, SIM_STALE_DEVICE_READ, 4, 0 },
	{ "ring_uncached", sc_ring_uncached, SIM_STALE_DEVICE_READ, 4, 0 },
	{ "bad_bus", sc_bad_bus, SIM_BAD_BUS_ADDRESS, 1, 0 },
	{ "shared_neighbour", sc_shared_neighbour, SIM_EVICT_OVER_DEVICE, 16, 0 },
	{ "free_owned", sc_free_owned, SIM_FREE_DEVICE_OWNED, 1, 0 },
	{ "unordered", sc_unordered, SIM_UNORDERED_STORES, 8, 0 },
	{ "unordered_loads", sc_unordered_loads, SIM_UNORDERED_LOADS, 4, 0 },
	/* the access observer's (an instrumented build) */
	{ "stale_poll", sc_stale_poll, SIM_STALE_CPU_READ, 1, 1 },
	{ "zero_evict", sc_zero_evict, SIM_EVICT_OVER_DEVICE, 20, 0 },
	{ "read_owned", sc_read_owned, SIM_CPU_READ_DEVICE_OWNED, 1, 0 },
	{ "stale_line_store", sc_stale_line_store, SIM_CPU_WRITE_STALE_LINE, 1, 0 },
	{ "plain_own_first", sc_plain_own_first, SIM_UNORDERED_STORES, 8, 0 },
	{ "plain_no_wmb", sc_plain_no_wmb, SIM_UNORDERED_STORES, 8, 0 },
	{ "plain_rmb", sc_plain_rmb, SIM_UNORDERED_LOADS, 4, 0 },
	{ "relaxed_doorbell", sc_relaxed_doorbell, SIM_UNORDERED_DOORBELL, 1, 0 },
	{ "dev_write_to_device", sc_dev_write_to_device, SIM_DEVICE_WRITE_NOT_OWNED, 1, 0 },
	{ "retransmit", sc_retransmit, SIM_DEVICE_READ_NOT_GIVEN, 1, 0 },
	{ "leak", sc_leak, SIM_LEAK_AT_TEARDOWN, 1, 0 },
	{ "overlap_map", sc_overlap_map, SIM_OVERLAPPING_MAP, 1, 0 },
	{ "use_after_fini", sc_use_after_fini, SIM_USE_AFTER_FINI, 1, 0 },
	{ "inval_cpu_data", sc_inval_cpu_data, SIM_INVALIDATE_CPU_DATA, 1, 0 },
};

static struct sim_report first, first_cls;
static int have_first, have_first_cls, want_cls = -1;

static void hook(const struct sim_report *r, void *ctx)
{
	(void)ctx;
	if (!have_first) {
		first = *r;
		have_first = 1;
	}
	if (r->cls == want_cls && !have_first_cls) {
		first_cls = *r;
		have_first_cls = 1;
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
	have_first_cls = 0;
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
	if (E.after_fini) {
		/* the simulator is gone: its reports from now on count on their own */
		if (!verbose)
			sim_set_report_hook(hook, NULL);
		(void)*E.after_fini;
		for (int k = 0; k < SIM_NCLASSES; k++)
			cnt[k] += sim_reports(k);
	}
	if (sc->at_line && bug && !coherent && cnt[sc->cls] &&
	    (!have_first_cls || !first_cls.file ||
	     strcmp(first_cls.file, "catalogue.c") || first_cls.line != E.load_line)) {
		printf("FAIL %s line=%zu seed=%llu: the report does not name catalogue.c:%d\n",
		       sc->name, line, (unsigned long long)seed, E.load_line);
		if (have_first_cls)
			sim_print_report(&first_cls, stdout);
		return 2;
	}
	if (E.hung) {
		printf("FAIL %s line=%zu seed=%llu: the poll never ended\n", sc->name,
		       line, (unsigned long long)seed);
		return 2;
	}
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
	want_cls = sc->cls;
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

			if (bad == 2) {	/* a check of its own failed: printed */
				if (++fails > 5)
					return 1;
				continue;
			}
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
