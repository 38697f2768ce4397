/* SPDX-License-Identifier: MIT */
/*
 * Compiled at -O2 by tests/host/codegen.sh: a fence call for a coherent
 * device (the library's own inline fast path, src/internal.h) must be the
 * barrier alone, instruction for instruction - no statistics counter on
 * the way with the shipped release configuration.
 */
#include "internal.h"

int release_coherent(struct coh_device *dev);
int release_barrier(struct coh_device *dev);
int acquire_coherent(struct coh_device *dev);
int acquire_barrier(struct coh_device *dev);
int flush_coherent(struct coh_device *dev);
int flush_barrier(struct coh_device *dev);

int release_coherent(struct coh_device *dev)
{
	return coh__coherent_release(dev);
}

int release_barrier(struct coh_device *dev)
{
	(void)dev;
	coh_arch_io_wmb();
	return 0;
}

int acquire_coherent(struct coh_device *dev)
{
	return coh__coherent_acquire(dev);
}

int acquire_barrier(struct coh_device *dev)
{
	(void)dev;
	coh_arch_io_rmb();
	return 0;
}

int flush_coherent(struct coh_device *dev)
{
	return coh__coherent_flush(dev);
}

int flush_barrier(struct coh_device *dev)
{
	(void)dev;
	coh_arch_mb();
	return 0;
}
