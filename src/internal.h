/* SPDX-License-Identifier: MIT */
/* src/internal.h - private to the library's own sources. */
#ifndef COHERENT_SRC_INTERNAL_H
#define COHERENT_SRC_INTERNAL_H

#include "coherent/coherent.h"
#include "coherent/backend.h"
#include "coherent/region.h"
#include "coherent/lock.h"

#define COH__HIDDEN __attribute__((visibility("hidden")))

/*
 * api_check: caller misuse.  Reports through the diagnostic handler with
 * the caller's site (debug builds) and returns -err from the function.
 */
COH__HIDDEN void coh__diag(const struct coh_where *where, const char *msg,
			   int err);

#define coh__api_check(cond, where, err, msg)                                 \
	do {                                                                   \
		if (__builtin_expect(!(cond), 0)) {                            \
			coh__diag((where), (msg), -(err));                     \
			return -(err);                                         \
		}                                                              \
	} while (0)

/* lua_assert: internal invariant, checked in debug builds only. */
#if COH_DEBUG
#define coh__assert(cond)                                                      \
	do {                                                                   \
		if (!(cond))                                                   \
			coh__diag(COH_HERE, "internal assertion failed: " #cond, \
				  0);                                          \
	} while (0)
#else
#define coh__assert(cond) ((void)0)
#endif

/*
 * Statistics (coherent/config.h, COH_STATS).  How a counter is bumped is a
 * property of the counter, named below, not of the call site:
 *  - the six maintenance counters ride on the fence calls' fast path
 *    (a one-line release is ~150 ns of write-back, and a locked add
 *    before and after it cost 5-7% of that: make bench, "release 64 B"),
 *    so they take a relaxed atomic load and a relaxed atomic store, never
 *    a locked read-modify-write: exact while one context at a time
 *    maintains for a device, and an increment can be lost when two CPUs
 *    maintain for one device at the same instant (COH_STATS_EXACT=1: a
 *    relaxed atomic add, exact from any number of CPUs);
 *  - the others count rare, costly events (maps, bounces, allocations,
 *    reports): a relaxed atomic add, exact from any number of CPUs.
 */
static inline void coh__stat_owner(unsigned long *c, unsigned long n)
{
#if COH_STATS_EXACT
	__atomic_fetch_add(c, n, __ATOMIC_RELAXED);
#else
	__atomic_store_n(c, __atomic_load_n(c, __ATOMIC_RELAXED) + n, __ATOMIC_RELAXED);
#endif
}

static inline void coh__stat_shared(unsigned long *c, unsigned long n)
{
	__atomic_fetch_add(c, n, __ATOMIC_RELAXED);
}

#define COH__STAT_release_calls coh__stat_owner
#define COH__STAT_acquire_calls coh__stat_owner
#define COH__STAT_flush_calls coh__stat_owner
#define COH__STAT_lines_cleaned coh__stat_owner
#define COH__STAT_lines_invalidated coh__stat_owner
#define COH__STAT_lines_flushed coh__stat_owner
#define COH__STAT_maps coh__stat_shared
#define COH__STAT_bounces coh__stat_shared
#define COH__STAT_bounce_bytes coh__stat_shared
#define COH__STAT_allocs coh__stat_shared
#define COH__STAT_reports coh__stat_shared

#if COH_STATS
#define coh__stat_add(dev, field, n)                                           \
	COH__STAT_##field(&(dev)->stats.field, (unsigned long)(n))
#else
/* evaluated and dropped: a count computed only for the statistics stays "used" */
#define coh__stat_add(dev, field, n) ((void)(dev), (void)(n))
#endif

/* counters of the barrier-only calls of coherent devices: COH_STATS >= 2 only */
#if COH_STATS >= 2
#define coh__stat_fast(dev, field, n) coh__stat_add(dev, field, n)
#else
#define coh__stat_fast(dev, field, n) ((void)(dev))
#endif

/*
 * The whole of a fence call for a coherent device, inline so that
 * tests/host/codegen.sh can show it is the barrier alone.
 */
static inline int coh__coherent_release(struct coh_device *dev)
{
	coh__stat_fast(dev, release_calls, 1);
	/* earlier CPU writes before the MMIO write that starts the DMA */
	coh_arch_io_wmb();
	return 0;
}

static inline int coh__coherent_acquire(struct coh_device *dev)
{
	coh__stat_fast(dev, acquire_calls, 1);
	/* the status read before any later read of the data */
	coh_arch_io_rmb();
	return 0;
}

static inline int coh__coherent_flush(struct coh_device *dev)
{
	coh__stat_fast(dev, flush_calls, 1);
	/* a full barrier: earlier accesses before later MMIO and memory */
	coh_arch_mb();
	return 0;
}

/* Validates dev/ptr/len and computes end; 0 or a negative code. */
static inline int coh__check_range(const struct coh_device *dev,
				   const void *ptr, size_t len, uintptr_t *end,
				   const struct coh_where *where)
{
	uintptr_t p = (uintptr_t)ptr;

	coh__api_check(dev, where, COH_EINVAL, "device is NULL");
	coh__api_check(ptr || !len, where, COH_EINVAL,
		       "buffer is NULL with a non-zero length");
	coh__api_check(len <= UINTPTR_MAX - p, where, COH_EOVERFLOW,
		       "range [ptr, ptr+len) wraps the address space");
	*end = p + len;
	return 0;
}

/*
 * [s, e) rounded out to whole lines of `line` bytes (a power of two): the
 * one place the library rounds.  The caller knows the last line does not
 * wrap (coh__lines() in src/fence.c checks it).
 */
static inline void coh__round_lines(uintptr_t s, uintptr_t e, size_t line,
				    uintptr_t *ls, uintptr_t *le)
{
	uintptr_t m = (uintptr_t)line - 1;

	*ls = s & ~m;
	*le = ((e - 1) | m) + 1;
}

/* Line-granular maintenance of an already-checked range; no api checks. */
COH__HIDDEN int coh__release_range(struct coh_device *dev, uintptr_t start,
				   uintptr_t end);
COH__HIDDEN int coh__acquire_range(struct coh_device *dev, uintptr_t start,
				   uintptr_t end);
COH__HIDDEN int coh__flush_range(struct coh_device *dev, uintptr_t start,
				 uintptr_t end);

/*
 * A maintenance batch (src/fence.c): line operations on several ranges of
 * one device, completed by one barrier.  The rings, the queues and the
 * coh_give_n/coh_take_n calls are built on it.  begin() checks, before
 * anything is touched, that [s, e) can be maintained at all (backend able,
 * line size known, range accepted), so a later add() on a part of that
 * range cannot fail for those reasons.  Kinds: COH__CLEAN, COH__INVAL
 * (whole lines: the caller owns every byte of them), COH__FLUSH, COH__ACQ
 * (invalidate, partial edge lines flushed, as coh_acquire).
 */
enum { COH__CLEAN = 1, COH__INVAL = 2, COH__FLUSH = 4, COH__ACQ = 8 };
/* not a kind: a batch's `did` bit for stores to write-combining memory,
 * whose barrier must drain the WC buffers (coh_arch_wc_wmb) */
enum { COH__WC = 16 };

/* coh_batch_end_read: the field's whole lines invalidated into b (src/fence.c) */
COH__HIDDEN int coh__batch_inval_field(struct coh_batch *b, uintptr_t a, size_t n,
				       const struct coh_where *where);

/* struct coh_batch is public (coherent/fence.h): drivers build batches too */

COH__HIDDEN int coh__batch_begin(struct coh_batch *b, struct coh_device *dev,
				 uintptr_t s, uintptr_t e);
COH__HIDDEN int coh__batch_add(struct coh_batch *b, int kind, uintptr_t s,
			       uintptr_t e, int op, int dir,
			       const struct coh_where *where);
/* coh__batch_add of a range begin() did not check: checked first */
COH__HIDDEN int coh__batch_add_checked(struct coh_batch *b, int kind, uintptr_t s,
				       uintptr_t e, int op, int dir,
				       const struct coh_where *where);
/* the one barrier completing what was added; nothing when nothing was */
COH__HIDDEN void coh__batch_barrier(struct coh_batch *b);

/*
 * Ownership of coherent allocations (src/mem.c, debug builds): the bytes a
 * driver handed to a device with coh_give() and has not taken back, so
 * that coh_free() refuses while the device owns any of them.  Release
 * builds: empty, the give/take path does no lookup at all.
 */
#if COH_DEBUG
COH__HIDDEN void coh__own_give(const void *ptr, size_t len,
			       const struct coh_where *where);
COH__HIDDEN void coh__own_take(const void *ptr, size_t len,
			       const struct coh_where *where);
/* the latest give still outstanding on [s, e), or NULL */
COH__HIDDEN const struct coh_where *coh__own_given(uintptr_t s, uintptr_t e,
						   bool *given);
/* coh__diag with a message formatted as coh__chk_report's (src/check.c) */
COH__HIDDEN void coh__diagf(const struct coh_where *where, int err,
			    const char *fmt, ...);
#else
static inline void coh__own_give(const void *ptr, size_t len,
				 const struct coh_where *where)
{
	(void)ptr;
	(void)len;
	(void)where;
}
static inline void coh__own_take(const void *ptr, size_t len,
				 const struct coh_where *where)
{
	(void)ptr;
	(void)len;
	(void)where;
}
#endif

/* src/lock.c: flags are what coh__unlock restores (IRQ-save lock ops), else 0 */
COH__HIDDEN unsigned long coh__lock(int *word);
COH__HIDDEN void coh__unlock(int *word, unsigned long flags);
/* the platform's lock ops (coh_set_lock_ops), NULL: the built-in spinlock */
COH__HIDDEN extern const struct coh_lock_ops *coh__lock_ops;

/* src/region.c: granule-level allocation inside one region */
struct coh_region;
/* align and boundary (0: none) are powers of two, applied to bus addresses */
COH__HIDDEN int coh__region_alloc(struct coh_region *r, size_t size, size_t align,
				  size_t boundary, const struct coh_device *dev,
				  uintptr_t *cpu, uint64_t *phys, size_t *span);
/* could r ever hold a block for size bytes aligned to align? */
COH__HIDDEN bool coh__region_can_hold(const struct coh_region *r, size_t size,
				      size_t align);
/* span: what coh__region_alloc reported (the block, alignment included) */
COH__HIDDEN int coh__region_free(struct coh_region *r, uintptr_t cpu, size_t span);
COH__HIDDEN struct coh_region *coh__region_first(void);

/* Fast paths of public calls, for the library's own hot paths. */
COH__HIDDEN extern size_t coh__line;		/* 0 until first asked */
COH__HIDDEN extern struct coh_region *coh__regions;

static inline size_t coh__line_size(void)
{
	size_t l = __atomic_load_n(&coh__line, __ATOMIC_RELAXED);

	return __builtin_expect(l != 0, 1) ? l : coh_cache_line_size();
}

/* coh_virt_to_phys(), inline when no region is registered */
static inline int coh__virt_to_phys(const void *cpu, uint64_t *phys)
{
	if (!__atomic_load_n(&coh__regions, __ATOMIC_ACQUIRE))
		return coh_arch_virt_to_phys(cpu, phys);
	return coh_virt_to_phys(cpu, phys);
}

#endif /* COHERENT_SRC_INTERNAL_H */
