/* SPDX-License-Identifier: MIT */
/*
 * drivers/virtio/virtio_compat.h - TEMPORARY: the helpers of issue 9
 * (coherent/driver.h, coh_dma_mb) this driver uses, for as long as they
 * are not on main.  With the header present it is simply included; the
 * file goes once it has landed.  Same semantics, any host byte order.
 */
#ifndef COHERENT_DRIVERS_VIRTIO_COMPAT_H
#define COHERENT_DRIVERS_VIRTIO_COMPAT_H

#include "coherent/coherent.h"

#if __has_include("coherent/driver.h")
#include "coherent/driver.h"
#else
static inline uint32_t coh_lo32(uint64_t v) { return (uint32_t)v; }
static inline uint32_t coh_hi32(uint64_t v) { return (uint32_t)(v >> 32); }
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define VIRTIO__LE(N, v) (v)
#else
#define VIRTIO__LE(N, v) __builtin_bswap##N(v)
#endif
static inline uint16_t coh_cpu_to_le16(uint16_t v) { return VIRTIO__LE(16, v); }
static inline uint16_t coh_le16_to_cpu(uint16_t v) { return VIRTIO__LE(16, v); }
static inline uint32_t coh_cpu_to_le32(uint32_t v) { return VIRTIO__LE(32, v); }
static inline uint32_t coh_le32_to_cpu(uint32_t v) { return VIRTIO__LE(32, v); }
static inline uint64_t coh_cpu_to_le64(uint64_t v) { return VIRTIO__LE(64, v); }
static inline uint16_t coh_mmio_read16_le(const volatile void *a)
{
	return coh_le16_to_cpu(coh_mmio_read16(a));
}
static inline uint32_t coh_mmio_read32_le(const volatile void *a)
{
	return coh_le32_to_cpu(coh_mmio_read32(a));
}
static inline void coh_mmio_write32_le(volatile void *a, uint32_t v)
{
	coh_mmio_write32(a, coh_cpu_to_le32(v));
}
/* the full barrier arrives with driver.h; until then the strongest one */
static inline void coh_dma_mb(void)
{
	coh_mb();
}
#endif

#endif
