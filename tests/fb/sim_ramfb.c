/* SPDX-License-Identifier: MIT */
/*
 * drivers/ramfb (fw_cfg DMA, the ramfb configuration) on the simulated
 * non-coherent SoC, against a test double of QEMU's fw_cfg DMA interface
 * (below: the facts of QEMU docs/specs/fw_cfg.rst, nothing more) that reads
 * the access structure and the data through the simulator, writes the
 * file directory and the control word back the same way, and can misbehave.
 * Honest device, 30 seeds x line 32/64/128: ramfb_init() succeeds, the
 * configuration the device received is the frame's, no sanitizer report.
 * Each misbehaviour gets its documented code:
 *   error (control bit 0)           -COH_EIO
 *   garbage (a bit never set)       -COH_EPROTO
 *   silent (control never cleared)  -COH_ETIMEDOUT
 *   bigdir (4097 directory entries) -COH_EPROTO
 *   nofile (no etc/ramfb)           -COH_ENODEV
 *   badsize (etc/ramfb of 27 bytes) -COH_EPROTO
 *   nosig (no DMA signature)        -COH_ENODEV
 */
#include <stdio.h>
#include <string.h>

#include "sim.h"
#include "../drivers/ramfb/ramfb.h"

/* silent last: the mapping it leaves live stays in the debug checker's table */
enum bad { HONEST, ERROR, GARBAGE, BIGDIR, NOFILE, BADSIZE, NOSIG, SILENT, NBAD };
static const char *const bad_names[NBAD] = { "honest", "error", "garbage", "bigdir",
					     "nofile", "badsize", "nosig", "silent" };
static const int bad_want[NBAD] = { 0, -COH_EIO, -COH_EPROTO, -COH_EPROTO, -COH_ENODEV,
				    -COH_EPROTO, -COH_ENODEV, -COH_ETIMEDOUT };

#define RAMFB_KEY 0x25

struct fake {
	const struct coh_device *dev;
	enum bad bad;
	uint64_t dma;
	int key;
	uint32_t off;
	uint8_t dir[4 + 3 * 64];
	uint32_t dir_len;
	uint8_t cfg[28];
	uint32_t cfg_len;
};

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void transfer(struct fake *f)
{
	uint8_t a[16], data[256];
	uint32_t ctl, len, back = 0;
	uint64_t addr;

	if (sim_dev_read(f->dev, f->dma, a, sizeof(a)))
		return;
	ctl = be32(a);
	len = be32(a + 4);
	addr = (uint64_t)be32(a + 8) << 32 | be32(a + 12);
	if (ctl & FW_CFG_DMA_SELECT) {
		f->key = (int)(ctl >> 16);
		f->off = 0;
	}
	if (len > sizeof(data)) {
		back = FW_CFG_DMA_ERROR;
	} else if (ctl & FW_CFG_DMA_READ) {
		const uint8_t *src = f->key == FW_CFG_FILE_DIR ? f->dir : NULL;
		uint32_t have = src ? f->dir_len : 0;

		for (uint32_t i = 0; i < len; i++)
			data[i] = f->off + i < have ? src[f->off + i] : 0;
		f->off += len;
		if (sim_dev_write(f->dev, addr, data, len))
			back = FW_CFG_DMA_ERROR;
	} else if (ctl & FW_CFG_DMA_WRITE) {
		if (f->key != RAMFB_KEY || len > sizeof(f->cfg) ||
		    sim_dev_read(f->dev, addr, f->cfg, len))
			back = FW_CFG_DMA_ERROR;
		else
			f->cfg_len = len;
	}
	if (f->bad == ERROR)
		back = FW_CFG_DMA_ERROR;
	if (f->bad == GARBAGE)
		back = 1u << 30;
	if (f->bad != SILENT) {
		uint8_t c[4];

		put_be32(c, back);
		(void)sim_dev_write(f->dev, f->dma, c, 4);
	}
}

/* registers hold host-order values: a big-endian register is byte-swapped */
static uint64_t fake_read(void *ctx, size_t off, unsigned size)
{
	struct fake *f = ctx;
	uint64_t sig = f->bad == NOSIG ? 0 : FW_CFG_DMA_SIGNATURE;

	(void)size;
	if (off == FW_CFG_DMA_ADDR_HI)
		return __builtin_bswap32((uint32_t)(sig >> 32));
	if (off == FW_CFG_DMA_ADDR_LO)
		return __builtin_bswap32((uint32_t)sig);
	return 0;
}

static void fake_write(void *ctx, size_t off, uint64_t v, unsigned size)
{
	struct fake *f = ctx;
	uint32_t x = __builtin_bswap32((uint32_t)v);

	(void)size;
	if (off == FW_CFG_DMA_ADDR_HI)
		sim_reg_half(&f->dma, 1, x);
	if (off == FW_CFG_DMA_ADDR_LO) {
		sim_reg_half(&f->dma, 0, x);
		sim_dev_doorbell(f->dev);
		transfer(f);
	}
}

static const struct sim_mmio_ops fake_ops = { .read = fake_read, .write = fake_write };

static void dir_entry(struct fake *f, uint32_t i, uint32_t size, uint16_t key, const char *name)
{
	uint8_t *e = f->dir + 4 + i * 64;

	put_be32(e, size);
	e[4] = (uint8_t)(key >> 8);
	e[5] = (uint8_t)key;
	strncpy((char *)e + 8, name, 55);
}

static unsigned long reports;

static void diag(const struct coh_where *w, const char *msg, int err)
{
	printf("diag: %s:%d: %s (%s)\n", w ? w->file : "?", w ? w->line : 0, msg,
	       coh_strerror(err));
}

static void count(const struct sim_report *r, void *ctx)
{
	(void)ctx;
	sim_print_report(r, stdout);
	reports++;
}

/* 0 when ramfb_init() returned what `bad` must give (and, honest, all is right) */
static int run(enum bad bad, uint64_t seed, size_t line)
{
	static struct fake f;
	static struct coh_map_rec recs[16];
	struct coh_stream st;
	struct sim_config cfg;
	struct coh_region reg;
	struct coh_device dev;
	struct ramfb *rfb;
	struct fb *fb = NULL;
	void *area, *regs, *frame;
	uint64_t phys;
	size_t size;
	int rc, bad_run = 0;

	sim_config_default(&cfg);
	cfg.seed = seed;
	cfg.line = line;
	cfg.ram_size = 1u << 20;
	if (sim_init(&cfg))
		return -1;
	sim_set_report_hook(count, NULL);
	reports = 0;
	coh_device_init(&dev, "fw_cfg", 0);
	if (coh_stream_init(&st, recs, 16, 0) || coh_device_set_stream(&dev, &st))
		return -1;
	memset(&f, 0, sizeof(f));
	f.dev = &dev;
	f.bad = bad;
	f.key = -1;
	put_be32(f.dir, bad == BIGDIR ? 4097 : 3);
	f.dir_len = sizeof(f.dir);
	dir_entry(&f, 0, 8, 0x20, "bootorder");
	dir_entry(&f, 1, bad == BADSIZE ? 27 : 28, RAMFB_KEY,
		  bad == NOFILE ? "etc/ramfb-not" : "etc/ramfb");
	dir_entry(&f, 2, 4, 0x26, "etc/other");
	regs = sim_mmio_map(0x18, &fake_ops, &f);
	if (!regs || sim_area(0, &area, &phys, &size) ||
	    coh_region_add(&reg, area, phys, size / 2, 0))
		return -1;
	frame = (uint8_t *)area + size / 2;
	/* its transfer buffer is DMA memory (fw_cfg.h): in the simulated RAM */
	rfb = (struct ramfb *)(void *)((uint8_t *)frame + (64u << 10));
	sim_name(frame, 64 * 32 * 4, "frame");
	rc = ramfb_init(rfb, regs, &dev, frame, 64u << 10, 64, 32, &fb);
	if (rc != bad_want[bad]) {
		printf("%s seed %llu line %zu: ramfb_init %s, want %s\n", bad_names[bad],
		       (unsigned long long)seed, line, coh_strerror(rc),
		       coh_strerror(bad_want[bad]));
		bad_run = 1;
	}
	if (!rc) {
		uint8_t want[28] = { 0 };
		uint64_t fp = sim_virt_to_phys(frame);

		put_be32(want, (uint32_t)(fp >> 32));
		put_be32(want + 4, (uint32_t)fp);
		put_be32(want + 8, be32((const uint8_t *)"42RX"));
		put_be32(want + 16, 64);
		put_be32(want + 20, 32);
		put_be32(want + 24, 256);
		if (f.cfg_len != 28 || memcmp(f.cfg, want, 28)) {
			printf("seed %llu line %zu: the device got another configuration\n",
			       (unsigned long long)seed, line);
			bad_run = 1;
		}
		if (fb != &rfb->fb || fb->frame.pitch != 256)
			bad_run = 1;
		(void)fw_cfg_destroy(&rfb->cfg);
	}
	/* a silent device may still write its buffer: that mapping stays */
	if (bad != SILENT && (sim_quiesce() || reports)) {
		printf("%s seed %llu line %zu: %lu sanitizer report(s)\n", bad_names[bad],
		       (unsigned long long)seed, line, reports);
		bad_run = 1;
	}
	/* silent: the buffer's mapping is left live (the device may still
	 * write it), so the stream cannot detach: sim_fini() ends it all */
	(void)coh_device_set_stream(&dev, NULL);
	if (coh_region_remove(&reg)) {
		printf("%s: the region is still in use\n", bad_names[bad]);
		bad_run = 1;
	}
	sim_fini();
	return bad_run;
}

int main(void)
{
	static const size_t lines[] = { 32, 64, 128 };
	int failed = 0, runs = 0;

	coh_set_diag_handler(diag);

	for (uint64_t seed = 1; seed <= 30; seed++)
		for (size_t l = 0; l < 3; l++, runs++)
			failed += run(HONEST, seed, lines[l]) != 0;
	for (int b = ERROR; b < NBAD; b++, runs++) {
		int rc = run((enum bad)b, 1, 64);

		printf("sim_ramfb %s: %s\n", bad_names[b], rc ? "FAILED" : coh_strerror(bad_want[b]));
		failed += rc != 0;
	}
	printf("sim_ramfb: %d runs, %d failed\n", runs, failed);
	return failed != 0;
}
