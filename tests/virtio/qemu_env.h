/* SPDX-License-Identifier: MIT */
/*
 * tests/virtio/qemu_env.h - what a bare-metal virtio test on QEMU aarch64
 * virt sets up before the driver: DMA regions (cached RAM and the uncached
 * window of platform/aarch64-virt/mmu.h), a device with streaming state and
 * a bounce pool, and the transport window of the wanted device.
 */
#ifndef COHERENT_TESTS_VIRTIO_QEMU_ENV_H
#define COHERENT_TESTS_VIRTIO_QEMU_ENV_H

#include "coherent/coherent.h"

#define VIRT_MMIO_BASE	 0x0a000000u
#define VIRT_MMIO_SLOTS	 32
#define VIRT_MMIO_STRIDE 0x200u

/* Regions and diagnostics, once.  Returns 0 or a -COH_E* code. */
int env_init(void);

/* A device named `name`, coherent or not, with its own streaming state. */
int env_device(struct coh_device *dev, const char *name, bool coherent);

/* Base of the first transport holding device `id`, or NULL (rc in *err). */
void *env_find(uint32_t id, struct coh_device *dev, int *err);

/* "non-coherent cached" style name of a ring layout, for messages. */
const char *env_layout(bool coherent, unsigned int ring_attrs);

#endif
