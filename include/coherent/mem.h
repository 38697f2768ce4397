/* SPDX-License-Identifier: MIT */
/**
 * @file
 * coherent/mem.h - typed DMA memory: the C counterpart of NonCachable<T>.
 *
 * Three kinds of handle, one allocation underneath (struct coh_mem):
 *
 *  - shared (COH_SHARED(T)): an array of T that CPU and device access at
 *    the same time (descriptor rings, status blocks).  Fields are read and
 *    written only through coh_read()/coh_write(), which do a volatile access
 *    plus the maintenance of exactly the lines the field spans - or none
 *    when the device is coherent, the region uncached, or the allocation
 *    was made with COH_ATTR_SKIP_CPU_SYNC.
 *  - box (COH_BOX(T), a type of its own): CPU-owned while being
 *    initialised with plain pointers (coh_box_ptr, memcpy,
 *    coh_box_init_at); coh_box_share(&box, &shared) releases the whole
 *    range once and moves the memory into a COH_SHARED(T) handle, emptying
 *    the box.  The device address does not exist until then.  A box given
 *    to a shared-memory accessor, or a shared handle to a box accessor, is
 *    a compile error.
 *  - device-only (struct coh_devmem): bus address and size, no CPU access.
 *
 * A handle holds no pointer to the memory: its CPU address is an integer
 * that only the accessors use.  The one escape hatch is coh_raw(), easy to
 * grep for.
 *
 * Errors: -COH_EINVAL (NULL, zero size, an alignment or boundary not a
 * power of two, a size above the boundary it must not cross, unknown
 * attribute), -COH_EOVERFLOW (count x size overflows), -COH_ERANGE (no
 * registered region is reachable under the device's mask, or none that is
 * could ever hold the size at its alignment: will not succeed if retried),
 * -COH_ENOMEM (reachable regions are full: may succeed later), -COH_EBUSY
 * (debug builds: freeing memory the device still owns, i.e. given with
 * coh_give() and not taken back).  Every refusal happens before anything
 * is allocated: a failed call keeps no memory.
 *
 * Placement: an allocation starts on a COH_MAX_LINE boundary and on the
 * alignment of its type and of the device (min_align); the *_placed and
 * *_pages forms add an alignment of any power of two (64 KiB, 1 MiB: as
 * large as a region's largest block) and a no-cross boundary (xHCI's
 * 64 KiB, ADMA2's 64 KiB or 128 MiB), both on the bus address the device
 * is given.  The allocator's blocks are naturally aligned, so neither
 * costs more than the block the size takes anyway.
 *
 * Framebuffers and other memory the CPU only writes in bulk: allocate
 * with COH_ATTR_WRITE_COMBINE.  The allocator takes a COH_REGION_WC region
 * when the platform registered one (the CPU's stores combine, nothing is
 * maintained), else an uncached one, else cached memory (maintained by
 * line).  All three are correct; coh_is_write_combining() says which the
 * handle got.  On write-combining memory the stores must be drained before
 * the doorbell or flip: a batch with a piece of it (coh_write_batch,
 * coh_put_batch, the rectangle release of coherent/rect.h) and coh_put()
 * end with coh_wc_wmb() (x86 SFENCE), and a driver writing it with
 * coh_write() or coh_raw() calls coh_wc_wmb() itself - coh_dma_wmb() does
 * not drain WC buffers on x86.  A frame drawn through a plain pointer is
 * memory the CPU reads slowly when write-combined: draw, do not read back.
 *
 * Concurrency: allocation and freeing may run concurrently from any
 * threads.  Accesses to one handle follow the driver's own protocol.
 *
 * Interrupt context: the accessors (coh_read, coh_write, coh_try_*, the
 * *_tail forms) and the bulk copies (coh_get, coh_put, *_flex, coh_dump)
 * take no lock in release builds and may run in interrupt handlers; debug
 * builds check freed handles under the checker's lock (IRQ-save lock ops
 * make that safe, coherent/lock.h).  Allocation and coh_free() take the
 * region allocator's lock: not in interrupt context.  Table: docs/context.md.
 */
#ifndef COHERENT_MEM_H
#define COHERENT_MEM_H

#include "coherent/types.h"
#include "coherent/device.h"
#include "coherent/region.h"
#include "coherent/backend.h"
#include "coherent/fence.h"	/* struct coh_batch */

/* Allocation attributes (the DMA_ATTR_* counterparts). */
#define COH_ATTR_NO_CPU_MAPPING (1u << 0) /**< device-only: no CPU access at all */
#define COH_ATTR_UNCACHED       (1u << 1) /**< prefer an uncached region (no maintenance) */
#define COH_ATTR_WRITE_COMBINE  (1u << 2) /**< a write-combining region first, then uncached, then cached: see "Framebuffers" above */
#define COH_ATTR_SKIP_CPU_SYNC  (1u << 3) /**< accessors do no maintenance: the caller does */
#define COH_ATTR_NO_WARN        (1u << 4) /**< no diagnostic when the allocation fails */

/* coh_mem.state */
#define COH_MEM_SYNC    (1u << 0) /**< accessors must maintain the lines they touch */
#define COH_MEM_BOX     (1u << 1) /**< CPU-owned box, not yet shared */
#define COH_MEM_SHARED  (1u << 2) /**< shared: accessed through coh_read()/coh_write() */
#define COH_MEM_DEVONLY (1u << 3) /**< device-only: no CPU access */
#define COH_MEM_WC      (1u << 4) /**< CPU-mapped write-combining (a COH_REGION_WC region) */

/**
 * Compile-time promise that every device in this build is coherent (an x86
 * server, a generic backend): accessors then compile to the bare volatile
 * access.  Without it the check is one predictable branch per access.
 */
#if !defined(COH_ASSUME_COHERENT)
#define COH_ASSUME_COHERENT (!COH_ARCH_CAN_MAINTAIN)
#endif

/** One allocation underneath every handle.  Contents are the library's: use the macros. */
struct coh_mem {
	uintptr_t cpu_;			/**< not a pointer: see coh_raw() */
	coh_bus_t bus;			/**< COH_BUS_ERROR for a box not yet shared */
	uint64_t phys;	/**< library-private */
	size_t size;			/**< bytes: count * elem */
	size_t span;			/**< bytes reserved in the region (its block) */
	size_t count;	/**< library-private */
	size_t elem;	/**< library-private */
	struct coh_device *dev;	/**< library-private */
	struct coh_region *region;	/**< library-private */
	unsigned int state;		/**< COH_MEM_* */
	unsigned int attrs;		/**< COH_ATTR_* */
	uint32_t cookie;		/**< debug: checker slot and generation */
	/* flex allocations (coh_alloc_shared_flex): 0 otherwise */
	size_t flex_off;		/**< byte offset of the flexible array */
	size_t flex_n;			/**< its elements */
	size_t flex_esize;		/**< bytes per element; 0: not a flex handle */
	size_t tail_off;		/**< byte offset of the trailer; 0: none */
};

/** A handle to `count` elements of T shared with a device. */
#define COH_SHARED(T)                                                          \
	struct {                                                               \
		struct coh_mem m_;                                             \
		T(*t_[0])[];                                                   \
	}
/** Declare a named shared-handle type: COH_DECLARE_SHARED(rx_ring, struct desc). */
#define COH_DECLARE_SHARED(name, T)                                            \
	struct name {                                                          \
		struct coh_mem m_;                                             \
		T(*t_[0])[];                                                   \
	}
/**
 * A handle to one T whose last member is a flexible array, followed in the
 * same allocation by one U, the trailer: the layout of a VirtIO split ring,
 * where used_event follows the available ring's array and avail_event the
 * used ring's.  Allocate with coh_alloc_shared_flex_tail(); the trailer is
 * reached only through coh_read_tail()/coh_write_tail() and their checked
 * forms.
 */
#define COH_SHARED_FLEX(T, U)                                                  \
	struct {                                                               \
		struct coh_mem m_;                                             \
		T(*t_[0])[];                                                   \
		U *u_[0];                                                      \
	}
/** Declare a named flex-with-trailer handle type. */
#define COH_DECLARE_SHARED_FLEX(name, T, U)                                    \
	struct name {                                                          \
		struct coh_mem m_;                                             \
		T(*t_[0])[];                                                   \
		U *u_[0];                                                      \
	}
/**
 * A CPU-owned box of `count` elements of T: a type of its own, so that a box
 * given to a shared-memory accessor (coh_read, coh_put...) or a shared
 * handle given to a box accessor (coh_box_ptr...) does not compile.
 * coh_box_share(b, h) consumes it into a COH_SHARED(T) handle.
 */
#define COH_BOX(T)                                                             \
	struct {                                                               \
		struct coh_mem m_;                                             \
		T(*bt_[0])[];                                                  \
	}
/** Declare a named box type: COH_DECLARE_BOX(rx_init, struct desc). */
#define COH_DECLARE_BOX(name, T)                                               \
	struct name {                                                          \
		struct coh_mem m_;                                             \
		T(*bt_[0])[];                                                  \
	}

/** Device-only memory: a bus address and a size, nothing the CPU can touch. */
struct coh_devmem {
	struct coh_mem m_;
};

/* ---- allocation ---------------------------------------------------------- */

/**
 * Where an allocation may be placed, on the bus address the device is
 * given (coh_alloc_shared_placed(), coh_box_alloc_placed(),
 * coh_alloc_devmem_placed()).
 */
struct coh_placement {
	size_t align;		/**< a power of two, or 0: the type's and the device's only */
	size_t boundary;	/**< a power of two no byte range of the allocation crosses; 0: none */
};

/* Internal entry points; use the macros below. */
int coh__mem_alloc(struct coh_mem *m, struct coh_device *dev, size_t count,
		   size_t elem, size_t align, unsigned int attrs,
		   unsigned int state, const struct coh_where *where);
int coh__mem_alloc_placed(struct coh_mem *m, struct coh_device *dev,
			  size_t count, size_t elem, size_t align,
			  const struct coh_placement *pl, unsigned int attrs,
			  unsigned int state, const struct coh_where *where);
int coh__mem_alloc_pages(struct coh_mem *m, struct coh_device *dev,
			 size_t npages, size_t page, size_t elem, size_t talign,
			 unsigned int attrs, unsigned int state,
			 const struct coh_where *where);
int coh__mem_free(struct coh_mem *m, const struct coh_where *where);
int coh__mem_share(struct coh_mem *m, const struct coh_where *where);
/* a box the caller never saw becomes shared, or is freed (handle cleared) */
int coh__mem_share_or_free(struct coh_mem *m, const struct coh_where *where);
/* box b shared and moved into h; b cleared (consumed) */
int coh__mem_share_box(struct coh_mem *b, struct coh_mem *h, const struct coh_where *where);
void coh__mem_fill(struct coh_mem *m, const void *src, size_t len);

/**
 * @brief Allocate `count` zeroed elements shared with dev.
 *
 * Memory starts and ends on a COH_MAX_LINE boundary, comes from a region
 * the device reaches under its mask, and is zeroed and released: the device
 * sees zeros.  Ownership: shared.
 * @retval 0 success (h is valid)
 * @retval -COH_EINVAL, -COH_EOVERFLOW, -COH_ERANGE, -COH_ENOMEM see above
 */
#define coh_alloc_shared(h, dev, count, attrs)                                 \
	coh__mem_alloc(&(h)->m_, (dev), (count), sizeof((*(h)->t_[0])[0]),     \
		       _Alignof(__typeof__((*(h)->t_[0])[0])), (attrs),        \
		       COH_MEM_SHARED, COH_HERE)

/**
 * @brief As coh_alloc_shared(), contents copied from `src` (count elements).
 * Ownership: shared.  Not in interrupt context.
 * @retval 0 success
 * @retval as coh_alloc_shared(), or the release's error (coherent/fence.h):
 *         the memory is freed again and h cleared, nothing is kept
 */
#define coh_alloc_shared_copy(h, dev, count, attrs, src)                       \
	({                                                                     \
		const __typeof__((*(h)->t_[0])[0]) *src__ = (src);             \
		int rc__ = coh__mem_alloc(&(h)->m_, (dev), (count),            \
					  sizeof(*src__), _Alignof(__typeof__(*src__)), \
					  (attrs), COH_MEM_BOX, COH_HERE);     \
		if (!rc__) {                                                   \
			coh__mem_fill(&(h)->m_, src__, (h)->m_.size);           \
			rc__ = coh__mem_share_or_free(&(h)->m_, COH_HERE);     \
		}                                                              \
		rc__;                                                          \
	})

/**
 * @brief As coh_alloc_shared(), each element built by
 * `int init(T *elem, size_t i, void *ctx)`; a non-zero return frees the
 * memory and is returned.  Ownership: shared.  Not in interrupt context.
 * @retval 0 success
 * @retval init's non-zero return, or as coh_alloc_shared_copy(): the
 *         memory is freed again and h cleared, nothing is kept
 */
#define coh_alloc_shared_init(h, dev, cnt, attrs, init, ctx)                 \
	({                                                                     \
		int rc__ = coh__mem_alloc(&(h)->m_, (dev), (cnt),              \
					  sizeof((*(h)->t_[0])[0]),             \
					  _Alignof(__typeof__((*(h)->t_[0])[0])), \
					  (attrs), COH_MEM_BOX, COH_HERE);     \
		for (size_t i__ = 0; !rc__ && i__ < (h)->m_.count; i__++)      \
			rc__ = (init)(&(*coh__shared_base(h))[i__], i__, (ctx)); \
		if (!rc__)                                                     \
			rc__ = coh__mem_share_or_free(&(h)->m_, COH_HERE);     \
		else if ((h)->m_.cpu_)                                         \
			coh__mem_free(&(h)->m_, COH_HERE);                     \
		rc__;                                                          \
	})

/*
 * Internal: bytes of a T whose last member is a flexible array of n
 * elements, then (usize > 0) a trailer of usize bytes aligned to ualign.
 */
int coh__mem_alloc_flex(struct coh_mem *m, struct coh_device *dev,
			size_t tsize, size_t off, size_t n, size_t esize,
			size_t align, size_t usize, size_t ualign,
			unsigned int attrs, const struct coh_where *where);

/* true at compile time for an array (also a flexible one), false for a pointer */
#define coh__is_array(a) (!__builtin_types_compatible_p(__typeof__(a), __typeof__(&(a)[0])))

/**
 * @brief Allocate one zeroed T whose last member `member` is a flexible
 * array, with n elements: a VirtIO available or used ring, a status block
 * followed by a table.  Access as coh_read(h, [0].member[i]); the index is
 * bounds-checked against the n elements (the allocation's size).
 * COH_DECLARE_SHARED / COH_SHARED(T) as for any other T.  Ownership: shared.
 * @retval 0 success
 * @retval -COH_EOVERFLOW the size of n elements overflows
 * @retval -COH_EINVAL, -COH_ERANGE, -COH_ENOMEM as coh_alloc_shared()
 */
#define coh_alloc_shared_flex(h, dev, member, n, attrs)                        \
	({                                                                     \
		__typeof__((*(h)->t_[0])[0]) *p__ = 0;                         \
		_Static_assert(coh__is_array(p__->member),                     \
			       "coh_alloc_shared_flex: member must be an array"); \
		coh__mem_alloc_flex(&(h)->m_, (dev), sizeof(*p__),             \
				    __builtin_offsetof(__typeof__(*p__), member), \
				    (n), sizeof(p__->member[0]),               \
				    _Alignof(__typeof__(*p__)), 0, 1, (attrs), \
				    COH_HERE);                                 \
	})

/**
 * @brief As coh_alloc_shared_flex(), then one zeroed trailer U (the handle
 * is a COH_SHARED_FLEX(T, U)) placed right after the n elements, at the
 * first offset aligned for U (VirtIO: used_event at 4 + 2n, avail_event
 * at 4 + 8n, no gap).  The trailer moves with n, so it is not a member of
 * T: reach it with coh_read_tail(h, .field) / coh_write_tail(h, .field, v).
 * @retval 0 success
 * @retval -COH_EOVERFLOW the size of n elements plus the trailer overflows
 * @retval -COH_EINVAL, -COH_ERANGE, -COH_ENOMEM as coh_alloc_shared()
 */
#define coh_alloc_shared_flex_tail(h, dev, member, n, attrs)                   \
	({                                                                     \
		__typeof__((*(h)->t_[0])[0]) *p__ = 0;                         \
		_Static_assert(coh__is_array(p__->member),                     \
			       "coh_alloc_shared_flex_tail: member must be an array"); \
		coh__mem_alloc_flex(&(h)->m_, (dev), sizeof(*p__),             \
				    __builtin_offsetof(__typeof__(*p__), member), \
				    (n), sizeof(p__->member[0]),               \
				    _Alignof(__typeof__(*p__)),                \
				    sizeof(*(h)->u_[0]),                       \
				    _Alignof(__typeof__(*(h)->u_[0])), (attrs), \
				    COH_HERE);                                 \
	})

/**
 * @brief Allocate a CPU-owned box: zeroed, no device address yet.
 * Ownership: CPU (plain pointers allowed through coh_box_ptr()).
 */
#define coh_box_alloc(b, dev, count, attrs)                                    \
	coh__mem_alloc(&(b)->m_, (dev), (count), sizeof((*(b)->bt_[0])[0]),    \
		       _Alignof(__typeof__((*(b)->bt_[0])[0])), (attrs),       \
		       COH_MEM_BOX, COH_HERE)

#define coh__box_base(b) ((__typeof__((b)->bt_[0]))(b)->m_.cpu_)
#define coh__shared_base(h) ((__typeof__((h)->t_[0]))(h)->m_.cpu_)

/**
 * @brief Plain pointer to the box's elements (a COH_BOX only: a shared
 * handle does not compile); NULL for a box consumed by coh_box_share() or
 * never allocated.  Never fails, any context.
 */
#define coh_box_ptr(b)                                                         \
	((b)->m_.state & COH_MEM_BOX ? &(*coh__box_base(b))[0] : NULL)

/**
 * @brief Initialise element i of a box with value v.  Any context.
 * @retval 0 success
 * @retval -COH_ERANGE i past the end; -COH_EINVAL not an allocated box
 */
#define coh_box_init_at(b, i, v)                                               \
	({                                                                     \
		size_t i__ = (i);                                              \
		int rc__ = -COH_EINVAL;                                        \
		if (!((b)->m_.state & COH_MEM_BOX))                            \
			rc__ = -COH_EINVAL;                                    \
		else if (i__ >= (b)->m_.count)                                 \
			rc__ = -COH_ERANGE;                                    \
		else {                                                         \
			(*coh__box_base(b))[i__] = (v);                        \
			rc__ = 0;                                              \
		}                                                              \
		rc__;                                                          \
	})

/**
 * @brief Share a box, consuming it: coh_box_share(&box, &ring) with box a
 * COH_BOX(T) and ring a COH_SHARED(T) of the same T (else it does not
 * compile).  One release of the whole range, then the bus address exists
 * and the memory is ring's; box is cleared (coh_box_ptr() NULL, coh_free()
 * -COH_EINVAL), so no plain pointer through it remains.
 * Ownership: CPU -> shared.  Not in interrupt context (op hook, release of
 * the whole box; no lock).
 * @retval 0 success: h holds the memory, b is empty
 * @retval -COH_EINVAL b is not an allocated box, or h is b
 * @retval the release's error (coherent/fence.h): b is still the box, h
 *         untouched; retry, or coh_free(b)
 */
#define coh_box_share(b, h)                                                    \
	({                                                                     \
		_Static_assert(__builtin_types_compatible_p(                   \
				       __typeof__((*(b)->bt_[0])[0]),          \
				       __typeof__((*(h)->t_[0])[0])),          \
			       "coh_box_share: the box and the shared handle hold different types"); \
		coh__mem_share_box(&(b)->m_, &(h)->m_, COH_HERE);              \
	})

/**
 * @brief Allocate device-only memory (no CPU mapping): bus address and size.
 * Ownership: device, for its whole life.
 */
#define coh_alloc_devmem(h, dev, size, attrs)                                  \
	coh__mem_alloc(&(h)->m_, (dev), (size), 1, 1,                          \
		       (attrs) | COH_ATTR_NO_CPU_MAPPING, COH_MEM_DEVONLY, COH_HERE)

/**
 * @brief coh_alloc_shared() placed under constraints: `pl` (a const
 * struct coh_placement *, NULL: none) adds an alignment and a no-cross
 * boundary, both on the bus address: an xHCI ring that must not cross
 * 64 KiB, an ADMA2 descriptor table.  Ownership: shared.  Not in
 * interrupt context (the region allocator's lock).
 * @retval 0 success
 * @retval -COH_EINVAL as coh_alloc_shared(), or pl->align / pl->boundary
 *         not 0 or a power of two, or the size above pl->boundary
 *         (nothing allocated)
 * @retval -COH_EOVERFLOW, -COH_ENOMEM as coh_alloc_shared()
 * @retval -COH_ERANGE no reachable region, or none that could ever hold
 *         the size at the alignment (will not succeed if retried)
 */
#define coh_alloc_shared_placed(h, dev, count, attrs, pl)                      \
	coh__mem_alloc_placed(&(h)->m_, (dev), (count), sizeof((*(h)->t_[0])[0]), \
			      _Alignof(__typeof__((*(h)->t_[0])[0])), (pl),    \
			      (attrs), COH_MEM_SHARED, COH_HERE)

/**
 * @brief coh_box_alloc() placed under constraints (as
 * coh_alloc_shared_placed()).  Ownership: CPU until coh_box_share().
 * @retval errors as coh_alloc_shared_placed()
 */
#define coh_box_alloc_placed(b, dev, count, attrs, pl)                         \
	coh__mem_alloc_placed(&(b)->m_, (dev), (count), sizeof((*(b)->bt_[0])[0]), \
			      _Alignof(__typeof__((*(b)->bt_[0])[0])), (pl),   \
			      (attrs), COH_MEM_BOX, COH_HERE)

/**
 * @brief coh_alloc_devmem() placed under constraints (as
 * coh_alloc_shared_placed()).  Ownership: device, for its whole life.
 * @retval errors as coh_alloc_shared_placed()
 */
#define coh_alloc_devmem_placed(h, dev, size, attrs, pl)                       \
	coh__mem_alloc_placed(&(h)->m_, (dev), (size), 1, 1, (pl),             \
			      (attrs) | COH_ATTR_NO_CPU_MAPPING, COH_MEM_DEVONLY, \
			      COH_HERE)

/**
 * @brief `npages` whole pages of `page` bytes, aligned to `page`, shared:
 * an NVMe PRP list (page = the controller's CC.MPS page size, h a
 * COH_SHARED(uint64_t) of page / 8 entries per page).  coh_count(h) is
 * npages * page / sizeof(T).  Ownership: shared.  Not in interrupt
 * context.
 * @retval 0 success
 * @retval -COH_EINVAL npages 0, page not a power of two, or not a whole
 *         number of T (or below T's alignment); others as
 *         coh_alloc_shared_placed() (nothing allocated)
 * @retval -COH_EOVERFLOW npages x page overflows
 */
#define coh_alloc_shared_pages(h, dev, npages, page, attrs)                    \
	coh__mem_alloc_pages(&(h)->m_, (dev), (npages), (page),                \
			     sizeof((*(h)->t_[0])[0]),                         \
			     _Alignof(__typeof__((*(h)->t_[0])[0])), (attrs),  \
			     COH_MEM_SHARED, COH_HERE)

/**
 * @brief `npages` whole pages of `page` bytes, aligned to `page`, that only
 * the device uses: xHCI scratchpad buffers (page = the controller's
 * PAGESIZE).  Ownership: device, for its whole life.  Not in interrupt
 * context.
 * @retval errors as coh_alloc_shared_pages()
 */
#define coh_alloc_devmem_pages(h, dev, npages, page, attrs)                    \
	coh__mem_alloc_pages(&(h)->m_, (dev), (npages), (page), 1, 1,          \
			     (attrs) | COH_ATTR_NO_CPU_MAPPING, COH_MEM_DEVONLY, \
			     COH_HERE)

/**
 * @brief Free any handle.  The handle is cleared; debug builds catch double
 * frees and later use of copies of it, with the allocation's file:line.
 *
 * Ownership: every byte must be the CPU's (or shared).  Debug builds track
 * the bytes of each allocation handed over with coh_give() and not taken
 * back with coh_take(), per byte: a give is idempotent, not nested (bytes
 * given twice, as by a driver re-posting a buffer, are the CPU's again
 * after one take covering them), and a take may cover any part of a give.
 * Release builds (COH_DEBUG=0) do not check; the simulator still reports
 * SIM_FREE_DEVICE_OWNED.  Device-only memory is the device's by definition
 * and is not checked.
 * @retval 0 success: the memory is back in its region
 * @retval -COH_EINVAL a handle never allocated or already freed (double free)
 * @retval -COH_EBUSY (debug builds) the device still owns bytes of the
 *         allocation: reported with the allocation's file:line and that of
 *         the outstanding coh_give(); nothing is freed and the handle stays
 *         valid.  Succeeds after coh_take() of those bytes.
 */
#define coh_free(h) coh__mem_free(&(h)->m_, COH_HERE)

/** @brief Bus address to program into the device (COH_BUS_ERROR for a box). */
#define coh_bus(h) ((h)->m_.bus)
/**
 * @brief true if the handle holds an allocation (any kind of handle: a
 * shared handle, a box, device-only memory); false once freed, consumed by
 * coh_box_share(), or never allocated (zero-initialised).  What drivers
 * read the handle's members for.  Never fails, any context.
 */
#define coh_is_allocated(h) ((h)->m_.cpu_ != 0)
/**
 * @brief The CPU address of the allocation as an integer, for naming it
 * (the simulator's sim_name(), a log line) and nothing else: not a pointer
 * (coh_raw() is the one escape hatch to one).  0 when not allocated.
 * Never fails, any context.
 */
#define coh_cpu_addr(h) ((uintptr_t)(h)->m_.cpu_)
/** @brief Number of elements / bytes. */
#define coh_count(h) ((h)->m_.count)
/** @brief Size in bytes. */
#define coh_size(h) ((h)->m_.size)
/**
 * @brief true if the handle's memory is mapped write-combining (it came
 * from a COH_REGION_WC region): stores need coh_wc_wmb() before the
 * device is told, reads are slow.  Never fails, any context.
 */
#define coh_is_write_combining(h) (((h)->m_.state & COH_MEM_WC) != 0)

/**
 * @brief THE escape hatch: a plain CPU pointer to shared memory.  Every use
 * is a place where maintenance becomes the caller's job.  Grep for it.
 */
#define coh_raw(h) ((void *)(h)->m_.cpu_)

/* ---- field access -------------------------------------------------------- */

/*
 * Out of line: maintenance for one field (sim: also a scheduling point),
 * with the caller's site: a maintenance failure is counted
 * (stats.maint_errors) and reported through the diagnostic handler with
 * the caller's file:line, since coh_read/coh_write have no return code.
 * The acquire returns (void *)a: the accessor then reads the field through
 * the returned pointer, so its fast path needs no callee-saved register to
 * keep the address across this call (x86_64: a coherent coh_read went from
 * 16 to 8 instructions, make bench section 1).
 */
void *coh__field_acquire_at(const struct coh_mem *m, uintptr_t a, size_t n,
			    const struct coh_where *where);
void coh__field_release_at(const struct coh_mem *m, uintptr_t a, size_t n,
			   const struct coh_where *where);
/* op COH_OP_ACQUIRE or COH_OP_RELEASE: 0 or the failure, counted, not reported */
int coh__field_sync(const struct coh_mem *m, int op, uintptr_t a, size_t n,
		    const struct coh_where *where);
int coh__field_bad(const struct coh_mem *m, uintptr_t a, size_t n,
		   const struct coh_where *where);
/* coh_read_from_device(): the field's whole lines invalidated, never flushed */
void *coh__field_inval_at(const struct coh_mem *m, uintptr_t a, size_t n,
			  const struct coh_where *where);
/* coh_write_batch(): 0 if the field may be written into b, else b's error */
int coh__batch_field_ok(struct coh_batch *b, const struct coh_mem *m,
			uintptr_t a, size_t n, const struct coh_where *where);
/* coh_batch_end_read(): the field's lines into b, b ended; 0 or the failure */
int coh__batch_read_field(struct coh_batch *b, const struct coh_mem *m,
			  uintptr_t a, size_t n, const struct coh_where *where);
/* the stored field [a, a+n) of m joins b (its lines' clean issued) */
int coh__batch_field(struct coh_batch *b, const struct coh_mem *m, uintptr_t a,
		     size_t n, const struct coh_where *where);

#define coh__needs_sync(m) (!COH_ASSUME_COHERENT && ((m)->state & COH_MEM_SYNC))

static inline bool coh__field_in(const struct coh_mem *m, uintptr_t a, size_t n)
{
	return (m->state & COH_MEM_SHARED) && a >= m->cpu_ &&
	       a - m->cpu_ <= m->size && n <= m->size - (a - m->cpu_);
}

#define coh__field(h, path) (&(*(__typeof__((h)->t_[0]))(h)->m_.cpu_) path)

#if COH_DEBUG
#define coh__dbg_check(m, a, n) (!coh__field_in((m), (a), (n)) || (m)->cookie)
#define coh__dbg_bad(m, a, n, w) coh__field_bad((m), (a), (n), (w))
#else
#define coh__dbg_check(m, a, n) 0
#define coh__dbg_bad(m, a, n, w) 0
#endif

/**
 * @brief Read a field: coh_read(h, [i].status).  Volatile; the lines the
 * field spans are acquired first (non-coherent, cached memory only).
 * Unchecked: debug builds report an out-of-bounds or freed access with the
 * caller's file:line and return 0 without touching memory.  A failed
 * acquire (a backend that cannot maintain: -COH_ENODEV, -COH_EFAULT) is
 * counted in stats.maint_errors and reported with the caller's file:line
 * in every build; the value is read all the same and may be stale.
 * Interrupt context: yes (no lock).
 */
#define coh_read(h, path)                                                      \
	coh__read_via(h, coh__field(h, path), coh__field_rbad, coh__field_acquire_at)

/*
 * The bodies every accessor shares.  `addr` is the field's address (an
 * element's path, or the trailer's); bad(m, a, n) is true for an access
 * that must not happen, after reporting it (debug checks of a field; every
 * build for a trailer); ok(m, a, n) true for one that may (the checked
 * forms); acquire() makes the field's lines fresh and returns its address.
 */
#define coh__field_rbad(m, a, n)                                               \
	(coh__dbg_check((m), (a), (n)) && coh__dbg_bad((m), (a), (n), COH_HERE))
#define coh__read_via(h, addr, bad, acquire)                                   \
	({                                                                     \
		const struct coh_mem *m__ = &(h)->m_;                          \
		__typeof__(addr) a__ = (addr);                                 \
		__typeof__(*a__) v__;                                          \
		if (bad(m__, (uintptr_t)a__, sizeof(*a__))) {                  \
			__builtin_memset(&v__, 0, sizeof(v__));                \
		} else {                                                       \
			if (coh__needs_sync(m__))                              \
				a__ = (__typeof__(a__))acquire(m__, (uintptr_t)a__, sizeof(*a__), COH_HERE); \
			v__ = *(volatile __typeof__(*a__) *)a__;               \
			coh_arch_load(a__, sizeof(*a__), &v__, COH_HERE);      \
		}                                                              \
		v__;                                                           \
	})
#define coh__write_via(h, addr, bad, v)                                        \
	do {                                                                   \
		const struct coh_mem *m__ = &(h)->m_;                          \
		__typeof__(addr) a__ = (addr);                                 \
		if (bad(m__, (uintptr_t)a__, sizeof(*a__)))                    \
			break;                                                 \
		coh_arch_store(a__, sizeof(*a__), COH_HERE);                   \
		*(volatile __typeof__(*a__) *)a__ = (v);                       \
		if (coh__needs_sync(m__))                                      \
			coh__field_release_at(m__, (uintptr_t)a__, sizeof(*a__), COH_HERE); \
	} while (0)
#define coh__try_read_via(h, addr, ok, out)                                    \
	({                                                                     \
		const struct coh_mem *m__ = &(h)->m_;                          \
		__typeof__(addr) a__ = (addr);                                 \
		int rc__ = -COH_ERANGE;                                        \
		if (ok(m__, (uintptr_t)a__, sizeof(*a__))) {                   \
			rc__ = coh__needs_sync(m__)                            \
				? coh__field_sync(m__, COH_OP_ACQUIRE, (uintptr_t)a__, \
						  sizeof(*a__), COH_HERE)      \
				: 0;                                           \
			if (!rc__) {                                           \
				__typeof__(*a__) v__ = *(volatile __typeof__(*a__) *)a__; \
				coh_arch_load(a__, sizeof(*a__), &v__, COH_HERE); \
				*(out) = v__;                                  \
			}                                                      \
		}                                                              \
		rc__;                                                          \
	})
#define coh__try_write_via(h, addr, ok, v)                                     \
	({                                                                     \
		const struct coh_mem *m__ = &(h)->m_;                          \
		__typeof__(addr) a__ = (addr);                                 \
		int rc__ = -COH_ERANGE;                                        \
		if (ok(m__, (uintptr_t)a__, sizeof(*a__))) {                   \
			coh_arch_store(a__, sizeof(*a__), COH_HERE);           \
			*(volatile __typeof__(*a__) *)a__ = (v);               \
			rc__ = coh__needs_sync(m__)                            \
				? coh__field_sync(m__, COH_OP_RELEASE, (uintptr_t)a__, \
						  sizeof(*a__), COH_HERE)      \
				: 0;                                           \
		}                                                              \
		rc__;                                                          \
	})

/**
 * @brief Write a field: coh_write(h, [i].addr, v).  Volatile store, then
 * the lines the field spans are released (non-coherent, cached only).  A
 * failed release is counted and reported as for coh_read().  Interrupt
 * context: yes (no lock).
 */
#define coh_write(h, path, v)                                                  \
	coh__write_via(h, coh__field(h, path), coh__field_rbad, v)

/**
 * @brief Read a field only the device writes: coh_read_from_device(h,
 * [0].status).  As coh_read(), except that the lines the field spans are
 * invalidated whole, never flushed: coh_read() flushes a line the field
 * does not cover because the CPU may hold unreleased writes to its other
 * bytes, which a plain invalidate would drop.  Here the caller promises
 * there are none - the CPU has not written those lines since it last
 * released them (coh_write(), coh_put(), a batch that ended) - as for a
 * VirtIO used ring, or a status byte whose sentinel was released with the
 * request.  An allocation owns its lines (it starts and ends on a
 * COH_MAX_LINE boundary), so no other allocation's bytes are touched.  A
 * broken promise loses the CPU's write: the simulator reports it as
 * SIM_PARTIAL_LINE_LOSS with the caller's file:line.
 * Errors as coh_read() (unchecked; debug builds report bounds and freed
 * handles; a failed invalidate is counted and reported).
 * Ownership: none changes.  Interrupt context: yes (no lock).
 */
#define coh_read_from_device(h, path)                                          \
	coh__read_via(h, coh__field(h, path), coh__field_rbad, coh__field_inval_at)

/**
 * @brief coh_batch_end() that also reads a field only the device writes:
 * coh_batch_end_read(&b, h, [0].status, &st).  The field's whole lines
 * are invalidated into the batch (the promise of coh_read_from_device()),
 * then the batch's one barrier completes them with everything else in it
 * (a completion's coh_unmap_single_batch() calls), then the field is read.
 * A completion with its data and its status byte: one barrier, not two.
 * Ownership: as coh_batch_end().  Interrupt context: yes.
 * @retval 0 and *out set
 * @retval the batch's failure, -COH_EINVAL / -COH_ERANGE as
 *         coh_write_batch() (the batch still ends): *out untouched
 */
#define coh_batch_end_read(b, h, path, out)                                    \
	({                                                                     \
		struct coh_batch *b__ = (b);                                   \
		const struct coh_mem *m__ = &(h)->m_;                          \
		__typeof__(coh__field(h, path)) a__ = coh__field(h, path);     \
		int rc__ = coh__batch_read_field(b__, m__, (uintptr_t)a__,     \
						 sizeof(*a__), COH_HERE);      \
		if (!rc__) {                                                   \
			__typeof__(*a__) v__ = *(volatile __typeof__(*a__) *)a__; \
			coh_arch_load(a__, sizeof(*a__), &v__, COH_HERE);      \
			*(out) = v__;                                          \
		}                                                              \
		rc__;                                                          \
	})

/**
 * @brief Write a field into a batch (coherent/fence.h, struct coh_batch):
 * coh_write_batch(&b, h, [0].status, 0xff).  The store is made and its
 * lines' clean issued now; the barrier that makes it visible to the
 * device is the batch's (coh_batch_end(), coh_queue_publish_batch()).
 * Uncached memory or a coherent device: the store only; the batch's
 * barrier orders it before the doorbell.
 * Ownership: none changes (shared memory).  Interrupt context: yes.
 * @retval 0 success
 * @retval -COH_EINVAL b NULL, or h belongs to another device than b's
 *         (nothing written; kept in the batch)
 * @retval -COH_ERANGE the field is outside h, or h is not shared memory
 *         (nothing written; kept in the batch; debug builds report it
 *         with the caller's file:line)
 * @retval the batch's earlier failure (nothing written), or this clean's
 *         failure (-COH_EFAULT...: written, not visible; kept)
 */
#define coh_write_batch(b, h, path, v)                                         \
	({                                                                     \
		struct coh_batch *b__ = (b);                                   \
		const struct coh_mem *m__ = &(h)->m_;                          \
		__typeof__(coh__field(h, path)) a__ = coh__field(h, path);     \
		int rc__ = coh__batch_field_ok(b__, m__, (uintptr_t)a__,       \
					       sizeof(*a__), COH_HERE);       \
		if (!rc__) {                                                   \
			coh_arch_store(a__, sizeof(*a__), COH_HERE);           \
			*(volatile __typeof__(*a__) *)a__ = (v);               \
			rc__ = coh__batch_field(b__, m__, (uintptr_t)a__,      \
						sizeof(*a__), COH_HERE);       \
		}                                                              \
		rc__;                                                          \
	})

/**
 * @brief Checked read: 0 and *out set; -COH_ERANGE (nothing read); or the
 * acquire's error (coherent/fence.h: -COH_ENODEV, -COH_EFAULT...), *out
 * untouched.
 */
#define coh_try_read(h, path, out)                                             \
	coh__try_read_via(h, coh__field(h, path), coh__field_in, out)

/**
 * @brief Checked write: 0; -COH_ERANGE (nothing written); or the release's
 * error: the field was written but may not be visible to the device.
 */
#define coh_try_write(h, path, v)                                              \
	coh__try_write_via(h, coh__field(h, path), coh__field_in, v)

/*
 * The trailer of a COH_SHARED_FLEX(T, U) handle: the address of `path`
 * inside the U at tail_off.  A handle allocated without a trailer has
 * tail_off 0, which every tail accessor refuses (offset 0 is the header,
 * not a trailer).
 */
#define coh__tail(h, path)                                                     \
	(&(*(__typeof__(*(h)->u_[0]) *)((h)->m_.cpu_ + (h)->m_.tail_off)) path)
int coh__tail_bad(const struct coh_mem *m, uintptr_t a, size_t n,
		  const struct coh_where *where);
#define coh__tail_ok(m, a, n) ((m)->tail_off && coh__field_in((m), (a), (n)))

/**
 * @brief Read a field of the trailer: coh_read_tail(h, .avail_event), as
 * coh_read() (acquired first on cached non-coherent memory).  Checked in
 * every build: a handle without a trailer, freed, or a path outside the
 * allocation is reported (file:line) and reads as 0, touching nothing.
 */
#define coh_read_tail(h, path)                                                 \
	coh__read_via(h, coh__tail(h, path), coh__tail_rbad, coh__field_acquire_at)
/* a trailer access is checked in every build: no trailer, out of bounds, freed */
#define coh__tail_rbad(m, a, n)                                                \
	((!coh__tail_ok((m), (a), (n)) || coh__dbg_check((m), (a), (n))) &&    \
	 coh__tail_bad((m), (a), (n), COH_HERE))

/**
 * @brief Write a field of the trailer: coh_write_tail(h, .used_event, v),
 * as coh_write() (released after on cached non-coherent memory).  Checked
 * as coh_read_tail(): a bad access is reported and writes nothing.
 */
#define coh_write_tail(h, path, v)                                             \
	coh__write_via(h, coh__tail(h, path), coh__tail_rbad, v)

/** @brief Checked trailer read: as coh_try_read(), -COH_ERANGE without a trailer (no report). */
#define coh_try_read_tail(h, path, out)                                        \
	coh__try_read_via(h, coh__tail(h, path), coh__tail_ok, out)

/** @brief Checked trailer write: as coh_try_write(), -COH_ERANGE without a trailer (no report). */
#define coh_try_write_tail(h, path, v)                                         \
	coh__try_write_via(h, coh__tail(h, path), coh__tail_ok, v)

/* Bulk: whole elements. */
int coh__mem_get(const struct coh_mem *m, size_t first, size_t n, void *dst,
		 const struct coh_where *where);
int coh__mem_put(const struct coh_mem *m, size_t first, size_t n, const void *src,
		 const struct coh_where *where);
int coh__mem_put_batch(struct coh_batch *b, const struct coh_mem *m, size_t first,
		       size_t n, const void *src, const struct coh_where *where);

/*
 * Bulk copies of a flex handle's array elements: off and esize name the
 * member the caller's macro was given, checked against the allocation's.
 */
int coh__mem_get_flex(const struct coh_mem *m, size_t off, size_t esize,
		      size_t first, size_t n, void *dst,
		      const struct coh_where *where);
int coh__mem_put_flex(const struct coh_mem *m, size_t off, size_t esize,
		      size_t first, size_t n, const void *src,
		      const struct coh_where *where);

/**
 * @brief Copy elements [first, first+n) out, acquired.
 * @retval 0 success
 * @retval -COH_ERANGE elements out of bounds, or not shared memory
 * @retval -COH_EINVAL a flex handle (coh_alloc_shared_flex): its one
 *         "element" is the whole allocation, not a T; use coh_get_flex()
 * @retval others: the acquire's (coherent/fence.h); nothing copied
 */
#define coh_get(h, first, n, dst)                                              \
	({                                                                     \
		__typeof__((*(h)->t_[0])[0]) *d__ = (dst);                     \
		coh__mem_get(&(h)->m_, (first), (n), d__, COH_HERE);           \
	})

/**
 * @brief Copy elements in and release them.  Errors as coh_get(); on a
 * maintenance error the bytes are copied but not released (not visible
 * to the device): retrying is safe.
 */
#define coh_put(h, first, n, src)                                              \
	({                                                                     \
		const __typeof__((*(h)->t_[0])[0]) *s__ = (src);               \
		coh__mem_put(&(h)->m_, (first), (n), s__, COH_HERE);           \
	})

/**
 * @brief coh_put() into a batch (coherent/fence.h): the elements are
 * copied and their lines' clean issued now, the barrier is the batch's
 * (coh_batch_end(), coh_queue_publish_batch()), shared with every other
 * piece of the batch.  Ownership: none changes.  Interrupt context: yes.
 * @retval 0 success (n 0: nothing done)
 * @retval -COH_ERANGE elements out of bounds or not shared memory;
 *         -COH_EINVAL b NULL, a flex handle (as coh_put()), or h of
 *         another device than b's: nothing copied, kept in the batch
 * @retval the batch's earlier failure (nothing copied), or the clean's
 *         (copied, not visible to the device; kept)
 */
#define coh_put_batch(b, h, first, n, src)                                     \
	({                                                                     \
		const __typeof__((*(h)->t_[0])[0]) *s__ = (src);               \
		coh__mem_put_batch((b), &(h)->m_, (first), (n), s__, COH_HERE); \
	})

/**
 * @brief Copy elements [first, first+n) of a flex handle's array `member`
 * out, acquired: coh_get_flex(h, ring, 0, 4, dst) with dst an array of the
 * member's element type.
 * @retval 0 success
 * @retval -COH_ERANGE [first, first+n) not within the n elements allocated
 * @retval -COH_EINVAL not a flex handle, or `member` is not its flexible array
 * @retval others: the acquire's; nothing copied
 */
#define coh_get_flex(h, member, first, n, dst)                                 \
	({                                                                     \
		__typeof__((*(h)->t_[0])[0]) *p__ = 0;                         \
		_Static_assert(coh__is_array(p__->member),                     \
			       "coh_get_flex: member must be the flexible array"); \
		__typeof__(&p__->member[0]) d__ = (dst);                       \
		coh__mem_get_flex(&(h)->m_,                                    \
				  __builtin_offsetof(__typeof__(*p__), member), \
				  sizeof(p__->member[0]), (first), (n), d__,   \
				  COH_HERE);                                   \
	})

/** @brief Copy elements of a flex handle's array in and release them.  Errors as coh_get_flex(). */
#define coh_put_flex(h, member, first, n, src)                                 \
	({                                                                     \
		__typeof__((*(h)->t_[0])[0]) *p__ = 0;                         \
		_Static_assert(coh__is_array(p__->member),                     \
			       "coh_put_flex: member must be the flexible array"); \
		const __typeof__(p__->member[0]) *s__ = (src);                 \
		coh__mem_put_flex(&(h)->m_,                                    \
				  __builtin_offsetof(__typeof__(*p__), member), \
				  sizeof(p__->member[0]), (first), (n), s__,   \
				  COH_HERE);                                   \
	})

/**
 * @brief Dump: copy up to len bytes at byte offset off out of shared memory,
 * synchronised first, with the semantics of a file read.
 * @return bytes copied (0 at or past the end), -COH_EINVAL for a negative
 *         offset or NULL buffer.
 */
#define coh_dump(h, off, buf, len)                                             \
	((void)sizeof((h)->t_), /* shared handles only */                      \
	 coh__mem_dump(&(h)->m_, (off), (buf), (len), COH_HERE))
long coh__mem_dump(const struct coh_mem *m, long off, void *buf, size_t len,
		   const struct coh_where *where);

/**
 * @brief Tear a device down: reports every allocation still live for it
 * (with the allocation's file:line in debug builds) and returns their count.
 * @return the number of live allocations (0: none); never fails.
 */
int coh_device_leaks(struct coh_device *dev);

#endif /* COHERENT_MEM_H */
