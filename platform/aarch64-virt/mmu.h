/* SPDX-License-Identifier: MIT */
/*
 * platform/aarch64-virt/mmu.h - the memory map every aarch64-virt ELF runs
 * with: MMU and data/instruction caches on (enabled by a constructor in
 * mmu.c before main), stage-1 identity map at EL1.
 *
 *   0x00000000 - 0x3fffffff  Device-nGnRE, never executable (UART, GIC,
 *                            virtio-mmio transports at 0x0a000000, ...)
 *   0x40000000 - 0x7fffffff  RAM: Normal write-back, read/write-allocate,
 *                            inner shareable; except the last 2 MiB of the
 *                            128 MiB QEMU gives (PLAT_UNCACHED_BASE), which
 *                            is Normal non-cacheable: DMA memory that needs
 *                            no maintenance (a coh_region with
 *                            COH_REGION_UNCACHED); and the 4 MiB below it
 *                            (PLAT_WC_BASE), Normal non-cacheable too, which
 *                            is what arm64 maps write-combining: a frame
 *                            (a coh_region with COH_REGION_WC).
 *   0x40_0000_0000 - 0x40_3fff_ffff  Device-nGnRE: the PCIe ECAM window
 *                            (highmem, 256 buses from PLAT_PCIE_ECAM_BASE).
 * PCIe memory BARs go in the 32-bit window 0x1000_0000-0x3efe_ffff (inside
 * the first gigabyte's Device mapping).  The 64-bit window at 512 GiB lies
 * beyond this 39-bit VA map (it would need a level-0 table): not mapped, so
 * platform/pcie is given the 32-bit window only.
 * Everything else above 2 GiB is unmapped.
 */
#ifndef COHERENT_PLATFORM_AARCH64_VIRT_MMU_H
#define COHERENT_PLATFORM_AARCH64_VIRT_MMU_H

#include <stdint.h>

#define PLAT_RAM_BASE		0x40000000u
#define PLAT_RAM_SIZE		0x08000000u	/* -m 128M */
#define PLAT_UNCACHED_SIZE	0x00200000u	/* one 2 MiB block */
#define PLAT_UNCACHED_BASE	(PLAT_RAM_BASE + PLAT_RAM_SIZE - PLAT_UNCACHED_SIZE)
#define PLAT_WC_SIZE		0x00400000u	/* two 2 MiB blocks: a 1280x800x32bpp frame */
#define PLAT_WC_BASE		(PLAT_UNCACHED_BASE - PLAT_WC_SIZE)

/* PCIe host of virt (QEMU hw/arm/virt.c memory map, highmem on) */
#define PLAT_PCIE_ECAM_BASE	0x4010000000ull
#define PLAT_PCIE_ECAM_BUSES	256u
#define PLAT_PCIE_MMIO32_BASE	0x10000000u
#define PLAT_PCIE_MMIO32_SIZE	0x2eff0000u

/* SCTLR_EL1 as left by plat_mmu_enable() (M, C and I set once it has run). */
uint64_t plat_sctlr(void);

/* Enable the MMU and caches (idempotent; run by a constructor). */
void plat_mmu_enable(void);

#endif
