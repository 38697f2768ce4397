/* SPDX-License-Identifier: MIT */
/*
 * drivers/virtio/virtio.h - the virtio-mmio transport, version 2 (VirtIO 1.x
 * section 4.2.2), and what the device drivers share: feature negotiation,
 * the status handshake, reset, configuration space with the generation
 * counter, queue setup and notification, and the counters of every
 * protocol violation the driver has refused.
 *
 * Everything the device provides (registers, configuration space, rings) is
 * untrusted: values are range-checked where they are read, and a device
 * that breaks the protocol is refused with -COH_EPROTO and counted, never
 * followed.  Registers and configuration fields are little-endian on every
 * host (coh_mmio_read32_le/coh_mmio_write32_le).
 *
 * Concurrency: one context per device (a driver lock around every call).
 * Nothing here allocates; nothing may run in interrupt context except
 * virtio_mmio_notify() and virtio_mmio_ack_irq().
 */
#ifndef COHERENT_DRIVERS_VIRTIO_H
#define COHERENT_DRIVERS_VIRTIO_H

#include "coherent/coherent.h"

/* Device IDs (VirtIO 1.x section 5) */
#define VIRTIO_ID_NET	1
#define VIRTIO_ID_BLOCK	2

/* Device-independent feature bits (section 6) */
#define VIRTIO_F_INDIRECT_DESC	28
#define VIRTIO_F_EVENT_IDX	29
#define VIRTIO_F_VERSION_1	32
#define VIRTIO_F_ACCESS_PLATFORM 33
#define VIRTIO_F_RING_PACKED	34
#define VIRTIO_F_ORDER_PLATFORM	36

#define VIRTIO_BIT(b) ((uint64_t)1 << (b))

/* Device status bits (section 2.1) */
#define VIRTIO_STATUS_ACKNOWLEDGE	1u
#define VIRTIO_STATUS_DRIVER		2u
#define VIRTIO_STATUS_DRIVER_OK		4u
#define VIRTIO_STATUS_FEATURES_OK	8u
#define VIRTIO_STATUS_NEEDS_RESET	64u
#define VIRTIO_STATUS_FAILED		128u

/* virtio-mmio register offsets (section 4.2.2) */
#define VIRTIO_MMIO_MAGIC		0x000	/* "virt" little-endian */
#define VIRTIO_MMIO_VERSION		0x004	/* 2; 1 is the legacy interface */
#define VIRTIO_MMIO_DEVICE_ID		0x008
#define VIRTIO_MMIO_VENDOR_ID		0x00c
#define VIRTIO_MMIO_DEVICE_FEATURES	0x010
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL	0x014
#define VIRTIO_MMIO_DRIVER_FEATURES	0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL	0x024
#define VIRTIO_MMIO_QUEUE_SEL		0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX	0x034
#define VIRTIO_MMIO_QUEUE_NUM		0x038
#define VIRTIO_MMIO_QUEUE_READY		0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY	0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS	0x060
#define VIRTIO_MMIO_INTERRUPT_ACK	0x064
#define VIRTIO_MMIO_STATUS		0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW	0x080
#define VIRTIO_MMIO_QUEUE_DESC_HIGH	0x084
#define VIRTIO_MMIO_QUEUE_DRIVER_LOW	0x090
#define VIRTIO_MMIO_QUEUE_DRIVER_HIGH	0x094
#define VIRTIO_MMIO_QUEUE_DEVICE_LOW	0x0a0
#define VIRTIO_MMIO_QUEUE_DEVICE_HIGH	0x0a4
#define VIRTIO_MMIO_CONFIG_GENERATION	0x0fc
#define VIRTIO_MMIO_CONFIG		0x100

#define VIRTIO_MMIO_MAGIC_VALUE		0x74726976u
#define VIRTIO_MMIO_WINDOW		0x200	/* registers + config of one transport */

/* Every refusal, per device.  Each bumps `errors` as well as its own. */
struct virtio_counters {
	unsigned long bad_used_idx;	/* used.idx moved by more than was outstanding */
	unsigned long bad_used_id;	/* used.id out of range or not outstanding */
	unsigned long bad_used_len;	/* used.len above the device-writable bytes */
	unsigned long bad_status;	/* a request's status byte not OK / never written */
	unsigned long bad_config;	/* configuration changed under every re-read */
	unsigned long timeouts;		/* no answer within the poll budget */
	unsigned long needs_reset;	/* device set DEVICE_NEEDS_RESET */
	unsigned long resets;		/* resets done to recover */
	unsigned long errors;
};

struct virtio_mmio {
	volatile uint8_t *base;
	struct coh_device *dev;		/* DMA view of the device (coherent? mask, offset) */
	uint32_t device_id;
	uint32_t vendor_id;
	uint64_t offered;		/* device features */
	uint64_t features;		/* negotiated */
	uint32_t poll_budget;		/* register/ring reads before -COH_ETIMEDOUT */
	void (*relax)(void *ctx);	/* between two polls (a delay, a yield); may be NULL */
	void *relax_ctx;
	bool broken;			/* a protocol violation seen: reset before use */
	bool stopped;			/* reset completed, queues not yet set up again */
	struct virtio_counters cnt;
};

/* Poll budget used when virtio_mmio_probe() is given 0. */
#define VIRTIO_POLL_BUDGET_DEFAULT 50000000u

/* Generation-counter re-reads before the config is declared unstable. */
#define VIRTIO_CONFIG_RETRIES 16

/**
 * @brief Look at one transport window: magic, version, device ID.
 * Does not touch the device's status.
 * @param budget register reads any wait may take (0: the default)
 * @retval 0 a version-2 device with a non-zero ID is there (vm filled)
 * @retval -COH_ENODEV no virtio-mmio magic, or an empty slot (ID 0)
 * @retval -COH_ENOTSUP a legacy (version 1) interface only: start QEMU with
 *         -global virtio-mmio.force-legacy=false
 * @retval -COH_EPROTO an unknown version
 * @retval -COH_EINVAL NULL argument
 */
int virtio_mmio_probe(struct virtio_mmio *vm, void *base, struct coh_device *dev,
		      uint32_t budget);

/**
 * @brief Find the first transport among `n` windows of `stride` bytes from
 * `base` holding device `id`.
 * @retval 0 and vm filled; -COH_ENODEV none; -COH_ENOTSUP only a legacy one.
 */
int virtio_mmio_find(struct virtio_mmio *vm, uintptr_t base, unsigned n,
		     size_t stride, uint32_t id, struct coh_device *dev,
		     uint32_t budget);

/**
 * @brief Reset: write 0 to status and wait until it reads 0 (the device has
 * stopped every DMA access to the queues).  Clears `broken`.
 * Ownership: after success the device owns nothing of the driver's.
 * @retval 0; -COH_ETIMEDOUT the device never reported the reset.
 */
int virtio_mmio_reset(struct virtio_mmio *vm);

/**
 * @brief Reset, ACKNOWLEDGE, DRIVER, negotiate, FEATURES_OK.
 *
 * VERSION_1 is required.  ACCESS_PLATFORM, when offered, is accepted: the
 * driver always hands the device bus addresses from the device's own
 * translation (coh_device bus_offset and mask).  A device that does not
 * offer it uses CPU physical addresses, so a coh_device with a bus offset
 * is then refused.  ORDER_PLATFORM, when offered, is accepted too: the
 * rings are ordered with the library's DMA barriers (coh_dma_wmb/rmb/mb
 * and ordered MMIO), which are the platform's ordering for device memory
 * accesses, not the lighter SMP barriers the bit lets a driver drop to; a
 * device behind a non-coherent interconnect may refuse FEATURES_OK without
 * it (section 6, 2.7.13).
 * @param want   features the driver can use (device-specific and
 *               INDIRECT_DESC / EVENT_IDX); VERSION_1, ACCESS_PLATFORM and
 *               ORDER_PLATFORM are added by the transport
 * @retval 0 vm->features holds what was agreed
 * @retval -COH_ENOTSUP no VERSION_1, ACCESS_PLATFORM missing with a bus
 *         offset, or FEATURES_OK not accepted: status FAILED is set
 * @retval -COH_ETIMEDOUT the reset never completed
 */
int virtio_mmio_negotiate(struct virtio_mmio *vm, uint64_t want);

/** @brief Set DRIVER_OK: the device may use the queues from now on. */
void virtio_mmio_driver_ok(struct virtio_mmio *vm);

/** @brief Set FAILED (the driver gives up on the device). */
void virtio_mmio_fail(struct virtio_mmio *vm);

/** @brief true if feature bit b was negotiated. */
static inline bool virtio_has(const struct virtio_mmio *vm, unsigned b)
{
	return (vm->features & VIRTIO_BIT(b)) != 0;
}

/**
 * @brief Largest queue size the device allows for queue `q` (0: no queue).
 * @retval >= 0 the size; -COH_EBUSY the queue is already live.
 */
int virtio_mmio_queue_max(struct virtio_mmio *vm, unsigned q);

/**
 * @brief Program queue q: size and the bus addresses of its three parts,
 * then QueueReady.  Ownership: from now on the device reads the
 * descriptor table and available ring and writes the used ring.
 * @retval 0; -COH_EINVAL size 0 or above the device's maximum;
 *         -COH_EBUSY the queue is already live.
 */
int virtio_mmio_queue_set(struct virtio_mmio *vm, unsigned q, unsigned size,
			  coh_bus_t desc, coh_bus_t avail, coh_bus_t used);

/**
 * @brief Notify the device that queue q has new buffers.  An ordered MMIO
 * write: every earlier release of descriptors and ring indices is complete
 * before the device sees it.  Any context.
 */
void virtio_mmio_notify(struct virtio_mmio *vm, unsigned q);

/** @brief Read and acknowledge the interrupt status (bits 0: used ring, 1: config). */
uint32_t virtio_mmio_ack_irq(struct virtio_mmio *vm);

/** @brief Device status register (e.g. to see DEVICE_NEEDS_RESET). */
uint32_t virtio_mmio_status(struct virtio_mmio *vm);

/**
 * @brief Read `len` bytes (1, 2, 4 or 8, naturally aligned) at offset `off`
 * of the configuration space into *out (host order), inside one unchanged
 * configuration generation (re-read while the generation moves).
 * @retval 0
 * @retval -COH_EINVAL bad width, misaligned, off+len beyond the window
 * @retval -COH_EPROTO the generation changed on each of
 *         VIRTIO_CONFIG_RETRIES reads (counted in cnt.bad_config)
 */
int virtio_mmio_config(struct virtio_mmio *vm, size_t off, size_t len,
		       uint64_t *out);

/**
 * @brief Read a byte array (a MAC address) of the configuration space with
 * 8-bit accesses, all inside one unchanged generation.
 * @retval 0; -COH_EINVAL out of the window or NULL; -COH_EPROTO unstable
 */
int virtio_mmio_config_bytes(struct virtio_mmio *vm, size_t off, void *buf,
			     size_t len);

/** @brief Record a refusal: bump *which and the total. */
static inline void virtio_count(struct virtio_mmio *vm, unsigned long *which)
{
	(*which)++;
	vm->cnt.errors++;
}

#endif
