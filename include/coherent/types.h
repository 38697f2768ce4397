/* SPDX-License-Identifier: MIT */
/**
 * @file
 * coherent/types.h - small types shared by every public header.
 *
 * Context: coh_is_pow2() anywhere.  coh_set_diag_handler() from any thread
 * (an atomic exchange), normally at start-up; the handler then runs in the
 * context of the call that failed, an interrupt handler included, so it
 * must not sleep.
 */
#ifndef COHERENT_TYPES_H
#define COHERENT_TYPES_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "coherent/config.h"
#include "coherent/error.h"

/** A bus address: what a device puts on the interconnect (phys + bus offset). */
typedef uint64_t coh_bus_t;

/** Returned by address-producing calls on failure; test with coh_mapping_error(). */
#define COH_BUS_ERROR (~(coh_bus_t)0)

/** Direction of a transfer, from the device's point of view (Linux semantics). */
enum coh_dir {
	COH_BIDIRECTIONAL = 0,	/**< device reads and writes */
	COH_TO_DEVICE = 1,	/**< device reads, CPU wrote */
	COH_FROM_DEVICE = 2,	/**< device writes, CPU reads back */
};

/**
 * A call site.  Debug builds pass one (a static constant, no run-time cost
 * beyond a pointer) from every public macro, so that diagnostics and
 * simulator reports name the caller's file and line.  Release builds pass
 * NULL.
 */
struct coh_where {
	const char *file;	/**< __FILE__ of the call */
	int line;		/**< __LINE__ of the call */
	const char *func;	/**< __func__ of the call */
};

#if COH_DEBUG
/** @brief The call site (a pointer to a static struct coh_where; NULL in release builds). */
#define COH_HERE                                                             \
	({                                                                   \
		static const struct coh_where coh_where__ = { __FILE__,       \
							      __LINE__,       \
							      __func__ };     \
		&coh_where__;                                                \
	})
#else
#define COH_HERE ((const struct coh_where *)0)
#endif

/** @brief true if x is a non-zero power of two. */
static inline bool coh_is_pow2(uint64_t x)
{
	return x && !(x & (x - 1));
}

/**
 * Diagnostics.  The library never prints by itself (it is freestanding); a
 * platform or test installs a handler.  `where` is the caller's site when
 * known (debug builds), `file`/`line` the check inside the library.
 */
typedef void (*coh_diag_fn)(const struct coh_where *where, const char *msg,
			    int err);

/** @brief Install the diagnostic handler (NULL: silent).  Returns the old one. */
coh_diag_fn coh_set_diag_handler(coh_diag_fn fn);

#endif /* COHERENT_TYPES_H */
