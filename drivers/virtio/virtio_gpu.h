/* SPDX-License-Identifier: MIT */
/*
 * drivers/virtio/virtio_gpu.h - virtio-gpu, 2D (VirtIO 1.2 section 5.7) on
 * virtio-mmio: one resource backed by a frame in guest memory, shown on
 * scanout 0, offered as a framebuffer (drivers/fb/fb.h).
 *
 * The frame is CPU memory the device reads when told: each fb_update()
 * releases the rectangle's lines (coherent/rect.h: nothing for a
 * write-combining or uncached frame) into the control queue's batch, so
 * one barrier covers the pixels and the TRANSFER_TO_HOST_2D command, then
 * flushes the rectangle to the scanout (RESOURCE_FLUSH).  Commands run one
 * at a time and each waits for its response: when fb_update() returns the
 * device has copied the rectangle and the CPU may draw into it again.
 *
 * Every response is checked (its length, its type): a device error
 * (VIRTIO_GPU_RESP_ERR_*) is -COH_EIO with the type kept in resp_type, an
 * unexpected or short answer -COH_EPROTO (counted in vm.cnt.bad_status).
 * Responses and display information are device-written: read once, bounded.
 *
 * struct virtio_gpu must be memory the device reaches: its req and resp
 * are mapped for each command.
 *
 * Concurrency: one context per device; not for interrupt context.
 */
#ifndef COHERENT_DRIVERS_VIRTIO_GPU_H
#define COHERENT_DRIVERS_VIRTIO_GPU_H

#include "virtqueue.h"
#include "../fb/fb.h"

#define VIRTIO_ID_GPU 16

/* control commands and responses (section 5.7.6.7) */
#define VIRTIO_GPU_CMD_GET_DISPLAY_INFO		0x0100
#define VIRTIO_GPU_CMD_RESOURCE_CREATE_2D	0x0101
#define VIRTIO_GPU_CMD_RESOURCE_UNREF		0x0102
#define VIRTIO_GPU_CMD_SET_SCANOUT		0x0103
#define VIRTIO_GPU_CMD_RESOURCE_FLUSH		0x0104
#define VIRTIO_GPU_CMD_TRANSFER_TO_HOST_2D	0x0105
#define VIRTIO_GPU_CMD_RESOURCE_ATTACH_BACKING	0x0106
#define VIRTIO_GPU_CMD_RESOURCE_DETACH_BACKING	0x0107
#define VIRTIO_GPU_RESP_OK_NODATA		0x1100
#define VIRTIO_GPU_RESP_OK_DISPLAY_INFO		0x1101
#define VIRTIO_GPU_RESP_ERR_UNSPEC		0x1200	/* errors: 0x1200 and up */

/* B, G, R, X bytes in memory: DRM's XRGB8888 (FB_FORMAT_XRGB8888) */
#define VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM	2

#define VIRTIO_GPU_MAX_SCANOUTS	16
#define VIRTIO_GPU_PAGE		4096u
/* largest frame: 1280x800x4 bytes, one backing entry per page it spans */
#define VIRTIO_GPU_MAX_FRAME	(1280u * 800u * 4u)
#define VIRTIO_GPU_MAX_PAGES	(VIRTIO_GPU_MAX_FRAME / VIRTIO_GPU_PAGE + 2)

struct virtio_gpu_ctrl_hdr {
	uint32_t type, flags;
	uint64_t fence_id;
	uint32_t ctx_id;
	uint8_t ring_idx, padding[3];
};

struct virtio_gpu_rect {
	uint32_t x, y, width, height;
};

struct virtio_gpu {
	struct virtio_mmio vm;
	struct virtq vq;		/* controlq (queue 0) */
	struct fb fb;			/* the framebuffer, once a mode is set */
	uint32_t resource;		/* 0: none yet */
	uint32_t resp_type;		/* type of the last response (a device error's code) */
	uint32_t display_w, display_h;	/* scanout 0's preferred mode, 0 if none enabled */
	unsigned long commands;		/* commands completed with an OK response */
	/* command and response: in place for the streaming maps (own lines) */
	uint8_t req[32 + 16 * VIRTIO_GPU_MAX_PAGES] __attribute__((aligned(COH_MAX_LINE)));
	uint8_t resp[512] __attribute__((aligned(COH_MAX_LINE)));
};

/*
 * Probe the transport, negotiate, set up the control queue, read the
 * display information.  ring_attrs: COH_ATTR_* for the rings.
 * Returns 0; -COH_EINVAL NULL; -COH_ENODEV not a virtio-gpu; the codes of
 * virtio_mmio_probe/negotiate, virtq_init, and of the GET_DISPLAY_INFO
 * command (as virtio_gpu_set_mode()).
 */
int virtio_gpu_init(struct virtio_gpu *g, void *mmio, struct coh_device *dev,
		    unsigned int ring_attrs, uint32_t budget);

/*
 * Show a width x height XRGB8888 frame at mem (pitch width * 4, size
 * bytes, physically contiguous or not: one backing entry per page) on
 * scanout 0: RESOURCE_CREATE_2D, RESOURCE_ATTACH_BACKING with the page
 * list, SET_SCANOUT.  mem is cached memory (the updates release it by
 * rectangle) or in a write-combining / uncached coh_region.  Nothing is
 * transferred yet: draw, then fb_update().  On success *fb is the
 * framebuffer (g->fb).  Ownership: the device reads mem on every update
 * until the driver is torn down; the CPU draws into it between updates.
 * Returns 0; -COH_EINVAL NULL, width or height 0, size below the frame;
 * -COH_ERANGE the frame is above VIRTIO_GPU_MAX_FRAME; -COH_EBUSY a mode
 * is already set; -COH_EFAULT mem is not known memory; -COH_EIO the
 * device refused a command (resp_type says which error); -COH_EPROTO a
 * malformed answer; -COH_ETIMEDOUT no answer; -COH_ENOMEM no mapping.
 */
int virtio_gpu_set_mode(struct virtio_gpu *g, void *mem, size_t size, uint32_t width,
			uint32_t height, struct fb **fb);

#endif
