/* SPDX-License-Identifier: MIT */
/*
 * drivers/virtio/virtio_gpu.c on the simulated non-coherent SoC, against a
 * test double of a virtio-gpu 2D device (below; facts: VirtIO 1.2 section
 * 5.7, and QEMU's transfer rule: rows of the backing at offset + stride *
 * row, stride = width * 4) that reads every command, the backing pages
 * and the pixels through the simulator.  The drawing of the QEMU runs
 * (tests/fb/picture.c) in partial updates, one rectangle inverted: the
 * device's resource must equal the picture and the sanitizer stay silent,
 * 20 seeds x line 32/64/128.  Then a device that answers badly on one
 * command: a short response (EPROTO), a wrong OK type (EPROTO), an error
 * type (EIO, resp_type kept), no answer at all (ETIMEDOUT).
 * Built again from a copy of virtio_gpu.c whose transfer does not hand the
 * rectangle over (no release): it must fail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "../drivers/virtio/virtio_gpu.h"
#include "picture.h"

#define W 97
#define H 41

enum bad { HONEST, SHORT, WRONGTYPE, DEVERR, SILENT, NBAD };
static const char *const bad_names[NBAD] = { "honest", "short", "wrongtype", "deverr", "silent" };
static const int bad_want[NBAD] = { 0, -COH_EPROTO, -COH_EPROTO, -COH_EIO, -COH_ETIMEDOUT };

enum {
	R_MAGIC = 0x000, R_VERSION = 0x004, R_DEVICE_ID = 0x008, R_VENDOR = 0x00c,
	R_DEV_FEAT = 0x010, R_DEV_FEAT_SEL = 0x014, R_DRV_FEAT = 0x020, R_DRV_FEAT_SEL = 0x024,
	R_QUEUE_SEL = 0x030, R_QUEUE_NUM_MAX = 0x034, R_QUEUE_NUM = 0x038,
	R_QUEUE_READY = 0x044, R_QUEUE_NOTIFY = 0x050, R_STATUS = 0x070,
	R_DESC_LO = 0x080, R_DESC_HI = 0x084, R_AVAIL_LO = 0x090, R_AVAIL_HI = 0x094,
	R_USED_LO = 0x0a0, R_USED_HI = 0x0a4, WINDOW = 0x200,
};
#define F_VERSION_1 (1ull << 32)
#define ST_DRIVER_OK 4u
#define ST_FEATURES_OK 8u

struct entry {
	uint64_t addr;
	uint32_t len;
};

struct vgpu {
	const struct coh_device *dev;
	enum bad bad;
	int bad_at;			/* the command (0-based) that misbehaves */
	int commands;
	uint32_t status, dev_sel, drv_sel, qsel, num, ready;
	uint64_t drv_feat, desc, avail, used;
	uint16_t last_avail, used_idx;
	uint32_t rid, rw, rh, *image;
	struct entry ent[VIRTIO_GPU_MAX_PAGES];
	uint32_t nent;
	uint8_t req[32 + 16 * VIRTIO_GPU_MAX_PAGES];
	int errors;
};

static uint32_t u32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint64_t vg_read(void *ctx, size_t off, unsigned size)
{
	struct vgpu *v = ctx;

	(void)size;
	switch (off) {
	case R_MAGIC: return 0x74726976u;
	case R_VERSION: return 2;
	case R_DEVICE_ID: return 16;
	case R_VENDOR: return 0x554d4551u;
	case R_DEV_FEAT: return v->dev_sel == 1 ? (uint32_t)(F_VERSION_1 >> 32) : 0;
	case R_QUEUE_NUM_MAX: return v->qsel < 2 ? 64 : 0;
	case R_QUEUE_READY: return v->qsel == 0 ? v->ready : 0;
	case R_STATUS: return v->status;
	default: return 0;
	}
}

static void vg_write(void *ctx, size_t off, uint64_t val, unsigned size)
{
	struct vgpu *v = ctx;
	uint32_t x = (uint32_t)val;

	(void)size;
	switch (off) {
	case R_DEV_FEAT_SEL: v->dev_sel = x; break;
	case R_DRV_FEAT_SEL: v->drv_sel = x; break;
	case R_DRV_FEAT: if (v->drv_sel < 2) sim_reg_half(&v->drv_feat, (int)v->drv_sel, x); break;
	case R_QUEUE_SEL: v->qsel = x; break;
	case R_QUEUE_NUM: if (v->qsel == 0) v->num = x; break;
	case R_QUEUE_READY: if (v->qsel == 0) v->ready = x & 1; break;
	case R_QUEUE_NOTIFY: sim_dev_doorbell(v->dev); break;
	case R_STATUS:
		if (!x) {
			v->status = v->ready = v->num = 0;
			v->last_avail = v->used_idx = 0;
			break;
		}
		if ((x & ST_FEATURES_OK) && (v->drv_feat & ~F_VERSION_1))
			x &= ~ST_FEATURES_OK;
		v->status = x;
		break;
	case R_DESC_LO: case R_DESC_HI: sim_reg_half(&v->desc, off == R_DESC_HI, x); break;
	case R_AVAIL_LO: case R_AVAIL_HI: sim_reg_half(&v->avail, off == R_AVAIL_HI, x); break;
	case R_USED_LO: case R_USED_HI: sim_reg_half(&v->used, off == R_USED_HI, x); break;
	default: break;
	}
}

/* backing bytes [off, off + n) into dst, through the page list */
static int backing(struct vgpu *v, uint64_t off, uint8_t *dst, uint32_t n)
{
	for (uint32_t i = 0; i < v->nent && n; i++) {
		if (off >= v->ent[i].len) {
			off -= v->ent[i].len;
			continue;
		}
		uint32_t k = v->ent[i].len - (uint32_t)off < n ? v->ent[i].len - (uint32_t)off : n;

		if (sim_dev_read(v->dev, v->ent[i].addr + off, dst, k))
			return -1;
		dst += k;
		n -= k;
		off = 0;
	}
	return n ? -1 : 0;
}

/* one command: the response's type and length */
static uint32_t command(struct vgpu *v, uint32_t len, uint8_t *resp, uint32_t *rlen)
{
	uint32_t type = u32(v->req);

	*rlen = 24;
	if (len < 24)
		return 0x1205;
	switch (type) {
	case VIRTIO_GPU_CMD_GET_DISPLAY_INFO: {
		uint32_t m[6] = { 0, 0, W, H, 1, 0 };

		memcpy(resp + 24, m, sizeof(m));
		*rlen = 24 + 16 * 24;
		return VIRTIO_GPU_RESP_OK_DISPLAY_INFO;
	}
	case VIRTIO_GPU_CMD_RESOURCE_CREATE_2D:
		if (len < 40 || u32(v->req + 28) != VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM)
			return 0x1205;
		v->rid = u32(v->req + 24);
		v->rw = u32(v->req + 32);
		v->rh = u32(v->req + 36);
		free(v->image);
		v->image = calloc((size_t)v->rw * v->rh, 4);
		return v->image ? VIRTIO_GPU_RESP_OK_NODATA : 0x1201;
	case VIRTIO_GPU_CMD_RESOURCE_ATTACH_BACKING: {
		uint32_t n = u32(v->req + 28);

		if (u32(v->req + 24) != v->rid || n > VIRTIO_GPU_MAX_PAGES || len < 32 + 16 * n)
			return 0x1205;
		for (uint32_t i = 0; i < n; i++) {
			memcpy(&v->ent[i].addr, v->req + 32 + 16 * i, 8);
			v->ent[i].len = u32(v->req + 40 + 16 * i);
		}
		v->nent = n;
		return VIRTIO_GPU_RESP_OK_NODATA;
	}
	case VIRTIO_GPU_CMD_SET_SCANOUT:
		return len >= 48 && u32(v->req + 44) == v->rid ? VIRTIO_GPU_RESP_OK_NODATA : 0x1203;
	case VIRTIO_GPU_CMD_RESOURCE_FLUSH:
		return len >= 48 && u32(v->req + 40) == v->rid ? VIRTIO_GPU_RESP_OK_NODATA : 0x1203;
	case VIRTIO_GPU_CMD_TRANSFER_TO_HOST_2D: {
		uint32_t x = u32(v->req + 24), y = u32(v->req + 28), w = u32(v->req + 32),
			 h = u32(v->req + 36), stride = v->rw * 4;
		uint64_t off;

		memcpy(&off, v->req + 40, 8);
		if (len < 56 || u32(v->req + 48) != v->rid || !v->image || x + w > v->rw ||
		    y + h > v->rh)
			return 0x1205;
		for (uint32_t r = 0; r < h; r++)
			if (backing(v, off + (uint64_t)stride * r,
				    (uint8_t *)(v->image + (size_t)(y + r) * v->rw + x), w * 4))
				return 0x1200;
		return VIRTIO_GPU_RESP_OK_NODATA;
	}
	default:
		return 0x1200;
	}
}

static void vg_step(void *ctx)
{
	struct vgpu *v = ctx;
	uint8_t d0[16], d1[16], resp[512] = { 0 };
	uint16_t aidx, head, f0, next;
	uint64_t a0, a1;
	uint32_t l0, l1, rlen, type;
	int me;

	if (!(v->status & ST_DRIVER_OK) || !v->ready || !v->num)
		return;
	if (sim_dev_read(v->dev, v->avail + 2, &aidx, 2) || aidx == v->last_avail)
		return;
	if (sim_dev_read(v->dev, v->avail + 4 + 2ull * (v->last_avail % v->num), &head, 2) ||
	    head >= v->num || sim_dev_read(v->dev, v->desc + 16ull * head, d0, 16)) {
		v->errors++;
		return;
	}
	memcpy(&a0, d0, 8);
	l0 = u32(d0 + 8);
	memcpy(&f0, d0 + 12, 2);
	memcpy(&next, d0 + 14, 2);
	if (!(f0 & 1) || next >= v->num || sim_dev_read(v->dev, v->desc + 16ull * next, d1, 16) ||
	    l0 > sizeof(v->req) || sim_dev_read(v->dev, a0, v->req, l0)) {
		v->errors++;
		return;
	}
	memcpy(&a1, d1, 8);
	l1 = u32(d1 + 8);
	v->last_avail++;
	me = v->commands++ == v->bad_at;
	type = command(v, l0, resp, &rlen);
	if (me && v->bad == SILENT)
		return;
	if (me && v->bad == WRONGTYPE)
		type = type == VIRTIO_GPU_RESP_OK_NODATA ? VIRTIO_GPU_RESP_OK_DISPLAY_INFO
							 : VIRTIO_GPU_RESP_OK_NODATA;
	if (me && v->bad == DEVERR)
		type = 0x1203;
	if (me && v->bad == SHORT)
		rlen = 8;
	memcpy(resp, &type, 4);
	if (rlen > l1 || sim_dev_write(v->dev, a1, resp, rlen)) {
		v->errors++;
		return;
	}
	{
		uint32_t elem[2] = { head, rlen };

		/* the element, then the index that publishes it */
		if (sim_dev_write(v->dev, v->used + 4 + 8ull * (v->used_idx % v->num), elem, 8))
			return;
		v->used_idx++;
		(void)sim_dev_write(v->dev, v->used + 2, &v->used_idx, 2);
	}
}

static void vg_destroy(void *ctx)
{
	struct vgpu *v = ctx;

	free(v->image);
	free(v);
}

static const struct sim_mmio_ops vg_ops = { vg_read, vg_write, vg_step, vg_destroy };

static uint8_t rgb[W * H * 3];
static unsigned long reports;

static void count(const struct sim_report *r, void *ctx)
{
	(void)ctx;
	if (reports++ < 3)
		sim_print_report(r, stdout);
}

static void diag(const struct coh_where *w, const char *msg, int err)
{
	(void)w;
	(void)msg;
	(void)err;
}

/* 0 when the run gave what `bad` must give (honest: the right image, no report) */
static int run(enum bad bad, int at, uint64_t seed, size_t line)
{
	static struct coh_map_rec recs[16];
	struct coh_stream st;
	struct sim_config cfg;
	struct coh_region reg;
	struct coh_device dev;
	struct virtio_gpu *g;
	struct vgpu *v;
	struct fb *fb = NULL;
	void *area, *regs;
	uint8_t *frame;
	uint64_t phys;
	size_t size;
	int rc, failed = 0;

	sim_config_default(&cfg);
	cfg.seed = seed;
	cfg.line = line;
	cfg.ram_size = 1u << 20;
	if (sim_init(&cfg))
		return -1;
	sim_set_report_hook(count, NULL);
	reports = 0;
	coh_device_init(&dev, "virtio-gpu", 0);
	v = calloc(1, sizeof(*v));
	if (!v || coh_stream_init(&st, recs, 16, 0) || coh_device_set_stream(&dev, &st)) {
		printf("sim_vgpu: setup failed\n");
		return -1;
	}
	v->dev = &dev;
	v->bad = bad;
	v->bad_at = at;
	regs = sim_mmio_map(WINDOW, &vg_ops, v);
	if (!regs || sim_area(0, &area, &phys, &size) ||
	    coh_region_add(&reg, area, phys, size / 2, 0)) {
		printf("sim_vgpu: setup failed (regs %p)\n", regs);
		return -1;
	}
	/* the driver's struct holds its command buffers: in simulated RAM too */
	frame = (uint8_t *)area + size / 2;
	g = (struct virtio_gpu *)(void *)(frame + (128u << 10));
	sim_name(frame, W * H * 4, "frame");
	rc = virtio_gpu_init(g, regs, &dev, 0, 20000);
	if (!rc)
		rc = virtio_gpu_set_mode(g, frame, 128u << 10, W, H, &fb);
	if (!rc)
		rc = pic_draw(fb, rgb);
	if (!rc) {
		struct coh_rect r = pic_second(W, H);

		rc = fb_invert(fb, &r);
		if (!rc)
			rc = fb_update(fb, &r);
		if (!rc)
			rc = fb_invert(fb, &r);
		if (!rc)
			rc = fb_update(fb, &r);
	}
	if (rc != bad_want[bad]) {
		printf("%s at %d seed %llu line %zu: %s, want %s\n", bad_names[bad], at,
		       (unsigned long long)seed, line, coh_strerror(rc), coh_strerror(bad_want[bad]));
		failed = 1;
	}
	if (bad == DEVERR && rc == -COH_EIO && g->resp_type != 0x1203)
		failed = 1;
	if (!rc) {
		for (uint32_t y = 0; y < H && !failed; y++)
			for (uint32_t x = 0; x < W; x++) {
				const uint8_t *p = rgb + ((size_t)y * W + x) * 3;

				if (!v->image || v->image[(size_t)y * W + x] != fb_rgb(p[0], p[1], p[2])) {
					printf("seed %llu line %zu: resource pixel (%u,%u) wrong\n",
					       (unsigned long long)seed, line, x, y);
					failed = 1;
					break;
				}
			}
		if (g->display_w != W || g->display_h != H || g->vm.cnt.errors || v->errors)
			failed = 1;
	}
	if (sim_quiesce() || reports) {
		printf("%s seed %llu line %zu: %lu sanitizer report(s)\n", bad_names[bad],
		       (unsigned long long)seed, line, reports);
		failed = 1;
	}
	/* teardown: the rings back to the region, the region and stream off */
	if (virtq_destroy(&g->vq) || coh_device_set_stream(&dev, NULL) || coh_region_remove(&reg)) {
		printf("%s: teardown refused: something is still live\n", bad_names[bad]);
		failed = 1;
	}
	sim_fini();
	return failed;
}

int main(void)
{
	static const size_t lines[] = { 32, 64, 128 };
	int failed = 0, runs = 0;
	uint32_t s = 99;

	for (size_t i = 0; i < sizeof(rgb); i++) {
		s = s * 1103515245u + 12345u;
		rgb[i] = (uint8_t)(s >> 16);
	}
	coh_set_diag_handler(diag);
	for (uint64_t seed = 1; seed <= 20; seed++)
		for (size_t l = 0; l < 3; l++, runs++)
			failed += run(HONEST, -1, seed, lines[l]) != 0;
	/* each misbehaviour on the first command, and on a transfer (the 5th) */
	for (int b = SHORT; b < NBAD; b++)
		for (int at = 0; at <= 4; at += 4, runs++) {
			int rc = run((enum bad)b, at, 1, 64);

			printf("sim_vgpu %s at command %d: %s\n", bad_names[b], at,
			       rc ? "FAILED" : coh_strerror(bad_want[b]));
			failed += rc != 0;
		}
	printf("sim_vgpu: %d runs, %d failed\n", runs, failed);
	return failed != 0;
}
