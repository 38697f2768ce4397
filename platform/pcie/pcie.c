/* SPDX-License-Identifier: MIT */
/*
 * platform/pcie/pcie.c - ECAM enumeration and BAR assignment (pcie.h).
 */
#include "pcie.h"

#include "coherent/driver.h"
#include "coherent/error.h"

static volatile void *cfg(const struct pcie_host *h, unsigned int bus,
			  unsigned int dev, unsigned int fn, unsigned int reg)
{
	return (volatile void *)(h->ecam + ((uintptr_t)bus << 20) +
				 ((uintptr_t)dev << 15) + ((uintptr_t)fn << 12) +
				 (reg & 0xffcu));
}

uint32_t pcie_cfg_read32(const struct pcie_host *h, unsigned int bus,
			 unsigned int dev, unsigned int fn, unsigned int reg)
{
	return coh_mmio_read32_le(cfg(h, bus, dev, fn, reg));
}

void pcie_cfg_write32(const struct pcie_host *h, unsigned int bus,
		      unsigned int dev, unsigned int fn, unsigned int reg,
		      uint32_t v)
{
	coh_mmio_write32_le((volatile void *)cfg(h, bus, dev, fn, reg), v);
}

static bool window_ok(const struct pcie_window *w)
{
	return !w || w->size == 0 || w->base + w->size - 1 >= w->base;
}

int pcie_host_init(struct pcie_host *h, uintptr_t ecam, unsigned int buses,
		   const struct pcie_window *mem32, const struct pcie_window *mem64)
{
	if (!h || !ecam || buses == 0 || buses > 256 || !window_ok(mem32) ||
	    !window_ok(mem64))
		return -COH_EINVAL;
	*h = (struct pcie_host){ .ecam = ecam, .buses = buses };
	if (mem32)
		h->mem32 = *mem32;
	if (mem64)
		h->mem64 = *mem64;
	h->mem32.next = h->mem32.base;
	h->mem64.next = h->mem64.base;
	return 0;
}

/* Size the BARs of one function with its decoding off; everything restored. */
static void size_bars(struct pcie_fn *f)
{
	const struct pcie_host *h = f->host;
	unsigned int b = f->bus, d = f->dev, fn = f->fn;
	uint32_t cmd = pcie_cfg_read32(h, b, d, fn, PCIE_COMMAND);

	/* no decoding while a BAR holds all-ones: it would claim any address */
	pcie_cfg_write32(h, b, d, fn, PCIE_COMMAND,
			 cmd & 0xffffu & ~(PCIE_CMD_MEM | 1u));
	for (unsigned int i = 0; i < PCIE_MAX_BARS; i++) {
		unsigned int reg = PCIE_BAR0 + 4 * i;
		uint32_t orig = pcie_cfg_read32(h, b, d, fn, reg), lo, hi_orig = 0, hi = 0;
		struct pcie_bar *bar = &f->bar[i];
		uint64_t mask;

		pcie_cfg_write32(h, b, d, fn, reg, 0xffffffffu);
		lo = pcie_cfg_read32(h, b, d, fn, reg);
		pcie_cfg_write32(h, b, d, fn, reg, orig);
		if (lo == 0)
			continue;	/* not implemented */
		if (lo & 1u) {		/* I/O space */
			bar->io = true;
			bar->size = (uint64_t)(~(lo & ~3u) + 1u) & 0xffffu;
			continue;
		}
		bar->prefetch = (lo & 8u) != 0;
		bar->is64 = ((lo >> 1) & 3u) == 2u && i + 1 < PCIE_MAX_BARS;
		mask = lo & ~0xfull;
		if (bar->is64) {
			hi_orig = pcie_cfg_read32(h, b, d, fn, reg + 4);
			pcie_cfg_write32(h, b, d, fn, reg + 4, 0xffffffffu);
			hi = pcie_cfg_read32(h, b, d, fn, reg + 4);
			pcie_cfg_write32(h, b, d, fn, reg + 4, hi_orig);
			mask |= (uint64_t)hi << 32;
		} else {
			mask |= 0xffffffff00000000ull;
		}
		bar->size = ~mask + 1;
		if (bar->is64)
			i++;	/* the upper half is not a BAR of its own */
	}
	pcie_cfg_write32(h, b, d, fn, PCIE_COMMAND, cmd & 0xffffu);
}

int pcie_find(struct pcie_host *h, unsigned int bus, uint32_t class_code,
	      uint32_t class_mask, unsigned int index, struct pcie_fn *out)
{
	if (!h || !out || bus >= h->buses)
		return -COH_EINVAL;
	for (unsigned int d = 0; d < 32; d++) {
		for (unsigned int fn = 0; fn < 8; fn++) {
			uint32_t id = pcie_cfg_read32(h, bus, d, fn, PCIE_VENDOR);
			uint32_t cls, hdr;

			if ((id & 0xffffu) == 0xffffu) {
				if (fn == 0)
					break;	/* no device: no other function either */
				continue;
			}
			hdr = pcie_cfg_read32(h, bus, d, fn, PCIE_HEADER) >> 16;
			cls = pcie_cfg_read32(h, bus, d, fn, PCIE_CLASS_REV) >> 8;
			if ((cls & class_mask) == (class_code & class_mask) &&
			    (hdr & 0x7fu) == 0 && index-- == 0) {
				*out = (struct pcie_fn){ .host = h, .bus = (uint8_t)bus,
							 .dev = (uint8_t)d, .fn = (uint8_t)fn,
							 .vendor = (uint16_t)id,
							 .device = (uint16_t)(id >> 16),
							 .class_code = cls };
				size_bars(out);
				return 0;
			}
			if (fn == 0 && !(hdr & 0x80u))
				break;	/* single-function device */
		}
	}
	return -COH_ENODEV;
}

/* Next naturally aligned range of `size` bytes in w, or 0 (cursor unchanged). */
static uint64_t take(struct pcie_window *w, uint64_t size, uint64_t *next)
{
	uint64_t a = (*next + size - 1) & ~(size - 1);

	if (w->size == 0 || a < *next || a - w->base > w->size ||
	    size > w->size - (a - w->base))
		return 0;
	*next = a + size;
	return a;
}

int pcie_enable(struct pcie_fn *f)
{
	struct pcie_host *h;
	uint64_t n32, n64, addr[PCIE_MAX_BARS] = { 0 };
	unsigned int any = 0;
	uint32_t cmd;

	if (!f || !f->host)
		return -COH_EINVAL;
	h = f->host;
	n32 = h->mem32.next;
	n64 = h->mem64.next;
	/* plan every BAR first: a full window leaves nothing half-assigned */
	for (unsigned int i = 0; i < PCIE_MAX_BARS; i++) {
		struct pcie_bar *bar = &f->bar[i];

		if (bar->size == 0 || bar->io) {
			if (bar->io)
				h->io_bars_skipped++;
			continue;
		}
		if (bar->is64 && bar->prefetch && h->mem64.size)
			addr[i] = take(&h->mem64, bar->size, &n64);
		else
			addr[i] = take(&h->mem32, bar->size, &n32);
		if (!addr[i] || (!bar->is64 && addr[i] + bar->size - 1 > 0xffffffffull))
			return -COH_ENOMEM;
		any++;
	}
	if (!any)
		return -COH_EINVAL;
	cmd = pcie_cfg_read32(h, f->bus, f->dev, f->fn, PCIE_COMMAND) & 0xffffu;
	pcie_cfg_write32(h, f->bus, f->dev, f->fn, PCIE_COMMAND,
			 cmd & ~(PCIE_CMD_MEM | PCIE_CMD_MASTER | 1u));
	for (unsigned int i = 0; i < PCIE_MAX_BARS; i++) {
		unsigned int reg = PCIE_BAR0 + 4 * i;

		if (!addr[i])
			continue;
		f->bar[i].addr = addr[i];
		pcie_cfg_write32(h, f->bus, f->dev, f->fn, reg, (uint32_t)addr[i]);
		if (f->bar[i].is64)
			pcie_cfg_write32(h, f->bus, f->dev, f->fn, reg + 4,
					 (uint32_t)(addr[i] >> 32));
	}
	h->mem32.next = n32;
	h->mem64.next = n64;
	/* BARs programmed (ordered accesses) before decoding starts */
	pcie_cfg_write32(h, f->bus, f->dev, f->fn, PCIE_COMMAND,
			 cmd | PCIE_CMD_MEM | PCIE_CMD_MASTER);
	return 0;
}

void pcie_disable(struct pcie_fn *f)
{
	uint32_t cmd;

	if (!f || !f->host)
		return;
	cmd = pcie_cfg_read32(f->host, f->bus, f->dev, f->fn, PCIE_COMMAND) & 0xffffu;
	pcie_cfg_write32(f->host, f->bus, f->dev, f->fn, PCIE_COMMAND,
			 cmd & ~(PCIE_CMD_MEM | PCIE_CMD_MASTER));
}
