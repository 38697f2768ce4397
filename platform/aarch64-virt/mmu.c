/* SPDX-License-Identifier: MIT */
/*
 * MMU and caches on for QEMU aarch64 virt at EL1 (see mmu.h for the map).
 * 4 KiB granule, 39-bit VA: the walk starts at level 1 (1 GiB blocks); the
 * RAM gigabyte goes through one level-2 table of 2 MiB blocks so that one
 * block can be non-cacheable.
 *
 * QEMU starts the CPU with the MMU and caches off and models no cache, so
 * no set/way invalidation of stale lines is done here; real silicon would
 * need one before SCTLR.C is set.
 */
#include "mmu.h"

#define SCTLR_M (1u << 0)	/* stage 1 translation */
#define SCTLR_C (1u << 2)	/* data and unified caches */
#define SCTLR_I (1u << 12)	/* instruction cache */

/* MAIR_EL1 attribute indices */
#define ATTR_DEVICE 0		/* 0x04 Device-nGnRE */
#define ATTR_WB     1		/* 0xff Normal, inner/outer write-back RW-allocate */
#define ATTR_NC     2		/* 0x44 Normal, inner/outer non-cacheable */
#define MAIR_VALUE  (0x04ull << (8 * ATTR_DEVICE) | 0xffull << (8 * ATTR_WB) | \
		     0x44ull << (8 * ATTR_NC))

/* block and table descriptor bits (VMSAv8-64 stage 1) */
#define D_BLOCK   0x1ull
#define D_TABLE   0x3ull
#define D_ATTR(i) ((uint64_t)(i) << 2)
#define D_SH_OUT  (2ull << 8)
#define D_SH_IN   (3ull << 8)
#define D_AF      (1ull << 10)
#define D_PXN     (1ull << 53)
#define D_UXN     (1ull << 54)

/*
 * TCR_EL1: T0SZ 25 (39-bit VA), walks cacheable write-back and inner
 * shareable, 4 KiB granule, TTBR1 walks disabled (EPD1), 40-bit IPA.
 */
#define TCR_VALUE (25ull | 1ull << 8 | 1ull << 10 | 3ull << 12 | 1ull << 23 | \
		   2ull << 32)

static uint64_t l1[512] __attribute__((aligned(4096)));
static uint64_t l2_ram[512] __attribute__((aligned(4096)));

uint64_t plat_sctlr(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, sctlr_el1" : "=r"(v));
	return v;
}

void plat_mmu_enable(void)
{
	uint64_t sctlr = plat_sctlr();

	if (sctlr & SCTLR_M)
		return;
	l1[0] = 0x00000000ull | D_BLOCK | D_ATTR(ATTR_DEVICE) | D_AF | D_PXN | D_UXN;
	for (uint64_t i = 0; i < 512; i++) {
		uint64_t pa = PLAT_RAM_BASE + (i << 21);
		int nc = (pa >= PLAT_UNCACHED_BASE &&
			  pa < PLAT_UNCACHED_BASE + PLAT_UNCACHED_SIZE) ||
			 (pa >= PLAT_WC_BASE && pa < PLAT_WC_BASE + PLAT_WC_SIZE);

		l2_ram[i] = pa | D_BLOCK | D_AF |
			    (nc ? D_ATTR(ATTR_NC) | D_SH_OUT | D_PXN | D_UXN
				: D_ATTR(ATTR_WB) | D_SH_IN);
	}
	l1[1] = (uint64_t)(uintptr_t)l2_ram | D_TABLE;
	/* the PCIe ECAM gigabyte: configuration space is Device memory */
	l1[PLAT_PCIE_ECAM_BASE >> 30] = (PLAT_PCIE_ECAM_BASE & ~0x3fffffffull) | D_BLOCK |
					D_ATTR(ATTR_DEVICE) | D_AF | D_PXN | D_UXN;

	__asm__ volatile("msr mair_el1, %0" : : "r"(MAIR_VALUE));
	__asm__ volatile("msr tcr_el1, %0" : : "r"(TCR_VALUE));
	__asm__ volatile("msr ttbr0_el1, %0" : : "r"((uint64_t)(uintptr_t)l1));
	/*
	 * The table stores (made with the MMU off, so straight to memory)
	 * complete before the first walk; no stale TLB entry survives; the
	 * register writes take effect before SCTLR is written.
	 */
	__asm__ volatile("dsb sy\n\ttlbi vmalle1\n\tdsb nsh\n\tisb" ::: "memory");
	sctlr |= SCTLR_M | SCTLR_C | SCTLR_I;
	__asm__ volatile("msr sctlr_el1, %0\n\tisb" : : "r"(sctlr) : "memory");
}

/* Before main and before any test touches DMA memory. */
static void __attribute__((constructor)) plat_mmu_ctor(void)
{
	plat_mmu_enable();
}
