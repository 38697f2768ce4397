/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <unistd.h>

#include "cmo_trap.h"

struct rv_cmo_log rv_cmo;
uintptr_t rv_flush64_reg;

void rv_trap_entry(void);
void rv_trap(uint64_t *regs);

void rv_cmo_reset(void)
{
	rv_cmo = (struct rv_cmo_log){ { 0 }, 0, { { 0, 0 } } };
}

static void record(enum rv_cmo_kind k, uint64_t addr)
{
	if (rv_cmo.n < RV_CMO_LOG)
		rv_cmo.ev[rv_cmo.n] = (struct rv_cmo_event){ k, addr };
	rv_cmo.n++;
	rv_cmo.count[k]++;
}

static uint32_t fetch(uint64_t pc, unsigned *len)
{
	/* two halfwords: with RVC a 32-bit instruction may be 2-byte aligned */
	const volatile uint16_t *p = (const volatile uint16_t *)(uintptr_t)pc;
	uint32_t insn = p[0];

	*len = 2;
	if ((insn & 3) == 3) {
		insn |= (uint32_t)p[1] << 16;
		*len = 4;
	}
	return insn;
}

/* An illegal instruction: 1 if it was a cache operation we model. */
static int cmo(uint32_t insn, const uint64_t *regs)
{
	uint64_t rs1 = regs[(insn >> 15) & 31];

	/* Zicbom: MISC-MEM, funct3 2, rd x0; imm selects the operation */
	if ((insn & 0x7fff) == 0x200f) {
		switch (insn >> 20) {
		case 0: record(RV_CBO_INVAL, rs1); return 1;
		case 1: record(RV_CBO_CLEAN, rs1); return 1;
		case 2: record(RV_CBO_FLUSH, rs1); return 1;
		default: return 0;	/* cbo.zero and reserved: not ours */
		}
	}
	if (insn == 0x0190000b) {	/* th.sync.s */
		record(RV_TH_SYNC_S, 0);
		return 1;
	}
	/* XTheadCMO by VA: custom-0, funct3 0, rd x0, funct7 1; rs2 field selects */
	if ((insn & 0xfe007fff) == 0x0200000b) {
		switch ((insn >> 20) & 31) {
		case 5: record(RV_TH_CVA, rs1); return 1;
		case 6: record(RV_TH_IVA, rs1); return 1;
		case 7: record(RV_TH_CIVA, rs1); return 1;
		default: return 0;
		}
	}
	return 0;
}

/* A store that faulted at the Flush64 address: 1 if it was a 64-bit store. */
static int flush64(uint32_t insn, unsigned len, const uint64_t *regs)
{
	unsigned rs2;

	if (len == 4 && (insn & 0x707f) == 0x3023)		/* sd */
		rs2 = (insn >> 20) & 31;
	else if (len == 2 && (insn & 0xe003) == 0xe000)		/* c.sd */
		rs2 = ((insn >> 2) & 7) + 8;
	else
		return 0;
	record(RV_CCACHE_FLUSH64, regs[rs2]);
	return 1;
}

void rv_trap(uint64_t *regs)
{
	uint64_t cause, epc, tval;
	uint32_t insn;
	unsigned len;

	__asm__ volatile("csrr %0, mcause" : "=r"(cause));
	__asm__ volatile("csrr %0, mepc" : "=r"(epc));
	__asm__ volatile("csrr %0, mtval" : "=r"(tval));
	insn = fetch(epc, &len);
	if ((cause == 2 && cmo(insn, regs)) ||
	    (cause == 7 && rv_flush64_reg && tval == rv_flush64_reg &&
	     flush64(insn, len, regs))) {
		epc += len;
		__asm__ volatile("csrw mepc, %0" : : "r"(epc));
		return;
	}
	printf("unexpected trap: mcause %#llx mepc %#llx mtval %#llx insn %#x\n",
	       (unsigned long long)cause, (unsigned long long)epc,
	       (unsigned long long)tval, (unsigned)insn);
	_exit(99);
}

__attribute__((constructor)) static void rv_trap_install(void)
{
	/* direct mode: every trap enters rv_trap_entry */
	__asm__ volatile("csrw mtvec, %0" : : "r"((uintptr_t)rv_trap_entry));
}
