/* SPDX-License-Identifier: MIT */
/*
 * Compiled at -O2 by tests/host/codegen.sh for a coherent build: each pair
 * of functions must produce the same instructions.
 */
#include "coherent/coherent.h"

struct desc {
	uint32_t d0, d1, d2, d3;
};
typedef COH_SHARED(struct desc) ring_t;

uint32_t read_accessor(ring_t *h, size_t i);
uint32_t read_volatile(ring_t *h, size_t i);
void write_accessor(ring_t *h, size_t i, uint32_t v);
void write_volatile(ring_t *h, size_t i, uint32_t v);

uint32_t read_accessor(ring_t *h, size_t i)
{
	return coh_read(h, [i].d3);
}

uint32_t read_volatile(ring_t *h, size_t i)
{
	return ((volatile struct desc *)h->m_.cpu_)[i].d3;
}

void write_accessor(ring_t *h, size_t i, uint32_t v)
{
	coh_write(h, [i].d1, v);
}

void write_volatile(ring_t *h, size_t i, uint32_t v)
{
	((volatile struct desc *)h->m_.cpu_)[i].d1 = v;
}
