/* SPDX-License-Identifier: MIT */
/*
 * coherent/driver.h on whatever backend this binary was built for: address
 * words, byte order (checked through the bytes in memory, so the same test
 * holds on a host of either order), MMIO in device order on a plain memory
 * word standing in for a register, the mask-checked virt-to-bus, a pool
 * block's bus address, and the register poll with both kinds of budget.
 */
#include <string.h>

#include "coherent/coherent.h"
#include "harness.h"
#include "suites.h"

#define DARENA (64 * 1024)
static unsigned char darena[DARENA] __attribute__((aligned(4096)));
static struct coh_region dreg;
static struct coh_device ddev;
/* a made-up physical base above 4 GiB, so the mask and the high word matter */
#define DPHYS 0x123400000ull

static int ddiags;

static void ddiag(const struct coh_where *w, const char *m, int e)
{
	(void)w;
	(void)m;
	(void)e;
	ddiags++;
}

static int dsetup(void)
{
	coh_region_remove(&dreg);
	coh_set_diag_handler(ddiag);
	ddiags = 0;
	coh_device_init(&ddev, "drv", 0);
	ddev.dma_mask = ~0ull;
	return coh_region_add(&dreg, darena, DPHYS, DARENA, 0);
}

static void dteardown(void)
{
	coh_region_remove(&dreg);
	coh_set_diag_handler(NULL);
}

static void t_words(void)
{
	CHECK_EQ(coh_lo32(0x123456789abcdef0ull), 0x9abcdef0u);
	CHECK_EQ(coh_hi32(0x123456789abcdef0ull), 0x12345678u);
	CHECK_EQ(coh_hi32(0xffffffffull), 0);
	CHECK_EQ(((uint64_t)coh_hi32(DPHYS) << 32) | coh_lo32(DPHYS), DPHYS);
}

static void t_byte_order(void)
{
	static const unsigned char le32[4] = { 0x44, 0x33, 0x22, 0x11 };
	static const unsigned char be32[4] = { 0x11, 0x22, 0x33, 0x44 };
	static const unsigned char le16[2] = { 0xbb, 0xaa };
	static const unsigned char le64[8] = { 8, 7, 6, 5, 4, 3, 2, 1 };
	static const unsigned char be64[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	uint16_t w16;
	uint32_t w32;
	uint64_t w64;

	w32 = coh_cpu_to_le32(0x11223344u);
	CHECK(!memcmp(&w32, le32, 4));
	CHECK_EQ(coh_le32_to_cpu(w32), 0x11223344u);
	w32 = coh_cpu_to_be32(0x11223344u);
	CHECK(!memcmp(&w32, be32, 4));
	CHECK_EQ(coh_be32_to_cpu(w32), 0x11223344u);
	w16 = coh_cpu_to_le16(0xaabb);
	CHECK(!memcmp(&w16, le16, 2));
	CHECK_EQ(coh_le16_to_cpu(w16), 0xaabb);
	w16 = coh_cpu_to_be16(0xaabb);
	CHECK_EQ(((unsigned char *)&w16)[0], 0xaa);
	CHECK_EQ(coh_be16_to_cpu(w16), 0xaabb);
	w64 = coh_cpu_to_le64(0x0102030405060708ull);
	CHECK(!memcmp(&w64, le64, 8));
	CHECK_EQ(coh_le64_to_cpu(w64), 0x0102030405060708ull);
	w64 = coh_cpu_to_be64(0x0102030405060708ull);
	CHECK(!memcmp(&w64, be64, 8));
	CHECK_EQ(coh_be64_to_cpu(w64), 0x0102030405060708ull);
	CHECK_EQ(coh_swab32(0x11223344u), 0x44332211u);
}

static void t_mmio_order(void)
{
	static volatile uint64_t reg64;
	static volatile uint32_t reg32;
	static volatile uint16_t reg16;
	unsigned char b[8];

	coh_mmio_write32_le(&reg32, 0x11223344u);
	memcpy(b, (const void *)&reg32, 4);
	CHECK(b[0] == 0x44 && b[3] == 0x11);
	CHECK_EQ(coh_mmio_read32_le(&reg32), 0x11223344u);
	CHECK_EQ(coh_mmio_read32_be(&reg32), 0x44332211u);
	coh_mmio_write32_be_relaxed(&reg32, 0x11223344u);
	memcpy(b, (const void *)&reg32, 4);
	CHECK(b[0] == 0x11 && b[3] == 0x44);
	CHECK_EQ(coh_mmio_read32_be_relaxed(&reg32), 0x11223344u);
	CHECK_EQ(coh_mmio_read32_le_relaxed(&reg32), 0x44332211u);
	coh_mmio_write16_le(&reg16, 0xaabb);
	memcpy(b, (const void *)&reg16, 2);
	CHECK(b[0] == 0xbb && b[1] == 0xaa);
	CHECK_EQ(coh_mmio_read16_be(&reg16), 0xbbaa);
	coh_mmio_write64_be(&reg64, 0x0102030405060708ull);
	memcpy(b, (const void *)&reg64, 8);
	CHECK(b[0] == 1 && b[7] == 8);
	CHECK_EQ(coh_mmio_read64_le(&reg64), 0x0807060504030201ull);
	coh_mmio_write64_le_relaxed(&reg64, 5);
	CHECK_EQ(coh_mmio_read64_le_relaxed(&reg64), 5);
	coh_dma_mb();	/* links on every backend; ordering is the record test's */
}

static void t_virt_to_bus(void)
{
	coh_bus_t bus = 0;

	CHECK_EQ(dsetup(), 0);
	CHECK_EQ(coh_virt_to_bus(&ddev, darena + 8192, 100, &bus), 0);
	CHECK(bus == DPHYS + 8192);
	ddev.bus_offset = 0x1000;
	CHECK_EQ(coh_virt_to_bus(&ddev, darena + 8192, 100, &bus), 0);
	CHECK(bus == DPHYS + 8192 + 0x1000);
	ddev.bus_offset = 0;
	/* the last byte is checked, not only the first */
	ddev.dma_mask = DPHYS + 8192 + 99;
	CHECK_EQ(coh_virt_to_bus(&ddev, darena + 8192, 100, &bus), 0);
	CHECK_EQ(ddiags, 0);
	CHECK_EQ(coh_virt_to_bus(&ddev, darena + 8192, 101, &bus), -COH_ERANGE);
	CHECK(bus == COH_BUS_ERROR);
	ddev.dma_mask = 0xffffffffull;	/* the default 32 bits: all of it above */
	CHECK_EQ(coh_virt_to_bus(&ddev, darena, 1, &bus), -COH_ERANGE);
	ddev.dma_mask = ~0ull;
	CHECK_EQ(coh_virt_to_bus(NULL, darena, 1, &bus), -COH_EINVAL);
	CHECK_EQ(coh_virt_to_bus(&ddev, NULL, 1, &bus), -COH_EINVAL);
	CHECK_EQ(coh_virt_to_bus(&ddev, darena, 1, NULL), -COH_EINVAL);
	CHECK_EQ(coh_virt_to_bus(&ddev, darena, 0, &bus), -COH_EINVAL);
	CHECK(bus == COH_BUS_ERROR);
	CHECK_EQ(coh_virt_to_bus(&ddev, (void *)(UINTPTR_MAX - 4), 10, &bus),
		 -COH_EOVERFLOW);
#if COH_DEBUG
	CHECK_EQ(ddiags, 7);
#endif
	dteardown();
}

static void t_pool_bus(void)
{
	struct coh_pool p;
	coh_bus_t bus, b;
	char *blk, *blk2;

	CHECK_EQ(dsetup(), 0);
	CHECK_EQ(coh_pool_create(&p, &ddev, "d", 48, 16, 0, 4), 0);
	blk = coh_pool_alloc(&p, &bus);
	blk2 = coh_pool_alloc(&p, &b);
	CHECK(blk && blk2);
	CHECK_EQ(coh_pool_bus(&p, blk, &b), 0);
	CHECK(b == bus);
	CHECK(coh_hi32(b) == coh_hi32(DPHYS));
	CHECK_EQ(coh_pool_bus(&p, blk + 47, &b), 0);	/* a field inside */
	CHECK(b == bus + 47);
	CHECK_EQ(coh_pool_bus(&p, blk2 + 1, &b), 0);
	CHECK_EQ(coh_pool_bus(&p, blk + 48, &b), -COH_ERANGE);	/* padding */
	CHECK(b == COH_BUS_ERROR);
	CHECK_EQ(coh_pool_bus(&p, blk - 1, &b), -COH_ERANGE);
	CHECK_EQ(coh_pool_bus(&p, darena + DARENA - 1, &b), -COH_ERANGE);
	CHECK_EQ(coh_pool_bus(NULL, blk, &b), -COH_EINVAL);
	CHECK_EQ(coh_pool_bus(&p, NULL, &b), -COH_EINVAL);
	CHECK_EQ(coh_pool_bus(&p, blk, NULL), -COH_EINVAL);
	CHECK_EQ(coh_pool_free(&p, blk), 0);
	CHECK_EQ(coh_pool_free(&p, blk2), 0);
	CHECK_EQ(coh_pool_destroy(&p), 0);
	CHECK_EQ(coh_pool_bus(&p, blk, &b), -COH_EINVAL);	/* destroyed */
	dteardown();
}

/* a register the poll reads, and a device that sets it after `after` events */
static volatile uint32_t preg;
static int pnow_calls, prelax_calls, pset_after;
static uint64_t pclock;

static uint64_t pnow(void *ctx)
{
	(void)ctx;
	pnow_calls++;
	pclock += 10;
	if (pset_after && pnow_calls == pset_after)
		preg = 0x81;	/* becomes true while the poller "was away" */
	return pclock;
}

static void prelax(void *ctx)
{
	(void)ctx;
	prelax_calls++;
	if (pset_after && !*(int *)ctx && prelax_calls == pset_after)
		preg = 0x80;
}

static void t_poll(void)
{
	int use_relax = 0;
	struct coh_poll it = { .relax = prelax, .ctx = &use_relax, .timeout = 5 };
	struct coh_poll clk = { .now = pnow, .ctx = &use_relax, .timeout = 35 };
	uint32_t v = 0;

	coh_set_diag_handler(ddiag);
	ddiags = 0;
	/* iteration budget: exactly `timeout` reads, relax between them */
	preg = 0;
	pset_after = 0;
	prelax_calls = 0;
	CHECK_EQ(coh_mmio_poll32(&preg, 0x80, 0x80, &it, &v), -COH_ETIMEDOUT);
	CHECK_EQ(prelax_calls, 4);
	CHECK_EQ(v, 0);
	CHECK_EQ(ddiags, 0);	/* a timeout is not a misuse */
	/* the device sets the bit after the 3rd relax: seen on the 4th read */
	prelax_calls = 0;
	pset_after = 3;
	CHECK_EQ(coh_mmio_poll32(&preg, 0x80, 0x80, &it, &v), 0);
	CHECK_EQ(prelax_calls, 3);
	CHECK_EQ(v, 0x80);
	/* already true: one read, no relax */
	prelax_calls = 0;
	CHECK_EQ(coh_mmio_poll32(&preg, 0xff, 0x80, &it, NULL), 0);
	CHECK_EQ(prelax_calls, 0);
	/* clock budget: start + 35 units, 10 per call: 4 checks, then time out */
	preg = 0;
	pset_after = 0;
	pnow_calls = 0;
	CHECK_EQ(coh_mmio_poll32(&preg, 1, 1, &clk, &v), -COH_ETIMEDOUT);
	CHECK_EQ(pnow_calls, 5);
	/* true only by the time the deadline is noticed: the last look wins */
	preg = 0;
	pnow_calls = 0;
	pset_after = 5;
	CHECK_EQ(coh_mmio_poll32(&preg, 0x81, 0x81, &clk, &v), 0);
	CHECK_EQ(v, 0x81);
	pset_after = 0;
	/* device byte order: bytes 01 00 00 00 are 1 as little-endian */
	memcpy((void *)&preg, "\1\0\0\0", 4);
	it.order = COH_POLL_LE;
	CHECK_EQ(coh_mmio_poll32(&preg, 0xff, 1, &it, &v), 0);
	it.order = COH_POLL_BE;
	CHECK_EQ(coh_mmio_poll32(&preg, 0xff000000u, 0x01000000u, &it, &v), 0);
	CHECK_EQ(v, 0x01000000u);
	/* bad input: nothing read, no callback */
	prelax_calls = pnow_calls = 0;
	v = 7;
	CHECK_EQ(coh_mmio_poll32(NULL, 1, 1, &it, &v), -COH_EINVAL);
	CHECK_EQ(coh_mmio_poll32(&preg, 1, 1, NULL, &v), -COH_EINVAL);
	CHECK_EQ(coh_mmio_poll32(&preg, 1, 3, &it, &v), -COH_EINVAL);
	it.order = (enum coh_poll_order)9;
	CHECK_EQ(coh_mmio_poll32(&preg, 1, 1, &it, &v), -COH_EINVAL);
	it.order = COH_POLL_NATIVE;
	it.timeout = 0;
	CHECK_EQ(coh_mmio_poll32(&preg, 1, 1, &it, &v), -COH_EINVAL);
	clk.timeout = 0;	/* with a clock 0 is valid: one check, one last look */
	CHECK_EQ(coh_mmio_poll32(&preg, 0xff, 2, &clk, &v), -COH_ETIMEDOUT);
	CHECK_EQ(pnow_calls, 2);
	CHECK_EQ(prelax_calls, 0);
#if COH_DEBUG
	CHECK_EQ(ddiags, 5);
#endif
	CHECK(!strcmp(coh_strerror(-COH_ETIMEDOUT), "ETIMEDOUT"));
	coh_set_diag_handler(NULL);
}

/* IRQ-save lock ops: every lock the library takes is paired with its restore */
static int lk_plain, lk_save, lk_restore, lk_depth, lk_bad;
static unsigned long lk_token;

static void lk_lock(int *w)
{
	(void)w;
	lk_plain++;
}

static void lk_unlock(int *w)
{
	(void)w;
	lk_plain++;
}

static unsigned long lk_lock_irqsave(int *w)
{
	while (__atomic_exchange_n(w, 1, __ATOMIC_ACQUIRE))
		;
	lk_save++;
	lk_depth++;
	return ++lk_token * 0x100 + 0x5a;	/* a distinct "saved state" each time */
}

static void lk_unlock_irqrestore(int *w, unsigned long flags)
{
	lk_restore++;
	lk_depth--;
	if (flags != lk_token * 0x100 + 0x5a)	/* not nested: the latest save */
		lk_bad++;
	__atomic_store_n(w, 0, __ATOMIC_RELEASE);
}

static void t_lock_irqsave(void)
{
	static const struct coh_lock_ops plain_only = { lk_lock, lk_unlock, NULL, NULL };
	static const struct coh_lock_ops half = { lk_lock, lk_unlock, lk_lock_irqsave, NULL };
	static const struct coh_lock_ops none = { NULL, lk_unlock, NULL, NULL };
	static const struct coh_lock_ops irq = { lk_lock, lk_unlock, lk_lock_irqsave,
						 lk_unlock_irqrestore };
	struct coh_pool p;
	coh_bus_t bus;
	void *b;

	CHECK_EQ(dsetup(), 0);
	CHECK_EQ(coh_set_lock_ops(&half), -COH_EINVAL);
	CHECK_EQ(coh_set_lock_ops(&none), -COH_EINVAL);
	CHECK_EQ(ddiags, 2);
	CHECK_EQ(coh_pool_create(&p, &ddev, "irq", 64, 64, 0, 4), 0);
	lk_plain = lk_save = lk_restore = lk_depth = lk_bad = 0;
	CHECK_EQ(coh_set_lock_ops(&irq), 0);
	b = coh_pool_alloc(&p, &bus);
	CHECK(b != NULL);
	CHECK_EQ(coh_pool_free(&p, b), 0);
	CHECK_EQ(coh_set_lock_ops(NULL), 0);
	CHECK(lk_save >= 2);
	CHECK_EQ(lk_save, lk_restore);
	CHECK_EQ(lk_depth, 0);
	CHECK_EQ(lk_bad, 0);
	CHECK_EQ(lk_plain, 0);	/* the plain ops are not used when irqsave is set */
	/* without irqsave: the plain ops, in pairs */
	CHECK_EQ(coh_set_lock_ops(&plain_only), 0);
	b = coh_pool_alloc(&p, &bus);
	CHECK_EQ(coh_set_lock_ops(NULL), 0);
	CHECK(lk_plain >= 2 && lk_plain % 2 == 0);
	CHECK_EQ(coh_pool_free(&p, b), 0);	/* built-in spinlock again */
	CHECK_EQ(coh_pool_destroy(&p), 0);
	dteardown();
}

void suite_driver(void)
{
	RUN(t_lock_irqsave);
	RUN(t_words);
	RUN(t_byte_order);
	RUN(t_mmio_order);
	RUN(t_virt_to_bus);
	RUN(t_pool_bus);
	RUN(t_poll);
}
