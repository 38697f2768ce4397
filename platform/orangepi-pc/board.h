/* SPDX-License-Identifier: MIT */
/*
 * platform/orangepi-pc - the memory map of QEMU's orangepi-pc (Allwinner H3)
 * as this bare-metal platform sets it up.  Addresses are QEMU's
 * hw/arm/allwinner-h3.c memory map; the uncached window is this platform's
 * choice (one 1 MiB section of RAM mapped normal non-cacheable).
 */
#ifndef COHERENT_PLATFORM_ORANGEPI_PC_BOARD_H
#define COHERENT_PLATFORM_ORANGEPI_PC_BOARD_H

#include <stdint.h>

#define OPI_RAM_BASE      0x40000000u	/* SDRAM, 1 GiB at most on QEMU */
#define OPI_RAM_SIZE      0x40000000u
#define OPI_UART0_BASE    0x01c28000u	/* 16550, 32-bit register stride */
#define OPI_EMAC_BASE     0x01c30000u	/* allwinner-sun8i-emac, SPI 82 */
#define OPI_MMC0_BASE     0x01c0f000u	/* allwinner-sdhost-sun5i, card from -drive if=sd */
#define OPI_SYSCON_BASE   0x01c00000u	/* system control (EMAC clock register at 0x30) */

/*
 * Identity-mapped, normal non-cacheable, shareable: memory a driver may
 * register with COH_REGION_UNCACHED (packed descriptors, no maintenance).
 * Outside picolibc's image and heap (0x40080000..0x41300000).
 */
#define OPI_UNCACHED_BASE 0x4f000000u
#define OPI_UNCACHED_SIZE 0x00100000u

/* What opi_mmu_init() did; filled before main(). */
struct opi_mmu_state {
	uint32_t sctlr;		/* SCTLR after enabling: M, C, I set */
	uint32_t ttbr0;
	uint32_t vbar;
};
extern struct opi_mmu_state opi_mmu;

/* Microseconds since reset, from the generic timer (timer.c). */
uint64_t opi_now_us(void);

/* Section attributes the table uses, for tests that read the table back. */
uint32_t opi_section_attr(uint32_t addr);

#endif
