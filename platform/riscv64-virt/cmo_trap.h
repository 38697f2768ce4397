/* SPDX-License-Identifier: MIT */
/*
 * riscv64-virt test platform: QEMU 7.2 implements neither Zicbom nor
 * XTheadCMO, so their instructions raise illegal-instruction traps.  The
 * M-mode handler here decodes them, records kind and address, and skips
 * them, so the real backend code runs unchanged and its maintenance can be
 * counted.  A 64-bit store to the emulated SiFive Flush64 register (an
 * unmapped address: store access fault) is recorded the same way.
 * Anything else that traps ends the run with exit status 99.
 */
#ifndef COHERENT_PLATFORM_RISCV64_CMO_TRAP_H
#define COHERENT_PLATFORM_RISCV64_CMO_TRAP_H

#include <stddef.h>
#include <stdint.h>

enum rv_cmo_kind {
	RV_CBO_CLEAN, RV_CBO_INVAL, RV_CBO_FLUSH,		/* Zicbom */
	RV_TH_CVA, RV_TH_IVA, RV_TH_CIVA, RV_TH_SYNC_S,		/* XTheadCMO */
	RV_CCACHE_FLUSH64,					/* SiFive */
	RV_CMO_KINDS
};

struct rv_cmo_event {
	enum rv_cmo_kind kind;
	uint64_t addr;		/* rs1 for CMOs, the value stored for Flush64 */
};

#define RV_CMO_LOG 512

struct rv_cmo_log {
	unsigned long count[RV_CMO_KINDS];
	size_t n;		/* events so far; only the first RV_CMO_LOG kept */
	struct rv_cmo_event ev[RV_CMO_LOG];
};

extern struct rv_cmo_log rv_cmo;

/* Address whose stores count as Flush64 writes (0: none). */
extern uintptr_t rv_flush64_reg;

void rv_cmo_reset(void);

#endif
