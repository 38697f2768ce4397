/* SPDX-License-Identifier: MIT */
/*
 * src/check.c - the streaming DMA checker (debug builds).
 *
 * What Linux's kernel/dma/debug.c reports, from the same vantage point (the
 * call parameters): unmap or sync of memory never mapped; size, direction
 * or type mismatch at unmap; sync in another direction than the mapping's;
 * sync outside the mapping; a mapping whose error was never checked;
 * scatter-gather segments beyond the device's limits; two live mappings
 * sharing a cache line; mappings live at device teardown.  The per-device
 * records (stream.c) answer most questions; the table below adds the view
 * across devices that line sharing needs.  What Linux cannot see (the CPU
 * touching device-owned bytes) is the simulator's, through COH_OP_GIVE/TAKE.
 */
#include <stdarg.h>

#include "stream_internal.h"

#if COH_DEBUG

struct coh__fmt {
	char b[480];
	size_t n;
};

static void coh__put_c(struct coh__fmt *f, char c)
{
	if (f->n + 1 < sizeof(f->b))
		f->b[f->n++] = c;
}

static void coh__put_s(struct coh__fmt *f, const char *s)
{
	if (!s)
		s = "(null)";
	while (*s)
		coh__put_c(f, *s++);
}

static void coh__put_u(struct coh__fmt *f, uint64_t v, unsigned int base)
{
	char t[24];
	int i = 0;

	if (base == 16)
		coh__put_s(f, "0x");
	do {
		unsigned int d = (unsigned int)(v % base);

		t[i++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
		v /= base;
	} while (v);
	while (i)
		coh__put_c(f, t[--i]);
}

static void coh__put_where(struct coh__fmt *f, const struct coh_where *w)
{
	if (!w) {
		coh__put_s(f, "?");
		return;
	}
	coh__put_s(f, w->file);
	coh__put_c(f, ':');
	coh__put_u(f, (uint64_t)(w->line < 0 ? 0 : w->line), 10);
}

/*
 * A tiny formatter, since the core has no libc: %s string, %z size_t,
 * %x uint64_t in hex, %d int, %D direction name, %W struct coh_where *.
 */
static void coh__vfmt(struct coh__fmt *f, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		int v;

		if (*fmt != '%') {
			coh__put_c(f, *fmt);
			continue;
		}
		switch (*++fmt) {
		case 's': coh__put_s(f, va_arg(ap, const char *)); break;
		case 'z': coh__put_u(f, va_arg(ap, size_t), 10); break;
		case 'x': coh__put_u(f, va_arg(ap, uint64_t), 16); break;
		case 'd':
			v = va_arg(ap, int);
			if (v < 0)
				coh__put_c(f, '-');
			coh__put_u(f, (uint64_t)(v < 0 ? -(int64_t)v : v), 10);
			break;
		case 'D': coh__put_s(f, coh_dir_name(va_arg(ap, int))); break;
		case 'W': coh__put_where(f, va_arg(ap, const struct coh_where *)); break;
		case '\0': return;
		default: coh__put_c(f, *fmt); break;
		}
	}
}

void coh__diagf(const struct coh_where *where, int err, const char *fmt, ...)
{
	struct coh__fmt f;
	va_list ap;

	f.n = 0;
	va_start(ap, fmt);
	coh__vfmt(&f, fmt, ap);
	va_end(ap);
	f.b[f.n] = '\0';
	coh__diag(where, f.b, err);
}

void coh__chk_report(struct coh_device *dev, const struct coh_where *where,
		     int err, const char *fmt, ...)
{
	struct coh__fmt f;
	va_list ap;

	f.n = 0;
	coh__put_s(&f, "dma-check: ");
	if (dev) {
		coh__put_s(&f, dev->name);
		coh__put_s(&f, ": ");
	}
	va_start(ap, fmt);
	coh__vfmt(&f, fmt, ap);
	va_end(ap);
	f.b[f.n] = '\0';
	if (dev)
		coh__stat_add(dev, reports, 1);
	coh__diag(where, f.b, err);
}

/* Live mappings of every device, for cache-line sharing. */
struct coh__chk_ent {
	struct coh_device *dev;
	uintptr_t s, e;			/* CPU bytes mapped in place */
	coh_bus_t bus;
	const struct coh_where *where;
	uint8_t dir;
	uint8_t used;
};

static struct coh__chk_ent coh__chk_tab[COH_CHECK_MAPS];
static int coh__chk_lock;
static size_t coh__chk_live;

static bool coh__chk_tracks_lines(const struct coh_device *dev,
				  const struct coh_map_rec *r)
{
	/* as Linux: TO_DEVICE data is only read, sharing is harmless */
	return !r->slot && r->dir != COH_TO_DEVICE && !coh_device_is_coherent(dev);
}

void coh__chk_map(struct coh_device *dev, const struct coh_map_rec *r)
{
	size_t i, slot = COH_CHECK_MAPS;
	uintptr_t lm = coh__line_or_max() - 1;
	uintptr_t s = r->cpu & ~lm, e = ((r->cpu + r->len - 1) | lm);
	struct coh__chk_ent other = { 0 };
	bool share = false, full;

	unsigned long irq_1 = coh__lock(&coh__chk_lock);
	for (i = 0; i < COH_CHECK_MAPS; i++) {
		struct coh__chk_ent *c = &coh__chk_tab[i];

		if (!c->used) {
			if (slot == COH_CHECK_MAPS)
				slot = i;
			continue;
		}
		if (!share && coh__chk_tracks_lines(dev, r) &&
		    c->dir != COH_TO_DEVICE &&
		    !coh_device_is_coherent(c->dev) &&
		    (c->s & ~lm) <= e && ((c->e - 1) | lm) >= s) {
			share = true;
			other = *c;
		}
	}
	full = slot == COH_CHECK_MAPS;
	if (!full) {
		coh__chk_tab[slot] = (struct coh__chk_ent){
			.dev = dev, .s = r->cpu, .e = r->cpu + r->len,
			.bus = r->bus, .where = r->where,
			.dir = r->dir, .used = 1,
		};
		coh__chk_live++;
	}
	coh__unlock(&coh__chk_lock, irq_1);
	if (share)
		coh__chk_report(dev, r->where, -COH_EINVAL,
				"%D mapping %x+%z (mapped at %W) shares a cache line with %D mapping %x+%z of %s mapped at %W",
				(int)r->dir, (uint64_t)r->cpu, r->len, r->where,
				(int)other.dir, (uint64_t)other.s,
				(size_t)(other.e - other.s), other.dev->name,
				other.where);
	if (full)
		coh__chk_report(dev, r->where, -COH_ENOMEM,
				"checker table full (COH_CHECK_MAPS = %z): %D mapping %x+%z mapped at %W is not tracked",
				(size_t)COH_CHECK_MAPS, (int)r->dir,
				(uint64_t)r->cpu, r->len, r->where);
}

void coh__chk_unmap(struct coh_device *dev, const struct coh_map_rec *r)
{
	unsigned long irq_2 = coh__lock(&coh__chk_lock);
	for (size_t i = 0; i < COH_CHECK_MAPS; i++) {
		struct coh__chk_ent *c = &coh__chk_tab[i];

		if (c->used && c->dev == dev && c->bus == r->bus &&
		    c->s == r->cpu && c->e == r->cpu + r->len) {
			c->used = 0;
			coh__chk_live--;
			break;
		}
	}
	coh__unlock(&coh__chk_lock, irq_2);
}

void coh__chk_mapping_error(struct coh_device *dev, coh_bus_t bus)
{
	struct coh_stream *s;

	if (!dev || !(s = dev->bounce))
		return;
	coh__rec_mark(s, bus, COH__REC_CHECKED);
}

#endif /* COH_DEBUG */
