/* SPDX-License-Identifier: MIT */
/*
 * sim/mmio.c - MMIO windows dispatched to device models, interrupts, and
 * sim_step (a scheduling point that advances every model).
 */
#include <stdint.h>
#include <stdlib.h>

#include "sim_internal.h"

static struct win *win_of(const volatile void *a)
{
	uintptr_t p = (uintptr_t)a;

	for (unsigned k = 0; k < S.nwins; k++)
		if (p >= S.wins[k].base && p - S.wins[k].base < S.wins[k].size)
			return &S.wins[k];
	return NULL;
}

static void step_all(void)
{
	if (S.in_step)
		return; /* an interrupt handler's MMIO does not re-enter the models */
	S.in_step = 1;
	for (unsigned k = 0; k < S.nwins; k++)
		if (S.wins[k].ops->step)
			S.wins[k].ops->step(S.wins[k].ctx);
	S.in_step = 0;
}

void sim__step_devices(void)
{
	step_all();
}

void sim_step(void)
{
	sim__sched();
	step_all();
}

uint64_t sim__mmio_read(const volatile void *a, unsigned size)
{
	struct win *w = win_of(a);

	if (!w) {
		switch (size) {
		case 1: return *(const volatile uint8_t *)a;
		case 2: return *(const volatile uint16_t *)a;
		case 4: return *(const volatile uint32_t *)a;
		default: return *(const volatile uint64_t *)a;
		}
	}
	sim_step();
	return w->ops->read(w->ctx, (size_t)((uintptr_t)a - w->base), size);
}

void sim__mmio_write(volatile void *a, uint64_t v, unsigned size)
{
	struct win *w = win_of(a);

	if (!w) {
		switch (size) {
		case 1: *(volatile uint8_t *)a = (uint8_t)v; return;
		case 2: *(volatile uint16_t *)a = (uint16_t)v; return;
		case 4: *(volatile uint32_t *)a = (uint32_t)v; return;
		default: *(volatile uint64_t *)a = v; return;
		}
	}
	sim_step();
	/* the driver's line, for a doorbell report (the accessor is inlined there) */
	S.mmio_at = (struct site){ NULL, (uintptr_t)__builtin_return_address(0) };
	w->ops->write(w->ctx, (size_t)((uintptr_t)a - w->base), v, size);
	S.mmio_at = (struct site){ NULL, 0 };
}

void *sim_mmio_map(size_t size, const struct sim_mmio_ops *ops, void *ctx)
{
	struct win *w;

	if (!S.up || !ops || !ops->read || !ops->write || !size || S.nwins == MAXWIN)
		return NULL;
	w = &S.wins[S.nwins];
	/* a real host allocation, so window addresses never collide with RAM */
	w->mem = calloc(1, size);
	if (!w->mem)
		return NULL;
	w->base = (uintptr_t)w->mem;
	w->size = size;
	w->ops = ops;
	w->ctx = ctx;
	w->irq = NULL;
	S.nwins++;
	return w->mem;
}

int sim_irq_connect(void *regs, void (*fn)(void *arg), void *arg)
{
	struct win *w = win_of(regs);

	if (!w)
		return -COH_EINVAL;
	w->irq = fn;
	w->irq_arg = arg;
	return 0;
}

void sim_irq_raise(void *regs)
{
	struct win *w = win_of(regs);

	if (w && w->irq)
		w->irq(w->irq_arg);
}

void sim_dev_doorbell(const struct coh_device *dev)
{
	if (S.up && !(S.cfg.flags & SIM_F_NO_SANITIZER) && S.npend)
		sim__doorbell(dev);
}
