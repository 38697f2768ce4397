/* SPDX-License-Identifier: MIT */
/*
 * tests/dwmac/record_hw.h - the QoS variant on the recording backend, where
 * the register block is plain memory: its waits (reset, stop, MDIO) replaced
 * by ones that complete at once, BMSR reporting the link up, a 64-bit
 * address width (HW_FEATURE1 reads 0 here).  Everything
 * that touches descriptors and buffers is the real variant and core.  The
 * test plays the device through slot(): no caches, memory is memory.
 * Used by tests/dwmac/minimum.c and bench/dwmac_bench.c.
 */
#ifndef DWMAC_TEST_RECORD_HW_H
#define DWMAC_TEST_RECORD_HW_H

#include "dwmac.h"

static int rec_hw_now(struct dwmac *x, const struct coh_poll *p)
{
	(void)x;
	(void)p;
	return 0;
}

static int rec_hw_phy(struct dwmac *x, unsigned int a, unsigned int r, uint16_t *v,
		      const struct coh_poll *p)
{
	(void)x;
	(void)a;
	(void)p;
	*v = r == 1 ? 0x24 : 0;	/* BMSR: link up, autonegotiation done */
	return 0;
}

/* host addresses are the bus addresses here: a 64-bit DMA */
static unsigned int rec_hw_addr_bits(struct dwmac *x)
{
	(void)x;
	return 64;
}

static inline struct dwmac_hw_ops rec_hw_ops(void)
{
	struct dwmac_hw_ops o = dwmac_qos_ops;

	o.addr_bits = rec_hw_addr_bits;
	o.reset = rec_hw_now;
	o.stop = rec_hw_now;
	o.mdio_read = rec_hw_phy;
	return o;
}

/* the registers a reset leaves readable: HW_FEATURE1 of a 2 KiB TX, 4 KiB RX FIFO */
static inline void rec_hw_regs(uint32_t *regs)
{
	regs[0x120 / 4] = 4u << 6 | 5u;
}

/* the device's view of slot i */
static inline struct dwmac_desc *rec_hw_slot(struct coh_ring *r, size_t i)
{
	return (struct dwmac_desc *)(r->mem.cpu_ + i * coh_ring_stride(r));
}

#endif
