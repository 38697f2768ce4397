/* SPDX-License-Identifier: MIT */
/* bench/sim_dma_conf.h - one simulator configuration of bench/sim_dma.c */
#ifndef COHERENT_BENCH_SIM_DMA_CONF_H
#define COHERENT_BENCH_SIM_DMA_CONF_H

#include <stddef.h>

/*
 * 4 KiB transfers over 16 buffer pairs: the simulator's RAM, its CPU view
 * and its shadow (3 x 128 KiB) and the memcpy baseline's buffers fit this
 * CPU's 1 MiB L2, so a row measures the simulator and not where the pages
 * of one simulator instance fell (with 64 pairs, 1.5 MiB, the same
 * configuration ran at 4.0 to 6.0 GB/s from one instance to the next).
 */
#define XFER 4096
#define NBUF 16

struct bench_sim_conf {
	const char *name;
	size_t line;
	int coherent;
	unsigned flags;
	int touch;
	int instr;	/* the driver loop compiled with coh_sim_instrument() */
};

int bench_sim(const struct bench_sim_conf *cf, long n);
int bench_sim_instr(const struct bench_sim_conf *cf, long n);

#endif
