/* SPDX-License-Identifier: MIT */
/*
 * sim/virtio_blk.c - the virtio-blk device model (see sim_virtio_blk.h).
 * Register, ring and request layouts: VirtIO 1.x sections 2.7, 4.2.2, 5.2.
 */
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "sim_virtio_blk.h"

/* virtio-mmio registers */
enum {
	R_MAGIC = 0x000, R_VERSION = 0x004, R_DEVICE_ID = 0x008, R_VENDOR = 0x00c,
	R_DEV_FEAT = 0x010, R_DEV_FEAT_SEL = 0x014, R_DRV_FEAT = 0x020,
	R_DRV_FEAT_SEL = 0x024, R_QUEUE_SEL = 0x030, R_QUEUE_NUM_MAX = 0x034,
	R_QUEUE_NUM = 0x038, R_QUEUE_READY = 0x044, R_QUEUE_NOTIFY = 0x050,
	R_IRQ_STATUS = 0x060, R_IRQ_ACK = 0x064, R_STATUS = 0x070,
	R_DESC_LO = 0x080, R_DESC_HI = 0x084, R_AVAIL_LO = 0x090,
	R_AVAIL_HI = 0x094, R_USED_LO = 0x0a0, R_USED_HI = 0x0a4,
	R_GENERATION = 0x0fc, R_CONFIG = 0x100, WINDOW = 0x200,
};

#define F_SEG_MAX	(1ull << 2)
#define F_BLK_SIZE	(1ull << 6)
#define F_FLUSH		(1ull << 9)
#define F_INDIRECT	(1ull << 28)
#define F_EVENT_IDX	(1ull << 29)
#define F_VERSION_1	(1ull << 32)
#define F_ORDER_PLATFORM (1ull << 36)
#define OFFERED (F_SEG_MAX | F_BLK_SIZE | F_FLUSH | F_INDIRECT | F_EVENT_IDX | F_VERSION_1 | \
		 F_ORDER_PLATFORM)

#define ST_DRIVER_OK	4u
#define ST_FEATURES_OK	8u
#define ST_NEEDS_RESET	64u

#define D_NEXT 1
#define D_WRITE 2
#define D_INDIRECT 4

struct seg {
	uint64_t addr;
	uint32_t len;
	int write;
};

struct vblk {
	const struct coh_device *dev;
	void *regs;
	uint8_t *disk;
	uint64_t sectors;
	uint32_t status, dev_sel, drv_sel, qsel, num, ready, gen, isr;
	uint64_t drv_feat, desc, avail, used;
	uint16_t last_avail, used_idx;
	unsigned window;	/* requests taken before completing (sim_vblk_reorder) */
	unsigned pend_n;
	uint16_t pend[SIM_VBLK_QMAX];
	uint32_t rng;
	int evil;
	unsigned evil_at, cfg_moves;
	struct sim_vblk_stats st;
};

#define MAXMODELS 8
static struct vblk *models[MAXMODELS];

static struct vblk *find(void *regs)
{
	for (int i = 0; i < MAXMODELS; i++)
		if (models[i] && models[i]->regs == regs)
			return models[i];
	return NULL;
}

static void reset(struct vblk *v)
{
	v->status = v->dev_sel = v->drv_sel = v->qsel = v->num = v->ready = 0;
	v->isr = 0;
	v->drv_feat = v->desc = v->avail = v->used = 0;
	v->last_avail = v->used_idx = 0;
	v->pend_n = 0;
}

static uint64_t config(struct vblk *v, size_t off, unsigned size)
{
	uint8_t c[24] = { 0 };
	uint64_t cap = v->sectors, x = 0;
	uint32_t segmax = SIM_VBLK_SEG_MAX, bs = 512;

	if (v->evil == SIM_VBLK_CONFIG_MOVE && v->cfg_moves < 3) {
		/* capacity seen differently by each read, generation bumped */
		cap += ++v->cfg_moves;
		v->gen++;
	}
	memcpy(c, &cap, 8);
	memcpy(c + 12, &segmax, 4);
	memcpy(c + 20, &bs, 4);
	if (off + size > sizeof(c))
		return 0;
	memcpy(&x, c + off, size);
	return x;
}

static uint64_t vblk_read(void *ctx, size_t off, unsigned size)
{
	struct vblk *v = ctx;

	if (off >= R_CONFIG)
		return config(v, off - R_CONFIG, size);
	switch (off) {
	case R_MAGIC: return 0x74726976u;
	case R_VERSION: return 2;
	case R_DEVICE_ID: return 2;
	case R_VENDOR: return 0x554d4551u;
	case R_DEV_FEAT:
		return v->dev_sel == 0 ? (uint32_t)OFFERED
		       : v->dev_sel == 1 ? (uint32_t)(OFFERED >> 32) : 0;
	case R_QUEUE_NUM_MAX: return v->qsel == 0 ? SIM_VBLK_QMAX : 0;
	case R_QUEUE_READY: return v->qsel == 0 ? v->ready : 0;
	case R_IRQ_STATUS: return v->isr;
	case R_STATUS: return v->status;
	case R_GENERATION:
		if (v->evil == SIM_VBLK_CONFIG_FLAP)
			return v->gen++;
		return v->gen;
	default: return 0;
	}
}

static void vblk_write(void *ctx, size_t off, uint64_t val, unsigned size)
{
	struct vblk *v = ctx;
	uint32_t x = (uint32_t)val;

	(void)size;
	switch (off) {
	case R_DEV_FEAT_SEL: v->dev_sel = x; break;
	case R_DRV_FEAT_SEL: v->drv_sel = x; break;
	case R_DRV_FEAT:
		if (v->drv_sel < 2)
			sim_reg_half(&v->drv_feat, (int)v->drv_sel, x);
		break;
	case R_QUEUE_SEL: v->qsel = x; break;
	case R_QUEUE_NUM: if (v->qsel == 0) v->num = x; break;
	case R_QUEUE_READY: if (v->qsel == 0) v->ready = x & 1; break;
	case R_QUEUE_NOTIFY: v->st.notifies++; break;
	case R_IRQ_ACK: v->isr &= ~x; break;
	case R_STATUS:
		if (x == 0) {
			reset(v);
			v->st.resets++;
			break;
		}
		/* FEATURES_OK only for a subset of what was offered, with VERSION_1 */
		/* ... and, behind a non-coherent interconnect, with ORDER_PLATFORM */
		if ((x & ST_FEATURES_OK) && !(v->status & ST_FEATURES_OK) &&
		    ((v->drv_feat & ~OFFERED) || !(v->drv_feat & F_VERSION_1) ||
		     (!coh_device_is_coherent(v->dev) && !(v->drv_feat & F_ORDER_PLATFORM))))
			x &= ~ST_FEATURES_OK;
		v->status = x;
		break;
	case R_DESC_LO: case R_DESC_HI: sim_reg_half(&v->desc, off == R_DESC_HI, x); break;
	case R_AVAIL_LO: case R_AVAIL_HI: sim_reg_half(&v->avail, off == R_AVAIL_HI, x); break;
	case R_USED_LO: case R_USED_HI: sim_reg_half(&v->used, off == R_USED_HI, x); break;
	default: break;
	}
}

static int rd(struct vblk *v, uint64_t a, void *p, size_t n)
{
	return sim_dev_read(v->dev, a, p, n);
}

static int wr(struct vblk *v, uint64_t a, const void *p, size_t n)
{
	return sim_dev_write(v->dev, a, p, n);
}

static void broken(struct vblk *v)
{
	v->st.malformed++;
	v->status |= ST_NEEDS_RESET;
	v->isr |= 2;
}

/* The chain at head, indirect tables followed; -1 if malformed. */
static int walk(struct vblk *v, uint16_t head, struct seg *s, int max)
{
	uint64_t table = v->desc;
	uint32_t tsize = v->num, d = head;
	int n = 0, ind = 0;

	for (int hops = 0;; hops++) {
		uint8_t raw[16];
		uint64_t addr;
		uint32_t len;
		uint16_t flags, next;

		if (d >= tsize || hops > (int)tsize || rd(v, table + 16ull * d, raw, 16))
			return -1;
		memcpy(&addr, raw, 8);
		memcpy(&len, raw + 8, 4);
		memcpy(&flags, raw + 12, 2);
		memcpy(&next, raw + 14, 2);
		if (flags & D_INDIRECT) {
			if (ind || n || (flags & D_NEXT) || len % 16 || len == 0 ||
			    len / 16 > v->num || !(v->drv_feat & F_INDIRECT))
				return -1;
			ind = 1;
			table = addr;
			tsize = len / 16;
			d = 0;
			hops = -1;
			continue;
		}
		if (n == max)
			return -1;
		s[n++] = (struct seg){ addr, len, (flags & D_WRITE) != 0 };
		if (!(flags & D_NEXT))
			return n;
		d = next;
	}
}

static int evil_now(struct vblk *v, int e)
{
	return v->evil == e && v->evil_at == 0;
}

/* One request, if one is available. */
static void vblk_step(void *ctx)
{
	struct vblk *v = ctx;
	struct seg s[SIM_VBLK_SEG_MAX + 2];
	uint16_t aidx, head;
	uint8_t hdr[16], stat = 0;
	uint32_t type, written = 1, qsz = v->num;
	uint64_t sector, pos;
	int n, fire;

	if (!(v->status & ST_DRIVER_OK) || (v->status & ST_NEEDS_RESET) || !v->ready ||
	    !qsz || (qsz & (qsz - 1)))
		return;
	if (rd(v, v->avail + 2, &aidx, 2))
		return broken(v);
	if ((uint16_t)(aidx - v->last_avail) > qsz)
		return broken(v);
	/* take what is available, in ring order, up to the window */
	while (aidx != v->last_avail && v->pend_n < (v->window ? v->window : 1)) {
		if (rd(v, v->avail + 4 + 2ull * (v->last_avail % qsz), &head, 2))
			return broken(v);
		v->pend[v->pend_n++] = head;
		v->last_avail++;
	}
	if (!v->pend_n)
		return;
	/* complete one of them: the oldest, or any with a window above 1 */
	{
		unsigned k = 0;

		if (v->window > 1) {
			v->rng = v->rng * 1103515245u + 12345u;
			k = (v->rng >> 16) % v->pend_n;
		}
		head = v->pend[k];
		for (unsigned i = k + 1; i < v->pend_n; i++)
			v->pend[i - 1] = v->pend[i];
		v->pend_n--;
	}
	n = walk(v, head, s, SIM_VBLK_SEG_MAX + 2);
	if (n < 2 || s[0].write || s[0].len != 16 || !s[n - 1].write || s[n - 1].len != 1 ||
	    rd(v, s[0].addr, hdr, 16))
		return broken(v);
	memcpy(&type, hdr, 4);
	memcpy(&sector, hdr + 8, 8);
	pos = sector;
	for (int i = 1; i < n - 1; i++) {
		uint8_t *p;

		if (s[i].len % 512 || s[i].write != (type == 0) || type > 1 ||
		    pos > v->sectors || s[i].len / 512 > v->sectors - pos)
			return broken(v);
		p = v->disk + pos * 512;
		if (type == 0 ? wr(v, s[i].addr, p, s[i].len) : rd(v, s[i].addr, p, s[i].len))
			return broken(v);
		if (type == 0)
			written += s[i].len;
		pos += s[i].len / 512;
	}
	if (type != 0 && type != 1 && type != 4)
		stat = 2;	/* UNSUPP */
	fire = v->evil != SIM_VBLK_HONEST && v->evil_at == 0 &&
	       v->evil != SIM_VBLK_CONFIG_FLAP && v->evil != SIM_VBLK_CONFIG_MOVE;
	if (fire && v->evil == SIM_VBLK_SILENT) {
		v->evil = SIM_VBLK_HONEST;
		return;
	}
	if (evil_now(v, SIM_VBLK_IOERR))
		stat = 1;
	if (evil_now(v, SIM_VBLK_BAD_STATUS))
		stat = 0x77;
	if (!evil_now(v, SIM_VBLK_NO_STATUS) && wr(v, s[n - 1].addr, &stat, 1))
		return broken(v);
	if (evil_now(v, SIM_VBLK_SCRIBBLE)) {
		uint8_t junk[64];

		memset(junk, 0xa5, sizeof(junk));
		for (uint32_t i = 0; i < qsz; i += 4)
			(void)wr(v, v->desc + 16ull * i, junk, 16);
		(void)wr(v, v->avail + 4, junk, 2 * (qsz < 32 ? qsz : 32));
	}
	{
		uint32_t elem[2] = { head, written };
		uint16_t idx;

		if (evil_now(v, SIM_VBLK_ID_RANGE))
			elem[0] = qsz + 5;
		if (evil_now(v, SIM_VBLK_ID_STALE))
			elem[0] = (head + 1u) % qsz;
		if (evil_now(v, SIM_VBLK_LEN_OVER))
			elem[1] = written + 4096;
		/* the element, then the index that publishes it */
		if (wr(v, v->used + 4 + 8ull * (v->used_idx % qsz), elem, 8))
			return broken(v);
		v->used_idx++;
		idx = v->used_idx;
		if (evil_now(v, SIM_VBLK_IDX_JUMP))
			idx = (uint16_t)(idx + qsz + 1);
		if (wr(v, v->used + 2, &idx, 2))
			return broken(v);
	}
	if (v->drv_feat & F_EVENT_IDX) {
		uint16_t ev = v->last_avail;

		(void)wr(v, v->used + 4 + 8ull * qsz, &ev, 2);
	}
	/*
	 * Interrupt or not (2.7.7, 2.7.10): with EVENT_IDX when used.idx passes
	 * the driver's used_event (after avail.ring[], read from its memory as
	 * the device does), else unless avail.flags has NO_INTERRUPT.
	 */
	{
		uint16_t ev = 0, flags = 0, now = v->used_idx, old = (uint16_t)(now - 1);
		bool irq;

		if (v->drv_feat & F_EVENT_IDX) {
			(void)rd(v, v->avail + 4 + 2ull * qsz, &ev, 2);
			irq = (uint16_t)(now - ev - 1) < (uint16_t)(now - old);
		} else {
			(void)rd(v, v->avail, &flags, 2);
			irq = !(flags & 1);
		}
		if (irq) {
			v->isr |= 1;
			v->st.interrupts++;
			sim_irq_raise(v->regs);
		} else {
			v->st.suppressed++;
		}
	}
	v->st.requests++;
	if (fire)
		v->evil = SIM_VBLK_HONEST;
	else if (v->evil != SIM_VBLK_HONEST && v->evil_at)
		v->evil_at--;
}

static void vblk_destroy(void *ctx)
{
	for (int i = 0; i < MAXMODELS; i++)
		if (models[i] == ctx)
			models[i] = NULL;
	free(ctx);
}

static const struct sim_mmio_ops vblk_ops = {
	.read = vblk_read,
	.write = vblk_write,
	.step = vblk_step,
	.destroy = vblk_destroy,
};

void *sim_vblk_create(const struct coh_device *dev, uint8_t *disk,
		      uint64_t sectors)
{
	struct vblk *v;
	int slot = -1;

	for (int i = 0; i < MAXMODELS && slot < 0; i++)
		if (!models[i])
			slot = i;
	if (!dev || !disk || slot < 0)
		return NULL;
	v = calloc(1, sizeof(*v));
	if (!v)
		return NULL;
	v->dev = dev;
	v->disk = disk;
	v->sectors = sectors;
	v->regs = sim_mmio_map(WINDOW, &vblk_ops, v);
	if (!v->regs) {
		free(v);
		return NULL;
	}
	models[slot] = v;
	return v->regs;
}

void sim_vblk_evil(void *regs, enum sim_vblk_evil e, unsigned at)
{
	struct vblk *v = find(regs);

	if (v) {
		v->evil = (int)e;
		v->evil_at = at;
		v->cfg_moves = 0;
	}
}

void sim_vblk_reorder(void *regs, unsigned window, uint32_t seed)
{
	struct vblk *v = find(regs);

	if (v && window >= 1 && window <= SIM_VBLK_QMAX) {
		v->window = window;
		v->rng = seed;
	}
}

void sim_vblk_stats(void *regs, struct sim_vblk_stats *out)
{
	struct vblk *v = find(regs);

	if (v && out)
		*out = v->st;
}

const char *sim_vblk_evil_name(int e)
{
	static const char *const n[] = { "HONEST", "ID_RANGE", "ID_STALE", "LEN_OVER",
					 "IDX_JUMP", "SILENT", "NO_STATUS", "BAD_STATUS",
					 "IOERR", "SCRIBBLE", "CONFIG_FLAP", "CONFIG_MOVE" };

	return e >= 0 && e < SIM_VBLK_NEVALS ? n[e] : "?";
}
