/* SPDX-License-Identifier: MIT */
/*
 * sim/mmio.c - MMIO windows dispatched to device models, interrupts, and
 * sim_step (a scheduling point that advances every model).
 */
#define _GNU_SOURCE
#include <execinfo.h>
#include <pthread.h>
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
	sim__fast_reset();
	if (S.in_step)
		return; /* an interrupt handler's MMIO does not re-enter the models */
	S.in_step = 1;
	for (unsigned k = 0; k < S.nwins; k++)
		if (S.wins[k].ops->step) {
			/* what the model does now was started by its last register write */
			S.kick_at = S.wins[k].kick_at;
			S.wins[k].ops->step(S.wins[k].ctx);
		}
	S.kick_at = (struct site){ .pc = 0 };
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

/*
 * The return addresses of the callers of the caller, from the frame-pointer
 * chain, for code built without inlining (-O0 keeps frame pointers): there
 * the write's own return address is inside coh_arch.h and the driver's line
 * is one or two frames up.  Every frame pointer is checked to lie in this
 * thread's stack, above the last, so optimised code (no frame pointers,
 * where the return address already is the driver's line) yields unused
 * values, never a fault.  A few loads per MMIO write, where backtrace()
 * costs thousands of instructions; 0 if the chain is not there (the
 * caller then unwinds).  Not address-sanitised: a chain through frames
 * without frame pointers reads other live stack words, ASan's redzones
 * among them, which is harmless here (inside the stack, values only).
 */
__attribute__((no_sanitize_address))
static int callers(struct site *at, void *fp0)
{
	static __thread uintptr_t lo, hi;
	uintptr_t fp = (uintptr_t)fp0;

	if (!hi) {
		pthread_attr_t attr;
		void *base;
		size_t size;

		if (pthread_getattr_np(pthread_self(), &attr))
			return 0;
		if (!pthread_attr_getstack(&attr, &base, &size)) {
			lo = (uintptr_t)base;
			hi = lo + size;
		}
		pthread_attr_destroy(&attr);
		if (!hi)
			return 0;
	}
	/* fp: this function's frame; [fp] the caller's frame, [fp + 8] the return address */
	for (int k = -1; k < 3; k++) {
		uintptr_t next;

		if (fp < lo || fp + 16 > hi || (fp & 7))
			return k >= 1;
		next = *(const uintptr_t *)fp;
		if (k >= 0)
			at->up[k] = *(const uintptr_t *)(fp + 8);
		if (next <= fp)
			return k >= 1;
		fp = next;
	}
	return 1;
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
	/*
	 * The driver's line, for the reports this write starts: at -O2 the
	 * accessor is inlined there (pc); at -O0 pc is in coh_arch.h and the
	 * driver is a caller or two up (callers()).  Kept per window: the
	 * device's later accesses are started by this write.
	 */
	{
		struct site at = { .pc = (uintptr_t)__builtin_return_address(0) };
		struct site kick = S.kick_at;
		struct win *cur = S.cur_win;

		if (!(S.cfg.flags & SIM_F_NO_SANITIZER) &&
		    !callers(&at, __builtin_frame_address(0))) {
			/* no frame pointers (-O1 with the accessor out of line): unwind */
			void *bt[5];
			int n = backtrace(bt, 5);

			for (int k = 2; k < n; k++)
				at.up[k - 2] = (uintptr_t)bt[k];
		}
		S.mmio_at = at;
		/* a model that names its doorbells (sim_dev_doorbell) keeps the last one */
		if (!w->kick_doorbell)
			w->kick_at = at;
		S.cur_win = w;
		S.kick_at = w->kick_at;
		w->ops->write(w->ctx, (size_t)((uintptr_t)a - w->base), v, size);
		/* an interrupt handler's write inside a model's step: restore the step's */
		S.cur_win = cur;
		S.kick_at = kick;
		S.mmio_at = (struct site){ .pc = 0 };
	}
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
	if (S.cur_win && S.mmio_at.pc) {
		/* this register write is what starts the device's accesses from now on */
		S.cur_win->kick_at = S.mmio_at;
		S.cur_win->kick_doorbell = 1;
		S.kick_at = S.mmio_at;
	}
	if (S.up && !(S.cfg.flags & SIM_F_NO_SANITIZER) && S.npend)
		sim__doorbell(dev);
}
