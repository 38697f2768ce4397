/* SPDX-License-Identifier: MIT */
/**
 * @file
 * coherent/backend.h - the contract between the portable core and a backend.
 *
 * Context: every hook runs inside a public call, in the caller's context
 * (an interrupt handler included): hooks must not sleep or allocate.
 *
 * FOR IMPLEMENTERS OF arch/NAME/ AND sim/ ONLY.  Drivers must not include
 * this header or call any coh_arch_* function: everything here is reached
 * through the headers in include/coherent.  A test greps drivers/ to enforce it.
 *
 * A backend is one folder holding "coh_arch.h" (and optionally .c files).
 * The build puts that folder on the include path, so the core and the MMIO
 * accessors inline the backend's primitives: the per-line loop, the barrier
 * and the register access are compiled into the caller, musl style.
 *
 * Required from coh_arch.h:
 *
 *   COH_ARCH_NAME            string, e.g. "aarch64"
 *   COH_ARCH_CAN_MAINTAIN    1 if the backend can clean/invalidate for
 *                            non-coherent devices, 0 if it only knows
 *                            coherent devices (generic)
 *   COH_ARCH_FLUSH_ONLY      1 if clean and invalidate are both implemented
 *                            as clean+invalidate (SiFive ccache, x86)
 *
 *   size_t coh_arch_line_size_hw(void)
 *       line size read from the hardware, 0 if the ISA cannot tell.
 *
 *   void coh_arch_clean_lines(uintptr_t start, uintptr_t end, size_t line)
 *   void coh_arch_inval_lines(uintptr_t start, uintptr_t end, size_t line)
 *   void coh_arch_flush_lines(uintptr_t start, uintptr_t end, size_t line)
 *       one maintenance operation per line in [start, end); start and end
 *       are multiples of line and start < end.  No barrier.
 *
 *   void coh_arch_maint_done(void)
 *       the single barrier after a batch of line operations: completes them
 *       and orders them before every later memory and MMIO access.
 *
 *   void coh_arch_wmb(void)     orders coherent-memory writes (dma_wmb)
 *   void coh_arch_rmb(void)     orders coherent-memory reads (dma_rmb)
 *   void coh_arch_dma_mb(void)  every earlier load and store of coherent memory
 *                               before every later one, store->load included
 *                               (dma_mb / virt_mb); need not order MMIO
 *   void coh_arch_mb(void)      full barrier between memory and MMIO
 *   void coh_arch_io_wmb(void)  earlier memory writes before a later MMIO write
 *   void coh_arch_io_rmb(void)  an MMIO read before later memory reads
 *
 *   uintN_t coh_arch_readN(const volatile void *addr)        N = 8,16,32,64
 *   void    coh_arch_writeN(volatile void *addr, uintN_t v)
 *       single, unordered register accesses.
 *
 * Optional (define the name to itself, as musl does, to provide one):
 *
 *   int  coh_arch_range_check(uintptr_t start, uintptr_t end)
 *       0, or a negative code if the range cannot be maintained (SiFive:
 *       -COH_ENODEV with no controller base; sim: -COH_EFAULT outside RAM).
 *   void coh_arch_wc_wmb(void)
 *       earlier stores to write-combining memory before later stores and
 *       MMIO (x86: SFENCE; default: coh_arch_io_wmb()).
 *   void coh_arch_maint_begin(void)
 *       a barrier before the first line operation (SiFive: fence).
 *   void coh_arch_clean_done(void)
 *       the barrier ending a release (clean lines only): completes the
 *       cleans before every later store, the doorbell's MMIO store
 *       included.  Default: coh_arch_maint_done().  x86 uses SFENCE here.
 *   int  coh_arch_op(int op, struct coh_device *dev, const void *ptr,
 *                    size_t len, int dir, const struct coh_where *where)
 *       called first by every public operation (COH_OP_*): the simulator's
 *       scheduling point, call-site record and ownership tracking.  A
 *       negative return aborts the operation with that code.
 *   void coh_arch_op_end(int op)
 *       called when the operation is complete.
 *   int  coh_arch_virt_to_phys(const void *va, uint64_t *pa)
 *       physical address of memory outside registered regions (default:
 *       COH_VIRT_TO_PHYS, the identity map); -COH_EFAULT if unknown.
 *   void coh_arch_store(const void *addr, size_t n, const struct coh_where *where)
 *       called just before every store the library makes to shared memory
 *       on the caller's behalf (coh_write, coh_try_write, coh_put, the
 *       descriptor writes of coh_ring_post and coh_ring_reset): the
 *       simulator's memory-ordering model.  Default: nothing, so the
 *       accessors stay a bare volatile access on real backends.
 *   void coh_arch_load(const void *addr, size_t n, void *val,
 *                      const struct coh_where *where)
 *       called just after every load the library makes from shared memory
 *       on the caller's behalf (coh_read, coh_try_read, coh_get, the owner
 *       word and the fields read by coh_ring_reap), with the n bytes loaded
 *       in *val, which the backend may replace (the simulator's load-order
 *       model: a load satisfied early).  Not a scheduling point.  Default:
 *       nothing.
 */
#ifndef COHERENT_BACKEND_H
#define COHERENT_BACKEND_H

#include "coherent/device.h"

/* Operation codes passed to coh_arch_op(). */
enum {
	COH_OP_RELEASE = 1,
	COH_OP_ACQUIRE,
	COH_OP_FLUSH,
	COH_OP_GIVE,		/**< ownership to device; dir given */
	COH_OP_TAKE,		/**< ownership to CPU; dir given */
	COH_OP_CONSUME,		/**< CPU reads device data (checking point) */
	COH_OP_SHARE,		/**< memory becomes shared (typed accessors only) */
	COH_OP_UNSHARE,		/**< shared memory, a box or a pool block is freed (back to the allocator) */
	COH_OP_TEARDOWN,	/**< device teardown (ptr NULL, len 0): what is still given or live leaks */
	COH_OP_MAP,		/**< a streaming mapping of [ptr, len) is made (a GIVE follows): a notice */
	COH_OP_BOUNCE,		/* a streaming map goes through a bounce slot (ptr: the
				 * caller's buffer); informational, never a scheduling point */
};

#include "coh_arch.h"

#ifndef coh_arch_range_check
/** @brief Default: every range can be maintained.  @retval 0 always (a backend's own may return -COH_ENODEV, -COH_EFAULT). */
static inline int coh_arch_range_check(uintptr_t start, uintptr_t end)
{
	(void)start;
	(void)end;
	return 0;
}
#endif

#ifndef coh_arch_maint_begin
/** @brief Default: no barrier before the first line operation. */
static inline void coh_arch_maint_begin(void)
{
}
#endif

#ifndef coh_arch_clean_done
/** @brief Default: the barrier ending a release is coh_arch_maint_done(). */
static inline void coh_arch_clean_done(void)
{
	coh_arch_maint_done();
}
#endif

#ifndef coh_arch_wc_wmb
/**
 * @brief Default: earlier stores to write-combining memory before later
 * stores, MMIO included, is coh_arch_io_wmb() (Arm DMB/DSB ST and RISC-V
 * fence w,o already order Normal non-cacheable stores); x86 overrides it
 * with SFENCE, which drains the WC buffers.
 */
static inline void coh_arch_wc_wmb(void)
{
	coh_arch_io_wmb();
}
#endif

#ifndef coh_arch_op
/** @brief Default: no hook.  @retval 0 always (a negative return would abort the operation with that code). */
static inline int coh_arch_op(int op, struct coh_device *dev, const void *ptr,
			      size_t len, int dir,
			      const struct coh_where *where)
{
	(void)op;
	(void)dev;
	(void)ptr;
	(void)len;
	(void)dir;
	(void)where;
	return 0;
}
#endif

#ifndef coh_arch_op_end
/** @brief Default: nothing at the end of an operation. */
static inline void coh_arch_op_end(int op)
{
	(void)op;
}
#endif

#ifndef coh_arch_store
/** @brief Default: library stores to shared memory are bare volatile stores. */
static inline void coh_arch_store(const void *addr, size_t n,
				  const struct coh_where *where)
{
	(void)addr;
	(void)n;
	(void)where;
}
#endif

#ifndef coh_arch_load
/** @brief Default: library loads from shared memory are bare volatile loads. */
static inline void coh_arch_load(const void *addr, size_t n, void *val,
				 const struct coh_where *where)
{
	(void)addr;
	(void)n;
	(void)val;
	(void)where;
}
#endif

#ifndef coh_arch_virt_to_phys
/** @brief Default: COH_VIRT_TO_PHYS (the identity map).  @retval 0 always (a backend's own: -COH_EFAULT for an unknown address). */
static inline int coh_arch_virt_to_phys(const void *va, uint64_t *pa)
{
	*pa = COH_VIRT_TO_PHYS(va);
	return 0;
}
#endif

#endif /* COHERENT_BACKEND_H */
