/* SPDX-License-Identifier: MIT */
/*
 * platform/orangepi-pc - MMU and caches on before main(), so the armv7a
 * backend's CP15 maintenance runs with the D-cache enabled.
 *
 * A flat short-descriptor table of 1 MiB sections, identity mapped:
 *   0x00000000-0x3fffffff  shareable Device, execute-never (SRAM, peripherals)
 *   0x40000000-0x7fffffff  Normal, inner/outer write-back write-allocate, shareable
 *   OPI_UNCACHED_BASE      one section Normal non-cacheable (board.h)
 *   above                  fault
 * Attribute encodings (TEX/C/B with SCTLR.TRE = 0), section descriptor
 * layout and the SCTLR/ACTLR/TTBR0 bits: Arm ARM (ARMv7-A) B3.5 and B4.1,
 * Cortex-A7 TRM 4.3 (ACTLR.SMP must be set before the caches are enabled).
 *
 * Runs as a constructor: picolibc's crt0 has copied .data and cleared .bss
 * before it calls __libc_init_array, and nothing has touched the caches.
 * The Cortex-A7 invalidates its caches at reset, and QEMU enters the ELF
 * with them off, so no set/way invalidation is needed first.
 */
#include <stdint.h>

#include "board.h"

#define SECT          (2u << 0)
#define SECT_B        (1u << 2)
#define SECT_C        (1u << 3)
#define SECT_XN       (1u << 4)
#define SECT_AP_RW    (3u << 10)	/* AP[1:0] = 11: read/write at every level */
#define SECT_TEX(x)   ((uint32_t)(x) << 12)
#define SECT_S        (1u << 16)

#define ATTR_DEVICE   (SECT | SECT_B | SECT_XN | SECT_AP_RW)	/* TEX 000 C0 B1: shareable Device */
#define ATTR_WBWA     (SECT | SECT_TEX(1) | SECT_C | SECT_B | SECT_S | SECT_AP_RW)
#define ATTR_NC       (SECT | SECT_TEX(1) | SECT_S | SECT_XN | SECT_AP_RW)

#define SCTLR_M       (1u << 0)
#define SCTLR_C       (1u << 2)
#define SCTLR_Z       (1u << 11)
#define SCTLR_I       (1u << 12)
#define SCTLR_V       (1u << 13)
#define ACTLR_SMP     (1u << 6)
/* TTBR0 walk attributes (multiprocessing extensions): IRGN = 01 (WBWA) is
 * bit 6 set, bit 0 clear; RGN = 01 (WBWA) bits 4:3; S bit 1. */
#define TTBR_WALK     ((1u << 6) | (1u << 3) | (1u << 1))

static uint32_t table[4096] __attribute__((aligned(16384)));
struct opi_mmu_state opi_mmu;

extern char __vector_table[];	/* picolibc's A-profile vectors (Thumb: crt0 sets SCTLR.TE) */

uint32_t opi_section_attr(uint32_t addr)
{
	return table[addr >> 20] & 0xfffffu;
}

static void fill(void)
{
	for (uint32_t i = 0; i < 4096; i++) {
		uint32_t base = i << 20, attr = 0;

		if (base < OPI_RAM_BASE)
			attr = ATTR_DEVICE;
		else if (base - OPI_RAM_BASE < OPI_RAM_SIZE)
			attr = ATTR_WBWA;
		table[i] = attr ? (base | attr) : 0;
	}
	for (uint32_t a = OPI_UNCACHED_BASE; a < OPI_UNCACHED_BASE + OPI_UNCACHED_SIZE;
	     a += 1u << 20)
		table[a >> 20] = a | ATTR_NC;
}

__attribute__((constructor(101))) static void opi_mmu_init(void)
{
	uint32_t r;

	fill();
	/* the table writes (caches still off) complete before the walker may read them */
	__asm__ volatile("dsb sy" ::: "memory");
	__asm__ volatile("mcr p15, 0, %0, c12, c0, 0" : : "r"(__vector_table)); /* VBAR */
	__asm__ volatile("mrc p15, 0, %0, c1, c0, 1" : "=r"(r));		  /* ACTLR */
	r |= ACTLR_SMP;
	__asm__ volatile("mcr p15, 0, %0, c1, c0, 1" : : "r"(r));
	__asm__ volatile("mcr p15, 0, %0, c2, c0, 2" : : "r"(0u));		  /* TTBCR: TTBR0 only */
	__asm__ volatile("mcr p15, 0, %0, c2, c0, 0" : : "r"((uint32_t)(uintptr_t)table | TTBR_WALK));
	__asm__ volatile("mcr p15, 0, %0, c3, c0, 0" : : "r"(1u));		  /* DACR: domain 0 client */
	__asm__ volatile("mcr p15, 0, %0, c8, c7, 0" : : "r"(0u));		  /* TLBIALL */
	__asm__ volatile("mcr p15, 0, %0, c7, c5, 0" : : "r"(0u));		  /* ICIALLU */
	__asm__ volatile("mcr p15, 0, %0, c7, c5, 6" : : "r"(0u));		  /* BPIALL */
	/* the invalidations and register writes above complete before the MMU turns on */
	__asm__ volatile("dsb sy\n\tisb" ::: "memory");
	__asm__ volatile("mrc p15, 0, %0, c1, c0, 0" : "=r"(r));		  /* SCTLR */
	r |= SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_Z;
	r &= ~SCTLR_V;
	__asm__ volatile("mcr p15, 0, %0, c1, c0, 0" : : "r"(r) : "memory");
	/* later instructions fetch and access memory through the new translation */
	__asm__ volatile("isb" ::: "memory");
	__asm__ volatile("mrc p15, 0, %0, c1, c0, 0" : "=r"(opi_mmu.sctlr));
	__asm__ volatile("mrc p15, 0, %0, c2, c0, 0" : "=r"(opi_mmu.ttbr0));
	__asm__ volatile("mrc p15, 0, %0, c12, c0, 0" : "=r"(opi_mmu.vbar));
}
