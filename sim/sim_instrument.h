/* SPDX-License-Identifier: MIT */
/*
 * sim/sim_instrument.h - forced into every file of an instrumented target
 * (coh_sim_instrument, cmake/sim_instrument.cmake; -include).
 *
 * The compiler's call-based instrumentation sees loads and stores, but
 * neither Clang 14 in kernel-address mode nor GCC 12 in thread mode
 * instruments the calls to memcpy, memset and memmove (a kernel
 * instruments its own mem* functions, the thread runtime intercepts them;
 * neither is here).  Routing them to the simulator's checked copies
 * makes a memset of a received buffer or a memcpy out of it an observed
 * access like any other.  Copies the compiler makes by itself (a large
 * struct assignment) are not routed here: see docs/simulator.md.
 */
#ifndef COHERENT_SIM_INSTRUMENT_H
#define COHERENT_SIM_INSTRUMENT_H

#include <stddef.h>
#include <string.h>

void *__asan_memcpy(void *d, const void *s, size_t n);
void *__asan_memmove(void *d, const void *s, size_t n);
void *__asan_memset(void *d, int c, size_t n);

#undef memcpy
#undef memmove
#undef memset
#define memcpy(d, s, n) __asan_memcpy((d), (s), (n))
#define memmove(d, s, n) __asan_memmove((d), (s), (n))
#define memset(d, c, n) __asan_memset((d), (c), (n))

#endif /* COHERENT_SIM_INSTRUMENT_H */
