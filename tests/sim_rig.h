/* SPDX-License-Identifier: MIT */
/*
 * tests/sim_rig.h - what the driver rigs on the simulator (tests/virtio,
 * tests/nvme, tests/sdhost) share: a report as one line, a silent
 * diagnostic handler for the hostile runs, and the rigs' PRNG.
 */
#ifndef COHERENT_TESTS_SIM_RIG_H
#define COHERENT_TESTS_SIM_RIG_H

#include <stdint.h>
#include <stdio.h>

#include "coherent/coherent.h"
#include "sim.h"

/* the report a failing run prints: class, seed, bus address, buffer, last change */
static inline void rig_report_line(char *dst, size_t n, const struct sim_report *r)
{
	snprintf(dst, n, "%s seed=%llu bus=0x%llx buf=%s last=%s:%d %s: %s",
		 sim_class_name(r->cls), (unsigned long long)r->seed,
		 (unsigned long long)r->bus, r->buf, r->file ? r->file : "-", r->line,
		 r->change, r->msg);
}

/* hostile runs refuse on purpose: their diagnostics are expected */
static inline void rig_quiet(const struct coh_where *w, const char *msg, int err)
{
	(void)w; (void)msg; (void)err;
}

static inline uint32_t rig_rnd(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

#endif
