/* SPDX-License-Identifier: MIT */
/*
 * The C half of the Rust crate: what coherent/mem.h and coherent/mmio.h
 * only offer as macros and inline functions, as exported functions taking
 * the caller's site.  Each body is the macro's own sequence (coh__read_via,
 * coh__write_via, coh__try_*_via, coh_write_batch, coh_batch_end_read) with
 * COH_HERE replaced by the site the Rust caller passes, so a Rust access
 * does exactly the maintenance a C access does.  Compiled by build.rs
 * against the same backend header (coh_arch.h) as the library it links.
 */
#include <string.h>

#include "coherent/coherent.h"

/* one access of the field's width where it has one, as the C accessor's */
static void coh_rs_load(uintptr_t a, size_t n, unsigned char *v)
{
	switch (n) {
	case 1: { uint8_t x = *(const volatile uint8_t *)a; memcpy(v, &x, 1); return; }
	case 2: { uint16_t x = *(const volatile uint16_t *)a; memcpy(v, &x, 2); return; }
	case 4: { uint32_t x = *(const volatile uint32_t *)a; memcpy(v, &x, 4); return; }
	case 8: { uint64_t x = *(const volatile uint64_t *)a; memcpy(v, &x, 8); return; }
	}
	coh_rs_load(a, n, v);
}

static void coh_rs_store(uintptr_t a, size_t n, const void *src)
{
	switch (n) {
	case 1: { uint8_t x; memcpy(&x, src, 1); *(volatile uint8_t *)a = x; return; }
	case 2: { uint16_t x; memcpy(&x, src, 2); *(volatile uint16_t *)a = x; return; }
	case 4: { uint32_t x; memcpy(&x, src, 4); *(volatile uint32_t *)a = x; return; }
	case 8: { uint64_t x; memcpy(&x, src, 8); *(volatile uint64_t *)a = x; return; }
	}
	coh_rs_store(a, n, src);
}

/* coh_read(): a bad access reads as zeros (and is reported) */
void coh_rs_read(const struct coh_mem *m, uintptr_t a, size_t n, void *out,
		 const struct coh_where *where)
{
	unsigned char v[64];

	if (n > sizeof(v) ||
	    ((!coh__field_in(m, a, n) || (COH_DEBUG && m->cookie)) &&
	     coh__field_bad(m, a, n, where))) {
		memset(out, 0, n);
		return;
	}
	if (coh__needs_sync(m))
		a = (uintptr_t)coh__field_acquire_at(m, a, n, where);
	coh_rs_load(a, n, v);
	coh_arch_load((const void *)a, n, v, where);
	memcpy(out, v, n);
}

/* coh_read_from_device(): the field's lines invalidated, never flushed */
void coh_rs_read_from_device(const struct coh_mem *m, uintptr_t a, size_t n,
			     void *out, const struct coh_where *where)
{
	unsigned char v[64];

	if (n > sizeof(v) ||
	    ((!coh__field_in(m, a, n) || (COH_DEBUG && m->cookie)) &&
	     coh__field_bad(m, a, n, where))) {
		memset(out, 0, n);
		return;
	}
	if (coh__needs_sync(m))
		a = (uintptr_t)coh__field_inval_at(m, a, n, where);
	coh_rs_load(a, n, v);
	coh_arch_load((const void *)a, n, v, where);
	memcpy(out, v, n);
}

/* coh_write(): store, then release the field's lines */
void coh_rs_write(const struct coh_mem *m, uintptr_t a, size_t n,
		  const void *src, const struct coh_where *where)
{
	if (n > 64 ||
	    ((!coh__field_in(m, a, n) || (COH_DEBUG && m->cookie)) &&
	     coh__field_bad(m, a, n, where)))
		return;
	coh_arch_store((const void *)a, n, where);
	coh_rs_store(a, n, src);
	if (coh__needs_sync(m))
		coh__field_release_at(m, a, n, where);
}

/* coh_write_batch(): store, the field's lines join b */
int coh_rs_write_batch(struct coh_batch *b, const struct coh_mem *m,
		       uintptr_t a, size_t n, const void *src,
		       const struct coh_where *where)
{
	int rc = n > 64 ? -COH_EINVAL : coh__batch_field_ok(b, m, a, n, where);

	if (rc)
		return rc;
	coh_arch_store((const void *)a, n, where);
	coh_rs_store(a, n, src);
	return coh__batch_field(b, m, a, n, where);
}

/* coh_batch_end_read(): b ended with the field's lines, then the load */
int coh_rs_batch_end_read(struct coh_batch *b, const struct coh_mem *m,
			  uintptr_t a, size_t n, void *out,
			  const struct coh_where *where)
{
	unsigned char v[64];
	int rc = n > sizeof(v) ? -COH_EINVAL
			       : coh__batch_read_field(b, m, a, n, where);

	if (rc)
		return rc;
	coh_rs_load(a, n, v);
	coh_arch_load((const void *)a, n, v, where);
	memcpy(out, v, n);
	return 0;
}

/* the ordered register accessors of coherent/mmio.h */
uint32_t coh_rs_mmio_read32(const volatile void *addr)
{
	return coh_mmio_read32(addr);
}

void coh_rs_mmio_write32(volatile void *addr, uint32_t v)
{
	coh_mmio_write32(addr, v);
}

/*
 * Call sites.  The library keeps a site's pointer (the checker's "last
 * ownership change"), so each Rust location gets one static coh_where,
 * file NUL-terminated; Rust's file names are not.  One simulated CPU /
 * the library's own single-threaded debug model: no lock.  When the
 * table is full the call goes without a site (reports say so).
 */
#define COH_RS_SITES 256
#define COH_RS_FILE 160

static struct {
	const char *key;	/* Rust's &'static str pointer */
	size_t klen;
	struct coh_where w;
	char file[COH_RS_FILE];
} coh_rs_site[COH_RS_SITES];

const struct coh_where *coh_rs_where(const char *file, size_t len, int line)
{
	const char *key = file;
	size_t klen = len, i;

	for (i = 0; i < COH_RS_SITES && coh_rs_site[i].key; i++)
		if (coh_rs_site[i].key == file && coh_rs_site[i].klen == len &&
		    coh_rs_site[i].w.line == line)
			return &coh_rs_site[i].w;
	if (i == COH_RS_SITES)
		return NULL;
	if (len >= COH_RS_FILE) { /* keep the tail: the file name */
		file += len - (COH_RS_FILE - 1);
		len = COH_RS_FILE - 1;
	}
	memcpy(coh_rs_site[i].file, file, len);
	coh_rs_site[i].file[len] = 0;
	coh_rs_site[i].key = key;
	coh_rs_site[i].klen = klen;
	coh_rs_site[i].w.file = coh_rs_site[i].file;
	coh_rs_site[i].w.line = line;
	coh_rs_site[i].w.func = "rust";
	return &coh_rs_site[i].w;
}

/* the ring's inline position queries (coherent/ring.h) */
size_t coh_rs_ring_next(const struct coh_ring *r)
{
	return coh_ring_next(r);
}

size_t coh_rs_ring_pending(const struct coh_ring *r)
{
	return coh_ring_pending(r);
}

size_t coh_rs_ring_space(const struct coh_ring *r)
{
	return coh_ring_space(r);
}
