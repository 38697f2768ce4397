/* SPDX-License-Identifier: MIT */
/*
 * tests/sdhost/mutant.h - helpers the planted bugs of tests/sdhost call
 * from their mutated copies of drivers/sunxi-mmc/sunxi_mmc.c (forced
 * include; CMakeLists.txt says which bug replaces what).  Test code only.
 */
#ifndef COHERENT_TESTS_SDHOST_MUTANT_H
#define COHERENT_TESTS_SDHOST_MUTANT_H

#include "coherent/coherent.h"

/*
 * Owner bit before the address: the chain is handed over with every
 * buffer address still 0, and the addresses are stored afterwards with
 * plain CPU stores nothing makes visible (what a driver that writes OWN
 * first and the address later, with the device fetching in between,
 * leaves the device to see).
 */
int sdh_mut_post_own_first(struct coh_ring *r, const void *descs, size_t n,
			   const struct coh_where *where);

#endif
