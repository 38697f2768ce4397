/* SPDX-License-Identifier: MIT */
/*
 * virtio-gpu 2D.  Facts: VirtIO 1.2 section 5.7 (command and response
 * codes, struct layouts: the 24-byte control header, rectangles of four
 * le32, RESOURCE_ATTACH_BACKING's {le64 addr, le32 length, le32 padding}
 * entries); QEMU hw/display/virtio-gpu.c (a transfer copies rows from the
 * backing at offset + stride * row, the resource's stride being width *
 * bytes per pixel; the scanout takes the size of its rectangle).
 */
#include <string.h>

#include "virtio_gpu.h"
#include "coherent/driver.h"

struct cmd_create_2d {
	struct virtio_gpu_ctrl_hdr hdr;
	uint32_t resource_id, format, width, height;
};

struct cmd_attach {
	struct virtio_gpu_ctrl_hdr hdr;
	uint32_t resource_id, nr_entries;
};

struct mem_entry {
	uint64_t addr;
	uint32_t length, padding;
};

struct cmd_set_scanout {
	struct virtio_gpu_ctrl_hdr hdr;
	struct virtio_gpu_rect r;
	uint32_t scanout_id, resource_id;
};

struct cmd_flush {
	struct virtio_gpu_ctrl_hdr hdr;
	struct virtio_gpu_rect r;
	uint32_t resource_id, padding;
};

struct cmd_transfer {
	struct virtio_gpu_ctrl_hdr hdr;
	struct virtio_gpu_rect r;
	uint64_t offset;
	uint32_t resource_id, padding;
};

/* one mode of the display info response, after its header */
struct display_one {
	struct virtio_gpu_rect r;
	uint32_t enabled, flags;
};

_Static_assert(sizeof(struct virtio_gpu_ctrl_hdr) == 24, "control header");
_Static_assert(sizeof(struct cmd_transfer) == 56, "transfer");
_Static_assert(sizeof(struct cmd_attach) == 32, "attach backing");
_Static_assert(24 + VIRTIO_GPU_MAX_SCANOUTS * sizeof(struct display_one) <=
	       sizeof(((struct virtio_gpu *)0)->resp), "display info");

#define MAX_DIM 16384u	/* larger display information is not believed */

static struct virtio_gpu_ctrl_hdr hdr(uint32_t type)
{
	return (struct virtio_gpu_ctrl_hdr){ .type = coh_cpu_to_le32(type) };
}

static struct virtio_gpu_rect le_rect(const struct coh_rect *r)
{
	return (struct virtio_gpu_rect){ coh_cpu_to_le32(r->x), coh_cpu_to_le32(r->y),
					 coh_cpu_to_le32(r->w), coh_cpu_to_le32(r->h) };
}

static size_t line_up(size_t n)
{
	return (n + COH_MAX_LINE - 1) & ~(size_t)(COH_MAX_LINE - 1);
}

struct inflight {
	coh_bus_t bus[2];	/* request, response */
	size_t len;		/* the request's mapped length */
};

/* the mappings of a command the device still held at a reset */
static void reclaim(void *token, void *ctx)
{
	struct virtio_gpu *g = token;
	struct inflight *m = ctx;

	(void)coh_unmap_single(g->vm.dev, m->bus[1], sizeof(g->resp), COH_FROM_DEVICE);
	(void)coh_unmap_single(g->vm.dev, m->bus[0], m->len, COH_TO_DEVICE);
}

/* map, add, kick, wait, unmap: 0 with *got the response's length, or a code */
static int command_run(struct virtio_gpu *g, size_t len, uint32_t *got)
{
	struct coh_device *dev = g->vm.dev;
	struct coh_batch *b = virtq_batch(&g->vq);
	struct virtq_seg s[2];
	struct inflight m = { .len = line_up(len) };
	coh_bus_t *bus = m.bus;
	void *tok = NULL;
	int rc;

	/* whole lines, so both map in place; the descriptors say the length */
	bus[0] = coh_map_single_batch(b, dev, g->req, line_up(len), COH_TO_DEVICE);
	if (coh_mapping_error(dev, bus[0])) {
		virtq_cancel(&g->vq);
		return -COH_ENOMEM;
	}
	bus[1] = coh_map_single_batch(b, dev, g->resp, sizeof(g->resp), COH_FROM_DEVICE);
	if (coh_mapping_error(dev, bus[1])) {
		virtq_cancel(&g->vq);
		(void)coh_unmap_single(dev, bus[0], line_up(len), COH_TO_DEVICE);
		return -COH_ENOMEM;
	}
	s[0] = (struct virtq_seg){ .bus = bus[0], .len = (uint32_t)len };
	s[1] = (struct virtq_seg){ .bus = bus[1], .len = sizeof(g->resp), .write = true };
	rc = virtq_add(&g->vq, s, 2, g);
	if (rc) {
		virtq_cancel(&g->vq);
		(void)coh_unmap_single(dev, bus[1], sizeof(g->resp), COH_FROM_DEVICE);
		(void)coh_unmap_single(dev, bus[0], line_up(len), COH_TO_DEVICE);
		return rc;
	}
	rc = virtq_kick(&g->vq);
	if (rc >= 0)
		rc = virtq_wait(&g->vq, &tok, got);
	if (rc == 0 && tok != g)
		rc = -COH_EPROTO;	/* one command in flight: cannot happen */
	if (rc) {
		/* the device may still hold the buffers: a reset takes them back */
		if (!virtio_mmio_reset(&g->vm))
			(void)virtq_reclaim(&g->vq, reclaim, &m);
		virtio_mmio_fail(&g->vm);
		return rc == -COH_EAGAIN ? -COH_EPROTO : rc;
	}
	(void)coh_unmap_single(dev, bus[1], sizeof(g->resp), COH_FROM_DEVICE);
	(void)coh_unmap_single(dev, bus[0], line_up(len), COH_TO_DEVICE);
	return 0;
}

/*
 * One command of len bytes in g->req, its response into g->resp: want is
 * the OK type, want_len the bytes it must have.  With f, the rectangle r
 * of the frame is the device's for the command (given TO_DEVICE into the
 * kick's batch: the pixels the command makes the device read and the
 * command itself under one barrier), taken back once it has answered.
 */
static int command(struct virtio_gpu *g, size_t len, uint32_t want, size_t want_len,
		   const struct coh_frame *f, const struct coh_rect *r)
{
	struct coh_device *dev = g->vm.dev;
	struct virtio_gpu_ctrl_hdr h;
	uint32_t got = 0, type;
	int rc;

	/* a response the device never wrote reads as type 0: refused */
	memset(g->resp, 0, sizeof(g->resp));
	rc = f ? coh_give_rect(dev, f, r, COH_TO_DEVICE, virtq_batch(&g->vq)) : 0;
	if (rc) {
		virtq_cancel(&g->vq);
		return rc;
	}
	rc = command_run(g, len, &got);
	if (f)	/* answered, refused or reset: the device reads no more of it */
		(void)coh_take_rect(dev, f, r, COH_TO_DEVICE, NULL);
	if (rc)
		return rc;
	if (got < sizeof(h)) {
		virtio_count(&g->vm, &g->vm.cnt.bad_status);
		return -COH_EPROTO;
	}
	memcpy(&h, g->resp, sizeof(h));	/* device-written: read once */
	type = coh_le32_to_cpu(h.type);
	g->resp_type = type;
	if (type == want && got >= want_len) {
		g->commands++;
		return 0;
	}
	if (type >= VIRTIO_GPU_RESP_ERR_UNSPEC && type < VIRTIO_GPU_RESP_ERR_UNSPEC + 0x100)
		return -COH_EIO;
	virtio_count(&g->vm, &g->vm.cnt.bad_status);
	return -COH_EPROTO;
}

static int display_info(struct virtio_gpu *g)
{
	struct virtio_gpu_ctrl_hdr q = hdr(VIRTIO_GPU_CMD_GET_DISPLAY_INFO);
	struct display_one m;
	int rc;

	memcpy(g->req, &q, sizeof(q));
	rc = command(g, sizeof(q), VIRTIO_GPU_RESP_OK_DISPLAY_INFO,
		     sizeof(q) + VIRTIO_GPU_MAX_SCANOUTS * sizeof(m), NULL, NULL);
	if (rc)
		return rc;
	memcpy(&m, g->resp + sizeof(q), sizeof(m));
	g->display_w = g->display_h = 0;
	if (coh_le32_to_cpu(m.enabled)) {
		uint32_t w = coh_le32_to_cpu(m.r.width), h = coh_le32_to_cpu(m.r.height);

		if (w && h && w <= MAX_DIM && h <= MAX_DIM) {
			g->display_w = w;
			g->display_h = h;
		} else {
			virtio_count(&g->vm, &g->vm.cnt.bad_config);
		}
	}
	return 0;
}

int virtio_gpu_init(struct virtio_gpu *g, void *mmio, struct coh_device *dev,
		    unsigned int ring_attrs, uint32_t budget)
{
	int rc;

	if (!g || !mmio || !dev)
		return -COH_EINVAL;
	memset(g, 0, sizeof(*g));
	rc = virtio_mmio_probe(&g->vm, mmio, dev, budget);
	if (rc)
		return rc;
	if (g->vm.device_id != VIRTIO_ID_GPU)
		return -COH_ENODEV;
	rc = virtio_mmio_negotiate(&g->vm, 0);
	if (!rc)
		rc = virtq_init(&g->vq, &g->vm, 0, 64, ring_attrs);
	if (rc) {
		virtio_mmio_fail(&g->vm);
		return rc;
	}
	virtio_mmio_driver_ok(&g->vm);
	return display_info(g);
}

/* "this rectangle changed": its pixels to the resource, then to the screen */
static int gpu_update(struct fb *fb, const struct coh_rect *r)
{
	struct virtio_gpu *g = fb->drv;
	struct cmd_transfer t = {
		.hdr = hdr(VIRTIO_GPU_CMD_TRANSFER_TO_HOST_2D),
		.r = le_rect(r),
		.offset = coh_cpu_to_le64((uint64_t)r->y * fb->frame.pitch + (uint64_t)r->x * 4u),
		.resource_id = coh_cpu_to_le32(g->resource),
	};
	struct cmd_flush fl = {
		.hdr = hdr(VIRTIO_GPU_CMD_RESOURCE_FLUSH),
		.r = le_rect(r),
		.resource_id = coh_cpu_to_le32(g->resource),
	};
	int rc;

	memcpy(g->req, &t, sizeof(t));
	rc = command(g, sizeof(t), VIRTIO_GPU_RESP_OK_NODATA, sizeof(t.hdr), &fb->frame, r);
	if (rc)
		return rc;
	memcpy(g->req, &fl, sizeof(fl));
	return command(g, sizeof(fl), VIRTIO_GPU_RESP_OK_NODATA, sizeof(fl.hdr), NULL, NULL);
}

static const struct fb_ops gpu_ops = { gpu_update };

/* RESOURCE_ATTACH_BACKING: one entry per page of [mem, mem + bytes) */
static int attach(struct virtio_gpu *g, void *mem, size_t bytes)
{
	struct cmd_attach a = { .hdr = hdr(VIRTIO_GPU_CMD_RESOURCE_ATTACH_BACKING),
				.resource_id = coh_cpu_to_le32(g->resource) };
	uintptr_t p = (uintptr_t)mem, end = p + bytes;
	uint32_t n = 0;

	while (p < end) {
		uintptr_t next = (p & ~(uintptr_t)(VIRTIO_GPU_PAGE - 1)) + VIRTIO_GPU_PAGE;
		struct mem_entry e;
		uint64_t phys;

		if (next > end)
			next = end;
		if (n == VIRTIO_GPU_MAX_PAGES)
			return -COH_ERANGE;
		if (coh_virt_to_phys((void *)p, &phys))
			return -COH_EFAULT;
		e = (struct mem_entry){ .addr = coh_cpu_to_le64(coh_phys_to_bus(g->vm.dev, phys)),
					.length = coh_cpu_to_le32((uint32_t)(next - p)) };
		memcpy(g->req + sizeof(a) + (size_t)n * sizeof(e), &e, sizeof(e));
		n++;
		p = next;
	}
	a.nr_entries = coh_cpu_to_le32(n);
	memcpy(g->req, &a, sizeof(a));
	return command(g, sizeof(a) + (size_t)n * sizeof(struct mem_entry),
		       VIRTIO_GPU_RESP_OK_NODATA, sizeof(a.hdr), NULL, NULL);
}

int virtio_gpu_set_mode(struct virtio_gpu *g, void *mem, size_t size, uint32_t width,
			uint32_t height, struct fb **fb)
{
	struct coh_rect all = { 0, 0, width, height };
	struct cmd_create_2d c;
	struct cmd_set_scanout s;
	size_t bytes;
	int rc;

	if (!g || !mem || !fb || !width || !height)
		return -COH_EINVAL;
	if (width > MAX_DIM || height > MAX_DIM ||
	    (uint64_t)width * height * 4u > VIRTIO_GPU_MAX_FRAME)
		return -COH_ERANGE;
	bytes = (size_t)width * height * 4u;
	if (size < bytes)
		return -COH_EINVAL;
	if (g->resource)
		return -COH_EBUSY;
	c = (struct cmd_create_2d){ .hdr = hdr(VIRTIO_GPU_CMD_RESOURCE_CREATE_2D),
				    .resource_id = coh_cpu_to_le32(1),
				    .format = coh_cpu_to_le32(VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM),
				    .width = coh_cpu_to_le32(width),
				    .height = coh_cpu_to_le32(height) };
	memcpy(g->req, &c, sizeof(c));
	rc = command(g, sizeof(c), VIRTIO_GPU_RESP_OK_NODATA, sizeof(c.hdr), NULL, NULL);
	if (rc)
		return rc;
	g->resource = 1;
	rc = attach(g, mem, bytes);
	if (rc)
		return rc;
	s = (struct cmd_set_scanout){ .hdr = hdr(VIRTIO_GPU_CMD_SET_SCANOUT),
				      .r = le_rect(&all), .scanout_id = 0,
				      .resource_id = coh_cpu_to_le32(g->resource) };
	memcpy(g->req, &s, sizeof(s));
	rc = command(g, sizeof(s), VIRTIO_GPU_RESP_OK_NODATA, sizeof(s.hdr), NULL, NULL);
	if (rc)
		return rc;
	g->fb = (struct fb){ .frame = { mem, (size_t)width * 4u, width, height, 4 },
			     .format = FB_FORMAT_XRGB8888, .dev = g->vm.dev, .ops = &gpu_ops,
			     .drv = g };
	*fb = &g->fb;
	return 0;
}
