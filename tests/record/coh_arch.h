/* SPDX-License-Identifier: MIT */
/*
 * tests/record - a backend that performs nothing and records everything:
 * which line operation hit which line, and every barrier, so host tests can
 * assert the exact maintenance a call does (edges flushed, one barrier).
 */
#ifndef COHERENT_TEST_RECORD_H
#define COHERENT_TEST_RECORD_H

#include <stddef.h>
#include <stdint.h>

#define COH_ARCH_NAME "record"
#define COH_ARCH_CAN_MAINTAIN 1
#define COH_ARCH_FLUSH_ONLY 0

#define REC_MAX 4096

struct rec_event {
	char op;		/* 'C'lean 'I'nval 'F'lush, 'B'arrier after maint,
				   'W' io_wmb, 'R' io_rmb, 'M' mb, 'D' dma_mb,
				   'w' wmb, 'r' rmb, 'S' wc_wmb */
	uintptr_t addr;		/* line address (0 for barriers) */
};

extern struct rec_event rec_log[REC_MAX];
extern size_t rec_n;
extern size_t rec_hw_line;	/* what line_size_hw reports */
extern int rec_fail;		/* non-zero: every range check fails with it */

static inline void rec_push(char op, uintptr_t a)
{
	if (rec_n < REC_MAX)
		rec_log[rec_n] = (struct rec_event){ op, a };
	rec_n++;
}

static inline size_t coh_arch_line_size_hw(void)
{
	return rec_hw_line;
}

static inline void coh_arch_clean_lines(uintptr_t s, uintptr_t e, size_t l)
{
	for (; s < e; s += l)
		rec_push('C', s);
}

static inline void coh_arch_inval_lines(uintptr_t s, uintptr_t e, size_t l)
{
	for (; s < e; s += l)
		rec_push('I', s);
}

static inline void coh_arch_flush_lines(uintptr_t s, uintptr_t e, size_t l)
{
	for (; s < e; s += l)
		rec_push('F', s);
}

static inline void coh_arch_maint_done(void) { rec_push('B', 0); }
static inline void coh_arch_wmb(void) { rec_push('w', 0); }
static inline void coh_arch_rmb(void) { rec_push('r', 0); }
static inline void coh_arch_dma_mb(void) { rec_push('D', 0); }
static inline void coh_arch_mb(void) { rec_push('M', 0); }
static inline void coh_arch_io_wmb(void) { rec_push('W', 0); }
static inline void coh_arch_io_rmb(void) { rec_push('R', 0); }
#define coh_arch_wc_wmb coh_arch_wc_wmb
static inline void coh_arch_wc_wmb(void) { rec_push('S', 0); }	/* WC drain */

/* a backend that cannot maintain (no controller, range refused) on demand */
static inline int coh_arch_range_check(uintptr_t start, uintptr_t end)
{
	(void)start;
	(void)end;
	return rec_fail;
}
#define coh_arch_range_check coh_arch_range_check

#define REC_IO(N)                                                              \
	static inline uint##N##_t coh_arch_read##N(const volatile void *a)     \
	{                                                                      \
		return *(const volatile uint##N##_t *)a;                       \
	}                                                                      \
	static inline void coh_arch_write##N(volatile void *a, uint##N##_t v)  \
	{                                                                      \
		*(volatile uint##N##_t *)a = v;                                \
	}
REC_IO(8)
REC_IO(16)
REC_IO(32)
REC_IO(64)

#endif
