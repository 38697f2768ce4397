/* SPDX-License-Identifier: MIT */
/*
 * sim/device.c - the device side: bus address translation and the DMA
 * mask, device reads and writes through the cache model, the ordering
 * models' device hooks.
 */
#include <string.h>

#include "sim_internal.h"

/* 0 and the area's CPU pointer, or -COH_EFAULT with a report */
static int dev_map(const struct coh_device *dev, coh_bus_t bus, size_t len,
		   const char *what, int *area, uintptr_t *cpu)
{
	uint64_t phys, last;

	if (!S.up || !dev)
		return -COH_EFAULT;
	phys = bus - dev->bus_offset;
	last = bus + len - 1;
	if (last < bus || last > dev->dma_mask) {
		sim__report(SIM_BAD_BUS_ADDRESS, SIZE_MAX, bus, dev,
			    "device %s of %zu byte(s) beyond its DMA mask 0x%llx",
			    what, len, (unsigned long long)dev->dma_mask);
		return -COH_EFAULT;
	}
	if (phys >= S.phys && phys - S.phys < S.size && len <= S.size - (phys - S.phys)) {
		*area = 0;
		*cpu = (uintptr_t)S.cpu + (uintptr_t)(phys - S.phys);
		return 0;
	}
	if (S.usize && phys >= S.uphys && phys - S.uphys < S.usize &&
	    len <= S.usize - (phys - S.uphys)) {
		*area = 1;
		*cpu = (uintptr_t)S.ucpu + (uintptr_t)(phys - S.uphys);
		return 0;
	}
	sim__report(SIM_BAD_BUS_ADDRESS, SIZE_MAX, bus, dev,
		    "device %s of %zu byte(s) outside simulated RAM", what, len);
	return -COH_EFAULT;
}

/*
 * Device-side ownership (area 0, where the library's calls are tracked):
 * a device may write bytes given FROM_DEVICE/BIDIRECTIONAL, and read bytes
 * given in any direction; memory shared, or maintained with
 * release/acquire/flush (the fence layer: the driver keeps ownership by
 * itself) is the driver's business.
 */
static void dev_write_check(const struct coh_device *dev, size_t i, bm_t part)
{
	struct sline *m = &S.meta[i];
	bm_t bad = bm_andnot(part, bm_or(m->devin, m->dok));
	const char *why;
	unsigned b;

	if (!bm_any(bad) || (S.cfg.flags & SIM_F_NO_DEVICE_CHECKS))
		return;
	b = bm_first(bad);
	if (m->dfree.w[b >> 6] >> (b & 63) & 1)
		why = "freed";
	else if (m->dtaken.w[b >> 6] >> (b & 63) & 1)
		why = "taken back by the CPU (unmapped)";
	else if (m->devown.w[b >> 6] >> (b & 63) & 1)
		why = "given TO_DEVICE only";
	else
		why = "never given";
	sim__report(SIM_DEVICE_WRITE_NOT_OWNED, i, 0, dev,
		    "device wrote %u byte(s) it does not own (first at +%u: %s)",
		    bm_count(bad), b, why);
}

static void dev_read_check(const struct coh_device *dev, size_t i, bm_t part)
{
	struct sline *m = &S.meta[i];
	bm_t bad = bm_andnot(part, bm_or(m->devown, m->dok));
	unsigned b;

	if (!bm_any(bad) || (sim__dev_flags(dev) & SIM_DEV_READS_ANY) ||
	    (S.cfg.flags & SIM_F_NO_DEVICE_CHECKS))
		return;
	b = bm_first(bad);
	sim__report(SIM_DEVICE_READ_NOT_GIVEN, i, 0, dev,
		    "device read %u byte(s) not given to it (first at +%u: %s)",
		    bm_count(bad), b,
		    m->dtaken.w[b >> 6] >> (b & 63) & 1 ? "taken back by the CPU"
		    : m->dfree.w[b >> 6] >> (b & 63) & 1 ? "freed" : "never given");
}

static int dev_read(const struct coh_device *dev, coh_bus_t bus, void *dst,
		    size_t len, size_t flag_off, uint32_t flag_mask)
{
	uintptr_t p;
	int area, rc;
	uint8_t *out = dst;
	size_t a, b;

	if (!len)
		return 0;
	rc = dev_map(dev, bus, len, "read", &area, &p);
	if (rc)
		return rc;
	sim__trace_dev(flag_mask ? "device fetch" : "device read", dev, p, len);
	if (S.cfg.flags & SIM_F_NO_SANITIZER) {
		memcpy(dst, (void *)p, len);
		return 0;
	}
	if (area == 1) {
		memcpy(dst, (void *)p, len);
		if (S.npend)
			sim__pend_view(dev, bus, p, len, out, flag_off, flag_mask);
		if (flag_mask)
			sim__desc_fetched(dev, p, len, flag_off, flag_mask, out);
		return 0;
	}
	line_span(p, p + len, &a, &b);
	for (size_t i = a; i < b; i++) {
		struct sline *m = &S.meta[i];
		uintptr_t ls = (uintptr_t)CPU(i);
		uintptr_t s = p > ls ? p : ls;
		uintptr_t e = p + len < ls + S.line ? p + len : ls + S.line;
		bm_t part = line_part(i, s, e);
		const uint8_t *from;

		sim__touch(i);
		dev_read_check(dev, i, part);
		if (dirty(i)) {
			bm_t d = bm_and(diff_mask(CPU(i), SHD(i), S.line), part);
			bm_t own = bm_and(d, m->devown);

			m->invalid = 0;
			if (bm_any(own))
				sim__report(SIM_CPU_WRITE_DEVICE_OWNED, i, 0, dev,
					    "device read %u byte(s) the CPU wrote while the device owned them (first at +%u)",
					    bm_count(own), bm_first(own));
			d = bm_andnot(bm_and(d, diff_mask(CPU(i), RAM(i), S.line)),
				      m->devown);
			if (!coh_device_is_coherent(dev) && bm_any(d))
				sim__report(SIM_STALE_DEVICE_READ, i, 0, dev,
					    "device read %u byte(s) whose CPU writes were never cleaned (first at +%u)",
					    bm_count(d), bm_first(d));
		}
		from = coh_device_is_coherent(dev) ? CPU(i) : RAM(i);
		memcpy(out + (s - p), from + (s - ls), e - s);
	}
	/* a snooping device sees CPU stores as they become visible, not at a clean */
	if (S.npend && coh_device_is_coherent(dev))
		sim__pend_view(dev, bus, p, len, out, flag_off, flag_mask);
	if (flag_mask && coh_device_is_coherent(dev))
		sim__desc_fetched(dev, p, len, flag_off, flag_mask, out);
	return 0;
}

int sim_dev_read(const struct coh_device *dev, coh_bus_t bus, void *dst,
		 size_t len)
{
	int rc;

	sim__fast_reset();
	S.in_dev++;
	rc = dev_read(dev, bus, dst, len, 0, 0);
	S.in_dev--;
	return rc;
}

int sim_dev_fetch(const struct coh_device *dev, coh_bus_t bus, void *dst,
		  size_t len, size_t flag_off, uint32_t flag_mask)
{
	int rc;

	sim__fast_reset();
	S.in_dev++;
	rc = dev_read(dev, bus, dst, len, flag_off, flag_mask);
	S.in_dev--;
	return rc;
}

static int dev_write(const struct coh_device *dev, coh_bus_t bus, const void *src,
		     size_t len);

/* reports made inside a device access name the register write that started it (report.c) */
int sim_dev_write(const struct coh_device *dev, coh_bus_t bus, const void *src,
		  size_t len)
{
	int rc;

	sim__fast_reset();
	S.in_dev++;
	rc = dev_write(dev, bus, src, len);
	S.in_dev--;
	return rc;
}

static int dev_write(const struct coh_device *dev, coh_bus_t bus, const void *src,
		     size_t len)
{
	uintptr_t p;
	int area, rc;
	const uint8_t *in = src;
	size_t a, b;

	if (!len)
		return 0;
	rc = dev_map(dev, bus, len, "write", &area, &p);
	if (rc)
		return rc;
	sim__trace_dev("device write", dev, p, len);
	if (coh_device_is_coherent(dev))
		S.coherent_seen = 1;
	if (S.npend)
		sim__pend_drop(p, len);
	if (!(S.cfg.flags & SIM_F_NO_SANITIZER) &&
	    (area == 1 || coh_device_is_coherent(dev)))
		sim__hist_add(dev, p, in, len);
	if (area == 1 || (S.cfg.flags & SIM_F_NO_SANITIZER)) {
		memcpy((void *)p, src, len);
		return 0;
	}
	line_span(p, p + len, &a, &b);
	for (size_t i = a; i < b; i++) {
		struct sline *m = &S.meta[i];
		uintptr_t ls = (uintptr_t)CPU(i);
		uintptr_t s = p > ls ? p : ls;
		uintptr_t e = p + len < ls + S.line ? p + len : ls + S.line;
		size_t lo = s - ls, n = e - s;
		const uint8_t *v = in + (s - p);
		uint8_t *c = CPU(i), *r = RAM(i), *sh = SHD(i);
		bm_t part = bm_range(lo, lo + n);

		sim__touch(i);
		sim__trace_line("device write", i, dev);
		dev_write_check(dev, i, part);
		if (dirty(i)) {
			bm_t own = bm_and(diff_mask(c, sh, S.line), m->devown);

			m->invalid = 0;
			if (bm_any(own))
				sim__report(SIM_CPU_WRITE_DEVICE_OWNED, i, 0, dev,
					    "CPU wrote %u byte(s) the device owns (first at +%u) before the device wrote the line",
					    bm_count(own), bm_first(own));
			if (!coh_device_is_coherent(dev))
				m->dirty_at_dev = 1;
		}
		if (coh_device_is_coherent(dev)) {
			/* snoop: the CPU view is updated with RAM */
			memcpy(c + lo, v, n);
			memcpy(sh + lo, v, n);
			memcpy(r + lo, v, n);
			m->dstale = bm_andnot(m->dstale, part);
			continue;
		}
		/* the CPU must invalidate before it reads these (an acquire or a take) */
		m->dnoacq = bm_or(m->dnoacq, part);
		if (m->invalid && sim__chance(S.cfg.refill_permille)) {
			/* the CPU prefetched the line before this write landed */
			m->invalid = 0;
			m->spec = 1;
		}
		memcpy(r + lo, v, n);
		if (m->invalid) {
			/* not cached: a later CPU read misses and sees RAM */
			memcpy(c + lo, v, n);
			memcpy(sh + lo, v, n);
			continue;
		}
		for (size_t k = 0; k < n; k++)
			bm_set(&m->dstale, lo + k, c[lo + k] != v[k]);
	}
	return 0;
}

int sim_dev_set(const struct coh_device *dev, unsigned flags)
{
	unsigned k;

	if (!S.up || !dev)
		return -COH_EINVAL;
	for (k = 0; k < S.ndev_opt && S.dev_opt[k] != dev; k++)
		;
	if (k == S.ndev_opt) {
		if (k == sizeof(S.dev_opt) / sizeof(S.dev_opt[0]))
			return -COH_ENOMEM;
		S.dev_opt[S.ndev_opt++] = dev;
	}
	S.dev_optf[k] = flags;
	return 0;
}

unsigned sim__dev_flags(const struct coh_device *dev)
{
	for (unsigned k = 0; k < S.ndev_opt; k++)
		if (S.dev_opt[k] == dev)
			return S.dev_optf[k];
	return 0;
}
