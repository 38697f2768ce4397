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
 */
#ifndef COHERENT_LOCK_H
#define COHERENT_LOCK_H

#include "coherent/types.h"

/** A platform's lock primitive, keyed by the address of the library's lock word. */
struct coh_lock_ops {
	void (*lock)(int *word);	/**< take the lock at word (may spin or sleep, the platform's choice) */
	void (*unlock)(int *word);	/**< release it */
};

/**
 * @brief Install lock primitives; NULL restores the built-in spinlock.
 * Call before any other library call, never while a lock is held.
 */
void coh_set_lock_ops(const struct coh_lock_ops *ops);

#endif /* COHERENT_LOCK_H */
