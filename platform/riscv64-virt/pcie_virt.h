/* SPDX-License-Identifier: MIT */
/*
 * platform/riscv64-virt/pcie_virt.h - the PCIe host of QEMU riscv64 virt
 * (hw/riscv/virt.c memory map): ECAM at 0x3000_0000 (256 buses), the
 * 32-bit memory window 0x4000_0000-0x7fff_ffff.  The tests run in M-mode
 * without translation, so both are reached at their physical addresses;
 * there is no uncached RAM window on this board.
 */
#ifndef COHERENT_PLATFORM_RISCV64_PCIE_VIRT_H
#define COHERENT_PLATFORM_RISCV64_PCIE_VIRT_H

#define PLAT_PCIE_ECAM_BASE	0x30000000ull
#define PLAT_PCIE_ECAM_BUSES	256u
#define PLAT_PCIE_MMIO32_BASE	0x40000000u
#define PLAT_PCIE_MMIO32_SIZE	0x40000000u

#endif
