/* SPDX-License-Identifier: MIT */
/*
 * sim/libc.c - checked twins of the libc routines that read or write
 * memory, for instrumented code (sim_instrument.h routes the calls here).
 *
 * Each observes, at the caller's line, the bytes the routine reads as a
 * load and the bytes it writes as a store, before the real routine runs,
 * the way the access observer sees a driver's own loop.  A comparison
 * observes all n bytes of both sides (memcmp may read them all, and a
 * test comparing a buffer before its sync reads stale bytes wherever the
 * first difference is); a search observes up to and including the byte
 * that ends it.
 */
#define _GNU_SOURCE
#include <string.h>
#include <strings.h>

#include "sim_internal.h"
#include "sim_libc.h"

#ifndef __has_feature
#define __has_feature(x) 0
#endif

#define RET ((uintptr_t)__builtin_return_address(0))
#define LD(p, n) sim__observe((uintptr_t)(p), (n), 0, pc)
#define ST(p, n) sim__observe((uintptr_t)(p), (n), 1, pc)

/* under the host's AddressSanitizer these three belong to its runtime */
#if !defined(__SANITIZE_ADDRESS__) && !__has_feature(address_sanitizer)
void *__asan_memcpy(void *d, const void *s, size_t n);
void *__asan_memmove(void *d, const void *s, size_t n);
void *__asan_memset(void *d, int c, size_t n);

void *__asan_memcpy(void *d, const void *s, size_t n)
{
	uintptr_t pc = RET;

	LD(s, n);
	ST(d, n);
	return memcpy(d, s, n);
}

void *__asan_memmove(void *d, const void *s, size_t n)
{
	uintptr_t pc = RET;

	LD(s, n);
	ST(d, n);
	return memmove(d, s, n);
}

void *__asan_memset(void *d, int c, size_t n)
{
	uintptr_t pc = RET;

	ST(d, n);
	return memset(d, c, n);
}
#endif


int sim__memcmp(const void *a, const void *b, size_t n)
{
	uintptr_t pc = RET;

	LD(a, n);
	LD(b, n);
	return memcmp(a, b, n);
}

int sim__bcmp(const void *a, const void *b, size_t n)
{
	uintptr_t pc = RET;

	LD(a, n);
	LD(b, n);
	return memcmp(a, b, n);
}

void *sim__memchr(const void *s, int c, size_t n)
{
	uintptr_t pc = RET;
	const char *r = memchr(s, c, n);

	LD(s, r ? (size_t)(r - (const char *)s) + 1 : n);
	return memchr(s, c, n);
}

void *sim__memrchr(const void *s, int c, size_t n)
{
	uintptr_t pc = RET;
	const char *r = memrchr(s, c, n);

	if (r)
		LD(r, n - (size_t)(r - (const char *)s));
	else
		LD(s, n);
	return memrchr(s, c, n);
}

size_t sim__strlen(const char *s)
{
	uintptr_t pc = RET;
	size_t k = strlen(s);

	LD(s, k + 1);
	return strlen(s);
}

size_t sim__strnlen(const char *s, size_t n)
{
	uintptr_t pc = RET;
	size_t k = strnlen(s, n);

	LD(s, k < n ? k + 1 : n);
	return strnlen(s, n);
}

/* bytes strncmp(a, b, n) reads of each side: up to the first difference or NUL */
static size_t cmp_len(const char *a, const char *b, size_t n)
{
	size_t k = 0;

	while (k < n && a[k] == b[k] && a[k])
		k++;
	return k < n ? k + 1 : n;
}

int sim__strcmp(const char *a, const char *b)
{
	uintptr_t pc = RET;
	size_t k = cmp_len(a, b, SIZE_MAX);

	LD(a, k);
	LD(b, k);
	return strcmp(a, b);
}

int sim__strncmp(const char *a, const char *b, size_t n)
{
	uintptr_t pc = RET;
	size_t k = cmp_len(a, b, n);

	LD(a, k);
	LD(b, k);
	return strncmp(a, b, n);
}

char *sim__strcpy(char *d, const char *s)
{
	uintptr_t pc = RET;
	size_t k = strlen(s) + 1;

	LD(s, k);
	ST(d, k);
	return memcpy(d, s, k);
}

char *sim__strncpy(char *d, const char *s, size_t n)
{
	uintptr_t pc = RET;
	size_t k = strnlen(s, n);

	LD(s, k < n ? k + 1 : n);
	ST(d, n);
	return strncpy(d, s, n);
}

char *sim__strcat(char *d, const char *s)
{
	uintptr_t pc = RET;
	size_t dk = strlen(d), k = strlen(s) + 1;

	LD(d, dk + 1);
	LD(s, k);
	ST(d + dk, k);
	memcpy(d + dk, s, k);
	return d;
}

char *sim__strchr(const char *s, int c)
{
	uintptr_t pc = RET;
	const char *r = strchr(s, c);

	LD(s, r ? (size_t)(r - s) + 1 : strlen(s) + 1);
	return strchr(s, c);
}

char *sim__strrchr(const char *s, int c)
{
	uintptr_t pc = RET;

	LD(s, strlen(s) + 1);
	return strrchr(s, c);
}

void *sim__memccpy(void *d, const void *s, int c, size_t n)
{
	uintptr_t pc = RET;
	const char *r = memchr(s, c, n);
	size_t k = r ? (size_t)(r - (const char *)s) + 1 : n;

	LD(s, k);
	ST(d, k);
	return memccpy(d, s, c, n);
}

void *sim__mempcpy(void *d, const void *s, size_t n)
{
	uintptr_t pc = RET;

	LD(s, n);
	ST(d, n);
	return mempcpy(d, s, n);
}

void sim__bzero(void *d, size_t n)
{
	uintptr_t pc = RET;

	ST(d, n);
	memset(d, 0, n);
}

void sim__explicit_bzero(void *d, size_t n)
{
	uintptr_t pc = RET;

	ST(d, n);
	explicit_bzero(d, n);
}
