/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "mutant.h"
#include "sim.h"
#include "sunxi_mmc_regs.h"

int sdh_mut_post_own_first(struct coh_ring *r, const void *descs, size_t n,
			   const struct coh_where *where)
{
	struct sunxi_idma_desc d[64];
	size_t first = coh_ring_next(r);
	int rc;

	if (n > 64)
		return -COH_EINVAL;
	memcpy(d, descs, n * sizeof(d[0]));
	for (size_t i = 0; i < n; i++)
		d[i].buf_addr = 0;
	rc = coh_ring_post_n_at(r, d, n, where);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		struct sunxi_idma_desc *p = sim_phys_to_virt(coh_ring_bus(r, first + i));

		p->buf_addr = ((const struct sunxi_idma_desc *)descs)[i].buf_addr;
	}
	return rc;
}
