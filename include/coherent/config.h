/* SPDX-License-Identifier: MIT */
/**
 * @file
 * coherent/config.h - every build-time knob, in one place.
 *
 * Each knob is "#if !defined(X) #define X default", so a build may set any of
 * them on the command line or in a header named by COH_USER_CONFIG, which is
 * included first (e.g. -DCOH_USER_CONFIG='"my_board_coh.h"').
 */
#ifndef COHERENT_CONFIG_H
#define COHERENT_CONFIG_H

#if defined(COH_USER_CONFIG)
#include COH_USER_CONFIG
#endif

/** Debug build: api checks print file:line, call sites are recorded. */
#if !defined(COH_DEBUG)
#if defined(NDEBUG)
#define COH_DEBUG 0
#else
#define COH_DEBUG 1
#endif
#endif

/**
 * Largest cache line any backend may report, in bytes.  Allocations are
 * aligned and padded to this so that no DMA buffer shares a line with other
 * data whatever the line size found at run time.
 */
#if !defined(COH_MAX_LINE)
#define COH_MAX_LINE 128
#endif

/**
 * Line size used where the hardware cannot be asked (RISC-V CMO, SiFive
 * ccache) and no coh_set_cache_line_size() call was made.  0 = no default:
 * maintenance fails with -COH_ENODEV until the platform sets one.
 */
#if !defined(COH_DEFAULT_LINE)
#define COH_DEFAULT_LINE 64
#endif

/**
 * Per-device statistics counters (coh_device.stats):
 *   0  none: every counter stays 0.
 *   1  (default of release builds) everything except the fence calls for
 *      a coherent device: those are a barrier alone (or nothing, on x86),
 *      and a counter shared by the CPUs using the device would cost more
 *      than the call - on two CPUs using one device, several times more
 *      (make bench, "stats" rows).  Calls that maintain caches are counted
 *      with no locked instruction (COH_STATS_EXACT below).
 *   2  (default of debug builds) also those calls: release_calls,
 *      acquire_calls and flush_calls of a coherent device.
 */
#if !defined(COH_STATS)
#if COH_DEBUG
#define COH_STATS 2
#else
#define COH_STATS 1
#endif
#endif

/**
 * How the maintenance counters (release_calls, acquire_calls, flush_calls,
 * lines_cleaned, lines_invalidated, lines_flushed) are updated:
 *   0  (default) a relaxed atomic load and a relaxed atomic store: no locked
 *      instruction on the fence calls' fast path (a locked add before and
 *      after a one-line release cost 5-7% of it).  Exact while one context
 *      at a time maintains for a given device - a driver's usual shape: one
 *      ring, one queue, one lock per device.  When two CPUs maintain for
 *      one device at the same instant an increment can be lost, so the
 *      counts are then a lower bound, never torn.
 *   1  a relaxed atomic add (a locked instruction on x86, an LL/SC loop on
 *      Arm and RISC-V): exact from any number of CPUs.
 * The other counters (maps, bounces, bounce_bytes, allocs, reports,
 * maint_errors) count rare events and are always atomic adds, exact.
 */
#if !defined(COH_STATS_EXACT)
#define COH_STATS_EXACT 0
#endif

/**
 * Virtual to physical translation, for backends that maintain by physical
 * address (SiFive ccache).  Bare metal with an identity map needs nothing.
 */
#if !defined(COH_VIRT_TO_PHYS)
#define COH_VIRT_TO_PHYS(va) ((uint64_t)(uintptr_t)(va))
#endif

/**
 * Streaming DMA (coherent/stream.h).  Bounce pool granule: a bounce slot is
 * a whole number of granules, each line-aligned, so no slot shares a line
 * with another.  A multiple of COH_MAX_LINE.
 */
#if !defined(COH_BOUNCE_GRANULE)
#define COH_BOUNCE_GRANULE 256
#endif

/** Most granules one bounce pool tracks; a larger pool uses larger granules. */
#if !defined(COH_BOUNCE_MAX_GRANULES)
#define COH_BOUNCE_MAX_GRANULES 2048
#endif

/**
 * Streaming DMA: the page size physical contiguity is checked by (every
 * page a buffer spans is translated), for backends without
 * coh_arch_page_size().  A power of two.
 */
#if !defined(COH_PAGE_SIZE)
#define COH_PAGE_SIZE 4096
#endif

/**
 * Streaming DMA: physical to CPU address (the inverse of COH_VIRT_TO_PHYS)
 * for memory outside registered regions, for backends without
 * coh_arch_phys_to_virt(): an in-place mapping keeps no record, so unmap
 * and sync find the buffer from its bus address, as Linux's dma-direct.
 */
#if !defined(COH_PHYS_TO_VIRT)
#define COH_PHYS_TO_VIRT(pa) ((void *)(uintptr_t)(pa))
#endif

/**
 * Debug checker (COH_DEBUG): live streaming mappings it tracks across all
 * devices, in a static table.  When it is full, that is reported and the
 * extra mappings go unchecked for cache-line sharing.
 */
#if !defined(COH_CHECK_MAPS)
#define COH_CHECK_MAPS 1024
#endif

/**
 * Debug checker (COH_DEBUG): live typed allocations it tracks (double
 * free, use after free, leaks at coh_device_leaks()).  When it is full,
 * that is reported and the extra allocations go unchecked.  At most 4095
 * (the slot is 12 bits of the handle's cookie).
 */
#if !defined(COH_CHECK_MAX_ALLOCS)
#define COH_CHECK_MAX_ALLOCS 512
#endif

/**
 * Debug checker (COH_DEBUG): byte ranges of coherent allocations handed to
 * a device with coh_give() and not yet taken back, across all devices, in a
 * static table (adjacent gives from one call site share an entry).  When it
 * is full, that is reported and the extra range goes unchecked: coh_free()
 * may then free it without refusing.
 */
#if !defined(COH_CHECK_GIVES)
#define COH_CHECK_GIVES 512
#endif

/**
 * coherent/compat/linux.h: dma_alloc_coherent() allocations live at once
 * (a static table of their handles: the Linux call returns a bare pointer).
 */
#if !defined(COH_LINUX_COHERENT_MAX)
#define COH_LINUX_COHERENT_MAX 32
#endif

#endif /* COHERENT_CONFIG_H */
