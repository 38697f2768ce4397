/* SPDX-License-Identifier: MIT */
#include "coherent/backend.h"
#include "coherent/sifive_ccache.h"

uintptr_t coh__sifive_ccache_base;

int coh_sifive_ccache_init(uintptr_t base)
{
	if (base & 7u)
		return -COH_EINVAL;
	__atomic_store_n(&coh__sifive_ccache_base, base, __ATOMIC_RELAXED);
	return 0;
}
