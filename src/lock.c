/* SPDX-License-Identifier: MIT */
#include "coherent/lock.h"
#include "internal.h"

const struct coh_lock_ops *coh__lock_ops;

int coh_set_lock_ops(const struct coh_lock_ops *ops)
{
	coh__api_check(!ops || (ops->lock && ops->unlock &&
				!ops->lock_irqsave == !ops->unlock_irqrestore),
		       COH_HERE, COH_EINVAL,
		       "coh_set_lock_ops: lock/unlock missing, or only one of lock_irqsave/unlock_irqrestore");
	__atomic_store_n(&coh__lock_ops, ops, __ATOMIC_RELEASE);
	return 0;
}

unsigned long coh__lock(int *word)
{
	const struct coh_lock_ops *ops = __atomic_load_n(&coh__lock_ops, __ATOMIC_ACQUIRE);

	if (ops) {
		if (ops->lock_irqsave)
			return ops->lock_irqsave(word);
		ops->lock(word);
		return 0;
	}
	/* acquire: the holder's writes before its unlock are seen after this */
	while (__atomic_exchange_n(word, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(word, __ATOMIC_RELAXED))
			;
	return 0;
}

void coh__unlock(int *word, unsigned long flags)
{
	const struct coh_lock_ops *ops = __atomic_load_n(&coh__lock_ops, __ATOMIC_ACQUIRE);

	if (ops) {
		if (ops->unlock_irqrestore)
			ops->unlock_irqrestore(word, flags);
		else
			ops->unlock(word);
		return;
	}
	/* release: writes in the critical section before the lock is seen free */
	__atomic_store_n(word, 0, __ATOMIC_RELEASE);
}
