/* SPDX-License-Identifier: MIT */
/*
 * drivers/dwmac/dwmac_compat.h - TEMPORARY: the calls of issue 9 (core for
 * drivers) this driver uses, for as long as they are not on main yet.
 * Each block disappears by itself once the library provides the call
 * (feature macros), and the file goes with the last one.  Semantics are
 * the library's, with its cost: no batching (one barrier per item), and a
 * chain posted in ring order (safe on tail-pointer hardware, which fetches
 * nothing until the doorbell; not on poll-demand hardware).
 */
#ifndef DWMAC_COMPAT_H
#define DWMAC_COMPAT_H

#include "coherent/coherent.h"

#if __has_include("coherent/driver.h")
#include "coherent/driver.h"
#else
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "compat: little-endian hosts only");
static inline uint32_t coh_lo32(uint64_t v) { return (uint32_t)v; }
static inline uint32_t coh_hi32(uint64_t v) { return (uint32_t)(v >> 32); }
static inline uint32_t coh_cpu_to_le32(uint32_t v) { return v; }
static inline uint32_t coh_le32_to_cpu(uint32_t v) { return v; }
enum coh_poll_order { COH_POLL_NATIVE = 0, COH_POLL_LE = 1 };
struct coh_poll {
	uint64_t (*now)(void *ctx);
	void (*relax)(void *ctx);
	void *ctx;
	uint64_t timeout;
	enum coh_poll_order order;
};
static inline int coh_mmio_poll32(const volatile void *reg, uint32_t mask, uint32_t want,
				  const struct coh_poll *how, uint32_t *val)
{
	uint64_t t0 = how->now ? how->now(how->ctx) : 0;

	for (uint64_t i = 0;; i++) {
		uint32_t v = coh_mmio_read32(reg);
		bool late = how->now ? how->now(how->ctx) - t0 > how->timeout
				     : i + 1 >= how->timeout;

		if (val)
			*val = v;
		if ((v & mask) == want)
			return 0;
		if (late)
			return -COH_ETIMEDOUT;
		if (how->relax)
			how->relax(how->ctx);
	}
}
#endif

#if !defined(COH_RING_BATCHED)
#define DWMAC_COMPAT_RING 1
#define COH_RING_BATCHED (1u << 0)
#define COH_RING_ANY_SKIP ((size_t)-1)
struct coh_ring_layout {
	size_t max_skip;
	size_t skip_unit;
	unsigned int flags;
};
/* the library's stride is COH_MAX_LINE here: checked after the fact */
#define coh_ring_create_layout(r, dev, count, T, own_field, own_bit, attrs, lay) \
	({                                                                     \
		int rc__ = (lay)->flags ? -COH_ENOTSUP                         \
			: coh_ring_create((r), (dev), (count), T, own_field,   \
					  (own_bit), (attrs));                 \
		if (!rc__ && coh_ring_stride(r) - sizeof(T) > (lay)->max_skip) { \
			coh_ring_destroy(r);                                   \
			rc__ = -COH_ENOTSUP;                                   \
		}                                                              \
		rc__;                                                          \
	})
static inline int dwmac__post_n(struct coh_ring *r, const struct dwmac_desc *d, size_t n)
{
	int first = -COH_EINVAL;

	if (coh_ring_space(r) < n)
		return -COH_EAGAIN;
	for (size_t i = 0; i < n; i++) {
		int rc = coh_ring_post(r, &d[i]);

		if (rc < 0)
			return rc;
		if (!i)
			first = rc;
	}
	return first;
}
#define coh_ring_post_n(r, d, n) dwmac__post_n((r), (d), (n))
#define coh_ring_post_chain(r, d, n) dwmac__post_n((r), (d), (n))
static inline size_t coh_ring_pending_slot(const struct coh_ring *r, size_t k)
{
	return (r->tail + k) % r->count;
}
#define coh_ring_for_each_pending(r, k, slot)                                  \
	for ((k) = 0; (k) < (r)->pending &&                                    \
		      ((slot) = ((r)->tail + (k)) % (r)->count, 1); (k)++)
#endif

#if !defined(coh_give_n)
struct coh_span {
	void *ptr;
	size_t len;
	enum coh_dir dir;
};
static inline int dwmac__give_n(struct coh_device *dev, const struct coh_span *s, size_t n,
				bool take)
{
	for (size_t i = 0; i < n; i++) {
		int rc = take ? coh_take(dev, s[i].ptr, s[i].len, s[i].dir)
			      : coh_give(dev, s[i].ptr, s[i].len, s[i].dir);

		if (rc)
			return rc;
	}
	return 0;
}
#define coh_give_n(dev, s, n) dwmac__give_n((dev), (s), (n), false)
#define coh_take_n(dev, s, n) dwmac__give_n((dev), (s), (n), true)
#endif

#endif /* DWMAC_COMPAT_H */
