/* SPDX-License-Identifier: MIT */
/* src/driver.c - the out-of-line driver helpers of coherent/driver.h. */
#include "coherent/driver.h"
#include "internal.h"

int coh_virt_to_bus_at(const struct coh_device *dev, const void *cpu,
		       size_t len, coh_bus_t *bus,
		       const struct coh_where *where)
{
	uint64_t first, last;
	coh_bus_t b;

	if (bus)
		*bus = COH_BUS_ERROR;
	coh__api_check(dev && cpu && bus, where, COH_EINVAL,
		       "coh_virt_to_bus: NULL device, address or result");
	coh__api_check(len, where, COH_EINVAL, "coh_virt_to_bus: zero length");
	coh__api_check(len - 1 <= UINTPTR_MAX - (uintptr_t)cpu, where,
		       COH_EOVERFLOW, "coh_virt_to_bus: range wraps the address space");
	coh__api_check(!coh_virt_to_phys(cpu, &first) &&
			       !coh_virt_to_phys((const char *)cpu + (len - 1), &last),
		       where, COH_EFAULT, "coh_virt_to_bus: not known memory");
	/* both ends known is not enough: the range must be one physical run */
	coh__api_check(last >= first && last - first == len - 1, where, COH_EFAULT,
		       "coh_virt_to_bus: range is not physically contiguous");
	b = coh_phys_to_bus(dev, first);
	coh__api_check(coh_dma_reachable(dev, b, len), where, COH_ERANGE,
		       "coh_virt_to_bus: above the device's DMA mask");
	*bus = b;
	return 0;
}

static uint32_t coh__poll_read(const volatile void *reg, enum coh_poll_order o)
{
	switch (o) {
	case COH_POLL_LE:
		return coh_mmio_read32_le(reg);
	case COH_POLL_BE:
		return coh_mmio_read32_be(reg);
	default:
		return coh_mmio_read32(reg);
	}
}

int coh_mmio_poll32_at(const volatile void *reg, uint32_t mask, uint32_t want,
		       const struct coh_poll *how, uint32_t *val,
		       const struct coh_where *where)
{
	uint64_t start = 0, reads = 0;
	uint32_t v;

	coh__api_check(reg && how, where, COH_EINVAL,
		       "coh_mmio_poll32: NULL register or budget");
	coh__api_check(!(want & ~mask), where, COH_EINVAL,
		       "coh_mmio_poll32: want has bits outside mask, can never match");
	coh__api_check(how->order == COH_POLL_NATIVE || how->order == COH_POLL_LE ||
			       how->order == COH_POLL_BE,
		       where, COH_EINVAL, "coh_mmio_poll32: unknown byte order");
	coh__api_check(how->now || how->timeout, where, COH_EINVAL,
		       "coh_mmio_poll32: a budget of zero reads");
	if (how->now)
		start = how->now(how->ctx);
	for (;;) {
		v = coh__poll_read(reg, how->order);
		if ((v & mask) == want)
			break;
		if (how->now) {
			if (how->now(how->ctx) - start > how->timeout) {
				/* the deadline passed: one last look, as readl_poll_timeout */
				v = coh__poll_read(reg, how->order);
				if ((v & mask) == want)
					break;
				goto timeout;
			}
		} else if (++reads >= how->timeout) {
			goto timeout;
		}
		if (how->relax)
			how->relax(how->ctx);
	}
	if (val)
		*val = v;
	return 0;
timeout:
	/* not a diagnostic: a device that is slow is not a caller's mistake */
	if (val)
		*val = v;
	return -COH_ETIMEDOUT;
}
