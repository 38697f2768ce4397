/* SPDX-License-Identifier: MIT */
/*
 * sim/access.c - the observer of every CPU load and store of instrumented
 * driver code.
 *
 * Code built with coh_sim_instrument() (cmake/sim_instrument.cmake) is
 * compiled with call-based instrumentation - Clang's kernel address
 * sanitizer, GCC's thread sanitizer (see the __tsan_ hooks below): before
 * every load or store the compiler calls __asan_loadN_noabort(addr) /
 * __asan_storeN_noabort(addr) (or __tsan_readN / __tsan_writeN), and
 * the libc routines that touch memory are routed to checked twins
 * (sim_instrument.h, libc.c) that call sim__observe().  No shadow memory and no runtime
 * library: the simulator defines these entry points and looks at the access
 * before it happens.  Outside the simulated areas an access costs two
 * compares (host stack, heap, globals); the library and the simulator are
 * never instrumented, so only the driver's own accesses arrive here.
 *
 * Area 0 (cached):
 *   store  marks the line dirty whatever the values (dirtiness by store);
 *          bytes the device owns -> CPU_WRITE_DEVICE_OWNED at the store;
 *          a line whose RAM copy the device wrote since -> CPU_WRITE_STALE_LINE.
 *   load   bytes given FROM_DEVICE/BIDIRECTIONAL -> CPU_READ_DEVICE_OWNED;
 *          bytes a non-coherent device wrote since the line was last
 *          invalidated -> STALE_CPU_READ at the load (the line may then be
 *          evicted clean, so a stale poll ends instead of hanging).
 * Memory a device sees directly (area 1; area 0 once a coherent device
 * was seen): stores enter the store ordering model as the library's typed
 * stores do (store_order.c), loads the load ordering model (load_order.c);
 * a plain load that is reported is not given older bytes (it happened
 * before this call could choose), the report says it may have been.
 */
#include <string.h>

#include "sim_internal.h"

/*
 * A simulator built under the host's own AddressSanitizer (a test of the
 * models themselves) leaves these names to that runtime: no observer then.
 */
#ifndef __has_feature
#define __has_feature(x) 0
#endif
#if !defined(__SANITIZE_ADDRESS__) && !__has_feature(address_sanitizer)

enum { LD, ST };	/* sim__observe's kind: 0 load, 1 store (libc.c) */

/* area 0: the cache-side checks of one access */
static void cached(uintptr_t a, size_t n, int kind, struct site at)
{
	size_t i0, i1, off = a - (uintptr_t)S.cpu;

	/* the common case: one line, nothing the device owns or wrote in it */
	i0 = off / S.line;
	if ((off + n - 1) / S.line == i0) {
		struct sline *m = &S.meta[i0];

		if (kind == LD && m->invalid && !bm_any(m->dnoacq)) {
			/* the CPU's own fill (below): then the line is as quiet as before */
			m->invalid = 0;
			m->spec = 0;
		}

		if (kind == ST && !bm_any(bm_or(m->devown, m->dstale))) {
			m->stored = 1;
			if (!S.coherent_seen)
				S.fast[ST] = (uintptr_t)CPU(i0);
			return;
		}
		if (kind == LD && !m->invalid &&
		    !bm_any(bm_or(bm_or(m->devin, m->dstale), m->dnoacq))) {
			if (!S.coherent_seen)
				S.fast[LD] = (uintptr_t)CPU(i0);
			return;
		}
	}

	line_span(a, a + n, &i0, &i1);
	for (size_t i = i0; i < i1; i++) {
		struct sline *m = &S.meta[i];
		bm_t part = line_part(i, a, a + n), x;

		/*
		 * Not touched (sim__touch): eviction candidates stay the lines the
		 * library and the devices touched, so an instrumented run draws
		 * the same evictions as an uninstrumented one.
		 */
		if (kind == ST) {
			x = bm_and(part, m->devown);
			if (bm_any(x))
				sim__report_at(SIM_CPU_WRITE_DEVICE_OWNED, i, 0, NULL, at,
					       "CPU stored %u byte(s) the device owns (first at +%u)",
					       bm_count(x), bm_first(x));
			if (bm_any(m->dstale))
				sim__report_at(SIM_CPU_WRITE_STALE_LINE, i, 0, NULL, at,
					       "CPU stored to a line whose %u byte(s) from +%u the device wrote in RAM since the CPU's copy: its write-back will undo them",
					       bm_count(m->dstale), bm_first(m->dstale));
			m->stored = 1;
			continue;
		}
		if (m->invalid && !bm_any(m->dnoacq)) {
			/*
			 * A demand load fills the line: the CPU now holds it, a device
			 * write leaves this copy stale, and it is the CPU's own copy,
			 * not a speculative refill.  (Once a device wrote the line the
			 * load reads RAM: those bytes are reported below.)
			 */
			m->invalid = 0;
			m->spec = 0;
		}
		x = bm_and(part, m->devin);
		if (bm_any(x)) {
			sim__report_at(SIM_CPU_READ_DEVICE_OWNED, i, 0, NULL, at,
				       "CPU loaded %u byte(s) the device owns (first at +%u): no coh_take since the coh_give",
				       bm_count(x), bm_first(x));
			continue;
		}
		x = bm_and(part, bm_or(m->dstale, m->dnoacq));
		if (bm_any(x)) {
			sim__report_at(m->spec ? SIM_SPECULATIVE_STALE : SIM_STALE_CPU_READ,
				       i, 0, NULL, at,
				       "CPU loaded %u byte(s) the device wrote (first at +%u) with no acquire since%s",
				       bm_count(x), bm_first(x),
				       bm_any(bm_and(part, m->dstale))
					       ? ": the cached copy is stale" : "");
			if (bm_any(bm_and(part, m->dstale)))
				m->stale_loaded = 1;
		}
	}
}

/* memory a device reads directly: the ordering models */
static void ordered(uintptr_t a, size_t n, int kind, struct site at)
{
	if (kind == ST) {
		if (a == S.lib_st_a && n == S.lib_st_n) {
			/* the library's own store, announced by coh_arch_store */
			S.lib_st_a = 0;
			return;
		}
		if (S.ndwin)
			sim__desc_store(a, n, at);
		sim__pend_add(a, n, at);
		return;
	}
	if (S.ndwin && n <= 64) {
		uint8_t v[64];

		memcpy(v, (const void *)a, n);
		sim__desc_load(a, n, v);
	}
	if (!S.nhist)
		return;
	for (size_t off = 0; off < n; off += sizeof(S.ld_val)) {
		size_t k = n - off < sizeof(S.ld_val) ? n - off : sizeof(S.ld_val);
		uint8_t v[sizeof(S.ld_val)];

		memcpy(v, (const void *)(a + off), k);
		if (sim__load_check(a + off, k, v, at) && n <= sizeof(S.ld_val)) {
			/* a typed accessor's coh_arch_load right after gets what was reported */
			memcpy(S.ld_val, v, k);
			S.ld_given = 1;
		}
	}
	S.ld_a = a;
	S.ld_n = n;
}

void sim__observe(uintptr_t a, size_t n, int kind, uintptr_t pc)
{
	struct site at = { .pc = pc };
	int area;

	if (a - (uintptr_t)S.cpu < S.size)
		area = 0;
	else if (a - (uintptr_t)S.ucpu < S.usize)
		area = 1;
	else {
		if (sim__dead(a))
			sim__report_at(SIM_USE_AFTER_FINI, SIZE_MAX, 0, NULL, at,
				       "CPU %s of %zu byte(s) at %p: the simulator's areas were freed by sim_fini",
				       kind == ST ? "store" : "load", n, (void *)a);
		return;	/* host memory: not simulated */
	}
	if (!n || S.in_access || (S.cfg.flags & SIM_F_NO_SANITIZER))
		return;
	if (kind == ST && (area == 1 || S.coherent_seen) &&
	    !(a == S.lib_st_a && n == S.lib_st_n))
		/* a store the device sees directly: it may run just before it */
		sim__step_devices();
	S.in_access = 1;
	S.ld_a = 0;
	S.ld_given = 0;
	if (area == 0 && n > S.size - (a - (uintptr_t)S.cpu))
		n = S.size - (a - (uintptr_t)S.cpu);
	if (area == 1 && n > S.usize - (a - (uintptr_t)S.ucpu))
		n = S.usize - (a - (uintptr_t)S.ucpu);
	if (area == 0)
		cached(a, n, kind, at);
	if (area == 1 || S.coherent_seen)
		ordered(a, n, kind, at);
	S.in_access = 0;
}

/* the load coh_arch_load is about to judge was just observed as a plain load */
int sim__plain_load_done(uintptr_t a, size_t n, uint8_t *val)
{
	if (!S.ld_a || a != S.ld_a || n != S.ld_n)
		return 0;
	if (S.ld_given)
		memcpy(val, S.ld_val, n);
	S.ld_a = 0;
	S.ld_given = 0;
	return 1;
}

#define RET ((uintptr_t)__builtin_return_address(0))

/* host memory (stack, heap, globals) that is neither an area nor a dead one: three compares */
static inline int simulated(uintptr_t a)
{
	return a - (uintptr_t)S.cpu < S.size || a - (uintptr_t)S.ucpu < S.usize ||
	       sim__is_dead(a);
}
/*
 * one entry point the compiler calls before an access of N bytes; an
 * access inside the line the last one of its kind found quiet costs a
 * subtraction and a compare (a byte loop over a buffer: the common case)
 */
#define HOOK(name, N, kind)                                                    \
	void name(uintptr_t a);                                                \
	void name(uintptr_t a)                                                 \
	{                                                                      \
		if (a - S.fast[kind] + N <= S.line || !simulated(a))           \
			return;                                                \
		sim__observe(a, N, kind, RET);                                 \
	}
/* one the compiler calls before an access of n bytes (n known at run time) */
#define HOOK_N(name, kind)                                                     \
	void name(uintptr_t a, size_t n);                                      \
	void name(uintptr_t a, size_t n)                                       \
	{                                                                      \
		sim__observe(a, n, kind, RET);                                       \
	}
#define ENTRY(N)                                                               \
	HOOK(__asan_load##N##_noabort, N, LD)                                  \
	HOOK(__asan_store##N##_noabort, N, ST)
ENTRY(1)
ENTRY(2)
ENTRY(4)
ENTRY(8)
ENTRY(16)
HOOK_N(__asan_loadN_noabort, LD)
HOOK_N(__asan_storeN_noabort, ST)

/*
 * GCC's thread-sanitizer instrumentation, used for GCC builds instead of
 * the kernel-address one (cmake/sim_instrument.cmake): GCC's address
 * instrumentation checks a read-modify-write of one address once, as a
 * load, so `desc->own |= OWN` was never seen as a store; its thread
 * instrumentation calls a read hook and a write hook.  Same observer, same
 * order (before the access).  No runtime: __tsan_init is the module
 * constructor's call; the flags turn the function entry/exit hooks off.
 */
#if !defined(__SANITIZE_THREAD__) && !__has_feature(thread_sanitizer)
#define TSAN(N)                                                                \
	HOOK(__tsan_read##N, N, LD)                                            \
	HOOK(__tsan_write##N, N, ST)                                           \
	HOOK(__tsan_unaligned_read##N, N, LD)                                  \
	HOOK(__tsan_unaligned_write##N, N, ST)
TSAN(1)
TSAN(2)
TSAN(4)
TSAN(8)
TSAN(16)

HOOK_N(__tsan_read_range, LD)
HOOK_N(__tsan_write_range, ST)

void __tsan_init(void);
void __tsan_init(void)
{
}
#endif

/* what the compiler may emit around noreturn calls: nothing to do here */
void __asan_handle_no_return(void);
void __asan_handle_no_return(void)
{
}

#else /* host AddressSanitizer: nothing is observed */

void sim__observe(uintptr_t a, size_t n, int kind, uintptr_t pc)
{
	(void)a;
	(void)n;
	(void)kind;
	(void)pc;
}

int sim__plain_load_done(uintptr_t a, size_t n, uint8_t *val)
{
	(void)a;
	(void)n;
	(void)val;
	return 0;
}

#endif /* no host AddressSanitizer */
