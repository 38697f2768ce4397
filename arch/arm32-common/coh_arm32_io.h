/* SPDX-License-Identifier: MIT */
/*
 * arch/arm32-common - register accessors shared by the 32-bit Arm backends
 * (armv7a, armv7m).  Not a backend: no coh_arch.h here.  Barriers differ
 * per profile and stay in each backend.
 *
 * Single LDR/STR with a plain base register (no writeback addressing, which
 * some hypervisors cannot emulate).  64-bit: LDRD/STRD, single-copy atomic
 * for an aligned doubleword on v7-A with LPAE (A7/A15); on v7-M it is two
 * word accesses, low word first.
 */
#ifndef COHERENT_ARCH_ARM32_IO_H
#define COHERENT_ARCH_ARM32_IO_H

#include <stdint.h>

static inline uint8_t coh_arch_read8(const volatile void *a)
{
	uint32_t v;

	__asm__ volatile("ldrb %0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return (uint8_t)v;
}

static inline uint16_t coh_arch_read16(const volatile void *a)
{
	uint32_t v;

	__asm__ volatile("ldrh %0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return (uint16_t)v;
}

static inline uint32_t coh_arch_read32(const volatile void *a)
{
	uint32_t v;

	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static inline uint64_t coh_arch_read64(const volatile void *a)
{
	uint64_t v;

	__asm__ volatile("ldrd %Q0, %R0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static inline void coh_arch_write8(volatile void *a, uint8_t v)
{
	__asm__ volatile("strb %0, [%1]" : : "r"((uint32_t)v), "r"(a) : "memory");
}

static inline void coh_arch_write16(volatile void *a, uint16_t v)
{
	__asm__ volatile("strh %0, [%1]" : : "r"((uint32_t)v), "r"(a) : "memory");
}

static inline void coh_arch_write32(volatile void *a, uint32_t v)
{
	__asm__ volatile("str %0, [%1]" : : "r"(v), "r"(a) : "memory");
}

static inline void coh_arch_write64(volatile void *a, uint64_t v)
{
	__asm__ volatile("strd %Q0, %R0, [%1]" : : "r"(v), "r"(a) : "memory");
}

#endif
