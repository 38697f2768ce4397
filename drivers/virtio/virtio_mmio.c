/* SPDX-License-Identifier: MIT */
/*
 * virtio-mmio transport, version 2.  Register facts: VirtIO 1.x section
 * 4.2.2; status handshake: section 3.1.1.
 */
#include "virtio.h"
#include "coherent/driver.h"

static uint32_t rd(struct virtio_mmio *vm, size_t off)
{
	return coh_mmio_read32_le(vm->base + off);
}

static void wr(struct virtio_mmio *vm, size_t off, uint32_t v)
{
	coh_mmio_write32_le(vm->base + off, v);
}

int virtio_mmio_probe(struct virtio_mmio *vm, void *base, struct coh_device *dev,
		      uint32_t budget)
{
	uint32_t ver;

	if (!vm || !base || !dev)
		return -COH_EINVAL;
	*vm = (struct virtio_mmio){ .base = base, .dev = dev,
				    .poll_budget = budget ? budget
							  : VIRTIO_POLL_BUDGET_DEFAULT };
	if (rd(vm, VIRTIO_MMIO_MAGIC) != VIRTIO_MMIO_MAGIC_VALUE)
		return -COH_ENODEV;
	ver = rd(vm, VIRTIO_MMIO_VERSION);
	vm->device_id = rd(vm, VIRTIO_MMIO_DEVICE_ID);
	vm->vendor_id = rd(vm, VIRTIO_MMIO_VENDOR_ID);
	if (vm->device_id == 0)
		return -COH_ENODEV;
	if (ver == 1)
		return -COH_ENOTSUP;
	if (ver != 2)
		return -COH_EPROTO;
	return 0;
}

int virtio_mmio_find(struct virtio_mmio *vm, uintptr_t base, unsigned n,
		     size_t stride, uint32_t id, struct coh_device *dev,
		     uint32_t budget)
{
	int legacy = 0;

	for (unsigned i = 0; i < n; i++) {
		int rc = virtio_mmio_probe(vm, (void *)(base + i * stride), dev,
					   budget);

		if (vm && vm->device_id == id) {
			if (rc == 0)
				return 0;
			if (rc == -COH_ENOTSUP)
				legacy = 1;
		}
	}
	return legacy ? -COH_ENOTSUP : -COH_ENODEV;
}

uint32_t virtio_mmio_status(struct virtio_mmio *vm)
{
	return rd(vm, VIRTIO_MMIO_STATUS);
}

int virtio_mmio_reset(struct virtio_mmio *vm)
{
	wr(vm, VIRTIO_MMIO_STATUS, 0);
	/*
	 * The device has stopped using the queues once status reads 0 (4.2.3.1:
	 * the driver waits for it); only then may the driver reclaim buffers.
	 */
	for (uint32_t i = 0; i < vm->poll_budget; i++) {
		if (i && vm->relax)
			vm->relax(vm->relax_ctx);
		if (rd(vm, VIRTIO_MMIO_STATUS) == 0) {
			vm->broken = false;
			vm->stopped = true;
			return 0;
		}
	}
	virtio_count(vm, &vm->cnt.timeouts);
	return -COH_ETIMEDOUT;
}

static void set_status(struct virtio_mmio *vm, uint32_t bits)
{
	wr(vm, VIRTIO_MMIO_STATUS, rd(vm, VIRTIO_MMIO_STATUS) | bits);
}

void virtio_mmio_fail(struct virtio_mmio *vm)
{
	set_status(vm, VIRTIO_STATUS_FAILED);
}

int virtio_mmio_negotiate(struct virtio_mmio *vm, uint64_t want)
{
	uint64_t off, agree;
	int rc = virtio_mmio_reset(vm);

	if (rc)
		return rc;
	set_status(vm, VIRTIO_STATUS_ACKNOWLEDGE);
	set_status(vm, VIRTIO_STATUS_DRIVER);
	wr(vm, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	off = rd(vm, VIRTIO_MMIO_DEVICE_FEATURES);
	wr(vm, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
	off |= (uint64_t)rd(vm, VIRTIO_MMIO_DEVICE_FEATURES) << 32;
	vm->offered = off;

	if (!(off & VIRTIO_BIT(VIRTIO_F_VERSION_1)))
		goto fail;
	/* without ACCESS_PLATFORM the device uses CPU physical addresses */
	if (!(off & VIRTIO_BIT(VIRTIO_F_ACCESS_PLATFORM)) && vm->dev->bus_offset)
		goto fail;
	/* our ring barriers are the platform's DMA ordering: ORDER_PLATFORM holds */
	agree = off & (want | VIRTIO_BIT(VIRTIO_F_VERSION_1) |
		       VIRTIO_BIT(VIRTIO_F_ACCESS_PLATFORM) |
		       VIRTIO_BIT(VIRTIO_F_ORDER_PLATFORM));
	/* the packed layout is never taken: this driver speaks split rings */
	agree &= ~VIRTIO_BIT(VIRTIO_F_RING_PACKED);

	wr(vm, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	wr(vm, VIRTIO_MMIO_DRIVER_FEATURES, coh_lo32(agree));
	wr(vm, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	wr(vm, VIRTIO_MMIO_DRIVER_FEATURES, coh_hi32(agree));
	set_status(vm, VIRTIO_STATUS_FEATURES_OK);
	if (!(rd(vm, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK))
		goto fail;
	vm->features = agree;
	return 0;
fail:
	virtio_mmio_fail(vm);
	return -COH_ENOTSUP;
}

void virtio_mmio_driver_ok(struct virtio_mmio *vm)
{
	vm->stopped = false;
	set_status(vm, VIRTIO_STATUS_DRIVER_OK);
}

int virtio_mmio_queue_max(struct virtio_mmio *vm, unsigned q)
{
	uint32_t max;

	wr(vm, VIRTIO_MMIO_QUEUE_SEL, q);
	if (rd(vm, VIRTIO_MMIO_QUEUE_READY))
		return -COH_EBUSY;
	max = rd(vm, VIRTIO_MMIO_QUEUE_NUM_MAX);
	/* split rings index with 16 bits; a larger claim is capped */
	return max > 32768 ? 32768 : (int)max;
}

int virtio_mmio_queue_set(struct virtio_mmio *vm, unsigned q, unsigned size,
			  coh_bus_t desc, coh_bus_t avail, coh_bus_t used)
{
	int max = virtio_mmio_queue_max(vm, q);

	if (max < 0)
		return max;
	if (size == 0 || size > (unsigned)max)
		return -COH_EINVAL;
	wr(vm, VIRTIO_MMIO_QUEUE_NUM, size);
	wr(vm, VIRTIO_MMIO_QUEUE_DESC_LOW, coh_lo32(desc));
	wr(vm, VIRTIO_MMIO_QUEUE_DESC_HIGH, coh_hi32(desc));
	wr(vm, VIRTIO_MMIO_QUEUE_DRIVER_LOW, coh_lo32(avail));
	wr(vm, VIRTIO_MMIO_QUEUE_DRIVER_HIGH, coh_hi32(avail));
	wr(vm, VIRTIO_MMIO_QUEUE_DEVICE_LOW, coh_lo32(used));
	wr(vm, VIRTIO_MMIO_QUEUE_DEVICE_HIGH, coh_hi32(used));
	wr(vm, VIRTIO_MMIO_QUEUE_READY, 1);
	return 0;
}

void virtio_mmio_notify(struct virtio_mmio *vm, unsigned q)
{
	/* ordered write: the ring's releases complete before the doorbell */
	wr(vm, VIRTIO_MMIO_QUEUE_NOTIFY, q);
}

uint32_t virtio_mmio_ack_irq(struct virtio_mmio *vm)
{
	uint32_t s = rd(vm, VIRTIO_MMIO_INTERRUPT_STATUS);

	if (s)
		wr(vm, VIRTIO_MMIO_INTERRUPT_ACK, s);
	return s;
}

static uint64_t cfg_read(struct virtio_mmio *vm, size_t off, size_t len)
{
	volatile uint8_t *p = vm->base + VIRTIO_MMIO_CONFIG + off;

	switch (len) {
	case 1:
		return coh_mmio_read8(p);
	case 2:
		return coh_mmio_read16_le(p);
	case 4:
		return coh_mmio_read32_le(p);
	default:
		/* two 32-bit halves: the generation loop makes the pair atomic */
		return coh_mmio_read32_le(p) |
		       (uint64_t)coh_mmio_read32_le(p + 4) << 32;
	}
}

int virtio_mmio_config(struct virtio_mmio *vm, size_t off, size_t len,
		       uint64_t *out)
{
	if (!vm || !out || (len != 1 && len != 2 && len != 4 && len != 8) ||
	    off % len || off + len > VIRTIO_MMIO_WINDOW - VIRTIO_MMIO_CONFIG)
		return -COH_EINVAL;
	for (int i = 0; i < VIRTIO_CONFIG_RETRIES; i++) {
		uint32_t g = rd(vm, VIRTIO_MMIO_CONFIG_GENERATION);
		uint64_t v = cfg_read(vm, off, len);

		if (rd(vm, VIRTIO_MMIO_CONFIG_GENERATION) == g) {
			*out = v;
			return 0;
		}
	}
	virtio_count(vm, &vm->cnt.bad_config);
	return -COH_EPROTO;
}

int virtio_mmio_config_bytes(struct virtio_mmio *vm, size_t off, void *buf,
			     size_t len)
{
	uint8_t *b = buf;

	if (!vm || !buf || off > VIRTIO_MMIO_WINDOW - VIRTIO_MMIO_CONFIG ||
	    len > VIRTIO_MMIO_WINDOW - VIRTIO_MMIO_CONFIG - off)
		return -COH_EINVAL;
	for (int i = 0; i < VIRTIO_CONFIG_RETRIES; i++) {
		uint32_t g = rd(vm, VIRTIO_MMIO_CONFIG_GENERATION);

		for (size_t k = 0; k < len; k++)
			b[k] = coh_mmio_read8(vm->base + VIRTIO_MMIO_CONFIG + off + k);
		if (rd(vm, VIRTIO_MMIO_CONFIG_GENERATION) == g)
			return 0;
	}
	virtio_count(vm, &vm->cnt.bad_config);
	return -COH_EPROTO;
}
