/* SPDX-License-Identifier: MIT */
/*
 * platform/orangepi-pc - time for timeouts: the Cortex-A7 generic timer's
 * physical count (CNTPCT) at CNTFRQ Hz.  QEMU sets CNTFRQ (62.5 MHz); a
 * boot ROM or firmware sets it on hardware (24 MHz on the H3), and a zero
 * one is taken as 24 MHz.
 */
#include <stdint.h>

#include "board.h"

uint64_t opi_now_us(void)
{
	uint32_t frq, lo, hi;

	__asm__ volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(frq));
	/* the count is read after earlier instructions, not speculated early */
	__asm__ volatile("isb\n\tmrrc p15, 0, %0, %1, c14" : "=r"(lo), "=r"(hi) :: "memory");
	if (!frq)
		frq = 24000000u;
	return (((uint64_t)hi << 32) | lo) / (frq / 1000000u);
}
