/* SPDX-License-Identifier: MIT */
/*
 * The platform's promise to every test on it: MMU, D-cache and I-cache on
 * before main(), RAM cacheable, the uncached window non-cacheable, devices
 * Device memory, and the backend's maintenance running on such memory.
 */
#include <stdint.h>
#include <string.h>

#include "board.h"
#include "coherent/coherent.h"
#include "harness.h"

TH_DEFINE_COUNTERS;

static unsigned char cached[4 * COH_MAX_LINE] __attribute__((aligned(COH_MAX_LINE)));

static void t_enabled(void)
{
	uint32_t sctlr;

	__asm__ volatile("mrc p15, 0, %0, c1, c0, 0" : "=r"(sctlr));
	CHECK(sctlr & 1u);		/* M */
	CHECK(sctlr & (1u << 2));	/* C */
	CHECK(sctlr & (1u << 12));	/* I */
	CHECK_EQ(sctlr, opi_mmu.sctlr);
	CHECK_EQ(opi_mmu.ttbr0 & ~0x3fffu, opi_mmu.ttbr0 & 0xffffc000u);
	CHECK(opi_mmu.vbar != 0);
}

static void t_attributes(void)
{
	/* TEX=001 C=1 B=1 S=1: write-back write-allocate, shareable */
	CHECK_EQ(opi_section_attr((uint32_t)(uintptr_t)cached) & 0x1f00cu, 0x1100cu);
	CHECK_EQ(opi_section_attr(OPI_RAM_BASE) & 0x1f00cu, 0x1100cu);
	/* TEX=001 C=0 B=0: normal non-cacheable */
	CHECK_EQ(opi_section_attr(OPI_UNCACHED_BASE) & 0x0700cu, 0x01000u);
	/* TEX=000 C=0 B=1 XN: shareable device */
	CHECK_EQ(opi_section_attr(OPI_EMAC_BASE) & 0x0701cu, 0x00014u);
	CHECK_EQ(opi_section_attr(0x80000000u), 0);
}

static void t_maintenance_with_caches_on(void)
{
	struct coh_device dev;
	volatile uint32_t *unc = (volatile uint32_t *)OPI_UNCACHED_BASE;

	coh_device_init(&dev, "opi", 0);
	CHECK_EQ(coh_cache_line_size(), 64);
	memset(cached, 0x5a, sizeof(cached));
	CHECK_EQ(coh_release(&dev, cached, sizeof(cached)), 0);
	CHECK_EQ(coh_acquire(&dev, cached + 3, 70), 0);
	CHECK_EQ(coh_flush(&dev, cached, sizeof(cached)), 0);
	CHECK_EQ(cached[0], 0x5a);
	CHECK_EQ(cached[sizeof(cached) - 1], 0x5a);
	unc[0] = 0xc0ffee01u;
	CHECK_EQ(coh_release(&dev, (void *)OPI_UNCACHED_BASE, 64), 0);
	CHECK_EQ(unc[0], 0xc0ffee01u);
}

/* the timer the network tests time out with: runs, forward */
static void t_timer(void)
{
	uint64_t a = opi_now_us(), b;
	volatile unsigned long spin = 0;

	while ((b = opi_now_us()) == a && spin < 100000000ul)
		spin++;
	CHECK(b > a);
	CHECK(b - a < 1000000);
}

int main(void)
{
	RUN(t_enabled);
	RUN(t_timer);
	RUN(t_attributes);
	RUN(t_maintenance_with_caches_on);
	return th_finish(COH_TEST_TARGET);
}
