/* SPDX-License-Identifier: MIT */
#include "internal.h"

#define COH__DEV_KNOWN_FLAGS (COH_DEV_COHERENT | COH_DEV_UNTRUSTED)

int coh_device_init(struct coh_device *dev, const char *name,
		    unsigned int flags)
{
	coh__api_check(dev, COH_HERE, COH_EINVAL, "coh_device_init: dev is NULL");
	coh__api_check(!(flags & ~COH__DEV_KNOWN_FLAGS), COH_HERE, COH_EINVAL,
		       "coh_device_init: unknown flag bits");
	*dev = (struct coh_device){
		.name = name ? name : "?",
		.flags = flags,
		.dma_mask = 0xffffffffu,
		.bus_offset = 0,
		.max_seg_size = 0,
		.seg_boundary_mask = ~(uint64_t)0,
		.min_align = 1,
		.edge_policy = COH_EDGE_BOUNCE,
	};
	return 0;
}

uint64_t coh__dma_mask_rt(unsigned int bits)
{
	if (bits == 0 || bits > 64)
		return 0;
	return bits == 64 ? ~(uint64_t)0 : ((uint64_t)1 << bits) - 1;
}

int coh_dma_mask_try(unsigned int bits, uint64_t *mask)
{
	coh__api_check(mask, COH_HERE, COH_EINVAL, "coh_dma_mask_try: mask is NULL");
	coh__api_check(bits >= 1 && bits <= 64, COH_HERE, COH_EINVAL,
		       "coh_dma_mask_try: width must be 1..64 bits");
	*mask = coh__dma_mask_rt(bits);
	return 0;
}

int coh_device_set_mask_bits(struct coh_device *dev, unsigned int bits)
{
	uint64_t m;
	int rc;

	coh__api_check(dev, COH_HERE, COH_EINVAL, "coh_device_set_mask_bits: dev is NULL");
	rc = coh_dma_mask_try(bits, &m);
	if (rc)
		return rc;
	dev->dma_mask = m;
	return 0;
}

void coh_stats_reset(struct coh_device *dev)
{
	unsigned long *p = (unsigned long *)&dev->stats;

	for (size_t i = 0; i < sizeof(dev->stats) / sizeof(*p); i++)
		__atomic_store_n(&p[i], 0, __ATOMIC_RELAXED);
}

void coh_stats_get(const struct coh_device *dev, struct coh_stats *out)
{
	const unsigned long *p = (const unsigned long *)&dev->stats;
	unsigned long *q = (unsigned long *)out;

	for (size_t i = 0; i < sizeof(dev->stats) / sizeof(*p); i++)
		q[i] = __atomic_load_n(&p[i], __ATOMIC_RELAXED);
}
