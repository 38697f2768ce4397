/* SPDX-License-Identifier: MIT */
/**
 * @file
 * coherent/fence.h - the fence contract: the one primitive everything else uses.
 *
 * Seen from the CPU:
 *
 *  - release: every CPU write to [ptr, ptr+len) made before the call is
 *    visible to any DMA the device starts through an MMIO access made after
 *    the call.  Non-coherent device: clean to the point of coherency, then
 *    one barrier that orders the cleaning before later MMIO.  Coherent
 *    device: the barrier only.
 *
 *  - acquire: every DMA write that finished before the call (as the CPU
 *    learned from an MMIO or memory status read) is visible to CPU reads
 *    after the call.  Non-coherent device: invalidate.  A partial line at
 *    either edge is cleaned and invalidated, never plainly invalidated, so CPU
 *    data sharing that line survives.  Coherent device: a read barrier only.
 *
 * Ranges may have any size and alignment; the library rounds to the cache
 * line.  Zero length is a no-op that returns 0.  Each call issues one
 * barrier after all its lines, never one per line.
 *
 * Every function is a macro that passes the caller's file and line in debug
 * builds (see COH_HERE), so diagnostics name the driver, not the library.
 * The *_at functions are the real entry points.
 *
 * Errors (all calls):
 *   -COH_EINVAL    dev is NULL, or ptr is NULL with len > 0, or bad direction
 *   -COH_EOVERFLOW ptr + len wraps the address space (nothing is maintained)
 *   -COH_ENOTSUP   the device is non-coherent but the backend cannot maintain
 *                  caches (generic backend): maintenance is never skipped silently
 *   -COH_ENODEV    the backend is not configured (SiFive ccache base unknown,
 *                  no line size on an ISA that cannot report one)
 *   -COH_EFAULT    (simulator) the range is outside simulated memory
 * None of these is retryable.  On error no line has been maintained.
 *
 * Concurrency: any number of calls may run at once on disjoint or identical
 * ranges; maintenance of a line is idempotent.
 *
 * Interrupt context: every call here may run in an interrupt handler.  None
 * takes a lock, except coh_give()/coh_take() in debug builds (the ownership
 * table: see coherent/lock.h for IRQ-save lock ops); coh_set_cache_line_size()
 * is configuration, before other calls.  Table: docs/context.md.
 */
#ifndef COHERENT_FENCE_H
#define COHERENT_FENCE_H

#include "coherent/device.h"

/**
 * @brief Make CPU writes to [ptr, ptr+len) visible to the device.
 *
 * Ownership: unchanged (use coh_give() to hand the bytes over).
 * Ordering: all maintenance completes before any later MMIO access.
 * @note Edge lines are cleaned whole: CPU writes to neighbouring bytes in
 *       the same lines become visible too, which is harmless.
 * @retval 0 success; errors as listed in the header comment.
 */
#define coh_release(dev, ptr, len) coh_release_at((dev), (ptr), (len), COH_HERE)
/** @brief coh_release() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_release_at(struct coh_device *dev, const void *ptr, size_t len,
		   const struct coh_where *where);

/**
 * @brief Make device writes to [ptr, ptr+len) visible to the CPU.
 *
 * Ownership: unchanged (use coh_take() to take bytes back).
 * Ordering: earlier reads of a status (MMIO or memory) are ordered before
 * the invalidation and before every later CPU read.
 * @note Destructive: any CPU write to a whole line inside the range that was
 *       not yet written back is discarded.  Partial lines at the edges are
 *       cleaned and invalidated, so neighbouring CPU data survives; a device
 *       write to such an edge line may then be overwritten by the CPU's copy
 *       if the CPU dirtied the neighbour meanwhile (which is why streaming
 *       maps bounce buffers with shared edges).
 * @retval 0 success; errors as listed in the header comment.
 */
#define coh_acquire(dev, ptr, len) coh_acquire_at((dev), (ptr), (len), COH_HERE)
/** @brief coh_acquire() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_acquire_at(struct coh_device *dev, void *ptr, size_t len,
		   const struct coh_where *where);

/**
 * @brief Clean and invalidate [ptr, ptr+len): write back, then drop.
 *
 * Used before a device writes a buffer, so that no dirty line can later be
 * evicted over the device's data.  Ownership unchanged.
 * @retval 0 success; errors as listed in the header comment.
 */
#define coh_flush(dev, ptr, len) coh_flush_at((dev), (ptr), (len), COH_HERE)
/** @brief coh_flush() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_flush_at(struct coh_device *dev, void *ptr, size_t len,
		 const struct coh_where *where);

/**
 * @brief Hand [ptr, ptr+len) to the device for a transfer in direction dir.
 *
 * After this call the device owns the bytes; the CPU must not touch them
 * until coh_take().  TO_DEVICE: release.  FROM_DEVICE and BIDIRECTIONAL:
 * clean and invalidate, so no dirty line can be evicted over device data.
 * Giving bytes the device already owns is allowed (a re-posted buffer):
 * ownership is per byte, not counted.  Debug builds remember the bytes of
 * coherent allocations (coherent/mem.h) given here, so that coh_free()
 * refuses them with -COH_EBUSY until they are taken back.
 * @retval 0 success; -COH_EINVAL for an unknown direction; others as above.
 */
#define coh_give(dev, ptr, len, dir)                                          \
	coh_give_at((dev), (ptr), (len), (dir), COH_HERE)
/** @brief coh_give() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_give_at(struct coh_device *dev, void *ptr, size_t len, enum coh_dir dir,
		const struct coh_where *where);

/**
 * @brief Take [ptr, ptr+len) back from the device after a transfer in dir.
 *
 * After this call the CPU owns the bytes.  FROM_DEVICE and BIDIRECTIONAL:
 * acquire (invalidate again: the CPU may have refilled lines speculatively
 * while the device owned them).  TO_DEVICE: no maintenance.  The range may
 * be any part of one or more earlier gives.
 * @retval 0 success; errors as coh_give().
 */
#define coh_take(dev, ptr, len, dir)                                          \
	coh_take_at((dev), (ptr), (len), (dir), COH_HERE)
/** @brief coh_take() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_take_at(struct coh_device *dev, void *ptr, size_t len, enum coh_dir dir,
		const struct coh_where *where);

/** One buffer of a batch: coh_give_n(), coh_take_n(). */
struct coh_span {
	void *ptr;		/**< the buffer */
	size_t len;		/**< its length */
	enum coh_dir dir;	/**< as coh_give() / coh_take() */
};

/**
 * @brief coh_give() of n buffers, each in its own direction, under one
 * barrier: a refill of n buffers costs the lines of the buffers and one
 * barrier, not n barriers; a VirtIO request (header TO_DEVICE, data and
 * status FROM_DEVICE) is one call.
 *
 * Ownership: after this call the device owns every span.  Every span is
 * checked before any line is touched: on error nothing was given (a
 * backend whose own op hook refuses a span after earlier ones were handed
 * over - the simulator, for a coherent device's buffer outside simulated
 * memory - is told to hand those back before the error is returned).
 * Interrupt context: yes (no allocation; debug builds take the checker's
 * lock, as coh_give()).
 * @retval 0 success (n 0: nothing done)
 * @retval -COH_EINVAL dev NULL, spans NULL with n > 0, a span NULL with a
 *         length, or a span's direction unknown; others as coh_give().
 */
#define coh_give_n(dev, spans, n) coh_give_n_at((dev), (spans), (n), COH_HERE)
/** @brief coh_give_n() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_give_n_at(struct coh_device *dev, const struct coh_span *spans,
		  size_t n, const struct coh_where *where);

/**
 * @brief coh_take() of n buffers under one barrier (TO_DEVICE spans need
 * none).  Ownership: the CPU owns every span after the call.  Errors,
 * checking and interrupt context as coh_give_n().
 */
#define coh_take_n(dev, spans, n) coh_take_n_at((dev), (spans), (n), COH_HERE)
/** @brief coh_take_n() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_take_n_at(struct coh_device *dev, const struct coh_span *spans,
		  size_t n, const struct coh_where *where);

/**
 * Several releases, one barrier.  A request a driver builds from pieces in
 * different allocations (a VirtIO block request: header, status sentinel,
 * indirect table; then the descriptors and the ring entry) would pay one
 * barrier per piece with coh_put()/coh_write().  Written with
 * coh_put_batch()/coh_write_batch() instead, each piece is stored and its
 * lines' clean is issued at once, and the one barrier that completes them
 * all is coh_batch_end()'s - or the first barrier of the
 * coh_queue_publish_batch() that takes the batch, which the descriptors
 * need anyway.  Until that barrier the pieces are not visible to the
 * device: no doorbell may come between.
 *
 * Errors are sticky: the first failure of an add (a piece out of bounds,
 * a handle of another device, a maintenance failure) is kept, later adds
 * are refused with it, and coh_batch_end() / coh_queue_publish_batch()
 * return it, so a driver checks once; coh_batch_init() starts afresh.
 *
 * Contents are the library's; one batch per thread, not shared.
 * Interrupt context: yes (no lock, no allocation).
 */
struct coh_batch {
	struct coh_device *dev;		/**< library-private */
	size_t line;			/**< library-private: 0, no line maintenance */
	unsigned int did;		/**< library-private: kinds added since the last barrier */
	int err;			/**< library-private: the first failure, 0 if none */
	unsigned long lines[3];		/**< library-private: cleaned, invalidated, flushed */
};

/**
 * @brief Start an empty batch for dev.  Nothing is touched.
 * @retval 0 success
 * @retval -COH_EINVAL b or dev NULL
 * @retval -COH_ENOTSUP, -COH_ENODEV dev needs maintenance and the backend
 *         cannot do it, or the line size is unknown (also kept in the
 *         batch: every add and coh_batch_end() return it)
 */
#define coh_batch_init(b, dev) coh_batch_init_at((b), (dev), COH_HERE)
/** @brief coh_batch_init() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_batch_init_at(struct coh_batch *b, struct coh_device *dev,
		      const struct coh_where *where);

/**
 * @brief The one barrier that completes every line operation added since
 * the last barrier (nothing when nothing was added).  The batch stays
 * usable and empty; a failure it holds is returned and stays until
 * coh_batch_init() (every later add is refused with it).
 * Ownership: the pieces written into the batch are now visible to the
 * device (coherent/mem.h: shared memory stays shared).
 * @retval 0 success
 * @retval the batch's first failure (see struct coh_batch); -COH_EINVAL b NULL
 */
#define coh_batch_end(b) coh_batch_end_at((b), COH_HERE)
/** @brief coh_batch_end() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_batch_end_at(struct coh_batch *b, const struct coh_where *where);

/**
 * @brief Declare that the CPU now reads [ptr, ptr+len), which a device wrote.
 *
 * A checking point, not maintenance: on hardware it compiles to nothing;
 * the simulator reports any byte in the range whose CPU view is stale
 * (device wrote it, no acquire since).  Call it where received data is
 * handed on (to a network stack, a block cache).
 * @retval 0 clean; -COH_EPROTO (simulator) stale bytes were found.
 */
#define coh_consume(dev, ptr, len) coh_consume_at((dev), (ptr), (len), COH_HERE)
/** @brief coh_consume() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_consume_at(struct coh_device *dev, const void *ptr, size_t len,
		   const struct coh_where *where);

/**
 * @brief Data cache line size used for maintenance, in bytes.
 *
 * Read from the hardware where the ISA allows (CTR_EL0 on aarch64, CTR on
 * armv7-a, CCSIDR on Cortex-M7, CPUID on x86), otherwise the value given to
 * coh_set_cache_line_size(), otherwise COH_DEFAULT_LINE.  0 means unknown:
 * maintenance then fails with -COH_ENODEV.
 */
size_t coh_cache_line_size(void);

/**
 * @brief Set the line size where the hardware cannot report it (RISC-V:
 * devicetree riscv,cbom-block-size) or to override it.
 * @retval 0 success
 * @retval -COH_EINVAL not a power of two, below 16 or above COH_MAX_LINE
 */
int coh_set_cache_line_size(size_t bytes);
/** @brief coh_set_cache_line_size() with the call site explicit, named by
 * its diagnostic; same errors and context. */
int coh_set_cache_line_size_at(size_t bytes, const struct coh_where *where);
/** @brief coh_set_cache_line_size() naming the caller's line in its
 * diagnostic (the function stays, for callers that take its address);
 * same errors and context. */
#define coh_set_cache_line_size(bytes) coh_set_cache_line_size_at((bytes), COH_HERE)

/** @brief Name of the backend this library was built for ("aarch64", "sim", ...); never fails, any context. */
const char *coh_backend_name(void);

#endif /* COHERENT_FENCE_H */
