/* SPDX-License-Identifier: MIT */
#include "coherent/lock.h"
#include "internal.h"

static const struct coh_lock_ops *coh__lock_ops;

void coh_set_lock_ops(const struct coh_lock_ops *ops)
{
	__atomic_store_n(&coh__lock_ops, ops, __ATOMIC_RELEASE);
}

void coh__lock(int *word)
{
	const struct coh_lock_ops *ops = __atomic_load_n(&coh__lock_ops, __ATOMIC_ACQUIRE);

	if (ops) {
		ops->lock(word);
		return;
	}
	/* acquire: the holder's writes before its unlock are seen after this */
	while (__atomic_exchange_n(word, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(word, __ATOMIC_RELAXED))
			;
}

void coh__unlock(int *word)
{
	const struct coh_lock_ops *ops = __atomic_load_n(&coh__lock_ops, __ATOMIC_ACQUIRE);

	if (ops) {
		ops->unlock(word);
		return;
	}
	/* release: writes in the critical section before the lock is seen free */
	__atomic_store_n(word, 0, __ATOMIC_RELEASE);
}
