/* SPDX-License-Identifier: MIT */
/*
 * riscv64-virt with the SiFive ccache backend: the controller is given the
 * JH7110 base, 0x2010000.  Nothing is mapped there on QEMU virt, so each
 * Flush64 store raises a store access fault that cmo_trap.c records.
 */
#include "coherent/sifive_ccache.h"
#include "cmo_trap.h"

uintptr_t rv_test_ccache_base = 0x2010000u;

__attribute__((constructor)) static void rv_sifive_setup(void)
{
	rv_flush64_reg = rv_test_ccache_base + 0x200u;
	coh_sifive_ccache_init(rv_test_ccache_base);
}
