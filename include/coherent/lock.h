/* SPDX-License-Identifier: MIT */
/**
 * @file
 * coherent/lock.h - how the library protects its own state.
 *
 * Context: coh_set_lock_ops() at start-up, before any other library call.
 *
 * Allocators, pools, bounce regions and the debug checker each hold one
 * `int` lock word.  By default the library spins on it with atomics (safe
 * everywhere, right for bare metal and short critical sections).  An RTOS
 * or kernel installs its own primitive (a mutex keyed by the word's
 * address, an IRQ-save spinlock) with coh_set_lock_ops().
 *
 * Interrupt context: the built-in spinlock does not mask interrupts, so a
 * call that takes a lock (docs/context.md lists them: pool alloc/free,
 * streaming map/unmap with bounce buffers, allocation, and in debug builds
 * give/take and the accessors' checks) must not run in an interrupt
 * handler that can interrupt another such call on the same CPU - it would
 * spin for ever on the word the interrupted code holds.  A platform that
 * makes such calls from interrupt context installs lock_irqsave /
 * unlock_irqrestore: the library then takes every one of its locks with
 * local interrupts masked for the (short, bounded) critical section.
 */
#ifndef COHERENT_LOCK_H
#define COHERENT_LOCK_H

#include "coherent/types.h"

/** A platform's lock primitive, keyed by the address of the library's lock word. */
struct coh_lock_ops {
	void (*lock)(int *word);	/**< take the lock at word (may spin or sleep, the platform's choice) */
	void (*unlock)(int *word);	/**< release it */
	/**
	 * Optional, both or neither: take the lock with local interrupts
	 * masked and return what unlock_irqrestore() must restore (Linux
	 * spin_lock_irqsave, Zephyr k_spin_lock, FreeRTOS
	 * taskENTER_CRITICAL_FROM_ISR).  When set, the library uses them for
	 * every lock it takes, and lock/unlock are not called.
	 */
	unsigned long (*lock_irqsave)(int *word);	/**< optional: lock with interrupts masked, returns the flags */
	void (*unlock_irqrestore)(int *word, unsigned long flags);	/**< optional: unlock, restore the flags */
};

/**
 * @brief Install lock primitives; NULL restores the built-in spinlock.
 * Call before any other library call, never while a lock is held.
 * Ownership: the library keeps the pointer; ops must outlive its use.
 * @retval 0 success
 * @retval -COH_EINVAL lock or unlock is NULL, or only one of
 *         lock_irqsave / unlock_irqrestore is set (nothing changes)
 * Interrupt context: no (configuration, at start-up).
 */
int coh_set_lock_ops(const struct coh_lock_ops *ops);

#endif /* COHERENT_LOCK_H */
