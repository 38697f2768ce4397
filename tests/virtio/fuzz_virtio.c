/* SPDX-License-Identifier: MIT */
/*
 * Coverage-guided fuzzing of the virtio drivers: every byte the device
 * writes comes from the fuzzer - its registers (features, queue sizes,
 * status, configuration and its generation) and everything it writes to
 * memory (used.idx, used elements, used.flags, avail_event, status bytes,
 * received data and lengths), interleaved anywhere the driver gives the
 * device a chance to run (each MMIO access, each library store, each poll).
 *
 * The device is a virtio-mmio transport on the simulated SoC (cache model
 * off: SIM_F_NO_SANITIZER, speed) that answers honestly where the input
 * says so, so deep paths are reached, and writes fuzzer bytes anywhere
 * else.  The driver side runs a short script (init, requests, recovery,
 * teardown) whose arguments come from the input too.  Built with ASan and
 * UBSan; a crash, a sanitizer finding, a hang (poll budgets are small) or
 * a broken invariant (aborts below) is a finding.
 *
 * Entry point: LLVMFuzzerTestOneInput (libFuzzer, make fuzz), or
 * fuzz_main.c (a fixed-seed slice in make test).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coherent/coherent.h"
#include "sim.h"
#include "../../drivers/virtio/virtio_blk.h"
#include "../../drivers/virtio/virtio_net.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t *in;
static size_t in_left;

static uint8_t byte(void)
{
	if (!in_left)
		return 0;
	in_left--;
	return *in++;
}

static uint32_t u32(void)
{
	uint32_t v = byte();

	v |= (uint32_t)byte() << 8;
	v |= (uint32_t)byte() << 16;
	return v | (uint32_t)byte() << 24;
}

/* ---- the device ------------------------------------------------------------ */

struct fdev {
	const struct coh_device *dev;
	uint32_t id;			/* 1 net, 2 blk */
	uint64_t offered;
	uint32_t status, dsel, qsel, gen;
	uint32_t num[2], ready[2];
	uint64_t desc[2], avail[2], used[2];
	uint16_t last[2], uidx[2];
	uint8_t cfg[32];
};

static struct fdev D;

static uint64_t honest_reg(size_t off, unsigned size)
{
	unsigned q = D.qsel < 2 ? D.qsel : 0;

	if (off >= 0x100) {
		uint64_t v = 0;

		if (off - 0x100 + size <= sizeof(D.cfg))
			memcpy(&v, D.cfg + (off - 0x100), size);
		return v;
	}
	switch (off) {
	case 0x000: return 0x74726976u;
	case 0x004: return 2;
	case 0x008: return D.id;
	case 0x010: return D.dsel == 0 ? (uint32_t)D.offered
			   : D.dsel == 1 ? (uint32_t)(D.offered >> 32) : 0;
	case 0x034: return D.qsel < 2 ? 16 : 0;
	case 0x044: return D.qsel < 2 ? D.ready[q] : 0;
	case 0x070: return D.status;
	case 0x0fc: return D.gen;
	default: return 0;
	}
}

/* One register read: honest, or what the input says (1 in 8). */
static uint64_t fd_read(void *ctx, size_t off, unsigned size)
{
	(void)ctx;
	if ((byte() & 7) == 7) {
		uint64_t v = u32();

		return size == 8 ? v | (uint64_t)u32() << 32 : v;
	}
	return honest_reg(off, size);
}

static void fd_write(void *ctx, size_t off, uint64_t val, unsigned size)
{
	uint32_t x = (uint32_t)val;
	unsigned q = D.qsel < 2 ? D.qsel : 0;

	(void)ctx;
	(void)size;
	switch (off) {
	case 0x014: D.dsel = x; break;
	case 0x030: D.qsel = x; break;
	case 0x038: D.num[q] = x; break;
	case 0x044: D.ready[q] = x & 1; break;
	case 0x070:
		D.status = x;
		if (x == 0) {
			memset(D.ready, 0, sizeof(D.ready));
			memset(D.last, 0, sizeof(D.last));
			memset(D.uidx, 0, sizeof(D.uidx));
		}
		break;
	case 0x080: case 0x084: sim_reg_half(&D.desc[q], off == 0x084, x); break;
	case 0x090: case 0x094: sim_reg_half(&D.avail[q], off == 0x094, x); break;
	case 0x0a0: case 0x0a4: sim_reg_half(&D.used[q], off == 0x0a4, x); break;
	default: break;
	}
}

static int dread(uint64_t a, void *p, size_t n)
{
	return sim_dev_read(D.dev, a, p, n);
}

static int dwrite(uint64_t a, const void *p, size_t n)
{
	return sim_dev_write(D.dev, a, p, n);
}

/*
 * Complete the next available request of queue q: its writable segments
 * filled (a status byte of 0 last for blk), the used element and index
 * written.  Robust against anything in the rings (bounded walks).
 */
static void complete(unsigned q, int fuzz_len)
{
	uint16_t aidx, head, n = (uint16_t)D.num[q];
	uint64_t table;
	uint32_t tsize, d, written = 0, elem[2];
	uint8_t fill[256];

	if (!D.ready[q] || !n || (n & (n - 1)) || n > 256 ||
	    dread(D.avail[q] + 2, &aidx, 2) || aidx == D.last[q] ||
	    dread(D.avail[q] + 4 + 2u * (D.last[q] % n), &head, 2))
		return;
	memset(fill, 0, sizeof(fill));
	table = D.desc[q];
	tsize = n;
	d = head;
	for (int hops = 0; hops < 64 && d < tsize; hops++) {
		struct virtq_desc x;

		if (dread(table + 16ull * d, &x, 16))
			break;
		if (x.flags & VIRTQ_DESC_F_INDIRECT) {
			table = x.addr;
			tsize = x.len / 16;
			d = 0;
			continue;
		}
		if ((x.flags & VIRTQ_DESC_F_WRITE) && x.len) {
			/* blk: data then a status byte of 0; net: header + frame */
			uint32_t k = x.len < sizeof(fill) ? x.len : sizeof(fill);

			if (D.id == VIRTIO_ID_NET)
				memset(fill, 0x11, sizeof(fill));
			fill[0] = D.id == VIRTIO_ID_NET ? 0 : fill[0];
			if (x.len == 1)
				fill[0] = 0;
			(void)dwrite(x.addr, fill, k);
			written += k;
		}
		if (!(x.flags & VIRTQ_DESC_F_NEXT))
			break;
		d = x.next;
	}
	elem[0] = head;
	elem[1] = fuzz_len ? u32() : written;
	(void)dwrite(D.used[q] + 4 + 8ull * (D.uidx[q] % n), elem, 8);
	D.uidx[q]++;
	(void)dwrite(D.used[q] + 2, &D.uidx[q], 2);
	D.last[q]++;
}

/* The device's turn: one action chosen by the input. */
static void fd_step(void *ctx)
{
	unsigned q, n;
	uint8_t op;
	uint16_t v;

	(void)ctx;
	if (!in_left) {
		/* input spent: an honest device, so every script ends */
		complete(0, 0);
		complete(1, 0);
		return;
	}
	op = byte();
	q = (op >> 4) & 1;
	n = D.num[q] && D.num[q] <= 256 ? D.num[q] : 1;
	if (!D.ready[q] && (op & 15) >= 6 && (op & 15) <= 9)
		return;	/* no ring to write into yet */
	switch (op & 15) {
	case 0: case 1: case 2: case 3: case 4:
		complete(q, 0);
		break;
	case 5:		/* a completion with a length from the input */
		complete(q, 1);
		break;
	case 6:		/* used.idx */
		v = (uint16_t)u32();
		(void)dwrite(D.used[q] + 2, &v, 2);
		break;
	case 7: {	/* a used element */
		uint32_t e[2] = { u32(), u32() };

		(void)dwrite(D.used[q] + 4 + 8ull * (byte() % n), e, 8);
		break;
	}
	case 8:		/* used.flags or avail_event */
		v = (uint16_t)u32();
		(void)dwrite(byte() & 1 ? D.used[q] : D.used[q] + 4 + 8ull * n, &v, 2);
		break;
	case 9: {	/* bytes anywhere in the used ring */
		uint8_t b = byte();
		size_t off = u32() % (4 + 8 * n + 2);

		(void)dwrite(D.used[q] + off, &b, 1);
		break;
	}
	case 10:	/* configuration bytes and generation */
		D.cfg[byte() % sizeof(D.cfg)] = byte();
		D.gen += byte() & 1;
		break;
	case 11:	/* status register bits (DEVICE_NEEDS_RESET...) */
		D.status |= byte();
		break;
	default:	/* nothing this time */
		break;
	}
}

static const struct sim_mmio_ops fd_ops = {
	.read = fd_read, .write = fd_write, .step = fd_step,
};

/* ---- the driver's script ---------------------------------------------------- */

static struct coh_region r0, r1;
static struct coh_device dev;
static struct coh_stream st;
static struct coh_map_rec recs[128];
COH_DECLARE_BOX(fbytes_h, uint8_t);
static struct fbytes_h buf, pool;
static struct virtio_blk blk;
COH_DECLARE_BOX(fnet_h, struct virtio_net);
static struct fnet_h netmem;	/* its buffers must be simulated RAM */
static uint8_t frame[VIRTIO_NET_MAX_FRAME];

static void relax(void *ctx)
{
	(void)ctx;
	sim_step();
}

static void no_report(const struct sim_report *r, void *ctx)
{
	(void)r; (void)ctx;
}

static void quiet(const struct coh_where *w, const char *msg, int err)
{
	(void)w; (void)err; if (getenv("FUZZ_DIAG")) fprintf(stderr, "diag: %s:%d %s\n", w ? w->file : "-", w ? w->line : 0, msg);
}

static void run_blk(unsigned int attrs, uint64_t want, void *regs)
{
	uint8_t *b = coh_box_ptr(&buf);

	if (virtio_blk_init(&blk, regs, &dev, want, attrs, 40))
		return;
	blk.vm.relax = relax;
	for (int i = 0; i < 6 && !blk.dead; i++) {
		uint8_t op = byte();
		struct virtio_blk_seg sg[3];
		unsigned nseg = 1 + op % 3;

		for (unsigned k = 0; k < nseg; k++)
			sg[k] = (struct virtio_blk_seg){ b + k * 2048 + (byte() & 3) * 8,
							 512u * (1 + (byte() & 1)) };
		if ((op >> 2) % 4 == 3)
			(void)virtio_blk_flush(&blk);
		else
			(void)virtio_blk_rw(&blk, (op >> 2) & 1, byte() % 40, sg, nseg);
		/*
		 * A request leaves no mapping behind, unless the device could not
		 * even be reset: then its buffers stay the device's (b->dead).
		 */
		if (coh_stream_live(&st) && !blk.dead)
			abort();
	}
	/*
	 * The device turns honest: a reset must now work and give everything
	 * back (recovery itself may still fail: a device that changed its
	 * queue limits across the reset is refused).
	 */
	in_left = 0;
	(void)virtio_blk_recover(&blk);
	if (virtio_blk_destroy(&blk) || coh_stream_live(&st))
		abort();
}

static void run_net(unsigned int attrs, uint64_t want, void *regs)
{
	struct virtio_net *np;
	size_t len;

	if (coh_box_alloc(&netmem, &dev, 1, 0))
		abort();
	np = coh_box_ptr(&netmem);
#define net (*np)
	if (virtio_net_init(&net, regs, &dev, want, attrs, 40)) {
		coh_free(&netmem);
		return;
	}
	net.vm.relax = relax;
	for (int i = 0; i < 8 && !net.dead; i++) {
		uint8_t op = byte();

		if (op & 1) {
			memset(frame, op, sizeof(frame));
			(void)virtio_net_send(&net, frame, 14 + (size_t)byte() * 5);
		} else {
			for (int k = 0; k < 4; k++) {
				sim_step();
				if (virtio_net_recv(&net, frame, sizeof(frame), &len) == 0 &&
				    (len < 14 || len > VIRTIO_NET_MAX_FRAME))
					abort();	/* a length the driver should have refused */
			}
		}
		(void)virtio_net_tx_reap(&net);
		(void)virtio_net_link(&net);
	}
	in_left = 0;
	(void)virtio_net_recover(&net);
	if (virtio_net_destroy(&net) || coh_stream_live(&st))
		abort();
#undef net
	coh_free(&netmem);
}

/*
 * The simulated SoC, its regions and the device's window live across
 * inputs (speed); each input must leave them as it found them: every
 * allocation freed, every mapping gone (checked).
 */
static void *win;

static void soc_once(void)
{
	struct sim_config cfg;
	void *c;
	uint64_t p;
	size_t n;

	if (win)
		return;
	sim_config_default(&cfg);
	cfg.ram_size = 512 * 1024;
	cfg.uncached_size = 64 * 1024;
	cfg.flags = SIM_F_NO_SANITIZER;
	if (sim_init(&cfg))
		abort();
	coh_set_diag_handler(quiet);
	sim_set_report_hook(no_report, NULL);
	if (sim_area(0, &c, &p, &n) || coh_region_add(&r0, c, p, n, 0) ||
	    sim_area(1, &c, &p, &n) || coh_region_add(&r1, c, p, n, COH_REGION_UNCACHED))
		abort();
	win = sim_mmio_map(0x200, &fd_ops, NULL);
	if (!win)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t mode;

	in = data;
	in_left = size;
	mode = byte();
	soc_once();
	coh_device_init(&dev, "fuzz", mode & 4 ? COH_DEV_COHERENT : 0);
	dev.dma_mask = ~0ull;
	if (coh_box_alloc(&buf, &dev, 8192, 0) || coh_box_alloc(&pool, &dev, 65536, 0) ||
	    coh_stream_init(&st, recs, 128, 0) ||
	    coh_stream_bounce(&st, coh_box_ptr(&pool), sim_virt_to_phys(coh_box_ptr(&pool)),
			      65536) ||
	    coh_device_set_stream(&dev, &st))
		abort();
	memset(&D, 0, sizeof(D));
	D.dev = &dev;
	D.id = mode & 1 ? VIRTIO_ID_NET : VIRTIO_ID_BLOCK;
	D.offered = (uint64_t)u32() | (uint64_t)(byte() & 7) << 32 |
		    VIRTIO_BIT(VIRTIO_F_VERSION_1);
	if (D.id == VIRTIO_ID_BLOCK) {
		uint64_t cap = 48;
		uint32_t segmax = 1 + (byte() & 7);

		memcpy(D.cfg, &cap, 8);
		memcpy(D.cfg + 12, &segmax, 4);
	} else {
		memcpy(D.cfg, "\x52\x54\x00\x12\x34\x56\x01\x00", 8);
	}
	if (D.id == VIRTIO_ID_BLOCK)
		run_blk(mode & 2 ? COH_ATTR_UNCACHED : 0, ~0ull, win);
	else
		run_net(mode & 2 ? COH_ATTR_UNCACHED : 0, ~0ull, win);
	coh_device_set_stream(&dev, NULL);
	coh_free(&pool);
	coh_free(&buf);
	if (coh_device_leaks(&dev))
		abort();	/* rings or request memory left allocated */
	return 0;
}
