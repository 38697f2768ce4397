/* SPDX-License-Identifier: MIT */
/**
 * @file
 * coherent/driver.h - the small helpers every DMA driver otherwise writes by
 * hand: address words, byte order of descriptor fields and registers, a
 * virt-to-bus translation checked against the device's DMA mask, and a
 * register poll with a timeout.  (A pool block's bus address from its CPU
 * pointer is coh_pool_bus() in coherent/pool.h; the full DMA barrier is
 * coh_dma_mb() in coherent/mmio.h.)
 *
 * Byte order: descriptors and registers have the byte order the device
 * defines, the CPU may have either.  coh_cpu_to_le32(v) gives the value
 * whose in-memory bytes are v in little-endian order, whatever the host;
 * coh_le32_to_cpu() undoes it.  They are the identity on a host of that
 * order and a byte swap otherwise, and constant-fold.
 *
 * MMIO: coh_mmio_readN()/coh_mmio_writeN() move the register's bytes as the
 * CPU's native word.  coh_mmio_readN_le()/_be() and coh_mmio_writeN_le()/_be()
 * interpret them in the device's byte order (readl/writel are the _le
 * forms); the *_relaxed forms carry no ordering against memory, as in
 * coherent/mmio.h.
 *
 * Interrupt context: everything here may run in interrupt context and takes
 * no lock, except that coh_mmio_poll32() calls the caller's clock and relax
 * callbacks, which must then be interrupt-safe themselves.
 */
#ifndef COHERENT_DRIVER_H
#define COHERENT_DRIVER_H

#include "coherent/types.h"
#include "coherent/device.h"
#include "coherent/mmio.h"

#if !defined(__BYTE_ORDER__) || !defined(__ORDER_LITTLE_ENDIAN__) ||           \
	!defined(__ORDER_BIG_ENDIAN__)
#error "coherent/driver.h: the compiler does not say the host byte order (__BYTE_ORDER__)"
#endif

/* ---- address words ------------------------------------------------------- */

/** @brief Low 32 bits of a bus address (the "address low" register/field). */
static inline uint32_t coh_lo32(uint64_t v)
{
	return (uint32_t)v;
}

/**
 * @brief High 32 bits of a bus address.  Program it even where the device
 * is given 32-bit memory today: dropping it silently aims DMA at the wrong
 * 4 GiB window as soon as memory moves above it.
 */
static inline uint32_t coh_hi32(uint64_t v)
{
	return (uint32_t)(v >> 32);
}

/* ---- byte order ---------------------------------------------------------- */

/** @brief Byte-swap 16 bits (never fails, any context). */
static inline uint16_t coh_swab16(uint16_t v)
{
	return __builtin_bswap16(v);
}

/** @brief Byte-swap 32 bits (never fails, any context). */
static inline uint32_t coh_swab32(uint32_t v)
{
	return __builtin_bswap32(v);
}

/** @brief Byte-swap 64 bits (never fails, any context). */
static inline uint64_t coh_swab64(uint64_t v)
{
	return __builtin_bswap64(v);
}

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define COH__LE(N, v) (v)
#define COH__BE(N, v) coh_swab##N(v)
#else
#define COH__LE(N, v) coh_swab##N(v)
#define COH__BE(N, v) (v)
#endif

/*
 * coh_cpu_to_leN / coh_leN_to_cpu / coh_cpu_to_beN / coh_beN_to_cpu for
 * N = 16, 32, 64: the same operation in both directions (an involution),
 * named for what the caller means.
 */
#define COH__ENDIAN_CONV(N)                                                    \
	static inline uint##N##_t coh_cpu_to_le##N(uint##N##_t v)              \
	{                                                                      \
		return COH__LE(N, v);                                          \
	}                                                                      \
	static inline uint##N##_t coh_le##N##_to_cpu(uint##N##_t v)            \
	{                                                                      \
		return COH__LE(N, v);                                          \
	}                                                                      \
	static inline uint##N##_t coh_cpu_to_be##N(uint##N##_t v)              \
	{                                                                      \
		return COH__BE(N, v);                                          \
	}                                                                      \
	static inline uint##N##_t coh_be##N##_to_cpu(uint##N##_t v)            \
	{                                                                      \
		return COH__BE(N, v);                                          \
	}
COH__ENDIAN_CONV(16)
COH__ENDIAN_CONV(32)
COH__ENDIAN_CONV(64)

/* ---- MMIO in the device's byte order -------------------------------------- */

/*
 * coh_mmio_readN_le / _be, coh_mmio_writeN_le / _be (ordered as
 * coh_mmio_readN / coh_mmio_writeN) and their *_relaxed forms.  Note for
 * the simulator: its device models hold registers as host-order values,
 * which on the (little-endian) host equals the _le view.
 */
#define COH__MMIO_ENDIAN(N, E, SFX)                                            \
	static inline uint##N##_t coh_mmio_read##N##_##E##SFX(                 \
		const volatile void *addr)                                     \
	{                                                                      \
		return coh_##E##N##_to_cpu(coh_mmio_read##N##SFX(addr));        \
	}                                                                      \
	static inline void coh_mmio_write##N##_##E##SFX(volatile void *addr,   \
							uint##N##_t v)         \
	{                                                                      \
		coh_mmio_write##N##SFX(addr, coh_cpu_to_##E##N(v));            \
	}
#define COH__MMIO_ENDIAN_ALL(N)                                                \
	COH__MMIO_ENDIAN(N, le, )                                              \
	COH__MMIO_ENDIAN(N, be, )                                              \
	COH__MMIO_ENDIAN(N, le, _relaxed)                                      \
	COH__MMIO_ENDIAN(N, be, _relaxed)
COH__MMIO_ENDIAN_ALL(16)
COH__MMIO_ENDIAN_ALL(32)
COH__MMIO_ENDIAN_ALL(64)

/* ---- virt to bus, mask checked -------------------------------------------- */

/**
 * @brief Bus address of [cpu, cpu+len) for dev: CPU address to physical
 * (registered regions first, then the backend: coh_virt_to_phys()), plus
 * the device's bus offset, checked against its DMA mask.  For memory the
 * library did not allocate (a static buffer, a frame from a network
 * stack); coherent allocations already carry coh_bus(h), pool blocks
 * coh_pool_bus().  No maintenance, no ownership change: the caller still
 * owes coh_give()/coh_release() before the device uses the bytes.
 *
 * @param len bytes the device will access (at least 1): all of them must be
 *        physically contiguous and below the mask, not only the first.
 * @retval 0 and *bus set
 * @retval -COH_EINVAL dev, cpu or bus is NULL, or len is 0
 * @retval -COH_EOVERFLOW cpu+len wraps the address space
 * @retval -COH_EFAULT the range is not known memory, or its two ends do not
 *         translate to one contiguous physical range
 * @retval -COH_ERANGE the bus range (or its end) is above the device's mask:
 *         bounce it (coherent/stream.h) or allocate from a reachable region
 * On error *bus = COH_BUS_ERROR.  Any context (no lock; the region list is
 * only read).
 */
#define coh_virt_to_bus(dev, cpu, len, bus)                                    \
	coh_virt_to_bus_at((dev), (cpu), (len), (bus), COH_HERE)
/** @brief coh_virt_to_bus() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_virt_to_bus_at(const struct coh_device *dev, const void *cpu,
		       size_t len, coh_bus_t *bus,
		       const struct coh_where *where);

/* ---- register poll with a timeout ------------------------------------------ */

/** struct coh_poll.order: how the register's bytes are read */
enum coh_poll_order {
	COH_POLL_NATIVE = 0,	/**< as coh_mmio_read32() */
	COH_POLL_LE = 1,	/**< as coh_mmio_read32_le() (readl) */
	COH_POLL_BE = 2,	/**< as coh_mmio_read32_be() */
};

/**
 * How long coh_mmio_poll32() waits.  With a clock: until now() has advanced
 * by more than `timeout` (in the clock's own units: ticks, ns, cycles),
 * then one last read, so a poller delayed (preempted, interrupted) past the
 * deadline does not report a timeout for a condition that became true
 * meanwhile.  Without a clock (now == NULL): at most `timeout` reads.
 */
struct coh_poll {
	uint64_t (*now)(void *ctx);	/**< monotonic clock, or NULL: count reads */
	void (*relax)(void *ctx);	/**< between reads (a delay, cpu_relax); may be NULL */
	void *ctx;			/**< passed to now() and relax() */
	uint64_t timeout;		/**< clock units, or reads (>= 1) without a clock */
	enum coh_poll_order order;	/**< byte order of the register */
};

/**
 * @brief Read a 32-bit register until (value & mask) == want, as Linux
 * readl_poll_timeout().  Each read is an ordered read (coh_mmio_read32()):
 * once the condition holds, later memory reads (a descriptor, a DMA-written
 * buffer) are ordered after the read that saw it.
 *
 * @param reg  the register
 * @param val  the last value read (in the order chosen), may be NULL
 * @retval 0 the condition held
 * @retval -COH_ETIMEDOUT it did not within the budget (*val is the last read)
 * @retval -COH_EINVAL reg or how is NULL, want has bits outside mask (could
 *         never match), an unknown order, or no clock and a budget of 0;
 *         nothing is read
 * Interrupt context: yes if now() and relax() are (an iteration budget and
 * no relax() always are).  No lock.
 */
#define coh_mmio_poll32(reg, mask, want, how, val)                             \
	coh_mmio_poll32_at((reg), (mask), (want), (how), (val), COH_HERE)
/** @brief coh_mmio_poll32() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_mmio_poll32_at(const volatile void *reg, uint32_t mask, uint32_t want,
		       const struct coh_poll *how, uint32_t *val,
		       const struct coh_where *where);

#endif /* COHERENT_DRIVER_H */
