/* SPDX-License-Identifier: MIT */
/*
 * sim/sim_instrument.h - forced into every file of an instrumented target
 * (coh_sim_instrument, cmake/sim_instrument.cmake; -include; installed as
 * coherent/arch/sim/sim_instrument.h and named by coherent-sim.pc).
 *
 * The compiler's call-based instrumentation sees loads and stores, but
 * neither Clang 14 in kernel-address mode nor GCC 12 in thread mode
 * instruments calls into libc (a kernel instruments its own mem*
 * functions, the thread runtime intercepts them; neither is here).  The
 * usual way a test checks received data is memcmp, so every libc routine
 * that reads or writes memory a driver or its test hands a DMA buffer to
 * is routed to a checked twin in the simulator (sim/access.c): the bytes
 * the routine reads are observed as loads, those it writes as stores, at
 * the caller's line, then the real routine runs.  The list, and what is
 * still not seen (copies the compiler makes by itself, stdio, read(2)),
 * is in docs/simulator.md.
 */
#ifndef COHERENT_SIM_INSTRUMENT_H
#define COHERENT_SIM_INSTRUMENT_H

#include <stddef.h>
#include <string.h>
#include <strings.h>

void *__asan_memcpy(void *d, const void *s, size_t n);
void *__asan_memmove(void *d, const void *s, size_t n);
void *__asan_memset(void *d, int c, size_t n);
#include "sim_libc.h"

#undef memcpy
#undef memmove
#undef memset
#undef memcmp
#undef bcmp
#undef memchr
#undef memrchr
#undef strlen
#undef strnlen
#undef strcmp
#undef strncmp
#undef strcpy
#undef strncpy
#undef strcat
#undef strchr
#undef strrchr
#undef memccpy
#undef mempcpy
#undef bzero
#undef explicit_bzero
#define memcpy(d, s, n) __asan_memcpy((d), (s), (n))
#define memmove(d, s, n) __asan_memmove((d), (s), (n))
#define memset(d, c, n) __asan_memset((d), (c), (n))
#define memcmp(a, b, n) sim__memcmp((a), (b), (n))
#define bcmp(a, b, n) sim__bcmp((a), (b), (n))
#define memchr(s, c, n) sim__memchr((s), (c), (n))
#define memrchr(s, c, n) sim__memrchr((s), (c), (n))
#define strlen(s) sim__strlen(s)
#define strnlen(s, n) sim__strnlen((s), (n))
#define strcmp(a, b) sim__strcmp((a), (b))
#define strncmp(a, b, n) sim__strncmp((a), (b), (n))
#define strcpy(d, s) sim__strcpy((d), (s))
#define strncpy(d, s, n) sim__strncpy((d), (s), (n))
#define strcat(d, s) sim__strcat((d), (s))
#define strchr(s, c) sim__strchr((s), (c))
#define strrchr(s, c) sim__strrchr((s), (c))
#define memccpy(d, s, c, n) sim__memccpy((d), (s), (c), (n))
#define mempcpy(d, s, n) sim__mempcpy((d), (s), (n))
#define bzero(d, n) sim__bzero((d), (n))
#define explicit_bzero(d, n) sim__explicit_bzero((d), (n))

#endif /* COHERENT_SIM_INSTRUMENT_H */
