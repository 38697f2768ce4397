/* SPDX-License-Identifier: MIT */
/**
 * @file
 * coherent/sifive_ccache.h - configuration of the riscv64-sifive-ccache
 * backend (SiFive composable cache / L2 on FU740 and StarFive JH7110).
 * Only that backend defines the function below.
 */
#ifndef COHERENT_SIFIVE_CCACHE_H
#define COHERENT_SIFIVE_CCACHE_H

#include "coherent/types.h"

/**
 * @brief Tell the backend where the cache controller's registers are.
 *
 * @param base CPU address at which the controller's register block is
 *             mapped (devicetree "sifive,ccache0" reg, e.g. 0x2010000 on
 *             JH7110), 8-byte aligned; 0 deconfigures the backend.
 * Until a base is set, every maintenance call on a non-coherent device fails
 * with -COH_ENODEV: nothing is ever skipped silently.  Lines are flushed by
 * writing their *physical* address (COH_VIRT_TO_PHYS) to base + 0x200.
 * Call it before any maintenance; it is not ordered against concurrent calls.
 * @retval 0 success
 * @retval -COH_EINVAL base is not 8-byte aligned
 */
int coh_sifive_ccache_init(uintptr_t base);

#endif /* COHERENT_SIFIVE_CCACHE_H */
